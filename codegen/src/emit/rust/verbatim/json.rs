//! Free-form JSON (`json` fields) kept as the text it was received as, and the capture of a JSON
//! value's text that it shares with the envelope's decoder (`data` before `type`).
//!
//! A `json` field holds whatever Deck sends: a run's `output`, a task's `input_schema`. Decoded
//! into a `serde_json::Value`, it would lose what a map of `Value`s cannot hold (the order of keys,
//! numbers beyond `f64`, a key given twice) and cost an allocation for every key and value of it.
//! [`Json`] keeps the JSON text instead, exactly as received: the parser skips over it at the
//! speed of `serde::de::IgnoredAny`, it is written back unchanged, and the consumer decodes it,
//! when it is needed, into a type of their own ([`Json::parse`]) or into a `Value`.
//!
//! serde has no raw-value protocol of its own; serde_json has one (`serde_json::value::RawValue`)
//! through a newtype name it reserves. [`Captured`] asks for a value through that name: serde_json's
//! deserializers answer with the value's text, borrowed from the input when the input is in
//! memory; any other deserializer (serde_yaml, say) treats the name as a plain newtype or forwards
//! it to `deserialize_any`, and the value is then read as a `Value` and written out as text. So
//! decoding is correct whatever the deserializer, and should serde_json rename its reserved name,
//! only the speed would change. `serde_json::value::RawValue` itself cannot be used here: its
//! `Deserialize` fails on any other deserializer, and its `Serialize` writes a struct with a
//! private field name to any serializer but serde_json's.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

/// The newtype name through which serde_json hands out, and takes in, a value's JSON text.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// A free-form JSON value, kept as the text it was received as.
///
/// It decodes from any JSON value and encodes back to the same text, byte for byte, through
/// serde_json (`to_vec`, `to_string`, `to_writer`); through any other serializer it encodes as the
/// value it holds. Read it with [`parse`](Self::parse) into a type of your own, with
/// [`to_value`](Self::to_value) into a `serde_json::Value`, or as text with
/// [`as_str`](Self::as_str). Two `Json`s are equal when they hold the same JSON value, whatever
/// their spacing or order of keys.
///
/// ```
/// # use deck_events::Json;
/// let output: Json = r#"{"payee": "City Water", "amount": 115.13}"#.parse()?;
/// #[derive(serde::Deserialize)]
/// struct Payment { payee: String, amount: f64 }
/// let payment: Payment = output.parse()?;
/// assert_eq!(payment.payee, "City Water");
/// assert_eq!(output.to_value()?["amount"], 115.13);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct Json(Box<str>);

impl Json {
    /// The JSON text, exactly as received (without the whitespace around it).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Decodes the value into `T`.
    ///
    /// # Errors
    /// When the value does not have `T`'s shape.
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.0)
    }

    /// The value as a `serde_json::Value`.
    ///
    /// # Errors
    /// When the value holds what a `Value` cannot: a number beyond the range of `f64`, such as
    /// `1e400`, which JSON allows and the text keeps.
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        self.parse()
    }

    /// The JSON of `value` as serde_json writes it.
    ///
    /// # Errors
    /// When `value` cannot be written as JSON (a map whose keys are not strings, say).
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::to_string(value).map(|text| Self(text.into_boxed_str()))
    }

    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        &*self.0 == "null"
    }
}

impl fmt::Debug for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Json({})", self.0)
    }
}

/// The JSON text.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Json {
    type Err = serde_json::Error;

    /// Checks that `text` is one JSON value, and keeps it as written (without the whitespace
    /// around it).
    fn from_str(text: &str) -> Result<Self, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        let captured = Captured::deserialize(&mut de)?;
        de.end()?;
        Ok(captured.into_json())
    }
}

/// The same text, or the same value once read as a `serde_json::Value`.
impl PartialEq for Json {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 || matches!((self.to_value(), other.to_value()), (Ok(a), Ok(b)) if a == b)
    }
}

/// The same value once read as a `serde_json::Value`.
impl PartialEq<serde_json::Value> for Json {
    fn eq(&self, other: &serde_json::Value) -> bool {
        self.to_value().is_ok_and(|value| value == *other)
    }
}

impl From<serde_json::Value> for Json {
    fn from(value: serde_json::Value) -> Self {
        Self(value.to_string().into_boxed_str())
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if writes_json::<S>() {
            // serde_json's protocol for `RawValue`: its writer copies the text as is, and
            // `to_value` parses it.
            let mut raw = serializer.serialize_struct(RAW_VALUE_TOKEN, 1)?;
            raw.serialize_field(RAW_VALUE_TOKEN, &*self.0)?;
            raw.end()
        } else {
            let value = self.to_value().map_err(serde::ser::Error::custom)?;
            value.serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Captured::deserialize(deserializer).map(Captured::into_json)
    }
}

/// Whether `S` is one of serde_json's serializers, which take a value's text through
/// [`RAW_VALUE_TOKEN`]; any other would write a struct of that name. serde offers no way to ask a
/// serializer what it writes, so serde_json's are recognised by their type's name; should they be
/// renamed, a `Json` would be written as the `Value` it holds: the same JSON value, with its keys
/// in serde_json's order.
fn writes_json<S>() -> bool {
    let name = std::any::type_name::<S>();
    name.starts_with("&mut serde_json::ser::Serializer<")
        || name == "serde_json::value::ser::Serializer"
}

/// A JSON value as serde_json's deserializers hand it out: its text, borrowed from the input when
/// the input is in memory; or, from any other deserializer, the value itself.
pub(crate) enum Captured<'de> {
    /// The value's JSON text, from serde_json's deserializers.
    Text(Cow<'de, str>),
    /// The value, from any other deserializer.
    Value(serde_json::Value),
}

impl Captured<'_> {
    fn into_json(self) -> Json {
        match self {
            Captured::Text(text) => Json(text.into_owned().into_boxed_str()),
            Captured::Value(value) => Json::from(value),
        }
    }
}

impl<'de> Deserialize<'de> for Captured<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, CapturedVisitor)
    }
}

struct CapturedVisitor;

impl<'de> Visitor<'de> for CapturedVisitor {
    type Value = Captured<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    /// serde_json answers the reserved name with a one-entry map: the name, then the text. Any
    /// other map is a value, from a deserializer that forwards newtypes.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = serde_json::Map::new();
        match map.next_key_seed(KeySeed)? {
            None => {}
            Some(Key::Token) => return Ok(Captured::Text(map.next_value::<Text<'de>>()?.0)),
            Some(Key::Other(key)) => {
                object.insert(key, map.next_value()?);
            }
        }
        while let Some((key, value)) = map.next_entry()? {
            object.insert(key, value);
        }
        Ok(Captured::Value(serde_json::Value::Object(object)))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        serde_json::Value::deserialize(deserializer).map(Captured::Value)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Captured::Value(serde_json::Value::Array(items)))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        serde_json::Value::deserialize(deserializer).map(Captured::Value)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Captured::Value(serde_json::Value::Null))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Captured::Value(serde_json::Value::Null))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Captured::Value(serde_json::Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Captured::Value(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Captured::Value(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Captured::Value(v.into()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Captured::Value(v.into()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Captured::Value(serde_json::Value::String(v)))
    }
}

/// The first key of a map: the reserved name, or a key of a value.
enum Key {
    Token,
    Other(String),
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(if v == RAW_VALUE_TOKEN {
            Key::Token
        } else {
            Key::Other(v.to_owned())
        })
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        Ok(if v == RAW_VALUE_TOKEN {
            Key::Token
        } else {
            Key::Other(v)
        })
    }
}

/// A string borrowed from the input when the deserializer can lend it.
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON text")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v.into())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v)))
    }
}
