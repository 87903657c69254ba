//! A webhook receiver: verifies each delivery's signature, parses the event and handles it.
//!
//! ```text
//! WEBHOOK_SECRETS=whsec_... cargo run -p receiver     # listens on 127.0.0.1:3000/webhooks
//! ```
//!
//! `WEBHOOK_SECRETS` holds one secret, or two separated by a space while a secret is rotated.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use deck_events::signing::{Error, Secret, Verifier};
use deck_events::{Event, EventData};

/// The receiver's routes, sharing one verifier.
fn app(verifier: Verifier) -> Router {
    Router::new()
        .route("/webhooks", post(receive))
        .with_state(Arc::new(verifier))
}

/// Takes the body as raw bytes: it must be verified exactly as received, before any parsing.
async fn receive(
    State(verifier): State<Arc<Verifier>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    match verifier.verify_and_parse(&headers, &body) {
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
            eprintln!("signed but unreadable delivery: {err}");
            StatusCode::BAD_REQUEST
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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}/webhooks", listener.local_addr()?);
    axum::serve(listener, app(Verifier::with_secrets(secrets))).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::{SystemTime, UNIX_EPOCH};

    use axum::body::Body;
    use axum::http::Request;
    use deck_events::signing::Signer;
    use tower::ServiceExt as _;

    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const BODY: &str = r#"{"id":"evt_1","object":"event","type":"connection.connected","data":{"id":"conn_1","object":"connection","status":"connected"},"created_at":"2025-01-15T09:30:00Z"}"#;

    async fn deliver(body: &str, signed_body: &str) -> StatusCode {
        let secret = Secret::parse(SECRET).unwrap();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let signature = Signer::new(secret.clone()).sign("msg_1", now, signed_body.as_bytes());
        let request = Request::post("/webhooks")
            .header("webhook-id", "msg_1")
            .header("webhook-timestamp", now.to_string())
            .header("webhook-signature", signature)
            .body(Body::from(body.to_string()))
            .unwrap();
        let response = app(Verifier::new(secret)).oneshot(request).await.unwrap();
        response.status()
    }

    #[tokio::test]
    async fn accepts_a_signed_delivery() {
        assert_eq!(deliver(BODY, BODY).await, StatusCode::NO_CONTENT);
    }

    #[tokio::test]
    async fn rejects_a_tampered_delivery() {
        let tampered = BODY.replace("conn_1", "conn_2");
        assert_eq!(deliver(&tampered, BODY).await, StatusCode::UNAUTHORIZED);
    }

    #[tokio::test]
    async fn reports_a_signed_body_that_is_not_an_event() {
        assert_eq!(deliver("{}", "{}").await, StatusCode::BAD_REQUEST);
    }
}
