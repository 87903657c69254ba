//! A webhook receiver: verifies each delivery's signature, parses the event and handles it, and
//! keeps every verified delivery it cannot read in a dead-letter store instead of losing it.
//!
//! ```text
//! WEBHOOK_SECRETS=whsec_... cargo run -p receiver     # listens on 127.0.0.1:3000/webhooks
//! ```
//!
//! Configuration, from the environment:
//! - `WEBHOOK_SECRETS`: one secret, or two separated by a space while a secret is rotated;
//! - `RECEIVER_ADDR`: the address to listen on (default `127.0.0.1:3000`);
//! - `DEAD_LETTER_DIR`: where unreadable deliveries are kept (default `dead-letter` in the working
//!   directory).

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use deck_events::signing::{Error, Secret, Verifier};
use deck_events::{Event, EventData};

mod dead_letter;

use dead_letter::DeadLetters;

/// What every request shares.
struct Receiver {
    verifier: Verifier,
    dead_letters: DeadLetters,
}

/// The receiver's routes.
fn app(verifier: Verifier, dead_letters: DeadLetters) -> Router {
    Router::new()
        .route("/webhooks", post(receive))
        .with_state(Arc::new(Receiver {
            verifier,
            dead_letters,
        }))
}

/// Takes the body as raw bytes: it must be verified exactly as received, before any parsing.
async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    match receiver.verifier.verify_and_parse(&headers, &body) {
        Ok(event) => {
            handle(&event);
            // Answer within 5 seconds, or Deck retries: hand slow work to a queue.
            StatusCode::NO_CONTENT
        }
        Err(Error::Verify(err)) => {
            eprintln!("rejected delivery: {err}");
            StatusCode::UNAUTHORIZED
        }
        Err(err) => {
            // Signed by Deck, so resending it cannot help: rejecting it would only make Deck retry
            // the same bytes and, in the end, disable the destination. Keep it and acknowledge.
            match receiver.dead_letters.store(&headers, &body, &err).await {
                Ok(path) => {
                    eprintln!("kept unreadable delivery in {}: {err}", path.display());
                    StatusCode::ACCEPTED
                }
                Err(io) => {
                    // Not stored: let Deck deliver it again later rather than lose it.
                    eprintln!("could not keep unreadable delivery ({err}): {io}");
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            }
        }
    }
}

/// Deliveries are at least once: a real handler deduplicates on `event.id`.
fn handle(event: &Event) {
    match &event.data {
        EventData::TaskRunCompleted(run) => println!("{}: task run {} completed", event.id, run.id),
        EventData::ConnectionConnected(connection) => {
            println!("{}: connection {} connected", event.id, connection.id)
        }
        EventData::Unknown(unknown) => {
            println!(
                "{}: {} is newer than this build",
                event.id,
                unknown.event_type()
            )
        }
        other => println!("{}: {} not handled", event.id, other.event_type()),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secrets = std::env::var("WEBHOOK_SECRETS")
        .map_err(|_| "set WEBHOOK_SECRETS to the destination's whsec_ secret")?;
    let secrets = secrets
        .split_whitespace()
        .map(Secret::parse)
        .collect::<Result<Vec<_>, _>>()?;
    let addr = std::env::var("RECEIVER_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let dead_letter_dir = std::env::var_os("DEAD_LETTER_DIR")
        .map_or_else(|| PathBuf::from("dead-letter"), PathBuf::from);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}/webhooks", listener.local_addr()?);
    println!(
        "unreadable deliveries are kept in {}",
        dead_letter_dir.display()
    );
    let app = app(
        Verifier::with_secrets(secrets),
        DeadLetters::new(dead_letter_dir),
    );
    axum::serve(listener, app).await?;
    Ok(())
}

#[cfg(test)]
mod tests;
