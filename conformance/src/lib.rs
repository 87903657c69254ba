//! Three-way conformance of the generated artifacts: the spec's examples (as carried by the
//! event schemas), the JSON Schemas and the generated Rust crate must agree on every payload.
//!
//! The checks are in `tests/`; this library only reads the checked-in schemas, so the Rust
//! crate's own tests can reuse the same example list.

#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The directory of the checked-in JSON Schemas.
pub fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/schemas")
}

/// Every schema file under `dir`, parsed, keyed by its path relative to `dir` (`/`-separated,
/// `events/task_run.completed.schema.json`).
///
/// # Panics
/// If a file cannot be read or is not JSON: the checked-in schemas are broken.
pub fn load_schemas(dir: &Path) -> BTreeMap<String, Value> {
    let mut docs = BTreeMap::new();
    collect(dir, "", &mut docs);
    docs
}

fn collect(dir: &Path, prefix: &str, docs: &mut BTreeMap<String, Value>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 file names")
            .to_owned();
        let rel = format!("{prefix}{name}");
        if path.is_dir() {
            collect(&path, &format!("{rel}/"), docs);
        } else if name.ends_with(".schema.json") {
            let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let doc = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
            docs.insert(rel, doc);
        }
    }
}

/// One example event of the spec.
#[derive(Debug, Clone)]
pub struct SchemaExample {
    /// The event type (`task_run.completed`).
    pub event_type: String,
    /// Path of the event's schema, relative to the schemas directory.
    pub schema: String,
    /// Position among the event's examples.
    pub index: usize,
    /// The whole event, as the spec gives it.
    pub json: Value,
}

/// Every example of every event schema in `docs` (as returned by [`load_schemas`]), in path
/// order: the spec's examples, which the schema emitter copies into `examples`.
pub fn schema_examples(docs: &BTreeMap<String, Value>) -> Vec<SchemaExample> {
    let mut out = Vec::new();
    for (path, doc) in docs {
        let Some(event_type) = path
            .strip_prefix("events/")
            .and_then(|p| p.strip_suffix(".schema.json"))
        else {
            continue;
        };
        let examples = doc["examples"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (index, json) in examples.iter().enumerate() {
            let event_type = event_type.to_owned();
            out.push(SchemaExample {
                event_type,
                schema: path.clone(),
                index,
                json: json.clone(),
            });
        }
    }
    out
}

/// The Rust examples of the repository README, compiled and run as doctests so the usage shown to
/// consumers cannot drift from the generated crate.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeExamples;
