//! `cargo xtask`: the repository's tasks. Thin on purpose: it parses flags, asks `codegen` for
//! the rendered outputs and owns the one policy for writing or checking them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod diff;
mod release;
mod releases;
mod site;
mod write;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Tasks of the deck-events repository")]
struct Cli {
    /// The repository root that `--spec` and `--out` are relative to [default: this repository].
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` from `spec/` (the Rust crate, the JSON Schemas, the docs site and
    /// the AsyncAPI document, the schemas of the spec format), and the key reference of
    /// `spec/README.md`.
    Codegen {
        /// Write nothing; fail if `generated/` is not exactly what the spec produces.
        #[arg(long)]
        check: bool,
        /// The spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The output directory.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
        /// The directory of recorded releases, for the docs site's history.
        #[arg(long, default_value = "releases")]
        releases: PathBuf,
    },
    /// Report every change of the spec since the last recorded release (or a git revision),
    /// classified as breaking, compatible or documentation only.
    Diff {
        /// The git revision to compare with [default: the newest release recorded in
        /// `--releases`; without one, the merge base with `main`, else `HEAD`].
        #[arg(long)]
        base: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail if the spec version is not bumped enough for the changes (against the newest
        /// recorded release, unless `--base` is given).
        #[arg(long)]
        check: bool,
        /// The spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The directory of recorded releases.
        #[arg(long, default_value = "releases")]
        releases: PathBuf,
    },
    /// Regenerate `spec/CHANGELOG.md` from the recorded releases and the spec.
    Changelog {
        /// Write nothing; fail if the changelog is not current.
        #[arg(long)]
        check: bool,
        /// The spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The directory of recorded releases.
        #[arg(long, default_value = "releases")]
        releases: PathBuf,
    },
    /// Release the spec's current version: check, record it in `--releases`, commit, and tag
    /// `v<version>`. Pushes nothing.
    Release {
        /// Record and commit, but make no tag (tag later, where the commit lands, by running
        /// `cargo xtask release` again).
        #[arg(long)]
        no_tag: bool,
        /// The spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The output directory.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
        /// The directory of recorded releases.
        #[arg(long, default_value = "releases")]
        releases: PathBuf,
    },
    /// Build the publishable docs site: the newest release at the root, each recorded release
    /// under `v<version>/`, the unreleased spec under `next/`, a version switcher on every page.
    Site {
        /// The directory to write the site to (missing, empty, or an earlier site).
        #[arg(long)]
        out: PathBuf,
        /// The spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The directory of recorded releases.
        #[arg(long, default_value = "releases")]
        releases: PathBuf,
    },
    /// Check the spec and report every mistake, without rendering anything.
    Check {
        /// The spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Paths are relative to the repository root, wherever cargo was run from.
    let root = cli.root.clone().unwrap_or_else(project_root);
    match cli.command {
        Command::Codegen {
            check,
            spec,
            out,
            releases,
        } => {
            let recorded = match releases::load_all(&root, &releases) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let status = releases::status(&root, &spec, &recorded);
            let models = releases::models(&recorded);
            let outputs =
                match codegen::generate_dir_with_releases(&root.join(&spec), &models, status) {
                    Ok(o) => o,
                    Err(diags) => return report(&diags.with_file_prefix_relative(&root)),
                };
            let mode = if check {
                write::Mode::Check
            } else {
                write::Mode::Write
            };
            let synced = write::sync(&root.join(&out), &outputs, mode).and_then(|summary| {
                let readme = write::sync_readme(&root.join(&spec), mode)?;
                Ok([Some(summary), readme].into_iter().flatten())
            });
            match synced {
                Ok(summaries) => {
                    summaries.for_each(|s| eprintln!("{s}"));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Diff {
            base,
            format,
            check,
            spec,
            releases,
        } => run_diff(&root, base, format, check, &spec, &releases).unwrap_or_else(|e| {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }),
        Command::Changelog {
            check,
            spec,
            releases,
        } => run_changelog(&root, check, &spec, &releases).unwrap_or_else(|e| {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }),
        Command::Release {
            no_tag,
            spec,
            out,
            releases,
        } => {
            let paths = release::Paths {
                spec,
                out,
                releases,
            };
            match release::run(&root, &paths, !no_tag) {
                Ok(done) => {
                    eprintln!("{done}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Site {
            out,
            spec,
            releases,
        } => match site::run(&root, &spec, &releases, &out) {
            Ok(done) => {
                eprintln!("{done}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Check { spec } => match codegen::load_dir(&root.join(&spec)) {
            Ok(model) => {
                eprintln!(
                    "spec is valid: {} event types in {} groups, {} types",
                    model.events.len(),
                    model.groups.len(),
                    model.types.len()
                );
                ExitCode::SUCCESS
            }
            Err(diags) => report(&diags.with_file_prefix_relative(&root)),
        },
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

fn run_diff(
    root: &Path,
    base: Option<String>,
    format: Format,
    check: bool,
    spec: &Path,
    releases_dir: &Path,
) -> Result<ExitCode, String> {
    let spec_rel = spec.to_string_lossy().trim_end_matches('/').to_string();
    let current = codegen::load_dir(&root.join(spec))
        .map_err(|d| format!("{}", d.with_file_prefix_relative(root)))?;
    // The base: a revision when asked for one, else the newest recorded release.
    let (label, old, release) = match base {
        Some(rev) => {
            let old = diff::model_at(root, &rev, &spec_rel)?;
            (rev, old, None)
        }
        None => match releases::newest(root, releases_dir)? {
            Some(r) => (
                format!("release {}", r.version),
                Some(r.model.clone()),
                Some(r),
            ),
            None if check => {
                eprintln!(
                    "no release is recorded in {}: nothing to check until the first `cargo xtask release`",
                    releases_dir.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            None => {
                let rev = diff::default_base(root);
                let old = diff::model_at(root, &rev, &spec_rel)?;
                (rev, old, None)
            }
        },
    };
    let report = codegen::diff::diff_with_crate_changes(old.as_ref(), Some(&current));
    match format {
        Format::Human => print!("{}", diff::human(&report, &label)),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&codegen::diff::to_json(&report)).expect("JSON")
        ),
    }
    if !check {
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(release) = &release {
        return Ok(match diff::check_against_release(release, &current) {
            Ok(msg) => {
                eprintln!("{msg}");
                ExitCode::SUCCESS
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                ExitCode::FAILURE
            }
        });
    }
    if let (Some(old), Some(new)) = (report.old_version, report.new_version) {
        if let Err(msg) = report.check_version(old, new) {
            eprintln!("error: {msg}");
            return Ok(ExitCode::FAILURE);
        }
        eprintln!("version {new} is bumped enough from {old}");
    }
    Ok(ExitCode::SUCCESS)
}

fn run_changelog(
    root: &Path,
    check: bool,
    spec: &Path,
    releases_dir: &Path,
) -> Result<ExitCode, String> {
    let current = codegen::load_dir(&root.join(spec))
        .map_err(|d| format!("{}", d.with_file_prefix_relative(root)))?;
    let recorded = releases::load_all(root, releases_dir)?;
    let text = diff::changelog(&recorded, &current);
    let path = root.join(spec).join(codegen::CHANGELOG_FILE);
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    if old.replace("\r\n", "\n") == text {
        eprintln!("{} is up to date", path.display());
        return Ok(ExitCode::SUCCESS);
    }
    if check {
        eprintln!(
            "error: {} is out of date; run `cargo xtask changelog` then `cargo xtask codegen`",
            path.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!(
        "wrote {}; run `cargo xtask codegen` to copy it into the crate",
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn report(diags: &codegen::Diagnostics) -> ExitCode {
    eprintln!("{diags}");
    eprintln!("nothing was written");
    ExitCode::FAILURE
}

trait RelativeTo {
    fn with_file_prefix_relative(self, root: &Path) -> Self;
}

impl RelativeTo for codegen::Diagnostics {
    /// Diagnostics name files as `<spec dir>/<file>`; show them relative to the repository root so
    /// `file:line:col` is clickable in a terminal and stable across machines.
    fn with_file_prefix_relative(self, root: &Path) -> Self {
        self.strip_file_prefix(&format!("{}/", root.display()))
    }
}

/// The repository root: the parent of this crate's manifest directory.
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository root")
        .to_path_buf()
}
