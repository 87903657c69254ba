//! The timestamp grammar every output holds examples and payloads to: RFC 3339 in one strict
//! form, `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits, and `Z` or `±HH:MM`,
//! naming a real date and time.
//!
//! The checker accepts an example's timestamp only in this form (a strict `format: date-time`
//! validator rejects chrono's relaxed extras), and the generated crate's fast path reads exactly
//! this form. One implementation serves both: the crate's runtime module, compiled here as it is
//! copied into the crate, so the checker and the crate can never disagree on a timestamp. The Rust
//! emitter copies the same file's text; this module, not the emitter, is where the rest of the
//! generator takes the grammar from. The tests below hold the runtime to chrono.

#[path = "emit/rust/verbatim/timestamp.rs"]
pub(crate) mod runtime;

/// The instant of `text` when it is a timestamp of the strict form, else `None`.
pub(crate) fn fixed_shape(text: &[u8]) -> Option<chrono::DateTime<chrono::Utc>> {
    runtime::fixed_shape(text)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::runtime::parse;

    /// What chrono's own decoder of `DateTime<Utc>` gives.
    fn chrono(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
        text.parse()
    }

    fn same_as_chrono(text: &str) {
        assert_eq!(parse(text), chrono(text), "{text:?}");
    }

    #[test]
    fn the_fixed_shape_reads_as_chrono_reads_it() {
        let cases = [
            "2025-01-15T09:30:00Z",
            "2025-01-15T09:30:00.5Z",
            "2025-01-15T09:30:00.123456789Z",
            "2025-01-15T09:30:00.000000001+05:30",
            "2026-02-01T00:00:00+01:00",
            "2026-02-01T00:00:00-00:00",
            "2024-02-29T23:30:00-01:00",
            "0000-01-01T00:00:00+23:59",
            "9999-12-31T23:59:59.999999999-23:59",
            "1970-01-01T00:00:00Z",
        ];
        for text in cases {
            same_as_chrono(text);
            assert!(super::fixed_shape(text.as_bytes()).is_some(), "{text}");
        }
    }

    #[test]
    fn everything_else_is_left_to_chrono() {
        let cases = [
            // Leap seconds, as chrono treats them: only at :59 of a minute.
            "2016-12-31T23:59:60Z",
            "2016-12-31T23:59:60.5+01:00",
            "2016-12-31T23:58:60Z",
            // What chrono's relaxed form accepts and the fixed shape does not.
            "2025-01-15t09:30:00z",
            "2025-01-15 09:30:00Z",
            "2025-01-15T09:30:00 Z",
            "2025-01-15T09:30:00UTC",
            "2025-01-15T09:30:00+0100",
            "2025-01-15T09:30:00Z ",
            "2025-01-15T09:30:00.1234567891234Z",
            "+2025-01-15T09:30:00Z",
            "12025-01-15T09:30:00Z",
            // Out of range or malformed.
            "2023-02-29T00:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-00-01T00:00:00Z",
            "2025-01-32T00:00:00Z",
            "2025-01-15T24:00:00Z",
            "2025-01-15T09:60:00Z",
            "2025-01-15T09:30:61Z",
            "2025-01-15T09:30:00+24:00",
            "2025-01-15T09:30:00+23:60",
            "2025-01-15T09:30:00.Z",
            "2025-01-15T09:30:00",
            "2025-01-15T09:30Z",
            "2025-01-15",
            "",
            "2025-01-15T09:30:0aZ",
            "2025-01-15T09:30:00+01:0",
            "2025-01-15T09:30:00+01:000",
            "２０２５-01-15T09:30:00Z",
        ];
        for text in cases {
            same_as_chrono(text);
        }
    }

    #[test]
    fn every_day_of_every_month_reads_as_chrono_reads_it() {
        for year in [1900, 2000, 2023, 2024, 2100] {
            for month in 0..=13 {
                for day in 0..=32 {
                    same_as_chrono(&format!("{year:04}-{month:02}-{day:02}T12:00:00Z"));
                }
            }
        }
    }

    /// Random timestamps near the fixed shape: every field drawn from a range a little wider than
    /// the valid one, fractions of 0 to 12 digits, every offset form chrono knows, and now and then
    /// a byte changed. Each must read as chrono reads it; most take the fixed-shape path.
    #[test]
    fn random_timestamps_read_as_chrono_reads_them() {
        let mut rng = fastrand::Rng::with_seed(0x5DEE_CE66_D1CE_4E5B);
        let mut fast = 0;
        const CASES: usize = 100_000;
        for _ in 0..CASES {
            let year = if rng.u64(..2) == 0 {
                rng.u64(..10_000)
            } else {
                1970 + rng.u64(..100)
            };
            let separator = ["T", "T", "T", "T", "t", " "][rng.u64(..6) as usize];
            let mut text = format!(
                "{year:04}-{:02}-{:02}{separator}{:02}:{:02}:{:02}",
                rng.u64(..14),
                rng.u64(..33),
                rng.u64(..26),
                rng.u64(..62),
                rng.u64(..62),
            );
            let fraction = rng.u64(..13);
            if fraction > 0 {
                text.push('.');
                for _ in 1..fraction {
                    text.push(char::from(b'0' + rng.u64(..10) as u8));
                }
            }
            match rng.u64(..6) {
                0 | 1 => text.push('Z'),
                2 => text.push('z'),
                3 => text.push_str("UTC"),
                n => {
                    let colon = if rng.u64(..4) == 0 { "" } else { ":" };
                    let sign = if n == 4 { '+' } else { '-' };
                    text.push_str(&format!(
                        "{sign}{:02}{colon}{:02}",
                        rng.u64(..26),
                        rng.u64(..62)
                    ));
                }
            }
            if rng.u64(..20) == 0 {
                let mut bytes = text.into_bytes();
                let at = rng.usize(..bytes.len());
                let pool = b" -+:.TZz0123456789x\x7f";
                bytes[at] = pool[rng.usize(..pool.len())];
                text = String::from_utf8(bytes).expect("ASCII");
            }
            same_as_chrono(&text);
            fast += usize::from(super::fixed_shape(text.as_bytes()).is_some());
        }
        // About one input in five is valid and of the fixed shape: enough for both paths to be
        // compared with chrono thousands of times.
        assert!(
            fast > CASES / 10,
            "only {fast} of {CASES} took the fixed-shape path"
        );
    }
}
