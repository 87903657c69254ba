//! Running the `xtask` binary from integration tests.
// Each test crate that declares `mod common` uses only part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub mod repo;

/// The `xtask --root <root> <args>` command, without colour.
pub fn command(root: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.arg("--root").arg(root).args(args).env("NO_COLOR", "1");
    cmd
}

/// Runs `xtask --root <root> <args>`, without colour.
pub fn xtask(root: &Path, args: &[&str]) -> Output {
    command(root, args).output().expect("xtask runs")
}

/// Everything the command printed, stdout then stderr.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
