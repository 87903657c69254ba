//! Reading timestamps: chrono's result for every input, without chrono's general parser for the
//! shape events use.
//!
//! `datetime` fields are `chrono::DateTime<Utc>`, and chrono reads them with a parser that accepts
//! a relaxed RFC 3339 (a space or `t` for `T`, `UTC`, spaces before the offset, leap seconds, any
//! number of fraction digits) through its general format machinery: about a tenth of the time it
//! takes to decode an event. Events carry one shape, `YYYY-MM-DDTHH:MM:SS`, an optional fraction
//! of 1 to 9 digits, then `Z` or `±HH:MM`; this module reads exactly that shape with fixed
//! offsets and hands anything else to chrono, so every input gives what chrono gives: the same
//! instant or chrono's own error. No crate offers that contract (other fast parsers accept and
//! reject their own sets of strings), which is why it is written here.

// Which of the decoders below a crate uses depends on the fields of its spec.
#![allow(dead_code)]

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// `text` as chrono reads it into a `DateTime<Utc>`.
pub(crate) fn parse(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match fixed_shape(text.as_bytes()) {
        Some(instant) => Ok(instant),
        None => text.parse(),
    }
}

/// The instant of a timestamp of the fixed shape with fields in range, or `None` for anything
/// else, which chrono then reads (or rejects) itself. Seconds of `60` (a leap second) and offsets
/// beyond `±23:59` are left to chrono, which has its own rules for them.
pub(crate) fn fixed_shape(b: &[u8]) -> Option<DateTime<Utc>> {
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let digit = |i: usize| {
        let d = b[i].wrapping_sub(b'0');
        (d < 10).then_some(u32::from(d))
    };
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let year = two(0)? * 100 + two(2)?;
    let (month, day) = (two(5)?, two(8)?);
    let (hour, minute, second) = (two(11)?, two(14)?, two(17)?);
    if second > 59 {
        return None;
    }
    let mut i = 19;
    let mut nano = 0;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while let Some(d) = b.get(i).and_then(|_| digit(i)) {
            if i - start == 9 {
                // More than nine digits: chrono's rounding rules apply.
                return None;
            }
            nano = nano * 10 + d;
            i += 1;
        }
        let digits = i - start;
        if digits == 0 {
            return None;
        }
        nano *= 10u32.pow((9 - digits) as u32);
    }
    let offset = match &b[i..] {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (two(i + 1)?, two(i + 4)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = (hours * 3600 + minutes * 60) as i32;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nano)?;
    let local = NaiveDateTime::new(date, time);
    Some(
        local
            .checked_sub_offset(FixedOffset::east_opt(offset)?)?
            .and_utc(),
    )
}

/// A timestamp as a field decodes it: through [`parse`], from a string.
pub(crate) struct Timestamp(pub(crate) DateTime<Utc>);

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TimestampVisitor)
    }
}

struct TimestampVisitor;

impl serde::de::Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    // chrono's words, so errors read the same as with chrono's own decoder.
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
        parse(v).map(Timestamp).map_err(E::custom)
    }
}

/// Reads the value of a `datetime` field that is always present, through [`parse`].
pub(crate) struct Seed;

impl<'de> serde::de::DeserializeSeed<'de> for Seed {
    type Value = DateTime<Utc>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        <Timestamp as serde::Deserialize>::deserialize(deserializer).map(|t| t.0)
    }
}

/// Reads the value of a `datetime` field that may be `null`, through [`parse`].
pub(crate) struct OptionSeed;

impl<'de> serde::de::DeserializeSeed<'de> for OptionSeed {
    type Value = Option<DateTime<Utc>>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        <Option<Timestamp> as serde::Deserialize>::deserialize(deserializer).map(|t| t.map(|t| t.0))
    }
}
