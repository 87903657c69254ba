//! Schemas of named types, fields and type expressions, as they appear in the catalog's `$defs`,
//! and the per-type entry points that refer to them.

use serde_json::{Map, Value, json};

use super::{Defs, ENVELOPE_PATH, add_description, add_markers, document, resource_path};
use crate::model::{EnumValue, Field, Model, TypeDef, TypeKind, TypeRef};

/// A reference to the definition `key`, from a schema among the definitions that `defs` locates.
pub(super) fn local_ref(defs: Defs, key: &str) -> Value {
    json!({ "$ref": format!("{}{}", defs.pointer(), pointer_token(key)) })
}

/// A reference, from an entry point one directory below `schemas/`, to a catalog definition.
fn catalog_ref(key: &str) -> String {
    let catalog = ENVELOPE_PATH
        .strip_prefix("schemas/")
        .expect("catalog lives under schemas/");
    format!("../{catalog}#/$defs/{}", pointer_token(key))
}

/// A `$defs` key as a JSON Pointer token inside a URI fragment. Keys are slugs and event names,
/// which never need escaping; a key that did would be a naming bug upstream.
fn pointer_token(key: &str) -> &str {
    assert!(
        key.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-'),
        "`$defs` key {key:?} needs escaping in a JSON Pointer fragment"
    );
    key
}

/// The catalog definitions of a named type: its own, and for an enum the closed set of its known
/// values under [`known_key`].
pub(super) fn type_defs(model: &Model, defs: Defs, ty: &TypeDef) -> Vec<(String, Value)> {
    let TypeDef {
        name,
        description,
        kind,
        markers,
        slug,
        origin: _,
    } = ty;
    let (mut schema, extra) = match kind {
        TypeKind::Id { prefix } => (id_def(prefix), None),
        TypeKind::Enum { values } => (
            open_enum_def(defs, slug, values),
            Some((known_key(slug), known_values_def(values))),
        ),
        TypeKind::Object {
            fields,
            resource: _,
        } => (object_def(model, defs, fields), None),
    };
    schema.insert("title".into(), json!(name));
    add_description(&mut schema, description);
    add_markers(&mut schema, markers);
    std::iter::once((slug.clone(), Value::Object(schema)))
        .chain(extra)
        .collect()
}

/// `$defs` key of the closed set of an enum's known values. Slugs have no dots, so it cannot
/// collide with a type's key.
pub fn known_key(slug: &str) -> String {
    format!("{slug}.known")
}

/// The entry point of a named type: its catalog definition under its own `$id`.
pub(super) fn type_entry(model: &Model, ty: &TypeDef, base: &str) -> Value {
    let mut doc = document(model, base, &resource_path(&ty.slug));
    doc.insert("title".into(), json!(ty.name));
    add_description(&mut doc, &ty.description);
    add_markers(&mut doc, &ty.markers);
    doc.insert("$ref".into(), json!(catalog_ref(&ty.slug)));
    Value::Object(doc)
}

/// The entry point's reference to an event's catalog definition.
pub(super) fn catalog_event_ref(key: &str) -> String {
    catalog_ref(key)
}

/// A typed ID is any string. The documented prefix is an annotation (`x-id-prefix`), not a
/// `pattern`: the Rust crate accepts any string as an ID, since a producer may change its
/// prefixes, and a schema that rejected such an ID would disagree with it for no gain.
fn id_def(prefix: &str) -> Map<String, Value> {
    let mut schema = Map::new();
    schema.insert("type".into(), json!("string"));
    schema.insert("x-id-prefix".into(), json!(prefix));
    schema
}

/// An open enum: `oneOf` the closed set of known values or any other string. The Rust crate keeps
/// unknown values, and adding a value is a compatible change, so the schema accepts them too. The
/// second branch excludes the known values so that the two stay disjoint and `oneOf` holds.
///
/// The shape is chosen for type generators: typify turns it into an untagged enum of a plain enum
/// (the known values, documented) and a string newtype that rejects the known values.
fn open_enum_def(defs: Defs, slug: &str, values: &[EnumValue]) -> Map<String, Value> {
    let known: Vec<&str> = values.iter().map(|v| v.name.as_str()).collect();
    let other = json!({
        "type": "string",
        "not": { "enum": known },
        "description": "A value added after this version of the spec.",
    });
    let mut schema = Map::new();
    schema.insert(
        "oneOf".into(),
        json!([local_ref(defs, &known_key(slug)), other]),
    );
    schema
}

/// The known values of an enum, each a one-value `enum` carrying its description and markers.
/// `enum: [v]` means the same as `const: v`, but typify ignores `const` and reads single-value
/// `enum` branches as the variants of one enum.
fn known_values_def(values: &[EnumValue]) -> Value {
    let branches: Vec<Value> = values.iter().map(enum_value).collect();
    json!({
        "description": "The values defined by this version of the spec.",
        "oneOf": branches,
    })
}

fn enum_value(value: &EnumValue) -> Value {
    let EnumValue {
        name,
        description,
        markers,
    } = value;
    let mut branch = Map::new();
    branch.insert("enum".into(), json!([name]));
    add_description(&mut branch, description);
    add_markers(&mut branch, markers);
    Value::Object(branch)
}

/// An object. Unknown fields are allowed, explicitly, because the Rust crate ignores them and
/// adding a field is a compatible change.
fn object_def(model: &Model, defs: Defs, fields: &[Field]) -> Map<String, Value> {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|f| (f.name.clone(), field_schema(model, defs, f)))
        .collect();
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    schema.insert("required".into(), required(fields));
    schema.insert("additionalProperties".into(), json!(true));
    schema
}

/// The wire names of the fields that must be present, in spec order.
pub(super) fn required(fields: &[Field]) -> Value {
    fields
        .iter()
        .filter(|f| !f.optional)
        .map(|f| json!(f.name))
        .collect()
}

/// The schema of a field: its type (or constant), made nullable if the field is, with the field's
/// description and markers. The envelope's discriminator and payload are not handled here.
pub(super) fn field_schema(model: &Model, defs: Defs, field: &Field) -> Value {
    let shape = match &field.constant {
        Some(value) => json!({ "type": "string", "const": value }),
        None => type_ref(model, defs, &field.ty),
    };
    annotate_field(shape, field)
}

/// Wraps a field's shape with its nullability, description and markers.
pub(super) fn annotate_field(shape: Value, field: &Field) -> Value {
    let shape = if field.nullable {
        nullable(shape)
    } else {
        shape
    };
    let Value::Object(mut schema) = shape else {
        unreachable!("shapes are objects")
    };
    add_description(&mut schema, &field.description);
    add_markers(&mut schema, &field.markers);
    Value::Object(schema)
}

/// The schema of a type expression.
fn type_ref(model: &Model, defs: Defs, ty: &TypeRef) -> Value {
    match ty {
        TypeRef::String => json!({ "type": "string" }),
        TypeRef::Integer => json!({ "type": "integer" }),
        TypeRef::Number => json!({ "type": "number" }),
        TypeRef::Boolean => json!({ "type": "boolean" }),
        TypeRef::DateTime => json!({ "type": "string", "format": "date-time" }),
        TypeRef::Url => json!({ "type": "string", "format": "uri" }),
        TypeRef::Json => json!({}),
        TypeRef::Array(item) => json!({ "type": "array", "items": type_ref(model, defs, item) }),
        TypeRef::Map(value) => {
            json!({ "type": "object", "additionalProperties": type_ref(model, defs, value) })
        }
        TypeRef::Named(id) => local_ref(defs, &model.ty(*id).slug),
        TypeRef::EventType | TypeRef::EventData => {
            unreachable!("the discriminator and payload exist only in the envelope")
        }
    }
}

/// Adds `null` to a shape: in the `type` list when the shape is a plain typed schema (the form
/// generators turn into an optional value most reliably), else as an `anyOf` branch. `{}` already
/// accepts `null`.
fn nullable(shape: Value) -> Value {
    let Value::Object(mut schema) = shape else {
        unreachable!("shapes are objects")
    };
    if schema.is_empty() {
        return Value::Object(schema);
    }
    let plain = !schema.contains_key("const") && !schema.contains_key("$ref");
    match schema.get("type") {
        Some(Value::String(ty)) if plain => {
            let ty = ty.clone();
            schema.insert("type".into(), json!([ty, "null"]));
            Value::Object(schema)
        }
        _ => json!({ "anyOf": [Value::Object(schema), { "type": "null" }] }),
    }
}
