//! The `fixtures` feature of the generated crate costs nothing to a build without it: the crate
//! built with its default features compiles none of the module, as cargo's record of the source
//! files rustc read shows. With the feature, the same record lists it, so the check can fail.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The source files rustc read to check the generated crate's library with `features`.
fn sources_read(features: &[&str]) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut args = vec![
        "check",
        "-p",
        "deck-events",
        "--lib",
        "--message-format=json-render-diagnostics",
    ];
    let list = features.join(",");
    if !features.is_empty() {
        args.extend(["--features", &list]);
    }
    let output = Command::new(env!("CARGO"))
        .args(&args)
        .current_dir(root)
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "cargo check of the generated crate failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The artifact is `deps/libdeck_events-<hash>.rmeta`; its dep-info is `deps/deck_events-<hash>.d`.
    let rmeta = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "deck_events")
        .and_then(|m| m["filenames"][0].as_str().map(PathBuf::from))
        .expect("cargo reports the crate's artifact");
    let stem = rmeta.file_stem().unwrap().to_str().unwrap();
    let dep_info = rmeta.with_file_name(format!("{}.d", stem.strip_prefix("lib").unwrap()));
    let text = std::fs::read_to_string(&dep_info)
        .unwrap_or_else(|err| panic!("read {}: {err}", dep_info.display()));
    // The first rule lists every input: `<output>: <input> <input> ...`.
    let first = text.lines().next().unwrap_or_default();
    let (_, inputs) = first.split_once(": ").expect("a make rule");
    inputs.split_whitespace().map(PathBuf::from).collect()
}

#[test]
fn a_default_build_compiles_none_of_the_fixtures() {
    let is_fixtures = |path: &PathBuf| path.ends_with("generated/src/fixtures.rs");
    let default = sources_read(&[]);
    assert!(
        default
            .iter()
            .any(|p| p.ends_with("generated/src/event.rs")),
        "{default:?}"
    );
    assert!(!default.iter().any(is_fixtures), "{default:?}");
    let with_feature = sources_read(&["fixtures"]);
    assert!(with_feature.iter().any(is_fixtures), "{with_feature:?}");
}
