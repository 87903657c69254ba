//! Interoperability with the reference Standard Webhooks implementation, the `standardwebhooks`
//! package from PyPI (installed by `.ci/install-python`): it signs and we verify; we sign and it
//! verifies. Driven through `interop/reference.py`, one Python process for all cases.
//!
//! The test fails, rather than skips, when Python or the package is missing.

#![cfg(feature = "signing")]

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use signing_tests::signing::{Headers, Secret, Signer, Verifier, VerifyError};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/interop/reference.py");

const SECRETS: &[&str] = &[
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    // Without the prefix, as the reference libraries accept.
    "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    // 35 bytes, padded, with `+` in the base64.
    "whsec_3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4=",
    // One byte.
    "whsec_Kg==",
    // Longer than the SHA-256 block (hashed before use by HMAC).
    "whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB",
];

fn bodies() -> Vec<String> {
    vec![
        String::new(),
        r#"{"test": 2432232314}"#.to_string(),
        r#"{"id":"evt_1","object":"event","type":"connection.connected","data":{"id":"conn_1"},"created_at":"2025-01-15T09:30:00Z"}"#.to_string(),
        "{\n  \"pretty\": true,\n  \"text\": \"é ✓ 🦀 \\u0000\"\n}\n".to_string(),
        format!("{{\"big\":\"{}\"}}", "x".repeat(100_000)),
    ]
}

const IDS: &[&str] = &["msg_p5jXN8AQM9LWM0D4loKWxJek", "msg_2", "id.with.dots", "ñ"];

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

fn secret(text: &str) -> Secret {
    Secret::parse(text).expect("valid secret")
}

/// Panics with instructions when the reference package cannot be imported.
fn require_reference() {
    let probe = Command::new("python3")
        .args(["-c", "import standardwebhooks"])
        .output();
    match probe {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "the interop test needs the reference `standardwebhooks` Python package, and \
             `python3 -c 'import standardwebhooks'` failed; install it with \
             `bash .ci/install-python`.\n{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(err) => panic!(
            "the interop test needs `python3` with the reference `standardwebhooks` package \
             (`bash .ci/install-python`), and python3 could not be run: {err}"
        ),
    }
}

/// Runs the reference script on `requests` and returns its answers.
fn reference(requests: &[Value]) -> Vec<Value> {
    require_reference();
    let mut child = Command::new("python3")
        .arg(SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start python3");
    let input = serde_json::to_vec(requests).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("run the reference script");
    writer
        .join()
        .unwrap()
        .expect("write to the reference script");
    assert!(
        out.status.success(),
        "the reference script failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON answers");
    assert_eq!(answers.len(), requests.len());
    answers
}

#[test]
fn reference_signs_rust_verifies() {
    let ts = now();
    let mut cases = Vec::new();
    for secret_text in SECRETS {
        for body in bodies() {
            for id in IDS {
                cases.push((*secret_text, *id, body.clone()));
            }
        }
    }
    let requests: Vec<Value> = cases
        .iter()
        .map(|(secret, id, body)| {
            json!({"op": "sign", "secret": secret, "id": id, "timestamp": ts, "body": body})
        })
        .collect();
    let answers = reference(&requests);
    let timestamp = ts.to_string();
    for ((secret_text, id, body), answer) in cases.iter().zip(&answers) {
        let signature = answer["signature"].as_str().expect("a signature");
        let headers = Headers {
            id,
            timestamp: &timestamp,
            signature,
        };
        let verifier = Verifier::new(secret(secret_text));
        assert_eq!(
            verifier.verify(&headers, body.as_bytes()),
            Ok(()),
            "reference signature did not verify: secret {secret_text}, id {id}, body {} bytes",
            body.len()
        );
        // Our signer agrees byte for byte.
        assert_eq!(
            Signer::new(secret(secret_text)).sign(id, ts, body.as_bytes()),
            signature
        );
        // And a tampered body is rejected.
        let tampered = format!("{body} ");
        assert_eq!(
            verifier.verify(&headers, tampered.as_bytes()),
            Err(VerifyError::NoMatchingSignature)
        );
    }
}

#[test]
fn rust_signs_reference_verifies() {
    let ts = now();
    let timestamp = ts.to_string();
    let mut requests = Vec::new();
    let mut expect_ok = Vec::new();
    for secret_text in SECRETS {
        let signer = Signer::new(secret(secret_text));
        for body in bodies() {
            for id in IDS {
                let signature = signer.sign(id, ts, body.as_bytes());
                requests.push(json!({"op": "verify", "secret": secret_text, "id": id,
                    "timestamp": timestamp, "signature": signature, "body": body}));
                expect_ok.push(true);
                // Negative controls, so a reference that accepts everything would fail here.
                requests.push(json!({"op": "verify", "secret": secret_text, "id": id,
                    "timestamp": timestamp, "signature": signature, "body": format!("{body}x")}));
                expect_ok.push(false);
                requests.push(
                    json!({"op": "verify", "secret": secret_text, "id": format!("{id}x"),
                    "timestamp": timestamp, "signature": signature, "body": body}),
                );
                expect_ok.push(false);
            }
        }
    }
    // Several signatures in one header, the valid one last (a rotation in progress).
    let old = Signer::new(secret(SECRETS[0])).sign("msg_rot", ts, b"{}");
    let new = Signer::new(secret(SECRETS[2])).sign("msg_rot", ts, b"{}");
    requests.push(
        json!({"op": "verify", "secret": SECRETS[2], "id": "msg_rot",
        "timestamp": timestamp, "signature": format!("{old} {new}"), "body": "{}"}),
    );
    expect_ok.push(true);

    let answers = reference(&requests);
    for ((request, answer), ok) in requests.iter().zip(&answers).zip(expect_ok) {
        assert_eq!(
            answer["ok"].as_bool(),
            Some(ok),
            "reference verification of a Rust signature: {answer} for id {} with secret {}",
            request["id"],
            request["secret"]
        );
    }
}

#[test]
fn rotation_across_implementations() {
    let ts = now();
    let timestamp = ts.to_string();
    let requests: Vec<Value> = SECRETS[..3]
        .iter()
        .map(|s| json!({"op": "sign", "secret": s, "id": "msg_rot", "timestamp": ts, "body": "{}"}))
        .collect();
    let answers = reference(&requests);
    let verifier = Verifier::with_secrets([secret(SECRETS[0]), secret(SECRETS[2])]);
    let results: Vec<Result<(), VerifyError>> = answers
        .iter()
        .map(|answer| {
            let headers = Headers {
                id: "msg_rot",
                timestamp: &timestamp,
                signature: answer["signature"].as_str().unwrap(),
            };
            verifier.verify(&headers, b"{}")
        })
        .collect();
    // SECRETS[1] is SECRETS[0] without the prefix: the same key.
    assert_eq!(results, [Ok(()), Ok(()), Ok(())]);
    let stranger = Verifier::new(secret("whsec_Kg=="));
    let headers = Headers {
        id: "msg_rot",
        timestamp: &timestamp,
        signature: answers[0]["signature"].as_str().unwrap(),
    };
    assert_eq!(
        stranger.verify(&headers, b"{}"),
        Err(VerifyError::NoMatchingSignature)
    );
}
