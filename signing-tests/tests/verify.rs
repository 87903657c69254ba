//! Signing and verification: round trips, rotation, tolerance, tampering, malformed input.

#![cfg(feature = "signing")]

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use signing_tests::Event;
use signing_tests::signing::{
    DEFAULT_TOLERANCE, Error, HeaderSource, Headers, Secret, Signer, Verifier, VerifyError,
};

/// The example secret of the Standard Webhooks specification.
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// Another valid secret (`new secret after rotation`).
const SECRET_NEW: &str = "whsec_bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg==";
const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TS: u64 = 1_614_265_330;
const BODY: &[u8] = br#"{"id":"evt_1","object":"event","type":"connection.connected","data":{}}"#;

fn secret(text: &str) -> Secret {
    Secret::parse(text).expect("valid secret")
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn sign(secret_text: &str, id: &str, ts: u64, body: &[u8]) -> String {
    Signer::new(secret(secret_text)).sign(id, ts, body)
}

/// Verifies with `SECRET` at time `TS`.
fn check(id: &str, ts: &str, signature: &str, body: &[u8]) -> Result<(), VerifyError> {
    let headers = Headers {
        id,
        timestamp: ts,
        signature,
    };
    Verifier::new(secret(SECRET)).verify_at(&headers, body, at(TS))
}

fn good_signature() -> String {
    sign(SECRET, ID, TS, BODY)
}

#[test]
fn known_answer_from_the_specification() {
    // The example in the Standard Webhooks specification and its reference libraries.
    let signature = sign(SECRET, ID, TS, br#"{"test": 2432232314}"#);
    assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    assert_eq!(
        check(ID, "1614265330", &signature, br#"{"test": 2432232314}"#),
        Ok(())
    );
}

#[test]
fn round_trip() {
    assert_eq!(check(ID, &TS.to_string(), &good_signature(), BODY), Ok(()));
}

#[test]
fn round_trip_against_the_clock() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let signature = sign(SECRET, ID, now, BODY);
    let headers = Headers {
        id: ID,
        timestamp: &now.to_string(),
        signature: &signature,
    };
    assert_eq!(Verifier::new(secret(SECRET)).verify(&headers, BODY), Ok(()));
}

#[test]
fn empty_and_binary_bodies() {
    for body in [&b""[..], &[0, 159, 146, 150, 255][..], "é✓ 🦀".as_bytes()] {
        let signature = sign(SECRET, ID, TS, body);
        assert_eq!(check(ID, &TS.to_string(), &signature, body), Ok(()));
    }
}

#[test]
fn rotation_accepts_old_and_new_secrets() {
    let verifier = Verifier::with_secrets([secret(SECRET), secret(SECRET_NEW)]);
    for signer in [SECRET, SECRET_NEW] {
        let signature = sign(signer, ID, TS, BODY);
        let headers = Headers {
            id: ID,
            timestamp: "1614265330",
            signature: &signature,
        };
        assert_eq!(
            verifier.verify_at(&headers, BODY, at(TS)),
            Ok(()),
            "{signer}"
        );
    }
    let unknown = sign("whsec_dW5rbm93biBzZWNyZXQ=", ID, TS, BODY);
    let headers = Headers {
        id: ID,
        timestamp: "1614265330",
        signature: &unknown,
    };
    assert_eq!(
        verifier.verify_at(&headers, BODY, at(TS)),
        Err(VerifyError::NoMatchingSignature)
    );
}

#[test]
fn rotation_with_both_signatures_in_one_header() {
    // A sender that signs with both secrets during the rotation window.
    let both = format!(
        "{} {}",
        sign(SECRET_NEW, ID, TS, BODY),
        sign(SECRET, ID, TS, BODY)
    );
    assert_eq!(check(ID, "1614265330", &both, BODY), Ok(()));
    let only_new = Verifier::new(secret(SECRET_NEW));
    let headers = Headers {
        id: ID,
        timestamp: "1614265330",
        signature: &both,
    };
    assert_eq!(only_new.verify_at(&headers, BODY, at(TS)), Ok(()));
}

#[test]
fn no_secrets_verifies_nothing() {
    let verifier = Verifier::with_secrets([]);
    let signature = good_signature();
    let headers = Headers {
        id: ID,
        timestamp: "1614265330",
        signature: &signature,
    };
    assert_eq!(
        verifier.verify_at(&headers, BODY, at(TS)),
        Err(VerifyError::NoMatchingSignature)
    );
}

#[test]
fn tolerance_edges_default() {
    let tolerance = DEFAULT_TOLERANCE.as_secs();
    assert_eq!(tolerance, 300);
    let signature = good_signature();
    let headers = Headers {
        id: ID,
        timestamp: "1614265330",
        signature: &signature,
    };
    let verifier = Verifier::new(secret(SECRET));
    // Receiver's clock ahead of the timestamp: the delivery is old.
    assert_eq!(
        verifier.verify_at(&headers, BODY, at(TS + tolerance)),
        Ok(())
    );
    assert_eq!(
        verifier.verify_at(&headers, BODY, at(TS + tolerance + 1)),
        Err(VerifyError::TimestampTooOld)
    );
    // Receiver's clock behind the timestamp: the delivery is from the future.
    assert_eq!(
        verifier.verify_at(&headers, BODY, at(TS - tolerance)),
        Ok(())
    );
    assert_eq!(
        verifier.verify_at(&headers, BODY, at(TS - tolerance - 1)),
        Err(VerifyError::TimestampTooNew)
    );
}

#[test]
fn tolerance_edges_configured() {
    let signature = good_signature();
    let headers = Headers {
        id: ID,
        timestamp: "1614265330",
        signature: &signature,
    };
    let verifier = Verifier::new(secret(SECRET)).tolerance(Duration::from_secs(10));
    assert_eq!(verifier.verify_at(&headers, BODY, at(TS + 10)), Ok(()));
    assert_eq!(verifier.verify_at(&headers, BODY, at(TS - 10)), Ok(()));
    assert_eq!(
        verifier.verify_at(&headers, BODY, at(TS + 11)),
        Err(VerifyError::TimestampTooOld)
    );
    assert_eq!(
        verifier.verify_at(&headers, BODY, at(TS - 11)),
        Err(VerifyError::TimestampTooNew)
    );
    // Zero tolerance: only the exact second.
    let exact = Verifier::new(secret(SECRET)).tolerance(Duration::ZERO);
    assert_eq!(exact.verify_at(&headers, BODY, at(TS)), Ok(()));
    assert_eq!(
        exact.verify_at(&headers, BODY, at(TS + 1)),
        Err(VerifyError::TimestampTooOld)
    );
    // Sub-second parts of the tolerance and of the clock are ignored.
    assert_eq!(
        verifier.verify_at(&headers, BODY, at(TS + 10) + Duration::from_millis(999)),
        Ok(())
    );
    // An enormous tolerance and clocks far from the timestamp do not overflow.
    let lax = Verifier::new(secret(SECRET)).tolerance(Duration::MAX);
    assert_eq!(lax.verify_at(&headers, BODY, UNIX_EPOCH), Ok(()));
    let before_epoch = UNIX_EPOCH - Duration::from_secs(1_000_000);
    assert_eq!(
        verifier.verify_at(&headers, BODY, before_epoch),
        Err(VerifyError::TimestampTooNew)
    );
    let far_future = UNIX_EPOCH + Duration::from_secs(u64::MAX / 4);
    assert_eq!(
        verifier.verify_at(&headers, BODY, far_future),
        Err(VerifyError::TimestampTooOld)
    );
}

#[test]
fn tampered_body() {
    let signature = good_signature();
    let mut body = BODY.to_vec();
    body[10] ^= 1;
    assert_eq!(
        check(ID, "1614265330", &signature, &body),
        Err(VerifyError::NoMatchingSignature)
    );
    let mut longer = BODY.to_vec();
    longer.push(b'\n');
    assert_eq!(
        check(ID, "1614265330", &signature, &longer),
        Err(VerifyError::NoMatchingSignature)
    );
    assert_eq!(
        check(ID, "1614265330", &signature, &BODY[..BODY.len() - 1]),
        Err(VerifyError::NoMatchingSignature)
    );
    // Re-serialized JSON (same value, different bytes) does not verify: verify the raw bytes.
    let reserialized =
        serde_json::to_vec_pretty(&serde_json::from_slice::<serde_json::Value>(BODY).unwrap())
            .unwrap();
    assert_eq!(
        check(ID, "1614265330", &signature, &reserialized),
        Err(VerifyError::NoMatchingSignature)
    );
}

#[test]
fn tampered_id() {
    let signature = good_signature();
    for id in [
        "msg_p5jXN8AQM9LWM0D4loKWxJeK",
        "msg_p5jXN8AQM9LWM0D4loKWxJek ",
        "x",
    ] {
        assert_eq!(
            check(id, "1614265330", &signature, BODY),
            Err(VerifyError::NoMatchingSignature),
            "{id}"
        );
    }
}

#[test]
fn tampered_timestamp() {
    let signature = good_signature();
    // Within the tolerance, but not the signed timestamp.
    for ts in ["1614265331", "1614265329"] {
        assert_eq!(
            check(ID, ts, &signature, BODY),
            Err(VerifyError::NoMatchingSignature),
            "{ts}"
        );
    }
    // Moving the signed content around between id and timestamp does not help.
    let shifted = sign(SECRET, "msg", TS, BODY);
    assert_eq!(
        check("msg.1614265330", "1614265330", &shifted, BODY),
        Err(VerifyError::NoMatchingSignature)
    );
}

#[test]
fn tampered_signature() {
    let good = good_signature();
    let (prefix, b64) = good.split_at(3);
    let mut bytes = b64.as_bytes().to_vec();
    // Flip one character in every position (keeping it base64).
    for i in 0..bytes.len() - 1 {
        let original = bytes[i];
        bytes[i] = if original == b'A' { b'B' } else { b'A' };
        let tampered = format!("{prefix}{}", std::str::from_utf8(&bytes).unwrap());
        assert_eq!(
            check(ID, "1614265330", &tampered, BODY),
            Err(VerifyError::NoMatchingSignature),
            "{tampered}"
        );
        bytes[i] = original;
    }
    // Truncated, extended, and another version label on a good signature.
    let truncated = &good[..good.len() - 4];
    assert_eq!(
        check(ID, "1614265330", truncated, BODY),
        Err(VerifyError::NoMatchingSignature)
    );
    let extended = format!("{}AAAA", &good[..good.len() - 1]);
    assert!(check(ID, "1614265330", &extended, BODY).is_err());
    let relabelled = good.replacen("v1,", "v2,", 1);
    assert_eq!(
        check(ID, "1614265330", &relabelled, BODY),
        Err(VerifyError::NoMatchingSignature)
    );
    let upper = good.replacen("v1,", "V1,", 1);
    assert_eq!(
        check(ID, "1614265330", &upper, BODY),
        Err(VerifyError::NoMatchingSignature)
    );
}

#[test]
fn several_signatures_any_one_suffices() {
    let good = good_signature();
    let wrong = sign(SECRET_NEW, ID, TS, BODY);
    for header in [
        format!("{wrong} {good}"),
        format!("{good} {wrong}"),
        format!("v2,abc {good}"),
        format!("v1a,xyz {good} v1,%%%"),
        format!("garbage {good}"),
        format!("v1,!!! {good}"),
        format!("v1, {good}"),
    ] {
        assert_eq!(check(ID, "1614265330", &header, BODY), Ok(()), "{header}");
    }
    assert_eq!(
        check(ID, "1614265330", &format!("{wrong} v1,AAAA"), BODY),
        Err(VerifyError::NoMatchingSignature)
    );
}

#[test]
fn extra_whitespace_in_the_signature_header() {
    let good = good_signature();
    let wrong = sign(SECRET_NEW, ID, TS, BODY);
    for header in [
        format!(" {good}"),
        format!("{good} "),
        format!("  {wrong}   {good}  "),
        format!("{wrong}\t{good}"),
    ] {
        assert_eq!(check(ID, "1614265330", &header, BODY), Ok(()), "{header:?}");
    }
}

#[test]
fn ten_thousand_signatures() {
    let good = good_signature();
    let wrong = sign(SECRET_NEW, ID, TS, BODY);
    let mut many = vec![wrong.as_str(); 10_000].join(" ");
    assert_eq!(
        check(ID, "1614265330", &many, BODY),
        Err(VerifyError::NoMatchingSignature)
    );
    many.push(' ');
    many.push_str(&good);
    assert_eq!(check(ID, "1614265330", &many, BODY), Ok(()));
    let junk = vec!["v1,***"; 10_000].join(" ");
    assert_eq!(
        check(ID, "1614265330", &junk, BODY),
        Err(VerifyError::MalformedSignatureHeader)
    );
}

#[test]
fn malformed_signature_headers() {
    let good = good_signature();
    let b64 = &good[3..];
    let malformed = [
        "v1".to_string(),
        "v1,".to_string(),
        ",".to_string(),
        format!(",{b64}"),
        b64.to_string(),
        format!("v1;{b64}"),
        format!("v1:{b64}"),
        format!("v1 {b64}"),
        format!("v1,,{b64}"),
        format!("v1,{b64},"),
        format!("v1,{b64},v1"),
        "v1,not base64!".to_string(),
        "v1,====".to_string(),
        "v1,A".to_string(),
        "v1,AAAAA".to_string(),
        format!("v1,{}", b64.replace('+', "-").replace('/', "_")),
        "v1,ñandú".to_string(),
        "v1,ü🦀".to_string(),
        "🦀,🦀".to_string(),
        "\u{0}".to_string(),
        "v1,\u{0}".to_string(),
    ];
    for header in &malformed {
        let result = check(ID, "1614265330", header, BODY);
        assert!(
            matches!(
                result,
                Err(VerifyError::MalformedSignatureHeader | VerifyError::NoMatchingSignature)
            ),
            "{header:?}: {result:?}"
        );
    }
    // The clearly broken ones say so.
    for header in [
        "v1",
        "v1,",
        ",",
        "v1,not base64!",
        "🦀,🦀",
        "no comma at all",
    ] {
        assert_eq!(
            check(ID, "1614265330", header, BODY),
            Err(VerifyError::MalformedSignatureHeader),
            "{header:?}"
        );
    }
    // Only other versions: nothing to check against.
    for header in ["v2,abc", "v1a,abc v0,def", "v1a,AAAA"] {
        assert_eq!(
            check(ID, "1614265330", header, BODY),
            Err(VerifyError::NoMatchingSignature),
            "{header:?}"
        );
    }
}

#[test]
fn padding_is_optional_in_signatures() {
    let good = good_signature();
    let unpadded = good.trim_end_matches('=');
    assert_ne!(unpadded, good);
    assert_eq!(check(ID, "1614265330", unpadded, BODY), Ok(()));
}

#[test]
fn missing_or_empty_headers() {
    let signature = good_signature();
    let ts = "1614265330";
    let verifier = Verifier::new(secret(SECRET));
    let cases: [(&[(&str, &str)], &str); 7] = [
        (
            &[("webhook-timestamp", ts), ("webhook-signature", &signature)],
            "webhook-id",
        ),
        (
            &[("webhook-id", ID), ("webhook-signature", &signature)],
            "webhook-timestamp",
        ),
        (
            &[("webhook-id", ID), ("webhook-timestamp", ts)],
            "webhook-signature",
        ),
        (&[], "webhook-id"),
        (
            &[
                ("webhook-id", ""),
                ("webhook-timestamp", ts),
                ("webhook-signature", &signature),
            ],
            "webhook-id",
        ),
        (
            &[
                ("webhook-id", ID),
                ("webhook-timestamp", " "),
                ("webhook-signature", &signature),
            ],
            "webhook-timestamp",
        ),
        (
            &[
                ("webhook-id", ID),
                ("webhook-timestamp", ts),
                ("webhook-signature", "  "),
            ],
            "webhook-signature",
        ),
    ];
    for (headers, missing) in cases {
        let err = verifier.verify_at(headers, BODY, at(TS)).unwrap_err();
        assert_eq!(err, VerifyError::MissingHeader(missing), "{headers:?}");
        assert!(err.to_string().contains(missing));
    }
}

#[test]
fn invalid_timestamps() {
    let signature = good_signature();
    for ts in [
        "-1",
        "-1614265330",
        "+1614265330",
        "1614265330.0",
        "1614265330.5",
        "1.6e9",
        "0x60379FF2",
        "1614265330s",
        "16142 65330",
        "18446744073709551616",
        "99999999999999999999999999999999999999",
        "١٦١٤٢٦٥٣٣٠",
        "Tue, 25 Feb 2021 15:02:10 GMT",
        "2021-02-25T15:02:10Z",
        "NaN",
        "inf",
        "\u{0}",
    ] {
        assert_eq!(
            check(ID, ts, &signature, BODY),
            Err(VerifyError::InvalidTimestamp),
            "{ts:?}"
        );
    }
    // Fits in u64 but is far from now.
    assert_eq!(
        check(ID, "18446744073709551615", &signature, BODY),
        Err(VerifyError::TimestampTooNew)
    );
    assert_eq!(
        check(ID, "0", &signature, BODY),
        Err(VerifyError::TimestampTooOld)
    );
    // Surrounding whitespace and leading zeros are tolerated; the number is what is signed.
    assert_eq!(check(ID, " 1614265330 ", &signature, BODY), Ok(()));
    assert_eq!(check(ID, "001614265330", &signature, BODY), Ok(()));
}

#[test]
fn timestamp_checked_before_signature() {
    // A stale delivery is reported as stale even when its signature is also wrong.
    assert_eq!(
        check(ID, "1", "v1,AAAA", BODY),
        Err(VerifyError::TimestampTooOld)
    );
}

#[test]
fn huge_and_non_ascii_headers() {
    let huge = "x".repeat(1 << 20);
    let signature = good_signature();
    assert_eq!(
        check(&huge, "1614265330", &signature, BODY),
        Err(VerifyError::NoMatchingSignature)
    );
    assert_eq!(
        check(ID, &huge, &signature, BODY),
        Err(VerifyError::InvalidTimestamp)
    );
    assert_eq!(
        check(ID, "1614265330", &huge, BODY),
        Err(VerifyError::MalformedSignatureHeader)
    );
    let digits = "1".repeat(1 << 16);
    assert_eq!(
        check(ID, &digits, &signature, BODY),
        Err(VerifyError::InvalidTimestamp)
    );
    // A non-ASCII id is signed and verified byte for byte.
    let id = "msg_ñ🦀";
    let signature = sign(SECRET, id, TS, BODY);
    assert_eq!(check(id, "1614265330", &signature, BODY), Ok(()));
}

#[test]
fn secret_parsing() {
    // With and without the prefix, with and without padding: the same key.
    let reference = sign(SECRET_NEW, ID, TS, BODY);
    for text in [
        "whsec_bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg==",
        "whsec_bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg",
        "bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg==",
        "bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg",
    ] {
        assert_eq!(sign(text, ID, TS, BODY), reference, "{text}");
        assert_eq!(text.parse::<Secret>().map(|_| ()), Ok(()));
    }
    let raw = Secret::from_bytes(b"new secret after rotation").unwrap();
    assert_eq!(Signer::new(raw).sign(ID, TS, BODY), reference);

    for bad in [
        "",
        "whsec_",
        "whsec_not base64",
        "whsec_!!!!",
        "whsec_A",
        "whsec_bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg===",
        "whsec_ bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg==",
        "whsec_bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg== ",
        "whsec_bmV3-IHNlY3JldCBhZnRlciByb3RhdGlvbg",
        "WHSEC_bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg==",
        "whsec_ñandú",
        "====",
    ] {
        assert_eq!(
            Secret::parse(bad).map(|_| ()),
            Err(VerifyError::MalformedSecret),
            "{bad}"
        );
    }
    assert_eq!(
        Secret::from_bytes(b"").map(|_| ()),
        Err(VerifyError::MalformedSecret)
    );
}

#[test]
fn debug_and_errors_never_leak_the_secret_or_the_expected_signature() {
    let good = good_signature();
    let expected_b64 = &good[3..];
    let key_b64 = &SECRET["whsec_".len()..];
    let verifier = Verifier::with_secrets([secret(SECRET), secret(SECRET_NEW)]);
    let mut texts = vec![
        format!("{:?}", secret(SECRET)),
        format!("{verifier:?}"),
        format!("{:?}", Signer::new(secret(SECRET))),
    ];
    let headers_cases = [
        ("", "1614265330", "v1,AAAA"),
        (ID, "nope", "v1,AAAA"),
        (ID, "1", "v1,AAAA"),
        (ID, "9999999999", "v1,AAAA"),
        (ID, "1614265330", "v1,AAAA"),
        (ID, "1614265330", "garbage"),
    ];
    for (id, timestamp, signature) in headers_cases {
        let headers = Headers {
            id,
            timestamp,
            signature,
        };
        let err = verifier.verify_at(&headers, BODY, at(TS)).unwrap_err();
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
        let err = Error::Verify(err);
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    for bad in [
        "whsec_!!!!",
        "whsec_",
        SECRET_NEW.replace('=', "!").as_str(),
    ] {
        let err = Secret::parse(bad).unwrap_err();
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    for text in &texts {
        for secret_part in [key_b64, "bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg", expected_b64] {
            assert!(!text.contains(secret_part), "{text:?} leaks {secret_part}");
        }
        assert!(!text.contains("new secret"), "{text:?}");
    }
    assert_eq!(format!("{:?}", secret(SECRET)), "Secret(..)");
}

#[test]
fn error_messages_say_what_failed() {
    let cases = [
        (VerifyError::MissingHeader("webhook-id"), "webhook-id"),
        (VerifyError::InvalidTimestamp, "webhook-timestamp"),
        (VerifyError::TimestampTooOld, "too old"),
        (VerifyError::TimestampTooNew, "future"),
        (VerifyError::MalformedSignatureHeader, "malformed"),
        (VerifyError::NoMatchingSignature, "no `v1` signature"),
        (VerifyError::MalformedSecret, "secret"),
    ];
    for (err, needle) in cases {
        assert!(err.to_string().contains(needle), "{err}");
        let _: &dyn std::error::Error = &err;
    }
    let err = Error::from(VerifyError::TimestampTooOld);
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn verify_and_parse_parses_only_verified_bodies() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let ts = now.to_string();
    let signature = sign(SECRET, ID, now, BODY);
    let verifier = Verifier::new(secret(SECRET));
    let headers = Headers {
        id: ID,
        timestamp: &ts,
        signature: &signature,
    };
    let event: Event = verifier.verify_and_parse(&headers, BODY).unwrap();
    assert_eq!(event.id, "evt_1");
    assert_eq!(event.event_type, "connection.connected");

    // Verified but not an event.
    let not_event = b"[1, 2]";
    let signature = sign(SECRET, ID, now, not_event);
    let headers = Headers {
        id: ID,
        timestamp: &ts,
        signature: &signature,
    };
    assert!(matches!(
        verifier.verify_and_parse(&headers, not_event),
        Err(Error::Parse(_))
    ));

    // A valid event that does not verify is not parsed.
    let headers = Headers {
        id: ID,
        timestamp: &ts,
        signature: "v1,AAAA",
    };
    assert!(matches!(
        verifier.verify_and_parse(&headers, BODY),
        Err(Error::Verify(VerifyError::NoMatchingSignature))
    ));
}

#[test]
fn verify_then_parse_as_separate_steps() {
    let signature = good_signature();
    let headers = Headers {
        id: ID,
        timestamp: "1614265330",
        signature: &signature,
    };
    Verifier::new(secret(SECRET))
        .verify_at(&headers, BODY, at(TS))
        .unwrap();
    let event: Event = serde_json::from_slice(BODY).unwrap();
    assert_eq!(event.id, "evt_1");
}

#[test]
fn header_sources_match_names_case_insensitively() {
    let signature = good_signature();
    let verifier = Verifier::new(secret(SECRET));
    let ts = "1614265330";

    let hash: HashMap<String, String> = [
        ("Webhook-Id", ID),
        ("WEBHOOK-TIMESTAMP", ts),
        ("webhook-signature", signature.as_str()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(verifier.verify_at(&hash, BODY, at(TS)), Ok(()));

    let hash_str: HashMap<&str, &str> = HashMap::from([
        ("webhook-id", ID),
        ("webhook-timestamp", ts),
        ("Webhook-Signature", &signature),
    ]);
    assert_eq!(verifier.verify_at(&hash_str, BODY, at(TS)), Ok(()));

    let btree: BTreeMap<String, String> = hash.clone().into_iter().collect();
    assert_eq!(verifier.verify_at(&btree, BODY, at(TS)), Ok(()));

    let pairs = [
        ("WEBHOOK-ID", ID),
        ("Webhook-Timestamp", ts),
        ("webhook-SIGNATURE", &signature),
    ];
    assert_eq!(verifier.verify_at(&pairs, BODY, at(TS)), Ok(()));
    assert_eq!(verifier.verify_at(&pairs[..], BODY, at(TS)), Ok(()));
    let owned: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(verifier.verify_at(owned.as_slice(), BODY, at(TS)), Ok(()));

    let plain = Headers {
        id: ID,
        timestamp: ts,
        signature: &signature,
    };
    assert_eq!(plain.header("WEBHOOK-ID"), Some(ID));
    assert_eq!(plain.header("content-type"), None);
    assert_eq!(verifier.verify_at(&&plain, BODY, at(TS)), Ok(()));

    // An exact match wins over a differently cased duplicate.
    let dup: HashMap<&str, &str> = HashMap::from([("webhook-id", ID), ("WEBHOOK-ID", "other")]);
    assert_eq!(dup.header("webhook-id"), Some(ID));
}

#[cfg(feature = "http")]
#[test]
fn http_header_map() {
    use http::{HeaderMap, HeaderValue};

    let signature = good_signature();
    let mut map = HeaderMap::new();
    map.insert("Webhook-Id", HeaderValue::from_static(ID));
    map.insert("webhook-timestamp", HeaderValue::from_static("1614265330"));
    map.insert(
        "WEBHOOK-SIGNATURE",
        HeaderValue::from_str(&signature).unwrap(),
    );
    map.insert("content-type", HeaderValue::from_static("application/json"));
    let verifier = Verifier::new(secret(SECRET));
    assert_eq!(verifier.verify_at(&map, BODY, at(TS)), Ok(()));
    assert_eq!(map.header("Webhook-Signature"), Some(signature.as_str()));

    // Non-UTF-8 bytes in a header value count as absent; UTF-8 beyond ASCII is passed through.
    map.insert("webhook-id", HeaderValue::from_bytes(b"msg_\xff").unwrap());
    assert_eq!(
        verifier.verify_at(&map, BODY, at(TS)),
        Err(VerifyError::MissingHeader("webhook-id"))
    );
    map.insert(
        "webhook-id",
        HeaderValue::from_bytes("msg_ñ".as_bytes()).unwrap(),
    );
    assert_eq!(map.header("webhook-id"), Some("msg_ñ"));
    assert_eq!(
        verifier.verify_at(&map, BODY, at(TS)),
        Err(VerifyError::NoMatchingSignature)
    );
    map.remove("webhook-signature");
    assert_eq!(
        verifier.verify_at(&map, BODY, at(TS)),
        Err(VerifyError::MissingHeader("webhook-signature"))
    );
}
