//! Deliveries as Deck sends them: the HTTP client, the three Standard Webhooks headers, and what
//! became of a POST. `trigger` and `test-receiver` both send through here.

use std::io::{ErrorKind, Read as _};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use deck_events::EventId;
use deck_events::signing::{HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, Secret, Signer};

use crate::Usage;

/// How long Deck waits for an answer. `package.delivery` says "Respond with a `2xx` status within
/// 5 seconds. Any other response, or none in time, counts as a failure"; the crate does not carry
/// the figure, so it is written here once.
pub const DECK_TIMEOUT: Duration = Duration::from_secs(5);

/// How much of an answer's body is kept, to quote it in a message.
pub const QUOTED_BODY: usize = 300;

/// What became of one delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver answered.
    Answered {
        status: u16,
        /// The status code and its reason phrase, as `404 Not Found`; the code alone when the
        /// status has no standard reason.
        status_line: String,
        /// The start of the answer's body, at most [`QUOTED_BODY`] + 1 bytes of it.
        body: String,
    },
    /// No answer within the timeout.
    TimedOut,
    /// It could not be sent at all: no connection (refused, no such host, TLS failed). The
    /// deliveries after it would fail the same way, so they are not tried.
    Unreachable(String),
    /// The connection broke while sending or reading the answer.
    Broken(String),
}

/// The HTTP client, as a webhook sender: no redirects followed, every status an answer, and no
/// answer after `timeout` (connecting, sending and reading together).
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        // A webhook sender does not follow redirects: a 3xx is an answer, and not a 2xx.
        .max_redirects(0)
        .user_agent(format!("deck-events-cli/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// The three headers of a delivery of `body`, signed now under a fresh `webhook-id`.
pub fn signed_headers(signer: &Signer, body: &[u8]) -> Vec<(&'static str, String)> {
    let msg_id = message_id();
    let timestamp = unix_now();
    let signature = signer.sign(&msg_id, timestamp, body);
    headers(msg_id, timestamp, signature)
}

/// The three Standard Webhooks headers, in the order Deck sends them.
pub fn headers(msg_id: String, timestamp: u64, signature: String) -> Vec<(&'static str, String)> {
    vec![
        (HEADER_ID, msg_id),
        (HEADER_TIMESTAMP, timestamp.to_string()),
        (HEADER_SIGNATURE, signature),
    ]
}

/// POSTs `body` as JSON with `headers`, and says what became of it.
pub fn post(
    agent: &ureq::Agent,
    url: &str,
    headers: &[(&'static str, String)],
    body: &[u8],
) -> Outcome {
    let mut request = agent.post(url);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let result = request.content_type("application/json").send(body);
    match result {
        Ok(mut response) => {
            let status = response.status();
            let reason = status.canonical_reason().unwrap_or("");
            let status_line = format!("{} {reason}", status.as_u16())
                .trim_end()
                .to_owned();
            let mut body = Vec::new();
            // Only the start is quoted; a read error just leaves less of it.
            let _ = response
                .body_mut()
                .as_reader()
                .take(QUOTED_BODY as u64 + 1)
                .read_to_end(&mut body);
            Outcome::Answered {
                status: status.as_u16(),
                status_line,
                body: String::from_utf8_lossy(&body).into_owned(),
            }
        }
        Err(ureq::Error::Timeout(_)) => Outcome::TimedOut,
        Err(err) if unreachable(&err) => Outcome::Unreachable(describe(&err)),
        Err(err) => Outcome::Broken(describe(&err)),
    }
}

/// Errors that mean no connection was made.
fn unreachable(err: &ureq::Error) -> bool {
    match err {
        ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::BadUri(_)
        | ureq::Error::Tls(_)
        | ureq::Error::Rustls(_)
        | ureq::Error::Pem(_)
        | ureq::Error::TlsRequired
        | ureq::Error::InvalidProxyUrl
        | ureq::Error::ConnectProxyFailed(_) => true,
        ureq::Error::Io(io) => {
            matches!(
                io.kind(),
                ErrorKind::ConnectionRefused
                    | ErrorKind::AddrNotAvailable
                    | ErrorKind::NetworkUnreachable
                    | ErrorKind::HostUnreachable
                    | ErrorKind::PermissionDenied
            )
            // A name that does not resolve: the standard library reports it with this message
            // and a kind that cannot be matched on stable Rust.
            || io.to_string().starts_with("failed to lookup address information")
        }
        _ => false,
    }
}

/// An error in words, without ureq's category prefixes.
fn describe(err: &ureq::Error) -> String {
    match err {
        ureq::Error::Io(io) => io.to_string(),
        ureq::Error::HostNotFound => "no such host".into(),
        ureq::Error::Rustls(tls) => format!("TLS: {tls}"),
        other => other.to_string(),
    }
}

pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// `--url`, if it is an absolute http or https URL.
pub fn check_url(url: &str) -> Result<String, Usage> {
    let parsed: Result<ureq::http::Uri, _> = url.parse();
    match parsed {
        Ok(uri) if matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some() => {
            Ok(url.to_owned())
        }
        _ => Err(Usage(format!(
            "--url `{url}` is not an http:// or https:// URL, such as \
             http://127.0.0.1:3000/webhooks"
        ))),
    }
}

pub fn parse_secret(text: &str) -> Result<Secret, Usage> {
    Secret::parse(text).map_err(|_| {
        Usage(
            "--secret is not a signing secret: expected `whsec_` followed by base64, as the \
             destination shows it"
                .into(),
        )
    })
}

/// `n` random letters and digits: ids need to be unique, not secret.
pub fn random_id(n: usize) -> String {
    std::iter::repeat_with(fastrand::alphanumeric)
        .take(n)
        .collect()
}

/// A fresh `webhook-id`.
pub fn message_id() -> String {
    format!("msg_{}", random_id(27))
}

/// A fresh event `id`.
pub fn event_id() -> String {
    format!("{}{}", EventId::PREFIX, random_id(16))
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// `time` as an event's `created_at`, to the second.
pub fn rfc3339(time: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(time).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn format_duration(duration: Duration) -> String {
    if duration < Duration::from_millis(1) {
        "<1 ms".to_owned()
    } else if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_with_a_host() {
        assert!(check_url("http://127.0.0.1:3000/webhooks").is_ok());
        assert!(check_url("https://example.com/hooks?x=1").is_ok());
        for bad in [
            "127.0.0.1:3000",
            "localhost:3000/webhooks",
            "ftp://x/y",
            "/webhooks",
            "",
        ] {
            let err = check_url(bad).unwrap_err().0;
            assert!(
                err.contains("is not an http:// or https:// URL"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn no_connection_is_told_from_a_broken_one() {
        let io = |kind, text: &str| ureq::Error::Io(std::io::Error::new(kind, text.to_owned()));
        assert!(unreachable(&io(ErrorKind::ConnectionRefused, "refused")));
        assert!(unreachable(&io(
            ErrorKind::Other,
            "failed to lookup address information: Name or service not known"
        )));
        assert!(unreachable(&ureq::Error::HostNotFound));
        assert!(!unreachable(&io(ErrorKind::ConnectionReset, "reset")));
        assert!(!unreachable(&io(ErrorKind::UnexpectedEof, "closed")));
    }

    #[test]
    fn ids_are_letters_and_digits() {
        let id = random_id(27);
        assert_eq!(id.len(), 27);
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(random_id(27), id);
        assert!(event_id().starts_with("evt_"));
    }

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(format_duration(Duration::from_micros(300)), "<1 ms");
        assert_eq!(format_duration(Duration::from_millis(29)), "29 ms");
        assert_eq!(format_duration(Duration::from_millis(6020)), "6.0 s");
    }
}
