//! The receiver's behaviour, through its router and over real HTTP.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::Request;
use deck_events::signing::Signer;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tower::ServiceExt as _;

use super::*;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BODY: &str = r#"{"id":"evt_1","object":"event","type":"connection.connected","data":{"id":"conn_1","object":"connection","status":"connected"},"created_at":"2025-01-15T09:30:00Z"}"#;
/// A known event type whose payload no longer has the shape this build knows: `status` is a number.
const CHANGED: &str = r#"{"id":"evt_2","object":"event","type":"task_run.completed","data":{"id":"trun_1","object":"task_run","status":{"code":7}},"created_at":"2025-01-15T09:30:00Z"}"#;

fn secret() -> Secret {
    Secret::parse(SECRET).unwrap()
}

/// The three signature headers for `body`, signed now.
fn signature_headers(id: &str, body: &str) -> [(&'static str, String); 3] {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let signature = Signer::new(secret()).sign(id, now, body.as_bytes());
    [
        ("webhook-id", id.to_owned()),
        ("webhook-timestamp", now.to_string()),
        ("webhook-signature", signature),
    ]
}

/// Sends `body`, signed as `signed_body`, through the router.
async fn deliver(dead_letters: &Path, body: &str, signed_body: &str) -> StatusCode {
    let mut request = Request::post("/webhooks");
    for (name, value) in signature_headers("msg_1", signed_body) {
        request = request.header(name, value);
    }
    let request = request.body(Body::from(body.to_string())).unwrap();
    let app = app(Verifier::new(secret()), DeadLetters::new(dead_letters));
    app.oneshot(request).await.unwrap().status()
}

/// Starts the receiver on a free port and sends it one signed delivery as an HTTP/1.1 request.
///
/// The request is written by hand, so the test controls every byte on the wire: the body the
/// receiver verifies is exactly the one signed here.
async fn deliver_over_http(dead_letters: &Path, id: &str, body: &str) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = app(Verifier::new(secret()), DeadLetters::new(dead_letters));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let mut request = format!(
        "POST /webhooks HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in signature_headers(id, body) {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    server.abort();
    let status = response
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .unwrap_or_else(|| panic!("not an HTTP response: {response:?}"));
    status.parse().unwrap()
}

#[tokio::test]
async fn accepts_a_signed_delivery() {
    let store = tempfile::tempdir().unwrap();
    assert_eq!(
        deliver(store.path(), BODY, BODY).await,
        StatusCode::NO_CONTENT
    );
    assert!(!store.path().join("msg_1.body").exists());
}

#[tokio::test]
async fn rejects_a_tampered_delivery() {
    let store = tempfile::tempdir().unwrap();
    let tampered = BODY.replace("conn_1", "conn_2");
    assert_eq!(
        deliver(store.path(), &tampered, BODY).await,
        StatusCode::UNAUTHORIZED
    );
    assert!(!store.path().join("msg_1.body").exists());
}

#[tokio::test]
async fn keeps_a_signed_body_that_is_not_an_event() {
    let store = tempfile::tempdir().unwrap();
    assert_eq!(
        deliver(store.path(), "{}", "{}").await,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        std::fs::read(store.path().join("msg_1.body")).unwrap(),
        b"{}"
    );
    let meta = std::fs::read_to_string(store.path().join("msg_1.meta.json")).unwrap();
    let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
    assert_eq!(meta["event_type"], serde_json::Value::Null);
    assert!(
        meta["reason"]
            .as_str()
            .unwrap()
            .contains("not a valid event")
    );
}

/// The promise of the dead-letter store, end to end over HTTP: a verified delivery of a known type
/// whose payload does not decode is answered 2xx, so Deck does not retry it into deactivating the
/// destination, and its exact bytes are kept with the reason and the headers to verify it again.
#[tokio::test]
async fn a_known_type_with_an_undecodable_payload_is_kept_and_acknowledged() {
    let store = tempfile::tempdir().unwrap();
    let status = deliver_over_http(store.path(), "msg_2", CHANGED).await;
    assert_eq!(status, 202);

    let kept = std::fs::read(store.path().join("msg_2.body")).unwrap();
    assert_eq!(kept, CHANGED.as_bytes());
    let meta = std::fs::read_to_string(store.path().join("msg_2.meta.json")).unwrap();
    let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
    assert_eq!(meta["event_type"], "task_run.completed");
    assert!(
        meta["reason"]
            .as_str()
            .unwrap()
            .contains("task_run.completed"),
        "{meta}"
    );
    assert_eq!(meta["headers"]["webhook-id"], "msg_2");
    let timestamp: u64 = meta["headers"]["webhook-timestamp"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // The kept body and headers verify again, so the delivery can be replayed safely.
    let again = deck_events::signing::Headers {
        id: "msg_2",
        timestamp: &timestamp.to_string(),
        signature: meta["headers"]["webhook-signature"].as_str().unwrap(),
    };
    Verifier::new(secret()).verify(&again, &kept).unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(store.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A summary delivery, with only the resource's identity in `data`, is a normal event.
#[tokio::test]
async fn a_summary_delivery_is_handled_over_http() {
    let store = tempfile::tempdir().unwrap();
    let summary = r#"{"id":"evt_3","object":"event","type":"task_run.interaction_required","data":{"id":"trun_1","object":"task_run","status":"interaction_required","interaction":{"type":"mfa","message":"Enter the code","fields":[{"name":"code","type":"string","label":"Code"}]}},"created_at":"2025-01-15T09:30:00Z"}"#;
    assert_eq!(deliver_over_http(store.path(), "msg_3", summary).await, 204);
    assert!(!store.path().join("msg_3.body").exists());
}

/// When the store cannot keep a delivery, the receiver says so with a 5xx: Deck delivers it again
/// later, and nothing is lost.
#[tokio::test]
async fn a_delivery_the_store_cannot_keep_is_not_acknowledged() {
    let store = tempfile::tempdir().unwrap();
    let blocked = store.path().join("not-a-directory");
    std::fs::write(&blocked, "a file where the store's directory should be").unwrap();
    let status = deliver_over_http(&blocked, "msg_4", CHANGED).await;
    assert_eq!(status, 500);
}
