//! Stage 3, Rust: `data` before `type` (`__decode_buffered` in `src/event.rs`), the one case where
//! the envelope's visitor meets the payload before it knows which type to decode it into.

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
pub(crate) fn emit_buffered_data() -> TokenStream {
    quote! {
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
