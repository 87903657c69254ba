//! Changes to the generated crate that come from the generator, not from the spec.
//!
//! The spec diff (the parent module) compares two specs through the same generator, so it cannot see
//! a change of the generator itself: `json` fields becoming `Json`, a faster entry point, a new
//! module. Consumers meet those changes all the same when they move to a newer release, so each
//! one is recorded here, in the commit that makes it, with the crate version that first ships it.
//! [`super::diff_with_crate_changes`] reports the entries between two versions beside the
//! spec's changes: they count towards the bump `cargo xtask diff --check` requires, and
//! `cargo xtask changelog` lists them in the section of their version. `cargo xtask diff --check`
//! also refuses a spec whose version is below an entry's not yet released, so a generator change
//! never ships under a version consumers already have.
//!
//! Entries of a released version are never edited, like `releases/`.

use super::{CRATE_SUBJECT, Change, Impact};
use crate::model::Version;

/// One change of the generated crate that comes from the generator.
#[derive(Debug, Clone, Copy)]
pub struct CrateChange {
    /// The crate version that first ships it.
    pub version: Version,
    /// What changed, for consumers, in Markdown.
    pub what: &'static str,
    /// Overall impact.
    pub impact: Impact,
    /// Breaks payloads that decoded before.
    pub wire: bool,
    /// Breaks Rust code written against the crate before.
    pub rust: bool,
}

impl CrateChange {
    fn to_change(self) -> Change {
        Change {
            subject: CRATE_SUBJECT.to_owned(),
            target: crate::history::Target::Crate,
            step: crate::history::Step::Other,
            what: self.what.to_owned(),
            impact: self.impact,
            wire: self.wire,
            rust: self.rust,
            removed_without_deprecation: false,
        }
    }
}

/// Every change of the generated crate that comes from the generator, oldest first.
pub const CRATE_CHANGES: &[CrateChange] = &[
    CrateChange {
        version: Version::new(0, 2, 0),
        what: "`Event::from_slice` and `FromStr` for `Event` parse a delivery and, when only its \
               payload does not decode, return `ParseError::Data` with the delivery kept whole as \
               a `RawEvent` (envelope typed, payload raw, body byte for byte)",
        impact: Impact::Compatible,
        wire: false,
        rust: false,
    },
    CrateChange {
        version: Version::new(0, 2, 0),
        what: "`signing::Verifier::verify_and_parse` fails with `Error::Parse(ParseError)` instead \
               of `Error::Parse(serde_json::Error)`; `ParseError` converts into \
               `serde_json::Error`",
        impact: Impact::Breaking,
        wire: false,
        rust: true,
    },
    CrateChange {
        version: Version::new(0, 2, 0),
        what: "a field that is required and nullable must be present (it may be `null`), as the \
               JSON Schemas say; an absent one used to read as `None`",
        impact: Impact::Breaking,
        wire: true,
        rust: false,
    },
    CrateChange {
        version: Version::new(0, 2, 0),
        what: "the `fixtures` feature (off by default) adds `fixtures`: every example of the \
               spec by event type, and a builder of events",
        impact: Impact::Compatible,
        wire: false,
        rust: false,
    },
    CrateChange {
        version: Version::new(0, 2, 0),
        what: "a struct no longer decodes from a JSON array of its field values, which serde's \
               derive allowed and the JSON Schemas never did",
        impact: Impact::Breaking,
        wire: true,
        rust: false,
    },
    CrateChange {
        version: Version::new(0, 2, 0),
        what: "ID types keep their text inline up to 24 bytes (`compact_str`); their methods and \
               conversions are unchanged",
        impact: Impact::Docs,
        wire: false,
        rust: false,
    },
    CrateChange {
        version: Version::new(0, 2, 0),
        what: "`json` fields are `Json`, the value's JSON text exactly as received, instead of \
               `serde_json::Value`: read one with `parse::<T>()`, `to_value()` or `as_str()`",
        impact: Impact::Breaking,
        wire: false,
        rust: true,
    },
    CrateChange {
        version: Version::new(0, 2, 0),
        what: "`UnknownEvent::data()` and `into_data()` give the payload as `Json`, its text as \
               received, instead of `serde_json::Value`; `UnknownEvent::new` takes any \
               `Into<Json>`, a `Value` included",
        impact: Impact::Breaking,
        wire: false,
        rust: true,
    },
    CrateChange {
        version: Version::new(0, 2, 0),
        what: "`Event::from_slice` checks the body as UTF-8 once and decodes it as text, about \
               a fifth faster than `serde_json::from_slice`, and decodes a `data` written before \
               `type` in one pass, as the type the body names last, checked against `type`; the \
               results are the same",
        impact: Impact::Docs,
        wire: false,
        rust: false,
    },
    CrateChange {
        version: Version::new(0, 2, 0),
        what: "a `ParseError` names the place that failed: `pointer()` is the JSON Pointer of the \
               value that did not decode (`/data/runtime_ms`), `place()` adds what was expected \
               and received, and the message says both; its variants are struct variants marked \
               `#[non_exhaustive]`, and `DeadLetterDir` writes the pointer to the meta file",
        impact: Impact::Compatible,
        wire: false,
        rust: false,
    },
];

/// The changes shipped after `old` and up to `new`: all of those up to `new` when there is no
/// `old`.
pub fn between(old: Option<Version>, new: Version) -> impl Iterator<Item = Change> {
    CRATE_CHANGES
        .iter()
        .filter(move |c| old.is_none_or(|old| c.version > old) && c.version <= new)
        .map(|c| c.to_change())
}

/// The newest version an entry names, if it is above `released`: a version the spec must reach
/// before it is released.
pub fn pending_after(released: Version) -> Option<Version> {
    CRATE_CHANGES
        .iter()
        .map(|c| c.version)
        .filter(|v| *v > released)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_says_what_breaks_and_entries_go_oldest_first() {
        for pair in CRATE_CHANGES.windows(2) {
            assert!(pair[0].version <= pair[1].version, "{}", pair[1].what);
        }
        for c in CRATE_CHANGES {
            assert_eq!(
                c.impact == Impact::Breaking,
                c.wire || c.rust,
                "a breaking entry says what it breaks, and only a breaking one: {}",
                c.what
            );
            assert!(!c.what.ends_with('.'), "{}", c.what);
        }
    }

    #[test]
    fn entries_count_between_their_versions() {
        let v = |s| Version::parse(s).unwrap();
        let count = CRATE_CHANGES
            .iter()
            .filter(|c| c.version == v("0.2.0"))
            .count();
        assert_eq!(between(Some(v("0.1.0")), v("0.2.0")).count(), count);
        assert_eq!(between(Some(v("0.1.0")), v("0.1.0")).count(), 0);
        assert_eq!(between(Some(v("0.2.0")), v("0.3.0")).count(), 0);
        assert!(between(None, v("0.2.0")).all(|c| c.subject == CRATE_SUBJECT));
        assert_eq!(pending_after(v("0.1.0")), Some(v("0.2.0")));
        assert_eq!(pending_after(v("0.2.0")), None);
    }
}
