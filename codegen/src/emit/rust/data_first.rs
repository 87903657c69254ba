//! Stage 3, Rust: `data` before `type` (`__from_text`, `__guess_type` and `__decode_buffered` in
//! `src/event.rs`), the one case where the envelope's visitor meets the payload before it knows
//! which type to decode it into.

use proc_macro2::TokenStream;
use quote::quote;

/// `data` read before the event type, and decoded once the type is known.
///
/// The envelope's visitor captures it as a `crate::json::Captured` (the runtime module
/// `verbatim/json.rs`): from serde_json's own deserializers (`from_slice`, `from_str`,
/// `from_reader`, and so every entry point of the crate) it is the payload's JSON text, borrowed
/// from the input when the input is in memory, which the parser skips over at the speed of
/// `IgnoredAny` and which is decoded once, with no `serde_json::Value` built in between; from any
/// other deserializer it is a `Value`, so decoding stays correct whatever the deserializer.
///
/// With the whole body at hand, as text, the crate's own entry points need not scan such a
/// payload twice: [`__from_text`] lets the visitor guess the type from the body, decode `data`
/// straight into it, and check the guess once `type` is read.
pub(crate) fn emit_buffered_data(type_wire: &str) -> TokenStream {
    // The key as it is written in a body: a JSON string.
    let type_key = serde_json::to_string(type_wire).expect("a string always serializes");
    let type_key = proc_macro2::Literal::byte_string(type_key.as_bytes());
    quote! {
        /// `serde_json::from_str::<Event>(text)`, with `data` before `type` decoded in one pass.
        ///
        /// Deserializing, the envelope's visitor captures a `data` it meets before `type` and
        /// decodes it once the type is known: the payload is scanned twice, which takes a fifth
        /// longer than decoding the same event with `type` first. Given the body, the visitor
        /// decodes `data` as the type [`__guess_type`] reads from the body, and fails when `type`
        /// turns out to name another one. A failure after a guess, whether the guess's or the
        /// body's, is not the answer: `serde_json::from_str` runs on the body and its result is
        /// returned. Without a guess, the decode was `from_str`'s own, and so is its error. So a
        /// body is accepted or rejected exactly as `from_str` would, with the same error, and
        /// decoded into the same event; only the time differs.
        pub(crate) fn __from_text(text: &str) -> ::std::result::Result<Event, ::serde_json::Error> {
            let guessed = ::std::cell::Cell::new(false);
            let mut de = ::serde_json::Deserializer::from_str(text);
            let visitor = __EventVisitor { body: ::std::option::Option::Some((text, &guessed)) };
            match ::serde::Deserializer::deserialize_map(&mut de, visitor).and_then(|event| de.end().map(|()| event)) {
                ::std::result::Result::Ok(event) => ::std::result::Result::Ok(event),
                ::std::result::Result::Err(error) if !guessed.get() => ::std::result::Result::Err(error),
                ::std::result::Result::Err(_) => ::serde_json::from_str(text),
            }
        }

        /// The known event type a body's last `type` key names: where a producer writes `data`
        /// before `type`, the envelope's `type` is the last in the body, after every key of the
        /// payload. A guess, which the visitor checks: the key may be inside a string, or in a
        /// field after `type`. `None` when it names no known type; an unknown type's payload is
        /// kept as its text, which the capture does as fast.
        ///
        /// The key is close to the end of such a body, behind two or three short fields, so the
        /// scan goes back from the end a quote at a time: a substring searcher prepares itself
        /// on every call, which took longer than the scan.
        fn __guess_type(body: &str) -> ::std::option::Option<EventType> {
            const KEY: &[u8] = #type_key;
            let bytes = body.as_bytes();
            let mut end = bytes.len();
            let at = loop {
                let quote = bytes[..end].iter().rposition(|&b| b == b'"')?;
                if bytes[quote..].starts_with(KEY) {
                    break quote + KEY.len();
                }
                end = quote;
            };
            let value = bytes[at..].trim_ascii_start().strip_prefix(b":")?.trim_ascii_start().strip_prefix(b"\"")?;
            let name = &value[..value.iter().position(|&b| b == b'"')?];
            EventType::__known(::std::str::from_utf8(name).ok()?)
        }

        /// Decodes `data` read before the event type into the variant of `event_type`.
        fn __decode_buffered(
            data: crate::json::Captured<'_>,
            event_type: &EventType,
        ) -> ::std::result::Result<EventData, ::std::string::String> {
            let result = match data {
                crate::json::Captured::Text(text) => {
                    let mut de = ::serde_json::Deserializer::from_str(&text);
                    ::serde::de::DeserializeSeed::deserialize(__DataSeed(event_type), &mut de)
                        .and_then(|data| de.end().map(|()| data))
                }
                crate::json::Captured::Value(value) => {
                    ::serde::de::DeserializeSeed::deserialize(__DataSeed(event_type), value)
                }
            };
            // The place of an error inside the payload's own text means nothing to the caller,
            // whose error gets the place in the whole body.
            result.map_err(|error| {
                let message = error.to_string();
                let place = ::std::format!(" at line {} column {}", error.line(), error.column());
                match message.strip_suffix(&place) {
                    ::std::option::Option::Some(bare) if error.line() != 0 => bare.into(),
                    _ => message,
                }
            })
        }
    }
}
