//! Decoding structs: the one visitor every struct of the crate decodes with, and how it reads
//! field names and values.
//!
//! serde's derive writes for each struct a field enum with its visitor, a visitor for maps and
//! one for sequences, and a wrapper type with a `Deserialize` impl of its own for each field that
//! has a decoder of its own (every timestamp). Here a struct writes only what is its own (its
//! name, its field names, one `match` from a field's place to its slot, and how the slots become
//! the struct) and shares the rest, so a large crate compiles in less time. Decoding reads as
//! serde's derive reads: unknown fields are skipped, a field given twice is a `duplicate field`
//! and a required one left out a `missing field`, in serde's words, and `deserialize_struct` is
//! asked with the struct's name and fields. A struct is not read from a sequence of its values,
//! which derive allows: the JSON Schemas do not, and neither does the envelope.
//!
//! Field names are matched as raw bytes when serde_json reads them from a slice of bytes
//! (`from_slice`, and so every entry point of the crate). Asked for an identifier, as derive asks,
//! serde_json checks that a name is UTF-8 before handing it out, which is about a tenth of the
//! time it takes to decode an event; asked for bytes, it hands out the bytes unchecked, and
//! comparing them with the known names makes the check unnecessary. A name that matches none is
//! checked as serde_json checks it ([`raw_str`]), so a malformed body is rejected as before.
//! From text (`from_str`), serde_json checks nothing and finds the end of a string faster when
//! asked for an identifier, and other deserializers may not give strings as bytes at all
//! (serde_yaml refuses): they are all asked for an identifier. serde offers no way to ask a
//! deserializer what it is reading, so serde_json's are recognised by their type's name
//! ([`reads_slice`]); should serde_json rename its types, only the speed of decoding would change.

use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

/// The fields of a struct, or of the envelope.
pub(crate) trait Names {
    /// The wire names of the fields, in spec order; a field is known by its place here.
    const FIELDS: &'static [&'static str];

    /// The place of a field name in [`Names::FIELDS`], if it is there. Each struct has its own
    /// `match` on the names as constants, which compiles to far fewer comparisons than a search.
    fn place(name: &[u8]) -> Option<usize>;
}

/// A struct of the crate, decoded from a map by [`deserialize`].
pub(crate) trait Struct<'de>: Names + Sized {
    /// The struct's name, as serde's derive passes it to `deserialize_struct` and says it in
    /// errors (`expected struct TaskRun`).
    const NAME: &'static str;

    /// Reads the struct's fields from `fields` to the end of the map.
    fn read<A: MapAccess<'de>>(fields: Fields<A, Self>) -> Result<Self, A::Error>;
}

/// The `Deserialize` impl of every struct of the crate.
pub(crate) fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Struct<'de>,
{
    deserializer.deserialize_struct(T::NAME, T::FIELDS, StructVisitor(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: Struct<'de>> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(Fields::new(map))
    }
}

/// The entries of a map, read as the fields named by `N`.
pub(crate) struct Fields<A, N> {
    map: A,
    /// The place of the field read last.
    at: usize,
    names: PhantomData<N>,
}

// The methods that run once per field are marked `#[inline]`: each struct's decoder then folds
// them into its own loop, which measured 1 to 2 % faster decoding.
impl<'de, A: MapAccess<'de>, N: Names> Fields<A, N> {
    /// The map's entries, read as the fields named by `N`.
    pub(crate) fn new(map: A) -> Self {
        Self {
            map,
            at: usize::MAX,
            names: PhantomData,
        }
    }

    /// The place in the field names of the next field the struct knows, or `None` at the end of
    /// the map. The values of fields it does not know are skipped.
    #[inline]
    pub(crate) fn next(&mut self) -> Result<Option<usize>, A::Error> {
        loop {
            let key = Key::<N> {
                raw: false,
                names: PhantomData,
            };
            match self.map.next_key_seed(key)? {
                None => return Ok(None),
                Some(Some(at)) => {
                    self.at = at;
                    return Ok(Some(at));
                }
                Some(None) => {
                    self.map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
    }

    /// Reads the value of the field [`Fields::next`] returned into `slot`, which must be empty:
    /// a field given twice is an error.
    #[inline]
    pub(crate) fn value<T: de::Deserialize<'de>>(
        &mut self,
        slot: &mut Option<T>,
    ) -> Result<(), A::Error> {
        self.value_seed(slot, PhantomData)
    }

    /// [`Fields::value`], read through `seed`.
    #[inline]
    pub(crate) fn value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        slot: &mut Option<S::Value>,
        seed: S,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(self.duplicate());
        }
        *slot = Some(self.map.next_value_seed(seed)?);
        Ok(())
    }

    /// The error of a field given twice: the field [`Fields::next`] returned.
    pub(crate) fn duplicate(&self) -> A::Error {
        de::Error::duplicate_field(N::FIELDS.get(self.at).copied().unwrap_or_default())
    }

    /// The value of a required field, or the error of its absence.
    #[inline]
    pub(crate) fn required<T>(&self, slot: Option<T>, name: &'static str) -> Result<T, A::Error> {
        slot.ok_or_else(|| de::Error::missing_field(name))
    }
}

/// Whether `D` is one of serde_json's deserializers reading a slice of bytes, which answers
/// `deserialize_bytes` on a string with its raw bytes, not checked as UTF-8 nor for control
/// characters. A constant once compiled.
pub(crate) fn reads_slice<D>() -> bool {
    let name = std::any::type_name::<D>();
    let Some(rest) = name
        .strip_prefix("serde_json::de::MapKey<")
        .or_else(|| name.strip_prefix("&mut serde_json::de::Deserializer<"))
    else {
        return false;
    };
    let rest = rest.strip_prefix("'_, ").unwrap_or(rest);
    rest.starts_with("serde_json::read::SliceRead<")
}

/// Raw bytes of a string from serde_json's parser, checked as its parser checks a string it
/// hands out as text, with its words. Control characters are found only in `borrowed` bytes,
/// which are the string as written: copied ones had escapes decoded, and an escaped control
/// character is valid.
pub(crate) fn raw_str<E: de::Error>(bytes: &[u8], borrowed: bool) -> Result<&str, E> {
    if borrowed && bytes.iter().any(|&b| b < 0x20) {
        return Err(E::custom(
            "control character (\\u0000-\\u001F) found while parsing a string",
        ));
    }
    std::str::from_utf8(bytes).map_err(|_| E::custom("invalid unicode code point"))
}

/// A field name, read as the place of a known name or `None`.
struct Key<N> {
    /// Whether the name was asked for as raw bytes.
    raw: bool,
    names: PhantomData<N>,
}

impl<N: Names> Key<N> {
    /// A name given as bytes: raw from serde_json, checked when it matches no known name; from
    /// another deserializer, matched as derive matches it.
    fn raw_name<E: de::Error>(self, name: &[u8], borrowed: bool) -> Result<Option<usize>, E> {
        let place = N::place(name);
        if place.is_none() && self.raw {
            raw_str::<E>(name, borrowed)?;
        }
        Ok(place)
    }
}

impl<'de, N: Names> DeserializeSeed<'de> for Key<N> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(
        mut self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        if reads_slice::<D>() {
            self.raw = true;
            deserializer.deserialize_bytes(self)
        } else {
            deserializer.deserialize_identifier(self)
        }
    }
}

impl<'de, N: Names> Visitor<'de> for Key<N> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(N::place(v.as_bytes()))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        self.raw_name(v, false)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
        self.raw_name(v, true)
    }

    /// A field by its place, as serde's derive reads one from formats that number fields.
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(usize::try_from(v).ok().filter(|&at| at < N::FIELDS.len()))
    }
}
