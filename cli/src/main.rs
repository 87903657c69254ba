//! `deck-events`: test a receiver of Deck's webhooks. It sends it signed example events, grades
//! its answers to a battery of deliveries as Deck will treat it, signs and verifies deliveries by
//! hand, and lists the event types.
//!
//! Every example comes from the spec, through the `fixtures` feature of the `deck-events` crate,
//! and every signature from that crate's Standard Webhooks signer, so what this tool sends is
//! what the crate's own tests prove the crate reads.
//!
//! Results go to standard output, progress and errors to standard error; colours only when the
//! stream is a terminal (and never with `NO_COLOR`). Exit status: 0 when everything succeeded, 1
//! when a delivery or a case failed or a delivery does not verify, 2 for a usage mistake.

use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod battery;
mod catalog;
mod check;
mod delivery;
mod schema;
mod signature;
mod style;
mod test_receiver;
mod trigger;

/// Test a receiver of Deck's webhooks: send it signed example events, grade it as Deck will treat
/// it, sign and verify deliveries, list the event types.
#[derive(Debug, Parser)]
#[command(name = "deck-events", version, propagate_version = true)]
#[command(after_help = "Every command has its own --help, e.g. `deck-events trigger --help`.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Send event types' examples to a webhook URL, signed like Deck signs deliveries.
    ///
    /// Each delivery is an example from the spec with a fresh event `id` and `created_at`,
    /// signed with Standard Webhooks under a fresh `webhook-id` and the current timestamp, and
    /// POSTed to the URL. One line per delivery (event type, HTTP status, time, event id) goes to
    /// standard output. The exit status is 1 if any delivery got an answer other than 2xx, got
    /// none within the timeout, or could not be sent.
    #[command(after_help = "Examples:
  deck-events trigger task_run.completed --url http://127.0.0.1:3000/webhooks --secret whsec_...
  deck-events trigger --all --url https://example.com/webhooks
  deck-events trigger 'task_run.*' --url ... --set data.status=failed --set data.runtime_ms=1200")]
    Trigger(TriggerArgs),
    /// Test a receiver as Deck will treat it: a battery of deliveries, each answer graded.
    ///
    /// Sends the receiver, one after another, deliveries built from the catalog and signed as
    /// Deck signs them: every event type's examples; what a later version of Deck may send (new
    /// event types, enum values and fields, summaries, absent and null fields, `data` before
    /// `type`, a 256 KiB body); forged deliveries it must reject, and a rotation it must take;
    /// the same event twice and events out of order; a payload it cannot decode. Each answer is
    /// graded against Deck's delivery rules (a 2xx within 5 seconds, a 4xx for what is not
    /// Deck's), and the report on standard output has one row per case, with the likely cause
    /// under each failure. The exit status is 1 if any case failed (a warning does not fail).
    #[command(after_help = "Examples:
  deck-events test-receiver --url http://127.0.0.1:3000/webhooks --secret whsec_...
  deck-events test-receiver --url ... --secret ... --only signatures,at-least-once
  deck-events test-receiver --url ... --secret ... --format json > report.json")]
    TestReceiver(TestReceiverArgs),
    /// Print the three Standard Webhooks headers for a body, as Deck would send them.
    ///
    /// The body is signed byte for byte as read, trailing newline included: send exactly those
    /// bytes (`curl --data-binary @body.json`).
    #[command(after_help = "Example:
  deck-events example task_run.completed > body.json
  deck-events sign --secret whsec_... < body.json")]
    Sign(SignArgs),
    /// Check a captured delivery: does its signature match its body, id and timestamp?
    ///
    /// Prints whether it verifies and, when it does not, why. The body must be the bytes exactly
    /// as received. The exit status is 0 when it verifies and 1 when it does not.
    #[command(after_help = "Example:
  deck-events verify --secret whsec_... --id msg_... --timestamp 1736933400 \\
      --signature 'v1,K5oZfz...' < body.json")]
    Verify(VerifyArgs),
    /// List the event types: type, group and description.
    List(ListArgs),
    /// Print an event type's example from the spec, optionally changed with --set.
    Example(ExampleArgs),
    /// Check delivery bodies against the catalog and report where they drift from it.
    ///
    /// Exit status: 0 when nothing drifted, 1 when something did or an input could not be read.
    #[command(after_help = "Examples:
  deck-events check dead-letter/
  deck-events check deliveries.ndjson --format json
  cat body.json | deck-events check -")]
    Check(check::CheckArgs),
}

#[derive(Debug, Args)]
struct TriggerArgs {
    /// Event types to send (`task_run.completed`), or every type of a group (`task_run.*`).
    #[arg(value_name = "EVENT_TYPE", required_unless_present = "all")]
    event_types: Vec<String>,
    /// Send every event type.
    #[arg(long, conflicts_with = "event_types")]
    all: bool,
    /// Where to POST the deliveries.
    #[arg(long, value_name = "URL")]
    url: String,
    #[command(flatten)]
    secret: SecretArg,
    #[command(flatten)]
    example: ExampleChoice,
    /// How long to wait for each answer, in seconds. Deck counts a delivery that is not answered
    /// with a 2xx within 5 seconds as failed, and retries it.
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = parse_seconds)]
    timeout: Duration,
}

#[derive(Debug, Args)]
struct TestReceiverArgs {
    /// Where to POST the deliveries; nothing is sent anywhere else.
    #[arg(long, value_name = "URL")]
    url: String,
    #[command(flatten)]
    secret: SecretArg,
    /// Run only these groups of cases (repeatable, or separated by commas).
    #[arg(long, value_enum, value_name = "GROUP", value_delimiter = ',')]
    only: Vec<battery::Group>,
    /// Send at most N deliveries; the cases that would need more are reported as not run. By
    /// default every delivery of the battery is sent, once (a case sends one or two).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    max: Option<u32>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// A table, one row per case, for people.
    Text,
    /// A JSON object with every case, the summary and notes, for tools.
    Json,
}

#[derive(Debug, Args)]
struct SecretArg {
    /// The destination's signing secret, `whsec_` and base64.
    #[arg(
        long,
        value_name = "WHSEC",
        env = "WEBHOOK_SECRET",
        hide_env_values = true
    )]
    secret: String,
}

#[derive(Debug, Args)]
struct ExampleChoice {
    /// Which of an event type's examples to use, from 1 (`deck-events list` shows how many
    /// each type has).
    #[arg(long = "example", value_name = "N", default_value = "1", value_parser = clap::value_parser!(u32).range(1..))]
    number: u32,
    /// Change a field before sending: `PATH=VALUE`, PATH keys separated by dots
    /// (`data.status`), array elements by index (`data.errors.0.code`). VALUE is JSON when it
    /// parses as JSON (`5`, `null`, `true`, `{"a":1}`, `"5"`), and a string otherwise. Repeatable;
    /// applied in order, after the fresh `id` and `created_at`.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = catalog::parse_set)]
    sets: Vec<catalog::Set>,
}

#[derive(Debug, Args)]
struct SignArgs {
    #[command(flatten)]
    secret: SecretArg,
    /// The `webhook-id` to sign; a fresh `msg_` id by default.
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// The `webhook-timestamp` to sign, in seconds since the Unix epoch; now by default.
    #[arg(long, value_name = "SECONDS")]
    timestamp: Option<u64>,
    /// How to print the headers.
    #[arg(long, value_enum, default_value_t = HeaderFormat::Headers)]
    format: HeaderFormat,
    /// The body; standard input when absent or `-`.
    #[arg(value_name = "FILE")]
    file: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum HeaderFormat {
    /// `name: value` lines, as in an HTTP request.
    Headers,
    /// A JSON object.
    Json,
}

#[derive(Debug, Args)]
struct VerifyArgs {
    /// The destination's signing secret; give it twice during a rotation (old and new).
    #[arg(
        long,
        value_name = "WHSEC",
        env = "WEBHOOK_SECRET",
        hide_env_values = true,
        num_args = 1,
        required = true
    )]
    secret: Vec<String>,
    /// The delivery's `webhook-id` header.
    #[arg(long, value_name = "ID")]
    id: String,
    /// The delivery's `webhook-timestamp` header.
    #[arg(long, value_name = "SECONDS")]
    timestamp: String,
    /// The delivery's `webhook-signature` header (quote it: it may hold spaces).
    #[arg(long, value_name = "SIGNATURE")]
    signature: String,
    /// Check only the signature, not how old the timestamp is (a receiver also rejects a
    /// delivery more than 5 minutes from its clock).
    #[arg(long)]
    ignore_timestamp: bool,
    /// The body exactly as received; standard input when absent or `-`.
    #[arg(value_name = "FILE")]
    file: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
struct ListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    /// Aligned columns, for people.
    Text,
    /// A JSON array of `{"type", "group", "description", "examples"}`, for tools.
    Json,
}

#[derive(Debug, Args)]
struct ExampleArgs {
    /// The event type (`task_run.completed`).
    #[arg(value_name = "EVENT_TYPE")]
    event_type: String,
    #[command(flatten)]
    example: ExampleChoice,
}

/// A command that could not do its job; its message says what went wrong and, where it can, how
/// to fix it. Printed as `error: <message>` on standard error, exit status 1.
#[derive(Debug)]
struct Failure(String);

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Failure {
        Failure(message.to_owned())
    }
}

/// A mistake in how a command was called that clap cannot see, such as a `--url` that is not a
/// URL. Printed as `error: <message>` on standard error, exit status 2, as clap's own usage
/// errors.
#[derive(Debug)]
struct Usage(String);

/// Why a command stopped: it could not do its job (exit status 1) or was called wrongly (2).
#[derive(Debug)]
enum Stop {
    Failure(Failure),
    Usage(Usage),
}

impl From<Failure> for Stop {
    fn from(failure: Failure) -> Stop {
        Stop::Failure(failure)
    }
}

impl From<Usage> for Stop {
    fn from(usage: Usage) -> Stop {
        Stop::Usage(usage)
    }
}

impl From<&str> for Stop {
    fn from(message: &str) -> Stop {
        Stop::Failure(message.into())
    }
}

impl From<String> for Stop {
    fn from(message: String) -> Stop {
        Stop::Failure(message.into())
    }
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 3600.0 => Ok(Duration::from_secs_f64(seconds)),
        _ => Err("expected a number of seconds above 0, at most 3600".into()),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Trigger(args) => trigger::run(args).map(|()| true),
        Command::TestReceiver(args) => test_receiver::run(&args),
        Command::Sign(args) => signature::sign(args).map(|()| true),
        Command::Verify(args) => signature::verify(args),
        Command::List(args) => catalog::list(args).map(|()| true).map_err(Stop::from),
        Command::Example(args) => catalog::example(args).map(|()| true).map_err(Stop::from),
        Command::Check(args) => check::run(args).map_err(Stop::from),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        // The command printed its result, which says why.
        Ok(false) => ExitCode::FAILURE,
        Err(Stop::Failure(Failure(message))) => {
            style::error(&message);
            ExitCode::FAILURE
        }
        Err(Stop::Usage(Usage(message))) => {
            style::error(&message);
            ExitCode::from(2)
        }
    }
}
