//! `cargo xtask codegen`: the checked-in output is current, `--check` catches every kind of
//! drift, and a rejected spec changes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;
use common::repo::{copy_dir, workspace_root};
use common::{text, xtask};

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A copy of the repository's spec, recorded releases and generated output in a temporary root.
fn sandbox() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["spec", "generated", "releases"] {
        copy_dir(&workspace_root().join(sub), &dir.path().join(sub));
    }
    dir
}

#[test]
fn checked_in_output_is_what_the_spec_produces() {
    let out = xtask(&workspace_root(), &["codegen", "--check"]);
    assert!(
        out.status.success(),
        "generated/ is stale; run `cargo xtask codegen`:\n{}",
        text(&out)
    );
}

#[test]
fn check_fails_on_a_hand_edited_file_and_regeneration_fixes_it() {
    let dir = sandbox();
    let root = dir.path();
    let lib = root.join("generated/src/types.rs");
    let original = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, original.replacen("pub struct", "pub  struct", 1)).unwrap();
    let out = xtask(root, &["codegen", "--check"]);
    let s = text(&out);
    assert!(!out.status.success(), "{s}");
    assert!(s.contains("types.rs differs"), "{s}");
    assert!(
        s.contains("-pub  struct") && s.contains("+pub struct"),
        "a unified diff: {s}"
    );
    assert!(s.contains("run `cargo xtask codegen`"), "{s}");
    // Check mode wrote nothing.
    assert_ne!(std::fs::read_to_string(&lib).unwrap(), original);

    assert!(xtask(root, &["codegen"]).status.success());
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), original);
    assert!(xtask(root, &["codegen", "--check"]).status.success());
}

#[test]
fn check_fails_on_a_spec_edit_without_regeneration() {
    let dir = sandbox();
    let root = dir.path();
    let spec = root.join("spec/agent.yaml");
    let text_before = std::fs::read_to_string(&spec).unwrap();
    // Change one event description in a way that cannot break YAML.
    let edited = text_before.replacen("An agent is created.", "An agent was created.", 1);
    assert_ne!(edited, text_before, "the edit applies");
    std::fs::write(&spec, edited).unwrap();
    let out = xtask(root, &["codegen", "--check"]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(xtask(root, &["codegen"]).status.success());
    let out = xtask(root, &["codegen", "--check"]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn stale_files_are_reported_then_removed() {
    let dir = sandbox();
    let root = dir.path();
    let stale = root.join("generated/src/removed_event.rs");
    std::fs::write(&stale, "// left over\n").unwrap();
    let out = xtask(root, &["codegen", "--check"]);
    let s = text(&out);
    assert!(
        !out.status.success() && s.contains("removed_event.rs is no longer produced"),
        "{s}"
    );
    assert!(xtask(root, &["codegen"]).status.success());
    assert!(!stale.exists());
}

#[test]
fn a_rejected_spec_changes_nothing() {
    let dir = sandbox();
    let root = dir.path();
    let before = snapshot(&root.join("generated"));
    let spec = root.join("spec/task_run.yaml");
    let s = std::fs::read_to_string(&spec).unwrap();
    // One mistake that only the checker finds (the YAML stays valid).
    std::fs::write(&spec, s.replacen("type: TaskRunId", "type: TaskRunID", 1)).unwrap();
    let out = xtask(root, &["codegen"]);
    let msg = text(&out);
    assert!(!out.status.success(), "{msg}");
    assert!(
        msg.contains("spec/task_run.yaml:") && msg.contains("unknown type `TaskRunID`"),
        "{msg}"
    );
    assert!(msg.contains("did you mean `TaskRunId`?"), "{msg}");
    assert_eq!(
        snapshot(&root.join("generated")),
        before,
        "generated/ must be untouched"
    );
}

#[test]
fn output_is_byte_identical_from_run_to_run() {
    let a = codegen::generate_dir(&workspace_root().join("spec")).unwrap();
    let b = codegen::generate_dir(&workspace_root().join("spec")).unwrap();
    assert_eq!(a, b);
    for (path, text) in a.files() {
        assert!(
            !text.contains(&*workspace_root().to_string_lossy()),
            "{path} contains an absolute path"
        );
    }
}

#[test]
fn the_key_reference_of_the_spec_readme_is_checked_and_rewritten() {
    let dir = sandbox();
    let root = dir.path();
    let readme = root.join("spec/README.md");
    let original = std::fs::read_to_string(&readme).unwrap();
    let start = codegen::emit::spec_format::README_START;
    let edited = original.replacen(
        start,
        &format!("{start}\n| `hand_edited` | text |  | x |"),
        1,
    );
    assert_ne!(edited, original, "the edit applies");
    std::fs::write(&readme, &edited).unwrap();

    let out = xtask(root, &["codegen", "--check"]);
    let s = text(&out);
    assert!(!out.status.success(), "{s}");
    assert!(
        s.contains("README.md is out of date") && s.contains("run `cargo xtask codegen`"),
        "{s}"
    );
    assert_eq!(
        std::fs::read_to_string(&readme).unwrap(),
        edited,
        "check mode wrote nothing"
    );

    assert!(xtask(root, &["codegen"]).status.success());
    assert_eq!(std::fs::read_to_string(&readme).unwrap(), original);
    assert!(xtask(root, &["codegen", "--check"]).status.success());
}
