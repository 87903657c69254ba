//! Stage 3, Rust: the lossless fallback (`src/raw.rs`): `RawEvent`, `ParseError`, and the
//! `Event::from_slice` entry point that ties them together.
//!
//! A receiver must never lose a delivery. When a signed body's envelope is valid but its `data`
//! does not decode into the type this version expects (Deck changed a field's type, or left out a
//! field this version requires), answering with an error makes Deck retry the same bytes until it
//! disables the destination. `Event::from_slice` therefore returns, with the error, a `RawEvent`:
//! the envelope's fields typed, `data` as raw JSON and the whole body byte for byte, so the
//! consumer can store it, acknowledge the delivery and process it once the crate catches up.
//!
//! The envelope of a `RawEvent` is read by a struct that borrows `data` as a `&RawValue`, through
//! the same decoder as every other struct of the crate, so it accepts exactly the envelopes
//! `Event` accepts.

use super::field_ident;
use proc_macro2::TokenStream;
use quote::quote;

use super::decode::{Slot, emit_struct_decoder};
use super::types::field_doc;
use super::{field_type, json_pointer};
use crate::model::{Field, Model};

/// The `raw` module.
pub(crate) fn emit_raw_module(model: &Model) -> TokenStream {
    let raw_event = emit_raw_event(model);
    let parse_error = emit_parse_error(model);
    let entry_points = emit_entry_points();
    quote! {
        #![allow(deprecated)]
        #raw_event
        #parse_error
        #entry_points
    }
}

/// The envelope fields a `RawEvent` holds typed: all but the discriminator and the payload, which
/// it keeps in fields of its own.
fn typed_fields(model: &Model) -> impl Iterator<Item = &Field> {
    let env = &model.envelope;
    env.fields
        .iter()
        .enumerate()
        .filter(move |(i, _)| *i != env.type_field && *i != env.data_field)
        .map(|(_, f)| f)
}

fn emit_raw_event(model: &Model) -> TokenStream {
    let env = &model.envelope;
    let type_wire = &env.fields[env.type_field].name;
    let data_wire = &env.fields[env.data_field].name;
    let data_name = field_ident(&env.fields[env.data_field]);
    let names: Vec<_> = typed_fields(model).map(field_ident).collect();
    let public_fields = typed_fields(model).map(|f| {
        let name = field_ident(f);
        let ty = field_type(model, f);
        let doc = field_doc(f).to_attrs();
        quote! {
            #doc
            pub #name: #ty,
        }
    });
    let borrowed_fields = typed_fields(model).map(|f| {
        let name = field_ident(f);
        let ty = field_type(model, f);
        quote!(#name: #ty,)
    });
    let decoder = emit_envelope_decoder(model);
    let type_doc = format!(" The event type (`{type_wire}`), known or not.");
    let data_doc = format!(" The payload (`{data_wire}`) exactly as received.");
    quote! {
        /// A delivery whose envelope decoded, with its payload kept as raw JSON and the whole body
        /// kept byte for byte.
        ///
        /// [`Event::from_slice`](crate::Event::from_slice) hands one out in
        /// [`ParseError::Data`] when the envelope is valid but the payload does not decode into
        /// its event type's shape. Store [`body`](Self::body) (it is what was signed), acknowledge
        /// the delivery, and [`parse`](Self::parse) it again once a newer crate reads it: nothing
        /// received is lost. [`RawEvent::from_slice`] reads any body with a valid envelope.
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        #[non_exhaustive]
        pub struct RawEvent {
            #(#public_fields)*
            #[doc = #type_doc]
            __event_type: crate::event::EventType,
            #[doc = #data_doc]
            __data: ::std::boxed::Box<::serde_json::value::RawValue>,
            /// The whole body as received.
            __body: ::std::boxed::Box<[u8]>,
        }

        /// The envelope of a body, borrowing its payload.
        struct __RawEnvelope<'a> {
            #(#borrowed_fields)*
            __event_type: crate::event::EventType,
            __data: &'a ::serde_json::value::RawValue,
        }

        #decoder

        impl RawEvent {
            /// Reads the envelope of `body`, keeping the payload as raw JSON and the body as is.
            ///
            /// # Errors
            /// When `body` is not JSON, or its envelope lacks a required field or has a field of
            /// the wrong type. The payload is not decoded, so its shape never makes this fail.
            pub fn from_slice(body: &[u8]) -> ::std::result::Result<Self, ::serde_json::Error> {
                let envelope: __RawEnvelope<'_> = __from_body(body, ::serde_json::from_str)?;
                ::std::result::Result::Ok(Self {
                    #(#names: envelope.#names,)*
                    __event_type: envelope.__event_type,
                    __data: ::std::borrow::ToOwned::to_owned(envelope.__data),
                    __body: body.into(),
                })
            }

            /// The event type, known to this version or not.
            pub fn event_type(&self) -> &crate::event::EventType {
                &self.__event_type
            }

            /// The payload, exactly as received.
            pub fn data(&self) -> &::serde_json::value::RawValue {
                &self.__data
            }

            /// The whole body, exactly as received (and as signed).
            pub fn body(&self) -> &[u8] {
                &self.__body
            }

            /// The whole body, by value.
            pub fn into_body(self) -> ::std::vec::Vec<u8> {
                self.__body.into_vec()
            }

            /// Decodes the payload into its typed variant, as [`Event`](crate::Event) does.
            ///
            /// # Errors
            /// When the payload does not decode into its event type's shape.
            pub fn parse(&self) -> ::std::result::Result<crate::event::Event, ::serde_json::Error> {
                let #data_name = ::serde::de::DeserializeSeed::deserialize(
                    crate::event::__DataSeed(&self.__event_type),
                    &*self.__data,
                )?;
                ::std::result::Result::Ok(crate::event::Event {
                    #(#names: ::std::clone::Clone::clone(&self.#names),)*
                    #data_name,
                })
            }
        }
    }
}

/// The decoder of `__RawEnvelope`, which reads the envelope's fields as `Event`'s decoder does.
fn emit_envelope_decoder(model: &Model) -> TokenStream {
    let env = &model.envelope;
    let mut slots: Vec<Slot<'_>> = typed_fields(model).map(Slot::of).collect();
    for (rust, field) in [("__event_type", env.type_field), ("__data", env.data_field)] {
        slots.push(Slot {
            rust: rust.to_owned(),
            wire: &env.fields[field].name,
            seed: None,
            optional: false,
        });
    }
    let mut text = String::new();
    emit_struct_decoder(&mut text, "__RawEnvelope<'de>", "__RawEnvelope", &slots);
    super::tokens(&text)
}

fn emit_parse_error(model: &Model) -> TokenStream {
    let data_wire = &model.envelope.fields[model.envelope.data_field].name;
    let data_message = format!("the `{data_wire}` of a `{{}}` event does not decode: {{}}");
    let data_pointer = json_pointer(data_wire);
    let place = emit_place();
    quote! {
        /// Why a body did not parse into an [`Event`](crate::Event).
        ///
        /// When the body is JSON but a value in it has the wrong shape, the error names the place:
        /// [`pointer`](Self::pointer) is the JSON Pointer of the value that failed
        /// (`/data/runtime_ms`), and the message says what was expected and what was received:
        /// `task_run.completed: /data/runtime_ms: expected an integer, got a string ("oops")`.
        /// The place is found only once decoding has failed, by decoding the body again with its
        /// path tracked, so a body that decodes costs nothing more.
        #[derive(::std::fmt::Debug)]
        #[non_exhaustive]
        pub enum ParseError {
            /// The body is not an event: not JSON, or its envelope lacks a required field or has
            /// one of the wrong type. The body itself is all there is to keep.
            #[non_exhaustive]
            Envelope {
                /// Why the body is not an event.
                error: ::serde_json::Error,
                /// Where in the body, when the body is JSON.
                place: ::std::option::Option<ErrorPlace>,
            },
            /// The envelope is valid, but the payload does not decode into its event type's shape.
            /// The raw event holds the envelope, the payload and the whole body.
            #[non_exhaustive]
            Data {
                /// The delivery, kept whole.
                raw: ::std::boxed::Box<RawEvent>,
                /// Why the payload did not decode.
                error: ::serde_json::Error,
                /// Where in the body.
                place: ::std::option::Option<ErrorPlace>,
            },
        }

        #place

        impl ParseError {
            /// A body's envelope did not decode: `error`, placed in `body`.
            #[cold]
            #[inline(never)]
            fn __envelope(body: &[u8], error: ::serde_json::Error) -> Self {
                let place = __envelope_place(body, &error);
                Self::Envelope { error, place }
            }

            /// A payload did not decode: `error`, placed in the raw event's body.
            #[cold]
            #[inline(never)]
            fn __data(raw: RawEvent, error: ::serde_json::Error) -> Self {
                let place = __data_place(&raw, &error);
                Self::Data { raw: ::std::boxed::Box::new(raw), error, place }
            }

            /// The delivery kept whole, when its envelope was valid.
            pub fn raw_event(&self) -> ::std::option::Option<&RawEvent> {
                match self {
                    Self::Envelope { .. } => ::std::option::Option::None,
                    Self::Data { raw, .. } => ::std::option::Option::Some(raw),
                }
            }

            /// The delivery kept whole, by value, when its envelope was valid.
            pub fn into_raw_event(self) -> ::std::option::Option<RawEvent> {
                match self {
                    Self::Envelope { .. } => ::std::option::Option::None,
                    Self::Data { raw, .. } => ::std::option::Option::Some(*raw),
                }
            }

            /// The JSON error, with its line and column in the body.
            pub fn json_error(&self) -> &::serde_json::Error {
                match self {
                    Self::Envelope { error, .. } | Self::Data { error, .. } => error,
                }
            }

            /// Where in the body decoding failed, and what was found there: `None` when the body
            /// is not JSON, or when the failure has no single place.
            pub fn place(&self) -> ::std::option::Option<&ErrorPlace> {
                match self {
                    Self::Envelope { place, .. } | Self::Data { place, .. } => place.as_ref(),
                }
            }

            /// The JSON Pointer (RFC 6901) of the value that failed, from the body's root:
            /// `/data/runtime_ms`, or `/data/runtime_ms` too for a required field that is missing.
            pub fn pointer(&self) -> ::std::option::Option<&str> {
                self.place().map(ErrorPlace::pointer)
            }
        }

        impl ::std::fmt::Display for ParseError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::Envelope { place: ::std::option::Option::Some(place), .. } => {
                        ::std::write!(f, "not a valid event: {}", place)
                    }
                    Self::Envelope { error, .. } => ::std::write!(f, "not a valid event: {}", error),
                    Self::Data { raw, place: ::std::option::Option::Some(place), .. } => {
                        ::std::write!(f, "{}: {}", raw.event_type(), place)
                    }
                    Self::Data { raw, error, .. } => ::std::write!(f, #data_message, raw.event_type(), error),
                }
            }
        }

        impl ::std::error::Error for ParseError {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                ::std::option::Option::Some(self.json_error())
            }
        }

        /// Lets `?` turn a parse error into a `serde_json::Error`, for code that only reports it.
        impl ::std::convert::From<ParseError> for ::serde_json::Error {
            fn from(error: ParseError) -> Self {
                match error {
                    ParseError::Envelope { error, .. } | ParseError::Data { error, .. } => error,
                }
            }
        }

        /// Places an envelope error: decodes the body again with its path tracked.
        #[cold]
        fn __envelope_place(body: &[u8], error: &::serde_json::Error) -> ::std::option::Option<ErrorPlace> {
            if error.classify() != ::serde_json::error::Category::Data {
                return ::std::option::Option::None;
            }
            let text = ::std::str::from_utf8(body).ok()?;
            let mut track = ::serde_path_to_error::Track::new();
            let mut de = ::serde_json::Deserializer::from_str(text);
            let tracked = <__RawEnvelope<'_> as ::serde::Deserialize<'_>>::deserialize(
                ::serde_path_to_error::Deserializer::new(&mut de, &mut track),
            );
            let error = tracked.err()?;
            let value: ::serde_json::Value = ::serde_json::from_str(text).ok()?;
            ::std::option::Option::Some(ErrorPlace::__new("", &track.path(), &value, &error))
        }

        /// Places a payload error: decodes the payload again with its path tracked.
        #[cold]
        fn __data_place(raw: &RawEvent, error: &::serde_json::Error) -> ::std::option::Option<ErrorPlace> {
            if error.classify() != ::serde_json::error::Category::Data {
                return ::std::option::Option::None;
            }
            let text = raw.__data.get();
            let mut track = ::serde_path_to_error::Track::new();
            let mut de = ::serde_json::Deserializer::from_str(text);
            let tracked = ::serde::de::DeserializeSeed::deserialize(
                crate::event::__DataSeed(&raw.__event_type),
                ::serde_path_to_error::Deserializer::new(&mut de, &mut track),
            );
            let error = tracked.err()?;
            let value: ::serde_json::Value = ::serde_json::from_str(text).ok()?;
            ::std::option::Option::Some(ErrorPlace::__new(#data_pointer, &track.path(), &value, &error))
        }
    }
}

/// `ErrorPlace`: a failure's JSON Pointer and what was expected and received there. It does not
/// depend on the spec.
fn emit_place() -> TokenStream {
    quote! {
        /// Where in a body a value failed to decode, and what was expected and received there.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq)]
        pub struct ErrorPlace {
            pointer: ::std::string::String,
            problem: ::std::string::String,
        }

        impl ErrorPlace {
            /// The JSON Pointer (RFC 6901) of the value that failed, from the body's root
            /// (`/data/runtime_ms`; the empty string is the body itself). For a required field
            /// that is missing, the place the field belongs.
            pub fn pointer(&self) -> &str {
                &self.pointer
            }

            /// What was expected and what was received: `expected an integer, got a string
            /// ("oops")`, or `required, but missing`.
            pub fn problem(&self) -> &str {
                &self.problem
            }

            /// The place of `error`, raised at `path` below `prefix` in the JSON `value` that
            /// `path` is relative to.
            fn __new(
                prefix: &str,
                path: &::serde_path_to_error::Path,
                value: &::serde_json::Value,
                error: &::serde_json::Error,
            ) -> Self {
                let mut pointer = ::std::string::String::new();
                for segment in path.iter() {
                    let token = match segment {
                        ::serde_path_to_error::Segment::Seq { index } => index.to_string(),
                        ::serde_path_to_error::Segment::Map { key } => key.clone(),
                        ::serde_path_to_error::Segment::Enum { variant } => variant.clone(),
                        // A key that was not read as a string: the place is as far as is known.
                        _ => break,
                    };
                    __push_token(&mut pointer, &token);
                }
                let mut message = error.to_string();
                let position = ::std::format!(" at line {} column {}", error.line(), error.column());
                if let ::std::option::Option::Some(stripped) = message.strip_suffix(&position) {
                    message.truncate(stripped.len());
                }
                let found = value.pointer(&pointer);
                let problem = if let ::std::option::Option::Some(field) = message
                    .strip_prefix("missing field `")
                    .and_then(|rest| rest.strip_suffix('`'))
                {
                    __push_token(&mut pointer, field);
                    ::std::string::String::from("required, but missing")
                } else if let ::std::option::Option::Some((_, expected)) = message
                    .strip_prefix("invalid type: ")
                    .and_then(|rest| rest.rsplit_once(", expected "))
                {
                    ::std::format!("expected {}, got {}", __expected(expected), __received(found))
                } else if let ::std::option::Option::Some(found) = found {
                    ::std::format!("{}, got {}", message, __received(::std::option::Option::Some(found)))
                } else {
                    message
                };
                ErrorPlace {
                    pointer: ::std::format!("{}{}", prefix, pointer),
                    problem,
                }
            }
        }

        impl ::std::fmt::Display for ErrorPlace {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                if self.pointer.is_empty() {
                    f.write_str(&self.problem)
                } else {
                    ::std::write!(f, "{}: {}", self.pointer, self.problem)
                }
            }
        }

        /// Appends a reference token to a JSON Pointer, escaped as RFC 6901 says.
        fn __push_token(pointer: &mut ::std::string::String, token: &str) {
            pointer.push('/');
            pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
        }

        /// What a decoder expected, in JSON's words rather than Rust's.
        fn __expected(expected: &str) -> &str {
            match expected {
                "u8" | "u16" | "u32" | "u64" | "u128" | "i8" | "i16" | "i32" | "i64" | "i128" => {
                    "an integer"
                }
                "f32" | "f64" => "a number",
                "a borrowed string" | "a string" => "a string",
                "a sequence" => "an array",
                "a map" => "an object",
                other if other.starts_with("struct ") => "an object",
                other => other,
            }
        }

        /// What was received: the JSON type, and a short excerpt of a scalar.
        fn __received(found: ::std::option::Option<&::serde_json::Value>) -> ::std::string::String {
            match found {
                ::std::option::Option::None => ::std::string::String::from("nothing"),
                ::std::option::Option::Some(::serde_json::Value::Null) => ::std::string::String::from("null"),
                ::std::option::Option::Some(::serde_json::Value::Bool(b)) => ::std::format!("a boolean ({})", b),
                ::std::option::Option::Some(::serde_json::Value::Number(n)) if n.is_f64() => {
                    ::std::format!("a number ({})", n)
                }
                ::std::option::Option::Some(::serde_json::Value::Number(n)) => ::std::format!("an integer ({})", n),
                ::std::option::Option::Some(::serde_json::Value::String(s)) => {
                    const MAX: usize = 40;
                    let mut end = s.len().min(MAX);
                    while !s.is_char_boundary(end) {
                        end -= 1;
                    }
                    let more = if end < s.len() { "…" } else { "" };
                    ::std::format!("a string ({}{})", ::serde_json::Value::from(&s[..end]), more)
                }
                ::std::option::Option::Some(::serde_json::Value::Array(_)) => ::std::string::String::from("an array"),
                ::std::option::Option::Some(::serde_json::Value::Object(_)) => ::std::string::String::from("an object"),
            }
        }
    }
}

fn emit_entry_points() -> TokenStream {
    quote! {
        /// `serde_json::from_slice(body)`, faster.
        ///
        /// Reading bytes, serde_json checks that each string it hands out is UTF-8, one string at a
        /// time; reading text, it checks nothing, the text being UTF-8 already. One check of the
        /// whole body, which is mostly ASCII and checked by the word, then decoding it as text,
        /// takes a fifth less time for a typical event. A body that is not UTF-8 is read as bytes,
        /// so it is accepted or rejected exactly as `from_slice` would (a malformed string in a
        /// field that is skipped is not an error), with the same error.
        /// `from_text` is `serde_json::from_str`, or a decoder that reads the same.
        fn __from_body<'de, T: ::serde::Deserialize<'de>>(
            body: &'de [u8],
            from_text: fn(&'de str) -> ::std::result::Result<T, ::serde_json::Error>,
        ) -> ::std::result::Result<T, ::serde_json::Error> {
            match ::std::str::from_utf8(body) {
                ::std::result::Result::Ok(text) => from_text(text),
                ::std::result::Result::Err(_) => ::serde_json::from_slice(body),
            }
        }

        impl crate::event::Event {
            /// Parses a delivery's body, keeping it whole when only its payload is unreadable.
            ///
            /// The same as `serde_json::from_slice::<Event>(body)` when it succeeds. When it fails
            /// on a body whose envelope is valid, the error is [`ParseError::Data`], which holds
            /// the delivery as a [`RawEvent`]: store it and acknowledge, rather than reject a
            /// delivery that Deck will only send again.
            ///
            /// # Errors
            /// [`ParseError::Envelope`] when the body is not an event at all, and
            /// [`ParseError::Data`] when its payload does not decode.
            pub fn from_slice(body: &[u8]) -> ::std::result::Result<Self, ParseError> {
                match __from_body(body, crate::event::__from_text) {
                    ::std::result::Result::Ok(event) => ::std::result::Result::Ok(event),
                    ::std::result::Result::Err(error) => ::std::result::Result::Err(match RawEvent::from_slice(body) {
                        ::std::result::Result::Ok(raw) => ParseError::__data(raw, error),
                        ::std::result::Result::Err(_) => ParseError::__envelope(body, error),
                    }),
                }
            }
        }

        impl ::std::str::FromStr for crate::event::Event {
            type Err = ParseError;

            /// [`Event::from_slice`](crate::Event::from_slice) on a string.
            fn from_str(body: &str) -> ::std::result::Result<Self, ParseError> {
                Self::from_slice(body.as_bytes())
            }
        }
    }
}
