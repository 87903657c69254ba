//! End to end: the `deck-events` binary against the example receiver (`examples/receiver`), run
//! as its own process on a free port, and against the reference Standard Webhooks implementation
//! (the `standardwebhooks` package from PyPI, installed by `.ci/install-python`).
//!
//! The tests fail, rather than skip, when the receiver cannot be built or when Python or the
//! package is missing.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::process::{Command, Stdio};

use deck_events::EventType;
use serde_json::{Value, json};

mod support;

use support::{OTHER_SECRET, Receiver, SECRET, deck_events, text, workspace_root};

/// Lines of `trigger`'s standard output: (event type, status, event id). Columns are separated
/// by at least two spaces.
fn deliveries(stdout: &str) -> Vec<(String, String, String)> {
    stdout
        .lines()
        .map(|line| {
            let columns: Vec<&str> = line
                .split("  ")
                .map(str::trim)
                .filter(|column| !column.is_empty())
                .collect();
            assert_eq!(columns.len(), 4, "{line}");
            (columns[0].into(), columns[1].into(), columns[3].into())
        })
        .collect()
}

#[test]
fn trigger_all_delivers_every_event_type_to_the_receiver() {
    let receiver = Receiver::start();
    let out = deck_events(
        &[
            "trigger",
            "--all",
            "--url",
            &receiver.url,
            "--secret",
            SECRET,
        ],
        b"",
    );
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    // Standard output holds the results only; progress is on standard error.
    let sent = deliveries(&stdout);
    let types: Vec<&str> = sent.iter().map(|(t, _, _)| t.as_str()).collect();
    let all: Vec<&str> = EventType::ALL.iter().map(EventType::as_str).collect();
    assert_eq!(types, all);
    assert_eq!(sent.len(), 33);
    for (event_type, status, _) in &sent {
        assert_eq!(status, "204 No Content", "{event_type}");
    }
    assert!(stderr.contains("33 of 33 delivered"), "{stderr}");

    // The receiver verified, parsed and handled each event: `handle` prints a line starting with
    // the event's id, and nothing went to the dead-letter store.
    let dead_letters = receiver.dead_letters.path().to_owned();
    let log = receiver.stop();
    let handled: BTreeMap<&str, &str> = log
        .lines()
        .filter_map(|line| line.split_once(": "))
        .collect();
    let ids: BTreeSet<&str> = sent.iter().map(|(_, _, id)| id.as_str()).collect();
    assert_eq!(ids.len(), 33, "every delivery has its own event id");
    assert_eq!(
        handled.keys().copied().collect::<BTreeSet<_>>(),
        ids,
        "{log}"
    );
    // Each event was decoded as its own type: the handler names it (or, for the two types it
    // handles, says what happened to the resource).
    for (event_type, _, id) in &sent {
        let line = handled[id.as_str()];
        let expected = match event_type.as_str() {
            "task_run.completed" => line.starts_with("task run ") && line.ends_with(" completed"),
            "connection.connected" => {
                line.starts_with("connection ") && line.ends_with(" connected")
            }
            other => line == format!("{other} not handled"),
        };
        assert!(expected, "{event_type}: {line}");
    }
    assert_eq!(std::fs::read_dir(&dead_letters).map_or(0, |d| d.count()), 0);
}

#[test]
fn a_wrong_secret_fails_the_run() {
    let receiver = Receiver::start();
    let out = deck_events(
        &[
            "trigger",
            "task_run.completed",
            "connection.connected",
            "--url",
            &receiver.url,
            "--secret",
            OTHER_SECRET,
        ],
        b"",
    );
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let sent = deliveries(&stdout);
    assert_eq!(sent.len(), 2);
    for (_, status, _) in &sent {
        assert_eq!(status, "401 Unauthorized");
    }
    assert!(stderr.contains("error: 2 of 2 deliveries to"), "{stderr}");
    assert!(stderr.contains("is --secret its secret?"), "{stderr}");
    let log = receiver.stop();
    assert!(log.trim().is_empty(), "nothing was handled: {log}");
}

#[test]
fn an_unreachable_url_fails_with_a_clear_message() {
    // A port that was free a moment ago: nothing listens on it.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/webhooks");
    let out = deck_events(
        &["trigger", "--all", "--url", &url, "--secret", SECRET],
        b"",
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("error: 33 of 33 deliveries to {url} failed")),
        "{stderr}"
    );
    assert!(
        stderr.contains("agent.created: could not connect: "),
        "{stderr}"
    );
    assert!(stderr.contains("is the receiver running"), "{stderr}");
    assert!(stderr.contains("32 more not sent"), "{stderr}");
    // One result line: the first delivery, which could not be sent.
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("not sent"), "{stdout}");
}

/// A `--url` that is not a URL and a `--secret` that is not a secret are usage mistakes: exit
/// status 2, as clap's own, for every command that takes them, and nothing is sent.
#[test]
fn a_bad_url_or_secret_is_a_usage_mistake() {
    let url = "http://127.0.0.1:9/webhooks";
    let cases: [&[&str]; 5] = [
        &[
            "trigger",
            "--all",
            "--url",
            "localhost:3000",
            "--secret",
            SECRET,
        ],
        &[
            "trigger",
            "--all",
            "--url",
            url,
            "--secret",
            "whsec_not base64",
        ],
        &["test-receiver", "--url", url, "--secret", "secret"],
        &["sign", "--secret", "secret"],
        &[
            "verify",
            "--secret",
            SECRET,
            "--secret",
            "secret",
            "--id",
            "msg_1",
            "--timestamp",
            "1",
            "--signature",
            "v1,x",
        ],
    ];
    for args in cases {
        let out = deck_events(args, b"{}");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let said = if args.contains(&"localhost:3000") {
            "error: --url `localhost:3000` is not an http:// or https:// URL"
        } else {
            "error: --secret is not a signing secret"
        };
        assert!(stderr.contains(said), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
    }
}

#[test]
fn a_changed_payload_reaches_the_dead_letter_store() {
    let receiver = Receiver::start();
    let out = receiver.trigger(
        "task_run.completed",
        &["data.status={\"code\":7}", "request_id=req_test"],
    );
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "note: after --set, the task_run.completed delivery is no longer a valid event"
        ),
        "{stderr}"
    );
    assert_eq!(deliveries(&text(&out.stdout))[0].1, "202 Accepted");
    let kept = receiver.kept(".body");
    assert_eq!(kept.len(), 1);
    let body: Value = serde_json::from_slice(&std::fs::read(&kept[0]).unwrap()).unwrap();
    assert_eq!(body["data"]["status"], json!({"code": 7}));
    assert_eq!(body["request_id"], "req_test");
    assert_eq!(body["type"], "task_run.completed");
}

#[test]
fn a_dead_letter_names_its_pointer_and_check_reports_it() {
    let receiver = Receiver::start();
    let out = receiver.trigger("task_run.completed", &["data.runtime_ms=oops"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let store = receiver.dead_letters.path().to_owned();
    let metas = receiver.kept(".meta.json");
    assert_eq!(metas.len(), 1);
    let meta: Value = serde_json::from_slice(&std::fs::read(&metas[0]).unwrap()).unwrap();
    assert_eq!(meta["pointer"], "/data/runtime_ms", "{meta}");
    assert_eq!(
        meta["reason"],
        "task_run.completed: /data/runtime_ms: expected an integer, got a string (\"oops\")",
        "{meta}"
    );

    let out = deck_events(
        &["check", "--format", "json", &store.display().to_string()],
        b"",
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["pointer"], "/data/runtime_ms");
    assert_eq!(findings[0]["kind"], "type-mismatch");
    assert_eq!(findings[0]["event_type"], "task_run.completed");
    assert_eq!(findings[0]["first"]["webhook_id"], meta["webhook_id"]);
    assert!(
        findings[0]["first"]["event_id"]
            .as_str()
            .unwrap()
            .starts_with("evt_")
    );
}

/// Runs the reference implementation's script (shared with the signing interop tests).
fn reference(requests: &[Value]) -> Vec<Value> {
    let script = workspace_root().join("signing-tests/interop/reference.py");
    let child = Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = child.unwrap_or_else(|err| {
        panic!(
            "this test needs `python3` with the reference `standardwebhooks` package \
             (`bash .ci/install-python`): {err}"
        )
    });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&serde_json::to_vec(requests).unwrap())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the reference script failed (is `standardwebhooks` installed? `bash .ci/install-python`):\n{}",
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The headers `deck-events sign --format json` prints for `body`.
fn sign(body: &[u8], extra: &[&str]) -> Value {
    let mut args = vec!["sign", "--secret", SECRET, "--format", "json"];
    args.extend_from_slice(extra);
    let out = deck_events(&args, body);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn sign_agrees_with_the_reference_implementation() {
    let example = deck_events(&["example", "task_run.completed"], b"");
    assert!(example.status.success());
    let bodies: Vec<Vec<u8>> = vec![
        example.stdout.clone(),
        example.stdout.trim_ascii_end().to_vec(),
        br#"{"id":"evt_1","type":"future_object.created","data":{"name":"\u00e9 \ud83e\udd80"}}"#
            .to_vec(),
        "{\"text\":\"é ✓ 🦀\"}".as_bytes().to_vec(),
        Vec::new(),
    ];
    let mut requests = Vec::new();
    for body in &bodies {
        let headers = sign(body, &[]);
        let body = text(body);
        for (candidate, expect) in [(body.clone(), true), (format!("{body} "), false)] {
            requests.push((
                json!({
                    "op": "verify",
                    "secret": SECRET,
                    "id": headers["webhook-id"],
                    "timestamp": headers["webhook-timestamp"],
                    "signature": headers["webhook-signature"],
                    "body": candidate,
                }),
                expect,
            ));
        }
    }
    // Given id and timestamp are the ones signed, and a fixed pair gives a fixed signature.
    let fixed = sign(b"{}", &["--id", "msg_fixed", "--timestamp", "1700000000"]);
    assert_eq!(fixed["webhook-id"], "msg_fixed");
    assert_eq!(fixed["webhook-timestamp"], "1700000000");
    let answers = reference(&[json!({"op": "sign", "secret": SECRET, "id": "msg_fixed",
        "timestamp": 1_700_000_000u64, "body": "{}"})]);
    assert_eq!(answers[0]["signature"], fixed["webhook-signature"]);

    let only: Vec<Value> = requests.iter().map(|(r, _)| r.clone()).collect();
    for ((request, expect), answer) in requests.iter().zip(reference(&only)) {
        assert_eq!(
            answer["ok"].as_bool(),
            Some(*expect),
            "reference verification of {request}: {answer}"
        );
    }
}

#[test]
fn verify_accepts_what_the_reference_signs_and_says_why_not() {
    let body = deck_events(&["example", "connection.connected"], b"").stdout;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let answers = reference(&[json!({"op": "sign", "secret": SECRET, "id": "msg_py",
        "timestamp": now, "body": text(&body)})]);
    let signature = answers[0]["signature"].as_str().unwrap().to_owned();
    let timestamp = now.to_string();
    let verify = |secret: &str, body: &[u8]| {
        deck_events(
            &[
                "verify",
                "--secret",
                secret,
                "--id",
                "msg_py",
                "--timestamp",
                &timestamp,
                "--signature",
                &signature,
            ],
            body,
        )
    };

    let out = verify(SECRET, &body);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("verified: the signature matches the body, id and timestamp"),
        "{}",
        text(&out.stdout)
    );

    let out = verify(SECRET, body.trim_ascii_end());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout)
            .starts_with("not verified: it matches the body with a newline at its end"),
        "{}",
        text(&out.stdout)
    );

    let out = verify(OTHER_SECRET, &body);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("either it was signed with another secret"),
        "{}",
        text(&out.stdout)
    );
}

/// A receiver that takes the connection and never answers, then one that hangs up: each
/// delivery fails on its own, and the run goes on to the next one.
#[test]
fn silent_and_hanging_up_receivers_fail_each_delivery() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/webhooks", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let mut held = Vec::new();
        // Two silent connections (held open), then one closed before answering.
        for stream in listener.incoming().take(3) {
            let mut stream = stream.unwrap();
            if held.len() < 2 {
                held.push(stream);
            } else {
                let mut request = [0u8; 512];
                let _ = stream.read(&mut request);
                drop(stream);
            }
        }
        held
    });
    let silent = deck_events(
        &[
            "trigger",
            "agent.created",
            "agent.deleted",
            "--url",
            &url,
            "--secret",
            SECRET,
            "--timeout",
            "0.3",
        ],
        b"",
    );
    let stderr = text(&silent.stderr);
    assert_eq!(silent.status.code(), Some(1), "{stderr}");
    assert_eq!(text(&silent.stdout).lines().count(), 2, "both were tried");
    assert!(
        stderr.contains("all of them: no answer within 300 ms; Deck counts a delivery"),
        "{stderr}"
    );

    let hung_up = deck_events(
        &[
            "trigger",
            "agent.created",
            "--url",
            &url,
            "--secret",
            SECRET,
        ],
        b"",
    );
    let stderr = text(&hung_up.stderr);
    assert_eq!(hung_up.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("agent.created: the connection broke: "),
        "{stderr}"
    );
    drop(server.join().unwrap());
}
