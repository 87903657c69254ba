//! The catalog (`envelope.schema.json`) and the per-event entry points.
//!
//! The catalog accepts `oneOf` two definitions: `event.known`, itself a `oneOf` over one
//! definition per event type, each with its `type` constant and `data` shape (an internally tagged
//! union that generators recognise), and `event.unknown`, the envelope with any other `type` and
//! any `data`. The split mirrors the Rust crate, which parses the known types and keeps the rest
//! in a catch-all.

use serde_json::{Map, Value, json};

use super::shapes::{self, annotate_field, catalog_event_ref, field_schema, local_ref, type_defs};
use super::{Defs, ENVELOPE_PATH, add_description, add_markers, document, event_path};
use crate::model::{EventDef, Field, Model, TypeRef};

/// `$defs` key of the union of the known event types.
pub const KNOWN_KEY: &str = "event.known";
/// `$defs` key of the envelope with an event type this version does not define.
pub const UNKNOWN_KEY: &str = "event.unknown";
/// Key of the catalog's root union ([`any_event`]) in a document that holds it beside the
/// definitions (OpenAPI's `components.schemas`); the catalog itself is that union, at its root.
/// No other key can be this one: event keys have two dots, type keys none, and the other
/// one-dot keys end in `.known` or `.unknown`.
pub const ANY_KEY: &str = "event.any";

/// `$defs` key of an event type's definition. Type slugs are snake_case without dots, so the
/// `event.` prefix keeps event and type keys apart.
pub fn event_key(wire: &str) -> String {
    format!("event.{wire}")
}

/// The catalog: every definition, and the union of all events at the root.
pub(super) fn catalog(model: &Model, base: &str) -> Value {
    let mut doc = document(model, base, ENVELOPE_PATH);
    doc.extend(any_event(model, Defs::CATALOG));
    doc.insert(
        "$defs".into(),
        Value::Object(definitions(model, Defs::CATALOG)),
    );
    Value::Object(doc)
}

/// The catalog's root: any event, known or not, referring to the definitions where `defs` says.
pub fn any_event(model: &Model, defs: Defs) -> Map<String, Value> {
    let mut schema = Map::new();
    schema.insert("title".into(), json!("Event"));
    add_description(&mut schema, &model.envelope.description);
    schema.insert(
        "oneOf".into(),
        json!([local_ref(defs, KNOWN_KEY), local_ref(defs, UNKNOWN_KEY)]),
    );
    schema
}

/// Every definition of the catalog, keyed as in its `$defs`, referring to each other where `defs`
/// says: the catalog's `$defs`, or a document that embeds them.
pub fn definitions(model: &Model, defs: Defs) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, def) in model.types.iter().flat_map(|ty| type_defs(model, defs, ty)) {
        let previous = out.insert(key.clone(), def);
        assert!(previous.is_none(), "two types share the `$defs` key {key}");
    }
    for event in &model.events {
        out.insert(event_key(&event.name), event_def(model, defs, event));
    }
    out.insert(KNOWN_KEY.into(), known_union(model, defs));
    out.insert(UNKNOWN_KEY.into(), unknown_event_def(model, defs));
    out
}

fn known_union(model: &Model, defs: Defs) -> Value {
    let variants: Vec<Value> = model
        .events
        .iter()
        .map(|e| local_ref(defs, &event_key(&e.name)))
        .collect();
    json!({
        "description": "An event of a type defined by this version of the spec.",
        "oneOf": variants,
    })
}

/// One event type: the envelope with `type` fixed to the event's name and `data` of its shape.
fn event_def(model: &Model, defs: Defs, event: &EventDef) -> Value {
    let data = local_ref(defs, &model.ty(event.data).slug);
    // `enum: [name]` rather than `const: name`: they mean the same, but typify ignores `const`,
    // and then could not tell the events apart.
    let discriminator = json!({ "type": "string", "enum": [event.name] });
    let mut schema = envelope_object(model, defs, discriminator, data);
    schema.insert("title".into(), json!(event.name));
    add_description(&mut schema, &event.description);
    add_markers(&mut schema, &event.markers);
    Value::Object(schema)
}

/// An event of a type this version does not define. The Rust crate parses such an event into its
/// catch-all, still reading the envelope's own fields, and adding an event type is a compatible
/// change, so the schema accepts it with the envelope checked and `data` left open. Excluding the
/// known types keeps the catalog's two branches disjoint, so a known event with a broken `data`
/// is rejected instead of passing as unknown.
fn unknown_event_def(model: &Model, defs: Defs) -> Value {
    let known: Vec<&str> = model.events.iter().map(|e| e.name.as_str()).collect();
    let discriminator = json!({ "type": "string", "not": { "enum": known } });
    let mut schema = envelope_object(model, defs, discriminator, json!({}));
    schema.insert("title".into(), json!("unknown event"));
    schema.insert(
        "description".into(),
        json!("An event of a type added after this version of the spec; `data` is not checked."),
    );
    Value::Object(schema)
}

/// The envelope's fields as an object schema, with the given discriminator and payload shapes.
fn envelope_object(
    model: &Model,
    defs: Defs,
    discriminator: Value,
    data: Value,
) -> Map<String, Value> {
    let envelope = &model.envelope;
    let property = |field: &Field| match field.ty {
        TypeRef::EventType => annotate_field(discriminator.clone(), field),
        TypeRef::EventData => annotate_field(data.clone(), field),
        _ => field_schema(model, defs, field),
    };
    let properties: Map<String, Value> = envelope
        .fields
        .iter()
        .map(|f| (f.name.clone(), property(f)))
        .collect();
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    schema.insert("required".into(), shapes::required(&envelope.fields));
    // Unknown envelope fields are allowed for the same reason as in objects.
    schema.insert("additionalProperties".into(), json!(true));
    schema
}

/// The entry point of an event type: its catalog definition and the spec's examples.
pub(super) fn event_entry(model: &Model, event: &EventDef, base: &str) -> Value {
    let mut doc = document(model, base, &event_path(&event.name));
    doc.insert("title".into(), json!(event.name));
    add_description(&mut doc, &event.description);
    add_markers(&mut doc, &event.markers);
    doc.insert(
        "$ref".into(),
        json!(catalog_event_ref(&event_key(&event.name))),
    );
    let examples: Vec<Value> = event.examples.iter().map(|e| e.json.clone()).collect();
    if !examples.is_empty() {
        doc.insert("examples".into(), Value::Array(examples));
    }
    Value::Object(doc)
}
