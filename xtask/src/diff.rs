//! `cargo xtask diff` and `cargo xtask changelog`: the spec's changes since a recorded release or
//! a git revision, the semver gate and the changelog.
//!
//! The spec at a revision is read with `git ls-tree` and `git show`, never by checking anything
//! out, so the working tree is untouched and uncommitted edits are compared as they are.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::process::Command;

use codegen::diff::{self, Impact, Report};
use codegen::model::Model;

use crate::releases::Release;

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

/// The whole changelog: one section per recorded release, newest first, each with the changes
/// since the release before it, under an "Unreleased" section with the changes since the newest
/// release, when there are any or the version was bumped.
pub fn changelog(releases: &[Release], current: &Model) -> String {
    let mut sections = Vec::new();
    let mut previous: Option<&Model> = None;
    for r in releases {
        let report = diff::diff_with_crate_changes(previous, Some(&r.model));
        sections.push(diff::changelog_section(&report, r.version));
        previous = Some(&r.model);
    }
    let report = diff::diff_with_crate_changes(previous, Some(current));
    let version = current.package.version;
    let bumped = releases.last().map(|r| r.version) != Some(version);
    if bumped || !report.changes.is_empty() {
        let title = if bumped {
            format!("Unreleased ({version})")
        } else {
            "Unreleased".to_string()
        };
        sections.push(diff::changelog_section_titled(&report, &title));
    }
    sections.reverse();
    format!(
        "# Changelog\n\nGenerated by `cargo xtask changelog` from the recorded releases and the spec; do not edit by hand.\n\n{}",
        sections.join("\n")
    )
}

/// The notes of releasing `current` after `previous` (the newest recorded release before it):
/// the changelog section of its version, without the heading.
pub fn release_notes(previous: Option<&Model>, current: &Model) -> String {
    let report = diff::diff_with_crate_changes(previous, Some(current));
    let section = diff::changelog_section(&report, current.package.version);
    let body = section.split_once('\n').map_or("", |(_, rest)| rest);
    body.trim().to_string()
}

/// The semver gate: `Err` with what to do when `current` is not versioned right against the
/// newest recorded release. A spec that differs from a release needs a version above it, and the
/// bump must be large enough for every change accumulated since (not only those since the last
/// commit), so a breaking change can never ship under a version consumers already have.
pub fn check_against_release(release: &Release, current: &Model) -> Result<String, String> {
    let report = diff::diff_with_crate_changes(Some(&release.model), Some(current));
    let (old, new) = (release.version, current.package.version);
    if let Some(pending) = diff::crate_changes::pending_after(old).filter(|v| new < *v) {
        return Err(format!(
            "the generated crate has changes recorded for {pending} (`codegen/src/diff/crate_changes.rs`) \
             and the spec is at {new}: set `package.version` in `spec/spec.yaml` to {pending}, so \
             they do not ship under a version consumers already have"
        ));
    }
    match report.check_version(old, new) {
        Ok(_) if old == new => Ok(format!("the spec is release {old}, unchanged")),
        Ok(_) => Ok(format!(
            "version {new} is bumped enough from release {old} for the changes since"
        )),
        Err(msg) if old == new => Err(format!(
            "{old} is already released ({}) and the spec has changed since; {msg}",
            release.dir
        )),
        Err(msg) => Err(format!(
            "{msg} (compared with release {old}, {})",
            release.dir
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::check_against_release;
    use crate::releases;

    /// The repository's own history: release 0.1.0, and the generator's changes recorded for
    /// 0.2.0. The released spec, unchanged, would ship those changes under 0.1.0 if the gate only
    /// looked at the spec.
    #[test]
    fn crate_changes_need_their_version_even_when_the_spec_is_unchanged() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let release = releases::load(
            &root,
            Path::new("releases"),
            codegen::model::Version::new(0, 1, 0),
        )
        .unwrap();
        let error = check_against_release(&release, &release.model).unwrap_err();
        assert!(
            error.contains("changes recorded for 0.2.0")
                && error.contains("`codegen/src/diff/crate_changes.rs`")
                && error.contains("set `package.version` in `spec/spec.yaml` to 0.2.0"),
            "{error}"
        );
        let mut bumped = release.model.clone();
        bumped.package.version = codegen::model::Version::new(0, 2, 0);
        let ok = check_against_release(&release, &bumped).unwrap();
        assert!(ok.contains("bumped enough"), "{ok}");
    }
}
