//! Verifying and signing webhook deliveries with the [Standard Webhooks] scheme.
//!
//! Every delivery carries three headers:
//!
//! * `webhook-id`: the message id, the same across retries of one delivery;
//! * `webhook-timestamp`: when the delivery was sent, in whole seconds since the Unix epoch;
//! * `webhook-signature`: one or more space-separated `v1,<base64>` entries, each an HMAC-SHA256
//!   of `{id}.{timestamp}.{body}` keyed with a secret (`whsec_<base64>`).
//!
//! A [`Verifier`] holds one or more secrets (several while a secret is being rotated) and accepts
//! a delivery when its timestamp is within the tolerance (5 minutes by default, in both
//! directions) and any `v1` signature in the header matches any of the secrets. Signatures are
//! compared in constant time.
//!
//! Verify the body **exactly as received**, before parsing it: parsing and re-serializing JSON
//! changes its bytes and breaks the signature. [`Verifier::verify`] checks the raw bytes, and
//! [`Verifier::verify_and_parse`] does that and then parses them into an [`Event`].
//!
//! Headers come from any [`HeaderSource`]: a [`HashMap`] or [`BTreeMap`] of strings, a slice of
//! name/value pairs, the plain [`Headers`] struct, or, with the `http` feature, an
//! `http::HeaderMap` (what axum, hyper and reqwest hand you). Names match case-insensitively.
//!
//! [Standard Webhooks]: https://www.standardwebhooks.com/
//! [`Event`]: crate::Event
//!
//! # Example
//!
//! ```
//! use std::collections::HashMap;
//! use deck_events::signing::{Secret, Signer, Verifier};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let secret: Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".parse()?;
//! let body = br#"{"id":"evt_1","type":"connection.connected"}"#;
//!
//! // The sender signs...
//! let timestamp = std::time::SystemTime::now()
//!     .duration_since(std::time::UNIX_EPOCH)?
//!     .as_secs();
//! let signature = Signer::new(secret.clone()).sign("msg_1", timestamp, body);
//!
//! // ...and the receiver checks the raw body against the three headers.
//! let headers = HashMap::from([
//!     ("webhook-id".to_string(), "msg_1".to_string()),
//!     ("webhook-timestamp".to_string(), timestamp.to_string()),
//!     ("webhook-signature".to_string(), signature),
//! ]);
//! Verifier::new(secret).verify(&headers, body)?;
//! # Ok(())
//! # }
//! ```

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT};
use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::Sha256;
use subtle::{Choice, ConstantTimeEq as _};

/// Name of the header that carries the message id.
pub const HEADER_ID: &str = "webhook-id";
/// Name of the header that carries the send time, in seconds since the Unix epoch.
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
/// Name of the header that carries the signatures.
pub const HEADER_SIGNATURE: &str = "webhook-signature";
/// The prefix of a secret's text form.
pub const SECRET_PREFIX: &str = "whsec_";
/// How far a delivery's timestamp may be from the receiver's clock, in either direction, unless
/// [`Verifier::tolerance`] says otherwise.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The only signature version this module produces and checks.
const SIGNATURE_VERSION: &str = "v1";

type HmacSha256 = Hmac<Sha256>;

/// A signing secret.
///
/// Parsed from its text form `whsec_<base64>`; plain base64 without the prefix is accepted too,
/// as the reference implementations do. Padding is optional. `Debug` never shows the key.
///
/// ```
/// use deck_events::signing::Secret;
///
/// let secret: Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".parse().unwrap();
/// assert_eq!(format!("{secret:?}"), "Secret(..)");
/// assert!("whsec_not base64!".parse::<Secret>().is_err());
/// ```
#[derive(Clone)]
pub struct Secret {
    /// The HMAC state keyed with the secret; cloned for every signature computed.
    mac: HmacSha256,
}

impl Secret {
    /// Parses `whsec_<base64>` or plain `<base64>`.
    ///
    /// # Errors
    /// [`VerifyError::MalformedSecret`] when the text is not base64 or decodes to an empty key.
    /// The error never contains the text.
    ///
    /// ```
    /// use deck_events::signing::Secret;
    ///
    /// assert!(Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_ok());
    /// assert!(Secret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_ok());
    /// assert!(Secret::parse("whsec_").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Secret, VerifyError> {
        let encoded = text.strip_prefix(SECRET_PREFIX).unwrap_or(text);
        let key = STANDARD_PAD_INDIFFERENT
            .decode(encoded)
            .map_err(|_| VerifyError::MalformedSecret)?;
        Secret::from_bytes(&key)
    }

    /// A secret from its raw key bytes.
    ///
    /// # Errors
    /// [`VerifyError::MalformedSecret`] when `key` is empty.
    ///
    /// ```
    /// use deck_events::signing::Secret;
    ///
    /// assert!(Secret::from_bytes(b"0123456789abcdef").is_ok());
    /// assert!(Secret::from_bytes(b"").is_err());
    /// ```
    pub fn from_bytes(key: &[u8]) -> Result<Secret, VerifyError> {
        if key.is_empty() {
            return Err(VerifyError::MalformedSecret);
        }
        let mac = HmacSha256::new_from_slice(key).map_err(|_| VerifyError::MalformedSecret)?;
        Ok(Secret { mac })
    }

    /// The raw HMAC-SHA256 of `{msg_id}.{timestamp}.{body}`.
    fn tag(&self, msg_id: &str, timestamp: u64, body: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(msg_id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.finalize().into_bytes().into()
    }
}

impl FromStr for Secret {
    type Err = VerifyError;

    fn from_str(text: &str) -> Result<Secret, VerifyError> {
        Secret::parse(text)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// Where the verifier reads the three `webhook-*` headers from.
///
/// [`Verifier`] asks for the lowercase names [`HEADER_ID`], [`HEADER_TIMESTAMP`] and
/// [`HEADER_SIGNATURE`]; implementations match names case-insensitively. Implemented for
/// [`Headers`], [`HashMap`] and [`BTreeMap`] of strings, slices and arrays of name/value pairs,
/// and, with the `http` feature, `http::HeaderMap`.
///
/// ```
/// use deck_events::signing::HeaderSource;
///
/// let pairs = [("Webhook-Id", "msg_1")];
/// assert_eq!(pairs.header("webhook-id"), Some("msg_1"));
/// assert_eq!(pairs.header("webhook-timestamp"), None);
/// ```
pub trait HeaderSource {
    /// The value of the header `name`, or `None` when it is absent (or, for byte-valued header
    /// maps, not valid UTF-8).
    fn header(&self, name: &str) -> Option<&str>;
}

/// The three headers as plain strings, for frameworks whose header type has no
/// [`HeaderSource`] implementation.
///
/// ```
/// use deck_events::signing::{HeaderSource, Headers};
///
/// let headers = Headers { id: "msg_1", timestamp: "1700000000", signature: "v1,..." };
/// assert_eq!(headers.header("webhook-timestamp"), Some("1700000000"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headers<'a> {
    /// The `webhook-id` header.
    pub id: &'a str,
    /// The `webhook-timestamp` header.
    pub timestamp: &'a str,
    /// The `webhook-signature` header.
    pub signature: &'a str,
}

impl HeaderSource for Headers<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        if name.eq_ignore_ascii_case(HEADER_ID) {
            Some(self.id)
        } else if name.eq_ignore_ascii_case(HEADER_TIMESTAMP) {
            Some(self.timestamp)
        } else if name.eq_ignore_ascii_case(HEADER_SIGNATURE) {
            Some(self.signature)
        } else {
            None
        }
    }
}

impl<T: HeaderSource + ?Sized> HeaderSource for &T {
    fn header(&self, name: &str) -> Option<&str> {
        (**self).header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> HeaderSource for [(K, V)] {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> HeaderSource for [(K, V); N] {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

/// The value under `name` exactly, else under a key equal to it ignoring ASCII case, as HTTP
/// header names are.
fn exact_or_any_case<'a, K, V>(
    exact: Option<&'a V>,
    mut all: impl Iterator<Item = (&'a K, &'a V)>,
    name: &str,
) -> Option<&'a str>
where
    K: Borrow<str> + 'a,
    V: AsRef<str> + 'a,
{
    exact
        .or_else(|| {
            all.find(|(k, _)| (*k).borrow().eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
        .map(AsRef::as_ref)
}

impl<K, V, S> HeaderSource for HashMap<K, V, S>
where
    K: Borrow<str> + Hash + Eq,
    V: AsRef<str>,
    S: BuildHasher,
{
    fn header(&self, name: &str) -> Option<&str> {
        exact_or_any_case(self.get(name), self.iter(), name)
    }
}

impl<K, V> HeaderSource for BTreeMap<K, V>
where
    K: Borrow<str> + Ord,
    V: AsRef<str>,
{
    fn header(&self, name: &str) -> Option<&str> {
        exact_or_any_case(self.get(name), self.iter(), name)
    }
}

/// With the `http` feature: the header map of axum, hyper, reqwest and other `http`-based
/// frameworks. A value that is not valid UTF-8 counts as absent.
///
/// ```
/// # #[cfg(feature = "http")] {
/// use deck_events::signing::HeaderSource;
///
/// let mut map = http::HeaderMap::new();
/// map.insert("webhook-id", http::HeaderValue::from_static("msg_1"));
/// assert_eq!(map.header("Webhook-Id"), Some("msg_1"));
/// # }
/// ```
#[cfg(feature = "http")]
impl HeaderSource for http::HeaderMap {
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name)
            .and_then(|value| std::str::from_utf8(value.as_bytes()).ok())
    }
}

/// Checks deliveries against one or more secrets.
///
/// Give it every secret that is currently valid: during a rotation the previous secret stays
/// valid for a while, and a delivery signed with any of them is accepted.
///
/// ```
/// use std::time::Duration;
/// use deck_events::signing::{Secret, Verifier};
///
/// # fn main() -> Result<(), deck_events::signing::VerifyError> {
/// let verifier = Verifier::with_secrets([
///     Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?,
///     Secret::parse("whsec_bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg==")?,
/// ])
/// .tolerance(Duration::from_secs(60));
/// # let _ = verifier;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Verifier {
    secrets: Vec<Secret>,
    tolerance: Duration,
}

impl Verifier {
    /// A verifier with one secret and the default tolerance of 5 minutes.
    pub fn new(secret: Secret) -> Verifier {
        Verifier::with_secrets([secret])
    }

    /// A verifier that accepts a signature made with any of `secrets` (for rotation), with the
    /// default tolerance of 5 minutes. With no secrets at all, nothing verifies.
    pub fn with_secrets(secrets: impl IntoIterator<Item = Secret>) -> Verifier {
        Verifier {
            secrets: secrets.into_iter().collect(),
            tolerance: DEFAULT_TOLERANCE,
        }
    }

    /// Sets how far the `webhook-timestamp` may be from the receiver's clock, in either
    /// direction; a timestamp exactly at the limit is accepted.
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Verifier {
        self.tolerance = tolerance;
        self
    }

    /// Checks a delivery against the current time: the three headers and the body bytes exactly
    /// as received.
    ///
    /// # Errors
    /// A [`VerifyError`] saying which check failed.
    ///
    /// ```
    /// use deck_events::signing::{Headers, Secret, Verifier, VerifyError};
    ///
    /// let verifier = Verifier::new(Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap());
    /// let headers = Headers { id: "msg_1", timestamp: "1", signature: "v1,AAAA" };
    /// assert_eq!(verifier.verify(&headers, b"{}"), Err(VerifyError::TimestampTooOld));
    /// ```
    pub fn verify(
        &self,
        headers: &(impl HeaderSource + ?Sized),
        body: &[u8],
    ) -> Result<(), VerifyError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// [`verify`](Self::verify) as if the current time were `now`, for tests and replays.
    ///
    /// # Errors
    /// A [`VerifyError`] saying which check failed.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use deck_events::signing::{Headers, Secret, Signer, Verifier};
    ///
    /// let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    /// let signature = Signer::new(secret.clone()).sign("msg_1", 1_700_000_000, b"{}");
    /// let headers = Headers { id: "msg_1", timestamp: "1700000000", signature: &signature };
    /// let now = UNIX_EPOCH + Duration::from_secs(1_700_000_100);
    /// assert!(Verifier::new(secret).verify_at(&headers, b"{}", now).is_ok());
    /// ```
    pub fn verify_at(
        &self,
        headers: &(impl HeaderSource + ?Sized),
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), VerifyError> {
        let id = required(headers, HEADER_ID)?;
        let timestamp = required(headers, HEADER_TIMESTAMP)?;
        let signatures = required(headers, HEADER_SIGNATURE)?;

        let timestamp = parse_timestamp(timestamp)?;
        self.check_timestamp(timestamp, now)?;

        let expected: Vec<[u8; 32]> = self
            .secrets
            .iter()
            .map(|secret| secret.tag(id, timestamp, body))
            .collect();
        let mut matched = Choice::from(0);
        let mut saw_v1 = false;
        let mut saw_malformed = false;
        for entry in signatures.split_ascii_whitespace() {
            let Some((version, signature)) = entry.split_once(',') else {
                saw_malformed = true;
                continue;
            };
            if version != SIGNATURE_VERSION {
                // Other versions (`v1a`, a future `v2`) are skipped; a label that cannot be a
                // version at all means the header is broken.
                saw_malformed |=
                    version.is_empty() || !version.bytes().all(|b| b.is_ascii_alphanumeric());
                continue;
            }
            let Some(candidate) = decode_signature(signature) else {
                saw_malformed = true;
                continue;
            };
            saw_v1 = true;
            for tag in &expected {
                matched |= candidate.as_slice().ct_eq(tag.as_slice());
            }
        }
        if bool::from(matched) {
            Ok(())
        } else if saw_malformed && !saw_v1 {
            Err(VerifyError::MalformedSignatureHeader)
        } else {
            Err(VerifyError::NoMatchingSignature)
        }
    }

    /// Verifies a delivery, then parses the verified bytes into an [`Event`](crate::Event).
    ///
    /// The same as [`verify`](Self::verify) followed by
    /// [`Event::from_slice`](crate::Event::from_slice): the body is checked as received and never
    /// re-serialized.
    ///
    /// # Errors
    /// [`Error::Verify`] when the delivery does not verify (the body is then not parsed), and
    /// [`Error::Parse`] when the verified body is not a valid event. A verified delivery comes
    /// from Deck: when only its payload is unreadable, [`Error::raw_event`] keeps it whole, to
    /// store and acknowledge rather than reject.
    ///
    /// ```
    /// use deck_events::signing::{Error, Headers, Secret, Verifier};
    ///
    /// fn receive(verifier: &Verifier, headers: &Headers<'_>, body: &[u8]) {
    ///     match verifier.verify_and_parse(headers, body) {
    ///         Ok(event) => println!("verified {event:?}"),
    ///         Err(Error::Verify(err)) => println!("rejected: {err}"),
    ///         Err(err) => match err.raw_event() {
    ///             Some(raw) => println!("kept {} bytes to retry later: {err}", raw.body().len()),
    ///             None => println!("signed but not an event: {err}"),
    ///         },
    ///     }
    /// }
    /// # let verifier = Verifier::new(Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap());
    /// # receive(&verifier, &Headers { id: "msg_1", timestamp: "1", signature: "v1,AAAA" }, b"{}");
    /// ```
    pub fn verify_and_parse(
        &self,
        headers: &(impl HeaderSource + ?Sized),
        body: &[u8],
    ) -> Result<crate::Event, Error> {
        self.verify(headers, body).map_err(Error::Verify)?;
        crate::Event::from_slice(body).map_err(Error::Parse)
    }

    fn check_timestamp(&self, timestamp: u64, now: SystemTime) -> Result<(), VerifyError> {
        let now = match now.duration_since(UNIX_EPOCH) {
            Ok(since) => i128::from(since.as_secs()),
            Err(before) => -i128::from(before.duration().as_secs()),
        };
        let tolerance = i128::from(self.tolerance.as_secs());
        let timestamp = i128::from(timestamp);
        if timestamp < now - tolerance {
            Err(VerifyError::TimestampTooOld)
        } else if timestamp > now + tolerance {
            Err(VerifyError::TimestampTooNew)
        } else {
            Ok(())
        }
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secrets", &self.secrets.len())
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

/// A header's value, or which header is missing; an empty value counts as missing.
fn required<'h>(
    headers: &'h (impl HeaderSource + ?Sized),
    name: &'static str,
) -> Result<&'h str, VerifyError> {
    match headers.header(name) {
        Some(value) if !value.trim_ascii().is_empty() => Ok(value),
        _ => Err(VerifyError::MissingHeader(name)),
    }
}

/// Whole seconds since the Unix epoch, in ASCII digits (surrounding whitespace allowed).
fn parse_timestamp(text: &str) -> Result<u64, VerifyError> {
    let digits = text.trim_ascii();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VerifyError::InvalidTimestamp);
    }
    digits.parse().map_err(|_| VerifyError::InvalidTimestamp)
}

/// A `v1` signature's bytes, or `None` when it is not base64.
fn decode_signature(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() {
        return None;
    }
    STANDARD_PAD_INDIFFERENT.decode(text).ok()
}

/// Signs deliveries, for producers and for receivers' tests.
///
/// ```
/// use deck_events::signing::{Secret, Signer};
///
/// let signer = Signer::new(Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap());
/// let signature = signer.sign("msg_1", 1_700_000_000, br#"{"id":"evt_1"}"#);
/// assert!(signature.starts_with("v1,"));
/// ```
#[derive(Clone, Debug)]
pub struct Signer {
    secret: Secret,
}

impl Signer {
    /// A signer with `secret`.
    pub fn new(secret: Secret) -> Signer {
        Signer { secret }
    }

    /// The `webhook-signature` header value (`v1,<base64>`) for a message id, a timestamp in
    /// seconds since the Unix epoch, and the body bytes.
    pub fn sign(&self, msg_id: &str, timestamp: u64, body: &[u8]) -> String {
        let tag = self.secret.tag(msg_id, timestamp, body);
        format!("{SIGNATURE_VERSION},{}", STANDARD.encode(tag))
    }
}

/// Why a delivery did not verify.
///
/// The messages name the failed check, never the secret, the expected signature or the header
/// values received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// A header is absent or empty; holds its name.
    MissingHeader(&'static str),
    /// `webhook-timestamp` is not a whole number of seconds since the Unix epoch.
    InvalidTimestamp,
    /// `webhook-timestamp` is earlier than the tolerance allows (a stale or replayed delivery).
    TimestampTooOld,
    /// `webhook-timestamp` is later than the tolerance allows.
    TimestampTooNew,
    /// `webhook-signature` has no well-formed `v1,<base64>` entry.
    MalformedSignatureHeader,
    /// No `v1` signature matches the body with any of the secrets.
    NoMatchingSignature,
    /// A secret is not `whsec_<base64>` or is empty.
    MalformedSecret,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::MissingHeader(name) => write!(f, "missing or empty `{name}` header"),
            VerifyError::InvalidTimestamp => write!(
                f,
                "`{HEADER_TIMESTAMP}` is not a whole number of seconds since the Unix epoch"
            ),
            VerifyError::TimestampTooOld => {
                write!(f, "`{HEADER_TIMESTAMP}` is too old (outside the tolerance)")
            }
            VerifyError::TimestampTooNew => {
                write!(
                    f,
                    "`{HEADER_TIMESTAMP}` is too far in the future (outside the tolerance)"
                )
            }
            VerifyError::MalformedSignatureHeader => write!(
                f,
                "`{HEADER_SIGNATURE}` is malformed: expected space-separated `v1,<base64>` entries"
            ),
            VerifyError::NoMatchingSignature => write!(
                f,
                "no `v1` signature in `{HEADER_SIGNATURE}` matches the body with any secret"
            ),
            VerifyError::MalformedSecret => {
                write!(
                    f,
                    "malformed secret: expected `whsec_` followed by non-empty base64"
                )
            }
        }
    }
}

impl std::error::Error for VerifyError {}

/// Why [`Verifier::verify_and_parse`] failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The delivery did not verify; its body was not parsed.
    Verify(VerifyError),
    /// The delivery verified, but its body is not a valid event, or its payload does not decode
    /// (then the error keeps the delivery whole: [`Error::raw_event`]).
    Parse(crate::ParseError),
}

impl Error {
    /// The verified delivery kept whole, when its envelope was valid but its payload did not
    /// decode.
    pub fn raw_event(&self) -> Option<&crate::RawEvent> {
        match self {
            Error::Verify(_) => None,
            Error::Parse(err) => err.raw_event(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Verify(err) => write!(f, "webhook verification failed: {err}"),
            Error::Parse(err) => write!(f, "verified webhook body: {err}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Verify(err) => Some(err),
            Error::Parse(err) => Some(err),
        }
    }
}

impl From<VerifyError> for Error {
    fn from(err: VerifyError) -> Error {
        Error::Verify(err)
    }
}
