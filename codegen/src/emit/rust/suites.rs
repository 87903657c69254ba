//! Stage 3, Rust: the generated crate's own test suites (`tests/examples/cases.rs`,
//! `tests/robustness/cases.rs`).
//!
//! Every example payload of the spec becomes a test: it decodes into the right variant, encodes
//! back to the model's canonical JSON, and decodes the same with `data` before `type`. Further
//! tests cover the forward-compatible paths (an unknown event type, unknown enum values) and
//! malformed input, and a deterministic randomized test feeds mutated examples and random bytes to
//! the decoder, which must return `Err` rather than panic.

use std::fmt::Write as _;

use super::{event_ident, field_ident};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::canonical::{ExampleVisitor, canonical_example, walk_example};
use super::samples::{first_canonical_example, unknown_event_json, unknown_type};
use super::{ident, json_pointer, raw_string};
use crate::model::{EventDef, Field, Model, TypeKind, TypeRef};

fn lit(text: &str) -> Literal {
    raw_string(text).parse().expect("a raw string literal")
}

fn json_lit(value: &Value) -> Literal {
    lit(&serde_json::to_string_pretty(value).expect("JSON values serialize"))
}

/// The envelope of an example written with the payload first, the order a one-pass decoder cannot
/// use directly.
pub(crate) fn data_first(model: &Model, json: &Value) -> String {
    let data_key = &model.envelope.fields[model.envelope.data_field].name;
    let object = json.as_object().expect("an example is a JSON object");
    let mut parts = Vec::new();
    if let Some(data) = object.get(data_key) {
        parts.push(format!("{}: {}", Value::from(data_key.as_str()), data));
    }
    for (key, value) in object.iter().filter(|(k, _)| *k != data_key) {
        parts.push(format!("{}: {}", Value::from(key.as_str()), value));
    }
    format!("{{{}}}", parts.join(", "))
}

fn crate_ident(model: &Model) -> proc_macro2::Ident {
    ident(&model.package.lib_name)
}

/// `tests/examples/cases.rs`.
///
/// The shared checks are fixed code, printed by prettyplease; the tests of each example, one a
/// line of text per example, are written as text in prettyplease's layout (see [`super::text`]),
/// since a large spec has tens of thousands of them.
pub(crate) fn emit_examples_test(model: &Model) -> String {
    let krate = crate_ident(model);
    let data = field_ident(&model.envelope.fields[model.envelope.data_field]);
    let unknown_event = emit_unknown_event_test(model);
    let (enum_check, enum_tests) = emit_enum_tests(model);
    let enum_in_event = emit_unknown_value_in_event_test(model);
    let malformed = emit_malformed_test(model);
    let raw = emit_raw_event_tests(model);
    let data_first = emit_data_first_test(model);
    let mut out = String::from(super::HEADER);
    out.push_str(&super::render_items(quote! {
        #![allow(deprecated)]

        use ::#krate::{Event, EventData, EventType, ParseError, RawEvent};

        /// Encodes `event` and compares it with the canonical JSON of its example.
        fn assert_encodes_to(event: &Event, canonical: &str) {
            let expected: ::serde_json::Value = ::serde_json::from_str(canonical).unwrap();
            let actual = ::serde_json::to_value(event).unwrap();
            assert_eq!(actual, expected);
            let again: Event = ::serde_json::from_value(actual).unwrap();
            assert_eq!(&again, event);
        }

        /// An example of the spec (`text`) decodes into a payload of its event type, encodes back
        /// to `canonical`, decodes the same with `data` first (`reordered`), and reads alike
        /// through the lossless entry points.
        fn check_example(event_type: EventType, text: &str, canonical: &str, reordered: &str) {
            let event: Event = ::serde_json::from_str(text).unwrap();
            assert_eq!(event.event_type(), event_type);
            assert!(!::std::matches!(event.#data, EventData::Unknown(_)));
            assert_encodes_to(&event, canonical);
            assert_eq!(::serde_json::from_str::<Event>(reordered).unwrap(), event);
            assert_eq!(Event::from_slice(reordered.as_bytes()).unwrap(), event);
            let lossless = Event::from_slice(text.as_bytes()).unwrap();
            assert_eq!(lossless, event);
            let raw = RawEvent::from_slice(text.as_bytes()).unwrap();
            assert_eq!(raw.event_type(), &event_type);
            assert_eq!(raw.body(), text.as_bytes());
            assert_eq!(raw.parse().unwrap(), event);
        }

        /// The least a delivery may carry (`text`: an example with every optional field left out,
        /// at every depth) decodes and encodes back to `canonical`; below it, nothing decodes:
        /// each text of `short` lacks one required field of the payload, and fails saying so.
        fn check_summary(event_type: EventType, text: &str, canonical: &str, short: &[(&str, &str)]) {
            let event: Event = ::serde_json::from_str(text).unwrap();
            assert_eq!(event.event_type(), event_type);
            assert!(!::std::matches!(event.#data, EventData::Unknown(_)));
            assert_encodes_to(&event, canonical);
            for (text, message) in short {
                let error = ::serde_json::from_str::<Event>(text).unwrap_err().to_string();
                assert!(error.contains(message), "{error}");
            }
        }
    }));
    for event in &model.events {
        emit_event_examples(&mut out, model, event);
    }
    out.push_str(&super::render_items(quote! {
        #unknown_event
        #enum_check
    }));
    out.push_str(&enum_tests);
    out.push_str(&super::render_items(quote! {
        #enum_in_event
        #malformed
        #raw
        #data_first
    }));
    out
}

/// The tests of one event's examples, and of the summary of its first example.
fn emit_event_examples(out: &mut String, model: &Model, event: &EventDef) {
    let stem = event.name.replace('.', "_");
    let event_type = format!("EventType::{}", super::event_variant(event));
    for (i, example) in event.examples.iter().enumerate() {
        let args = [
            event_type.clone(),
            raw_string(&example.text),
            raw_string(&pretty(&canonical_example(model, event, &example.json))),
            raw_string(&data_first(model, &example.json)),
        ];
        let _ = writeln!(out, "#[test]\nfn {stem}_example_{}() {{", i + 1);
        call(out, "check_example", &args);
        out.push_str("}\n");
    }
    // The least a delivery may carry: every field the spec marks optional left out, at every
    // depth. Deck sends summaries of its resources, and they must decode.
    let Some(example) = event.examples.first() else {
        return;
    };
    let mut json = summary(model, event, &example.json);
    // Below the summary, nothing decodes: each required field of the payload, left out, is an
    // error (`null` included, for a required field that is nullable). Each is taken out of the
    // summary and put back, rather than copying the whole event per field.
    let data_key = &model.envelope.fields[model.envelope.data_field].name;
    let keys: Vec<String> = json[data_key]
        .as_object()
        .map(|data| data.keys().cloned().collect())
        .unwrap_or_default();
    let short: Vec<String> = keys
        .iter()
        .map(|key| {
            let data = json[data_key].as_object_mut().expect("an object");
            let value = data.remove(key).expect("a key of the object");
            let text = serde_json::to_string(&json).expect("JSON values serialize");
            json[data_key]
                .as_object_mut()
                .expect("an object")
                .insert(key.clone(), value);
            let message = super::text::str_lit(&format!("missing field `{key}`"));
            let mut tuple = String::new();
            super::text::list(&mut tuple, 12, "(", &[raw_string(&text), message], "),");
            tuple.trim().trim_end_matches(',').to_owned()
        })
        .collect();
    let mut shorts = String::new();
    super::text::list(&mut shorts, 8, "&[", &short, "],");
    let args = [
        event_type,
        raw_string(&pretty(&json)),
        raw_string(&pretty(&canonical_example(model, event, &json))),
        shorts.trim().trim_end_matches(',').to_owned(),
    ];
    let _ = writeln!(out, "#[test]\nfn {stem}_summary() {{");
    call(out, "check_summary", &args);
    out.push_str("}\n");
}

/// A statement calling `function` with `args`, one a line: every call of the examples' tests has a
/// literal of several lines, so prettyplease always breaks it.
fn call(out: &mut String, function: &str, args: &[String]) {
    let _ = writeln!(out, "    {function}(");
    for arg in args {
        let _ = writeln!(out, "        {arg},");
    }
    out.push_str("    );\n");
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("JSON values serialize")
}

/// `data` before `type` decodes alike through every deserializer: serde_json's on bytes, text and
/// a reader (the payload kept as JSON text), a `Value` (whose keys are sorted, so `data` comes
/// first), and serde's own buffering of an untagged enum (the payload kept as a `Value`).
fn emit_data_first_test(model: &Model) -> Option<TokenStream> {
    let event = model.events.iter().find(|e| !e.examples.is_empty())?;
    let json = &event.examples[0].json;
    let text = lit(&serde_json::to_string(json).expect("JSON values serialize"));
    let reordered = lit(&data_first(model, json));
    let guess = emit_guessed_type_test(model, event);
    Some(quote! {
        #[test]
        fn data_first_decodes_through_every_deserializer() {
            #[derive(::serde::Deserialize)]
            #[serde(untagged)]
            enum Untagged {
                Event(Event),
            }
            let expected: Event = ::serde_json::from_str(#text).unwrap();
            let body = #reordered;
            assert_eq!(::serde_json::from_slice::<Event>(body.as_bytes()).unwrap(), expected);
            assert_eq!(::serde_json::from_str::<Event>(body).unwrap(), expected);
            assert_eq!(::serde_json::from_reader::<_, Event>(body.as_bytes()).unwrap(), expected);
            assert_eq!(Event::from_slice(body.as_bytes()).unwrap(), expected);
            let value: ::serde_json::Value = ::serde_json::from_str(body).unwrap();
            assert_eq!(::serde_json::from_value::<Event>(value).unwrap(), expected);
            let Untagged::Event(buffered) = ::serde_json::from_str::<Untagged>(body).unwrap();
            assert_eq!(buffered, expected);
        }

        #guess
    })
}

/// `Event::from_slice` decodes `data` before `type` as the type named last in the body, and
/// checks it: a body whose last `type` key is not the envelope's decodes as serde_json decodes it,
/// whether the type named last has the same payload shape (the payload decodes, and `type` then
/// disagrees), another shape (the payload fails to decode), or is unknown (no guess); and a
/// payload that fails to decode as its own type fails with serde_json's error, in either order.
fn emit_guessed_type_test(model: &Model, event: &EventDef) -> TokenStream {
    let json = &event.examples[0].json;
    let text = lit(&serde_json::to_string(json).expect("JSON values serialize"));
    let reordered = data_first(model, json);
    let others = model.events.iter().filter(|e| e.name != event.name);
    let twin = others.clone().find(|e| e.data == event.data);
    let stranger = others.clone().find(|e| e.data != event.data);
    let names = twin
        .into_iter()
        .chain(stranger)
        .map(|e| e.name.clone())
        .chain([unknown_type(model)]);
    let type_key = Value::from(
        model.envelope.fields[model.envelope.type_field]
            .name
            .as_str(),
    );
    let misleading = names.map(|name| {
        // A field after the envelope's `type` holding an object with a `type` of its own.
        let body = reordered.strip_suffix('}').expect("an object");
        lit(&format!(
            "{body}, \"later\": {{{type_key}: {}}}}}",
            Value::from(name)
        ))
    });
    let data_key = &model.envelope.fields[model.envelope.data_field].name;
    let mut wrong_shape = json.clone();
    wrong_shape[data_key] = Value::from("a payload of another shape");
    let mut envelope = wrong_shape.clone();
    let data = envelope
        .as_object_mut()
        .and_then(|fields| fields.remove(data_key))
        .expect("the example's payload");
    let envelope = serde_json::to_string(&envelope).expect("JSON values serialize");
    let type_first = format!(
        "{}, {}: {data}}}",
        envelope.strip_suffix('}').expect("an object"),
        Value::from(data_key.as_str())
    );
    let wrong_shapes = [lit(&data_first(model, &wrong_shape)), lit(&type_first)];
    let data_pointer = json_pointer(data_key);
    quote! {
        #[test]
        fn data_first_is_decoded_as_the_type_the_envelope_names() {
            let expected: Event = ::serde_json::from_str(#text).unwrap();
            for body in [#(#misleading),*] {
                assert_eq!(Event::from_slice(body.as_bytes()).unwrap(), expected, "{body}");
                assert_eq!(::serde_json::from_str::<Event>(body).unwrap(), expected, "{body}");
            }
            for body in [#(#wrong_shapes),*] {
                let error = Event::from_slice(body.as_bytes()).unwrap_err();
                assert!(::std::matches!(error, ParseError::Data { .. }), "{error:?}");
                let serde_error = ::serde_json::from_str::<Event>(body).unwrap_err().to_string();
                assert_eq!(error.json_error().to_string(), serde_error, "{body}");
                assert_eq!(error.pointer(), ::std::option::Option::Some(#data_pointer), "{error}");
            }
        }
    }
}

/// An example with every optional field removed, at every depth: the smallest event the spec
/// allows with the example's values.
fn summary(model: &Model, event: &EventDef, json: &Value) -> Value {
    /// Keeps only what the spec requires.
    struct Required;
    impl ExampleVisitor for Required {
        fn object(&mut self, fields: &[Field], obj: &mut serde_json::Map<String, Value>) {
            obj.retain(|key, _| fields.iter().any(|f| f.name == *key && !f.optional));
        }
    }
    let mut out = json.clone();
    walk_example(model, event, &mut out, &mut Required);
    out
}

fn emit_unknown_event_test(model: &Model) -> Option<TokenStream> {
    let json = unknown_event_json(model)?;
    let type_name = unknown_type(model);
    let object_name = type_name
        .split_once('.')
        .map_or(type_name.as_str(), |(o, _)| o);
    let text = json_lit(&json);
    let reordered = lit(&data_first(model, &json));
    let data = field_ident(&model.envelope.fields[model.envelope.data_field]);
    Some(quote! {
        #[test]
        fn unknown_event_type_round_trips() {
            let event: Event = ::serde_json::from_str(#text).unwrap();
            assert!(event.event_type().is_unknown());
            assert_eq!(event.event_type().as_str(), #type_name);
            assert_eq!(event.event_type().object(), #object_name);
            match &event.#data {
                EventData::Unknown(unknown) => {
                    assert_eq!(unknown.event_type(), #type_name);
                    assert_eq!(unknown.data().to_value().unwrap()["answer"], 42);
                }
                other => panic!("decoded as {other:?}"),
            }
            assert_encodes_to(&event, #text);
            let reordered: Event = ::serde_json::from_str(#reordered).unwrap();
            assert_eq!(reordered, event);
        }

        #[test]
        fn event_types_round_trip() {
            for event_type in EventType::ALL {
                assert!(!event_type.is_unknown());
                let parsed: EventType = event_type.as_str().parse().unwrap();
                assert_eq!(&parsed, event_type);
                assert_eq!(format!("{}.{}", event_type.object(), event_type.action()), event_type.as_str());
                let json = ::serde_json::to_value(event_type).unwrap();
                assert_eq!(::serde_json::from_value::<EventType>(json).unwrap(), *event_type);
            }
        }
    })
}

/// The shared check of every enum, as tokens, and one test per enum calling it, as text.
fn emit_enum_tests(model: &Model) -> (TokenStream, String) {
    let krate = &model.package.lib_name;
    let mut tests = String::new();
    for def in &model.types {
        if matches!(def.kind, TypeKind::Enum { .. }) {
            let name = format!("::{krate}::{}", super::type_name(def));
            let _ = writeln!(tests, "#[test]\nfn enum_{}_round_trips() {{", def.slug);
            let args = [
                format!("{name}::ALL"),
                format!("{name}::as_str"),
                format!("{name}::is_unknown"),
            ];
            super::text::list(&mut tests, 4, "assert_enum_round_trips(", &args, ");");
            tests.push_str("}\n");
        }
    }
    // One body for every enum: the checks are the same and only the type differs. The enums'
    // `as_str` and `is_unknown` are inherent methods, so they are passed in.
    let helper = quote! {
        /// Every known value of an enum round-trips through JSON and `FromStr`; a value the spec does
        /// not list is kept and written back unchanged; a non-string is an error.
        fn assert_enum_round_trips<T>(all: &[T], as_str: fn(&T) -> &str, is_unknown: fn(&T) -> bool)
        where
            T: ::serde::Serialize + ::serde::de::DeserializeOwned + ::std::str::FromStr + ::std::cmp::PartialEq + ::std::fmt::Debug,
            <T as ::std::str::FromStr>::Err: ::std::fmt::Debug,
        {
            for value in all {
                assert!(!is_unknown(value));
                let json = ::serde_json::to_value(value).unwrap();
                assert_eq!(json, ::serde_json::Value::from(as_str(value)));
                assert_eq!(&::serde_json::from_value::<T>(json).unwrap(), value);
                assert_eq!(&as_str(value).parse::<T>().unwrap(), value);
            }
            let unknown: T = ::serde_json::from_str("\"a_value_from_the_future\"").unwrap();
            assert!(is_unknown(&unknown));
            assert_eq!(as_str(&unknown), "a_value_from_the_future");
            assert_eq!(::serde_json::to_string(&unknown).unwrap(), "\"a_value_from_the_future\"");
            assert!(::serde_json::from_str::<T>("42").is_err());
        }
    };
    (helper, tests)
}

/// An example whose payload has a top-level enum field set: the value is replaced by one the spec
/// does not list, and the event must still decode and encode back unchanged.
fn emit_unknown_value_in_event_test(model: &Model) -> Option<TokenStream> {
    let data_key = &model.envelope.fields[model.envelope.data_field].name;
    for event in &model.events {
        let TypeKind::Object { fields, .. } = &model.ty(event.data).kind else {
            continue;
        };
        for field in fields {
            let TypeRef::Named(id) = field.ty else {
                continue;
            };
            if !matches!(model.ty(id).kind, TypeKind::Enum { .. }) {
                continue;
            }
            for example in &event.examples {
                let mut json = canonical_example(model, event, &example.json);
                let Some(slot) = json.get_mut(data_key).and_then(|d| d.get_mut(&field.name)) else {
                    continue;
                };
                if !slot.is_string() {
                    continue;
                }
                *slot = Value::from("a_value_from_the_future");
                let text = json_lit(&json);
                return Some(quote! {
                    #[test]
                    fn unknown_enum_value_in_event_round_trips() {
                        let event: Event = ::serde_json::from_str(#text).unwrap();
                        assert_encodes_to(&event, #text);
                    }
                });
            }
        }
    }
    None
}

fn emit_malformed_test(model: &Model) -> Option<TokenStream> {
    let example = first_canonical_example(model)?;
    let type_key = &model.envelope.fields[model.envelope.type_field].name;
    let data_key = &model.envelope.fields[model.envelope.data_field].name;
    let variants = |f: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut json = example.clone();
        f(json.as_object_mut().expect("an example is an object"));
        lit(&serde_json::to_string(&json).expect("JSON values serialize"))
    };
    let missing_type = variants(&|o| {
        o.remove(type_key);
    });
    let missing_data = variants(&|o| {
        o.remove(data_key);
    });
    let wrong_data = variants(&|o| {
        o.insert(data_key.clone(), Value::from(5));
    });
    let wrong_type = variants(&|o| {
        o.insert(type_key.clone(), Value::from(5));
    });
    let duplicate = lit(&format!(
        "{{{t}: {v}, {t}: {v}}}",
        t = Value::from(type_key.as_str()),
        v = Value::from(example[type_key].as_str().unwrap_or_default())
    ));
    let missing_type_message = format!("missing field `{type_key}`");
    let missing_data_message = format!("missing field `{data_key}`");
    let duplicate_message = format!("duplicate field `{type_key}`");
    Some(quote! {
        #[test]
        fn malformed_events_are_errors() {
            let error = |text: &str| ::serde_json::from_str::<Event>(text).unwrap_err().to_string();
            assert!(error(#missing_type).contains(#missing_type_message));
            assert!(error(#missing_data).contains(#missing_data_message));
            assert!(error(#duplicate).contains(#duplicate_message));
            error(#wrong_data);
            error(#wrong_type);
            error("[]");
            error("null");
            error("{");
        }
    })
}

/// A delivery of a known type whose payload no longer matches its shape is kept whole, and an
/// unreadable envelope is reported as such.
fn emit_raw_event_tests(model: &Model) -> Option<TokenStream> {
    let event = model.events.iter().find(|e| !e.examples.is_empty())?;
    let variant = event_ident(event);
    let data_key = &model.envelope.fields[model.envelope.data_field].name;
    let type_key = &model.envelope.fields[model.envelope.type_field].name;
    let mut json = event.examples[0].json.clone();
    let object = json.as_object_mut()?;
    object.insert(data_key.clone(), Value::from("a payload of another shape"));
    let changed = lit(&serde_json::to_string_pretty(&json).expect("JSON values serialize"));
    json.as_object_mut()?.remove(type_key);
    let no_type = lit(&serde_json::to_string(&json).expect("JSON values serialize"));
    let data_pointer = json_pointer(data_key);
    let type_pointer = json_pointer(type_key);
    let shape_message = format!(
        "{{}}: {data_pointer}: expected an object, got a string (\"a payload of another shape\")"
    );
    Some(quote! {
        #[test]
        fn a_payload_of_another_shape_is_kept_whole() {
            let body = #changed.as_bytes();
            let error = Event::from_slice(body).unwrap_err();
            assert!(::std::matches!(error, ParseError::Data { .. }), "{error:?}");
            assert_eq!(
                error.to_string(),
                ::std::format!(#shape_message, EventType::#variant.as_str()),
            );
            assert_eq!(error.pointer(), ::std::option::Option::Some(#data_pointer));
            let raw = error.raw_event().unwrap();
            assert_eq!(raw.event_type(), &EventType::#variant);
            assert_eq!(raw.body(), body);
            assert_eq!(raw.data().get(), "\"a payload of another shape\"");
            assert!(raw.parse().is_err());
            let kept = error.into_raw_event().unwrap().into_body();
            assert_eq!(kept, body);
        }

        #[test]
        fn an_unreadable_envelope_keeps_nothing() {
            let places = [
                (#no_type, ::std::option::Option::Some(#type_pointer)),
                ("[]", ::std::option::Option::Some("")),
                ("{", ::std::option::Option::None),
                ("not json", ::std::option::Option::None),
            ];
            for (body, pointer) in places {
                let error = Event::from_slice(body.as_bytes()).unwrap_err();
                assert_eq!(error.pointer(), pointer, "{body}: {error}");
                assert!(::std::matches!(error, ParseError::Envelope { .. }), "{body}: {error:?}");
                assert!(error.raw_event().is_none());
                assert!(RawEvent::from_slice(body.as_bytes()).is_err());
                assert!(body.parse::<Event>().is_err());
            }
        }
    })
}

/// `tests/robustness.rs`: the decoder never panics on mutated examples or random bytes, and
/// whatever it accepts encodes and decodes back to the same value.
pub(crate) fn emit_robustness_test(model: &Model) -> String {
    let krate = &model.package.lib_name;
    let mut out = format!(
        "{}//! A deterministic randomized test over mutated examples and random bytes: the decoder
//! returns `Err` on malformed input and never panics.
use ::{krate}::Event;
",
        super::HEADER
    );
    // One entry per example and per event type: written as text (see `super::text`).
    // Each example as written, and with `data` first, which the crate's entry points decode
    // as the type the body names last, checked against `type`.
    let examples: Vec<String> = model
        .events
        .iter()
        .flat_map(|e| &e.examples)
        .flat_map(|e| [raw_string(&e.text), raw_string(&data_first(model, &e.json))])
        .collect();
    super::text::list(&mut out, 0, "const EXAMPLES: &[&str] = &[", &examples, "];");
    let types: Vec<String> = model
        .events
        .iter()
        .map(|e| super::text::str_lit(&e.name))
        .collect();
    super::text::list(&mut out, 0, "const TYPES: &[&str] = &[", &types, "];");
    out.push_str(&super::render_items(quote! {
        const TOKENS: &[&str] = &[
            "{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "0", "-1", "1e999", "\"\"",
            "\"type\"", "\"data\"", "{\"data\":{}}", "\"\\u0000\"", "\"\\ud800\"", "9223372036854775808",
            "\"2025-13-45T99:99:99Z\"", "\"a_value_from_the_future\"",
        ];

        /// xorshift64*: small, deterministic, good enough to pick mutations.
        struct Rng(u64);

        impl Rng {
            fn next(&mut self) -> u64 {
                self.0 ^= self.0 >> 12;
                self.0 ^= self.0 << 25;
                self.0 ^= self.0 >> 27;
                self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
            }

            fn below(&mut self, n: usize) -> usize {
                (self.next() % n.max(1) as u64) as usize
            }
        }

        /// Decodes `bytes`; whatever decodes must encode, and decode again to the same event. The
        /// lossless entry point agrees with serde, and keeps the body whole when it is refused.
        fn check(bytes: &[u8]) {
            let typed = ::serde_json::from_slice::<Event>(bytes);
            match (&typed, Event::from_slice(bytes)) {
                (::std::result::Result::Ok(event), ::std::result::Result::Ok(same)) => {
                    assert_eq!(&same, event);
                    let encoded = ::serde_json::to_vec(event).unwrap();
                    let again: Event = ::serde_json::from_slice(&encoded).unwrap();
                    assert_eq!(&again, event);
                }
                (::std::result::Result::Err(_), ::std::result::Result::Err(error)) => {
                    // The place is found on the error path: it names a place in the body.
                    assert!(!error.to_string().is_empty());
                    if let ::std::option::Option::Some(pointer) = error.pointer() {
                        assert!(pointer.is_empty() || pointer.starts_with('/'), "{error}");
                    }
                    if let ::std::option::Option::Some(raw) = error.raw_event() {
                        assert_eq!(raw.body(), bytes);
                        assert!(raw.parse().is_err());
                    }
                }
                (typed, lossless) => panic!("serde says {typed:?}, from_slice says {lossless:?}"),
            }
        }

        fn mutate(rng: &mut Rng, input: &[u8]) -> ::std::vec::Vec<u8> {
            let mut bytes = input.to_vec();
            for _ in 0..=rng.below(3) {
                let at = rng.below(bytes.len() + 1);
                match rng.below(6) {
                    0 => bytes.truncate(at),
                    1 if at < bytes.len() => bytes[at] = rng.next() as u8,
                    2 => {
                        let end = (at + rng.below(16)).min(bytes.len());
                        bytes.drain(at..end);
                    }
                    3 => {
                        let token = TOKENS[rng.below(TOKENS.len())];
                        bytes.splice(at..at, token.bytes());
                    }
                    4 => {
                        let end = (at + rng.below(32)).min(bytes.len());
                        let copy = bytes[at..end].to_vec();
                        bytes.splice(at..at, copy);
                    }
                    _ => {
                        // Swap the event type for another: a known type with the wrong payload.
                        let text = ::std::string::String::from_utf8_lossy(&bytes).into_owned();
                        let to = TYPES[rng.below(TYPES.len())];
                        let from = TYPES.iter().find(|t| text.contains(&format!("\"{t}\"")));
                        if let Some(from) = from {
                            bytes = text.replacen(&format!("\"{from}\""), &format!("\"{to}\""), 1).into_bytes();
                        }
                    }
                }
            }
            bytes
        }

        #[test]
        fn mutated_examples_never_panic() {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
            for example in EXAMPLES {
                check(example.as_bytes());
                for _ in 0..200 {
                    check(&mutate(&mut rng, example.as_bytes()));
                }
            }
        }

        #[test]
        fn random_bytes_never_panic() {
            let mut rng = Rng(0xD1B5_4A32_D192_ED03);
            for _ in 0..5000 {
                let len = rng.below(96);
                let bytes: ::std::vec::Vec<u8> = if rng.below(2) == 0 {
                    (0..len).map(|_| rng.next() as u8).collect()
                } else {
                    let mut text = ::std::string::String::new();
                    while text.len() < len {
                        text.push_str(TOKENS[rng.below(TOKENS.len())]);
                    }
                    text.into_bytes()
                };
                check(&bytes);
            }
        }
    }));
    out
}
