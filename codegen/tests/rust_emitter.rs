//! The Rust emitter on the catalogs of the test suite: the output is deterministic and well-formed,
//! and the crate it renders builds, passes its own tests, clippy and rustdoc with warnings denied
//! (with every cargo feature on, `fixtures` included), and works as a path dependency of a crate
//! outside this workspace (with its default features).

mod support;

#[test]
fn output_is_deterministic_and_headed() {
    let spec = support::repo_root().join("codegen/tests/fixtures/features");
    let model = codegen::load_dir(&spec).unwrap_or_else(|d| panic!("{d}"));
    let first = codegen::emit::all(&model);
    let second = codegen::emit::all(&model);
    assert_eq!(first, second);
    for (path, text) in first.files() {
        if path.ends_with(".rs") {
            assert!(
                text.starts_with(codegen::emit::rust::HEADER),
                "{path} lacks the header"
            );
            assert!(
                !text.contains(&*support::repo_root().to_string_lossy()),
                "{path} holds an absolute path"
            );
        }
    }
    let lib = first.get("src/lib.rs").unwrap();
    assert!(lib.contains("#[rustfmt::skip]\nmod event;"));
}

/// A catalog of the test suite through the real loader: its crate, written outside this
/// workspace as a standalone crate, builds, passes its own generated tests (every example decodes
/// and encodes back to the crate's canonical form, summaries decode, malformed input is an error),
/// clippy, rustdoc and rustfmt with warnings denied, and serves a consumer crate.
fn fixture_crate_builds_and_passes_its_tests(fixture: &str) {
    let spec = support::repo_root()
        .join("codegen/tests/fixtures")
        .join(fixture);
    let model = codegen::load_dir(&spec).unwrap_or_else(|d| panic!("{d}"));
    let outputs = codegen::emit::all(&model);
    let dir = support::repo_root()
        .join("target")
        .join("tmp")
        .join(format!("{fixture}-crate"));
    support::write_workspace(
        &dir,
        &outputs,
        &model.package.lib_name,
        &model.events[0].examples[0].text,
    );
    support::cargo(&dir, &["test", "--workspace", "--all-features", "--quiet"]);
    support::cargo(
        &dir,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    );
    support::cargo(
        &dir,
        &[
            "doc",
            "--no-deps",
            "-p",
            &model.package.name,
            "--all-features",
            "--quiet",
        ],
    );
    support::cargo(&dir, &["fmt", "--all", "--check"]);
    let out = support::cargo(&dir, &["run", "--quiet", "-p", "consumer"]);
    assert_eq!(out.trim(), model.events[0].name);
}

/// The `keywords` fixture: every Rust keyword and prelude name as a type, field, enum value and
/// event name.
#[test]
fn keywords_fixture_crate_builds_and_passes_its_tests() {
    fixture_crate_builds_and_passes_its_tests("keywords");
}

/// The `features` fixture: every feature of the spec format (keywords as resource and action
/// names, enum values with digits and dashes, maps, arrays of objects, nested inline objects,
/// `json`, `number`, `url`, `deprecated`, `since`, no signing, timestamps with offsets and
/// fractions). Any spec the checker accepts must give a crate whose own tests pass.
#[test]
fn features_fixture_crate_builds_and_passes_its_tests() {
    fixture_crate_builds_and_passes_its_tests("features");
}
