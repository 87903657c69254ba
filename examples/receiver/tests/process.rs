//! The receiver as its own process, as it is deployed: it refuses to start without a secret, keeps
//! dead letters in `dead-letter/` under its working directory by default, and passes over
//! temporary files another process left under the names it would pick (another container with
//! the same pid, on a shared volume), leaving them alone.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use deck_events::axum::DeadLetterDir;
use deck_events::signing::{Secret, Signer};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// A known event type whose `status` is a number: a dead letter.
const CHANGED: &str = r#"{"id":"evt_2","object":"event","type":"task_run.completed","data":{"id":"trun_1","object":"task_run","status":{"code":7}},"created_at":"2025-01-15T09:30:00Z"}"#;

/// Starts the receiver in `cwd` with `WEBHOOK_SECRETS=SECRET` and no `DEAD_LETTER_DIR`; returns it
/// and its address.
fn start(cwd: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_receiver"))
        .current_dir(cwd)
        .env("WEBHOOK_SECRETS", SECRET)
        .env("RECEIVER_ADDR", "127.0.0.1:0")
        .env_remove("DEAD_LETTER_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .and_then(|rest| rest.strip_suffix("/webhooks"))
        .unwrap_or_else(|| panic!("the receiver did not start: {line:?}"))
        .to_owned();
    (child, addr)
}

/// Posts `body` signed as `webhook_id` and returns the status line.
fn deliver(addr: &str, webhook_id: &str, body: &str) -> String {
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let signature =
        Signer::new(Secret::parse(SECRET).unwrap()).sign(webhook_id, timestamp, body.as_bytes());
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST /webhooks HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\nwebhook-id: {webhook_id}\r\n\
         webhook-timestamp: {timestamp}\r\nwebhook-signature: {signature}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.lines().next().unwrap_or_default().to_owned()
}

#[test]
fn without_a_secret_the_receiver_does_not_start() {
    for secrets in ["", "  "] {
        let out = Command::new(env!("CARGO_BIN_EXE_receiver"))
            .env("WEBHOOK_SECRETS", secrets)
            .env("RECEIVER_ADDR", "127.0.0.1:0")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{secrets:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("WEBHOOK_SECRETS is empty"), "{stderr}");
        assert!(out.stdout.is_empty(), "it never listened");
    }
}

#[test]
fn a_foreign_temporary_file_is_passed_over_and_left_alone() {
    let cwd = tempfile::tempdir().unwrap();
    let (mut child, addr) = start(cwd.path());
    // The names this process's first writes would take: `<file>.<pid>.<n>.partial`.
    let store = DeadLetterDir::new(cwd.path().join("dead-letter"));
    std::fs::create_dir(store.dir()).unwrap();
    let (body_path, meta_path) = store.paths("msg_1");
    let mut foreign = Vec::new();
    for path in [&body_path, &meta_path] {
        for n in 0..4 {
            let mut name = path.as_os_str().to_owned();
            name.push(format!(".{}.{n}.partial", child.id()));
            std::fs::write(&name, "another writer's").unwrap();
            foreign.push(name);
        }
    }
    let status = deliver(&addr, "msg_1", CHANGED);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, "HTTP/1.1 202 Accepted");
    assert_eq!(std::fs::read_to_string(&body_path).unwrap(), CHANGED);
    assert!(meta_path.is_file());
    for name in &foreign {
        assert_eq!(
            std::fs::read_to_string(name).unwrap(),
            "another writer's",
            "{name:?}"
        );
    }
}
