//! The deck-events generator: spec in, every output out.
//!
//! The pipeline has three stages with typed boundaries:
//!
//! 1. **load** ([`load_dir`], [`load_files`]): read the YAML files of a spec, parse them with
//!    `serde_yaml`, and decode them into the raw spec, collecting every mistake as a
//!    [`Diagnostic`] with its `file:line:col`;
//! 2. **lower**: check the raw spec (names, references, collisions, cycles, examples) and resolve
//!    it into a [`Model`], where every name is decided and every collection ordered;
//! 3. **emit** ([`emit::all`]): pure functions from the model to files, gathered in [`Outputs`].
//!
//! Nothing here writes to disk: the `xtask` binary owns that, so a failed run changes nothing.

pub mod diag;
pub mod diff;
pub mod emit;
mod examples;
pub mod files;
pub mod format;
pub mod history;
mod lower;
mod metadata;
pub mod model;
pub mod names;
pub mod output;
mod spec;
pub mod standard_webhooks;
mod timestamp;
mod yaml;

use std::collections::BTreeMap;
use std::path::Path;

pub use diag::{Diagnostic, DiagnosticKind, Diagnostics};
pub use files::{CHANGELOG_FILE, ROOT_FILE};
pub use model::Model;
pub use output::Outputs;

/// Loads, checks and resolves the spec whose root is `dir/spec.yaml`.
pub fn load_dir(dir: &Path) -> Result<Model, Diagnostics> {
    let files = yaml::read_spec_dir(dir)?;
    load_files(&files).map_err(|d| d.with_file_prefix(&dir.display().to_string()))
}

/// Loads, checks and resolves a spec held in memory: file name (relative, `/`-separated) to text.
/// The root is [`ROOT_FILE`].
pub fn load_files(files: &BTreeMap<String, String>) -> Result<Model, Diagnostics> {
    let parsed = yaml::parse_all(files)?;
    // The decoder's mistakes go on into the checker, which skips what they taint and adds its own.
    let (raw, diags) = spec::decode(&parsed);
    lower::lower(&raw, &parsed, diags)
}

/// Loads the spec in `dir` and renders every output in memory, without a history: the docs
/// site says the version is unreleased and shows only the spec's own `since` markers.
pub fn generate_dir(dir: &Path) -> Result<Outputs, Diagnostics> {
    generate_dir_with_releases(dir, &[], history::Status::Unreleased)
}

/// Loads the spec in `dir` and renders every output in memory, with its history across the
/// recorded `releases` (oldest first); `status` says whether the spec is the newest of them.
///
/// The releases are passed in rather than read from a directory beside the spec: where the
/// records live and what makes a directory a record is `xtask`'s (`xtask/src/releases.rs`), the
/// one reader and writer of `releases/`, so `codegen` learns about releases only as models. The
/// outputs stay a function of the inputs given here.
pub fn generate_dir_with_releases(
    dir: &Path,
    releases: &[&Model],
    status: history::Status,
) -> Result<Outputs, Diagnostics> {
    let model = load_dir(dir)?;
    let history = diff::history::history(releases, &model, status);
    // The changelog is built from the recorded releases by `cargo xtask changelog`, so it lives
    // beside the spec and is read from there: the outputs stay a function of the spec directory
    // alone.
    let changelog = std::fs::read_to_string(dir.join(CHANGELOG_FILE))
        .ok()
        .map(|t| t.replace("\r\n", "\n"));
    Ok(emit::all_with_history(
        &model,
        changelog.as_deref(),
        &history,
    ))
}
