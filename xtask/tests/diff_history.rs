//! `cargo xtask diff` and `changelog` against a real git history: a temporary repository with
//! two commits of a spec.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{text, xtask};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/minimal")
}

fn git(repo: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn edit(repo: &Path, file: &str, from: &str, to: &str) {
    let path = repo.join("spec").join(file);
    let s = std::fs::read_to_string(&path).unwrap();
    assert_eq!(s.matches(from).count(), 1, "{from:?}");
    std::fs::write(&path, s.replacen(from, to, 1)).unwrap();
}

/// A repository whose first commit is the fixture spec at version 1.2.0.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    std::fs::create_dir_all(repo.join("spec")).unwrap();
    for f in ["spec.yaml", "widgets.yaml"] {
        std::fs::copy(fixture_dir().join(f), repo.join("spec").join(f)).unwrap();
    }
    git(repo, &["init", "-q", "-b", "main"]);
    git(
        repo,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "add",
            ".",
        ],
    );
    git(
        repo,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qm",
            "spec 1.2.0",
        ],
    );
    dir
}

fn commit(repo: &Path, msg: &str) {
    git(repo, &["add", "."]);
    git(
        repo,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qm",
            msg,
        ],
    );
}

#[test]
fn diff_against_a_commit_reports_the_working_tree_changes() {
    let dir = repo();
    let repo = dir.path();
    edit(
        repo,
        "widgets.yaml",
        "size: { type: integer,",
        "size: { type: number,",
    );
    let out = xtask(repo, &["diff", "--base", "HEAD"]);
    let s = text(&out);
    assert!(out.status.success(), "{s}");
    assert!(s.contains("breaking (1)"), "{s}");
    assert!(
        s.contains(
            "field Widget.size: type changed from `integer` to `number` [breaks wire and Rust API]"
        ),
        "{s}"
    );
    assert!(!s.contains("\x1b["), "no colour when piped: {s}");

    let out = xtask(repo, &["diff", "--base", "HEAD", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["impact"], "breaking");
    assert_eq!(json["required_bump"], "major");
    assert_eq!(json["changes"][0]["subject"], "field Widget.size");
    assert_eq!(json["changes"][0]["breaks_rust"], true);
}

#[test]
fn check_enforces_the_version_bump_across_commits() {
    let dir = repo();
    let repo = dir.path();
    // First release: nothing to compare with.
    let out = xtask(repo, &["diff", "--check"]);
    assert!(out.status.success(), "{}", text(&out));

    // Second commit: a version bump to 1.3.0 with an added enum value (compatible): passes.
    edit(
        repo,
        "widgets.yaml",
        "          active: In use.\n",
        "          active: In use.\n          retired: No longer in use.\n",
    );
    edit(repo, "spec.yaml", "version: 1.2.0", "version: 1.3.0");
    commit(repo, "spec 1.3.0");
    let out = xtask(repo, &["diff", "--check"]);
    assert!(out.status.success(), "{}", text(&out));

    // A breaking change on top of 1.3.0, compared with the last commit at another version
    // (1.2.0): 1.3.0 is not enough.
    edit(
        repo,
        "widgets.yaml",
        "size: { type: integer,",
        "size: { type: number,",
    );
    let out = xtask(repo, &["diff", "--check"]);
    let s = text(&out);
    assert!(!out.status.success(), "{s}");
    assert!(
        s.contains("at least 2.0.0") && s.contains("spec.yaml"),
        "{s}"
    );

    // Bumping the major version fixes it.
    edit(repo, "spec.yaml", "version: 1.3.0", "version: 2.0.0");
    let out = xtask(repo, &["diff", "--check"]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn changelog_has_a_section_per_release() {
    let dir = repo();
    let repo = dir.path();
    edit(
        repo,
        "widgets.yaml",
        "          active: In use.\n",
        "          active: In use.\n          retired: No longer in use.\n",
    );
    edit(repo, "spec.yaml", "version: 1.2.0", "version: 1.3.0");
    commit(repo, "spec 1.3.0");
    let out = xtask(repo, &["changelog"]);
    assert!(out.status.success(), "{}", text(&out));
    let log = std::fs::read_to_string(repo.join("spec/CHANGELOG.md")).unwrap();
    let newest = log.find("## 1.3.0").expect("1.3.0 section");
    let oldest = log.find("## 1.2.0").expect("1.2.0 section");
    assert!(newest < oldest, "newest first:\n{log}");
    assert!(log.contains("value WidgetStatus.retired: added"), "{log}");
    // Check mode agrees once written, and fails after a further edit.
    assert!(xtask(repo, &["changelog", "--check"]).status.success());
    edit(repo, "widgets.yaml", "Size in bytes.", "Bytes.");
    assert!(!xtask(repo, &["changelog", "--check"]).status.success());
}
