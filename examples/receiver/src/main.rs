//! A webhook receiver: verifies each delivery's signature, parses the event and handles each event
//! once, and keeps every verified delivery it cannot read in a dead-letter directory instead of
//! losing it. The handler is `receive` in `handler.rs`, built on `deck_events::axum`.
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
use axum::routing::post;
use deck_events::axum::{DeadLetterDir, MemoryDeduplicator};
use deck_events::signing::{Secret, Verifier};
use deck_events::{Event, EventData};

mod handler;

use handler::{App, HandleError, receive};

/// The receiver's routes.
fn app(app: App) -> Router {
    Router::new()
        .route("/webhooks", post(receive))
        .with_state(app)
}

/// What the receiver does with an event: print a line starting with its id.
fn handle(event: &Event) -> Result<(), HandleError> {
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
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secrets = std::env::var("WEBHOOK_SECRETS")
        .map_err(|_| "set WEBHOOK_SECRETS to the destination's whsec_ secret")?;
    let secrets = secrets
        .split_whitespace()
        .map(Secret::parse)
        .collect::<Result<Vec<_>, _>>()?;
    // With no secret every delivery would get 401, and Deck would disable the destination.
    if secrets.is_empty() {
        return Err("WEBHOOK_SECRETS is empty: set it to the destination's whsec_ secret".into());
    }
    let addr = std::env::var("RECEIVER_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let dead_letter_dir = std::env::var_os("DEAD_LETTER_DIR")
        .map_or_else(|| PathBuf::from("dead-letter"), PathBuf::from);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}/webhooks", listener.local_addr()?);
    println!(
        "unreadable deliveries are kept in {}",
        dead_letter_dir.display()
    );
    let app = app(App {
        verifier: Verifier::with_secrets(secrets),
        seen: Arc::new(MemoryDeduplicator::default()),
        dead_letters: Arc::new(DeadLetterDir::new(dead_letter_dir)),
        handle: Arc::new(handle),
    });
    axum::serve(listener, app).await?;
    Ok(())
}

#[cfg(test)]
mod tests;
