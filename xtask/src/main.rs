//! `cargo xtask`: the repository's tasks. Thin on purpose: it parses flags, asks `codegen` for
//! the rendered outputs and owns the one policy for writing or checking them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod write;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Tasks of the deck-events repository")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` from `spec/` (the Rust crate, the JSON Schemas and the docs site).
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
    let root = project_root();
    match cli.command {
        Command::Codegen { check, spec, out } => {
            let outputs = match codegen::generate_dir(&root.join(&spec)) {
                Ok(o) => o,
                Err(diags) => return report(&diags.with_file_prefix_relative(&root)),
            };
            let mode = if check {
                write::Mode::Check
            } else {
                write::Mode::Write
            };
            match write::sync(&root.join(&out), &outputs, mode) {
                Ok(summary) => {
                    eprintln!("{summary}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
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
