//! Tests of the `signing` module template on its own.
//!
//! The generator copies `codegen/src/emit/rust/verbatim/signing.rs` verbatim into the generated crate as
//! its `signing` module. This crate compiles the same file, with the same lints, next to a
//! stand-in [`Event`], so the module is built and tested without generating a crate first. The
//! generated crate is tested for real (doc examples included) once it is generated.

// Declared as the generated `src/lib.rs` declares it (codegen::emit::rust::signing::LIB_RS_ITEM).
#[cfg(feature = "signing")]
#[path = "../../codegen/src/emit/rust/verbatim/signing.rs"]
pub mod signing;

/// Stand-in for the generated crate's event type, which `signing::Verifier::verify_and_parse`
/// refers to as `crate::Event`. It exists only so the module compiles here; the fields are the
/// envelope's first two, enough for the tests to see that a verified body was parsed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Event {
    /// The event id.
    pub id: String,
    /// The event type, `object.action`.
    #[serde(rename = "type")]
    pub event_type: String,
}

impl Event {
    /// Stand-in for the generated `Event::from_slice`: an unreadable body is an envelope error.
    pub fn from_slice(body: &[u8]) -> Result<Self, ParseError> {
        serde_json::from_slice(body).map_err(ParseError)
    }
}

/// Stand-in for the generated crate's `ParseError`.
#[derive(Debug)]
pub struct ParseError(pub serde_json::Error);

impl ParseError {
    /// The stand-in keeps no raw event: its bodies are only ever envelope errors.
    pub fn raw_event(&self) -> Option<&RawEvent> {
        None
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a valid event: {}", self.0)
    }
}

impl std::error::Error for ParseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Stand-in for the generated crate's `RawEvent`, named by `signing::Error::raw_event`.
#[derive(Debug)]
pub struct RawEvent;
