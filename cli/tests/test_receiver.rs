//! End to end: `deck-events test-receiver` over real HTTP on 127.0.0.1, against three receivers:
//! the example receiver (`examples/receiver`), which must pass every case; a deliberately fragile
//! receiver written here, which must fail exactly the cases its faults explain; and one that
//! verifies with the reference Standard Webhooks implementation (`standardwebhooks` from PyPI,
//! installed by `.ci/install-python`), which must be graded right on the signature cases.

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use deck_events::EventType;
use serde_json::Value;

mod support;

use support::{OTHER_SECRET, Receiver, SECRET, deck_events, text, workspace_root};

/// Runs `test-receiver` against `url` with `extra` arguments.
fn test_receiver(url: &str, secret: &str, extra: &[&str]) -> Output {
    let mut args = vec!["test-receiver", "--url", url, "--secret", secret];
    args.extend_from_slice(extra);
    deck_events(&args, b"")
}

/// The JSON report of a run, checked to be the whole of standard output.
fn json_report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|err| {
        panic!(
            "the report is not JSON ({err}):\n{}\n{}",
            text(&out.stdout),
            text(&out.stderr)
        )
    })
}

fn cases(report: &Value) -> &Vec<Value> {
    report["cases"].as_array().unwrap()
}

/// The names of the cases with `verdict`.
fn with_verdict(report: &Value, verdict: &str) -> BTreeSet<String> {
    cases(report)
        .iter()
        .filter(|case| case["verdict"] == verdict)
        .map(|case| case["name"].as_str().unwrap().to_owned())
        .collect()
}

fn case<'r>(report: &'r Value, name: &str) -> &'r Value {
    cases(report)
        .iter()
        .find(|case| case["name"] == name)
        .unwrap_or_else(|| panic!("no case {name}"))
}

#[test]
fn the_example_receiver_passes_every_case() {
    let receiver = Receiver::start();
    let out = test_receiver(&receiver.url, SECRET, &["--format", "json"]);
    let report = json_report(&out);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let all: BTreeSet<String> = cases(&report)
        .iter()
        .map(|case| case["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(with_verdict(&report, "pass"), all);
    assert_eq!(report["summary"]["failed"], 0);
    assert_eq!(report["summary"]["cases"], all.len());

    // Every event type, every group, and what each expects.
    for event_type in EventType::ALL {
        assert!(
            all.iter()
                .any(|name| name.starts_with(&format!("types/{event_type}"))),
            "{event_type}"
        );
    }
    for group in [
        "types",
        "forward",
        "signatures",
        "at-least-once",
        "undecodable",
    ] {
        assert!(cases(&report).iter().any(|case| case["group"] == group));
    }
    let signature = case(&report, "signatures/wrong-secret");
    assert_eq!(signature["expected"], "4xx");
    assert_eq!(signature["statuses"], serde_json::json!([401]));
    assert_eq!(
        case(&report, "at-least-once/duplicate")["statuses"],
        serde_json::json!([204, 204])
    );
    let slowest = report["summary"]["slowest"]["time_ms"].as_f64().unwrap();
    assert!(slowest < 5000.0, "{slowest}");

    // The receiver kept the one delivery it could not decode, and recognised the new type.
    let kept: Vec<_> = std::fs::read_dir(receiver.dead_letters.path())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "body"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let undecodable = cases(&report)
        .iter()
        .find(|case| case["group"] == "undecodable")
        .unwrap();
    assert_eq!(undecodable["statuses"], serde_json::json!([202]));
    let log = receiver.stop();
    assert!(
        log.contains("test_receiver_object.created is newer than this build"),
        "{log}"
    );
}

#[test]
fn the_text_report_is_a_table_with_a_summary() {
    let receiver = Receiver::start();
    let out = test_receiver(
        &receiver.url,
        SECRET,
        &["--only", "signatures,at-least-once"],
    );
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("CASE") && lines[0].ends_with("TIME"),
        "{}",
        lines[0]
    );
    for header in ["EXPECTED", "GOT", "VERDICT"] {
        assert!(lines[0].contains(header), "{}", lines[0]);
    }
    let row = lines
        .iter()
        .find(|line| line.starts_with("signatures/stale-timestamp "))
        .unwrap();
    assert!(row.contains("4xx") && row.contains("401 Unauthorized") && row.contains("pass"));
    assert!(
        stdout.contains("note: whether the receiver deduplicates cannot be seen from outside"),
        "{stdout}"
    );
    let summary = lines.last().unwrap();
    assert!(
        summary.starts_with("11 cases: 11 passed, 0 warnings, 0 failed; slowest answer "),
        "{summary}"
    );
    // Progress goes to standard error, never into the report.
    assert!(text(&out.stderr).contains("testing http://127.0.0.1:"));
}

/// A receiver written the way the examples break: a closed list of event types, closed
/// enums and `deny_unknown_fields` in its task run type, no signature check at all, and one
/// handler that takes 6 seconds.
mod fragile {
    use std::net::SocketAddr;
    use std::time::Duration;

    use axum::Router;
    use axum::body::Bytes;
    use axum::http::StatusCode;
    use axum::routing::post;
    use deck_events::EventType;
    use serde::Deserialize;
    use serde_json::Value;

    /// The event type whose handler is slow.
    pub const SLOW_TYPE: &str = "source.deleted";

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Envelope {
        id: String,
        object: String,
        #[serde(rename = "type")]
        event_type: String,
        data: Value,
        created_at: String,
        request_id: Option<String>,
    }

    /// Today's task run, field for field.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct TaskRun {
        id: String,
        object: String,
        status: TaskRunStatus,
        result: Option<TaskRunResult>,
        task_id: Option<String>,
        agent_id: Option<String>,
        source_id: Option<String>,
        workflow_id: Option<String>,
        credential_id: Option<String>,
        session_id: Option<String>,
        runtime_ms: Option<u64>,
        input: Option<Value>,
        output: Option<Value>,
        storage: Option<Value>,
        errors: Option<Value>,
        interaction: Option<Value>,
        artifacts: Option<Value>,
        canceled_at: Option<String>,
        created_at: Option<String>,
        updated_at: Option<String>,
        request_id: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum TaskRunStatus {
        Queued,
        Running,
        Pending,
        InteractionRequired,
        ReviewRequired,
        Canceling,
        Cancelling,
        Completed,
        Failed,
        Canceled,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum TaskRunResult {
        Success,
        Failure,
        Unknown,
    }

    /// The headers are not even read.
    async fn receive(body: Bytes) -> StatusCode {
        let Ok(envelope) = serde_json::from_slice::<Envelope>(&body) else {
            return StatusCode::BAD_REQUEST;
        };
        let event_type: EventType = match envelope.event_type.parse() {
            Ok(event_type) => event_type,
            Err(never) => match never {},
        };
        if event_type.is_unknown() {
            return StatusCode::BAD_REQUEST;
        }
        if event_type.object() == "task_run"
            && serde_json::from_value::<TaskRun>(envelope.data).is_err()
        {
            return StatusCode::BAD_REQUEST;
        }
        if event_type.as_str() == SLOW_TYPE {
            tokio::time::sleep(Duration::from_secs(6)).await;
        }
        StatusCode::NO_CONTENT
    }

    /// The receiver, listening on a free port of 127.0.0.1 until the runtime is dropped.
    pub fn start() -> (tokio::runtime::Runtime, SocketAddr) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route("/webhooks", post(receive));
        runtime.spawn(async move { axum::serve(listener, app).await });
        (runtime, addr)
    }
}

#[test]
fn a_fragile_receiver_fails_exactly_the_cases_its_faults_explain() {
    let (_runtime, addr) = fragile::start();
    let url = format!("http://{addr}/webhooks");
    let out = test_receiver(&url, SECRET, &["--format", "json"]);
    let report = json_report(&out);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));

    let mut expected: BTreeSet<String> = [
        // No signature check: every forgery is taken; the rotation passes by accident.
        "signatures/tampered-body",
        "signatures/wrong-secret",
        "signatures/stale-timestamp",
        "signatures/future-timestamp",
        "signatures/missing-webhook-id",
        "signatures/missing-webhook-timestamp",
        "signatures/missing-webhook-signature",
        "signatures/re-serialized-body",
        // A closed list of event types, and `deny_unknown_fields` on the envelope.
        "forward/unknown-type",
        "forward/unknown-field/envelope",
        // Its task run cannot read a number sent as a string, and says 400.
        "undecodable/task_run.pending/data.runtime_ms-number-to-string",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    // Its task run type: `deny_unknown_fields`, and two closed enums.
    for run in [
        "queued",
        "running",
        "pending",
        "completed",
        "failed",
        "canceled",
        "interaction_required",
    ] {
        expected.insert(format!("forward/unknown-field/task_run.{run}"));
        expected.insert(format!("forward/unknown-enum/task_run.{run}/data.status"));
        expected.insert(format!("forward/unknown-enum/task_run.{run}/data.result"));
    }
    // Every delivery of the slow type is answered late.
    let slow = fragile::SLOW_TYPE;
    for name in [
        format!("types/{slow}"),
        format!("forward/unknown-enum/{slow}/data.type"),
        format!("forward/unknown-field/{slow}"),
        format!("forward/summary/{slow}"),
        format!("forward/optional-absent/{slow}"),
        format!("forward/nullable-null/{slow}"),
    ] {
        expected.insert(name);
    }

    let failed = with_verdict(&report, "fail");
    assert!(
        failed == expected,
        "failed but not expected: {:?}\nexpected but not failed: {:?}",
        failed.difference(&expected).collect::<Vec<_>>(),
        expected.difference(&failed).collect::<Vec<_>>()
    );
    let all = cases(&report).len();
    assert_eq!(with_verdict(&report, "pass").len(), all - expected.len());
    assert_eq!(report["summary"]["failed"], expected.len());

    // Each failure names its likely cause.
    let advice = |name: &str| case(&report, name)["advice"].as_str().unwrap().to_owned();
    assert!(
        advice("forward/unknown-enum/task_run.completed/data.status").starts_with("a closed enum")
    );
    assert!(advice("forward/unknown-field/task_run.failed").contains("deny_unknown_fields"));
    assert!(advice("forward/unknown-type").starts_with("a closed list of event types"));
    // Another secret's signature is taken too: the likely cause is no check at all.
    assert!(
        advice("signatures/re-serialized-body").starts_with("the signature is not checked at all")
    );
    assert!(advice("signatures/tampered-body").starts_with("the signature is not checked at all"));
    assert!(advice("signatures/wrong-secret").contains("the signature is not checked"));
    assert!(
        advice("undecodable/task_run.pending/data.runtime_ms-number-to-string")
            .contains("dead-letter")
    );
    let late = case(&report, &format!("types/{slow}"));
    assert_eq!(late["statuses"], serde_json::json!([204]));
    assert!(late["time_ms"].as_f64().unwrap() >= 6000.0, "{late}");
    assert!(
        late["advice"]
            .as_str()
            .unwrap()
            .starts_with("answered after 6.")
    );
    assert!(report["summary"]["slowest"]["time_ms"].as_f64().unwrap() >= 6000.0);
}

/// A receiver that checks signatures, but over the body its JSON parser writes back (compact, in
/// the same key order, as `JSON.stringify(JSON.parse(body))` does) rather than the bytes received.
fn start_reserializing_receiver() -> (tokio::runtime::Runtime, SocketAddr) {
    use axum::body::Bytes;
    use axum::http::{HeaderMap, StatusCode};
    use deck_events::fixtures::Builder;
    use deck_events::signing::{Secret, Verifier};

    async fn receive(headers: HeaderMap, body: Bytes) -> StatusCode {
        let headers: std::collections::HashMap<String, String> = headers
            .iter()
            .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
            .collect();
        let Ok(parsed) = Builder::from_slice(&body) else {
            return StatusCode::BAD_REQUEST;
        };
        let verifier = Verifier::new(Secret::parse(SECRET).unwrap());
        match verifier.verify(&headers, &parsed.to_vec()) {
            Ok(()) => StatusCode::NO_CONTENT,
            Err(_) => StatusCode::UNAUTHORIZED,
        }
    }

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().route("/webhooks", axum::routing::post(receive));
    runtime.spawn(async move { axum::serve(listener, app).await });
    (runtime, addr)
}

#[test]
fn a_signature_checked_over_a_re_serialized_body_is_caught() {
    let (_runtime, addr) = start_reserializing_receiver();
    let url = format!("http://{addr}/webhooks");
    let out = test_receiver(&url, SECRET, &["--only", "signatures", "--format", "json"]);
    let report = json_report(&out);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        with_verdict(&report, "fail"),
        BTreeSet::from(["signatures/re-serialized-body".to_owned()])
    );
    let advice = case(&report, "signatures/re-serialized-body")["advice"]
        .as_str()
        .unwrap();
    assert!(
        advice.starts_with("the signature is checked over a re-serialized body"),
        "{advice}"
    );
}

/// The receiver of `standard_webhooks_receiver.py`, running with `secret`; killed when dropped.
struct Reference {
    child: Child,
    url: String,
}

impl Reference {
    fn start(secret: &str) -> Reference {
        let script = workspace_root().join("cli/tests/standard_webhooks_receiver.py");
        let mut child = Command::new("python3")
            .arg(&script)
            .env("WEBHOOK_SECRET", secret)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|err| {
                panic!(
                    "this test needs `python3` with the reference `standardwebhooks` package \
                     (`bash .ci/install-python`): {err}"
                )
            });
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let port: u16 = first.trim().parse().unwrap_or_else(|_| {
            panic!(
                "the reference receiver did not start (is `standardwebhooks` installed? \
                 `bash .ci/install-python`): {first:?}"
            )
        });
        Reference {
            child,
            url: format!("http://127.0.0.1:{port}/webhooks"),
        }
    }
}

impl Drop for Reference {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_receiver_on_the_reference_implementation_is_graded_right_on_signatures() {
    let reference = Reference::start(SECRET);
    let out = test_receiver(
        &reference.url,
        SECRET,
        &["--only", "signatures", "--format", "json"],
    );
    let report = json_report(&out);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let names: Vec<&str> = cases(&report)
        .iter()
        .map(|case| case["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 9, "{names:?}");
    assert!(names.iter().all(|name| name.starts_with("signatures/")));
    assert_eq!(with_verdict(&report, "pass").len(), 9);
    for case in cases(&report) {
        let status = if case["name"] == "signatures/rotation" {
            204
        } else {
            401
        };
        assert_eq!(case["statuses"], serde_json::json!([status]), "{case}");
    }

    // The same receiver with another secret: the forgeries are still rejected, and the valid
    // delivery of the rotation now fails, as it should.
    let other = Reference::start(OTHER_SECRET);
    let out = test_receiver(
        &other.url,
        SECRET,
        &["--only", "signatures", "--format", "json"],
    );
    let report = json_report(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        with_verdict(&report, "fail"),
        BTreeSet::from(["signatures/rotation".to_owned()])
    );
    assert!(
        case(&report, "signatures/rotation")["advice"]
            .as_str()
            .unwrap()
            .starts_with("only one signature is checked")
    );
}

#[test]
fn max_bounds_the_deliveries_sent() {
    let receiver = Receiver::start();
    let out = test_receiver(
        &receiver.url,
        SECRET,
        &["--only", "types", "--max", "5", "--format", "json"],
    );
    let report = json_report(&out);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(with_verdict(&report, "pass").len(), 5);
    let not_run = with_verdict(&report, "not-run");
    assert_eq!(not_run.len(), cases(&report).len() - 5);
    assert!(not_run.iter().all(|name| name.starts_with("types/")));
    assert_eq!(
        case(&report, "types/task_run.completed")["got"],
        "not sent (--max)"
    );
    // The receiver handled exactly five events.
    let log = receiver.stop();
    assert_eq!(log.lines().count(), 5, "{log}");

    // A case of two deliveries is not started when one is left.
    let receiver = Receiver::start();
    let out = test_receiver(
        &receiver.url,
        SECRET,
        &["--only", "at-least-once", "--max", "3", "--format", "json"],
    );
    let report = json_report(&out);
    assert_eq!(with_verdict(&report, "pass").len(), 1);
    assert_eq!(with_verdict(&report, "not-run").len(), 1);
    let sent: usize = cases(&report)
        .iter()
        .map(|case| case["statuses"].as_array().unwrap().len())
        .sum();
    assert_eq!(sent, 2);
    // One event, delivered twice: handled once or twice, as the receiver deduplicates or not.
    let handled = receiver.stop().lines().count();
    assert!((1..=2).contains(&handled), "{handled}");
}

#[test]
fn an_unreachable_receiver_stops_the_run() {
    // A port that was free a moment ago: nothing listens on it.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/webhooks");
    let out = test_receiver(&url, SECRET, &["--format", "json"]);
    let report = json_report(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(with_verdict(&report, "fail").len(), 1);
    assert_eq!(
        with_verdict(&report, "not-run").len(),
        cases(&report).len() - 1
    );
    assert!(
        text(&out.stderr).contains(&format!("error: could not connect to {url}")),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn usage_mistakes_exit_2_and_send_nothing() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let url = format!("http://{addr}/webhooks");
    let cases: [(&[&str], &str); 6] = [
        (
            &["--url", "localhost:3000", "--secret", SECRET],
            "is not an http:// or https:// URL",
        ),
        (
            &["--url", "http://", "--secret", SECRET],
            "is not an http:// or https:// URL",
        ),
        (
            &["--url", &url, "--secret", "whsec_not base64!"],
            "--secret is not a signing secret",
        ),
        (
            &["--url", &url, "--secret", SECRET, "--only", "everything"],
            "invalid value 'everything' for '--only <GROUP>'",
        ),
        (&["--url", &url, "--secret", SECRET, "--max", "0"], "--max"),
        (&["--secret", SECRET], "--url <URL>"),
    ];
    for (args, message) in cases {
        let mut all = vec!["test-receiver"];
        all.extend_from_slice(args);
        let out = deck_events(&all, b"");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    std::thread::sleep(Duration::from_millis(50));
    assert!(listener.accept().is_err(), "nothing connected");
}
