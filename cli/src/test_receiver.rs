//! `deck-events test-receiver`: the battery, sent one delivery after another to one URL, each
//! answer graded against Deck's delivery rules, and the report.

use std::time::{Duration, Instant, SystemTime};

use deck_events::signing::{HEADER_ID, HEADER_TIMESTAMP, Secret, Signer};

use crate::battery::{self, Case, Delivery, Expect, Kind, OTHER_SECRETS, Signing};
use crate::delivery::{
    self, DECK_TIMEOUT, Outcome, check_url, format_duration, message_id, parse_secret,
};
use crate::style::{self, BAD, BOLD, DIM, OK, WARN};
use crate::{Failure, ReportFormat, Stop, TestReceiverArgs, Usage};

/// How long to wait for an answer beyond Deck's timeout, so that a slow answer is measured (and
/// failed) rather than cut off at the limit, and a silent receiver is not waited on for ever.
const SLACK: Duration = Duration::from_secs(2);

/// The verdict on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    NotRun,
    Warning,
    Fail,
}

impl Verdict {
    fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::NotRun => "not run",
            Verdict::Warning => "warning",
            Verdict::Fail => "FAIL",
        }
    }
}

/// One answer to one delivery.
struct Answer {
    outcome: Outcome,
    elapsed: Duration,
}

/// A case and what became of it.
struct Graded<'c> {
    case: &'c Case,
    answers: Vec<Answer>,
    verdict: Verdict,
    /// For a warning or a failure: the likely cause, in one line.
    advice: Option<String>,
    /// Why it was not run.
    not_run: Option<&'static str>,
}

impl Graded<'_> {
    fn time(&self) -> Option<Duration> {
        self.answers.iter().map(|a| a.elapsed).max()
    }

    fn got(&self) -> String {
        if let Some(why) = self.not_run {
            return format!("not sent ({why})");
        }
        let each: Vec<String> = self
            .answers
            .iter()
            .map(|answer| match &answer.outcome {
                Outcome::Answered { status_line, .. } => status_line.clone(),
                Outcome::TimedOut => "no answer".to_owned(),
                Outcome::Unreachable(_) => "not connected".to_owned(),
                Outcome::Broken(_) => "connection broke".to_owned(),
            })
            .collect();
        match &each[..] {
            [first, rest @ ..] if !rest.is_empty() && rest.iter().all(|r| r == first) => {
                format!("{first} ×{}", each.len())
            }
            _ => each.join(", "),
        }
    }
}

fn expected(expect: Expect) -> &'static str {
    match expect {
        Expect::Accept => "2xx",
        Expect::Reject => "4xx",
        Expect::Keep => "2xx (5xx warn)",
    }
}

/// What the receiver is tested with, checked before anything is sent.
struct Target {
    url: String,
    signer: Signer,
    other: Signer,
}

fn target(args: &TestReceiverArgs) -> Result<Target, Usage> {
    let url = check_url(&args.url)?;
    let secret = parse_secret(&args.secret.secret)?;
    let signer = Signer::new(secret);
    // Another secret than the receiver's: the first that signs differently.
    let probe = |signer: &Signer| signer.sign("msg_probe", 0, b"{}");
    let other = OTHER_SECRETS
        .iter()
        .filter_map(|text| Secret::parse(text).ok())
        .map(Signer::new)
        .find(|other| probe(other) != probe(&signer))
        .ok_or_else(|| Usage("--secret is one of the tool's own test secrets".into()))?;
    Ok(Target { url, signer, other })
}

/// `deck-events test-receiver`: `Ok(true)` when no case failed.
pub fn run(args: &TestReceiverArgs) -> Result<bool, Stop> {
    let target = target(args)?;
    Ok(send_all(args, &target)?)
}

fn send_all(args: &TestReceiverArgs, target: &Target) -> Result<bool, Failure> {
    let cases: Vec<Case> = battery::battery(SystemTime::now())
        .map_err(|err| Failure(format!("could not build the battery: {err}")))?
        .into_iter()
        .filter(|case| args.only.is_empty() || args.only.contains(&case.kind.group()))
        .collect();
    let deliveries: usize = cases.iter().map(|case| case.deliveries.len()).sum();
    let max = args.max.map_or(deliveries, |max| max as usize);
    let agent = delivery::agent(DECK_TIMEOUT + SLACK);
    let plural = |n: usize, one: &'static str, many: &'static str| {
        format!("{n} {}", if n == 1 { one } else { many })
    };
    style::progress(&format!(
        "testing {} with {} ({}); each answer is due within {}",
        target.url,
        plural(cases.len(), "case", "cases"),
        plural(deliveries.min(max), "delivery", "deliveries"),
        format_duration(DECK_TIMEOUT),
    ));

    let mut sent = 0;
    let mut unreachable: Option<String> = None;
    let mut graded = Vec::with_capacity(cases.len());
    for case in &cases {
        let not_run = if unreachable.is_some() {
            Some("unreachable")
        } else if sent + case.deliveries.len() > max {
            Some("--max")
        } else {
            None
        };
        if let Some(why) = not_run {
            graded.push(Graded {
                case,
                answers: Vec::new(),
                verdict: Verdict::NotRun,
                advice: None,
                not_run: Some(why),
            });
            continue;
        }
        let mut answers = Vec::new();
        for delivery in &case.deliveries {
            let headers = headers(delivery, target);
            let started = Instant::now();
            let outcome = delivery::post(&agent, &target.url, &headers, &delivery.body);
            let elapsed = started.elapsed();
            sent += 1;
            let stop = matches!(outcome, Outcome::Unreachable(_));
            if let Outcome::Unreachable(err) = &outcome {
                unreachable = Some(err.clone());
            }
            answers.push(Answer { outcome, elapsed });
            if stop {
                break;
            }
        }
        let (verdict, advice) = grade(case.kind, &answers);
        graded.push(Graded {
            case,
            answers,
            verdict,
            advice,
            not_run: None,
        });
    }

    unchecked_signatures(&mut graded);

    let text = match args.format {
        ReportFormat::Text => text_report(&graded),
        ReportFormat::Json => json_report(&target.url, &graded),
    };
    style::result(&text)?;
    if let Some(err) = unreachable {
        style::error(&format!(
            "could not connect to {}: {err}; is the receiver running, and is --url its address?",
            target.url
        ));
    }
    Ok(!graded.iter().any(|g| g.verdict == Verdict::Fail))
}

/// When a delivery signed with another secret is taken, the signature is not checked at all: that,
/// rather than a check over the wrong bytes, is the likely cause of taking a tampered or a
/// re-serialized body too.
fn unchecked_signatures(graded: &mut [Graded<'_>]) {
    let accepted = |g: &Graded<'_>| {
        g.answers.iter().any(|answer| {
            matches!(answer.outcome, Outcome::Answered { status, .. } if delivery::is_success(status))
        })
    };
    let unchecked = graded
        .iter()
        .any(|g| g.case.kind == Kind::WrongSecret && accepted(g));
    if !unchecked {
        return;
    }
    for g in graded.iter_mut() {
        if matches!(g.case.kind, Kind::TamperedBody | Kind::Reserialized) && accepted(g) {
            g.advice = Some(
                "the signature is not checked at all: a delivery signed with another secret is \
                 accepted too"
                    .to_owned(),
            );
        }
    }
}

/// The three headers of `delivery`, signed now as its case says.
fn headers(delivery: &Delivery, target: &Target) -> Vec<(&'static str, String)> {
    let id = delivery.webhook_id.clone().unwrap_or_else(message_id);
    let now = delivery::unix_now();
    let body = &delivery.body[..];
    let (timestamp, signature) = match &delivery.signing {
        Signing::Valid | Signing::Without(_) => (now, target.signer.sign(&id, now, body)),
        Signing::OtherSecret => (now, target.other.sign(&id, now, body)),
        Signing::Rotation => (
            now,
            format!(
                "{} {}",
                target.other.sign(&id, now, body),
                target.signer.sign(&id, now, body)
            ),
        ),
        Signing::Shifted(seconds) => {
            let at = now.saturating_add_signed(*seconds);
            (at, target.signer.sign(&id, at, body))
        }
        Signing::Over(bodies) => (
            now,
            bodies
                .iter()
                .map(|other| target.signer.sign(&id, now, other))
                .collect::<Vec<_>>()
                .join(" "),
        ),
    };
    let mut headers = delivery::headers(id, timestamp, signature);
    if let Signing::Without(missing) = delivery.signing {
        headers.retain(|(name, _)| *name != missing);
    }
    headers
}

/// The verdict on a case from its answers (the worst of them), with the likely cause of the
/// worst.
fn grade(kind: Kind, answers: &[Answer]) -> (Verdict, Option<String>) {
    answers
        .iter()
        .map(|answer| grade_one(kind, answer))
        .max_by_key(|(verdict, _)| *verdict)
        .unwrap_or((Verdict::NotRun, None))
}

fn grade_one(kind: Kind, answer: &Answer) -> (Verdict, Option<String>) {
    let late = || {
        format!(
            "answered after {}: Deck counts an answer later than {} as failed and retries; \
             acknowledge first and hand slow work to a queue",
            format_duration(answer.elapsed),
            format_duration(DECK_TIMEOUT)
        )
    };
    let status = match &answer.outcome {
        Outcome::Answered { status, .. } => *status,
        Outcome::TimedOut => {
            return (
                Verdict::Fail,
                Some(format!(
                    "no answer within {}: Deck gives up after {} and retries; acknowledge first \
                     and hand slow work to a queue",
                    format_duration(DECK_TIMEOUT + SLACK),
                    format_duration(DECK_TIMEOUT)
                )),
            );
        }
        Outcome::Unreachable(err) => {
            return (
                Verdict::Fail,
                Some(format!(
                    "could not connect ({err}): is the receiver running at --url, or did it stop?"
                )),
            );
        }
        Outcome::Broken(err) => {
            return (
                Verdict::Fail,
                Some(format!(
                    "the connection broke ({err}): the receiver may have crashed on this \
                     delivery; its log says why"
                )),
            );
        }
    };
    let class = status / 100;
    let right = match kind.expect() {
        Expect::Accept | Expect::Keep => class == 2,
        Expect::Reject => class == 4,
    };
    if answer.elapsed > DECK_TIMEOUT {
        return (Verdict::Fail, Some(late()));
    }
    if right {
        return (Verdict::Pass, None);
    }
    let verdict = if kind.expect() == Expect::Keep && class == 5 {
        Verdict::Warning
    } else {
        Verdict::Fail
    };
    (verdict, Some(advice(kind, status).to_owned()))
}

/// The likely cause of a wrong status.
fn advice(kind: Kind, status: u16) -> &'static str {
    let expect = kind.expect();
    match (status, expect) {
        (300..=399, _) => "Deck does not follow redirects: give --url the final address",
        (404 | 405, Expect::Accept | Expect::Keep) => {
            "is the path in --url the receiver's webhook route (and does it take POST)?"
        }
        (413, Expect::Accept | Expect::Keep) => {
            "the body is too large for the receiver: raise its body size limit to at least 256 KiB"
        }
        (401 | 403, Expect::Accept | Expect::Keep) if kind != Kind::Rotation => {
            "a delivery signed with --secret was rejected: is it the receiver's secret, and does \
             it verify the raw body as received?"
        }
        (500..=599, Expect::Reject) => {
            "expected a 4xx: a 5xx makes Deck retry a delivery that will never verify"
        }
        (200..=299, Expect::Reject) => match kind {
            Kind::TamperedBody => {
                "a changed body is accepted: verify the signature over the raw body before \
                 anything else"
            }
            Kind::WrongSecret => {
                "a delivery signed with another secret is accepted: the signature is not checked"
            }
            Kind::StaleTimestamp => {
                "a delivery signed 10 minutes ago is accepted: reject timestamps more than 5 \
                 minutes from the clock, against replays"
            }
            Kind::FutureTimestamp => {
                "a delivery signed 10 minutes ahead is accepted: reject timestamps more than 5 \
                 minutes from the clock"
            }
            Kind::MissingHeader(HEADER_ID) => {
                "a delivery without `webhook-id` is accepted: require all three headers"
            }
            Kind::MissingHeader(HEADER_TIMESTAMP) => {
                "a delivery without `webhook-timestamp` is accepted: require all three headers"
            }
            Kind::MissingHeader(_) => {
                "a delivery without `webhook-signature` is accepted: the signature is not checked"
            }
            Kind::Reserialized => {
                "the signature is checked over a re-serialized body: verify the raw bytes exactly \
                 as received"
            }
            _ => "expected a 4xx",
        },
        (_, Expect::Reject) => "expected a 4xx: the delivery is not Deck's",
        (_, Expect::Accept | Expect::Keep) => match kind {
            Kind::Example => "a delivery Deck sends today was refused: the receiver's log says why",
            Kind::UnknownType => {
                "a closed list of event types: answer 2xx to a type you do not know, and ignore it"
            }
            Kind::UnknownEnum => {
                "a closed enum: keep unknown values (a catch-all variant, or a plain string)"
            }
            Kind::UnknownEnvelopeField | Kind::UnknownDataField => {
                "unknown fields are refused (deny_unknown_fields, additionalProperties: false): \
                 ignore fields you do not know"
            }
            Kind::DataFirst => {
                "`data` before `type` is refused: read the whole object before dispatching on \
                 `type`; JSON keys come in any order"
            }
            Kind::Summary => {
                "a summary payload (its identity only) is refused: every field beyond id, object \
                 and status may be missing"
            }
            Kind::OptionalAbsent => {
                "an optional field is read as required: every field the schema does not require \
                 may be missing"
            }
            Kind::NullableNull => {
                "a nullable field does not take null: read every field the schema marks nullable \
                 as optional"
            }
            Kind::LargeBody => "a 256 KiB body is refused: raise the receiver's body size limit",
            Kind::Rotation => {
                "only one signature is checked: accept a delivery when any `v1` signature in \
                 `webhook-signature` matches (Deck sends two while a secret rotates)"
            }
            Kind::Duplicate => {
                "a repeated delivery is refused: answer a duplicate with a 2xx (deduplicate on \
                 the event id), or Deck retries it"
            }
            Kind::OutOfOrder => {
                "an older event after a newer one is refused: take events in any order and order \
                 them by created_at"
            }
            Kind::Undecodable if status / 100 == 5 => {
                "Deck retries a 5xx 3 times, then sets the destination inactive: keep the \
                 delivery (a dead-letter store) and answer 2xx"
            }
            Kind::Undecodable => {
                "a verified delivery that does not decode is refused: Deck retries the same bytes, \
                 then disables the destination; keep it (a dead-letter store) and answer 2xx"
            }
            _ => "expected a 2xx",
        },
    }
}

/// The note under the at-least-once cases: what cannot be graded.
const DEDUPLICATION_NOTE: &str = "whether the receiver deduplicates cannot be seen from outside: \
     it answered both deliveries of one event; check that it acted on it once";

fn text_report(graded: &[Graded<'_>]) -> String {
    let header = ["CASE", "EXPECTED", "GOT", "VERDICT", "TIME"];
    let rows: Vec<[String; 5]> = graded
        .iter()
        .map(|g| {
            [
                g.case.name.clone(),
                expected(g.case.kind.expect()).to_owned(),
                g.got(),
                g.verdict.label().to_owned(),
                g.time().map(format_duration).unwrap_or_default(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 5], verdict: Option<Verdict>| {
        let [case, expected, got, verdict_text, time] = cells;
        let [w0, w1, w2, w3, _] = widths;
        // Padded before painting, so colour codes do not count towards the width.
        let verdict_cell = format!("{verdict_text:<w3$}");
        let verdict_cell = match verdict {
            Some(Verdict::Pass) => style::paint(OK, verdict_cell),
            Some(Verdict::Warning) => style::paint(WARN.bold(), verdict_cell),
            Some(Verdict::Fail) => style::paint(BAD.bold(), verdict_cell),
            Some(Verdict::NotRun) => style::paint(DIM, verdict_cell),
            None => verdict_cell,
        };
        format!("{case:<w0$}  {expected:<w1$}  {got:<w2$}  {verdict_cell}  {time:>5}")
            .trim_end()
            .to_owned()
    };
    let mut out = vec![style::paint(BOLD, line(header, None))];
    let mut group = None;
    for (g, row) in graded.iter().zip(&rows) {
        if group.is_some_and(|group| group != g.case.kind.group()) {
            out.push(String::new());
        }
        group = Some(g.case.kind.group());
        out.push(line(
            [&row[0], &row[1], &row[2], &row[3], &row[4]],
            Some(g.verdict),
        ));
        if let Some(advice) = &g.advice {
            out.push(format!("    ↳ {advice}"));
        }
        if g.case.kind == Kind::Duplicate && g.verdict == Verdict::Pass {
            out.push(style::paint(DIM, format!("    note: {DEDUPLICATION_NOTE}")));
        }
    }
    out.push(String::new());
    out.push(summary_line(graded));
    out.join("\n")
}

/// `N cases: P passed, W warnings, F failed, S not run; slowest answer T (case)`.
fn summary_line(graded: &[Graded<'_>]) -> String {
    let count = |verdict| graded.iter().filter(|g| g.verdict == verdict).count();
    let mut parts = vec![format!("{} passed", count(Verdict::Pass))];
    let warnings = count(Verdict::Warning);
    parts.push(format!(
        "{warnings} {}",
        if warnings == 1 { "warning" } else { "warnings" }
    ));
    parts.push(format!("{} failed", count(Verdict::Fail)));
    let not_run = count(Verdict::NotRun);
    if not_run > 0 {
        parts.push(format!("{not_run} not run"));
    }
    let mut line = format!("{} cases: {}", graded.len(), parts.join(", "));
    if let Some((time, name)) = slowest(graded) {
        line.push_str(&format!(
            "; slowest answer {} ({name}), Deck allows {}",
            format_duration(time),
            format_duration(DECK_TIMEOUT)
        ));
    }
    line
}

fn slowest<'g>(graded: &'g [Graded<'_>]) -> Option<(Duration, &'g str)> {
    graded
        .iter()
        .filter_map(|g| Some((g.time()?, g.case.name.as_str())))
        .max_by_key(|(time, _)| *time)
}

#[derive(serde::Serialize)]
struct JsonReport<'a> {
    url: &'a str,
    cases: Vec<JsonCase<'a>>,
    summary: JsonSummary<'a>,
    notes: Vec<&'static str>,
}

#[derive(serde::Serialize)]
struct JsonCase<'a> {
    name: &'a str,
    group: &'static str,
    expected: &'static str,
    got: String,
    /// The HTTP status of each answer, `null` where there was none.
    statuses: Vec<Option<u16>>,
    verdict: Verdict,
    /// The slowest answer of the case, in milliseconds; `null` when nothing was sent.
    time_ms: Option<f64>,
    advice: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct JsonSummary<'a> {
    cases: usize,
    passed: usize,
    warnings: usize,
    failed: usize,
    not_run: usize,
    slowest: Option<JsonSlowest<'a>>,
}

#[derive(serde::Serialize)]
struct JsonSlowest<'a> {
    case: &'a str,
    time_ms: f64,
}

fn millis(time: Duration) -> f64 {
    (time.as_secs_f64() * 10_000.0).round() / 10.0
}

fn json_report(url: &str, graded: &[Graded<'_>]) -> String {
    let count = |verdict| graded.iter().filter(|g| g.verdict == verdict).count();
    let report = JsonReport {
        url,
        cases: graded
            .iter()
            .map(|g| JsonCase {
                name: &g.case.name,
                group: g.case.kind.group().name(),
                expected: expected(g.case.kind.expect()),
                got: g.got(),
                statuses: g
                    .answers
                    .iter()
                    .map(|a| match a.outcome {
                        Outcome::Answered { status, .. } => Some(status),
                        _ => None,
                    })
                    .collect(),
                verdict: g.verdict,
                time_ms: g.time().map(millis),
                advice: g.advice.as_deref(),
            })
            .collect(),
        summary: JsonSummary {
            cases: graded.len(),
            passed: count(Verdict::Pass),
            warnings: count(Verdict::Warning),
            failed: count(Verdict::Fail),
            not_run: count(Verdict::NotRun),
            slowest: slowest(graded).map(|(time, case)| JsonSlowest {
                case,
                time_ms: millis(time),
            }),
        },
        notes: vec![DEDUPLICATION_NOTE],
    };
    serde_json::to_string_pretty(&report).expect("strings and numbers serialize")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, millis: u64) -> Answer {
        Answer {
            outcome: Outcome::Answered {
                status,
                status_line: status.to_string(),
                body: String::new(),
            },
            elapsed: Duration::from_millis(millis),
        }
    }

    #[test]
    fn each_expectation_grades_its_statuses() {
        let verdict = |kind, status| grade(kind, &[answer(status, 3)]).0;
        assert_eq!(verdict(Kind::Example, 204), Verdict::Pass);
        assert_eq!(verdict(Kind::Example, 400), Verdict::Fail);
        assert_eq!(verdict(Kind::Example, 500), Verdict::Fail);
        assert_eq!(verdict(Kind::WrongSecret, 401), Verdict::Pass);
        assert_eq!(verdict(Kind::WrongSecret, 204), Verdict::Fail);
        assert_eq!(verdict(Kind::WrongSecret, 500), Verdict::Fail);
        assert_eq!(verdict(Kind::Rotation, 204), Verdict::Pass);
        assert_eq!(verdict(Kind::Undecodable, 202), Verdict::Pass);
        assert_eq!(verdict(Kind::Undecodable, 503), Verdict::Warning);
        assert_eq!(verdict(Kind::Undecodable, 422), Verdict::Fail);
        assert_eq!(verdict(Kind::Example, 302), Verdict::Fail);
    }

    #[test]
    fn a_late_answer_fails_whatever_its_status() {
        let (verdict, advice) = grade(Kind::Example, &[answer(204, 6000)]);
        assert_eq!(verdict, Verdict::Fail);
        assert!(
            advice
                .unwrap()
                .starts_with("answered after 6.0 s: Deck counts")
        );
        let (verdict, _) = grade(Kind::WrongSecret, &[answer(401, 5001)]);
        assert_eq!(verdict, Verdict::Fail);
        let (verdict, _) = grade(Kind::Example, &[answer(204, 4999)]);
        assert_eq!(verdict, Verdict::Pass);
    }

    #[test]
    fn the_worst_answer_of_a_case_decides() {
        let (verdict, advice) = grade(Kind::Duplicate, &[answer(204, 1), answer(409, 1)]);
        assert_eq!(verdict, Verdict::Fail);
        assert!(advice.unwrap().contains("answer a duplicate with a 2xx"));
        let silent = Answer {
            outcome: Outcome::TimedOut,
            elapsed: DECK_TIMEOUT + SLACK,
        };
        let (verdict, advice) = grade(Kind::Example, &[silent]);
        assert_eq!(verdict, Verdict::Fail);
        assert!(advice.unwrap().starts_with("no answer within 7.0 s"));
    }

    #[test]
    fn advice_names_the_likely_cause() {
        assert!(advice(Kind::UnknownEnum, 400).starts_with("a closed enum"));
        assert!(advice(Kind::UnknownEnum, 500).starts_with("a closed enum"));
        assert!(advice(Kind::UnknownDataField, 422).contains("deny_unknown_fields"));
        assert!(advice(Kind::Example, 401).contains("is it the receiver's secret"));
        assert!(advice(Kind::Rotation, 401).starts_with("only one signature is checked"));
        assert!(advice(Kind::LargeBody, 413).contains("body size limit"));
        assert!(advice(Kind::Reserialized, 204).contains("re-serialized"));
        assert!(advice(Kind::MissingHeader(HEADER_TIMESTAMP), 200).contains("webhook-timestamp"));
    }
}
