//! Three-way conformance of the generated artifacts: the spec's examples (as carried by the
//! event schemas), the JSON Schemas and the generated Rust crate must agree on every payload.
//!
//! The checks are in `tests/`; this library reads the checked-in schemas and builds the list of
//! cases they judge ([`cases`]), so other validators (the interop tests run ajv) judge exactly
//! the same payloads.

mod cases;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use deck_events::Event;
use jsonschema::{Registry, Validator};
use serde_json::Value;

pub use cases::{CONSTANTS_DIFFERENCE, Case, cases};

/// Path of the catalog, relative to the schemas directory.
pub const ENVELOPE: &str = "envelope.schema.json";

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

/// The checked-in schemas, with a `jsonschema` validator (draft 2020-12, formats asserted,
/// `$id`s resolved offline) for the catalog and each event schema.
pub struct Schemas {
    /// Every schema document, keyed by its path relative to the schemas directory.
    pub docs: BTreeMap<String, Value>,
    validators: BTreeMap<String, Validator>,
}

impl Schemas {
    /// Loads the schemas under [`schemas_dir`].
    ///
    /// # Panics
    /// If a schema cannot be read, is not JSON or does not compile.
    pub fn load() -> Schemas {
        let docs = load_schemas(&schemas_dir());
        let resources = docs.values().map(|d| {
            let id = d["$id"].as_str().expect("every schema has an `$id`");
            (id.to_owned(), d.clone())
        });
        let registry = Registry::new()
            .extend(resources)
            .and_then(|r| r.prepare())
            .unwrap_or_else(|e| panic!("registering the schemas: {e}"));
        let validators = docs
            .iter()
            .filter(|(path, _)| *path == ENVELOPE || path.starts_with("events/"))
            .map(|(path, doc)| {
                let validator = jsonschema::draft202012::options()
                    .should_validate_formats(true)
                    .with_registry(&registry)
                    .offline()
                    .build(doc)
                    .unwrap_or_else(|e| panic!("{path}: {e}"));
                (path.clone(), validator)
            })
            .collect();
        Schemas { docs, validators }
    }

    /// Whether the schema at `path` (the catalog or an event schema) accepts `instance`.
    ///
    /// # Panics
    /// If there is no such schema.
    pub fn accepts(&self, path: &str, instance: &Value) -> bool {
        self.validators
            .get(path)
            .unwrap_or_else(|| panic!("no validator for {path}"))
            .is_valid(instance)
    }

    /// The names of the required properties of the catalog's envelope (the same for every
    /// event).
    pub fn envelope_required(&self) -> Vec<String> {
        let defs = self.docs[ENVELOPE]["$defs"]
            .as_object()
            .expect("the catalog has `$defs`");
        let event = defs
            .iter()
            .find(|(key, _)| key.starts_with("event.") && *key != "event.known")
            .map(|(_, def)| def)
            .expect("the catalog defines an event");
        required(event)
    }

    /// The names of the required properties of the example's `data`.
    pub fn data_required(&self, example: &SchemaExample) -> Vec<String> {
        required(self.data_def(example))
    }

    /// The catalog definition of the example's `data`.
    pub fn data_def(&self, example: &SchemaExample) -> &Value {
        let defs = &self.docs[ENVELOPE]["$defs"];
        let event = &defs[format!("event.{}", example.event_type)];
        let reference = event["properties"]["data"]["$ref"]
            .as_str()
            .expect("an event's `data` refers to a definition");
        &defs[reference
            .strip_prefix("#/$defs/")
            .expect("a local reference")]
    }

    /// The fields of the example's `data` whose type is an (open) enum and that the example
    /// sets to a string.
    pub fn enum_fields(&self, example: &SchemaExample) -> Vec<String> {
        let defs = &self.docs[ENVELOPE]["$defs"];
        let Some(properties) = self.data_def(example)["properties"].as_object() else {
            return Vec::new();
        };
        let is_enum = |schema: &Value| {
            let key = schema["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix("#/$defs/"));
            key.is_some_and(|k| defs.get(format!("{k}.known")).is_some())
        };
        let present = |name: &String| example.json["data"].get(name).is_some_and(Value::is_string);
        properties
            .iter()
            .filter(|(name, schema)| is_enum(schema) && present(name))
            .map(|(name, _)| name.clone())
            .collect()
    }
}

/// The names under a schema object's `required`.
fn required(schema: &Value) -> Vec<String> {
    schema["required"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Parses `instance` with the Rust crate and writes it back, or the crate's error.
pub fn through_rust(instance: &Value) -> Result<Value, String> {
    let event: Event = serde_json::from_value(instance.clone()).map_err(|e| e.to_string())?;
    Ok(serde_json::to_value(&event).expect("an event always serializes"))
}

/// The Rust examples of the repository README, compiled and run as doctests so the usage shown to
/// consumers cannot drift from the generated crate.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeExamples;
