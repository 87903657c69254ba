//! Every payload the conformance tests judge, with the verdicts expected of the Rust crate and of
//! the JSON Schemas.
//!
//! The list is built here, not in the tests, so that every validator judges the same cases: the
//! `jsonschema` crate in `tests/schema_vs_rust.rs`, and ajv in the interop tests. A new kind of
//! case is a new function below, called from [`cases`].

use serde_json::{Value, json};

use crate::{ENVELOPE, SchemaExample, Schemas, schema_examples, through_rust};

/// One payload and what each side must make of it.
#[derive(Debug, Clone)]
pub struct Case {
    /// Unique, readable name: the example it starts from and what was done to it
    /// (`task_run.completed example 0: without \`type\``).
    pub name: String,
    /// The whole event.
    pub payload: Value,
    /// The schemas that judge it, as paths relative to the schemas directory: the event's own
    /// schema (unless the case changes the event type) and always the catalog.
    pub schemas: Vec<String>,
    /// Expected verdict of the Rust crate: `deck_events::Event` parses it.
    pub rust: bool,
    /// Expected verdict of every schema in [`Case::schemas`], validating formats.
    pub schema: bool,
    /// Why the two verdicts differ, when they do: a difference `spec/README.md` documents.
    pub difference: Option<&'static str>,
}

/// A constant field is checked by the schema, while the crate keeps whatever string it receives.
pub const CONSTANTS_DIFFERENCE: &str = "constants are checked by the schema only \
     (spec/README.md, \"JSON Schemas: open enums and unknown events\")";

/// Every case, for every example of every event schema: the example as given, payloads a later
/// compatible version of the spec may send, broken payloads, the documented differences, and,
/// for each case both sides accept, the crate's own parse-and-write-back of it.
///
/// # Panics
/// If the schemas hold no examples: a conformance run over nothing would prove nothing.
pub fn cases(schemas: &Schemas) -> Vec<Case> {
    let examples = schema_examples(&schemas.docs);
    assert!(!examples.is_empty(), "the event schemas hold no examples");
    let envelope = schemas.envelope_required();
    let mut cases = Vec::new();
    for example in &examples {
        let data = schemas.data_required(example);
        let enum_fields = schemas.enum_fields(example);
        cases.push(as_given(example));
        cases.extend(later_compatible_versions(example, &enum_fields));
        cases.extend(broken(example, &enum_fields));
        cases.extend(documented_differences(example));
        cases.push(summary(example, &envelope, &data));
        cases.extend(omissions(example, &envelope, &data));
    }
    let written_back: Vec<Case> = cases
        .iter()
        .filter(|c| c.rust && c.schema)
        .filter_map(written_back)
        .collect();
    cases.extend(written_back);
    cases
}

fn label(example: &SchemaExample) -> String {
    format!("{} example {}", example.event_type, example.index)
}

/// A case judged by the example's event schema and the catalog.
fn case(example: &SchemaExample, what: &str, payload: Value, valid: bool) -> Case {
    Case {
        name: format!("{}: {what}", label(example)),
        payload,
        schemas: vec![example.schema.clone(), ENVELOPE.to_owned()],
        rust: valid,
        schema: valid,
        difference: None,
    }
}

fn as_given(example: &SchemaExample) -> Case {
    case(example, "as given", example.json.clone(), true)
}

/// What a later compatible version may send: both sides accept it (adding an event type, a field
/// or an enum value is compatible). `enum_fields` are the example's enum fields
/// ([`Schemas::enum_fields`]).
fn later_compatible_versions(example: &SchemaExample, enum_fields: &[String]) -> Vec<Case> {
    let mut out = Vec::new();

    // Only the catalog judges an unknown type: an event's own schema accepts only its type.
    let mut unknown_type = example.json.clone();
    unknown_type["type"] = json!("task_run.from_a_later_version");
    unknown_type["data"] = json!({ "anything": [1, "two"] });
    out.push(Case {
        schemas: vec![ENVELOPE.to_owned()],
        ..case(example, "with an unknown event type", unknown_type, true)
    });

    let mut new_fields = example.json.clone();
    new_fields["field_from_a_later_version"] = json!(1);
    new_fields["data"]["field_from_a_later_version"] = json!({ "a": null });
    out.push(case(example, "with new fields", new_fields, true));

    for field in enum_fields {
        let mut new_value = example.json.clone();
        new_value["data"][field] = json!("value_from_a_later_version");
        out.push(case(
            example,
            &format!("with a new `data.{field}` value"),
            new_value,
            true,
        ));
    }
    out
}

/// A way to break an example, and its description.
type Breakage = (&'static str, fn(&mut Value));

const BREAKAGES: &[Breakage] = &[
    ("without `type`", |v| remove(v, "type")),
    ("with a number for `type`", |v| v["type"] = json!(42)),
    ("without `data`", |v| remove(v, "data")),
    ("with a string for `data`", |v| {
        v["data"] = json!("not an object")
    }),
    ("without `id`", |v| remove(v, "id")),
    ("with a number for `id`", |v| v["id"] = json!(42)),
    ("with a bad `created_at`", |v| {
        v["created_at"] = json!("yesterday at noon")
    }),
];

fn remove(v: &mut Value, key: &str) {
    v.as_object_mut()
        .expect("an example is an object")
        .remove(key);
}

/// Broken payloads: both sides reject them. `enum_fields` as for [`later_compatible_versions`].
fn broken(example: &SchemaExample, enum_fields: &[String]) -> Vec<Case> {
    let mut out = Vec::new();
    for (what, breakage) in BREAKAGES {
        let mut payload = example.json.clone();
        breakage(&mut payload);
        out.push(case(example, what, payload, false));
    }
    for field in enum_fields {
        let mut payload = example.json.clone();
        payload["data"][field] = json!(42);
        out.push(case(
            example,
            &format!("with a number for `data.{field}`"),
            payload,
            false,
        ));
    }
    out
}

/// The least a delivery may carry: only what the schemas require, in the envelope and in `data`.
/// Deck sends summaries of its resources, so every event type must take one. `envelope` and
/// `data` are the required fields ([`Schemas::envelope_required`], [`Schemas::data_required`]).
fn summary(example: &SchemaExample, envelope: &[String], data: &[String]) -> Case {
    let mut payload = example.json.clone();
    let object = payload.as_object_mut().expect("an example is an object");
    object.retain(|key, _| envelope.contains(key));
    if let Some(fields) = object.get_mut("data").and_then(Value::as_object_mut) {
        fields.retain(|key, _| data.contains(key));
    }
    case(example, "as a summary", payload, true)
}

/// Each field of the envelope and of `data`, left out: accepted by both sides when it is
/// optional, rejected by both when it is required. The crate and the schemas must agree on what a
/// delivery may omit. `envelope` and `data` as for [`summary`].
fn omissions(example: &SchemaExample, envelope: &[String], data: &[String]) -> Vec<Case> {
    let mut out = Vec::new();
    for key in example.json.as_object().into_iter().flat_map(|o| o.keys()) {
        let mut payload = example.json.clone();
        remove(&mut payload, key);
        let optional = !envelope.contains(key);
        out.push(case(
            example,
            &format!("omitting `{key}`"),
            payload,
            optional,
        ));
    }
    for key in example.json["data"]
        .as_object()
        .into_iter()
        .flat_map(|o| o.keys())
    {
        let mut payload = example.json.clone();
        remove(&mut payload["data"], key);
        let optional = !data.contains(key);
        out.push(case(
            example,
            &format!("omitting `data.{key}`"),
            payload,
            optional,
        ));
    }
    out
}

/// Where the schema is documented as the stricter: the crate accepts, the schemas reject.
fn documented_differences(example: &SchemaExample) -> Vec<Case> {
    let mut other = example.json.clone();
    other["object"] = json!("not_event");
    vec![Case {
        rust: true,
        schema: false,
        difference: Some(CONSTANTS_DIFFERENCE),
        ..case(example, "with another `object` constant", other, false)
    }]
}

/// What the crate writes back after parsing a case both sides accept: the schemas that judged
/// the case accept it too. `None` if the crate cannot parse the case, which the case's own
/// verdict reports.
fn written_back(case: &Case) -> Option<Case> {
    let payload = through_rust(&case.payload).ok()?;
    Some(Case {
        name: format!("{}, written back by the crate", case.name),
        payload,
        ..case.clone()
    })
}
