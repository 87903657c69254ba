//! `cargo xtask site`: the publishable docs site, every version of it.
//!
//! The newest recorded release is at the root, each recorded release under `v<version>/`, and
//! the spec under `next/` while it differs from the newest release (at the root when nothing is
//! released yet). Every version is rendered by today's generator from its record in `releases/`,
//! so no git history is needed, and every page links to the same page in the other versions.
//! `generated/docs` stays the spec's own site, checked in; this builds what is published.

use std::path::Path;

use codegen::Outputs;
use codegen::emit::docs::{self, Edition, Switcher};
use codegen::history::{History, Status};
use codegen::model::Model;

use crate::diff;
use crate::releases::{self, Release};
use crate::write;

/// The directory of the spec while it is not released.
pub const NEXT_DIR: &str = "next/";

/// One version to publish: its model, changelog and history, and where it goes.
struct Version<'a> {
    model: &'a Model,
    changelog: String,
    history: History,
    dir: String,
    label: String,
}

/// Builds the site into `out` (relative to `root`); `Ok` with a summary.
pub fn run(root: &Path, spec: &Path, releases_dir: &Path, out: &Path) -> Result<String, String> {
    let current = codegen::load_dir(&root.join(spec)).map_err(|d| {
        use crate::RelativeTo;
        format!("{}", d.with_file_prefix_relative(root))
    })?;
    let recorded = releases::load_all(root, releases_dir)?;
    let status = releases::status(root, spec, &recorded);
    let changelog = std::fs::read_to_string(root.join(spec).join(codegen::CHANGELOG_FILE))
        .map(|t| t.replace("\r\n", "\n"))
        .map_err(|e| {
            format!(
                "cannot read the changelog, {}: {e}; run `cargo xtask changelog`",
                spec.join(codegen::CHANGELOG_FILE).display()
            )
        })?;
    let versions = versions(&recorded, &current, status, changelog);
    let outputs = render(&versions);
    prepare(&root.join(out))?;
    write::sync(&root.join(out), &outputs, write::Mode::Write)?;
    let listed: Vec<String> = versions
        .iter()
        .map(|v| format!("{} in {}", v.label, dir_name(&v.dir)))
        .collect();
    Ok(format!(
        "wrote the site to {}: {}; the newest release is also at the root",
        out.display(),
        listed.join(", ")
    ))
}

fn dir_name(dir: &str) -> &str {
    if dir.is_empty() { "the root" } else { dir }
}

/// Every version to publish, newest first: the spec under `next/` while unreleased, then each
/// recorded release under `v<version>/`. Before the first release, the spec alone, at the root.
fn versions<'a>(
    recorded: &'a [Release],
    current: &'a Model,
    status: Status,
    changelog: String,
) -> Vec<Version<'a>> {
    let models = releases::models(recorded);
    let mut out = Vec::new();
    if status == Status::Unreleased {
        out.push(Version {
            model: current,
            history: codegen::diff::history::history(&models, current, status),
            changelog,
            dir: if recorded.is_empty() {
                String::new()
            } else {
                NEXT_DIR.into()
            },
            label: format!("{} (unreleased)", current.package.version),
        });
    }
    for (i, release) in recorded.iter().enumerate().rev() {
        out.push(Version {
            model: &release.model,
            history: codegen::diff::history::history(
                &models[..=i],
                &release.model,
                Status::Released,
            ),
            // The changelog as it stood when this version was released.
            changelog: diff::changelog(&recorded[..=i], &release.model),
            dir: format!("v{}/", release.version),
            label: if i + 1 == recorded.len() {
                format!("{} (latest release)", release.version)
            } else {
                release.version.to_string()
            },
        });
    }
    out
}

/// Renders every version into one tree: each under its directory, and the newest release (or,
/// before the first, the spec) once more at the root.
fn render(versions: &[Version<'_>]) -> Outputs {
    let editions: Vec<Edition> = versions
        .iter()
        .map(|v| Edition {
            label: v.label.clone(),
            dir: v.dir.clone(),
            pages: docs::page_paths(v.model, Some(&v.changelog)),
        })
        .collect();
    let at_root = versions
        .iter()
        .position(|v| v.history.status == Status::Released)
        .unwrap_or(0);
    let mut copies: Vec<(usize, &str)> = versions
        .iter()
        .enumerate()
        .map(|(i, v)| (i, v.dir.as_str()))
        .collect();
    if !versions[at_root].dir.is_empty() {
        copies.push((at_root, ""));
    }
    let mut out = Outputs::new();
    for (i, here) in copies {
        let v = &versions[i];
        let switcher = Switcher {
            editions: &editions,
            current: i,
            here,
        };
        let site = docs::site(v.model, Some(&v.changelog), &v.history, Some(&switcher));
        for (path, text) in site.files() {
            out.add(format!("{here}{path}"), text.clone());
        }
    }
    out
}

/// Makes sure writing the site into `dir` deletes nothing but an earlier site: `dir` must be
/// missing, empty, or hold a site this command wrote (its `index.html` carries the marker).
fn prepare(dir: &Path) -> Result<(), String> {
    let Ok(mut entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    if entries.next().is_none() {
        return Ok(());
    }
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap_or_default();
    if index.contains(codegen::generated_marker!()) {
        return Ok(());
    }
    Err(format!(
        "{} is not empty and holds no site written by `cargo xtask site`; name a new or empty directory",
        dir.display()
    ))
}
