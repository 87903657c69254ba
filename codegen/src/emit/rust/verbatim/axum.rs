//! Receiving deliveries with [axum]: an extractor that verifies and parses, a duplicate filter on
//! the event id, and a dead-letter store for verified deliveries that do not decode.
//!
//! With the `axum` feature (off by default; it implies `http` and `signing`), a handler takes a
//! [`Delivery`]. The extractor reads the raw body (at most [`DEFAULT_BODY_LIMIT`] bytes, or
//! another limit through [`DeliveryWithLimit`]) and the three Standard Webhooks headers, verifies
//! them with the [`Verifier`] it takes from the router's state through [`FromRef`] (give it every
//! valid secret during a rotation), and parses the verified bytes. The handler gets the
//! `webhook-id`, the timestamp and the [`Payload`]: the [`Event`](crate::Event), or, for a
//! verified body that does not decode, the [`ParseError`](crate::ParseError) that keeps it.
//!
//! # What is rejected, and with which status
//!
//! A request that is not a verified delivery is rejected with a [`Rejection`], whose response
//! carries the reason as plain text:
//!
//! | status | when |
//! |---|---|
//! | `401 Unauthorized` | a signature header is missing or empty, the timestamp is not a number or is outside the [`Verifier`]'s tolerance, the signature is not `v1,<base64>`, or no signature matches the body ([`Rejection::Unverified`]) |
//! | `413 Payload Too Large` | the body is over the limit ([`Rejection::TooLarge`]) |
//! | `400 Bad Request` | a signature header is repeated or is not visible ASCII, or the body could not be read ([`Rejection::BadHeader`], [`Rejection::BodyUnreadable`]) |
//!
//! A handler that wants to answer differently takes `Result<Delivery, Rejection>` and maps the
//! rejection itself.
//!
//! **A verified body is never rejected**, even when it is not an event at all: it is
//! [`Payload::Unreadable`]. It was signed with the destination's secret, so it comes from Deck, and
//! Deck answers anything but a `2xx` by sending the same bytes again, up to 3 more times, and
//! then sets the destination `inactive`. Rejecting it would lose it and stop every later delivery
//! too. Keep it instead (a [`DeadLetterStore`], such as [`DeadLetterDir`]) and answer `2xx`, or
//! `5xx` when it could not be kept, so that Deck delivers it again later.
//!
//! # Deliveries come at least once
//!
//! Deck sends an event again when the first answer was late or lost, so a handler sees duplicates:
//! [`Deduplicator`] decides by the event `id`, and [`MemoryDeduplicator`] is a bounded, expiring
//! set of ids for one process. An event counts as handled only once its handler succeeded: claim
//! the id, handle the event, then complete the claim, or release it and answer `5xx` when the
//! handler failed, so that Deck's next attempt is handled rather than dropped as a duplicate.
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//!
//! use axum::Router;
//! use axum::extract::{FromRef, State};
//! use axum::http::StatusCode;
//! use axum::routing::post;
//! use deck_events::axum::{DeadLetterDir, DeadLetterStore as _, Deduplicator as _};
//! use deck_events::axum::{Delivery, MemoryDeduplicator, Payload};
//! use deck_events::signing::{Secret, Verifier};
//!
//! #[derive(Clone)]
//! struct App {
//!     verifier: Verifier,
//!     seen: Arc<MemoryDeduplicator>,
//!     dead_letters: Arc<DeadLetterDir>,
//! }
//!
//! // The extractor takes the verifier from the state.
//! impl FromRef<App> for Verifier {
//!     fn from_ref(app: &App) -> Verifier {
//!         app.verifier.clone()
//!     }
//! }
//!
//! async fn receive(State(app): State<App>, delivery: Delivery) -> StatusCode {
//!     match delivery.payload() {
//!         Payload::Event(event) => {
//!             let id = event.id.as_str();
//!             let Ok(first) = app.seen.claim(id).await;
//!             if first {
//!                 println!("{id}: {}", event.event_type());
//!                 let Ok(()) = app.seen.complete(id).await;
//!             }
//!             StatusCode::NO_CONTENT
//!         }
//!         Payload::Unreadable(error) => match app.dead_letters.keep(&delivery, &error.to_string()).await {
//!             Ok(()) => StatusCode::ACCEPTED,
//!             Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
//!         },
//!     }
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let app = App {
//!     verifier: Verifier::new(Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?),
//!     seen: Arc::new(MemoryDeduplicator::default()),
//!     dead_letters: Arc::new(DeadLetterDir::new("dead-letter")),
//! };
//! let router: Router = Router::new().route("/webhooks", post(receive)).with_state(app);
//! # let _ = router;
//! # Ok(())
//! # }
//! ```
//!
//! [axum]: https://docs.rs/axum/0.8

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

// `::axum`, the framework, not this module, which the crate root also names `axum`.
use ::axum::body::Bytes;
use ::axum::extract::{FromRef, FromRequest, Request};
use ::axum::http::{HeaderMap, StatusCode};
use ::axum::response::{IntoResponse, Response};
use http_body_util::BodyExt as _;
use sha2::Digest as _;

use crate::signing::{
    HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, Headers, Verifier, VerifyError,
};

/// The largest body [`Delivery`] reads: 1 MiB.
///
/// Deck does not state a maximum. An event carries one resource, often as a summary, and every
/// example in the spec is under a kilobyte, so 1 MiB leaves ample room while keeping a request
/// that was never a delivery from filling memory before its signature can be checked (the body
/// must be read whole to verify it). Use [`DeliveryWithLimit`] for another limit; axum's
/// `DefaultBodyLimit` layer does not change this one. A delivery over the limit is answered `413`
/// and not kept: Deck retries it, and in the end disables the destination, so raise the limit if
/// your events can be larger.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// The three signature headers, in the order the dead-letter meta file lists them.
const SIGNATURE_HEADERS: [&str; 3] = [HEADER_ID, HEADER_TIMESTAMP, HEADER_SIGNATURE];

/// A verified delivery: what a handler gets from the extractor.
///
/// Its signature matched one of the [`Verifier`]'s secrets and its timestamp was within the
/// tolerance. The body is kept exactly as received, so a [`DeadLetterStore`] can keep it byte for
/// byte and it can be verified again before it is replayed.
#[derive(Debug)]
pub struct Delivery {
    webhook_id: String,
    timestamp_header: String,
    signature_header: String,
    timestamp: u64,
    body: Bytes,
    payload: Payload,
}

/// What a verified body holds.
#[derive(Debug)]
pub enum Payload {
    /// The body decoded into an event.
    Event(crate::Event),
    /// The body verified but did not decode: its envelope is not an event (then
    /// [`ParseError::raw_event`](crate::ParseError::raw_event) is `None`), or its payload does
    /// not have its event type's shape (then the raw event keeps the delivery whole). Keep it and
    /// answer `2xx`; see the [module](self) docs for why it must not be rejected.
    Unreadable(crate::ParseError),
}

impl Delivery {
    /// The `webhook-id` header: the message id, the same on every retry of one delivery.
    pub fn webhook_id(&self) -> &str {
        &self.webhook_id
    }

    /// The `webhook-timestamp`: when Deck sent this attempt, in seconds since the Unix epoch.
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }

    /// The three signature headers as received, to verify the body again later.
    pub fn signature_headers(&self) -> Headers<'_> {
        Headers {
            id: &self.webhook_id,
            timestamp: &self.timestamp_header,
            signature: &self.signature_header,
        }
    }

    /// The body exactly as received and verified.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The event, or why the verified body did not decode.
    pub fn payload(&self) -> &Payload {
        &self.payload
    }

    /// The event, when the body decoded.
    pub fn event(&self) -> Option<&crate::Event> {
        match &self.payload {
            Payload::Event(event) => Some(event),
            Payload::Unreadable(_) => None,
        }
    }

    /// The payload, by value.
    pub fn into_payload(self) -> Payload {
        self.payload
    }

    /// The event type: the event's, or the raw event's when only the payload did not decode.
    fn event_type(&self) -> Option<String> {
        match &self.payload {
            Payload::Event(event) => Some(event.event_type().as_str().to_owned()),
            Payload::Unreadable(error) => error
                .raw_event()
                .map(|raw| raw.event_type().as_str().to_owned()),
        }
    }

    /// The JSON Pointer of the value that did not decode, when the body is JSON and one did not.
    fn pointer(&self) -> Option<&str> {
        match &self.payload {
            Payload::Event(_) => None,
            Payload::Unreadable(error) => error.pointer(),
        }
    }

    /// Reads, verifies and parses a request, with a body of at most `limit` bytes.
    async fn extract(
        request: Request,
        verifier: &Verifier,
        limit: usize,
    ) -> Result<Delivery, Rejection> {
        let (parts, body) = request.into_parts();
        // Headers first: an unsigned request is turned away before its body is read.
        let webhook_id = signature_header(&parts.headers, HEADER_ID)?;
        let timestamp_header = signature_header(&parts.headers, HEADER_TIMESTAMP)?;
        let signature_header = signature_header(&parts.headers, HEADER_SIGNATURE)?;
        let declared = parts
            .headers
            .get(::axum::http::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit as u64) {
            return Err(Rejection::TooLarge { limit });
        }
        let body = match http_body_util::Limited::new(body, limit).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(err) if err.is::<http_body_util::LengthLimitError>() => {
                return Err(Rejection::TooLarge { limit });
            }
            Err(err) => return Err(Rejection::BodyUnreadable(err.to_string())),
        };
        let headers = Headers {
            id: &webhook_id,
            timestamp: &timestamp_header,
            signature: &signature_header,
        };
        verifier
            .verify(&headers, &body)
            .map_err(Rejection::Unverified)?;
        // Verified, so the timestamp is digits that fit; the error is only for completeness.
        let timestamp = timestamp_header
            .trim_ascii()
            .parse()
            .map_err(|_| Rejection::Unverified(VerifyError::InvalidTimestamp))?;
        let payload = match crate::Event::from_slice(&body) {
            Ok(event) => Payload::Event(event),
            Err(error) => Payload::Unreadable(error),
        };
        Ok(Delivery {
            webhook_id,
            timestamp_header,
            signature_header,
            timestamp,
            body,
            payload,
        })
    }
}

/// A signature header's value as text, or why there is none: [`VerifyError::MissingHeader`] as
/// the verifier would say it (so an unsigned request is turned away before its body is read), or a
/// [`Rejection::BadHeader`] when it is repeated or not visible ASCII.
fn signature_header(headers: &HeaderMap, name: &'static str) -> Result<String, Rejection> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else {
        return Err(Rejection::Unverified(VerifyError::MissingHeader(name)));
    };
    if values.next().is_some() {
        // Which one would count is a guess; a delivery carries each header once.
        return Err(Rejection::BadHeader {
            name,
            problem: HeaderProblem::Repeated,
        });
    }
    match value.to_str() {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => Err(Rejection::BadHeader {
            name,
            problem: HeaderProblem::NotAscii,
        }),
    }
}

/// The extractor: bodies of at most [`DEFAULT_BODY_LIMIT`] bytes.
impl<S> FromRequest<S> for Delivery
where
    S: Send + Sync,
    Verifier: FromRef<S>,
{
    type Rejection = Rejection;

    async fn from_request(request: Request, state: &S) -> Result<Delivery, Rejection> {
        Delivery::extract(request, &Verifier::from_ref(state), DEFAULT_BODY_LIMIT).await
    }
}

/// [`Delivery`] with a body limit of `MAX_BYTES` instead of [`DEFAULT_BODY_LIMIT`].
///
/// ```
/// use axum::routing::post;
/// use deck_events::axum::DeliveryWithLimit;
/// use deck_events::signing::Verifier;
///
/// // Up to 4 MiB.
/// async fn receive(DeliveryWithLimit(delivery): DeliveryWithLimit<{ 4 << 20 }>) {
///     println!("{}", delivery.webhook_id());
/// }
///
/// // The state is the verifier itself here.
/// let routes = axum::Router::<Verifier>::new().route("/webhooks", post(receive));
/// # let _ = routes;
/// ```
#[derive(Debug)]
pub struct DeliveryWithLimit<const MAX_BYTES: usize>(pub Delivery);

impl<S, const MAX_BYTES: usize> FromRequest<S> for DeliveryWithLimit<MAX_BYTES>
where
    S: Send + Sync,
    Verifier: FromRef<S>,
{
    type Rejection = Rejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Rejection> {
        Delivery::extract(request, &Verifier::from_ref(state), MAX_BYTES)
            .await
            .map(DeliveryWithLimit)
    }
}

/// Why a request is not a verified delivery. As a response: its [status](Rejection::status) and
/// the reason as plain text (never a secret or an expected signature).
///
/// A handler that answers for itself takes `Result<Delivery, Rejection>`:
///
/// ```
/// use axum::http::StatusCode;
/// use axum::routing::post;
/// use deck_events::axum::{Delivery, Rejection};
/// use deck_events::signing::Verifier;
///
/// async fn receive(delivery: Result<Delivery, Rejection>) -> StatusCode {
///     match delivery {
///         Ok(delivery) => {
///             println!("verified {}", delivery.webhook_id());
///             StatusCode::NO_CONTENT
///         }
///         Err(rejection) => {
///             eprintln!("rejected: {rejection}");
///             rejection.status()
///         }
///     }
/// }
///
/// let routes = axum::Router::<Verifier>::new().route("/webhooks", post(receive));
/// # let _ = routes;
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Rejection {
    /// `401 Unauthorized`: the delivery did not verify (a header missing, a stale timestamp, a
    /// malformed or wrong signature).
    Unverified(VerifyError),
    /// `413 Payload Too Large`: the body is longer than the limit, in bytes.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// `400 Bad Request`: a signature header cannot be read as one value.
    BadHeader {
        /// The header's name.
        name: &'static str,
        /// What is wrong with it.
        problem: HeaderProblem,
    },
    /// `400 Bad Request`: the body could not be read (the connection broke, or its framing is
    /// invalid); holds the reason.
    BodyUnreadable(String),
}

/// What is wrong with a signature header, in a [`Rejection::BadHeader`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderProblem {
    /// The header is sent more than once.
    Repeated,
    /// The value has bytes that are not visible ASCII.
    NotAscii,
}

impl Rejection {
    /// The response status: 401, 413 or 400, as each variant says.
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::Unverified(_) => StatusCode::UNAUTHORIZED,
            Rejection::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Rejection::BadHeader { .. } | Rejection::BodyUnreadable(_) => StatusCode::BAD_REQUEST,
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Unverified(err) => write!(f, "webhook verification failed: {err}"),
            Rejection::TooLarge { limit } => write!(f, "the body is larger than {limit} bytes"),
            Rejection::BadHeader {
                name,
                problem: HeaderProblem::Repeated,
            } => write!(f, "`{name}` is sent more than once"),
            Rejection::BadHeader {
                name,
                problem: HeaderProblem::NotAscii,
            } => write!(f, "`{name}` is not visible ASCII"),
            Rejection::BodyUnreadable(reason) => write!(f, "the body could not be read: {reason}"),
        }
    }
}

impl std::error::Error for Rejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Rejection::Unverified(err) => Some(err),
            _ => None,
        }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        (self.status(), self.to_string()).into_response()
    }
}

/// Decides whether an event was handled before, by its `id`, as Deck's at-least-once delivery
/// asks.
///
/// A claim has three steps: [`claim`](Deduplicator::claim) before handling, then
/// [`complete`](Deduplicator::complete) once the handler succeeded, or
/// [`release`](Deduplicator::release) when it failed, so that Deck's next attempt is handled. An
/// id counts as handled only once completed: a handler that fails, panics or is cancelled never
/// turns a retry into a duplicate that is acknowledged and dropped.
///
/// [`MemoryDeduplicator`] keeps the ids in the process. That is enough for one process that keeps
/// running, but a restart forgets them and several replicas each keep their own, so a retry that
/// reaches another replica is handled twice. In production, implement this trait on the database
/// the handler writes to: an insert into a table with a unique key on the event id, in the same
/// transaction as the handler's own writes, decides once for every replica and survives restarts
/// (the insert is the claim, the commit completes it, a rollback releases it, and a second insert
/// waits on the first transaction's lock, as `claim` waits below).
pub trait Deduplicator: Send + Sync {
    /// Why the store could not answer.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Claims `event_id` for handling: `true` means handle it, then complete or release the claim;
    /// `false` means it was handled already (a duplicate, to acknowledge without handling). While
    /// another claim of the id is being handled, this waits for its outcome.
    fn claim(&self, event_id: &str) -> impl Future<Output = Result<bool, Self::Error>> + Send;

    /// Records that the claimed event was handled: from now on a delivery of it is a duplicate.
    fn complete(&self, event_id: &str) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Gives back a claim whose handling failed, so a retry of the event is handled.
    fn release(&self, event_id: &str) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

/// How long [`MemoryDeduplicator`] lets a claim stay in progress by default: 5 seconds, the time
/// Deck waits for an answer. A handling that takes longer has failed for Deck, which delivers the
/// event again; the claim then lapses, so a handler that panicked or was cancelled (the client
/// hung up) holds up a retry for at most this long.
pub const DEFAULT_CLAIM_LEASE: Duration = Duration::from_secs(5);

/// A bounded set of handled event ids in memory, each forgotten after a time to live, and the
/// claims in progress.
///
/// It holds at most `capacity` handled ids; when full, the oldest is forgotten first, and so is
/// any id older than the time to live. Deck retries a failed delivery up to 3 times with
/// exponential backoff, so the default (100,000 ids for 24 hours, about 15 MB when full) outlasts
/// a delivery's retries at any moderate rate. It is per process and lost on restart: see
/// [`Deduplicator`] for what production wants.
///
/// A claim in progress is not a handled id: a second delivery of the same event while the first
/// is being handled waits for it (completed: a duplicate; released: the second handles it). A
/// claim neither completed nor released lapses after a lease ([`DEFAULT_CLAIM_LEASE`], or
/// [`with_lease`](MemoryDeduplicator::with_lease)), so the next delivery handles the event. The
/// wait needs a tokio runtime with its timer, as an axum server has.
///
/// ```
/// use std::time::Duration;
/// use deck_events::axum::{Deduplicator as _, MemoryDeduplicator};
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let seen = MemoryDeduplicator::new(2, Duration::from_secs(60));
/// assert_eq!(seen.claim("evt_1").await, Ok(true));
/// seen.complete("evt_1").await.unwrap();
/// assert_eq!(seen.claim("evt_1").await, Ok(false)); // a duplicate
///
/// // A handler that failed gives its claim back, so Deck's next attempt is handled.
/// assert_eq!(seen.claim("evt_2").await, Ok(true));
/// seen.release("evt_2").await.unwrap();
/// assert_eq!(seen.claim("evt_2").await, Ok(true));
/// seen.complete("evt_2").await.unwrap();
///
/// seen.claim("evt_3").await.unwrap();
/// seen.complete("evt_3").await.unwrap(); // full: `evt_1`, the oldest, is forgotten
/// assert_eq!(seen.claim("evt_1").await, Ok(true));
///
/// // A claim that is never completed nor released (its handler panicked) lapses.
/// let brief = MemoryDeduplicator::default().with_lease(Duration::from_millis(10));
/// assert_eq!(brief.claim("evt_4").await, Ok(true));
/// assert_eq!(brief.claim("evt_4").await, Ok(true)); // after waiting out the lease
///
/// // A handled id is forgotten after its time to live.
/// let forgetful = MemoryDeduplicator::new(10, Duration::from_millis(1));
/// assert_eq!(forgetful.claim("evt_5").await, Ok(true));
/// forgetful.complete("evt_5").await.unwrap();
/// std::thread::sleep(Duration::from_millis(5));
/// assert_eq!(forgetful.claim("evt_5").await, Ok(true));
/// # });
/// ```
#[derive(Debug)]
pub struct MemoryDeduplicator {
    capacity: usize,
    ttl: Duration,
    lease: Duration,
    seen: Mutex<Seen>,
    /// Woken whenever a claim in progress is completed or released.
    settled: tokio::sync::Notify,
}

/// The handled ids, with when each was handled, oldest first; and the claims in progress, with
/// when each lapses.
#[derive(Debug, Default)]
struct Seen {
    at: HashMap<String, Instant>,
    order: VecDeque<(String, Instant)>,
    in_progress: HashMap<String, Instant>,
}

/// What a claim finds.
enum Attempt {
    /// No claim in progress and not handled: this claim is granted.
    Granted,
    /// Handled already.
    Handled,
    /// Another claim is in progress until then.
    Busy(Instant),
}

impl MemoryDeduplicator {
    /// A set of at most `capacity` handled ids (at least one), each kept for `ttl`, with claims
    /// that lapse after [`DEFAULT_CLAIM_LEASE`].
    pub fn new(capacity: usize, ttl: Duration) -> MemoryDeduplicator {
        MemoryDeduplicator {
            capacity: capacity.max(1),
            ttl,
            lease: DEFAULT_CLAIM_LEASE,
            seen: Mutex::new(Seen::default()),
            settled: tokio::sync::Notify::new(),
        }
    }

    /// The same set, with claims that lapse after `lease` instead.
    pub fn with_lease(mut self, lease: Duration) -> MemoryDeduplicator {
        self.lease = lease;
        self
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        // A poisoned lock only means another thread panicked mid-update; the set is still whole.
        self.seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn attempt(&self, event_id: &str, now: Instant) -> Attempt {
        let mut seen = self.seen();
        while let Some((id, at)) = seen.order.front() {
            let expired = now.saturating_duration_since(*at) >= self.ttl;
            if !expired && seen.at.len() < self.capacity {
                break;
            }
            let id = id.clone();
            seen.order.pop_front();
            seen.at.remove(&id);
        }
        if seen.at.contains_key(event_id) {
            return Attempt::Handled;
        }
        match seen.in_progress.get(event_id) {
            Some(&until) if until > now => Attempt::Busy(until),
            _ => {
                // Claims whose handler panicked or was cancelled are never settled: drop the
                // lapsed ones before they could add up.
                if seen.in_progress.len() >= self.capacity {
                    seen.in_progress.retain(|_, until| *until > now);
                }
                seen.in_progress
                    .insert(event_id.to_owned(), now + self.lease);
                Attempt::Granted
            }
        }
    }
}

impl Default for MemoryDeduplicator {
    /// 100,000 ids for 24 hours.
    fn default() -> MemoryDeduplicator {
        MemoryDeduplicator::new(100_000, Duration::from_secs(24 * 60 * 60))
    }
}

impl Deduplicator for MemoryDeduplicator {
    type Error = Infallible;

    async fn claim(&self, event_id: &str) -> Result<bool, Infallible> {
        loop {
            // Registered before looking, so a claim settled in between still wakes this one.
            let settled = self.settled.notified();
            let mut settled = std::pin::pin!(settled);
            settled.as_mut().enable();
            match self.attempt(event_id, Instant::now()) {
                Attempt::Granted => return Ok(true),
                Attempt::Handled => return Ok(false),
                Attempt::Busy(until) => {
                    let _ = tokio::time::timeout_at(until.into(), settled).await;
                }
            }
        }
    }

    async fn complete(&self, event_id: &str) -> Result<(), Infallible> {
        let now = Instant::now();
        {
            let mut seen = self.seen();
            seen.in_progress.remove(event_id);
            if seen.at.insert(event_id.to_owned(), now).is_none() {
                seen.order.push_back((event_id.to_owned(), now));
            }
        }
        self.settled.notify_waiters();
        Ok(())
    }

    async fn release(&self, event_id: &str) -> Result<(), Infallible> {
        self.seen().in_progress.remove(event_id);
        self.settled.notify_waiters();
        Ok(())
    }
}

/// Where verified deliveries that could not be handled are kept, to be looked at and replayed.
///
/// [`DeadLetterDir`] keeps them as files. Implement this trait to keep them in your own database
/// or queue instead. `keep` must return only once the delivery is durably stored: the handler
/// answers `2xx` after it, and Deck never sends the delivery again.
pub trait DeadLetterStore: Send + Sync {
    /// Why a delivery could not be kept.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Keeps `delivery` (its body as received, its signature headers) and `reason`.
    fn keep(
        &self,
        delivery: &Delivery,
        reason: &str,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

/// A directory of kept deliveries, two files each, named by [`DeadLetterDir::file_stem`]:
///
/// - `<stem>.body`: the body exactly as received, which is what Deck signed;
/// - `<stem>.meta.json`: `reason`, `event_type` (when the envelope was readable), `webhook_id`
///   (the header as received), `body` (the body file's name), `headers` (the three signature
///   headers), so the body can be verified again before it is replayed, and `pointer` (the JSON
///   Pointer of the value that did not decode, such as `/data/runtime_ms`, when there is one).
///
/// A delivery is on disk before [`keep`](DeadLetterStore::keep) returns: each file is written to
/// a temporary name of its own, flushed to disk, and renamed, and then the directory (created
/// when missing, each new level flushed) and its parent are flushed so the renames and the
/// directory survive a crash. A reader never sees half a file, and a retry racing the original
/// leaves one whole copy: the same `webhook-id` names the same files, so a retried delivery
/// replaces its own files rather than piling up copies. The body is written before the meta file,
/// so a meta file always has its body beside it. A `.partial` file is a write that a crash cut
/// short: it is not a kept delivery, and can be deleted.
///
/// A temporary name that another write took is passed over, never removed. Outside a tokio
/// runtime, `keep` writes in place instead of on tokio's blocking pool. Here it
/// keeps a delivery extracted from a request built by hand, with a minimal executor:
///
/// ```
/// use std::time::{SystemTime, UNIX_EPOCH};
/// use axum::extract::FromRequest as _;
/// use deck_events::axum::{DeadLetterDir, DeadLetterStore as _, Delivery};
/// use deck_events::signing::{Secret, Signer, Verifier};
///
/// /// Runs a future that never waits, as these do when the body is already in memory.
/// fn now_or_never<F: Future>(future: F) -> F::Output {
///     let mut future = std::pin::pin!(future);
///     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
///     match future.as_mut().poll(&mut cx) {
///         std::task::Poll::Ready(output) => output,
///         std::task::Poll::Pending => panic!("the future waits"),
///     }
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// let body = r#"{"id":"evt_1","object":"event"}"#; // not an event: no `type`
/// let timestamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
/// let signature = Signer::new(secret.clone()).sign("msg.1", timestamp, body.as_bytes());
/// let request = axum::http::Request::post("/webhooks")
///     .header("webhook-id", "msg.1")
///     .header("webhook-timestamp", timestamp.to_string())
///     .header("webhook-signature", signature)
///     .body(axum::body::Body::from(body))?;
/// let delivery = now_or_never(Delivery::from_request(request, &Verifier::new(secret)))?;
/// assert!(delivery.event().is_none());
///
/// let dir = std::env::temp_dir().join(format!("dead-letter-doctest-{}", std::process::id()));
/// let store = DeadLetterDir::new(&dir);
/// now_or_never(store.keep(&delivery, "not an event"))?;
/// let (body_path, meta_path) = store.paths("msg.1");
/// assert_eq!(std::fs::read_to_string(body_path)?, body);
/// let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(meta_path)?)?;
/// assert_eq!(meta["webhook_id"], "msg.1");
/// assert_eq!(meta["reason"], "not an event");
/// assert_eq!(meta["headers"]["webhook-timestamp"], timestamp.to_string());
/// std::fs::remove_dir_all(&dir)?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct DeadLetterDir {
    dir: PathBuf,
}

impl DeadLetterDir {
    /// A store in `dir`, created when the first delivery is kept.
    pub fn new(dir: impl Into<PathBuf>) -> DeadLetterDir {
        DeadLetterDir { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file name, without extension, for a `webhook-id`: its ASCII letters, digits, `-` and
    /// `_` (others become `_`), at most 64 of them, so a header can never name a path outside the
    /// store; then `-` and the first 16 hex digits of the SHA-256 of the whole id, so two ids that
    /// read alike (`msg.1`, `msg_1`) never share a file.
    ///
    /// ```
    /// use deck_events::axum::DeadLetterDir;
    ///
    /// let stem = DeadLetterDir::file_stem("msg_2Kx-9");
    /// assert!(stem.starts_with("msg_2Kx-9-") && stem.len() == "msg_2Kx-9-".len() + 16);
    /// assert_ne!(DeadLetterDir::file_stem("msg.1"), DeadLetterDir::file_stem("msg_1"));
    /// assert!(DeadLetterDir::file_stem("../../etc/passwd").starts_with("______etc_passwd-"));
    /// ```
    pub fn file_stem(webhook_id: &str) -> String {
        let mut stem: String = webhook_id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(64)
            .collect();
        if stem.is_empty() {
            stem.push_str("delivery");
        }
        stem.push('-');
        for byte in &sha2::Sha256::digest(webhook_id.as_bytes())[..8] {
            stem.push_str(&format!("{byte:02x}"));
        }
        stem
    }

    /// The paths of a delivery's body and meta files.
    pub fn paths(&self, webhook_id: &str) -> (PathBuf, PathBuf) {
        let stem = DeadLetterDir::file_stem(webhook_id);
        (
            self.dir.join(format!("{stem}.body")),
            self.dir.join(format!("{stem}.meta.json")),
        )
    }

    fn keep_blocking(&self, webhook_id: &str, body: &[u8], meta: &[u8]) -> io::Result<()> {
        create_dir_durably(&self.dir)?;
        let (body_path, meta_path) = self.paths(webhook_id);
        write_durably(&body_path, body)?;
        write_durably(&meta_path, meta)?;
        sync_dir(&self.dir)?;
        // The directory's own entry, on every keep: the first keeps can run at once, and an
        // answer must not rest on a flush another request has not made yet.
        sync_dir(parent_of(&self.dir))
    }
}

impl DeadLetterStore for DeadLetterDir {
    type Error = io::Error;

    async fn keep(&self, delivery: &Delivery, reason: &str) -> io::Result<()> {
        let headers = delivery.signature_headers();
        let mut meta = serde_json::json!({
            "reason": reason,
            "event_type": delivery.event_type(),
            "webhook_id": delivery.webhook_id(),
            "body": format!("{}.body", DeadLetterDir::file_stem(delivery.webhook_id())),
            "headers": {
                SIGNATURE_HEADERS[0]: headers.id,
                SIGNATURE_HEADERS[1]: headers.timestamp,
                SIGNATURE_HEADERS[2]: headers.signature,
            },
        });
        if let Some(pointer) = delivery.pointer() {
            meta["pointer"] = serde_json::Value::from(pointer);
        }
        let meta = serde_json::to_vec_pretty(&meta).map_err(io::Error::other)?;
        let store = self.clone();
        let webhook_id = delivery.webhook_id().to_owned();
        let body = delivery.body.clone();
        let write = move || store.keep_blocking(&webhook_id, &body, &meta);
        match tokio::runtime::Handle::try_current() {
            // Writing and flushing to disk blocks: keep it off the async workers.
            Ok(runtime) => runtime
                .spawn_blocking(write)
                .await
                .map_err(io::Error::other)?,
            // Outside a tokio runtime there is no blocking pool to hand it to (and asking for one
            // would panic): write in place.
            Err(_) => write(),
        }
    }
}

/// Tells temporary files of concurrent writes apart within this process.
static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to a temporary file of this write's own beside `path`, flushes it to disk, and
/// renames it to `path`, so `path` holds one whole copy whichever write renames last.
fn write_durably(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (temp, mut file) = create_temp(path)?;
    let written = (|| {
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        // This write's own file: `create_temp` made it.
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// A new file beside `path` for one write: `<path>.<pid>.<n>.partial`. `create_new` never opens
/// a file that exists, so a name another write took (another process with the same pid, in
/// another container sharing the volume) is passed over for the next one, and left alone.
fn create_temp(path: &Path) -> io::Result<(PathBuf, std::fs::File)> {
    let mut tries = 0;
    loop {
        let mut temp = path.as_os_str().to_owned();
        temp.push(format!(
            ".{}.{}.partial",
            std::process::id(),
            NEXT_TEMP.fetch_add(1, Ordering::Relaxed)
        ));
        let temp = PathBuf::from(temp);
        match std::fs::File::create_new(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists && tries < 1000 => tries += 1,
            Err(err) => return Err(err),
        }
    }
}

/// Creates `dir` and the parents it lacks, and flushes each new entry to disk, so the store's
/// directory survives a crash as the files in it do.
fn create_dir_durably(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    // The levels that do not exist yet, outermost first.
    let mut missing: Vec<&Path> = dir.ancestors().take_while(|level| !level.is_dir()).collect();
    missing.reverse();
    std::fs::create_dir_all(dir)?;
    for level in missing {
        sync_dir(parent_of(level))?;
    }
    Ok(())
}

/// The directory holding `path`'s entry: its parent, `.` for a relative name of one component.
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if parent.as_os_str().is_empty() => Path::new("."),
        Some(parent) => parent,
        None => path,
    }
}

/// Flushes a directory's entries (the renames into it) to disk.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    // Elsewhere a directory cannot be opened as a file; the rename itself is what there is.
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
