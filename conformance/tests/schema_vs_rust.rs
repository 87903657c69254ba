//! The spec's examples, the JSON Schemas and the generated Rust crate agree: for every example,
//! the crate's parse-and-write-back validates against the event's schema and the envelope, and on
//! payloads from a later compatible version (new event type, enum value or field) or broken ones,
//! the crate and a validator give the same verdict, except where `spec/README.md` documents that
//! the schema is the stricter.

use std::collections::BTreeMap;

use conformance::{SchemaExample, load_schemas, schema_examples, schemas_dir};
use deck_events::Event;
use jsonschema::{Registry, Validator};
use serde_json::{Value, json};

const ENVELOPE: &str = "envelope.schema.json";

/// The checked-in schemas with a validator for each, resolving `$id`s offline.
struct Schemas {
    docs: BTreeMap<String, Value>,
    validators: BTreeMap<String, Validator>,
}

impl Schemas {
    fn load() -> Schemas {
        let docs = load_schemas(&schemas_dir());
        let resources = docs
            .values()
            .map(|d| (d["$id"].as_str().unwrap().to_owned(), d.clone()));
        let registry = Registry::new()
            .extend(resources)
            .unwrap()
            .prepare()
            .unwrap();
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

    /// Whether the example's own event schema and the envelope accept `instance`, which must agree.
    fn accepts(&self, example: &SchemaExample, instance: &Value) -> bool {
        let by_event = self.validators[&example.schema].is_valid(instance);
        let by_envelope = self.validators[ENVELOPE].is_valid(instance);
        assert_eq!(
            by_event,
            by_envelope,
            "{}: the event schema and the envelope disagree on\n{instance:#}",
            label(example)
        );
        by_event
    }

    /// The catalog definition of the example's `data`.
    fn data_def(&self, example: &SchemaExample) -> &Value {
        let defs = &self.docs[ENVELOPE]["$defs"];
        let event = &defs[format!("event.{}", example.event_type)];
        let reference = event["properties"]["data"]["$ref"].as_str().unwrap();
        &defs[reference.strip_prefix("#/$defs/").unwrap()]
    }

    /// The `data` fields of the example whose type is an (open) enum.
    fn enum_fields(&self, example: &SchemaExample) -> Vec<String> {
        let defs = &self.docs[ENVELOPE]["$defs"];
        let properties = self.data_def(example)["properties"].as_object().unwrap();
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

fn label(example: &SchemaExample) -> String {
    format!("{} example {}", example.event_type, example.index)
}

/// Parses with the Rust crate and writes back, or the crate's error.
fn through_rust(instance: &Value) -> Result<Value, String> {
    let event: Event = serde_json::from_value(instance.clone()).map_err(|e| e.to_string())?;
    Ok(serde_json::to_value(&event).expect("an event always serializes"))
}

/// Checks that the crate and the schemas agree on `instance`, and that whatever the crate writes
/// back validates.
fn assert_agree(
    schemas: &Schemas,
    example: &SchemaExample,
    instance: &Value,
    expect_valid: bool,
    what: &str,
) {
    let rust = through_rust(instance);
    let schema = schemas.accepts(example, instance);
    let context = format!(
        "{} {what}: rust {rust:?}, schema {schema}\n{instance:#}",
        label(example)
    );
    assert_eq!(rust.is_ok(), expect_valid, "{context}");
    assert_eq!(schema, expect_valid, "{context}");
    if let Ok(written) = rust {
        assert!(
            schemas.validators[ENVELOPE].is_valid(&written),
            "{context}\nwritten back:\n{written:#}"
        );
    }
}

fn examples(schemas: &Schemas) -> Vec<SchemaExample> {
    let examples = schema_examples(&schemas.docs);
    assert!(
        !examples.is_empty(),
        "no examples under {}",
        schemas_dir().display()
    );
    examples
}

#[test]
fn every_example_written_back_by_the_crate_validates() {
    let schemas = Schemas::load();
    for example in examples(&schemas) {
        let written =
            through_rust(&example.json).unwrap_or_else(|e| panic!("{}: {e}", label(&example)));
        assert!(
            schemas.accepts(&example, &example.json),
            "{}: the spec's example",
            label(&example)
        );
        assert!(
            schemas.accepts(&example, &written),
            "{}: written back by the crate\n{written:#}",
            label(&example)
        );
    }
}

#[test]
fn both_accept_what_a_later_compatible_version_may_send() {
    let schemas = Schemas::load();
    for example in examples(&schemas) {
        let mut unknown_type = example.json.clone();
        unknown_type["type"] = json!("task_run.from_a_later_version");
        unknown_type["data"] = json!({ "anything": [1, "two"] });
        let rust = through_rust(&unknown_type);
        assert!(
            schemas.validators[ENVELOPE].is_valid(&unknown_type),
            "{}: unknown type",
            label(&example)
        );
        let written = rust.unwrap_or_else(|e| panic!("{}: unknown type: {e}", label(&example)));
        assert!(
            schemas.validators[ENVELOPE].is_valid(&written),
            "{}: unknown type written back",
            label(&example)
        );

        let mut new_fields = example.json.clone();
        new_fields["field_from_a_later_version"] = json!(1);
        new_fields["data"]["field_from_a_later_version"] = json!({ "a": null });
        assert_agree(&schemas, &example, &new_fields, true, "with new fields");

        for field in schemas.enum_fields(&example) {
            let mut new_value = example.json.clone();
            new_value["data"][&field] = json!("value_from_a_later_version");
            assert_agree(
                &schemas,
                &example,
                &new_value,
                true,
                &format!("with a new `{field}` value"),
            );
        }
    }
}

/// A way to break an example, and its description.
type Breakage = (&'static str, fn(&mut Value));

#[test]
fn both_reject_broken_examples() {
    let schemas = Schemas::load();
    for example in examples(&schemas) {
        let breakages: Vec<Breakage> = vec![
            ("without `type`", |v| {
                drop(v.as_object_mut().unwrap().remove("type"))
            }),
            ("with a number for `type`", |v| v["type"] = json!(42)),
            ("without `data`", |v| {
                drop(v.as_object_mut().unwrap().remove("data"))
            }),
            ("with a string for `data`", |v| {
                v["data"] = json!("not an object")
            }),
            ("without `id`", |v| {
                drop(v.as_object_mut().unwrap().remove("id"))
            }),
            ("with a number for `id`", |v| v["id"] = json!(42)),
            ("with a bad `created_at`", |v| {
                v["created_at"] = json!("yesterday at noon")
            }),
        ];
        for (what, breakage) in breakages {
            let mut broken = example.json.clone();
            breakage(&mut broken);
            assert_agree(&schemas, &example, &broken, false, what);
        }
        for field in schemas.enum_fields(&example) {
            let mut broken = example.json.clone();
            broken["data"][&field] = json!(42);
            assert_agree(
                &schemas,
                &example,
                &broken,
                false,
                &format!("with a number for `{field}`"),
            );
        }
    }
}

/// Documented in spec/README.md: a constant field (`object`) is checked by the schema, while the
/// crate keeps whatever string it receives.
#[test]
fn documented_difference_constants_are_checked_by_the_schema_only() {
    let schemas = Schemas::load();
    for example in examples(&schemas) {
        let mut other = example.json.clone();
        other["object"] = json!("not_event");
        assert!(!schemas.accepts(&example, &other), "{}", label(&example));
        assert!(
            through_rust(&other).is_ok(),
            "{}: the crate now checks constants; update spec/README.md",
            label(&example)
        );
    }
}

/// The catalog's rule for payloads (spec/README.md): a delivery guarantees only the resource's
/// identity, so every resource requires `id`, `object` and, where it has one, `status`, and
/// nothing else.
#[test]
fn every_resource_requires_only_its_identity() {
    let schemas = Schemas::load();
    for example in examples(&schemas) {
        let data = schemas.data_def(&example);
        let required: Vec<&str> = data["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut expected = vec!["id", "object"];
        if data["properties"].get("status").is_some() {
            expected.push("status");
        }
        let mut sorted = required.clone();
        sorted.sort_unstable();
        expected.sort_unstable();
        assert_eq!(
            sorted,
            expected,
            "{}: `data` requires {required:?}",
            label(&example)
        );
    }
}

/// The names of the required properties of a schema object.
fn required_of(schema: &Value) -> Vec<String> {
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

/// A summary delivery (only what the schemas require, in the envelope and in `data`) of every
/// event type parses into its typed variant, and both the event's schema and the envelope accept
/// it. This is what Deck sends when `data` is "a summary of the resource".
#[test]
fn summaries_of_every_event_type_are_accepted() {
    let schemas = Schemas::load();
    let envelope_required =
        required_of(&schemas.docs[ENVELOPE]["$defs"]["event.task_run.completed"]);
    let mut types = std::collections::BTreeSet::new();
    for example in examples(&schemas) {
        let data_required = required_of(schemas.data_def(&example));
        let mut summary = example.json.clone();
        let envelope_keys: Vec<String> = summary.as_object().unwrap().keys().cloned().collect();
        for key in envelope_keys {
            if !envelope_required.contains(&key) {
                summary.as_object_mut().unwrap().remove(&key);
            }
        }
        summary["data"]
            .as_object_mut()
            .unwrap()
            .retain(|key, _| data_required.contains(key));
        assert_agree(&schemas, &example, &summary, true, "as a summary");
        let event: Event = serde_json::from_value(summary.clone()).unwrap();
        assert!(
            !matches!(event.data, deck_events::EventData::Unknown(_)),
            "{}: a summary decoded as an unknown event",
            label(&example)
        );
        assert_eq!(event.event_type().as_str(), example.event_type);
        types.insert(example.event_type.clone());
    }
    assert_eq!(
        types.len(),
        deck_events::EventType::ALL.len(),
        "every event type has a summary"
    );
}

/// Each optional field of the envelope and of `data`, left out of an example, is accepted by the
/// crate and by both schemas; each required one, left out, is rejected by all three.
#[test]
fn the_crate_and_the_schemas_agree_on_what_a_delivery_may_omit() {
    let schemas = Schemas::load();
    let envelope_required =
        required_of(&schemas.docs[ENVELOPE]["$defs"]["event.task_run.completed"]);
    for example in examples(&schemas) {
        let data_required = required_of(schemas.data_def(&example));
        for key in example.json.as_object().unwrap().keys() {
            let mut without = example.json.clone();
            without.as_object_mut().unwrap().remove(key);
            let required = envelope_required.contains(key);
            assert_agree(
                &schemas,
                &example,
                &without,
                !required,
                &format!("without `{key}`"),
            );
        }
        for key in example.json["data"].as_object().unwrap().keys() {
            let mut without = example.json.clone();
            without["data"].as_object_mut().unwrap().remove(key);
            let required = data_required.contains(key);
            assert_agree(
                &schemas,
                &example,
                &without,
                !required,
                &format!("without `data.{key}`"),
            );
        }
    }
}
