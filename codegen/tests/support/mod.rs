//! Shared by the tests that build a generated crate with cargo: the scaffolding that writes a
//! crate plus a consumer to a directory and runs cargo on them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Outputs;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Writes `outputs` as `<dir>/<crate_dir>` next to a consumer crate that depends on it by path,
/// both members of a workspace rooted at `dir`, which is outside the repository's workspace. The
/// consumer's `main` decodes `event_json` and prints its type.
pub fn write_workspace(dir: &Path, outputs: &Outputs, lib_name: &str, event_json: &str) {
    let _ = std::fs::remove_dir_all(dir);
    let krate = dir.join("crate");
    for (path, text) in outputs.files() {
        let path = krate.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"crate\", \"consumer\"]\n",
    )
    .unwrap();
    // Reuse the repository's lock file, so the dependency versions are the ones already built and
    // no registry lookup is needed.
    if repo_root().join("Cargo.lock").exists() {
        std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    }
    let package = outputs
        .get("Cargo.toml")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("name = "))
        .unwrap()
        .to_owned();
    std::fs::create_dir_all(dir.join("consumer/src")).unwrap();
    std::fs::write(
        dir.join("consumer/Cargo.toml"),
        format!(
            "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nevents = {{ package = {package}, path = \"../crate\" }}\nserde_json = \"1\"\n"
        ),
    )
    .unwrap();
    let _ = lib_name;
    std::fs::write(
        dir.join("consumer/src/main.rs"),
        format!(
            "fn main() {{\n    let body = r####\"{event_json}\"####;\n    let event: events::Event = serde_json::from_str(body).unwrap();\n    \
             println!(\"{{}}\", event.event_type());\n}}\n"
        ),
    )
    .unwrap();
}

/// Runs cargo in `dir` with a target directory under the repository's `target/`, so builds are
/// shared between runs, and panics with its output when it fails.
pub fn cargo(dir: &Path, args: &[&str]) -> String {
    let target = repo_root().join("target").join("generated-crates");
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "cargo {} failed in {}:\n{text}",
        args.join(" "),
        dir.display()
    );
    text
}
