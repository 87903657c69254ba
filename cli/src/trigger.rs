//! `deck-events trigger`: signed example deliveries, POSTed one after another.

use std::io::Write as _;
use std::time::{Duration, Instant, SystemTime};

use deck_events::signing::Signer;

use crate::catalog;
use crate::delivery::{
    self, Outcome, QUOTED_BODY, check_url, event_id, format_duration, is_success, parse_secret,
    rfc3339,
};
use crate::style::{self, BAD, DIM, OK};
use crate::{Failure, Stop, TriggerArgs};

/// A delivery ready to send: its body is final.
struct Delivery {
    event_type: String,
    event_id: String,
    body: Vec<u8>,
}

pub fn run(args: TriggerArgs) -> Result<(), Stop> {
    let url = check_url(&args.url)?;
    let secret = parse_secret(&args.secret.secret)?;
    let entries = catalog::select(&args.event_types, args.all)?;
    // Build every body before sending anything, so a bad `--example` or `--set` sends nothing.
    let mut deliveries = Vec::with_capacity(entries.len());
    for entry in &entries {
        let fixture = catalog::fixture(entry, &args.example)?;
        let builder = fixture
            .builder()
            .set("id", event_id())
            .and_then(|b| b.set("created_at", rfc3339(SystemTime::now())))
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

    let agent = delivery::agent(args.timeout);
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
        let headers = delivery::signed_headers(&signer, &delivery.body);
        let outcome = delivery::post(&agent, &url, &headers, &delivery.body);
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
    Err(Failure(message).into())
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
