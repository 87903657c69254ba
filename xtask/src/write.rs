//! The one writer of `generated/`: compare rendered outputs with the tree, then write or report.
//!
//! Everything is rendered in memory before this runs, so a spec error never reaches the disk. The
//! writer then stages every changed file next to its target and renames the staged files into
//! place only once all of them were written, so an I/O failure midway leaves the old tree intact.
//! Files under the output directory that the generator no longer produces are deleted (write) or
//! reported (check), so a removed event never survives as a stale file.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::Outputs;

/// What to do with differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Make the tree match.
    Write,
    /// Change nothing; fail if the tree differs.
    Check,
}

/// The command that fixes drift, printed by check mode.
pub const FIX: &str = "cargo xtask codegen";

/// Directories inside the output tree that belong to builds, not to the generator.
const IGNORED_DIRS: &[&str] = &["target", "node_modules"];

/// Writes or checks `out` against `outputs`; returns a one-line summary.
pub fn sync(out: &Path, outputs: &Outputs, mode: Mode) -> Result<String, String> {
    let existing = list_files(out).map_err(|e| format!("cannot list {}: {e}", out.display()))?;
    let mut changed = Vec::new();
    let mut added = Vec::new();
    for (rel, text) in outputs.files() {
        let path = out.join(rel);
        match fs::read(&path) {
            Ok(bytes) if normalize(&bytes) == text.as_bytes() => {}
            Ok(bytes) => changed.push((
                rel.as_str(),
                Some(String::from_utf8_lossy(&bytes).into_owned()),
            )),
            Err(_) => added.push(rel.as_str()),
        }
    }
    let stale: Vec<&String> = existing
        .iter()
        .filter(|rel| outputs.get(rel).is_none())
        .collect();

    if mode == Mode::Check {
        if changed.is_empty() && added.is_empty() && stale.is_empty() {
            return Ok(format!(
                "{} is up to date ({} files)",
                out.display(),
                outputs.files().len()
            ));
        }
        let mut msg = String::new();
        for (rel, old) in &changed {
            let new = outputs.get(rel).expect("listed from outputs");
            let diff = similar::TextDiff::from_lines(old.as_deref().unwrap_or(""), new);
            let _ = writeln!(
                msg,
                "{} differs from what the spec produces:",
                out.join(rel).display()
            );
            let _ = write!(
                msg,
                "{}",
                diff.unified_diff()
                    .context_radius(2)
                    .header("checked in", "from spec")
            );
        }
        for rel in &added {
            let _ = writeln!(msg, "{} is missing", out.join(rel).display());
        }
        for rel in &stale {
            let _ = writeln!(
                msg,
                "{} is no longer produced by the spec (stale)",
                out.join(rel).display()
            );
        }
        let n = changed.len() + added.len() + stale.len();
        let _ = write!(
            msg,
            "error: {n} generated file{} out of date; run `{FIX}` and commit the result",
            if n == 1 { " is" } else { "s are" }
        );
        return Err(msg);
    }

    // Stage every new or changed file, then move them all into place.
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let stage = |rel: &str| -> Result<(PathBuf, PathBuf), String> {
        let target = out.join(rel);
        let dir = target.parent().expect("files live in a directory");
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let tmp = dir.join(format!(
            ".{}.codegen-tmp",
            target.file_name().expect("a file").to_string_lossy()
        ));
        fs::write(&tmp, outputs.get(rel).expect("listed"))
            .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
        Ok((tmp, target))
    };
    for rel in changed.iter().map(|(r, _)| *r).chain(added.iter().copied()) {
        match stage(rel) {
            Ok(pair) => staged.push(pair),
            Err(e) => {
                for (tmp, _) in &staged {
                    let _ = fs::remove_file(tmp);
                }
                return Err(format!("{e}\nnothing was changed"));
            }
        }
    }
    for (tmp, target) in &staged {
        fs::rename(tmp, target)
            .map_err(|e| format!("cannot move {} into place: {e}", target.display()))?;
    }
    for rel in &stale {
        let path = out.join(rel);
        fs::remove_file(&path)
            .map_err(|e| format!("cannot remove stale {}: {e}", path.display()))?;
        remove_empty_parents(out, &path);
    }
    Ok(format!(
        "{}: {} written, {} removed, {} unchanged",
        out.display(),
        staged.len(),
        stale.len(),
        outputs.files().len() - staged.len()
    ))
}

/// Writes or checks the key reference of the spec's README (`<spec>/README.md`), which is
/// generated from the same table of keys as the spec-format schemas. A spec directory without a
/// README, or a README without the reference's markers, is left alone: the reference belongs to
/// the repository's own spec, whose README a codegen test requires to hold it.
pub fn sync_readme(spec: &Path, mode: Mode) -> Result<Option<String>, String> {
    let path = spec.join("README.md");
    let Ok(old) = fs::read_to_string(&path) else {
        return Ok(None);
    };
    let Ok(new) = codegen::emit::spec_format::splice_readme(&old) else {
        return Ok(None);
    };
    if old.replace("\r\n", "\n") == new {
        return Ok(Some(format!("{} is up to date", path.display())));
    }
    if mode == Mode::Check {
        return Err(format!(
            "error: the key reference in {} is out of date; run `{FIX}` and commit the result",
            path.display()
        ));
    }
    let tmp = path.with_file_name(".README.md.codegen-tmp");
    fs::write(&tmp, new).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    fs::rename(&tmp, &path)
        .map_err(|e| format!("cannot move {} into place: {e}", path.display()))?;
    Ok(Some(format!("{}: key reference written", path.display())))
}

/// Checked-out files may have CRLF line ends on some platforms; the generator writes LF.
fn normalize(bytes: &[u8]) -> Vec<u8> {
    if bytes.contains(&b'\r') {
        String::from_utf8_lossy(bytes)
            .replace("\r\n", "\n")
            .into_bytes()
    } else {
        bytes.to_vec()
    }
}

fn list_files(out: &Path) -> std::io::Result<BTreeSet<String>> {
    let mut files = BTreeSet::new();
    if !out.exists() {
        return Ok(files);
    }
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type()?.is_dir() {
                if !IGNORED_DIRS.contains(&name.as_str()) {
                    stack.push(path);
                }
                continue;
            }
            let rel = path.strip_prefix(out).expect("under out");
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.insert(rel.join("/"));
        }
    }
    Ok(files)
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
