//! The shape of every payload: which fields are open enums, which are required, which may be
//! `null`, and their JSON types.
//!
//! The crate's `fixtures` module gives the examples, but not this: its Rust types do not describe
//! their fields at run time. The JSON Schema of the envelope does, and it is generated from the
//! same model as the crate, by the same `cargo xtask codegen` (CI proves both match the spec), so
//! it is the one answer for these facts, not a second list. It is compiled in, so the tool and
//! its crate always come from the same spec; `check --catalog` may read another rendering instead,
//! through the same reader.

use std::path::Path;
use std::sync::OnceLock;

use serde_json::{Map, Value};

/// The envelope's schema, with every event's and every type's under `$defs`.
const ENVELOPE: &str = include_str!("../../generated/schemas/envelope.schema.json");

/// The `$defs` of the envelope schema in use: the built-in one, unless [`load`] gave another
/// first. Loaded once per process and kept for its life, so schema nodes are `'static`.
static DEFS: OnceLock<&'static Map<String, Value>> = OnceLock::new();

fn defs_of(schema: Value) -> Result<&'static Map<String, Value>, String> {
    match schema {
        Value::Object(mut schema) => match schema.remove("$defs") {
            Some(Value::Object(defs)) => Ok(Box::leak(Box::new(defs))),
            _ => Err("the envelope schema has no `$defs` object".to_owned()),
        },
        _ => Err("the envelope schema is not a JSON object".to_owned()),
    }
}

/// Reads the envelope schema from `path` instead of the built-in one: another rendering of the
/// catalog, such as a spec being edited. Must come before anything reads the schema.
pub fn load(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    let schema: Value = serde_json::from_str(&text)
        .map_err(|err| format!("{} is not JSON: {err}", path.display()))?;
    let defs = defs_of(schema).map_err(|err| format!("{}: {err}", path.display()))?;
    if !defs.contains_key(UNKNOWN_EVENT_KEY) {
        return Err(format!(
            "{}: the envelope schema has no `{UNKNOWN_EVENT_KEY}` definition in `$defs`",
            path.display()
        ));
    }
    DEFS.set(defs)
        .map_err(|_| "the envelope schema was already read".to_owned())
}

/// The envelope schema's definitions, by name: `event.<type>` for each event type, and each type.
pub fn defs() -> &'static Map<String, Value> {
    DEFS.get_or_init(|| {
        let schema: Value =
            serde_json::from_str(ENVELOPE).expect("the generated envelope schema is JSON");
        defs_of(schema).expect("the generated envelope schema has `$defs`")
    })
}

/// The definition a `$ref` names (`#/$defs/<name>`), if it is one of this document's.
pub fn reference(target: &str) -> Option<&'static Value> {
    defs().get(target.strip_prefix("#/$defs/")?)
}

// `EVENT_KEY_PREFIX` and `UNKNOWN_EVENT_KEY`, taken from the schema emitter by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/schema_keys.rs"));

/// The `$defs` key of an event type's definition, as the schema emitter writes it.
pub fn event_key(event_type: &str) -> String {
    format!("{EVENT_KEY_PREFIX}{event_type}")
}

/// Whether a schema node is the `{"type": "null"}` branch the schema writes beside a nullable
/// reference, in an `anyOf`.
pub fn is_null_branch(node: &Value) -> bool {
    node.get("type").is_some_and(|t| t == "null")
}

/// The known values of an open enum, which the schema writes as `oneOf` one branch per known
/// value and a branch `{"not": {"enum": [...known values]}}` for the values a later version may
/// add; `None` for any other node.
pub fn open_enum_values(node: &Value) -> Option<&Vec<Value>> {
    node.get("oneOf")?
        .as_array()?
        .iter()
        .find_map(|branch| branch.get("not")?.get("enum")?.as_array())
}

/// A schema node of the envelope's schema.
#[derive(Debug, Clone, Copy)]
pub struct Schema(&'static Value);

impl Schema {
    /// The schema of an event of `event_type`, envelope and payload; `None` for a type the spec
    /// does not define.
    pub fn event(event_type: &str) -> Option<Schema> {
        defs().get(&event_key(event_type)).map(Schema)
    }

    /// This node with its `$ref`s followed.
    fn resolved(self) -> Schema {
        let mut node = self.0;
        // References only name `$defs` of the same document; a few hops at most.
        for _ in 0..16 {
            let Some(target) = node.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match reference(target) {
                Some(def) => node = def,
                None => break,
            }
        }
        Schema(node)
    }

    /// Whether the value may be `null`: `"type": [..., "null"]`, or `anyOf` with a `null` branch.
    pub fn nullable(self) -> bool {
        let node = self.resolved().0;
        let types_null = match node.get("type") {
            Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
            Some(t) => t == "null",
            None => false,
        };
        types_null || self.null_branch().is_some()
    }

    /// The `anyOf` branches of this node, when one of them is `null`.
    fn null_branch(self) -> Option<&'static [Value]> {
        let branches = self.resolved().0.get("anyOf")?.as_array()?;
        branches
            .iter()
            .any(is_null_branch)
            .then_some(branches.as_slice())
    }

    /// What a non-null value must match: the one non-null branch of an `anyOf` with `null`, or
    /// this node.
    pub fn non_null(self) -> Schema {
        if let Some(branches) = self.null_branch() {
            let mut others = branches.iter().filter(|branch| !is_null_branch(branch));
            if let (Some(only), None) = (others.next(), others.next()) {
                return Schema(only).resolved();
            }
        }
        self.resolved()
    }

    /// The schema of property `name` of an object.
    pub fn property(self, name: &str) -> Option<Schema> {
        self.non_null().0.get("properties")?.get(name).map(Schema)
    }

    /// The names of an object's properties, in the schema's order.
    pub fn property_names(self) -> Vec<&'static str> {
        match self.non_null().0.get("properties") {
            Some(Value::Object(properties)) => properties.keys().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether an object requires property `name`.
    pub fn requires(self, name: &str) -> bool {
        match self.non_null().0.get("required") {
            Some(Value::Array(required)) => required.iter().any(|r| r == name),
            _ => false,
        }
    }

    /// The schema of an array's items.
    pub fn items(self) -> Option<Schema> {
        self.non_null().0.get("items").map(Schema)
    }

    /// Whether the value is an open enum: one of the spec's values or, as a later version may
    /// send, any other string ([`open_enum_values`]).
    pub fn is_open_enum(self) -> bool {
        open_enum_values(self.non_null().0).is_some()
    }

    /// The JSON types a non-null value may have (`"string"`, `"integer"`, ...); empty when the
    /// schema does not say (free-form JSON, a `oneOf`).
    pub fn json_types(self) -> Vec<&'static str> {
        match self.non_null().0.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the value is free text: a string without a format, a constant or a set of values.
    pub fn is_free_text(self) -> bool {
        let node = self.non_null().0;
        self.json_types() == ["string"]
            && ["format", "const", "enum", "oneOf", "x-id-prefix"]
                .iter()
                .all(|key| node.get(key).is_none())
    }
}

#[cfg(test)]
mod tests {
    use deck_events::fixtures::CATALOG;

    use super::*;

    #[test]
    fn every_event_type_of_the_catalog_has_a_schema() {
        for entry in CATALOG {
            let schema = Schema::event(entry.event_type().as_str()).unwrap();
            assert!(schema.requires("data"), "{}", entry.event_type());
            assert!(schema.property("data").is_some());
        }
        assert!(Schema::event("future_object.created").is_none());
    }

    #[test]
    fn fields_read_as_the_spec_writes_them() {
        let run = Schema::event("task_run.completed")
            .unwrap()
            .property("data")
            .unwrap();
        assert!(run.requires("status") && !run.requires("result"));
        let status = run.property("status").unwrap();
        assert!(status.is_open_enum() && !status.nullable());
        let result = run.property("result").unwrap();
        assert!(result.is_open_enum() && result.nullable());
        let runtime = run.property("runtime_ms").unwrap();
        assert_eq!(runtime.json_types(), ["integer"]);
        assert!(runtime.nullable() && !runtime.is_open_enum());
        assert!(!run.property("id").unwrap().is_free_text());
        assert!(!run.property("created_at").unwrap().is_free_text());
        let storage = run.property("storage").unwrap().items().unwrap();
        assert!(storage.property("object").unwrap().is_open_enum());
        let agent = Schema::event("agent.created")
            .unwrap()
            .property("data")
            .unwrap();
        assert!(agent.property("description").unwrap().is_free_text());
    }
}
