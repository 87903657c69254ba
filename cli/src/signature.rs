//! `deck-events sign` and `deck-events verify`: Standard Webhooks signatures by hand, to debug a
//! receiver written in any language.

use std::io::{IsTerminal as _, Read as _};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::delivery::{message_id, parse_secret, unix_now};
use crate::style::{self, BAD, OK};
use crate::{Failure, HeaderFormat, SignArgs, Stop, Usage, VerifyArgs};
use deck_events::signing::{
    DEFAULT_TOLERANCE, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, Headers, Secret, Signer,
    Verifier, VerifyError,
};

/// `sign --format json`, keys in the order a delivery sends them.
#[derive(serde::Serialize)]
struct SignedHeaders<'a> {
    #[serde(rename = "webhook-id")]
    id: &'a str,
    #[serde(rename = "webhook-timestamp")]
    timestamp: String,
    #[serde(rename = "webhook-signature")]
    signature: &'a str,
}

/// `deck-events sign`.
pub fn sign(args: SignArgs) -> Result<(), Stop> {
    let secret = parse_secret(&args.secret.secret)?;
    let id = match args.id {
        Some(id) if id.is_empty() || id.chars().any(char::is_control) => {
            return Err("--id must be a non-empty header value, without control characters".into());
        }
        Some(id) => id,
        None => message_id(),
    };
    let timestamp = args.timestamp.unwrap_or_else(unix_now);
    let body = read_body(args.file.as_deref())?;
    if body.ends_with(b"\n") {
        style::note(
            "the body ends with a newline, and it is signed too: send the body byte for byte \
             (curl --data-binary @FILE, not -d)",
        );
    }
    let signature = Signer::new(secret).sign(&id, timestamp, &body);
    let text = match args.format {
        HeaderFormat::Headers => format!(
            "{HEADER_ID}: {id}\n{HEADER_TIMESTAMP}: {timestamp}\n{HEADER_SIGNATURE}: {signature}"
        ),
        HeaderFormat::Json => serde_json::to_string_pretty(&SignedHeaders {
            id: &id,
            timestamp: timestamp.to_string(),
            signature: &signature,
        })
        .expect("strings serialize"),
    };
    Ok(style::result(&text)?)
}

/// `deck-events verify`: `Ok(true)` when the delivery verifies. The verdict and the reason go to
/// standard output, as the command's result.
pub fn verify(args: VerifyArgs) -> Result<bool, Stop> {
    let secrets = args
        .secret
        .iter()
        .map(|text| parse_secret(text))
        .collect::<Result<Vec<Secret>, Usage>>()?;
    let body = read_body(args.file.as_deref())?;
    let headers = Headers {
        id: &args.id,
        timestamp: &args.timestamp,
        signature: &args.signature,
    };
    let verdict = check(
        &secrets,
        &headers,
        &body,
        args.ignore_timestamp,
        SystemTime::now(),
    );
    let (verified, text) = match &verdict {
        Ok(text) => (
            true,
            format!("{}: {text}", style::paint(OK.bold(), "verified")),
        ),
        Err(text) => (
            false,
            format!("{}: {text}", style::paint(BAD.bold(), "not verified")),
        ),
    };
    style::result(&text)?;
    Ok(verified)
}

/// The verdict on a delivery, in words: `Ok` when it verifies.
fn check(
    secrets: &[Secret],
    headers: &Headers<'_>,
    body: &[u8],
    ignore_timestamp: bool,
    now: SystemTime,
) -> Result<String, String> {
    // The signature first, as of the delivery's own time, so the answer about it does not depend
    // on how old the delivery is; then its age, as a receiver would check it.
    let signed_at = match headers.timestamp.parse::<u64>() {
        Ok(seconds) => UNIX_EPOCH + Duration::from_secs(seconds),
        Err(_) => {
            return Err(format!(
                "the timestamp `{}` is not a whole number of seconds since the Unix epoch; give \
                 the `{HEADER_TIMESTAMP}` header as received",
                headers.timestamp
            ));
        }
    };
    let matching = secrets.iter().position(|secret| {
        Verifier::new(secret.clone())
            .verify_at(headers, body, signed_at)
            .is_ok()
    });
    let verifier = Verifier::with_secrets(secrets.iter().cloned());
    let Some(matching) = matching else {
        let err = verifier
            .verify_at(headers, body, signed_at)
            .expect_err("no secret matches");
        return Err(mismatch(
            err,
            &verifier,
            secrets.len(),
            headers,
            body,
            signed_at,
        ));
    };
    let which = if secrets.len() > 1 {
        format!(" (secret {} of {})", matching + 1, secrets.len())
    } else {
        String::new()
    };
    let age = describe_age(signed_at, now);
    if ignore_timestamp {
        return Ok(format!(
            "the signature matches the body, id and timestamp{which}; signed {age} (not checked)"
        ));
    }
    match verifier.verify_at(headers, body, now) {
        Ok(()) => Ok(format!(
            "the signature matches the body, id and timestamp{which}; signed {age}"
        )),
        Err(VerifyError::TimestampTooOld | VerifyError::TimestampTooNew) => Err(format!(
            "the signature matches{which}, but the delivery was signed {age}: a receiver rejects \
             a delivery more than {} minutes from its clock, against replays (is a clock wrong, \
             or was it captured earlier? --ignore-timestamp checks the signature only)",
            DEFAULT_TOLERANCE.as_secs() / 60
        )),
        Err(other) => Err(other.to_string()),
    }
}

/// Why no signature matched, with the likeliest cause.
fn mismatch(
    err: VerifyError,
    verifier: &Verifier,
    secret_count: usize,
    headers: &Headers<'_>,
    body: &[u8],
    signed_at: SystemTime,
) -> String {
    match err {
        VerifyError::MalformedSignatureHeader => format!(
            "the signature holds no `v1,<base64>` entry; give the whole `{HEADER_SIGNATURE}` \
             header as received"
        ),
        VerifyError::MissingHeader(name) => format!("the `{name}` header is empty"),
        VerifyError::NoMatchingSignature => {
            // The commonest accident: a newline added or lost on the way to the file.
            let matches =
                |candidate: &[u8]| verifier.verify_at(headers, candidate, signed_at).is_ok();
            let trimmed = body.trim_ascii_end();
            if trimmed.len() < body.len() && matches(trimmed) {
                return "it matches the body without the whitespace at its end: the body was \
                        changed after it was received (an editor or `echo` adds a newline); \
                        verify the bytes exactly as received"
                    .to_owned();
            }
            if matches(&[body, b"\n"].concat()) {
                return "it matches the body with a newline at its end: the body lost its last \
                        byte after it was received; verify the bytes exactly as received"
                    .to_owned();
            }
            let secret = if secret_count == 1 {
                "the secret"
            } else {
                "any of the secrets"
            };
            format!(
                "no signature in the header matches this body ({} bytes), id and timestamp with \
                 {secret}: either it was signed with another secret, or the body, id or \
                 timestamp is not exactly what was received",
                body.len()
            )
        }
        other => other.to_string(),
    }
}

/// "3 s ago", "2 h 5 min ago", "40 s in the future".
fn describe_age(signed_at: SystemTime, now: SystemTime) -> String {
    let (span, direction) = match now.duration_since(signed_at) {
        Ok(age) => (age, "ago"),
        Err(ahead) => (ahead.duration(), "in the future"),
    };
    let seconds = span.as_secs();
    let text = match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min {} s", seconds / 60, seconds % 60),
        3600..86400 => format!("{} h {} min", seconds / 3600, seconds % 3600 / 60),
        _ => format!("{} days {} h", seconds / 86400, seconds % 86400 / 3600),
    };
    format!("{text} {direction}")
}

/// The body from a file, or from standard input for `None` and `-`.
fn read_body(file: Option<&Path>) -> Result<Vec<u8>, Failure> {
    match file {
        Some(path) if path != Path::new("-") => std::fs::read(path)
            .map_err(|err| Failure(format!("could not read {}: {err}", path.display()))),
        _ => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                return Err(
                    "give the body as a file argument or on standard input (`< body.json`)".into(),
                );
            }
            let mut body = Vec::new();
            stdin
                .lock()
                .read_to_end(&mut body)
                .map_err(|err| Failure(format!("could not read standard input: {err}")))?;
            Ok(body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const OTHER: &str = "whsec_3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4=";
    const SIGNED_AT: u64 = 1_736_933_400;

    fn secret(text: &str) -> Secret {
        Secret::parse(text).unwrap()
    }

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    /// The verdict on `body` signed with SECRET at SIGNED_AT, checked at `now`.
    fn verdict(
        secrets: &[&str],
        signed: &[u8],
        body: &[u8],
        now: u64,
        ignore: bool,
    ) -> Result<String, String> {
        let signature = Signer::new(secret(SECRET)).sign("msg_1", SIGNED_AT, signed);
        let timestamp = SIGNED_AT.to_string();
        let headers = Headers {
            id: "msg_1",
            timestamp: &timestamp,
            signature: &signature,
        };
        let secrets: Vec<Secret> = secrets.iter().map(|s| secret(s)).collect();
        check(&secrets, &headers, body, ignore, at(now))
    }

    #[test]
    fn a_fresh_delivery_verifies() {
        let ok = verdict(&[SECRET], b"{}", b"{}", SIGNED_AT + 3, false).unwrap();
        assert_eq!(
            ok,
            "the signature matches the body, id and timestamp; signed 3 s ago"
        );
        let rotated = verdict(&[OTHER, SECRET], b"{}", b"{}", SIGNED_AT, false).unwrap();
        assert!(rotated.contains("(secret 2 of 2)"), "{rotated}");
    }

    #[test]
    fn an_old_delivery_matches_but_does_not_verify() {
        let old = verdict(&[SECRET], b"{}", b"{}", SIGNED_AT + 7500, false).unwrap_err();
        assert!(
            old.starts_with("the signature matches, but the delivery was signed 2 h 5 min ago"),
            "{old}"
        );
        assert!(old.contains("--ignore-timestamp"));
        let ahead = verdict(&[SECRET], b"{}", b"{}", SIGNED_AT - 400, false).unwrap_err();
        assert!(ahead.contains("signed 6 min 40 s in the future"), "{ahead}");
        let ignored = verdict(&[SECRET], b"{}", b"{}", SIGNED_AT + 7500, true).unwrap();
        assert!(
            ignored.ends_with("signed 2 h 5 min ago (not checked)"),
            "{ignored}"
        );
    }

    #[test]
    fn a_changed_body_or_another_secret_does_not_verify() {
        let changed = verdict(&[SECRET], b"{}", b"{ }", SIGNED_AT, false).unwrap_err();
        assert!(
            changed.starts_with("no signature in the header matches this body (3 bytes)"),
            "{changed}"
        );
        let other = verdict(&[OTHER], b"{}", b"{}", SIGNED_AT, false).unwrap_err();
        assert!(
            other.contains("with the secret: either it was signed with another secret"),
            "{other}"
        );
        let newline = verdict(&[SECRET], b"{}", b"{}\n", SIGNED_AT, false).unwrap_err();
        assert!(
            newline.starts_with("it matches the body without the whitespace at its end"),
            "{newline}"
        );
        let lost = verdict(&[SECRET], b"{}\n", b"{}", SIGNED_AT, false).unwrap_err();
        assert!(
            lost.starts_with("it matches the body with a newline at its end"),
            "{lost}"
        );
    }

    #[test]
    fn broken_headers_say_which() {
        let secrets = [secret(SECRET)];
        let headers = |timestamp, signature| Headers {
            id: "msg_1",
            timestamp,
            signature,
        };
        let now = at(SIGNED_AT);
        let err = check(
            &secrets,
            &headers("yesterday", "v1,AAAA"),
            b"{}",
            false,
            now,
        )
        .unwrap_err();
        assert!(
            err.starts_with("the timestamp `yesterday` is not a whole number"),
            "{err}"
        );
        let err = check(
            &secrets,
            &headers("1736933400", "K5oZfz"),
            b"{}",
            false,
            now,
        )
        .unwrap_err();
        assert!(
            err.starts_with("the signature holds no `v1,<base64>` entry"),
            "{err}"
        );
    }
}
