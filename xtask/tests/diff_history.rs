//! `cargo xtask diff --base REV` against a real git history: a temporary repository with a
//! commit of a spec and an edit on top.

mod common;
use common::repo::{edit, init, write_fixture_spec, xtask};
use common::text;

/// A repository whose first commit is the fixture spec at version 1.2.0.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    write_fixture_spec(repo);
    init(repo, "spec 1.2.0");
    dir
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

    // `--check` with `--base` judges the version against that revision's.
    let out = xtask(repo, &["diff", "--base", "HEAD", "--check"]);
    let s = text(&out);
    assert!(!out.status.success(), "{s}");
    assert!(s.contains("at least 2.0.0"), "{s}");
}

#[test]
fn without_a_recorded_release_check_has_nothing_to_compare() {
    let dir = repo();
    let repo = dir.path();
    edit(
        repo,
        "widgets.yaml",
        "size: { type: integer,",
        "size: { type: number,",
    );
    let out = xtask(repo, &["diff", "--check"]);
    let s = text(&out);
    assert!(out.status.success(), "{s}");
    assert!(s.contains("no release is recorded in releases"), "{s}");
}
