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
//! Field names are asked for as identifiers, as derive asks. Asking serde_json for raw bytes would
//! spare it a UTF-8 check of each name when it reads a slice, but serde cannot tell which
//! deserializer it is talking to. The crate's entry point, `Event::from_slice`, checks the body
//! as UTF-8 once and decodes it as text, where serde_json hands out names unchecked anyway.

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
            let key = Key::<N> { names: PhantomData };
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

/// A field name, read as the place of a known name or `None`.
struct Key<N> {
    names: PhantomData<N>,
}

impl<'de, N: Names> DeserializeSeed<'de> for Key<N> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
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

    /// A name given as bytes, which some formats do, matched as derive matches it.
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(N::place(v))
    }

    /// A field by its place, as serde's derive reads one from formats that number fields.
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(usize::try_from(v).ok().filter(|&at| at < N::FIELDS.len()))
    }
}
