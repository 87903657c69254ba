//! The Standard Webhooks protocol, as far as the outputs describe it: the header names, the
//! secret's prefix and the default timestamp tolerance.
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
