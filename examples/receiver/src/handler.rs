//! The receiver's handler. The `deck-events` README shows this file, compiled as a doctest of the
//! crate's `axum` feature, so keep it self-contained: its own imports, nothing from `main.rs`.

use std::sync::Arc;

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use deck_events::Event;
use deck_events::axum::{DeadLetterDir, DeadLetterStore as _, Deduplicator as _};
use deck_events::axum::{Delivery, MemoryDeduplicator, Payload};
use deck_events::signing::Verifier;

/// Why an event could not be handled.
pub type HandleError = Box<dyn std::error::Error + Send + Sync>;

/// What to do with each event, once.
pub type Handle = dyn Fn(&Event) -> Result<(), HandleError> + Send + Sync;

/// What every request shares.
#[derive(Clone)]
pub struct App {
    pub verifier: Verifier,
    pub seen: Arc<MemoryDeduplicator>,
    pub dead_letters: Arc<DeadLetterDir>,
    /// What to do with each event, once. Deck waits 5 seconds for the answer: hand slow work to
    /// a queue. An error answers 500, and Deck delivers the event again.
    pub handle: Arc<Handle>,
}

/// The `Delivery` extractor verifies with the verifier in the state.
impl FromRef<App> for Verifier {
    fn from_ref(app: &App) -> Verifier {
        app.verifier.clone()
    }
}

/// `Delivery` has verified the body against the signature headers and parsed it; a request that
/// does not verify never gets here (401, or 413 for a body over 1 MiB).
pub async fn receive(State(app): State<App>, delivery: Delivery) -> StatusCode {
    let event = match delivery.payload() {
        Payload::Event(event) => event,
        // Signed by Deck: rejecting it would make Deck retry the same bytes, then disable the
        // destination. Keep it on disk and acknowledge; if it cannot be kept, Deck retries.
        Payload::Unreadable(error) => {
            return match app.dead_letters.keep(&delivery, &error.to_string()).await {
                Ok(()) => StatusCode::ACCEPTED,
                Err(io) => {
                    eprintln!("could not keep {}: {io}", delivery.webhook_id());
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            };
        }
    };
    // Deliveries come at least once: handle each event id once, and count it handled only when
    // the handler succeeded (an error gives the claim back, and Deck delivers it again).
    let id = event.id.as_str();
    let Ok(first) = app.seen.claim(id).await;
    if !first {
        return StatusCode::NO_CONTENT;
    }
    if let Err(error) = (app.handle)(event) {
        eprintln!("could not handle {id}: {error}");
        let Ok(()) = app.seen.release(id).await;
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    let Ok(()) = app.seen.complete(id).await;
    StatusCode::NO_CONTENT
}
