//! `deck-events trigger`: signed example deliveries, POSTed one after another.

use std::io::{ErrorKind, Read as _, Write as _};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use deck_events::EventId;
use deck_events::signing::{HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, Secret, Signer};

use crate::catalog;
use crate::style::{self, BAD, DIM, OK};
use crate::{Failure, TriggerArgs};

/// How much of a failed answer's body to quote in the error message.
const QUOTED_BODY: usize = 300;

/// A delivery ready to send: its body is final.
struct Delivery {
    event_type: String,
    event_id: String,
    body: Vec<u8>,
}

/// What became of one delivery.
enum Outcome {
    /// The receiver answered.
    Answered {
        status: u16,
        /// The status code and its reason phrase, as `404 Not Found`; the code alone when the
        /// status has no standard reason.
        status_line: String,
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

pub fn run(args: TriggerArgs) -> Result<(), Failure> {
    let url = check_url(&args.url)?;
    let secret = parse_secret(&args.secret.secret)?;
    let entries = catalog::select(&args.event_types, args.all)?;
    // Build every body before sending anything, so a bad `--example` or `--set` sends nothing.
    let mut deliveries = Vec::with_capacity(entries.len());
    for entry in &entries {
        let fixture = catalog::fixture(entry, &args.example)?;
        let event_id = format!("{}{}", EventId::PREFIX, random_id(16));
        let builder = fixture
            .builder()
            .set("id", event_id)
            .and_then(|b| b.set("created_at", now_rfc3339()))
            .map_err(|err| Failure(format!("the example of {}: {err}", entry.event_type())))?;
        let builder = catalog::apply(builder, &args.example.sets)?;
        if let Err(err) = builder.event() {
            style::note(&format!(
                "after --set, the {} delivery is no longer a valid event ({err}); sending it \
                 anyway, as a test of what the receiver does with a delivery it cannot read",
                entry.event_type()
            ));
        }
        deliveries.push(Delivery {
            event_type: entry.event_type().to_string(),
            event_id: builder
                .get("id")
                .map(|id| id.as_str().map_or_else(|| id.to_string(), str::to_owned))
                .unwrap_or_default(),
            body: builder.to_vec(),
        });
    }

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(args.timeout))
        .http_status_as_error(false)
        // A webhook sender does not follow redirects: a 3xx is an answer, and not a 2xx.
        .max_redirects(0)
        .user_agent(format!("deck-events-cli/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let signer = Signer::new(secret);
    let count = deliveries.len();
    let plural = if count == 1 { "event" } else { "events" };
    style::progress(&format!("sending {count} {plural} to {url}"));

    let width = deliveries
        .iter()
        .map(|d| d.event_type.len())
        .max()
        .unwrap_or(0);
    let mut stdout = anstream::stdout();
    let mut failures = Vec::new();
    let mut not_sent = 0;
    for (i, delivery) in deliveries.iter().enumerate() {
        let started = Instant::now();
        let outcome = send(&agent, &url, &signer, delivery);
        let elapsed = started.elapsed();
        let (status, colour) = match &outcome {
            Outcome::Answered {
                status,
                status_line,
                ..
            } => (
                status_line.clone(),
                if is_success(*status) { OK } else { BAD },
            ),
            Outcome::TimedOut => ("no answer".to_owned(), BAD),
            Outcome::Unreachable(_) => ("not sent".to_owned(), BAD),
            Outcome::Broken(_) => ("connection broke".to_owned(), BAD),
        };
        // Padded before painting, so colour codes do not count towards the width.
        let status = style::paint(colour, format!("{status:<16}"));
        let line = format!(
            "{:width$}  {status}  {:>7}  {}",
            delivery.event_type,
            format_duration(elapsed),
            style::paint(DIM, &delivery.event_id),
        );
        // A closed standard output (`| head`) must not stop the deliveries or hide their result.
        let _ = writeln!(stdout, "{line}");
        if let Some(reason) = failure(&outcome, args.timeout) {
            failures.push((delivery.event_type.as_str(), reason));
        }
        if let Outcome::Unreachable(_) = outcome {
            not_sent = count - i - 1;
            break;
        }
    }

    if failures.is_empty() {
        style::progress(&format!("{count} of {count} delivered with a 2xx answer"));
        return Ok(());
    }
    let mut message = format!(
        "{} of {count} deliveries to {url} failed:",
        failures.len() + not_sent
    );
    // One line per distinct reason, so a wrong secret does not repeat its hint 33 times.
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for (event_type, reason) in &failures {
        match reasons.iter_mut().find(|(known, _)| known == reason) {
            Some((_, types)) => types.push(event_type),
            None => reasons.push((reason, vec![event_type])),
        }
    }
    for (reason, types) in reasons {
        let which = if types.len() == count && count > 1 {
            "all of them".to_owned()
        } else {
            types.join(", ")
        };
        message.push_str(&format!("\n  {which}: {reason}"));
    }
    if not_sent > 0 {
        message.push_str(&format!(
            "\n  {not_sent} more not sent: the receiver could not be reached"
        ));
    }
    Err(Failure(message))
}

/// Signs and POSTs one delivery.
fn send(agent: &ureq::Agent, url: &str, signer: &Signer, delivery: &Delivery) -> Outcome {
    let msg_id = message_id();
    let timestamp = unix_now();
    let signature = signer.sign(&msg_id, timestamp, &delivery.body);
    let result = agent
        .post(url)
        .header(HEADER_ID, &msg_id)
        .header(HEADER_TIMESTAMP, timestamp.to_string())
        .header(HEADER_SIGNATURE, &signature)
        .content_type("application/json")
        .send(&delivery.body[..]);
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
        ureq::Error::Io(io) => matches!(
            io.kind(),
            ErrorKind::ConnectionRefused
                | ErrorKind::AddrNotAvailable
                | ErrorKind::NetworkUnreachable
                | ErrorKind::HostUnreachable
                | ErrorKind::PermissionDenied
        ),
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

/// Why a delivery failed, with what to check; `None` for a 2xx.
fn failure(outcome: &Outcome, timeout: Duration) -> Option<String> {
    match outcome {
        Outcome::Answered { status, .. } if is_success(*status) => None,
        Outcome::Answered {
            status,
            status_line,
            body,
        } => {
            let hint = match status {
                401 | 403 => {
                    "; the receiver rejected the delivery: if it checks signatures, is --secret \
                     its secret?"
                }
                404 | 405 => "; is the path in --url the receiver's webhook route?",
                300..=399 => "; Deck does not follow redirects: give --url the final address",
                500..=599 => "; the receiver failed: its log says why",
                _ => "",
            };
            let quoted = quote_body(body);
            Some(format!("answered {status_line}{quoted}{hint}"))
        }
        Outcome::TimedOut => Some(format!(
            "no answer within {}; Deck counts a delivery not answered in 5 seconds as failed \
             and retries it",
            format_duration(timeout)
        )),
        Outcome::Unreachable(err) => Some(format!(
            "could not connect: {err}; is the receiver running, and is --url its address?"
        )),
        Outcome::Broken(err) => Some(format!("the connection broke: {err}")),
    }
}

/// The start of an answer's body, on one line, for the error message.
fn quote_body(body: &str) -> String {
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return String::new();
    }
    let mut quoted: String = flat.chars().take(QUOTED_BODY).collect();
    if quoted.len() < flat.len() {
        quoted.push('…');
    }
    format!(" ({quoted})")
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// `--url`, if it is an absolute http or https URL.
fn check_url(url: &str) -> Result<String, Failure> {
    let parsed: Result<ureq::http::Uri, _> = url.parse();
    match parsed {
        Ok(uri) if matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some() => {
            Ok(url.to_owned())
        }
        _ => Err(Failure(format!(
            "--url `{url}` is not an http:// or https:// URL, such as \
             http://127.0.0.1:3000/webhooks"
        ))),
    }
}

pub fn parse_secret(text: &str) -> Result<Secret, Failure> {
    Secret::parse(text).map_err(|_| {
        Failure(
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

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

fn now_rfc3339() -> String {
    chrono::DateTime::<chrono::Utc>::from(SystemTime::now())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn format_duration(duration: Duration) -> String {
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
    fn failures_say_what_to_check() {
        let answered = |status: u16, body: &str| Outcome::Answered {
            status,
            status_line: format!("{status} Reason"),
            body: body.into(),
        };
        let timeout = Duration::from_secs(5);
        assert_eq!(failure(&answered(204, ""), timeout), None);
        let unauthorized = failure(&answered(401, "bad\n signature"), timeout).unwrap();
        assert!(unauthorized.starts_with("answered 401 Reason (bad signature); "));
        assert!(unauthorized.contains("is --secret its secret?"));
        assert!(
            failure(&answered(302, ""), timeout)
                .unwrap()
                .contains("redirects")
        );
        let slow = failure(&Outcome::TimedOut, timeout).unwrap();
        assert!(
            slow.starts_with("no answer within 5.0 s; Deck counts"),
            "{slow}"
        );
        let refused = failure(&Outcome::Unreachable("Connection refused".into()), timeout).unwrap();
        assert!(
            refused.starts_with("could not connect: Connection refused; is the receiver running")
        );
    }

    #[test]
    fn long_bodies_are_cut() {
        let quoted = quote_body(&"x".repeat(1000));
        assert_eq!(quoted.chars().count(), QUOTED_BODY + 4);
        assert!(quoted.ends_with("…)"));
        assert_eq!(quote_body("  \n"), "");
    }

    #[test]
    fn ids_are_letters_and_digits() {
        let id = random_id(27);
        assert_eq!(id.len(), 27);
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(random_id(27), id);
    }
}
