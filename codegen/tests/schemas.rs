//! The JSON Schemas, checked with a real validator (draft 2020-12, formats asserted, offline):
//! they are valid schemas, laid out as documented, deterministic, accept every spec example and
//! reject each example with one field broken, and treat unknown event types, enum values and
//! fields as `spec/README.md` says.

mod schema_support;

use std::path::Path;

use codegen::emit::schema::{ENVELOPE_PATH, base_id, event_path, id_of, resource_path};
use codegen::model::{EventDef, Field, Model, TypeKind, TypeRef};
use codegen::{Outputs, emit};
use schema_support::{Schemas, errors};
use serde_json::{Value, json};

/// A model with its rendered outputs and their schemas.
struct Case {
    name: &'static str,
    model: Model,
    out: Outputs,
    schemas: Schemas,
}

impl Case {
    fn new(name: &'static str, model: Model) -> Case {
        let mut out = Outputs::new();
        emit::schema::emit(&model, &mut out);
        let schemas = Schemas::new(&out);
        Case {
            name,
            model,
            out,
            schemas,
        }
    }
}

/// Every model the properties are checked on: the catalogs of the test suite that use every
/// feature of the format and every keyword, and the real spec.
fn cases() -> Vec<Case> {
    let load = |dir: &str| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        codegen::load_dir(&dir).unwrap_or_else(|d| panic!("{} does not load:\n{d}", dir.display()))
    };
    vec![
        Case::new("features", load("tests/fixtures/features")),
        Case::new("keywords", load("tests/fixtures/keywords")),
        Case::new("spec", load("../spec")),
    ]
}

/// One example payload of an event, in the spec's form or the Rust crate's canonical form.
struct Sample<'a> {
    event: &'a EventDef,
    label: String,
    json: Value,
}

fn samples(model: &Model) -> Vec<Sample<'_>> {
    let mut samples = Vec::new();
    for event in &model.events {
        for (i, example) in event.examples.iter().enumerate() {
            let wire = &event.name;
            samples.push(Sample {
                event,
                label: format!("{wire} example {i}"),
                json: example.json.clone(),
            });
            samples.push(Sample {
                event,
                label: format!("{wire} example {i} (canonical)"),
                json: codegen::emit::rust::canonical_example(model, event, &example.json),
            });
        }
    }
    samples
}

/// The fields of an event's `data` type, if it is an object.
fn data_fields<'m>(model: &'m Model, event: &EventDef) -> &'m [Field] {
    match &model.ty(event.data).kind {
        TypeKind::Object { fields, .. } => fields,
        _ => &[],
    }
}

/// Checks that the event's schema and the envelope both accept or both reject `instance`.
fn assert_verdict(case: &Case, event: &EventDef, instance: &Value, valid: bool, what: &str) {
    for path in [event_path(&event.name), ENVELOPE_PATH.to_owned()] {
        let validator = case.schemas.validator(&path);
        let verdict = validator.is_valid(instance);
        assert_eq!(
            verdict,
            valid,
            "{}: {path} {} {what}\n{}\n{}",
            case.name,
            if valid { "rejects" } else { "accepts" },
            errors(&validator, instance),
            serde_json::to_string_pretty(instance).unwrap(),
        );
    }
}

#[test]
fn layout_is_one_catalog_one_file_per_event_and_per_type() {
    for case in cases() {
        let mut expected: Vec<String> = vec![ENVELOPE_PATH.to_owned()];
        expected.extend(case.model.events.iter().map(|e| event_path(&e.name)));
        expected.extend(case.model.types.iter().map(|t| resource_path(&t.slug)));
        expected.sort();
        let actual: Vec<&String> = case.schemas.docs.keys().collect();
        assert_eq!(actual, expected.iter().collect::<Vec<_>>(), "{}", case.name);
        let base = base_id(&case.model);
        let version = case.model.package.version;
        let line = match (version.major, version.minor) {
            (0, 0) => format!("v0.0.{}", version.patch),
            (0, minor) => format!("v0.{minor}"),
            (major, _) => format!("v{major}"),
        };
        assert!(
            base.ends_with(&format!("/{line}/")),
            "{}: the compatibility line {line} is in the `$id`s: {base}",
            case.name
        );
        for (path, doc) in &case.schemas.docs {
            assert_eq!(
                schema_support::id(doc),
                id_of(&base, path),
                "{}: `$id` of {path}",
                case.name
            );
            assert_eq!(
                doc["$schema"],
                json!("https://json-schema.org/draft/2020-12/schema")
            );
        }
    }
}

#[test]
fn every_schema_is_valid_against_the_2020_12_meta_schema() {
    for case in cases() {
        for (path, doc) in &case.schemas.docs {
            if let Err(e) = jsonschema::draft202012::meta::validate(doc) {
                panic!("{}: {path} is not a valid 2020-12 schema: {e}", case.name);
            }
            // Building resolves every `$ref`, through the registry only.
            case.schemas.validator(path);
        }
    }
}

/// Shapes are defined once, in the catalog; entry points only point at them.
#[test]
fn entry_points_refer_to_the_catalog_and_copy_nothing() {
    let allowed = [
        "$schema",
        "$id",
        "$comment",
        "$ref",
        "title",
        "description",
        "examples",
        "deprecated",
    ];
    for case in cases() {
        for (path, doc) in &case.schemas.docs {
            if path == ENVELOPE_PATH {
                continue;
            }
            let doc = doc.as_object().unwrap();
            for key in doc.keys() {
                let ok = allowed.contains(&key.as_str()) || key.starts_with("x-");
                assert!(
                    ok,
                    "{}: {path} defines `{key}` instead of referring to the catalog",
                    case.name
                );
            }
            let reference = doc["$ref"].as_str().unwrap();
            assert!(
                reference.starts_with("../envelope.schema.json#/$defs/"),
                "{}: {path}: {reference}",
                case.name
            );
        }
    }
}

#[test]
fn output_is_deterministic_sorted_and_pretty() {
    for case in cases() {
        let mut again = Outputs::new();
        emit::schema::emit(&case.model, &mut again);
        assert_eq!(case.out, again, "{}: two runs differ", case.name);
        for (path, text) in case.out.files() {
            let value: Value = serde_json::from_str(text).unwrap();
            let rendered = serde_json::to_string_pretty(&value).unwrap() + "\n";
            assert_eq!(
                text, &rendered,
                "{}: {path} is not in canonical pretty form",
                case.name
            );
        }
    }
}

#[test]
fn every_example_validates_against_its_event_and_the_envelope() {
    for case in cases() {
        for sample in samples(&case.model) {
            assert_verdict(&case, sample.event, &sample.json, true, &sample.label);
        }
    }
}

#[test]
fn event_schemas_carry_the_spec_examples() {
    for case in cases() {
        for event in &case.model.events {
            let doc = &case.schemas.docs[&event_path(&event.name)];
            let expected: Vec<&Value> = event.examples.iter().map(|e| &e.json).collect();
            let actual: Vec<&Value> = doc["examples"].as_array().unwrap().iter().collect();
            assert_eq!(actual, expected, "{}: {}", case.name, event.name);
        }
    }
}

/// A value of the wrong JSON type for a field, or `None` for a `json` field, which takes any.
fn wrong_value(model: &Model, field: &Field) -> Option<Value> {
    if field.constant.is_some() {
        return Some(json!("not-the-constant"));
    }
    let string_like = json!(12345);
    let other = json!("a string where something else belongs");
    match &field.ty {
        TypeRef::Json => None,
        TypeRef::String | TypeRef::DateTime | TypeRef::Url | TypeRef::EventType => {
            Some(string_like)
        }
        TypeRef::Named(id) => match model.ty(*id).kind {
            TypeKind::Id { .. } | TypeKind::Enum { .. } => Some(string_like),
            TypeKind::Object { .. } => Some(other),
        },
        TypeRef::Integer | TypeRef::Number | TypeRef::Boolean => Some(other),
        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::EventData => Some(other),
    }
}

/// The ways to break one field of an object that are certain to make it invalid.
fn breakages(model: &Model, field: &Field, present: bool) -> Vec<(String, Option<Value>)> {
    let name = &field.name;
    let mut out = Vec::new();
    if present && !field.optional {
        out.push((format!("without required `{name}`"), None));
    }
    if let Some(wrong) = wrong_value(model, field) {
        out.push((format!("with `{name}` = {wrong}"), Some(wrong)));
    }
    if !field.nullable && field.ty != TypeRef::Json {
        out.push((format!("with `{name}` = null"), Some(Value::Null)));
    }
    if field.ty == TypeRef::DateTime && field.constant.is_none() {
        out.push((
            format!("with `{name}` not a timestamp"),
            Some(json!("yesterday at noon")),
        ));
    }
    out
}

/// Applies one breakage to `object[name]`.
fn broken(object: &Value, name: &str, change: &Option<Value>) -> Value {
    let mut object = object.clone();
    let map = object.as_object_mut().unwrap();
    match change {
        None => map.remove(name),
        Some(value) => map.insert(name.to_owned(), value.clone()),
    };
    object
}

#[test]
fn examples_with_one_envelope_field_broken_fail() {
    for case in cases() {
        for sample in samples(&case.model) {
            for field in &case.model.envelope.fields {
                let present = sample.json.get(&field.name).is_some();
                for (what, change) in breakages(&case.model, field, present) {
                    let instance = broken(&sample.json, &field.name, &change);
                    assert_verdict(
                        &case,
                        sample.event,
                        &instance,
                        false,
                        &format!("{} {what}", sample.label),
                    );
                }
            }
        }
    }
}

#[test]
fn examples_with_one_data_field_broken_fail() {
    for case in cases() {
        for sample in samples(&case.model) {
            for field in data_fields(&case.model, sample.event) {
                let present = sample.json["data"].get(&field.name).is_some();
                for (what, change) in breakages(&case.model, field, present) {
                    let mut instance = sample.json.clone();
                    instance["data"] = broken(&sample.json["data"], &field.name, &change);
                    assert_verdict(
                        &case,
                        sample.event,
                        &instance,
                        false,
                        &format!("{} data {what}", sample.label),
                    );
                }
            }
        }
    }
}

/// Asserts that `validator` rejects `instance`, which `what` describes.
fn assert_rejects(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    assert!(!validator.is_valid(instance), "{what} accepted");
}

#[test]
fn an_event_schema_rejects_every_other_event_type() {
    for case in cases() {
        let mut others: Vec<&str> = case.model.events.iter().map(|e| e.name.as_str()).collect();
        others.push("task_run.from_a_later_version");
        for sample in samples(&case.model) {
            let validator = case.schemas.validator(&event_path(&sample.event.name));
            for other in others.iter().filter(|o| **o != sample.event.name) {
                let mut instance = sample.json.clone();
                instance["type"] = json!(other);
                let what = format!("{}: {} as `{other}`", case.name, sample.label);
                assert_rejects(&validator, &instance, &what);
            }
        }
    }
}

/// Documented: the envelope accepts an event type it does not know, with any `data`, as the Rust
/// crate's catch-all does, but still checks the envelope's own fields.
#[test]
fn the_envelope_accepts_unknown_event_types_and_checks_their_envelope() {
    for case in cases() {
        let envelope = case.schemas.validator(ENVELOPE_PATH);
        for sample in samples(&case.model) {
            let mut instance = sample.json.clone();
            instance["type"] = json!("task_run.from_a_later_version");
            // With the known type's payload, then with any payload at all.
            for data in [None, Some(json!({ "anything": [1, "two"] }))] {
                if let Some(data) = data {
                    instance["data"] = data;
                }
                assert!(
                    envelope.is_valid(&instance),
                    "{}: {}\n{}",
                    case.name,
                    sample.label,
                    errors(&envelope, &instance)
                );
            }
            for field in &case.model.envelope.fields {
                if matches!(field.ty, TypeRef::EventType | TypeRef::EventData) {
                    continue;
                }
                let present = instance.get(&field.name).is_some();
                for (what, change) in breakages(&case.model, field, present) {
                    let broken = broken(&instance, &field.name, &change);
                    let what = format!("{}: unknown {} {what}", case.name, sample.label);
                    assert_rejects(&envelope, &broken, &what);
                }
            }
        }
    }
}

/// Documented: enums are open, as in the Rust crate; a value must still be a string.
#[test]
fn unknown_enum_values_are_accepted() {
    let mut checked = 0;
    for case in cases() {
        for sample in samples(&case.model) {
            for field in data_fields(&case.model, sample.event) {
                let TypeRef::Named(id) = field.ty else {
                    continue;
                };
                let is_enum = matches!(case.model.ty(id).kind, TypeKind::Enum { .. });
                if !is_enum || sample.json["data"].get(&field.name).is_none() {
                    continue;
                }
                let mut instance = sample.json.clone();
                instance["data"][&field.name] = json!("value_from_a_later_version");
                let what = format!("{} with a new `{}` value", sample.label, field.name);
                assert_verdict(&case, sample.event, &instance, true, &what);
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "no example has an enum field");
}

/// Documented: unknown fields are ignored, as in the Rust crate.
#[test]
fn unknown_fields_are_accepted() {
    for case in cases() {
        for sample in samples(&case.model) {
            let mut instance = sample.json.clone();
            instance["field_from_a_later_version"] = json!({ "nested": true });
            instance["data"]["field_from_a_later_version"] = json!([1]);
            assert_verdict(
                &case,
                sample.event,
                &instance,
                true,
                &format!("{} with new fields", sample.label),
            );
        }
    }
}
