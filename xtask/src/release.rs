//! `cargo xtask release`: marks the spec's current version as released.
//!
//! It refuses unless everything a release promises already holds in the committed tree: no
//! uncommitted change, `generated/` exactly what the spec produces, the version bumped enough
//! since the last recorded release, and the changelog current. Then it records the spec under
//! `releases/<version>/`, turns the changelog's "Unreleased" section into the version's, writes
//! `generated/` again (the crate and the docs site carry the changelog), commits that, and tags the
//! commit `v<version>` with the version's changelog section as the tag's message. It pushes
//! nothing.
//!
//! A version that is recorded but not tagged yet (recorded on a branch that was merged since, or
//! with `--no-tag`) gets only its tag, on the current commit.

use std::path::{Path, PathBuf};

use crate::RelativeTo;
use crate::diff::{self, git};
use crate::releases::{self, Release};
use crate::write;

/// Where the release reads and writes, relative to the repository root.
pub struct Paths {
    /// The spec directory.
    pub spec: PathBuf,
    /// The generated output.
    pub out: PathBuf,
    /// The recorded releases.
    pub releases: PathBuf,
}

/// Runs the release; `Ok` with what was done, `Err` with why nothing was.
pub fn run(root: &Path, paths: &Paths, tag: bool) -> Result<String, String> {
    git(root, &["rev-parse", "--show-toplevel"])
        .map_err(|e| format!("a release is recorded in git, but {e}"))?;
    let status = git(root, &["status", "--porcelain", "--untracked-files=all"])?;
    if !status.trim().is_empty() {
        let listed: Vec<&str> = status.lines().take(10).collect();
        let more = status.lines().count().saturating_sub(listed.len());
        return Err(format!(
            "the working tree has uncommitted changes; a release records only committed work, so commit or stash them first:\n{}{}",
            listed.join("\n"),
            if more > 0 {
                format!("\n... and {more} more")
            } else {
                String::new()
            }
        ));
    }

    let spec_dir = root.join(&paths.spec);
    let current = codegen::load_dir(&spec_dir)
        .map_err(|d| format!("{}", d.with_file_prefix_relative(root)))?;
    // Read as `codegen::generate_dir` reads it: a missing changelog is none.
    let changelog_path = spec_dir.join(codegen::CHANGELOG_FILE);
    let changelog = std::fs::read_to_string(&changelog_path)
        .ok()
        .map(|t| t.replace("\r\n", "\n"));
    let recorded = releases::load_all(root, &paths.releases)?;
    let history = releases::history(root, &paths.spec, &recorded, &current);
    let outputs = codegen::emit::all_with_history(&current, changelog.as_deref(), &history);
    if let Err(msg) = write::sync(&root.join(&paths.out), &outputs, write::Mode::Check) {
        return Err(format!(
            "{} is not what the spec produces:\n{}",
            paths.out.display(),
            summary_of_drift(&msg)
        ));
    }
    let newest = recorded.last();
    if let Some(newest) = newest {
        diff::check_against_release(newest, &current)?;
    }
    if changelog.as_deref().unwrap_or_default() != diff::changelog(&recorded, &current) {
        return Err(format!(
            "{} is out of date; run `cargo xtask changelog`, then `cargo xtask codegen`, and commit them",
            changelog_path.display()
        ));
    }

    let version = current.package.version;
    let tag_name = format!("v{version}");
    let tagged = git(
        root,
        &[
            "rev-parse",
            "-q",
            "--verify",
            &format!("refs/tags/{tag_name}"),
        ],
    )
    .is_ok();
    let already = newest.filter(|r| r.version == version);
    if let Some(release) = already {
        // The version check passed, so the spec is exactly the recorded release.
        if !tag || tagged {
            return Err(format!(
                "{version} is already released ({}{}); set a higher `package.version` in {} for the next release",
                release.dir,
                if tagged {
                    format!(", tag {tag_name}")
                } else {
                    String::new()
                },
                paths.spec.join(codegen::ROOT_FILE).display()
            ));
        }
        let before = recorded.iter().rev().nth(1).map(|r| &r.model);
        create_tag(root, &tag_name, &tag_message(&current, before))?;
        return Ok(format!(
            "{version} was already recorded in {}; tagged the current commit {tag_name}\npublish the tag with `git push origin {tag_name}`",
            release.dir
        ));
    }
    if tag && tagged {
        return Err(format!(
            "tag {tag_name} already exists, but {version} is not recorded in {}; delete the tag (`git tag -d {tag_name}`) if it was made by mistake, or set a higher `package.version`",
            paths.releases.display()
        ));
    }
    git(root, &["var", "GIT_COMMITTER_IDENT"]).map_err(|_| {
        "git has no identity to commit with; set `git config user.name` and `git config user.email` first".to_string()
    })?;

    let message = tag_message(&current, newest.map(|r| &r.model));

    // Everything is checked: from here on, a failure puts the tree back as it was.
    let record = releases::record(root, &paths.spec, &paths.releases, version)?;
    let commit = || -> Result<(), String> {
        // The record is a byte copy of the spec files just loaded, so it loads to `current`.
        let mut all = recorded;
        all.push(Release {
            version,
            dir: format!("{}/{version}", paths.releases.display()),
            model: current.clone(),
        });
        let changelog = diff::changelog(&all, &current);
        std::fs::write(&changelog_path, &changelog)
            .map_err(|e| format!("cannot write {}: {e}", changelog_path.display()))?;
        // What `codegen::generate_dir` would read back from the file just written.
        let changelog = changelog.replace("\r\n", "\n");
        // The record is a byte copy of the spec: the spec is now released.
        let history = codegen::diff::history::history(
            &releases::models(&all),
            &current,
            codegen::history::Status::Released,
        );
        let outputs = codegen::emit::all_with_history(&current, Some(&changelog), &history);
        write::sync(&root.join(&paths.out), &outputs, write::Mode::Write)?;
        let record_rel = paths.releases.join(version.to_string());
        let changelog_rel = paths.spec.join(codegen::CHANGELOG_FILE);
        let add: Vec<&str> = [&record_rel, &changelog_rel, &paths.out]
            .into_iter()
            .map(|p| p.to_str().expect("UTF-8 paths"))
            .collect();
        git(root, &[&["add", "--"][..], &add[..]].concat())?;
        let message = format!("Release {} {version}", current.package.name);
        git(root, &["commit", "-q", "-m", &message])?;
        Ok(())
    };
    if let Err(e) = commit() {
        // The tree was clean before, so going back to HEAD undoes exactly what this run did.
        let _ = git(root, &["reset", "-q", "--hard", "HEAD"]);
        let _ = std::fs::remove_dir_all(&record);
        // Removed only when empty: when this run made it for the first release.
        let _ = std::fs::remove_dir(root.join(&paths.releases));
        return Err(format!("{e}\nnothing was released; the tree is as it was"));
    }
    let head = git(root, &["rev-parse", "--short", "HEAD"])?;
    let mut done = format!(
        "released {} {version}: recorded in {}, committed as {}",
        current.package.name,
        paths.releases.join(version.to_string()).display(),
        head.trim()
    );
    if tag {
        create_tag(root, &tag_name, &message).map_err(|e| {
            format!("{done}, but the tag failed: {e}\nrun `cargo xtask release` again to tag it")
        })?;
        done.push_str(&format!(
            ", tagged {tag_name}\npublish both with `git push origin HEAD {tag_name}`"
        ));
    } else {
        done.push_str(&format!(
            "\nno tag was made; once this commit is where the release should be tagged (merged, for example), run `cargo xtask release` there to tag it {tag_name}"
        ));
    }
    Ok(done)
}

/// The annotated tag's message: the crate and version, then its changelog section.
fn tag_message(current: &codegen::Model, previous: Option<&codegen::Model>) -> String {
    format!(
        "{} {}\n\n{}\n",
        current.package.name,
        current.package.version,
        diff::release_notes(previous, current)
    )
}

fn create_tag(root: &Path, name: &str, message: &str) -> Result<(), String> {
    // `whitespace` keeps the Markdown headings, which the default cleanup strips as comments.
    git(
        root,
        &["tag", "-a", "--cleanup=whitespace", "-m", message, name],
    )
    .map(|_| ())
}

/// The lines of a `codegen --check` failure that name files, without their diffs.
fn summary_of_drift(msg: &str) -> String {
    msg.lines()
        .filter(|l| {
            l.ends_with("differs from what the spec produces:")
                || l.ends_with(" is missing")
                || l.ends_with("(stale)")
                || l.starts_with("error: ")
        })
        .map(|l| l.trim_end_matches(':'))
        .collect::<Vec<_>>()
        .join("\n")
}
