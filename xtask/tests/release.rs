//! `cargo xtask release` and the semver gate against recorded releases, in temporary git
//! repositories holding the minimal fixture spec, in full and in `--depth 1` clones.

use std::path::Path;
use std::process::Output;

mod common;
use common::repo::{commit, edit, git, git_output, init, status, write_fixture_spec, xtask};
use common::text;

fn ok(out: Output) -> String {
    let s = text(&out);
    assert!(out.status.success(), "expected success:\n{s}");
    s
}

fn fails(out: Output) -> String {
    let s = text(&out);
    assert!(!out.status.success(), "expected failure:\n{s}");
    s
}

/// What a maintainer does before releasing: regenerate the changelog and the outputs, commit.
fn prepare(repo: &Path, message: &str) {
    ok(xtask(repo, &["changelog"]));
    ok(xtask(repo, &["codegen"]));
    commit(repo, message);
}

/// A repository with the fixture spec at 1.2.0, its changelog and generated output, committed;
/// nothing released.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    write_fixture_spec(repo);
    ok(xtask(repo, &["changelog"]));
    ok(xtask(repo, &["codegen"]));
    init(repo, "spec 1.2.0");
    dir
}

fn head(repo: &Path) -> String {
    git(repo, &["rev-parse", "HEAD"])
}

fn tags(repo: &Path) -> String {
    git(repo, &["tag", "--list"])
}

/// The message of an annotated tag.
fn tag_message(repo: &Path, tag: &str) -> String {
    assert_eq!(
        git(repo, &["cat-file", "-t", tag]).trim(),
        "tag",
        "{tag} is an annotated tag"
    );
    git(repo, &["tag", "--list", "--format=%(contents)", tag])
}

/// A breaking edit: a field's type changes.
fn change_size_type(repo: &Path) {
    edit(
        repo,
        "widgets.yaml",
        "size: { type: integer,",
        "size: { type: number,",
    );
}

/// A compatible edit: an enum value is added.
fn add_enum_value(repo: &Path) {
    edit(
        repo,
        "widgets.yaml",
        "          active: In use.\n",
        "          active: In use.\n          retired: No longer in use.\n",
    );
}

fn set_version(repo: &Path, from: &str, to: &str) {
    edit(
        repo,
        "spec.yaml",
        &format!("version: {from}"),
        &format!("version: {to}"),
    );
}

/// A `--depth 1` clone of `repo`, with its tags, in a new temporary directory.
fn shallow_clone(repo: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.display());
    let out = git_output(dir.path(), &["clone", "-q", "--depth", "1", &url, "clone"]);
    assert!(out.status.success(), "{}", text(&out));
    let clone = dir.path().join("clone");
    assert_eq!(
        git(&clone, &["rev-list", "--count", "HEAD"]).trim(),
        "1",
        "the clone has one commit of history"
    );
    dir
}

#[test]
fn release_refuses_a_dirty_tree_and_changes_nothing() {
    let dir = repo();
    let repo = dir.path();
    let before = head(repo);

    std::fs::write(repo.join("notes.txt"), "draft\n").unwrap();
    let s = fails(xtask(repo, &["release"]));
    assert!(
        s.contains("uncommitted changes") && s.contains("notes.txt"),
        "{s}"
    );
    std::fs::remove_file(repo.join("notes.txt")).unwrap();

    edit(repo, "widgets.yaml", "A widget.", "A small widget.");
    let s = fails(xtask(repo, &["release"]));
    assert!(s.contains("spec/widgets.yaml"), "{s}");

    assert_eq!(head(repo), before, "no commit");
    assert_eq!(tags(repo), "", "no tag");
    assert!(!repo.join("releases").exists(), "no record");
    assert_eq!(
        status(repo),
        " M spec/widgets.yaml\n",
        "only the user's own edit"
    );
}

#[test]
fn release_refuses_stale_generated_output_and_a_stale_changelog() {
    let dir = repo();
    let repo = dir.path();

    // A hand edit of generated/, committed, so the tree is clean but not what the spec produces.
    let lib = repo.join("generated/src/lib.rs");
    let original = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("{original}// edited by hand\n")).unwrap();
    commit(repo, "hand edit");
    let s = fails(xtask(repo, &["release"]));
    assert!(
        s.contains("generated is not what the spec produces") && s.contains("lib.rs differs"),
        "{s}"
    );
    assert!(s.contains("run `cargo xtask codegen`"), "{s}");
    assert_eq!(tags(repo), "");
    assert!(!repo.join("releases").exists());
    std::fs::write(&lib, original).unwrap();
    commit(repo, "undo the hand edit");
    ok(xtask(repo, &["release"]));

    // The next version committed with its output but without its changelog.
    add_enum_value(repo);
    set_version(repo, "1.2.0", "1.3.0");
    ok(xtask(repo, &["codegen"]));
    commit(repo, "spec 1.3.0");
    let before = head(repo);
    let s = fails(xtask(repo, &["release"]));
    assert!(
        s.contains("CHANGELOG.md is out of date") && s.contains("cargo xtask changelog"),
        "{s}"
    );
    assert_eq!(tags(repo), "v1.2.0\n");
    assert!(!repo.join("releases/1.3.0").exists());
    assert_eq!(head(repo), before);
    assert_eq!(status(repo), "");
}

#[test]
fn release_records_commits_and_tags() {
    let dir = repo();
    let repo = dir.path();
    let log = std::fs::read_to_string(repo.join("spec/CHANGELOG.md")).unwrap();
    assert!(log.contains("## Unreleased (1.2.0)"), "{log}");

    let s = ok(xtask(repo, &["release"]));
    assert!(
        s.contains("released mini-events 1.2.0") && s.contains("tagged v1.2.0"),
        "{s}"
    );
    assert!(s.contains("git push origin HEAD v1.2.0"), "{s}");

    // The record is the spec, byte for byte.
    for f in ["spec.yaml", "widgets.yaml"] {
        assert_eq!(
            std::fs::read(repo.join("releases/1.2.0").join(f)).unwrap(),
            std::fs::read(repo.join("spec").join(f)).unwrap(),
            "{f}"
        );
    }
    // The changelog now names the release, in the spec directory, the crate and the docs.
    let log = std::fs::read_to_string(repo.join("spec/CHANGELOG.md")).unwrap();
    assert!(
        log.contains("## 1.2.0\n") && !log.contains("Unreleased"),
        "{log}"
    );
    assert_eq!(
        std::fs::read_to_string(repo.join("generated/CHANGELOG.md")).unwrap(),
        log
    );
    let page = std::fs::read_to_string(repo.join("generated/docs/changelog.html")).unwrap();
    assert!(!page.contains("Unreleased"), "{page}");

    // Committed, and the tag is on that commit with the version's changelog section.
    assert_eq!(status(repo), "", "everything is committed");
    assert_eq!(
        git(repo, &["log", "-1", "--format=%s"]).trim(),
        "Release mini-events 1.2.0"
    );
    assert_eq!(
        git(repo, &["rev-parse", "v1.2.0^{commit}"]),
        head(repo),
        "the tag points at the release commit"
    );
    let message = tag_message(repo, "v1.2.0");
    assert!(message.starts_with("mini-events 1.2.0\n\n"), "{message}");
    assert!(
        message.contains("### Additions and deprecations\n\n- spec: added"),
        "the Markdown headings survive: {message}"
    );

    // Every check passes on the released tree; releasing again is refused.
    ok(xtask(repo, &["codegen", "--check"]));
    ok(xtask(repo, &["changelog", "--check"]));
    let s = ok(xtask(repo, &["diff", "--check"]));
    assert!(s.contains("the spec is release 1.2.0, unchanged"), "{s}");
    let s = fails(xtask(repo, &["release"]));
    assert!(
        s.contains("1.2.0 is already released") && s.contains("tag v1.2.0"),
        "{s}"
    );

    // `--base` still compares with any revision, records and all.
    change_size_type(repo);
    let s = ok(xtask(repo, &["diff", "--base", "HEAD~1"]));
    assert!(s.contains("field Widget.size: type changed"), "{s}");
}

#[test]
fn a_release_recorded_without_a_tag_is_tagged_later() {
    let dir = repo();
    let repo = dir.path();
    let s = ok(xtask(repo, &["release", "--no-tag"]));
    assert!(s.contains("no tag was made"), "{s}");
    assert!(repo.join("releases/1.2.0/spec.yaml").exists());
    assert_eq!(tags(repo), "");
    assert_eq!(status(repo), "");

    // Later, on the commit where the release lands, the same command makes only the tag.
    git(repo, &["commit", "-q", "--allow-empty", "-m", "merge"]);
    let s = ok(xtask(repo, &["release"]));
    assert!(
        s.contains("already recorded") && s.contains("tagged"),
        "{s}"
    );
    assert_eq!(git(repo, &["rev-parse", "v1.2.0^{commit}"]), head(repo));
    assert!(tag_message(repo, "v1.2.0").contains("- spec: added"));
    assert_eq!(status(repo), "");
}

#[test]
fn the_semver_gate_holds_in_full_and_shallow_clones() {
    let dir = repo();
    let repo = dir.path();
    ok(xtask(repo, &["release"]));

    // A breaking edit with the version unchanged fails and names the version to use, in the
    // repository and in a `--depth 1` clone of it.
    let shallow = shallow_clone(repo);
    for root in [repo, &shallow.path().join("clone")] {
        change_size_type(root);
        let s = fails(xtask(root, &["diff", "--check"]));
        assert!(
            s.contains("1.2.0 is already released (releases/1.2.0)")
                && s.contains("`package.version: 2.0.0`"),
            "{s}"
        );
        assert!(s.contains("required version bump: major"), "{s}");
        // A minor bump is too small for a breaking change.
        set_version(root, "1.2.0", "1.3.0");
        let s = fails(xtask(root, &["diff", "--check"]));
        assert!(s.contains("at least 2.0.0"), "{s}");
        set_version(root, "1.3.0", "2.0.0");
        let s = ok(xtask(root, &["diff", "--check"]));
        assert!(
            s.contains("version 2.0.0 is bumped enough from release 1.2.0"),
            "{s}"
        );
    }

    // A further breaking edit after 2.0.0 is committed but not released is folded into 2.0.0.
    prepare(repo, "spec 2.0.0");
    ok(xtask(repo, &["diff", "--check"]));
    // Once 2.0.0 is recorded as released, a second breaking edit fails again.
    ok(xtask(repo, &["release"]));
    let shallow = shallow_clone(repo);
    for root in [repo, &shallow.path().join("clone")] {
        edit(
            root,
            "widgets.yaml",
            "ratio: { type: number, optional: true,",
            "ratio: { type: integer, optional: true,",
        );
        let s = fails(xtask(root, &["diff", "--check"]));
        assert!(
            s.contains("2.0.0 is already released") && s.contains("`package.version: 3.0.0`"),
            "{s}"
        );
    }

    // Changes accumulate against the release, not the last commit: a bump committed for an
    // addition does not cover a breaking change made after it.
    git(repo, &["checkout", "-q", "--", "."]);
    add_enum_value(repo);
    set_version(repo, "2.0.0", "2.1.0");
    prepare(repo, "spec 2.1.0");
    ok(xtask(repo, &["diff", "--check"]));
    edit(
        repo,
        "widgets.yaml",
        "size: { type: number,",
        "size: { type: string,",
    );
    let s = fails(xtask(repo, &["diff", "--check"]));
    assert!(
        s.contains("from 2.0.0 to at least 3.0.0") && s.contains("compared with release 2.0.0"),
        "{s}"
    );
}

#[test]
fn changelog_has_a_section_per_recorded_release_and_one_for_unreleased_changes() {
    let dir = repo();
    let repo = dir.path();
    ok(xtask(repo, &["release"]));
    add_enum_value(repo);
    set_version(repo, "1.2.0", "1.3.0");
    prepare(repo, "spec 1.3.0");
    let log = std::fs::read_to_string(repo.join("spec/CHANGELOG.md")).unwrap();
    assert!(log.contains("## Unreleased (1.3.0)"), "{log}");
    ok(xtask(repo, &["release"]));

    edit(repo, "widgets.yaml", "Size in bytes.", "Bytes.");
    // Not bumped yet: the change is listed, under no version.
    ok(xtask(repo, &["changelog"]));
    let log = std::fs::read_to_string(repo.join("spec/CHANGELOG.md")).unwrap();
    let unreleased = log.find("## Unreleased\n").expect("Unreleased section");
    let newest = log.find("## 1.3.0\n").expect("1.3.0 section");
    let oldest = log.find("## 1.2.0\n").expect("1.2.0 section");
    assert!(
        unreleased < newest && newest < oldest,
        "newest first:\n{log}"
    );
    assert!(
        log[unreleased..newest].contains("field Widget.size: description changed"),
        "{log}"
    );
    assert!(
        log[newest..oldest].contains("value WidgetStatus.retired: added"),
        "{log}"
    );
    assert!(log[oldest..].contains("spec: added"), "{log}");
    assert!(!log[newest..].contains("description changed"), "{log}");

    set_version(repo, "1.3.0", "1.3.1");
    ok(xtask(repo, &["changelog"]));
    let log = std::fs::read_to_string(repo.join("spec/CHANGELOG.md")).unwrap();
    assert!(log.contains("## Unreleased (1.3.1)\n"), "{log}");
    ok(xtask(repo, &["changelog", "--check"]));
    ok(xtask(repo, &["codegen"]));
    commit(repo, "spec 1.3.1");

    // The changelog needs no history: a `--depth 1` clone checks it too.
    let shallow = shallow_clone(repo);
    let clone = shallow.path().join("clone");
    ok(xtask(&clone, &["changelog", "--check"]));
    edit(&clone, "widgets.yaml", "A ratio.", "A proportion.");
    fails(xtask(&clone, &["changelog", "--check"]));
}

#[test]
fn a_malformed_record_is_an_error_not_ignored() {
    let dir = repo();
    let repo = dir.path();
    ok(xtask(repo, &["release"]));

    // A directory that is not a version.
    std::fs::create_dir_all(repo.join("releases/latest")).unwrap();
    let s = fails(xtask(repo, &["diff", "--check"]));
    assert!(
        s.contains("releases/latest is not a recorded release"),
        "{s}"
    );
    std::fs::remove_dir(repo.join("releases/latest")).unwrap();

    // A record whose spec holds another version than its name.
    let record = repo.join("releases/1.2.0/spec.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, text.replace("version: 1.2.0", "version: 1.1.0")).unwrap();
    let s = fails(xtask(repo, &["diff", "--check"]));
    assert!(
        s.contains("releases/1.2.0/spec.yaml says `version: 1.1.0`"),
        "{s}"
    );

    // A record that does not load names its file and line.
    std::fs::write(
        &record,
        text.replace("title: Mini events", "titel: Mini events"),
    )
    .unwrap();
    let s = fails(xtask(repo, &["changelog", "--check"]));
    assert!(
        s.contains("the recorded release 1.2.0 does not load")
            && s.contains("releases/1.2.0/spec.yaml:4:"),
        "{s}"
    );
}

#[test]
fn a_release_whose_commit_fails_leaves_the_tree_as_it_was() {
    let dir = repo();
    let repo = dir.path();
    let before = head(repo);
    let changelog = std::fs::read_to_string(repo.join("spec/CHANGELOG.md")).unwrap();
    // A hook that rejects every commit, as a repository's policy might.
    let hook = repo.join(".git/hooks/pre-commit");
    std::fs::write(&hook, "#!/bin/sh\necho 'commits are frozen' >&2\nexit 1\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    let s = fails(xtask(repo, &["release"]));
    assert!(
        s.contains("commits are frozen") && s.contains("nothing was released"),
        "{s}"
    );
    assert_eq!(head(repo), before);
    assert_eq!(tags(repo), "");
    assert_eq!(
        status(repo),
        "",
        "no record, no rewritten changelog or output"
    );
    assert!(!repo.join("releases").exists());
    assert_eq!(
        std::fs::read_to_string(repo.join("spec/CHANGELOG.md")).unwrap(),
        changelog
    );
}
