//! Table 3: compile time of the generated crate, alone (dependencies prebuilt), debug and release,
//! against a crate holding typify's output for the same envelope JSON Schema.
//!
//! Each crate is written to a directory under the system temp dir (outside the workspace, with an
//! empty `[workspace]` table and the workspace's `Cargo.lock`), all sharing one target dir. For
//! each profile the crate is built once to build its dependencies, then `cargo clean -p` removes
//! the crate's own artifacts and the next `cargo build` is timed.
//!
//! The generated crate is timed twice when it has the `axum` feature: with its default features,
//! and with `axum` on (the extractor, the duplicate filter and the dead-letter store), so the
//! table shows what the optional feature costs and that a build without it pays nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::table::{Table, thousands};

/// A crate to compile.
struct Krate {
    label: String,
    package: String,
    dir: PathBuf,
    /// Cargo features to build with, besides the defaults.
    features: &'static str,
}

/// Source size of a crate: bytes, lines, serde derives.
struct Size {
    bytes: usize,
    lines: usize,
    serde_derives: usize,
}

fn size(dir: &Path) -> Size {
    let mut s = Size {
        bytes: 0,
        lines: 0,
        serde_derives: 0,
    };
    for entry in std::fs::read_dir(dir.join("src")).expect("src").flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        s.bytes += text.len();
        s.lines += text.lines().count();
        s.serde_derives += text.matches("serde::Serialize").count()
            + text.matches("serde::Deserialize").count()
            - text.matches("impl ::serde::Serialize").count()
            - text.matches("impl<'de> ::serde::Deserialize").count();
    }
    s
}

fn write_generated(dir: &Path, model: &codegen::Model, lock: &str) -> String {
    let out = codegen::emit::all(model);
    let _ = std::fs::remove_dir_all(dir);
    for (path, text) in out.files() {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let text = if path == "Cargo.toml" {
            format!("{text}\n[workspace]\n")
        } else {
            text.clone()
        };
        std::fs::write(p, text).unwrap();
    }
    std::fs::write(dir.join("Cargo.lock"), lock).unwrap();
    out.get(codegen::emit::schema::ENVELOPE_PATH)
        .expect("envelope schema")
        .to_string()
}

fn write_typify(dir: &Path, package: &str, schema: &str, lock: &str) -> Result<(), String> {
    let code = crate::typify_gen::render(schema)?;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let regress = if code.contains("::regress::") {
        "regress = \"0.10\"\n"
    } else {
        ""
    };
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n\
             chrono = {{ version = \"0.4.42\", default-features = false, features = [\"std\", \"serde\"] }}\n\
             serde = {{ version = \"1.0.228\", features = [\"derive\"] }}\n\
             serde_json = \"1.0.145\"\n{regress}\n[workspace]\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("src/lib.rs"),
        format!(
            "#![allow(clippy::all, dead_code, unused_imports, irrefutable_let_patterns)]\n{code}"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("Cargo.lock"), lock).unwrap();
    Ok(())
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Result<Duration, String> {
    let start = Instant::now();
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cargo: {e}"))?;
    let took = start.elapsed();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = err.lines().rev().take(15).collect();
        return Err(format!(
            "`cargo {}` failed in {}:\n{}",
            args.join(" "),
            dir.display(),
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
    }
    Ok(took)
}

/// Clean build time of the crate alone in one profile.
fn time_build(k: &Krate, target: &Path, release: bool) -> Result<Duration, String> {
    let mut build = vec!["build", "--quiet"];
    if !k.features.is_empty() {
        build.extend(["--features", k.features]);
    }
    let mut clean = vec!["clean", "--quiet", "-p", k.package.as_str()];
    if release {
        build.push("--release");
        clean.push("--release");
    }
    cargo(&k.dir, target, &build)?;
    cargo(&k.dir, target, &clean)?;
    cargo(&k.dir, target, &build)
}

/// Renders the compile-time table. `root` is the workspace root.
pub fn run(root: &Path, quick: bool) -> String {
    let work = std::env::temp_dir().join("deck-events-bench-compile");
    let target = work.join("target");
    std::fs::create_dir_all(&work).unwrap();
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    let mut specs = vec![(
        "real spec".to_string(),
        codegen::load_dir(&root.join("spec")).unwrap_or_else(|d| panic!("{d}")),
    )];
    if !quick {
        let m = codegen::load_files(&crate::synth::spec(1_000)).unwrap_or_else(|d| panic!("{d}"));
        specs.push(("synthetic, 1,000 events".to_string(), m));
    }
    let profiles: &[bool] = if quick { &[false] } else { &[false, true] };
    let mut table = Table::new(&[
        "crate",
        "src bytes",
        "src lines",
        "serde derives",
        "debug s",
        "release s",
        "vs typify (debug / release)",
    ]);
    let mut notes = Vec::new();
    for (i, (label, model)) in specs.iter().enumerate() {
        let ours = Krate {
            label: format!("{label}: {}", model.package.name),
            package: model.package.name.clone(),
            dir: work.join(format!("ours-{i}")),
            features: "",
        };
        let schema = write_generated(&ours.dir, model, &lock);
        let theirs = Krate {
            label: format!("{label}: typify 0.8 output"),
            package: format!("typify-out-{i}"),
            dir: work.join(format!("typify-{i}")),
            features: "",
        };
        let theirs_ok = match write_typify(&theirs.dir, &theirs.package, &schema, &lock) {
            Ok(()) => true,
            Err(e) => {
                notes.push(format!("{label}: typify could not generate types: {e}"));
                false
            }
        };
        // The same crate with the optional `axum` feature, when the spec signs deliveries.
        let manifest = std::fs::read_to_string(ours.dir.join("Cargo.toml")).unwrap_or_default();
        let with_axum = manifest.contains("\naxum = [").then(|| Krate {
            label: format!("{label}: {}, feature axum", model.package.name),
            package: ours.package.clone(),
            dir: ours.dir.clone(),
            features: "axum",
        });
        let krates: Vec<&Krate> = std::iter::once(&ours)
            .chain(theirs_ok.then_some(&theirs))
            .chain(with_axum.as_ref())
            .collect();
        let mut times: Vec<Vec<Option<Duration>>> = Vec::new();
        for &k in &krates {
            let mut row = Vec::new();
            for &release in profiles {
                eprintln!(
                    "  compiling {} ({})",
                    k.label,
                    if release { "release" } else { "debug" }
                );
                match time_build(k, &target, release) {
                    Ok(t) => row.push(Some(t)),
                    Err(e) => {
                        notes.push(e);
                        row.push(None);
                    }
                }
            }
            times.push(row);
        }
        let fmt = |t: Option<&Option<Duration>>| match t {
            Some(Some(t)) => format!("{:.1}", t.as_secs_f64()),
            Some(None) => "failed".into(),
            None => "—".into(),
        };
        let ratio = |a: Option<&Option<Duration>>, b: Option<&Option<Duration>>| match (a, b) {
            (Some(Some(a)), Some(Some(b))) => format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64()),
            _ => "—".into(),
        };
        for (j, k) in krates.iter().enumerate() {
            let s = size(&k.dir);
            let vs = if j == 0 && theirs_ok {
                format!(
                    "{} / {}",
                    ratio(times[0].first(), times[1].first()),
                    ratio(times[0].get(1), times[1].get(1))
                )
            } else {
                String::new()
            };
            table.row(vec![
                k.label.clone(),
                thousands(s.bytes as u64),
                thousands(s.lines as u64),
                thousands(s.serde_derives as u64),
                fmt(times[j].first()),
                fmt(times[j].get(1)),
                vs,
            ]);
        }
    }
    let mut out = format!(
        "Compile time of the generated crate alone (dependencies prebuilt; `cargo clean -p` then \
         `cargo build`), against typify's output for the same envelope schema\n\n{}",
        table.render()
    );
    for n in notes {
        out.push_str(&format!("\nNote: {n}\n"));
    }
    out
}
