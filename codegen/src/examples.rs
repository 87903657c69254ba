//! Stage 2 (last rule): every example payload matches its event, and is attached to the model.
//!
//! Examples are whole events as Deck sends them. They are checked against the resolved model, not
//! against a rendered JSON Schema, so a mistake points at the exact line of the example with a
//! message in the spec's own terms. The checks are the strict reading of the spec: no unknown
//! fields and only listed enum values, although the generated crate tolerates both in live
//! traffic, because an example is documentation and must show only what the spec describes.

use serde_yaml::Value;

use crate::diag::Diagnostics;
use crate::model::{EventDef, Example, Field, Model, TypeId, TypeKind, TypeRef};
use crate::spec::{RawEvent, closest, kind};
use crate::yaml::{Parsed, ptr_segment};

/// Checks each event's examples and stores them in the model. `raw_events[i]` is the raw form of
/// `model.events[i]`.
pub(crate) fn check_and_attach(
    model: &mut Model,
    raw_events: &[&RawEvent],
    parsed: &Parsed,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut attached = Vec::with_capacity(raw_events.len());
    for (i, raw) in raw_events.iter().enumerate() {
        let ev = &model.events[i];
        let mut examples = Vec::new();
        for ex in &raw.examples {
            let mut cx = Checker {
                model,
                parsed,
                file: ex.file,
                diags: &mut diags,
                errors: 0,
            };
            cx.envelope(&ex.value, &ex.ptr, ev);
            if cx.errors > 0 {
                continue;
            }
            match to_json(&ex.value) {
                Ok(json) => {
                    let text = serde_json::to_string_pretty(&ex.value)
                        .expect("a checked example serializes");
                    examples.push(Example { json, text });
                }
                Err(msg) => {
                    let span = parsed.value_span(ex.file, &ex.ptr);
                    let mut d = parsed.diag(
                        span,
                        format!("example cannot be converted to JSON: {msg}"),
                        "here",
                    );
                    d.hint = Some("examples are JSON: use string keys and no YAML tags".into());
                    diags.push(d);
                }
            }
        }
        attached.push(examples);
    }
    for (ev, examples) in model.events.iter_mut().zip(attached) {
        ev.examples = examples;
    }
    diags
}

fn to_json(v: &Value) -> Result<serde_json::Value, String> {
    serde_json::to_value(v).map_err(|e| e.to_string())
}

struct Checker<'a> {
    model: &'a Model,
    parsed: &'a Parsed,
    file: u32,
    diags: &'a mut Diagnostics,
    errors: usize,
}

impl Checker<'_> {
    fn error(&mut self, ptr: &str, key: bool, message: String, label: &str, hint: Option<String>) {
        let span = if key {
            self.parsed.key_span(self.file, ptr)
        } else {
            self.parsed.value_span(self.file, ptr)
        };
        let mut d = self.parsed.diag(span, message, label);
        d.hint = hint;
        self.diags.push(d);
        self.errors += 1;
    }

    fn envelope(&mut self, v: &Value, ptr: &str, ev: &EventDef) {
        let env = &self.model.envelope;
        let Value::Mapping(m) = v else {
            self.error(
                ptr,
                false,
                format!(
                    "example of `{}` is {}, not an event object",
                    ev.name,
                    kind(v)
                ),
                "expected a mapping",
                Some("write the whole event: `id`, `type`, `data`, ...".into()),
            );
            return;
        };
        self.object_fields(
            m,
            ptr,
            &env.fields,
            "the envelope",
            |this, field, value, p| match field.ty {
                TypeRef::EventType => {
                    if value.as_str() != Some(ev.name.as_str()) {
                        this.error(
                            p,
                            false,
                            format!(
                                "example `{}` is `{}`, but it is an example of `{}`",
                                field.name,
                                describe(value),
                                ev.name
                            ),
                            "wrong event type",
                            Some(format!("write `{}: {}`", field.name, ev.name)),
                        );
                    }
                }
                TypeRef::EventData => this.value(value, p, &TypeRef::Named(ev.data), false, None),
                _ => this.value(
                    value,
                    p,
                    &field.ty,
                    field.nullable,
                    field.constant.as_deref(),
                ),
            },
        );
    }

    fn object_fields(
        &mut self,
        m: &serde_yaml::Mapping,
        ptr: &str,
        fields: &[Field],
        owner: &str,
        mut each: impl FnMut(&mut Self, &Field, &Value, &str),
    ) {
        for (k, _) in m {
            let Some(k) = k.as_str() else { continue };
            if !fields.iter().any(|f| f.name == k) {
                let p = format!("{ptr}/{}", ptr_segment(k));
                let hint = match closest(k, fields.iter().map(|f| f.name.as_str())) {
                    Some(c) => Some(format!("did you mean `{c}`?")),
                    None => Some(format!(
                        "add `{k}` to the fields of {owner}, or remove it from the example"
                    )),
                };
                self.error(
                    &p,
                    true,
                    format!("example has field `{k}`, which {owner} does not define"),
                    "unknown field",
                    hint,
                );
            }
        }
        for f in fields {
            let p = format!("{ptr}/{}", ptr_segment(&f.name));
            match m.get(f.name.as_str()) {
                None if !f.optional => {
                    self.error(
                        ptr,
                        false,
                        format!("example is missing required field `{}` of {owner}", f.name),
                        "missing field",
                        Some(format!(
                            "add `{}`, or mark the field `optional: true` if Deck may leave it out",
                            f.name
                        )),
                    );
                }
                None => {}
                Some(v) => each(self, f, v, &p),
            }
        }
    }

    fn value(
        &mut self,
        v: &Value,
        ptr: &str,
        ty: &TypeRef,
        nullable: bool,
        constant: Option<&str>,
    ) {
        if v.is_null() {
            if !nullable {
                self.error(
                    ptr,
                    false,
                    "example has `null` where the field is not nullable".into(),
                    "null",
                    Some("give a value, or mark the field `nullable: true`".into()),
                );
            }
            return;
        }
        let fail = |this: &mut Self, expected: &str| {
            // A quoted number or boolean is the usual slip: say so.
            let unquoted = v.as_str().and_then(|s| {
                let fits = match ty {
                    TypeRef::Integer => s.parse::<i64>().is_ok(),
                    TypeRef::Number => s.parse::<f64>().is_ok(),
                    TypeRef::Boolean => s == "true" || s == "false",
                    _ => false,
                };
                fits.then(|| format!("remove the quotes: `{s}`"))
            });
            this.error(
                ptr,
                false,
                format!("expected {expected}, found {}", kind(v)),
                &format!("not {expected}"),
                Some(unquoted.unwrap_or_else(|| {
                    format!(
                        "the spec declares {expected} here: fix the example or the field's type"
                    )
                })),
            );
        };
        match ty {
            TypeRef::String => match v.as_str() {
                None => fail(self, "a string"),
                Some(s) => {
                    if let Some(c) = constant {
                        if s != c {
                            self.error(
                                ptr,
                                false,
                                format!("expected `{c}`, found `{s}`"),
                                "wrong constant",
                                Some(format!("this field is always `{c}`")),
                            );
                        }
                    }
                }
            },
            TypeRef::Integer => {
                if v.is_u64() && !v.is_i64() {
                    // The crate's integers are `i64`: a larger one would not decode.
                    self.error(
                        ptr,
                        false,
                        "integer is larger than a 64-bit signed integer".into(),
                        "out of range",
                        Some(format!("integers go up to {}", i64::MAX)),
                    );
                } else if !v.is_i64() {
                    fail(self, "an integer");
                }
            }
            TypeRef::Number => {
                if !v.is_number() {
                    fail(self, "a number");
                }
            }
            TypeRef::Boolean => {
                if !v.is_bool() {
                    fail(self, "a boolean");
                }
            }
            // Strings of a given form: what the form is, and how to write it.
            TypeRef::DateTime | TypeRef::Url => {
                let (valid, form, label, hint, string): (fn(&str) -> bool, _, _, _, _) =
                    if matches!(ty, TypeRef::DateTime) {
                        (
                            is_timestamp,
                            "an RFC 3339 timestamp",
                            "invalid timestamp",
                            "write `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits, \
                             then `Z` or an offset `±HH:MM`, e.g. `2025-01-15T09:30:00Z`",
                            "a timestamp string",
                        )
                    } else {
                        (
                            is_absolute_url,
                            "an absolute URL",
                            "invalid URL",
                            "write e.g. `https://example.com/path`",
                            "a URL string",
                        )
                    };
                match v.as_str() {
                    Some(s) if valid(s) => {}
                    Some(s) => self.error(
                        ptr,
                        false,
                        format!("`{s}` is not {form}"),
                        label,
                        Some(hint.into()),
                    ),
                    None => fail(self, string),
                }
            }
            TypeRef::Json => {}
            TypeRef::Array(item) => match v.as_sequence() {
                Some(items) => {
                    for (i, it) in items.iter().enumerate() {
                        self.value(it, &format!("{ptr}/{i}"), item, false, None);
                    }
                }
                None => fail(self, "a list"),
            },
            TypeRef::Map(item) => match v.as_mapping() {
                Some(m) => {
                    for (k, it) in m {
                        let Some(k) = k.as_str() else { continue };
                        self.value(it, &format!("{ptr}/{}", ptr_segment(k)), item, false, None);
                    }
                }
                None => fail(self, "a mapping"),
            },
            TypeRef::Named(id) => self.named(v, ptr, *id),
            TypeRef::EventType | TypeRef::EventData => {
                unreachable!("only in the envelope, handled there")
            }
        }
    }

    fn named(&mut self, v: &Value, ptr: &str, id: TypeId) {
        let t = self.model.ty(id);
        match &t.kind {
            TypeKind::Id { prefix } => match v.as_str() {
                Some(s) if s.starts_with(prefix.as_str()) => {}
                Some(s) => self.error(
                    ptr,
                    false,
                    format!(
                        "`{s}` is not a `{}`: it lacks the prefix `{prefix}`",
                        t.name
                    ),
                    "wrong prefix",
                    Some(format!(
                        "example IDs carry their documented prefix, e.g. `{prefix}abc123`"
                    )),
                ),
                None => self.error(
                    ptr,
                    false,
                    format!("expected a `{}` string, found {}", t.name, kind(v)),
                    "not an ID",
                    Some(format!("write the ID as a string, e.g. `{prefix}abc123`")),
                ),
            },
            TypeKind::Enum { values } => match v.as_str() {
                Some(s) if values.iter().any(|x| x.name == s) => {}
                Some(s) => {
                    let hint = match closest(s, values.iter().map(|x| x.name.as_str())) {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!("add `{s}` to the values of `{}`", t.name),
                    };
                    self.error(
                        ptr,
                        false,
                        format!("`{s}` is not a value of `{}`", t.name),
                        "unknown value",
                        Some(hint),
                    );
                }
                None => self.error(
                    ptr,
                    false,
                    format!("expected a `{}` value, found {}", t.name, kind(v)),
                    "not a string",
                    Some(format!(
                        "write one of the values of `{}` as a string",
                        t.name
                    )),
                ),
            },
            TypeKind::Object { fields, .. } => match v.as_mapping() {
                Some(m) => {
                    let owner = format!("`{}`", t.name);
                    self.object_fields(m, ptr, fields, &owner, |this, f, value, p| {
                        this.value(value, p, &f.ty, f.nullable, f.constant.as_deref());
                    });
                }
                None => self.error(
                    ptr,
                    false,
                    format!("expected a `{}` object, found {}", t.name, kind(v)),
                    "not a mapping",
                    Some(format!(
                        "write the fields of `{}` as a mapping, `{{ name: value, ... }}`",
                        t.name
                    )),
                ),
            },
        }
    }
}

fn describe(v: &Value) -> String {
    match v.as_str() {
        Some(s) => s.to_string(),
        None => kind(v).to_string(),
    }
}

/// An absolute URL: a scheme, `:`, and no whitespace. Deliberately loose: the point is to catch a
/// relative path or a placeholder, not to validate hosts.
fn is_absolute_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    !rest.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !s.contains(char::is_whitespace)
}

/// A timestamp in the one RFC 3339 form that every output reads alike: `YYYY-MM-DDTHH:MM:SS`, an
/// optional fraction of 1 to 9 digits, and `Z` or `±HH:MM`, naming a real date and time. chrono
/// alone would also take a space for the `T`, a lowercase `z` or a leap second at any minute,
/// which a strict `format: date-time` validator rejects, so an example using them would pass here
/// and fail against the generated schemas. The grammar is [`crate::timestamp`]'s.
fn is_timestamp(s: &str) -> bool {
    crate::timestamp::fixed_shape(s.as_bytes()).is_some()
}

#[cfg(test)]
mod tests {
    use super::is_timestamp;

    #[test]
    fn timestamps_in_the_strict_form_only() {
        for ok in [
            "2025-01-15T09:30:00Z",
            "2024-02-29T00:00:00Z",
            "2026-02-01T00:00:00+01:00",
            "2026-02-01T00:00:00-05:30",
            "2025-01-15T09:30:00.5Z",
            "2025-01-15T09:30:00.123456789+00:00",
        ] {
            assert!(is_timestamp(ok), "{ok}");
        }
        for bad in [
            "2025-01-15 09:30:00Z",
            "2025-01-15t09:30:00Z",
            "2025-01-15T09:30:00z",
            "2025-01-15T09:30:00",
            "2025-01-15T09:30Z",
            "2023-02-29T00:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-01-15T24:00:00Z",
            "2016-12-31T23:59:60Z",
            "2025-01-15T09:30:00.Z",
            "2025-01-15T09:30:00.1234567890Z",
            "2025-01-15T09:30:00+0100",
            "2025-01-15T09:30:00+01",
            "2025-01-15T09:30:00+25:00",
            "2025-01-15T09:30:00Zjunk",
            "yesterday",
            "",
        ] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }
}
