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
        // Signed by Deck, so rejecting it would only make Deck retry the same bytes and, in the
        // end, disable the destination: keep it on disk, then acknowledge.
        Payload::Unreadable(error) => {
            return match app.dead_letters.keep(&delivery, &error.to_string()).await {
                Ok(()) => StatusCode::ACCEPTED,
                Err(io) => {
                    // Not kept: let Deck deliver it again later rather than lose it.
                    eprintln!("could not keep {}: {io}", delivery.webhook_id());
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            };
        }
    };
    // Deliveries come at least once: handle each event id once, and count it handled only once
    // the handler succeeded (a claim whose handler panicked lapses after 5 seconds).
    let id = event.id.as_str();
    let Ok(first) = app.seen.claim(id).await;
    if !first {
        return StatusCode::NO_CONTENT;
    }
    match (app.handle)(event) {
        Ok(()) => {
            let Ok(()) = app.seen.complete(id).await;
            StatusCode::NO_CONTENT
        }
        Err(error) => {
            // Not handled: give the claim back, and let Deck deliver the event again.
            eprintln!("could not handle {id}: {error}");
            let Ok(()) = app.seen.release(id).await;
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}
