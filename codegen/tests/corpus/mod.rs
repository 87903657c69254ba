//! The corpus of broken specs (`tests/invalid/`): each case is one mistake, written as an edit of
//! the minimal fixture (`tests/fixtures/minimal`), so a case shows exactly what it breaks and the
//! base spec is written once.
//!
//! A case directory holds `edit.yaml` and the snapshot of its diagnostics, `expected.stderr`.
//! `edit.yaml` maps a file name to either a list of exact replacements (each `replace` text must
//! occur exactly once in the base file, and becomes `with`), or to `content:`, the whole file
//! (a new file, or one rewritten entirely):
//!
//! ```yaml
//! widgets.yaml:
//!   - replace: "      tags: { type: \"array<string>\", optional: true, description: Tags. }\n"
//!     with: "      tags: { type: \"array<string>\", optinal: true, description: Tags. }\n"
//! gadgets.yaml:
//!   content: "types: {}\n"
//! ```
//!
//! Diagnostics name the files as `tests/invalid/<case>/<file>`, as if the edited spec were written
//! there.

#![allow(dead_code)] // Each test crate uses a different part.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Where the cases are, relative to the crate.
pub const CORPUS: &str = "tests/invalid";
/// The spec every case edits, relative to the crate.
pub const BASE: &str = "tests/fixtures/minimal";
/// A case's edit.
pub const EDIT: &str = "edit.yaml";

/// This crate's directory, which the paths above are relative to.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One broken spec.
pub struct Case {
    /// The directory name.
    pub name: String,
    /// The edited spec: file name to text.
    pub files: BTreeMap<String, String>,
}

impl Case {
    /// The directory of the case, relative to the crate.
    pub fn dir(&self) -> PathBuf {
        Path::new(CORPUS).join(&self.name)
    }

    /// Loads the case's spec, naming its files as the case's directory would.
    pub fn load(&self) -> Result<codegen::Model, codegen::Diagnostics> {
        let prefix = self.dir().to_string_lossy().replace('\\', "/");
        codegen::load_files(&self.files).map_err(|d| d.with_file_prefix(&prefix))
    }
}

/// The base spec's files.
pub fn base() -> BTreeMap<String, String> {
    let dir = crate_dir().join(BASE);
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(&dir).expect("the base spec exists") {
        let path = entry.expect("a readable entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        files.insert(name, fs::read_to_string(&path).expect("a readable file"));
    }
    files
}

/// Every case, sorted by name.
///
/// # Panics
/// If an edit cannot be applied: its `replace` text is not in the base file exactly once.
pub fn cases() -> Vec<Case> {
    let base = base();
    let mut names: Vec<String> = fs::read_dir(crate_dir().join(CORPUS))
        .expect("the corpus directory exists")
        .map(|e| e.expect("readable corpus entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let path = crate_dir().join(CORPUS).join(&name).join(EDIT);
            let text =
                fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let files = apply(&base, &text).unwrap_or_else(|e| panic!("{name}/{EDIT}: {e}"));
            Case { name, files }
        })
        .collect()
}

/// The base spec with an `edit.yaml` applied.
fn apply(base: &BTreeMap<String, String>, edit: &str) -> Result<BTreeMap<String, String>, String> {
    let edit: serde_yaml::Mapping = serde_yaml::from_str(edit).map_err(|e| e.to_string())?;
    let mut files = base.clone();
    for (file, change) in edit {
        let file = file.as_str().ok_or("file names are strings")?.to_owned();
        let text = str_of(&change, "content")
            .map(str::to_owned)
            .map(Ok)
            .unwrap_or_else(|| {
                let mut text = files
                    .get(&file)
                    .ok_or_else(|| format!("`{file}` is not in the base spec: give its `content`"))?
                    .clone();
                let edits = change
                    .as_sequence()
                    .ok_or_else(|| format!("`{file}`: expected a list of replacements"))?;
                for e in edits {
                    let (find, with) = (str_of(e, "replace"), str_of(e, "with"));
                    let (Some(find), Some(with)) = (find, with) else {
                        return Err(format!("`{file}`: each edit has `replace` and `with`"));
                    };
                    if text.matches(find).count() != 1 {
                        return Err(format!(
                            "`{file}`: {find:?} is not in the file exactly once"
                        ));
                    }
                    text = text.replacen(find, with, 1);
                }
                Ok(text)
            })?;
        files.insert(file, text);
    }
    Ok(files)
}

fn str_of<'v>(v: &'v serde_yaml::Value, key: &str) -> Option<&'v str> {
    v.get(key)?.as_str()
}
