//! The receiver's behaviour over real HTTP: the receiver serves on 127.0.0.1 (a free port), every
//! request is written byte for byte on a TCP connection, and deliveries are signed by the
//! reference Standard Webhooks implementation (the `standardwebhooks` package from PyPI, installed
//! by `.ci/install-python`, run through `signing-tests/interop/reference.py`). The tests fail,
//! rather than skip, when Python or the package is missing.

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use deck_events::axum::{DEFAULT_BODY_LIMIT, DEFAULT_CLAIM_LEASE};
use deck_events::signing::Headers;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::*;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// The next secret of a rotation, and for a delivery signed with the wrong secret.
const OTHER_SECRET: &str = "whsec_3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4=";
const BODY: &str = r#"{"id":"evt_1","object":"event","type":"connection.connected","data":{"id":"conn_1","object":"connection","status":"connected"},"created_at":"2025-01-15T09:30:00Z"}"#;
/// A known event type whose payload no longer has the shape this build knows: `status` is a number.
const CHANGED: &str = r#"{"id":"evt_2","object":"event","type":"task_run.completed","data":{"id":"trun_1","object":"task_run","status":{"code":7}},"created_at":"2025-01-15T09:30:00Z"}"#;
/// How long any one request may take before the test fails.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A delivery to send: its headers (values as bytes, so a test can send any) and its body.
#[derive(Clone)]
struct Request {
    headers: Vec<(&'static str, Vec<u8>)>,
    body: Vec<u8>,
}

impl Request {
    /// The same delivery with `name` replaced by `value` (or added).
    fn with_header(mut self, name: &'static str, value: &[u8]) -> Request {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.to_vec()));
        self
    }
}

/// Signs deliveries with the reference implementation: `(secret, webhook id, timestamp, body)`
/// each. One Python process signs them all.
fn sign(deliveries: &[(&str, String, u64, String)]) -> Vec<Request> {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../signing-tests/interop/reference.py");
    let requests: Vec<Value> = deliveries
        .iter()
        .map(|(secret, id, timestamp, body)| {
            json!({"op": "sign", "secret": secret, "id": id, "timestamp": timestamp, "body": body})
        })
        .collect();
    let mut child = Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| {
            panic!(
                "these tests need `python3` with the reference `standardwebhooks` package \
                 (`bash .ci/install-python`): {err}"
            )
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&serde_json::to_vec(&requests).unwrap())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the reference signer failed (is `standardwebhooks` installed? `bash .ci/install-python`):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answers.len(), deliveries.len());
    deliveries
        .iter()
        .zip(answers)
        .map(|((_, id, timestamp, body), answer)| Request {
            headers: vec![
                ("webhook-id", id.clone().into_bytes()),
                ("webhook-timestamp", timestamp.to_string().into_bytes()),
                (
                    "webhook-signature",
                    answer["signature"].as_str().unwrap().as_bytes().to_vec(),
                ),
            ],
            body: body.clone().into_bytes(),
        })
        .collect()
}

/// One delivery signed now with `SECRET`.
fn signed(id: &str, body: &str) -> Request {
    sign(&[(SECRET, id.to_owned(), now(), body.to_owned())]).remove(0)
}

/// The receiver, serving on a free port of 127.0.0.1 until dropped.
struct Server {
    addr: SocketAddr,
    /// How many times the handler was called for each event id. Its first call fails for an id
    /// with `_fail` in it and panics for one with `_panic`; a call for an id with `_slow` takes
    /// 300 ms.
    handled: Arc<Mutex<HashMap<String, usize>>>,
    dead_letters: tempfile::TempDir,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    async fn start(secrets: &[&str]) -> Server {
        let dead_letters = tempfile::tempdir().unwrap();
        Server::start_in(secrets, dead_letters.path().to_owned(), dead_letters).await
    }

    /// A server whose dead-letter store is `store` (which `dead_letters` holds).
    async fn start_in(secrets: &[&str], store: PathBuf, dead_letters: tempfile::TempDir) -> Server {
        Server::start_with(secrets, store, dead_letters, DEFAULT_CLAIM_LEASE).await
    }

    /// A server whose claims lapse after `lease`.
    async fn start_with_lease(lease: Duration) -> Server {
        let dead_letters = tempfile::tempdir().unwrap();
        let store = dead_letters.path().to_owned();
        Server::start_with(&[SECRET], store, dead_letters, lease).await
    }

    async fn start_with(
        secrets: &[&str],
        store: PathBuf,
        dead_letters: tempfile::TempDir,
        lease: Duration,
    ) -> Server {
        let handled = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
        let counts = Arc::clone(&handled);
        let router = app(App {
            verifier: Verifier::with_secrets(secrets.iter().map(|s| Secret::parse(s).unwrap())),
            seen: Arc::new(MemoryDeduplicator::default().with_lease(lease)),
            dead_letters: Arc::new(DeadLetterDir::new(store)),
            handle: Arc::new(move |event: &Event| -> Result<(), HandleError> {
                let id = event.id.as_str();
                let calls = {
                    let mut counts = counts.lock().unwrap();
                    let calls = counts.entry(id.to_owned()).or_default();
                    *calls += 1;
                    *calls
                };
                if id.contains("_slow") {
                    std::thread::sleep(Duration::from_millis(300));
                }
                match (calls, id) {
                    (1, id) if id.contains("_fail") => Err("the database is down".into()),
                    (1, id) if id.contains("_panic") => panic!("the handler has a bug"),
                    _ => Ok(()),
                }
            }),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Server {
            addr,
            handled,
            dead_letters,
            task,
        }
    }

    /// Sends one request as HTTP/1.1 and returns the status and the response body.
    async fn send(&self, request: &Request) -> (u16, String) {
        tokio::time::timeout(REQUEST_TIMEOUT, send(self.addr, request))
            .await
            .expect("the receiver answers in time")
    }

    fn handled(&self) -> HashMap<String, usize> {
        self.handled.lock().unwrap().clone()
    }

    /// The dead-letter directory's files, by name.
    fn kept(&self) -> BTreeMap<String, Vec<u8>> {
        let Ok(entries) = std::fs::read_dir(self.dead_letters.path()) else {
            return BTreeMap::new();
        };
        entries
            .map(|entry| {
                let entry = entry.unwrap();
                let name = entry.file_name().into_string().unwrap();
                (name, std::fs::read(entry.path()).unwrap())
            })
            .collect()
    }

    /// The kept body and meta file of a `webhook-id`.
    fn kept_delivery(&self, webhook_id: &str) -> (Vec<u8>, Value) {
        let (body, meta) = DeadLetterDir::new(self.dead_letters.path()).paths(webhook_id);
        let meta = serde_json::from_slice(&std::fs::read(meta).unwrap()).unwrap();
        (std::fs::read(body).unwrap(), meta)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Writes `request` as a POST on its own connection and reads the whole response.
async fn send(addr: SocketAddr, request: &Request) -> (u16, String) {
    let (response, answer) = try_send(addr, request).await;
    answer.unwrap_or_else(|| panic!("not an HTTP response: {response:?}"))
}

/// Writes `request` as a POST on its own connection: what came back, and the status and body if
/// it was an HTTP response.
async fn try_send(addr: SocketAddr, request: &Request) -> (String, Option<(u16, String)>) {
    let mut bytes = format!(
        "POST /webhooks HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n",
        request.body.len()
    )
    .into_bytes();
    for (name, value) in &request.headers {
        bytes.extend_from_slice(name.as_bytes());
        bytes.extend_from_slice(b": ");
        bytes.extend_from_slice(value);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(&request.body);
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    // Reading while writing: the server may answer (413) before the whole body is written, and
    // then stop reading it.
    let writer = tokio::spawn(async move {
        let _ = write.write_all(&bytes).await;
        write
    });
    let mut response = Vec::new();
    let _ = read.read_to_end(&mut response).await;
    drop(writer.await);
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok());
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (response, status.map(|status| (status, body)))
}

#[tokio::test]
async fn handles_a_signed_delivery_once() {
    let server = Server::start(&[SECRET]).await;
    assert_eq!(server.send(&signed("msg_1", BODY)).await.0, 204);
    assert_eq!(server.handled(), HashMap::from([("evt_1".to_owned(), 1)]));
    assert!(server.kept().is_empty());
}

/// During a rotation both secrets verify.
#[tokio::test]
async fn accepts_either_secret_during_a_rotation() {
    let server = Server::start(&[SECRET, OTHER_SECRET]).await;
    let second = BODY.replace("evt_1", "evt_9");
    let requests = sign(&[
        (SECRET, "msg_1".into(), now(), BODY.into()),
        (OTHER_SECRET, "msg_2".into(), now(), second),
    ]);
    for request in &requests {
        assert_eq!(server.send(request).await.0, 204);
    }
    assert_eq!(server.handled().len(), 2);
}

/// A type newer than this build is an event like any other: handled and acknowledged.
#[tokio::test]
async fn handles_an_unknown_event_type() {
    let server = Server::start(&[SECRET]).await;
    let body = r#"{"id":"evt_5","object":"event","type":"widget.exploded","data":{"id":"wdg_1"},"created_at":"2025-01-15T09:30:00Z"}"#;
    assert_eq!(server.send(&signed("msg_5", body)).await.0, 204);
    assert_eq!(server.handled(), HashMap::from([("evt_5".to_owned(), 1)]));
    assert!(server.kept().is_empty());
}

/// Every way a delivery can fail to verify is a 401 with the reason, and nothing is handled or
/// kept.
#[tokio::test]
async fn rejects_what_does_not_verify_with_401() {
    let server = Server::start(&[SECRET]).await;
    let mut tampered = signed("msg_1", BODY);
    tampered.body = BODY.replace("conn_1", "conn_2").into_bytes();
    let wrong_secret = sign(&[(OTHER_SECRET, "msg_1".into(), now(), BODY.into())]).remove(0);
    let stale = sign(&[(SECRET, "msg_1".into(), now() - 600, BODY.into())]).remove(0);
    let unsigned = Request {
        headers: Vec::new(),
        body: BODY.as_bytes().to_vec(),
    };
    let not_base64 = signed("msg_1", BODY).with_header("webhook-signature", b"v1,not*base64!");
    let empty_unsigned = Request {
        headers: Vec::new(),
        body: Vec::new(),
    };
    for (what, request, reason) in [
        ("tampered", tampered, "no `v1` signature"),
        ("wrong secret", wrong_secret, "no `v1` signature"),
        ("stale", stale, "too old"),
        ("unsigned", unsigned, "missing or empty `webhook-id`"),
        ("not base64", not_base64, "malformed"),
        ("empty and unsigned", empty_unsigned, "missing"),
    ] {
        let (status, body) = server.send(&request).await;
        assert_eq!(status, 401, "{what}: {body}");
        assert!(body.contains(reason), "{what}: {body}");
    }
    assert!(server.handled().is_empty());
    assert!(server.kept().is_empty());
}

/// Headers that cannot be read as one value are a 400, never a panic.
#[tokio::test]
async fn rejects_unreadable_headers_with_400() {
    let server = Server::start(&[SECRET]).await;
    let request = signed("msg_1", BODY);
    let not_ascii = request.clone().with_header("webhook-id", b"msg_\xe9");
    let mut twice = request.clone();
    let signature = twice.headers[2].1.clone();
    twice.headers.push(("webhook-signature", signature));
    for (what, request, reason) in [
        ("not ASCII", not_ascii, "`webhook-id` is not visible ASCII"),
        (
            "two signature headers",
            twice,
            "`webhook-signature` is sent more than once",
        ),
    ] {
        let (status, body) = server.send(&request).await;
        assert_eq!(status, 400, "{what}: {body}");
        assert!(body.contains(reason), "{what}: {body}");
    }
    assert!(server.handled().is_empty());
}

/// A body over the limit is a 413, signed or not; one at the limit is read and verified.
#[tokio::test]
async fn rejects_a_body_over_the_limit_with_413() {
    let server = Server::start(&[SECRET]).await;
    let over = " ".repeat(DEFAULT_BODY_LIMIT + 1);
    let at = " ".repeat(DEFAULT_BODY_LIMIT);
    let requests = sign(&[
        (SECRET, "msg_1".into(), now(), over),
        (SECRET, "msg_2".into(), now(), at),
    ]);
    let (status, body) = server.send(&requests[0]).await;
    assert_eq!(status, 413, "{body}");
    assert!(body.contains(&DEFAULT_BODY_LIMIT.to_string()), "{body}");
    // At the limit it is read, verified, and kept: signed, but not an event.
    assert_eq!(server.send(&requests[1]).await.0, 202);
    assert_eq!(server.kept_delivery("msg_2").0.len(), DEFAULT_BODY_LIMIT);
}

/// Writes `head` and `body` on a connection, closes the writing side, and returns the response's
/// status line and body. For requests `send` cannot write: chunked, or cut short.
async fn send_raw(addr: SocketAddr, head: String, body: Vec<u8>) -> String {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let writer = tokio::spawn(async move {
        let _ = write.write_all(head.as_bytes()).await;
        let _ = write.write_all(&body).await;
        let _ = write.shutdown().await;
    });
    let mut response = Vec::new();
    let read_all = tokio::time::timeout(REQUEST_TIMEOUT, read.read_to_end(&mut response));
    let _ = read_all.await.expect("the receiver answers in time");
    drop(writer.await);
    String::from_utf8_lossy(&response).into_owned()
}

/// Without a `content-length` the limit holds as the body is read; a body cut short is a 400.
#[tokio::test]
async fn a_chunked_body_over_the_limit_is_413_and_a_truncated_one_400() {
    let server = Server::start(&[SECRET]).await;
    let signature: String = signed("msg_1", BODY)
        .headers
        .iter()
        .map(|(name, value)| format!("{name}: {}\r\n", String::from_utf8_lossy(value)))
        .collect();
    let head = |framing: &str| {
        format!(
            "POST /webhooks HTTP/1.1\r\nhost: {}\r\n{framing}\r\n{signature}\r\n",
            server.addr
        )
    };
    // 17 chunks of 64 KiB: one byte over 1 MiB would be enough, these are more.
    let chunk = vec![b' '; 64 * 1024];
    let mut chunked = Vec::new();
    for _ in 0..17 {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(&chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let response = send_raw(server.addr, head("transfer-encoding: chunked"), chunked).await;
    assert!(response.starts_with("HTTP/1.1 413 "), "{response:?}");

    let response = send_raw(server.addr, head("content-length: 100"), b"{}".to_vec()).await;
    assert!(response.starts_with("HTTP/1.1 400 "), "{response:?}");
    assert!(
        response.contains("the body could not be read"),
        "{response:?}"
    );
    assert!(server.handled().is_empty());
    assert!(server.kept().is_empty());
}

/// A verified body that is not an event at all (garbage, or nothing) is kept and acknowledged:
/// Deck signed it, so a rejection would only bring the same bytes back and, in the end, disable
/// the destination.
#[tokio::test]
async fn keeps_a_signed_body_that_is_not_an_event() {
    let server = Server::start(&[SECRET]).await;
    for (id, body) in [("msg_1", "garbage, signed"), ("msg_2", "{}"), ("msg_3", "")] {
        assert_eq!(server.send(&signed(id, body)).await.0, 202, "{body:?}");
        let (kept, meta) = server.kept_delivery(id);
        assert_eq!(kept, body.as_bytes());
        assert_eq!(meta["event_type"], Value::Null);
        // Not JSON, or no body: there is no place to name.
        if id != "msg_2" {
            assert_eq!(meta.get("pointer"), None, "{meta}");
        }
        assert!(
            meta["reason"]
                .as_str()
                .unwrap()
                .contains("not a valid event"),
            "{meta}"
        );
    }
    assert!(server.handled().is_empty());
}

/// The promise of the dead-letter store: a verified delivery of a known type whose payload does
/// not decode is answered 2xx, and its exact bytes are on disk with the reason, the event type,
/// the raw `webhook-id` and the headers to verify it again.
#[tokio::test]
async fn keeps_an_undecodable_payload_and_acknowledges_it() {
    let server = Server::start(&[SECRET]).await;
    assert_eq!(server.send(&signed("msg_2", CHANGED)).await.0, 202);

    let (kept, meta) = server.kept_delivery("msg_2");
    assert_eq!(kept, CHANGED.as_bytes());
    assert_eq!(meta["event_type"], "task_run.completed");
    assert_eq!(meta["webhook_id"], "msg_2");
    // The meta file names the value that did not decode.
    assert_eq!(meta["pointer"], "/data/status", "{meta}");
    assert!(
        meta["reason"]
            .as_str()
            .unwrap()
            .contains("task_run.completed"),
        "{meta}"
    );
    assert_eq!(meta["headers"]["webhook-id"], "msg_2");
    // The kept body and headers verify again, so the delivery can be replayed safely.
    let again = Headers {
        id: meta["headers"]["webhook-id"].as_str().unwrap(),
        timestamp: meta["headers"]["webhook-timestamp"].as_str().unwrap(),
        signature: meta["headers"]["webhook-signature"].as_str().unwrap(),
    };
    Verifier::new(Secret::parse(SECRET).unwrap())
        .verify(&again, &kept)
        .unwrap();
    assert_eq!(
        server.kept().len(),
        2,
        "a body and its meta file, no leftovers"
    );
    assert!(server.handled().is_empty());
}

/// A summary delivery, with only the resource's identity in `data`, is a normal event.
#[tokio::test]
async fn handles_a_summary_delivery() {
    let server = Server::start(&[SECRET]).await;
    let summary = r#"{"id":"evt_3","object":"event","type":"task_run.interaction_required","data":{"id":"trun_1","object":"task_run","status":"interaction_required","interaction":{"type":"mfa","message":"Enter the code","fields":[{"name":"code","type":"string","label":"Code"}]}},"created_at":"2025-01-15T09:30:00Z"}"#;
    assert_eq!(server.send(&signed("msg_3", summary)).await.0, 204);
    assert_eq!(server.handled(), HashMap::from([("evt_3".to_owned(), 1)]));
}

/// Deck may deliver one event twice (a new attempt after a late answer): both are acknowledged,
/// and the event is handled once.
#[tokio::test]
async fn a_duplicate_event_is_acknowledged_and_handled_once() {
    let server = Server::start(&[SECRET]).await;
    let requests = sign(&[
        (SECRET, "msg_1".into(), now(), BODY.into()),
        (SECRET, "msg_1".into(), now(), BODY.into()),
        (SECRET, "msg_7".into(), now(), BODY.into()),
    ]);
    for request in &requests {
        assert_eq!(server.send(request).await.0, 204);
    }
    assert_eq!(server.handled(), HashMap::from([("evt_1".to_owned(), 1)]));
}

/// A handler that fails is answered 500, and its event is not taken for handled: Deck's next
/// attempt is handled, and an attempt after that is a duplicate.
#[tokio::test]
async fn a_failed_handling_is_retried_not_dropped() {
    // Claims never lapse here: the retry is handled because the failed claim was given back.
    let server = Server::start_with_lease(Duration::from_secs(3600)).await;
    let body = BODY.replace("evt_1", "evt_fail_1");
    let (status, answer) = server.send(&signed("msg_1", &body)).await;
    assert_eq!(status, 500, "{answer}");
    assert_eq!(server.send(&signed("msg_1", &body)).await.0, 204);
    assert_eq!(server.send(&signed("msg_1", &body)).await.0, 204);
    assert_eq!(
        server.handled(),
        HashMap::from([("evt_fail_1".to_owned(), 2)])
    );
}

/// A handler that panics gets no answer out (Deck will retry), and its claim lapses: the retry
/// is handled, not acknowledged as a duplicate of an event nobody handled.
#[tokio::test]
async fn a_panicking_handler_does_not_turn_the_retry_into_a_duplicate() {
    let server = Server::start_with_lease(Duration::from_millis(200)).await;
    let body = BODY.replace("evt_1", "evt_panic_1");
    let (response, answer) = try_send(server.addr, &signed("msg_1", &body)).await;
    assert_eq!(answer, None, "{response}");
    // At once: the retry waits out the lapsed claim, then handles the event.
    assert_eq!(server.send(&signed("msg_1", &body)).await.0, 204);
    assert_eq!(server.send(&signed("msg_1", &body)).await.0, 204);
    assert_eq!(
        server.handled(),
        HashMap::from([("evt_panic_1".to_owned(), 2)])
    );
}

/// A duplicate that arrives while the first delivery is being handled waits for its outcome:
/// handled, it is acknowledged without handling; failed, it is handled itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_duplicate_waits_for_the_delivery_being_handled() {
    // Claims never lapse here: the duplicate is woken by the first delivery's outcome.
    let server = Server::start_with_lease(Duration::from_secs(3600)).await;
    for id in ["evt_slow_1", "evt_slow_fail_1"] {
        let body = BODY.replace("evt_1", id);
        let requests = sign(&[
            (SECRET, "msg_1".into(), now(), body.clone()),
            (SECRET, "msg_1".into(), now(), body),
        ]);
        let addr = server.addr;
        let first = {
            let request = requests[0].clone();
            tokio::spawn(async move { send(addr, &request).await.0 })
        };
        // While the first is in its handler (300 ms).
        tokio::time::sleep(Duration::from_millis(100)).await;
        let second = server.send(&requests[1]).await.0;
        let first = first.await.unwrap();
        if id.contains("fail") {
            assert_eq!((first, second), (500, 204), "{id}");
            assert_eq!(server.handled()[id], 2, "{id}");
        } else {
            assert_eq!((first, second), (204, 204), "{id}");
            assert_eq!(server.handled()[id], 1, "{id}");
        }
    }
}

/// `msg.1` and `msg_1` read alike once made safe for a file name; both are kept, each whole.
#[tokio::test]
async fn ids_that_read_alike_are_kept_apart() {
    let server = Server::start(&[SECRET]).await;
    let other = CHANGED.replace("evt_2", "evt_8");
    let requests = sign(&[
        (SECRET, "msg.1".into(), now(), CHANGED.into()),
        (SECRET, "msg_1".into(), now(), other.clone()),
    ]);
    for request in &requests {
        assert_eq!(server.send(request).await.0, 202);
    }
    assert_eq!(server.kept_delivery("msg.1").0, CHANGED.as_bytes());
    assert_eq!(server.kept_delivery("msg_1").0, other.as_bytes());
    assert_eq!(server.kept_delivery("msg.1").1["webhook_id"], "msg.1");
    assert_eq!(server.kept().len(), 4);
}

/// When the store cannot keep a delivery, the receiver says so with a 5xx: Deck delivers it again
/// later, and nothing is lost.
#[tokio::test]
async fn a_delivery_the_store_cannot_keep_is_not_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let blocked = dir.path().join("not-a-directory");
    std::fs::write(&blocked, "a file where the store's directory should be").unwrap();
    let server = Server::start_in(&[SECRET], blocked, dir).await;
    assert_eq!(server.send(&signed("msg_4", CHANGED)).await.0, 500);
}

/// 1,000 signed deliveries at once, one in five undecodable: nothing is lost. The undecodable
/// ones are 100 deliveries each sent twice at the same time (a retry racing the original), the
/// decodable ones 400 events each sent twice; every request gets a 2xx, every undecodable
/// delivery is on disk exactly once and whole, and every event is handled exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_deliveries_lose_nothing() {
    let server = Server::start(&[SECRET]).await;
    let timestamp = now();
    let deliveries: Vec<(&str, String, u64, String)> = (0..1000)
        .map(|i| {
            if i % 5 == 0 {
                // 0 and 5 are one delivery, 10 and 15 the next, and so on.
                let n = i / 10;
                let body = CHANGED.replace("evt_2", &format!("evt_u{n}"));
                (SECRET, format!("msg_u{n}"), timestamp, body)
            } else {
                // The decodable deliveries before this one, 0 to 799: events 0 to 399, twice.
                let n = (i - i / 5 - 1) % 400;
                let body = BODY.replace("evt_1", &format!("evt_{n}"));
                (SECRET, format!("msg_{i}"), timestamp, body)
            }
        })
        .collect();
    let requests = sign(&deliveries);
    let addr = server.addr;
    let sent = tokio::time::timeout(Duration::from_secs(120), async {
        let tasks: Vec<_> = requests
            .into_iter()
            .map(|request| tokio::spawn(async move { send(addr, &request).await.0 }))
            .collect();
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        statuses
    })
    .await
    .expect("1,000 deliveries are answered within 2 minutes");
    let failed: Vec<(usize, u16)> = sent
        .iter()
        .enumerate()
        .filter(|(_, status)| !(200..300).contains(*status))
        .map(|(i, status)| (i, *status))
        .collect();
    assert!(failed.is_empty(), "not acknowledged: {failed:?}");

    let handled = server.handled();
    assert_eq!(handled.len(), 400);
    assert!(handled.values().all(|&count| count == 1), "{handled:?}");
    let kept = server.kept();
    assert_eq!(
        kept.len(),
        200,
        "100 bodies and 100 meta files, no leftovers"
    );
    for n in 0..100 {
        let (body, meta) = server.kept_delivery(&format!("msg_u{n}"));
        assert_eq!(
            body,
            CHANGED.replace("evt_2", &format!("evt_u{n}")).as_bytes()
        );
        assert_eq!(meta["webhook_id"], format!("msg_u{n}"));
    }
}
