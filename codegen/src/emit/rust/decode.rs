//! Stage 3, Rust: how structs decode, written by hand rather than derived: each struct's
//! `Deserialize` impl and its `decode::Struct` impl, over the shared runtime of `src/decode.rs`
//! (`verbatim/decode.rs`, copied as is).
//!
//! serde's derive writes several helper types and impls per struct, and one more per field with a
//! decoder of its own (every timestamp): they were most of the crate's compile time. These impls
//! hold only what is the struct's own, as text in prettyplease's layout ([`super::text`]).

use std::fmt::Write as _;

use super::{field_name, text};
use crate::model::Field;

/// The runtime module's source, verbatim.
pub(crate) const SOURCE: &str = include_str!("verbatim/decode.rs");

/// A field as its struct's `Struct` impl reads it.
pub(crate) struct Slot<'a> {
    /// The field's Rust name, which also names its slot.
    pub rust: String,
    /// The JSON key.
    pub wire: &'a str,
    /// The seed that reads its value, when not its type's `Deserialize`.
    pub seed: Option<&'static str>,
    /// Whether an absent field reads as `None`; otherwise it is a `missing field` error.
    pub optional: bool,
}

impl<'a> Slot<'a> {
    /// A field of the model.
    pub(crate) fn of(field: &'a Field) -> Self {
        Slot {
            rust: field_name(field),
            wire: &field.name,
            seed: super::timestamp::seed(field),
            optional: field.optional,
        }
    }
}

/// The `decode::Names` impl of `ty` (such as `TaskRun`, or `__RawEnvelope<'_>`), whose fields
/// have the wire names `wires`.
pub(crate) fn emit_names(out: &mut String, ty: &str, wires: &[&str]) {
    let mut item = format!("impl crate::decode::Names for {ty} {{\n");
    let lits: Vec<String> = wires.iter().map(|w| text::str_lit(w)).collect();
    text::list(
        &mut item,
        4,
        "const FIELDS: &'static [&'static str] = &[",
        &lits,
        "];",
    );
    if wires.is_empty() {
        item.push_str(
            "    fn place(_: &[u8]) -> ::std::option::Option<usize> {\n        ::std::option::Option::None\n    }\n}\n",
        );
    } else {
        item.push_str("    fn place(name: &[u8]) -> ::std::option::Option<usize> {\n");
        item.push_str("        ::std::option::Option::Some(\n            match name {\n");
        // Guards rather than byte string patterns: a slice matched against byte strings becomes
        // a tree of single-byte tests, while `==` against each name compiles to a test of the
        // length and a few wide comparisons, as a `match` on a `str` does.
        for (i, wire) in wires.iter().enumerate() {
            let lit = proc_macro2::Literal::byte_string(wire.as_bytes()).to_string();
            text::arm(
                &mut item,
                16,
                &format!("_ if name == {lit}"),
                &i.to_string(),
            );
        }
        item.push_str(
            "                _ => return ::std::option::Option::None,\n            },\n        )\n    }\n}\n",
        );
    }
    text::push_item(out, &item);
}

/// The `Deserialize` impl of the struct `ty` (such as `TaskRun`, or `__RawEnvelope<'de>` for one
/// that borrows), whose name is `name`, and its `decode::Names` and `decode::Struct` impls reading
/// `slots`.
pub(crate) fn emit_struct_decoder(out: &mut String, ty: &str, name: &str, slots: &[Slot<'_>]) {
    let wires: Vec<&str> = slots.iter().map(|s| s.wire).collect();
    emit_names(out, &ty.replace("'de", "'_"), &wires);
    let mut item = format!(
        "impl<'de> ::serde::Deserialize<'de> for {ty} {{
    fn deserialize<__D: ::serde::Deserializer<'de>>(
        deserializer: __D,
    ) -> ::std::result::Result<Self, __D::Error> {{
        crate::decode::deserialize(deserializer)
    }}
}}
impl<'de> crate::decode::Struct<'de> for {ty} {{
    const NAME: &'static str = {};
",
        text::str_lit(name)
    );
    item.push_str(
        "    fn read<__A: ::serde::de::MapAccess<'de>>(
        mut __fields: crate::decode::Fields<__A, Self>,
    ) -> ::std::result::Result<Self, __A::Error> {
",
    );
    for slot in slots {
        let _ = writeln!(
            item,
            "        let mut {} = ::std::option::Option::None;",
            slot.rust
        );
    }
    match slots {
        [] => item.push_str("        while __fields.next()?.is_some() {}\n"),
        // `next` returns only places of known fields, so with one field every place is 0 (and
        // a `match` with one arm is what clippy's `single_match` rejects).
        [slot] => {
            let _ = writeln!(
                item,
                "        while __fields.next()?.is_some() {{\n            {};\n        }}",
                read(slot)
            );
        }
        _ => {
            item.push_str(
                "        while let ::std::option::Option::Some(__at) = __fields.next()? {\n            match __at {\n",
            );
            for (i, slot) in slots.iter().enumerate() {
                text::arm(&mut item, 16, &i.to_string(), &read(slot));
            }
            item.push_str("                _ => {}\n            }\n        }\n");
        }
    }
    let inits: Vec<String> = slots
        .iter()
        .map(|slot| format!("{}: {}", slot.rust, take(slot)))
        .collect();
    // As `text::struct_literal` lays out the literal, inside the call.
    let mut literal = String::new();
    text::struct_literal(&mut literal, 8, "Self", &inits);
    let literal = literal.trim_start().trim_end_matches('\n');
    let _ = writeln!(item, "        ::std::result::Result::Ok({literal})");
    item.push_str("    }\n}\n");
    text::push_item(out, &item);
}

/// The call that reads `slot`'s value into its local, from `__fields`.
pub(crate) fn read(slot: &Slot<'_>) -> String {
    match slot.seed {
        Some(seed) => format!("__fields.value_seed(&mut {}, {seed})?", slot.rust),
        None => format!("__fields.value(&mut {})?", slot.rust),
    }
}

/// The field's value from its local once the map is read: `None` when absent and optional, a
/// `missing field` error when absent and required.
pub(crate) fn take(slot: &Slot<'_>) -> String {
    let name = &slot.rust;
    if slot.optional {
        format!("{name}.flatten()")
    } else {
        format!("__fields.required({name}, {})?", text::str_lit(slot.wire))
    }
}

#[cfg(test)]
#[path = "verbatim/decode.rs"]
mod runtime;

#[cfg(test)]
mod tests {
    //! The runtime against serde's derive: a struct decoded as the emitter writes its decoder, and
    //! the same struct derived, must read every body alike through every deserializer: the same
    //! value, or an error in the same words.

    use chrono::{DateTime, Utc};
    use serde::Deserialize;

    /// A struct as the emitter writes it: every kind of field, and a raw identifier.
    mod ours {
        use super::super::runtime::{Fields, Names, Struct, deserialize};
        use crate::timestamp::runtime::{OptionSeed, Seed};
        use chrono::{DateTime, Utc};

        #[derive(Debug, PartialEq)]
        pub struct Sample {
            pub id: String,
            pub r#type: Option<String>,
            pub at: DateTime<Utc>,
            pub until: Option<DateTime<Utc>>,
            pub gone: Option<i64>,
            pub tags: Vec<String>,
        }

        impl<'de> serde::Deserialize<'de> for Sample {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize(deserializer)
            }
        }

        impl Names for Sample {
            const FIELDS: &'static [&'static str] = &["id", "type", "at", "until", "gone", "tags"];
            fn place(name: &[u8]) -> Option<usize> {
                Some(match name {
                    b"id" => 0,
                    b"type" => 1,
                    b"at" => 2,
                    b"until" => 3,
                    b"gone" => 4,
                    b"tags" => 5,
                    _ => return None,
                })
            }
        }

        impl<'de> Struct<'de> for Sample {
            const NAME: &'static str = "Sample";
            fn read<A: serde::de::MapAccess<'de>>(
                mut fields: Fields<A, Self>,
            ) -> Result<Self, A::Error> {
                let (mut id, mut r#type, mut at, mut until, mut gone, mut tags) =
                    (None, None, None, None, None, None);
                while let Some(at_) = fields.next()? {
                    match at_ {
                        0 => fields.value(&mut id)?,
                        1 => fields.value(&mut r#type)?,
                        2 => fields.value_seed(&mut at, Seed)?,
                        3 => fields.value_seed(&mut until, OptionSeed)?,
                        4 => fields.value(&mut gone)?,
                        5 => fields.value(&mut tags)?,
                        _ => {}
                    }
                }
                Ok(Self {
                    id: fields.required(id, "id")?,
                    r#type: r#type.flatten(),
                    at: fields.required(at, "at")?,
                    until: until.flatten(),
                    gone: fields.required(gone, "gone")?,
                    tags: fields.required(tags, "tags")?,
                })
            }
        }

        /// An empty struct.
        #[derive(Debug, PartialEq)]
        pub struct Empty {}

        impl<'de> serde::Deserialize<'de> for Empty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize(deserializer)
            }
        }

        impl Names for Empty {
            const FIELDS: &'static [&'static str] = &[];
            fn place(_: &[u8]) -> Option<usize> {
                None
            }
        }

        impl<'de> Struct<'de> for Empty {
            const NAME: &'static str = "Empty";
            fn read<A: serde::de::MapAccess<'de>>(
                mut fields: Fields<A, Self>,
            ) -> Result<Self, A::Error> {
                while fields.next()?.is_some() {}
                Ok(Self {})
            }
        }
    }

    /// The same struct derived, timestamps read by chrono (which the timestamp module matches).
    mod derived {
        use chrono::{DateTime, Utc};

        #[derive(Debug, PartialEq, serde::Deserialize)]
        pub struct Sample {
            pub id: String,
            #[serde(default)]
            pub r#type: Option<String>,
            pub at: DateTime<Utc>,
            #[serde(default)]
            pub until: Option<DateTime<Utc>>,
            #[serde(deserialize_with = "required_nullable")]
            pub gone: Option<i64>,
            pub tags: Vec<String>,
        }

        fn required_nullable<'de, D: serde::Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<i64>, D::Error> {
            serde::Deserialize::deserialize(deserializer)
        }

        #[derive(Debug, PartialEq, serde::Deserialize)]
        pub struct Empty {}
    }

    type Fields = (
        String,
        Option<String>,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
        Option<i64>,
        Vec<String>,
    );

    fn ours(s: ours::Sample) -> Fields {
        (s.id, s.r#type, s.at, s.until, s.gone, s.tags)
    }

    fn derived(s: derived::Sample) -> Fields {
        (s.id, s.r#type, s.at, s.until, s.gone, s.tags)
    }

    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    enum Untagged<T> {
        One(T),
    }

    /// Each body (JSON text) through every deserializer: both sides give the same value or the
    /// same message.
    fn same_through_every_deserializer(body: &str) {
        let mut outcomes = Vec::new();
        let e = |e: &dyn std::fmt::Display| e.to_string();
        // One decoding, written once and run for both structs: its type is inferred from the
        // conversion each side applies.
        macro_rules! both {
            ($how:expr, $decode:expr, |$s:ident| $wrap:expr) => {
                outcomes.push((
                    $how,
                    $decode.map(|$s| ours($wrap)).map_err(|x| e(&x)),
                    $decode.map(|$s| derived($wrap)).map_err(|x| e(&x)),
                ))
            };
            ($how:expr, $decode:expr) => {
                both!($how, $decode, |s| s)
            };
        }
        both!("from_str", serde_json::from_str(body));
        both!("from_slice", serde_json::from_slice(body.as_bytes()));
        both!("from_reader", serde_json::from_reader(body.as_bytes()));
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(body) {
            both!("from_value", serde_json::from_value(value.clone()));
            both!("&Value", Deserialize::deserialize(&value));
        }
        both!("untagged", serde_json::from_str(body), |s| {
            let Untagged::One(s) = s;
            s
        });
        both!("serde_yaml", serde_yaml::from_str(body));
        for (how, ours, derived) in outcomes {
            assert_eq!(ours, derived, "{how}: {body}");
        }
    }

    #[test]
    fn bodies_read_as_with_serdes_derive() {
        let bodies = [
            r#"{"id": "a", "type": "t", "at": "2025-01-15T09:30:00Z", "until": null, "gone": 1, "tags": ["x"]}"#,
            r#"{"tags": [], "gone": null, "at": "2025-01-15T09:30:00.25+01:00", "id": "a"}"#,
            r#"{"id": "a", "at": "2025-01-15T09:30:00Z", "gone": null, "tags": [], "type": null}"#,
            // Unknown fields of every shape, before, between and after known ones.
            r#"{"new": {"a": [1, {"b": null}]}, "id": "a", "x": 1.5, "at": "2025-01-15T09:30:00Z", "gone": 2, "tags": [], "z": "é"}"#,
            // Names with escapes, and an unknown name that only starts like a known one.
            r#"{"\u0069d": "a", "at": "2025-01-15T09:30:00Z", "gon\u0065": 2, "tags": [], "idx": 5, "ty\npe": 1}"#,
            // Given twice: a known field, a timestamp, a nullable field, an unknown one.
            r#"{"id": "a", "id": "b", "at": "2025-01-15T09:30:00Z", "gone": 2, "tags": []}"#,
            r#"{"id": "a", "at": "2025-01-15T09:30:00Z", "at": "2025-01-15T09:30:00Z", "gone": 2, "tags": []}"#,
            r#"{"id": "a", "at": "2025-01-15T09:30:00Z", "gone": null, "gone": null, "tags": []}"#,
            r#"{"id": "a", "at": "2025-01-15T09:30:00Z", "gone": 2, "tags": [], "u": 1, "u": 2}"#,
            // Left out: required, required and nullable, every field.
            r#"{"at": "2025-01-15T09:30:00Z", "gone": 2, "tags": []}"#,
            r#"{"id": "a", "at": "2025-01-15T09:30:00Z", "tags": []}"#,
            r#"{"id": "a", "gone": 1, "tags": []}"#,
            r#"{}"#,
            // Wrong types.
            r#"{"id": 5, "at": "2025-01-15T09:30:00Z", "gone": 2, "tags": []}"#,
            r#"{"id": null, "at": "2025-01-15T09:30:00Z", "gone": 2, "tags": []}"#,
            r#"{"id": "a", "at": "2025-01-15T09:30:00Z", "gone": "2", "tags": []}"#,
            r#"{"id": "a", "at": "2025-01-15T09:30:00Z", "gone": 2, "tags": {}}"#,
            r#""a string""#,
            r#"5"#,
            r#"null"#,
            // Timestamps: chrono's values and chrono's words.
            r#"{"id": "a", "at": "2025-01-15 09:30:00 UTC", "until": "2016-12-31T23:59:60Z", "gone": 2, "tags": []}"#,
            r#"{"id": "a", "at": "2025-02-30T09:30:00Z", "gone": 2, "tags": []}"#,
            r#"{"id": "a", "at": "yesterday", "gone": 2, "tags": []}"#,
            r#"{"id": "a", "at": 1736933400, "gone": 2, "tags": []}"#,
            r#"{"id": "a", "at": null, "gone": 2, "tags": []}"#,
            r#"{"id": "a", "at": "2025-01-15T09:30:00Z", "until": ["2025-01-15T09:30:00Z"], "gone": 2, "tags": []}"#,
            // Malformed JSON.
            r#"{"id": "a", "at""#,
            r#"{"id": "a",}"#,
            r#"{"id" "a"}"#,
        ];
        for body in bodies {
            same_through_every_deserializer(body);
        }
    }

    #[test]
    fn an_empty_struct_reads_any_object() {
        for body in [r#"{}"#, r#"{"a": 1, "b": [null]}"#, r#"[]"#, r#"1"#] {
            let ours = serde_json::from_str::<ours::Empty>(body).map_err(|e| e.to_string());
            let derived = serde_json::from_str::<derived::Empty>(body).map_err(|e| e.to_string());
            if body == "[]" {
                // Derive reads a struct from a sequence of its values, which the runtime does not.
                assert!(derived.is_ok());
                let error = ours.unwrap_err();
                assert!(
                    error.starts_with("invalid type: sequence, expected struct Empty"),
                    "{error}"
                );
            } else {
                assert_eq!(ours.is_ok(), derived.is_ok(), "{body}");
                assert_eq!(ours.err(), derived.err(), "{body}");
            }
        }
    }

    /// A name that is not UTF-8 or holds a control character is rejected as derive rejects it,
    /// in serde_json's words, from bytes, text and a reader.
    #[test]
    fn malformed_names_are_rejected() {
        let words = |e: serde_json::Error| {
            let text = e.to_string();
            text.split(" at line").next().unwrap_or_default().to_owned()
        };
        let bodies: [&[u8]; 5] = [
            b"{\"id\": \"a\", \"x\xff\": 1, \"at\": \"2025-01-15T09:30:00Z\", \"gone\": 2, \"tags\": []}",
            b"{\"\xc3\": 1}",
            b"{\"id\xed\xa0\x80\": 1}",
            b"{\"id\": \"a\", \"x\x01y\": 1}",
            b"{\"i\nd\": 1}",
        ];
        for body in bodies {
            let ours = serde_json::from_slice::<ours::Sample>(body).map_err(words);
            let derived = serde_json::from_slice::<derived::Sample>(body).map_err(words);
            assert_eq!(ours.unwrap_err(), derived.unwrap_err());
            let ours = serde_json::from_reader::<_, ours::Sample>(body).map_err(words);
            let derived = serde_json::from_reader::<_, derived::Sample>(body).map_err(words);
            assert_eq!(ours.unwrap_err(), derived.unwrap_err());
        }
    }
}
