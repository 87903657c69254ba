//! How fast any owned type can decode a task run event through `serde_json::from_slice`: the
//! bound that `deck_events::Event` is measured against when it is set a ratio to `IgnoredAny`.
//!
//! Plain serde derives of the envelope and the `TaskRun` payload, each doing less than
//! `deck_events::Event` does, are timed on the corpus's task run events (60 % of it, both key
//! orders) next to `Event` through both entry points and `IgnoredAny`, taking turns:
//!
//! - *fields matched, values skipped*: every field is `IgnoredAny`. What is left is serde_json's
//!   map reading and the derive's field matching: the ceiling of any type at all.
//! - *borrowed*: strings as `&str` (`Cow` where a string has escapes), nothing parsed. The
//!   ceiling of a type that borrows from the body.
//! - *owned, the least work*: IDs inline up to 24 bytes (`CompactString`, as the crate's IDs),
//!   `object` a `String`, enums closed with a catch-all (no allocation, no unknown value kept),
//!   and timestamps, free-form JSON and nested objects skipped, not decoded. `Event` does all of
//!   it and more, so this is an upper bound for an owned event type, not a competitor.
//! - *owned, every value kept as text*: the same, with timestamps as `String` and free-form and
//!   nested values as their JSON text (`Box<RawValue>`): every value received is kept, none
//!   is typed beyond a string.
//!
//! `cargo run --release -p bench --example ceiling`

use std::borrow::Cow;
use std::hint::black_box;
use std::path::PathBuf;

use serde::Deserialize;
use serde::de::IgnoredAny;

/// The envelope with every value skipped.
#[derive(Deserialize)]
#[allow(dead_code)]
struct SkippedEvent {
    id: IgnoredAny,
    object: IgnoredAny,
    #[serde(rename = "type")]
    kind: IgnoredAny,
    data: SkippedTaskRun,
    created_at: IgnoredAny,
    request_id: Option<IgnoredAny>,
}

/// `TaskRun` with every value skipped.
#[derive(Deserialize)]
#[allow(dead_code)]
struct SkippedTaskRun {
    id: IgnoredAny,
    object: IgnoredAny,
    status: IgnoredAny,
    result: Option<IgnoredAny>,
    task_id: Option<IgnoredAny>,
    agent_id: Option<IgnoredAny>,
    source_id: Option<IgnoredAny>,
    credential_id: Option<IgnoredAny>,
    session_id: Option<IgnoredAny>,
    workflow_id: Option<IgnoredAny>,
    runtime_ms: Option<IgnoredAny>,
    input: Option<IgnoredAny>,
    output: Option<IgnoredAny>,
    storage: Option<IgnoredAny>,
    errors: Option<IgnoredAny>,
    interaction: Option<IgnoredAny>,
    artifacts: Option<IgnoredAny>,
    canceled_at: Option<IgnoredAny>,
    created_at: Option<IgnoredAny>,
    updated_at: Option<IgnoredAny>,
}

/// The envelope borrowing its strings.
#[derive(Deserialize)]
#[allow(dead_code)]
struct BorrowedEvent<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    object: Cow<'a, str>,
    #[serde(borrow, rename = "type")]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    data: BorrowedTaskRun<'a>,
    #[serde(borrow)]
    created_at: Cow<'a, str>,
    #[serde(borrow)]
    request_id: Option<Cow<'a, str>>,
}

/// `TaskRun` borrowing its strings; free-form and nested values kept as their JSON text.
#[derive(Deserialize)]
#[allow(dead_code)]
struct BorrowedTaskRun<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    object: Cow<'a, str>,
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(borrow)]
    result: Option<Cow<'a, str>>,
    #[serde(borrow)]
    task_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    agent_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    source_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    credential_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    session_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    workflow_id: Option<Cow<'a, str>>,
    runtime_ms: Option<i64>,
    #[serde(borrow)]
    input: Option<&'a serde_json::value::RawValue>,
    #[serde(borrow)]
    output: Option<&'a serde_json::value::RawValue>,
    #[serde(borrow)]
    storage: Option<&'a serde_json::value::RawValue>,
    #[serde(borrow)]
    errors: Option<&'a serde_json::value::RawValue>,
    #[serde(borrow)]
    interaction: Option<&'a serde_json::value::RawValue>,
    #[serde(borrow)]
    artifacts: Option<&'a serde_json::value::RawValue>,
    #[serde(borrow)]
    canceled_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    created_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    updated_at: Option<Cow<'a, str>>,
}

/// The envelope owning the least it can.
#[derive(Deserialize)]
#[allow(dead_code)]
struct OwnedEvent {
    id: compact_str::CompactString,
    object: String,
    #[serde(rename = "type")]
    kind: EventType,
    data: OwnedTaskRun,
    created_at: IgnoredAny,
    request_id: Option<compact_str::CompactString>,
}

/// The task run event types, and any other as one catch-all.
#[derive(Deserialize)]
#[allow(dead_code)]
enum EventType {
    #[serde(rename = "task_run.queued")]
    Queued,
    #[serde(rename = "task_run.running")]
    Running,
    #[serde(rename = "task_run.pending")]
    Pending,
    #[serde(rename = "task_run.completed")]
    Completed,
    #[serde(rename = "task_run.failed")]
    Failed,
    #[serde(rename = "task_run.canceled")]
    Canceled,
    #[serde(other)]
    Other,
}

/// `TaskRun` owning the least it can.
#[derive(Deserialize)]
#[allow(dead_code)]
struct OwnedTaskRun {
    id: compact_str::CompactString,
    object: String,
    status: Status,
    result: Option<Outcome>,
    task_id: Option<compact_str::CompactString>,
    agent_id: Option<compact_str::CompactString>,
    source_id: Option<compact_str::CompactString>,
    credential_id: Option<compact_str::CompactString>,
    session_id: Option<compact_str::CompactString>,
    workflow_id: Option<compact_str::CompactString>,
    runtime_ms: Option<i64>,
    input: Option<IgnoredAny>,
    output: Option<IgnoredAny>,
    storage: Option<IgnoredAny>,
    errors: Option<IgnoredAny>,
    interaction: Option<IgnoredAny>,
    artifacts: Option<IgnoredAny>,
    canceled_at: Option<IgnoredAny>,
    created_at: Option<IgnoredAny>,
    updated_at: Option<IgnoredAny>,
}

/// The envelope keeping every value, as text where it is not a string.
#[derive(Deserialize)]
#[allow(dead_code)]
struct TextEvent {
    id: compact_str::CompactString,
    object: String,
    #[serde(rename = "type")]
    kind: EventType,
    data: TextTaskRun,
    created_at: String,
    request_id: Option<compact_str::CompactString>,
}

/// `TaskRun` keeping every value, as text where it is not a string.
#[derive(Deserialize)]
#[allow(dead_code)]
struct TextTaskRun {
    id: compact_str::CompactString,
    object: String,
    status: Status,
    result: Option<Outcome>,
    task_id: Option<compact_str::CompactString>,
    agent_id: Option<compact_str::CompactString>,
    source_id: Option<compact_str::CompactString>,
    credential_id: Option<compact_str::CompactString>,
    session_id: Option<compact_str::CompactString>,
    workflow_id: Option<compact_str::CompactString>,
    runtime_ms: Option<i64>,
    input: Option<Box<serde_json::value::RawValue>>,
    output: Option<Box<serde_json::value::RawValue>>,
    storage: Option<Box<serde_json::value::RawValue>>,
    errors: Option<Box<serde_json::value::RawValue>>,
    interaction: Option<Box<serde_json::value::RawValue>>,
    artifacts: Option<Box<serde_json::value::RawValue>>,
    canceled_at: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
}

/// A task run's status, closed, with a catch-all.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum Status {
    Queued,
    Running,
    Pending,
    InteractionRequired,
    ReviewRequired,
    Canceling,
    Cancelling,
    Completed,
    Failed,
    Canceled,
    #[serde(other)]
    Other,
}

/// A task run's result, closed, with a catch-all.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum Outcome {
    Success,
    Failure,
    #[serde(other)]
    Other,
}

/// How many of `events` decode as `T` through `serde_json::from_slice`.
fn count<'a, T: Deserialize<'a>>(events: &[&'a [u8]]) -> usize {
    events
        .iter()
        .filter(|e| black_box(serde_json::from_slice::<T>(e)).is_ok())
        .count()
}

fn main() {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = codegen::load_dir(&spec).unwrap_or_else(|d| panic!("{d}"));
    let corpus = bench::corpus::build(&model, 100_000, bench::corpus::SEED).by_shape("TaskRun");
    let events: Vec<&[u8]> = corpus.events().collect();
    let runs: [(&str, &dyn Fn() -> usize); 7] = [
        ("`IgnoredAny` (the parser alone)", &|| {
            count::<IgnoredAny>(&events)
        }),
        ("fields matched, values skipped", &|| {
            count::<SkippedEvent>(&events)
        }),
        ("borrowed", &|| count::<BorrowedEvent>(&events)),
        ("owned, the least work", &|| count::<OwnedEvent>(&events)),
        ("owned, every value kept as text", &|| {
            count::<TextEvent>(&events)
        }),
        ("`deck_events::Event`", &|| {
            count::<deck_events::Event>(&events)
        }),
        ("`deck_events::Event` through `Event::from_slice`", &|| {
            events
                .iter()
                .filter(|e| black_box(deck_events::Event::from_slice(e)).is_ok())
                .count()
        }),
    ];
    let closures: Vec<&dyn Fn() -> usize> = runs.iter().map(|(_, run)| *run).collect();
    let results = bench::decode::best_of_each(5, &closures);
    let mbps = |t: std::time::Duration| corpus.bytes.len() as f64 / 1e6 / t.as_secs_f64();
    let ceiling = mbps(results[0].0);
    println!(
        "{} task run events ({:.1} MB, {} with `data` before `type`), `serde_json::from_slice` \
         per event unless said, best of 5, taking turns\n",
        events.len(),
        corpus.bytes.len() as f64 / 1e6,
        corpus.data_first,
    );
    println!("| decoder | MB/s | ÷ `IgnoredAny` |\n| --- | ---: | ---: |");
    for ((name, _), (time, decoded)) in runs.iter().zip(&results) {
        assert_eq!(*decoded, events.len(), "{name} decodes every event");
        println!(
            "| {name} | {:.0} | {:.2}× |",
            mbps(*time),
            mbps(*time) / ceiling
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bounds measure what they say only if they decode every task run event the spec's
    /// examples make; a spec change that breaks one shows here, not as a figure that drifts.
    #[test]
    fn every_bound_decodes_every_task_run_event() {
        let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let model = codegen::load_dir(&spec).unwrap_or_else(|d| panic!("{d}"));
        let corpus = bench::corpus::build(&model, 2_000, bench::corpus::SEED).by_shape("TaskRun");
        let events: Vec<&[u8]> = corpus.events().collect();
        assert!(corpus.data_first > 0 && events.len() > 1_000);
        assert_eq!(count::<SkippedEvent>(&events), events.len());
        assert_eq!(count::<BorrowedEvent>(&events), events.len());
        assert_eq!(count::<OwnedEvent>(&events), events.len());
        assert_eq!(count::<TextEvent>(&events), events.len());
    }
}
