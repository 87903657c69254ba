//! Stage 3, Rust: the JSON the generated crate writes back for an example, so its tests can
//! compare the crate's output with the example it read.
//!
//! The crate reads an example and writes an equivalent event, not always the same text. Three
//! encodings differ from what a spec may write, each a decision of the crate's that is documented
//! in `spec/README.md`:
//! - a field that is both optional and nullable reads `null` and absent alike as `None`, and writes
//!   `None` as absent;
//! - timestamps are instants in UTC (`chrono::DateTime<Utc>`): `2026-02-01T00:00:00+01:00` is
//!   written `2026-01-31T23:00:00Z`, and fractions take 3, 6 or 9 digits (`.5` is written `.500`),
//!   as chrono's serde encoding does;
//! - a `number` is an `f64`, so an integer in a `number` field is written as a float (`1.0`).
//!
//! This is the crate's layer, not the shared model's: another target (TypeScript, say) would keep
//! offsets or integers and compute its own form.

use serde_json::Value;

use crate::model::{EventDef, Field, Model, TypeKind, TypeRef};

/// The event as the generated crate encodes it after decoding `json`, an example of `event` that
/// the checker accepted.
pub fn canonical_example(model: &Model, event: &EventDef, json: &Value) -> Value {
    let mut out = json.clone();
    walk_example(model, event, &mut out, &mut Canonical);
    out
}

/// The crate's re-encoding, value by value.
struct Canonical;

impl ExampleVisitor for Canonical {
    fn object(&mut self, fields: &[Field], obj: &mut serde_json::Map<String, Value>) {
        for f in fields {
            if f.optional && f.nullable && obj.get(&f.name).is_some_and(Value::is_null) {
                obj.remove(&f.name);
            }
        }
    }

    fn scalar(&mut self, ty: &TypeRef, v: &mut Value) {
        match ty {
            TypeRef::DateTime => {
                if let Some(utc) = v.as_str().and_then(utc_timestamp) {
                    *v = utc;
                }
            }
            TypeRef::Number => {
                if let Some(float) = v.as_f64() {
                    *v = Value::from(float);
                }
            }
            _ => {}
        }
    }
}

/// What to do with the parts of an example, walked beside the model by [`walk_example`].
pub(crate) trait ExampleVisitor {
    /// A JSON object, with the fields the spec gives it (the envelope's, or an object type's),
    /// before its values are walked.
    fn object(&mut self, _fields: &[Field], _obj: &mut serde_json::Map<String, Value>) {}

    /// A value of any other type.
    fn scalar(&mut self, _ty: &TypeRef, _v: &mut Value) {}
}

/// Walks `json`, an example of `event`, beside the model. Values the spec does not describe (an
/// unknown field, the inside of `json`) are not visited.
pub(crate) fn walk_example(
    model: &Model,
    event: &EventDef,
    json: &mut Value,
    visitor: &mut impl ExampleVisitor,
) {
    fn fields(
        model: &Model,
        visitor: &mut impl ExampleVisitor,
        fields: &[Field],
        event: Option<&EventDef>,
        v: &mut Value,
    ) {
        let Some(obj) = v.as_object_mut() else {
            return;
        };
        visitor.object(fields, obj);
        for f in fields {
            let Some(v) = obj.get_mut(&f.name) else {
                continue;
            };
            match (&f.ty, event) {
                (TypeRef::EventData, Some(event)) => {
                    value(model, visitor, &TypeRef::Named(event.data), v)
                }
                (TypeRef::EventType | TypeRef::EventData, _) => {}
                (ty, _) => value(model, visitor, ty, v),
            }
        }
    }
    fn value(model: &Model, visitor: &mut impl ExampleVisitor, ty: &TypeRef, v: &mut Value) {
        match (ty, v) {
            (TypeRef::Array(item), Value::Array(items)) => {
                for x in items {
                    value(model, visitor, item, x);
                }
            }
            (TypeRef::Map(item), Value::Object(m)) => {
                for x in m.values_mut() {
                    value(model, visitor, item, x);
                }
            }
            (TypeRef::Named(id), v) => {
                if let TypeKind::Object { fields: own, .. } = &model.ty(*id).kind {
                    fields(model, visitor, own, None, v);
                }
            }
            (ty, v) => visitor.scalar(ty, v),
        }
    }
    fields(model, visitor, &model.envelope.fields, Some(event), json);
}

/// A timestamp as chrono's serde encoding writes a `DateTime<Utc>`, which is what the crate uses.
fn utc_timestamp(text: &str) -> Option<Value> {
    let instant = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    serde_json::to_value(instant.with_timezone(&chrono::Utc)).ok()
}

#[cfg(test)]
mod tests {
    use super::utc_timestamp;

    #[test]
    fn timestamps_become_utc_with_chronos_fraction_widths() {
        let cases = [
            ("2025-01-15T09:30:00Z", "2025-01-15T09:30:00Z"),
            ("2026-02-01T00:00:00+01:00", "2026-01-31T23:00:00Z"),
            ("2024-02-29T23:30:00-01:00", "2024-03-01T00:30:00Z"),
            ("2025-01-15T09:30:00.5Z", "2025-01-15T09:30:00.500Z"),
            ("2025-01-15T09:30:00.1234Z", "2025-01-15T09:30:00.123400Z"),
            (
                "2025-01-15T09:30:00.123456789+05:30",
                "2025-01-15T04:00:00.123456789Z",
            ),
            ("2025-01-15T09:30:00.000Z", "2025-01-15T09:30:00Z"),
        ];
        for (input, expected) in cases {
            assert_eq!(utc_timestamp(input).unwrap(), expected, "{input}");
        }
    }
}
