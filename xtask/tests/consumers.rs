//! What consumers of a release get: a crate outside this workspace that depends on a release tag
//! through a `file://` git URL builds and runs against it, and the generated crate packages with
//! all its files and its registry metadata.
//!
//! Both build with cargo in directories under this crate's target temp dir that are kept between
//! runs, so the consumer's dependencies are compiled once, not on every run; the release
//! repository is committed with fixed dates, so its tag has the same commit id as long as the
//! spec does not change, and cargo reuses its checkout too.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::repo::{commit, copy_dir, init, workspace_root, xtask};
use common::text;

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn scratch(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// The version of the spec in this repository: the release a clone of it would tag.
fn spec_version() -> String {
    codegen::load_dir(&workspace_root().join("spec"))
        .unwrap_or_else(|d| panic!("{d}"))
        .package
        .version
        .to_string()
}

#[test]
fn a_consumer_builds_against_a_release_tag_over_git() {
    let base = scratch("consumer-by-tag");
    let repo = base.join("repo");
    let _ = std::fs::remove_dir_all(&repo);
    for dir in ["spec", "generated", "releases"] {
        // Before the first release there is no `releases/`, and `release` records one.
        if workspace_root().join(dir).exists() {
            copy_dir(&workspace_root().join(dir), &repo.join(dir));
        }
    }
    init(&repo, "deck-events");
    let out = xtask(&repo, &["release"]);
    assert!(out.status.success(), "{}", text(&out));
    let tag = format!("v{}", spec_version());

    // A later commit on the branch that does not build: the consumer must get the tag.
    let lib = repo.join("generated/src/lib.rs");
    let mut src = std::fs::read_to_string(&lib).unwrap();
    src.push_str("compile_error!(\"this commit is not the release\");\n");
    std::fs::write(&lib, src).unwrap();
    commit(&repo, "work after the release");

    // The consumer decodes and verifies the spec's own example of a completed task run.
    let schema = workspace_root().join("generated/schemas/events/task_run.completed.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema).unwrap()).unwrap();
    let example = serde_json::to_string(&schema["examples"][0]).unwrap();
    let run_id = schema["examples"][0]["data"]["id"].as_str().unwrap();

    let consumer = base.join("consumer");
    std::fs::create_dir_all(consumer.join("src")).unwrap();
    std::fs::write(
        consumer.join("Cargo.toml"),
        format!(
            r#"[package]
name = "consumer"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
deck-events = {{ git = "file://{}", tag = "{tag}" }}
serde_json = "1"

# Not a member of the workspace this directory happens to sit in.
[workspace]
"#,
            repo.display()
        ),
    )
    .unwrap();
    std::fs::write(
        consumer.join("src/main.rs"),
        format!(
            r####"use std::time::{{SystemTime, UNIX_EPOCH}};

use deck_events::signing::{{Headers, Secret, Signer, Verifier}};
use deck_events::{{Event, EventData}};

fn main() {{
    let body = r###"{example}"###;
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let signature = Signer::new(Secret::parse(secret).unwrap()).sign("msg_1", now, body.as_bytes());
    let timestamp = now.to_string();
    let headers = Headers {{ id: "msg_1", timestamp: &timestamp, signature: &signature }};
    let verifier = Verifier::new(Secret::parse(secret).unwrap());
    let event: Event = verifier.verify_and_parse(&headers, body.as_bytes()).unwrap();
    match &event.data {{
        EventData::TaskRunCompleted(run) => println!("completed {{}}", run.id),
        other => panic!("unexpected {{}}", other.event_type()),
    }}
    let _ = serde_json::to_value(&event).unwrap();
}}
"####
        ),
    )
    .unwrap();
    // The workspace's lockfile pins the registry dependencies to the versions this workspace
    // already downloaded; cargo drops what the consumer does not use and adds the git source.
    std::fs::copy(
        workspace_root().join("Cargo.lock"),
        consumer.join("Cargo.lock"),
    )
    .unwrap();

    let out = cargo()
        .args(["run", "--quiet", "--manifest-path"])
        .arg(consumer.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(base.join("target"))
        .output()
        .expect("cargo runs");
    let s = text(&out);
    assert!(out.status.success(), "the consumer builds and runs:\n{s}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("completed {run_id}")
    );
    let lock = std::fs::read_to_string(consumer.join("Cargo.lock")).unwrap();
    assert!(
        lock.contains(&format!("?tag={tag}#")),
        "locked to the tag:\n{lock}"
    );
}

#[test]
fn the_generated_crate_packages_with_its_files_and_metadata() {
    let target = scratch("package");
    let version = spec_version();
    let _ = std::fs::remove_dir_all(target.join("package"));
    let out = cargo()
        .current_dir(workspace_root())
        .args([
            "package",
            "--package",
            "deck-events",
            "--no-verify",
            "--allow-dirty",
            "--target-dir",
        ])
        .arg(&target)
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("warning: manifest has no"),
        "the metadata is complete:\n{stderr}"
    );

    let archive = target.join(format!("package/deck-events-{version}.crate"));
    let archive = archive.to_str().expect("a UTF-8 path");
    let prefix = format!("deck-events-{version}/");
    let tar = |args: &[&str]| {
        let out = Command::new("tar").args(args).output().expect("tar runs");
        assert!(out.status.success(), "{}", text(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    let packaged: BTreeSet<String> = tar(&["-tzf", archive])
        .lines()
        .filter(|l| !l.ends_with('/'))
        .map(|l| l.strip_prefix(&prefix).unwrap_or(l).to_string())
        .collect();

    // Every generated file is in the package, and only what cargo adds besides, except the spec
    // format's schemas: they serve the spec's editors, not the crate's users.
    let mut expected = BTreeSet::new();
    list_files(
        &workspace_root().join("generated"),
        Path::new(""),
        &mut expected,
    );
    expected.retain(|path| !path.starts_with("spec-schema/"));
    for added in [".cargo_vcs_info.json", "Cargo.lock", "Cargo.toml.orig"] {
        expected.insert(added.to_string());
    }
    let missing: Vec<_> = expected.difference(&packaged).collect();
    let extra: Vec<_> = packaged.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing from the package: {missing:?}\nunexpected in it: {extra:?}"
    );
    for file in [
        "README.md",
        "CHANGELOG.md",
        "src/lib.rs",
        "schemas/envelope.schema.json",
        "docs/index.html",
    ] {
        assert!(packaged.contains(file), "{file}");
    }

    let manifest = tar(&["-xzOf", archive, &format!("{prefix}Cargo.toml")]);
    for line in [
        "license = \"MIT OR Apache-2.0\"",
        "repository = \"https://github.com/deck-co/deck-events\"",
        "description = ",
    ] {
        assert!(manifest.contains(line), "{line} in\n{manifest}");
    }
}

fn list_files(dir: &Path, rel: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if entry.file_type().unwrap().is_dir() {
            if name != "target" {
                list_files(&entry.path(), &rel.join(&name), out);
            }
        } else {
            out.insert(rel.join(&name).to_string_lossy().replace('\\', "/"));
        }
    }
}
