//! The in-memory result of a codegen run: every file under `generated/`, rendered and ordered.
//!
//! Emitters add files here; nothing touches the disk until every emitter has succeeded, which is
//! what makes a run all-or-nothing (the writer lives in xtask).

use std::collections::BTreeMap;

/// Rendered files keyed by their path relative to the output directory (`/` separators).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outputs {
    files: BTreeMap<String, String>,
}

impl Outputs {
    /// An empty set of outputs.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file.
    ///
    /// # Panics
    /// If two emitters produce the same path: that is a generator bug, not a spec mistake.
    pub fn add(&mut self, path: impl Into<String>, contents: impl Into<String>) {
        let path = path.into();
        debug_assert!(
            !path.starts_with('/') && !path.contains('\\'),
            "bad output path {path}"
        );
        let previous = self.files.insert(path.clone(), contents.into());
        assert!(previous.is_none(), "two emitters produced {path}");
    }

    /// Adds every file of `other`.
    ///
    /// # Panics
    /// If both hold the same path, as [`Outputs::add`].
    pub fn merge(&mut self, other: Outputs) {
        for (path, contents) in other.files {
            self.add(path, contents);
        }
    }

    /// The files, in path order.
    pub fn files(&self) -> &BTreeMap<String, String> {
        &self.files
    }

    /// One file's contents.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }
}
