//! Stage 3, Rust: `data` before `type` (`__BufferedData` in `src/event.rs`), the one case where
//! the envelope's visitor meets the payload before it knows which type to decode it into.

use proc_macro2::TokenStream;
use quote::quote;

/// `data` read before the event type, and decoded once the type is known.
///
/// From serde_json's own deserializers (`from_slice`, `from_str`, `from_reader`, and so every entry
/// point of the crate) it is the payload's JSON text, borrowed from the input when the input is in
/// memory: the parser skips over it at the speed of `IgnoredAny` and decodes it once, with no
/// `serde_json::Value` built in between. It asks for the text the way `serde_json::value::RawValue`
/// does, through the newtype name serde_json reserves for it. Any other deserializer treats that
/// name as a plain newtype or forwards it to `deserialize_any`, and the payload is then kept as a
/// `Value`, so decoding stays correct whatever the deserializer (should serde_json rename its
/// reserved name, only the speed of this path would change).
pub(crate) fn emit_buffered_data() -> TokenStream {
    quote! {
        /// The newtype name through which serde_json hands out a value's JSON text.
        const __RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

        /// `data` read before the event type is known.
        enum __BufferedData<'de> {
            /// The payload's JSON text, from serde_json's deserializers.
            Text(::std::borrow::Cow<'de, str>),
            /// The payload, from any other deserializer.
            Value(::serde_json::Value),
        }

        impl __BufferedData<'_> {
            /// Decodes the payload into the variant of `event_type`.
            fn decode(self, event_type: &EventType) -> ::std::result::Result<EventData, ::std::string::String> {
                let result = match self {
                    Self::Text(text) => {
                        let mut de = ::serde_json::Deserializer::from_str(&text);
                        ::serde::de::DeserializeSeed::deserialize(__DataSeed(event_type), &mut de)
                            .and_then(|data| de.end().map(|()| data))
                    }
                    Self::Value(value) => ::serde::de::DeserializeSeed::deserialize(__DataSeed(event_type), value),
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

        impl<'de> ::serde::Deserialize<'de> for __BufferedData<'de> {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                deserializer.deserialize_newtype_struct(__RAW_VALUE_TOKEN, __BufferedVisitor)
            }
        }

        struct __BufferedVisitor;

        impl<'de> ::serde::de::Visitor<'de> for __BufferedVisitor {
            type Value = __BufferedData<'de>;

            fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("any JSON value")
            }

            /// serde_json answers the reserved name with a one-entry map: the name, then the text.
            /// Any other map is a payload, from a deserializer that forwards newtypes.
            fn visit_map<__A: ::serde::de::MapAccess<'de>>(
                self,
                mut map: __A,
            ) -> ::std::result::Result<Self::Value, __A::Error> {
                let mut object = ::serde_json::Map::new();
                if let ::std::option::Option::Some(key) = ::serde::de::MapAccess::next_key::<::std::string::String>(&mut map)? {
                    if key == __RAW_VALUE_TOKEN {
                        let text = ::serde::de::MapAccess::next_value::<__Text<'de>>(&mut map)?;
                        return ::std::result::Result::Ok(__BufferedData::Text(text.0));
                    }
                    object.insert(key, ::serde::de::MapAccess::next_value(&mut map)?);
                }
                while let ::std::option::Option::Some((key, value)) = ::serde::de::MapAccess::next_entry(&mut map)? {
                    object.insert(key, value);
                }
                ::std::result::Result::Ok(__BufferedData::Value(::serde_json::Value::Object(object)))
            }

            fn visit_newtype_struct<__D: ::serde::Deserializer<'de>>(
                self,
                deserializer: __D,
            ) -> ::std::result::Result<Self::Value, __D::Error> {
                ::serde::Deserialize::deserialize(deserializer).map(__BufferedData::Value)
            }

            fn visit_seq<__A: ::serde::de::SeqAccess<'de>>(
                self,
                mut seq: __A,
            ) -> ::std::result::Result<Self::Value, __A::Error> {
                let mut items = ::std::vec::Vec::new();
                while let ::std::option::Option::Some(item) = ::serde::de::SeqAccess::next_element(&mut seq)? {
                    items.push(item);
                }
                ::std::result::Result::Ok(__BufferedData::Value(::serde_json::Value::Array(items)))
            }

            fn visit_some<__D: ::serde::Deserializer<'de>>(
                self,
                deserializer: __D,
            ) -> ::std::result::Result<Self::Value, __D::Error> {
                ::serde::Deserialize::deserialize(deserializer).map(__BufferedData::Value)
            }

            fn visit_none<__E: ::serde::de::Error>(self) -> ::std::result::Result<Self::Value, __E> {
                ::std::result::Result::Ok(__BufferedData::Value(::serde_json::Value::Null))
            }

            fn visit_unit<__E: ::serde::de::Error>(self) -> ::std::result::Result<Self::Value, __E> {
                ::std::result::Result::Ok(__BufferedData::Value(::serde_json::Value::Null))
            }

            fn visit_bool<__E: ::serde::de::Error>(self, v: bool) -> ::std::result::Result<Self::Value, __E> {
                ::std::result::Result::Ok(__BufferedData::Value(::serde_json::Value::Bool(v)))
            }

            fn visit_i64<__E: ::serde::de::Error>(self, v: i64) -> ::std::result::Result<Self::Value, __E> {
                ::std::result::Result::Ok(__BufferedData::Value(::serde_json::Value::from(v)))
            }

            fn visit_u64<__E: ::serde::de::Error>(self, v: u64) -> ::std::result::Result<Self::Value, __E> {
                ::std::result::Result::Ok(__BufferedData::Value(::serde_json::Value::from(v)))
            }

            fn visit_f64<__E: ::serde::de::Error>(self, v: f64) -> ::std::result::Result<Self::Value, __E> {
                ::std::result::Result::Ok(__BufferedData::Value(::serde_json::Value::from(v)))
            }

            fn visit_str<__E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<Self::Value, __E> {
                ::std::result::Result::Ok(__BufferedData::Value(::serde_json::Value::from(v)))
            }

            fn visit_string<__E: ::serde::de::Error>(
                self,
                v: ::std::string::String,
            ) -> ::std::result::Result<Self::Value, __E> {
                ::std::result::Result::Ok(__BufferedData::Value(::serde_json::Value::String(v)))
            }
        }

        /// A string borrowed from the input when the deserializer can lend it.
        struct __Text<'de>(::std::borrow::Cow<'de, str>);

        impl<'de> ::serde::Deserialize<'de> for __Text<'de> {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                deserializer.deserialize_str(__TextVisitor)
            }
        }

        struct __TextVisitor;

        impl<'de> ::serde::de::Visitor<'de> for __TextVisitor {
            type Value = __Text<'de>;

            fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("JSON text")
            }

            fn visit_borrowed_str<__E: ::serde::de::Error>(self, v: &'de str) -> ::std::result::Result<Self::Value, __E> {
                ::std::result::Result::Ok(__Text(::std::borrow::Cow::Borrowed(v)))
            }

            fn visit_str<__E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<Self::Value, __E> {
                ::std::result::Result::Ok(__Text(::std::borrow::Cow::Owned(v.into())))
            }

            fn visit_string<__E: ::serde::de::Error>(
                self,
                v: ::std::string::String,
            ) -> ::std::result::Result<Self::Value, __E> {
                ::std::result::Result::Ok(__Text(::std::borrow::Cow::Owned(v)))
            }
        }
    }
}
