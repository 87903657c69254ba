//! The receiver's handler. The `deck-events` README shows this file, compiled as a doctest of the
//! crate's `axum` feature, so keep it self-contained: its own imports, nothing from `main.rs`.

use std::sync::Arc;

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use deck_events::Event;
use deck_events::axum::{DeadLetterDir, DeadLetterStore as _, Deduplicator as _};
use deck_events::axum::{Delivery, MemoryDeduplicator, Payload};
use deck_events::signing::Verifier;

/// What every request shares.
#[derive(Clone)]
pub struct App {
    pub verifier: Verifier,
    pub seen: Arc<MemoryDeduplicator>,
    pub dead_letters: Arc<DeadLetterDir>,
    /// What to do with each event, once: answer within 5 seconds, or Deck retries.
    pub handle: Arc<dyn Fn(&Event) + Send + Sync>,
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
    // Deliveries come at least once: handle each event id once.
    let Ok(first) = app.seen.claim(event.id.as_str()).await;
    if first {
        (app.handle)(event);
    }
    StatusCode::NO_CONTENT
}
