//! Feeds arbitrary headers, bodies and secrets to the verifier: nothing may panic, and nothing
//! verifies unless it carries the signature of exactly its id, timestamp and body.

#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use signing_tests::signing::{Headers, Secret, Signer, Verifier};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fuzz_target!(|data: &[u8]| {
    // Layout: id \n timestamp \n signature \n secret \n body (missing parts are empty).
    let parts: Vec<&[u8]> = data.splitn(5, |&b| b == b'\n').collect();
    let part = |i: usize| parts.get(i).copied().unwrap_or_default();
    let text = |i: usize| String::from_utf8_lossy(part(i)).into_owned();
    let (id, timestamp, signature, secret_text, body) =
        (text(0), text(1), text(2), text(3), part(4));

    let _ = Secret::parse(&secret_text);
    let secret = Secret::parse(SECRET).unwrap();
    let headers = Headers {
        id: &id,
        timestamp: &timestamp,
        signature: &signature,
    };
    let now = UNIX_EPOCH + Duration::from_secs(1_614_265_330);
    if Verifier::new(secret.clone())
        .verify_at(&headers, body, now)
        .is_ok()
    {
        let ts: u64 = timestamp.trim().parse().unwrap();
        let expected = Signer::new(secret).sign(&id, ts, body);
        assert!(signature.contains(expected.trim_end_matches('=')));
    }
});
