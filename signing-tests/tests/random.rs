//! Seeded randomized inputs to the header parser and verifier: nothing panics, and nothing that
//! was not signed verifies.
//!
//! This stands in for a coverage-guided fuzzer in CI (a cargo-fuzz target lives in
//! `signing-tests/fuzz/` for longer local runs). The seed is fixed so a failure reproduces; set
//! `SIGNING_RANDOM_SEED` to explore other inputs.

#![cfg(feature = "signing")]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use signing_tests::signing::{Headers, Secret, Signer, Verifier, VerifyError};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TS: u64 = 1_614_265_330;
const BODY: &[u8] = br#"{"id":"evt_1","type":"connection.connected"}"#;

/// SplitMix64: small, fast, and good enough to spread inputs around.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

fn seed() -> u64 {
    std::env::var("SIGNING_RANDOM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_F0DE)
}

/// Pieces that the parser treats specially, plus some that it should not.
const PIECES: &[&str] = &[
    "v1",
    "v1,",
    "v1a,",
    "v2,",
    ",",
    " ",
    "  ",
    "\t",
    "=",
    "==",
    "+",
    "/",
    "-",
    "_",
    "A",
    "AAAA",
    "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    "0",
    "9",
    "-1",
    ".",
    "ñ",
    "🦀",
    "\u{0}",
    "\u{7f}",
    "\r\n",
    "whsec_",
    "18446744073709551616",
    "1614265330",
];

fn random_text(rng: &mut Rng) -> String {
    let mut out = String::new();
    let len = match rng.below(10) {
        0 => 0,
        1 => 200 + rng.below(2_000),
        _ => rng.below(12),
    };
    for _ in 0..len {
        match rng.below(4) {
            0 => out.push(char::from(rng.below(128) as u8)),
            1 => out.push(char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('\u{fffd}')),
            _ => out.push_str(rng.pick(PIECES)),
        }
    }
    out
}

fn random_body(rng: &mut Rng) -> Vec<u8> {
    let len = match rng.below(8) {
        0 => 0,
        1 => rng.below(10_000),
        _ => rng.below(64),
    };
    (0..len).map(|_| rng.next() as u8).collect()
}

/// Inserts, deletes or replaces a few characters.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=rng.below(3) {
        let at = rng.below(chars.len() + 1);
        let replacement = rng
            .pick(PIECES)
            .chars()
            .next()
            .unwrap_or_else(|| char::from(rng.below(128) as u8));
        match rng.below(3) {
            0 => chars.insert(at, replacement),
            1 if at < chars.len() => {
                chars.remove(at);
            }
            _ if at < chars.len() => chars[at] = replacement,
            _ => chars.push(replacement),
        }
    }
    chars.into_iter().collect()
}

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(TS)
}

#[test]
fn random_headers_and_bodies_never_panic_nor_verify() {
    let mut rng = Rng(seed());
    let verifier = Verifier::new(Secret::parse(SECRET).unwrap());
    for _ in 0..20_000 {
        let id = random_text(&mut rng);
        let timestamp = if rng.below(2) == 0 {
            (TS as i64 + rng.below(1_000) as i64 - 500).to_string()
        } else {
            random_text(&mut rng)
        };
        let signature = random_text(&mut rng);
        let body = random_body(&mut rng);
        let headers = Headers {
            id: &id,
            timestamp: &timestamp,
            signature: &signature,
        };
        let result = verifier.verify_at(&headers, &body, now());
        assert!(
            result.is_err(),
            "random input verified: {id:?} {timestamp:?} {signature:?}"
        );
        // Display of any error works and is short.
        assert!(result.unwrap_err().to_string().len() < 200);
    }
}

#[test]
fn mutated_valid_headers_never_panic_and_verify_only_what_was_signed() {
    let mut rng = Rng(seed() ^ 1);
    let secret = Secret::parse(SECRET).unwrap();
    let verifier = Verifier::new(secret.clone());
    let good = Signer::new(secret).sign(ID, TS, BODY);
    let other = Signer::new(Secret::parse("whsec_b3RoZXI=").unwrap()).sign(ID, TS, BODY);
    let good_ts = TS.to_string();
    let mut verified = 0;
    for _ in 0..20_000 {
        let base_signature = match rng.below(3) {
            0 => good.clone(),
            1 => format!("{other} {good}"),
            _ => format!("{good} v1a,xyz {other}"),
        };
        let (mut id, mut timestamp, mut signature) =
            (ID.to_string(), good_ts.clone(), base_signature);
        let mut body = BODY.to_vec();
        match rng.below(5) {
            0 => id = mutate(&mut rng, &id),
            1 => timestamp = mutate(&mut rng, &timestamp),
            2 => signature = mutate(&mut rng, &signature),
            3 => {
                let at = rng.below(body.len());
                body[at] = rng.next() as u8;
            }
            _ => {
                signature = mutate(&mut rng, &signature);
                timestamp = mutate(&mut rng, &timestamp);
            }
        }
        let headers = Headers {
            id: &id,
            timestamp: &timestamp,
            signature: &signature,
        };
        match verifier.verify_at(&headers, &body, now()) {
            Ok(()) => {
                verified += 1;
                assert_eq!(id, ID);
                assert_eq!(body, BODY);
                assert_eq!(timestamp.trim().parse::<u64>(), Ok(TS), "{timestamp:?}");
                // The good signature survived (its padding is optional).
                assert!(
                    signature.contains(good.trim_end_matches('=')),
                    "{signature:?}"
                );
            }
            Err(
                VerifyError::MissingHeader(_)
                | VerifyError::InvalidTimestamp
                | VerifyError::TimestampTooOld
                | VerifyError::TimestampTooNew
                | VerifyError::MalformedSignatureHeader
                | VerifyError::NoMatchingSignature,
            ) => {}
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }
    // Mutations that leave the signed parts alone still verify, so both outcomes were exercised.
    assert!(verified > 100, "only {verified} mutated inputs verified");
}

#[test]
fn random_secrets_never_panic() {
    let mut rng = Rng(seed() ^ 2);
    for _ in 0..20_000 {
        let text = random_text(&mut rng);
        if let Ok(secret) = Secret::parse(&text) {
            // Whatever parses, signs.
            let signature = Signer::new(secret).sign(ID, TS, BODY);
            assert!(signature.starts_with("v1,"));
        }
    }
}
