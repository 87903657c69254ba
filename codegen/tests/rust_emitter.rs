//! The Rust emitter on a model built by hand: the output is deterministic and well-formed, and the
//! crate it renders builds, passes its own tests, clippy and rustdoc with warnings denied, and works
//! as a path dependency of a crate outside this workspace.

mod support;

#[test]
fn output_is_deterministic_and_headed() {
    let model = support::tricky_model();
    let first = codegen::emit::all(&model);
    let second = codegen::emit::all(&model);
    assert_eq!(first, second);
    for (path, text) in first.files() {
        if path.ends_with(".rs") {
            assert!(
                text.starts_with(codegen::emit::rust::HEADER),
                "{path} lacks the header"
            );
            let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .unwrap();
            assert!(
                !text.contains(&*repo.to_string_lossy()),
                "{path} holds an absolute path"
            );
        }
    }
    let lib = first.get("src/lib.rs").unwrap();
    assert!(lib.contains("#[rustfmt::skip]\nmod event;"));
}

/// Slow (one cargo build of a small crate); runs in `cargo test` so CI covers it.
#[test]
fn tricky_crate_builds_and_passes_its_tests() {
    let model = support::tricky_model();
    let outputs = codegen::emit::all(&model);
    let dir = support::repo_root()
        .join("target")
        .join("tmp")
        .join("tricky-crate");
    let example = &model.events[0].examples[0].text;
    support::write_workspace(&dir, &outputs, &model.package.lib_name, example);
    support::cargo(&dir, &["test", "--workspace", "--quiet"]);
    support::cargo(
        &dir,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    );
    support::cargo(
        &dir,
        &["doc", "--no-deps", "-p", &model.package.name, "--quiet"],
    );
    let out = support::cargo(&dir, &["run", "--quiet", "-p", "consumer"]);
    assert_eq!(out.trim(), "box.created");
}

/// The `keywords` fixture through the real loader: every Rust keyword and prelude name as a type,
/// field, enum value and event name. Its crate must build and pass its tests.
#[test]
fn keywords_fixture_crate_builds_and_passes_its_tests() {
    let spec = support::repo_root().join("codegen/tests/fixtures/keywords");
    let model = codegen::load_dir(&spec).unwrap_or_else(|d| panic!("{d}"));
    let outputs = codegen::emit::all(&model);
    let dir = support::repo_root()
        .join("target")
        .join("tmp")
        .join("keywords-crate");
    support::write_workspace(
        &dir,
        &outputs,
        &model.package.lib_name,
        &model.events[0].examples[0].text,
    );
    support::cargo(&dir, &["test", "--workspace", "--quiet"]);
    support::cargo(
        &dir,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    );
    support::cargo(
        &dir,
        &["doc", "--no-deps", "-p", &model.package.name, "--quiet"],
    );
    support::cargo(&dir, &["fmt", "--all", "--check"]);
    let out = support::cargo(&dir, &["run", "--quiet", "-p", "consumer"]);
    assert_eq!(out.trim(), "option.gen");
}
