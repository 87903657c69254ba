//! `cargo xtask diff` and `cargo xtask changelog`: the spec's changes between git revisions.
//!
//! The spec at a revision is read with `git ls-tree` and `git show`, never by checking anything
//! out, so the working tree is untouched and uncommitted edits are compared as they are.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::process::Command;

use codegen::diff::{self, Impact, Report};
use codegen::model::{Model, Version};

/// Runs git in `root`; stdout on success, a message with git's stderr otherwise.
pub fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The spec files at `rev` (relative to `spec_rel`), or `None` if the spec did not exist there.
pub fn spec_files_at(
    root: &Path,
    rev: &str,
    spec_rel: &str,
) -> Result<Option<BTreeMap<String, String>>, String> {
    let prefix = format!("{}/", spec_rel.trim_end_matches('/'));
    let listing = git(root, &["ls-tree", "-r", "--name-only", rev, "--", &prefix])?;
    let mut files = BTreeMap::new();
    for path in listing.lines() {
        if !(path.ends_with(".yaml") || path.ends_with(".yml")) {
            continue;
        }
        let text = git(root, &["show", &format!("{rev}:{path}")])?;
        files.insert(path.strip_prefix(&prefix).unwrap_or(path).to_string(), text);
    }
    Ok((!files.is_empty()).then_some(files))
}

/// Loads the spec at `rev`; a spec that does not load there is an error naming the revision.
pub fn model_at(root: &Path, rev: &str, spec_rel: &str) -> Result<Option<Model>, String> {
    let Some(files) = spec_files_at(root, rev, spec_rel)? else {
        return Ok(None);
    };
    codegen::load_files(&files).map(Some).map_err(|d| {
        format!(
            "the spec at {rev} does not load:\n{}",
            d.with_file_prefix(&format!("{rev}:{spec_rel}"))
        )
    })
}

/// The default base: the merge base with `main`, or `HEAD` when there is none (on `main` itself,
/// or in a clone without a `main` branch).
pub fn default_base(root: &Path) -> String {
    for main in ["main", "origin/main"] {
        if let Ok(base) = git(root, &["merge-base", "HEAD", main]) {
            let base = base.trim().to_string();
            let head = git(root, &["rev-parse", "HEAD"]).unwrap_or_default();
            if !base.is_empty() && base != head.trim() {
                return base;
            }
        }
    }
    "HEAD".to_string()
}

/// The release the working tree must be compared with for the version check: the newest commit
/// whose spec version differs from `current` (the last release before the one being prepared).
///
/// Release tags would also do, but they are not always fetched by CI clones, and the spec's
/// version is the release marker this repository already has in every commit: a version is
/// released by the commit that bumps it. Returns `None` when every commit has this version
/// (the first release), in which case there is nothing to compare.
pub fn release_base(
    root: &Path,
    spec_rel: &str,
    current: Version,
) -> Result<Option<(String, Version)>, String> {
    let root_file = format!("{spec_rel}/{}", codegen::ROOT_FILE);
    let commits = git(
        root,
        &["log", "--first-parent", "--format=%H", "--", &root_file],
    )?;
    for commit in commits.lines() {
        if let Some(v) = version_at(root, commit, &root_file)? {
            if v != current {
                return Ok(Some((commit.to_string(), v)));
            }
        }
    }
    Ok(None)
}

/// The `package.version` of the root file at a commit, read without loading the whole spec.
fn version_at(root: &Path, commit: &str, root_file: &str) -> Result<Option<Version>, String> {
    let Ok(text) = git(root, &["show", &format!("{commit}:{root_file}")]) else {
        return Ok(None);
    };
    let mut files = BTreeMap::new();
    files.insert(codegen::ROOT_FILE.to_string(), text);
    Ok(codegen::peek_version(&files))
}

/// Renders a report for people: grouped by impact, coloured on a terminal, plain when piped.
pub fn human(report: &Report, base: &str) -> String {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let versions = match (report.old_version, report.new_version) {
        (Some(a), Some(b)) => format!(" (version {a} -> {b})"),
        _ => String::new(),
    };
    out.push_str(&format!("spec changes since {base}{versions}\n"));
    if report.changes.is_empty() {
        out.push_str("no changes\n");
        return out;
    }
    for (impact, title, code) in [
        (Impact::Breaking, "breaking", "1;31"),
        (Impact::Compatible, "compatible", "32"),
        (Impact::Docs, "documentation only", "36"),
    ] {
        let items: Vec<_> = report
            .changes
            .iter()
            .filter(|c| c.impact == impact)
            .collect();
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{} ({})\n", paint(code, title), items.len()));
        for c in items {
            out.push_str(&format!("  {c}\n"));
        }
    }
    if let Some(old) = report.old_version {
        out.push_str(&format!(
            "\nrequired version bump: {}\n",
            report.required_bump(old)
        ));
    }
    out
}

/// Builds the whole changelog from the history of the spec: one section per released version
/// (the last commit at each version), newest first, plus the working tree's version when it
/// differs from the last commit.
pub fn changelog(root: &Path, spec_rel: &str, current: &Model) -> Result<String, String> {
    let root_file = format!("{spec_rel}/{}", codegen::ROOT_FILE);
    let commits = git(
        root,
        &[
            "log",
            "--first-parent",
            "--reverse",
            "--format=%H",
            "--",
            &root_file,
        ],
    )
    .unwrap_or_default();
    // The last commit at each version, oldest first.
    let mut releases: Vec<(String, Version)> = Vec::new();
    for commit in commits.lines() {
        let Some(v) = version_at(root, commit, &root_file)? else {
            continue;
        };
        match releases.last_mut() {
            Some((c, last)) if *last == v => *c = commit.to_string(),
            _ => releases.push((commit.to_string(), v)),
        }
    }
    let mut sections = Vec::new();
    let mut previous: Option<Model> = None;
    for (commit, version) in &releases {
        if *version == current.package.version {
            break; // The working tree's section covers this version.
        }
        let model = model_at(root, commit, spec_rel)?;
        let report = diff::diff(previous.as_ref(), model.as_ref());
        sections.push(diff::changelog_section(&report, *version));
        previous = model;
    }
    let report = diff::diff(previous.as_ref(), Some(current));
    sections.push(diff::changelog_section(&report, current.package.version));
    sections.reverse();
    Ok(format!(
        "# Changelog\n\nGenerated from the spec's history by `cargo xtask changelog`; do not edit by hand.\n\n{}",
        sections.join("\n")
    ))
}
