//! The Standard Webhooks protocol, as far as the outputs describe it: the header names and what
//! each carries, the secret's prefix and the default timestamp tolerance.
//!
//! Several outputs state these facts (the Rust crate's `signing` module implements them, the docs
//! site and the AsyncAPI and OpenAPI documents describe them), so they live here, in no emitter's
//! module. The Rust emitter's tests check that its verbatim `signing` module declares the same
//! values.

/// Header carrying the message id, the same across retries of one delivery.
pub const HEADER_ID: &str = "webhook-id";
/// Header carrying the send time, in whole seconds since the Unix epoch.
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
/// Header carrying the space-separated `v1,<base64>` signatures.
pub const HEADER_SIGNATURE: &str = "webhook-signature";
/// The prefix of a secret's text form.
pub const SECRET_PREFIX: &str = "whsec_";
/// How far, in seconds, a delivery's timestamp may be from the receiver's clock by default.
pub const DEFAULT_TOLERANCE_SECS: u64 = 5 * 60;

/// One header of a signed delivery, as the API description documents (AsyncAPI, OpenAPI) state it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The header's name.
    pub name: &'static str,
    /// What it carries, in Markdown.
    pub description: String,
    /// A regular expression every value matches, when the protocol fixes one.
    pub pattern: Option<&'static str>,
}

/// The three headers of a signed delivery, in the order the protocol lists them. Every one is
/// required.
pub fn headers() -> [Header; 3] {
    [
        Header {
            name: HEADER_ID,
            description: "Identifier of the message, the same across retries of one delivery."
                .into(),
            pattern: None,
        },
        Header {
            name: HEADER_TIMESTAMP,
            description: "When the delivery was sent, in whole seconds since the Unix epoch. \
                          Reject deliveries whose timestamp is too far from your clock."
                .into(),
            pattern: Some("^[0-9]+$"),
        },
        Header {
            name: HEADER_SIGNATURE,
            description: format!(
                "One or more space-separated `v1,<base64>` entries, each an HMAC-SHA256 of \
                 `{{{HEADER_ID}}}.{{{HEADER_TIMESTAMP}}}.{{body}}` keyed with the \
                 destination's `{SECRET_PREFIX}` secret."
            ),
            pattern: None,
        },
    ]
}
