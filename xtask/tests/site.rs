//! `cargo xtask site`: the published site, every version of it, rendered from the recorded
//! releases, with each item's history credited to the release that made the change.

use std::path::Path;
use std::process::Output;

mod common;
use common::repo::{commit, edit, git_output, init, workspace_root, write_fixture_spec, xtask};
use common::text;

fn ok(out: Output) -> String {
    let s = text(&out);
    assert!(out.status.success(), "expected success:\n{s}");
    s
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The row of field `name` in a page's field table, up to the next row.
fn field_row<'a>(page: &'a str, name: &str) -> &'a str {
    let start = page
        .find(&format!("<tr id=\"field-{name}\""))
        .unwrap_or_else(|| panic!("no row for {name}"));
    let rest = &page[start..];
    let end = rest[1..].find("<tr").map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

/// Regenerates the changelog and outputs, commits, and records the release without a tag.
fn release(repo: &Path, message: &str) {
    ok(xtask(repo, &["changelog"]));
    ok(xtask(repo, &["codegen"]));
    commit(repo, message);
    ok(xtask(repo, &["release", "--no-tag"]));
}

fn set_version(repo: &Path, from: &str, to: &str) {
    edit(
        repo,
        "spec.yaml",
        &format!("version: {from}"),
        &format!("version: {to}"),
    );
}

#[test]
fn every_version_is_published_with_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    write_fixture_spec(repo);
    ok(xtask(repo, &["changelog"]));
    ok(xtask(repo, &["codegen"]));
    init(repo, "spec 1.2.0");
    ok(xtask(repo, &["release", "--no-tag"]));

    // 2.0.0: a field becomes optional (breaking), one is added.
    edit(
        repo,
        "widgets.yaml",
        "created_at: { type: datetime, description: Creation time. }",
        "created_at: { type: datetime, optional: true, description: Creation time. }",
    );
    edit(
        repo,
        "widgets.yaml",
        "      ratio:",
        "      weight: { type: number, optional: true, description: Weight. }\n      ratio:",
    );
    set_version(repo, "1.2.0", "2.0.0");
    release(repo, "spec 2.0.0");

    // Unreleased 3.0.0: a type changes, and an enum type is added.
    edit(
        repo,
        "widgets.yaml",
        "size: { type: integer,",
        "size: { type: number,",
    );
    edit(
        repo,
        "widgets.yaml",
        "      ratio:",
        "      shade:\n        optional: true\n        description: Shade.\n        values:\n          light: Light.\n      ratio:",
    );
    set_version(repo, "2.0.0", "3.0.0");
    ok(xtask(repo, &["changelog"]));
    ok(xtask(repo, &["codegen"]));
    commit(repo, "spec 3.0.0");

    let site = repo.join("site");
    let said = ok(xtask(repo, &["site", "--out", "site"]));
    assert!(said.contains("next/"), "{said}");

    // The root is the newest release; the unreleased spec is under next/, clearly marked.
    let root = read(&site.join("index.html"));
    assert!(
        root.contains("<title>Mini events v2.0.0 (released)</title>"),
        "{root}"
    );
    assert!(!root.contains("callout-unreleased"));
    let next = read(&site.join("next/index.html"));
    assert!(next.contains("<title>Mini events v3.0.0 (unreleased)</title>"));
    assert!(next.contains("callout-unreleased"));
    for v in ["v1.2.0", "v2.0.0"] {
        assert!(
            site.join(v).join("index.html").is_file(),
            "{v}/ is published"
        );
    }

    // Each badge names the release that made the change.
    let page = "resources/widget.html";
    let first = read(&site.join("v1.2.0").join(page));
    let row = field_row(&first, "created_at");
    assert!(
        row.contains("tag-required") && !row.contains("since"),
        "{row}"
    );
    assert!(!first.contains("field-weight"));
    let newest = read(&site.join(page));
    let row = field_row(&newest, "created_at");
    assert!(row.contains("optional since 2.0.0"), "{row}");
    assert!(field_row(&newest, "weight").contains("added in 2.0.0"));
    assert!(!field_row(&newest, "size").contains("type changed"));
    let unreleased = read(&site.join("next").join(page));
    assert!(field_row(&unreleased, "size").contains("type changed in 3.0.0"));
    assert!(field_row(&unreleased, "created_at").contains("optional since 2.0.0"));

    // The changelog links each change to the page of the thing changed, where the version has it.
    let changelog = read(&site.join("next/changelog.html"));
    assert!(
        changelog.contains(
            "<a href=\"resources/widget.html#field-created_at\">field Widget.created_at</a>: made optional"
        ),
        "{changelog}"
    );
    assert!(
        changelog.contains("<a href=\"resources/widget.html#field-size\">field Widget.size</a>")
    );

    // The switcher links each page to the same page in every version.
    for v in ["next", "v2.0.0"] {
        assert!(
            first.contains(&format!("href=\"../../{v}/{page}\"")),
            "v1.2.0 links to {v}"
        );
    }
    assert!(newest.contains(&format!("href=\"../next/{page}\"")));
    assert!(newest.contains(&format!(
        "href=\"../v2.0.0/{page}\" aria-current=\"page\">2.0.0 (latest release)</a>"
    )));

    // A page the other versions lack links to their index.
    let added = read(&site.join("next/types/widget_shade.html"));
    assert!(
        added.contains("href=\"../../v2.0.0/index.html\""),
        "{added}"
    );

    // The records are files of the tree: a `--depth 1` clone builds the same site.
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.display());
    let cloned = git_output(clones.path(), &["clone", "-q", "--depth", "1", &url, "c"]);
    assert!(cloned.status.success(), "{}", text(&cloned));
    let clone = clones.path().join("c");
    ok(xtask(&clone, &["site", "--out", "site"]));
    assert_eq!(
        read(&clone.join("site/next").join(page)),
        unreleased,
        "the clone's site is the same"
    );

    // A second run replaces the site; a directory holding something else is refused.
    ok(xtask(repo, &["site", "--out", "site"]));
    let out = xtask(repo, &["site", "--out", "spec"]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(repo.join("spec/spec.yaml").is_file(), "nothing was deleted");
}

/// The case of the issue: on 0.1.0, `task_run.completed`'s `task_id` is required; 0.2.0 made it
/// optional, and says so.
#[test]
fn the_repository_site_shows_task_id_as_each_version_has_it() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    ok(xtask(
        &workspace_root(),
        &["site", "--out", site.to_str().unwrap()],
    ));
    let page = "events/task_run.completed.html";
    let old = read(&site.join("v0.1.0").join(page));
    let row = field_row(&old, "task_id");
    assert!(
        row.contains("tag-required") && !row.contains("optional since"),
        "{row}"
    );
    let current = read(&site.join("next").join(page));
    let row = field_row(&current, "task_id");
    assert!(row.contains("optional since 0.2.0"), "{row}");
    let root = read(&site.join(page));
    assert!(root.contains("v0.1.0 (released)"), "the root is 0.1.0");
    assert!(field_row(&root, "task_id").contains("tag-required"));
}
