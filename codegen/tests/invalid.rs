//! The corpus of broken specs: every directory under `tests/invalid/` is the minimal fixture with
//! exactly one mistake, written as an edit (`corpus/mod.rs`), and `expected.stderr` holds the
//! diagnostics the loader must print for it, as `cargo xtask check` renders them (paths relative
//! to this crate).
//!
//! Run with `UPDATE_EXPECT=1` to (re)write the snapshots after a deliberate change; review the
//! diff by hand: each diagnostic must point at the mistake, say what is wrong and how to fix it.

mod corpus;

use std::fs;
use std::path::Path;

use corpus::{CORPUS, Case, EDIT, cases, crate_dir};

const SNAPSHOT: &str = "expected.stderr";

/// Loads a case and renders its diagnostics with paths relative to the crate directory.
fn render(case: &Case) -> Result<(String, Vec<codegen::Diagnostic>), String> {
    match case.load() {
        Ok(_) => Err(format!("{}: the spec loaded without errors", case.name)),
        Err(diags) => {
            let list: Vec<codegen::Diagnostic> = diags.iter().cloned().collect();
            Ok((format!("{diags}\n"), list))
        }
    }
}

/// Number of diagnostics a rendering holds (the closing summary line is not one).
fn count_errors(rendered: &str) -> usize {
    rendered
        .lines()
        .filter(|l| l.starts_with("error: ") && !l.starts_with("error: the spec has "))
        .count()
}

/// The closing summary line's count: `error: the spec has N error(s)`.
fn summary_count(rendered: &str) -> Option<usize> {
    let last = rendered.lines().last()?;
    let rest = last.strip_prefix("error: the spec has ")?;
    rest.split(' ').next()?.parse().ok()
}

fn check_case(case: &Case, update: bool) -> Result<(), String> {
    let (actual, diags) = render(case)?;
    let name = &case.name;
    if diags.is_empty() {
        return Err(format!("{name}: failed with no diagnostics"));
    }
    let prefix = format!("{CORPUS}/{name}/");
    for d in &diags {
        if d.message.trim().is_empty() {
            return Err(format!("{name}: a diagnostic has no message:\n{d}"));
        }
        if d.line == 0 || d.col == 0 {
            return Err(format!("{name}: a diagnostic has no place:\n{d}"));
        }
        if !d.file.starts_with(&prefix) {
            return Err(format!(
                "{name}: diagnostic names `{}`, outside the case:\n{d}",
                d.file
            ));
        }
        if d.hint.as_deref().is_none_or(|h| h.trim().is_empty()) {
            return Err(format!("{name}: a diagnostic has no hint:\n{d}"));
        }
    }
    let path = crate_dir().join(CORPUS).join(name).join(SNAPSHOT);
    if update {
        fs::write(&path, &actual).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let expected = fs::read_to_string(&path).map_err(|e| {
        format!(
            "{name}: cannot read {}: {e} (run with UPDATE_EXPECT=1 to create it)",
            Path::new(CORPUS).join(name).join(SNAPSHOT).display()
        )
    })?;
    let expected = expected.replace("\r\n", "\n");
    if expected != actual {
        return Err(format!(
            "{name}: diagnostics differ from {SNAPSHOT}\n--- expected\n{expected}\n--- actual\n{actual}"
        ));
    }
    let in_snapshot = count_errors(&expected);
    if in_snapshot != diags.len() {
        return Err(format!(
            "{name}: {} diagnostics, but the snapshot shows {in_snapshot}",
            diags.len()
        ));
    }
    if summary_count(&expected) != Some(diags.len()) {
        return Err(format!(
            "{name}: the summary line does not count {} errors",
            diags.len()
        ));
    }
    Ok(())
}

#[test]
fn every_broken_spec_is_rejected_with_its_snapshot() {
    let update = std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1");
    let cases = cases();
    assert!(
        cases.len() >= 35,
        "the corpus has only {} cases",
        cases.len()
    );
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| check_case(c, update).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_case_holds_only_its_edit_and_its_snapshot() {
    let base = corpus::base();
    for case in cases() {
        let dir = crate_dir().join(case.dir());
        let mut names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [EDIT, SNAPSHOT], "{}", case.name);
        assert_ne!(case.files, base, "{}: the edit changes nothing", case.name);
    }
}

#[test]
fn the_minimal_fixture_the_cases_start_from_is_valid() {
    let model =
        codegen::load_dir(&crate_dir().join(corpus::BASE)).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(model.events.len(), 2);
}
