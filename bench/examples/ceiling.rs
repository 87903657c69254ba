//! How fast any owned type can decode a task run event through `serde_json::from_slice`: the
//! bound that `deck_events::Event` is measured against when it is set a ratio to `IgnoredAny`.
//!
//! Plain serde derives of the envelope and the `TaskRun` payload, each doing less than
//! `deck_events::Event` does, are timed on the corpus's task run events (60 % of it, both key
//! orders) next to `Event` through both entry points and `IgnoredAny`, taking turns:
//!
//! - *fields matched, values skipped*: every field is `IgnoredAny`. What is left is serde_json's
//!   map reading and the derive's field matching: the ceiling of any type at all.
//! - *borrowed*: strings as `&str`, free-form and nested values as their JSON text
//!   (`&RawValue`), nothing parsed. The ceiling of a type that borrows from the body.
//! - *owned, the least work*: IDs inline up to 24 bytes (`CompactString`, as the crate's IDs),
//!   `object` a `String`, enums closed with a catch-all (no allocation, no unknown value kept),
//!   and timestamps, free-form JSON and nested objects skipped, not decoded. `Event` does all of
//!   it and more, so this is an upper bound for an owned event type, not a competitor.
//! - *owned, every value kept as text*: the same, with timestamps as `String` and free-form and
//!   nested values as their JSON text (`Box<RawValue>`): every value received is kept, none
//!   is typed beyond a string.
//!
//! The four are one envelope and one payload struct, generic over the types that differ, so each
//! bound is named by what it reads its values as.
//!
//! `cargo run --release -p bench --example ceiling`

use std::hint::black_box;
use std::path::PathBuf;

use bench::corpus::Corpus;
use bench::decode::Decoder;
use compact_str::CompactString;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

/// The envelope, its values read as `Id` (IDs), `Text` (`object`), `Kind` (`type`), `Stamp`
/// (timestamps); `Data` is the payload.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Envelope<Id, Text, Kind, Stamp, Data> {
    id: Id,
    object: Text,
    #[serde(rename = "type")]
    kind: Kind,
    data: Data,
    created_at: Stamp,
    request_id: Option<Id>,
}

/// `TaskRun`, its values read as `Id`, `Text` (`object`), `Status` and `Outcome` (its enums),
/// `Number`, `Nested` (free-form and nested values) and `Stamp`.
#[derive(Deserialize)]
#[allow(dead_code)]
struct TaskRun<Id, Text, Status, Outcome, Number, Nested, Stamp> {
    id: Id,
    object: Text,
    status: Status,
    result: Option<Outcome>,
    task_id: Option<Id>,
    agent_id: Option<Id>,
    source_id: Option<Id>,
    credential_id: Option<Id>,
    session_id: Option<Id>,
    workflow_id: Option<Id>,
    runtime_ms: Option<Number>,
    input: Option<Nested>,
    output: Option<Nested>,
    storage: Option<Nested>,
    errors: Option<Nested>,
    interaction: Option<Nested>,
    artifacts: Option<Nested>,
    canceled_at: Option<Stamp>,
    created_at: Option<Stamp>,
    updated_at: Option<Stamp>,
}

/// Every value skipped.
type Skipped = Envelope<
    IgnoredAny,
    IgnoredAny,
    IgnoredAny,
    IgnoredAny,
    TaskRun<IgnoredAny, IgnoredAny, IgnoredAny, IgnoredAny, IgnoredAny, IgnoredAny, IgnoredAny>,
>;

/// Strings borrowed, free-form and nested values as their borrowed JSON text.
type Borrowed<'a> = Envelope<
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    TaskRun<&'a str, &'a str, &'a str, &'a str, i64, &'a RawValue, &'a str>,
>;

/// Owning the least it can: timestamps, free-form and nested values skipped.
type Owned = Envelope<
    CompactString,
    String,
    EventType,
    IgnoredAny,
    TaskRun<CompactString, String, Status, Outcome, i64, IgnoredAny, IgnoredAny>,
>;

/// Every value kept, as text where it is not a string.
type Text = Envelope<
    CompactString,
    String,
    EventType,
    String,
    TaskRun<CompactString, String, Status, Outcome, i64, Box<RawValue>, String>,
>;

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

/// How many of the corpus's events decode as `T` through `serde_json::from_slice`.
fn count<'a, T: Deserialize<'a>>(corpus: &'a Corpus) -> usize {
    corpus
        .events()
        .filter(|e| black_box(serde_json::from_slice::<T>(e)).is_ok())
        .count()
}

/// The corpus's task run events: of `n` events, about 60 %.
fn task_runs(n: usize) -> Corpus {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = codegen::load_dir(&spec).unwrap_or_else(|d| panic!("{d}"));
    bench::corpus::build(&model, n, bench::corpus::SEED).by_shape("TaskRun")
}

/// The decode table's own decoders of the names given, in that order.
fn table_decoders(names: &[&str]) -> Vec<Decoder> {
    let mut all = bench::decode::decoders();
    names
        .iter()
        .map(|name| {
            let at = all.iter().position(|d| d.name == *name);
            all.remove(at.unwrap_or_else(|| panic!("the decode table has no `{name}`")))
        })
        .collect()
}

/// `IgnoredAny`, `Event` and `Event::from_slice`, as the decode table runs them.
const TABLE: [&str; 3] = [
    "serde::de::IgnoredAny (parser ceiling)",
    "deck_events::Event",
    "deck_events::Event through `Event::from_slice`",
];

fn main() {
    let corpus = task_runs(100_000);
    let [ignored, event, from_slice]: [Decoder; 3] = table_decoders(&TABLE)
        .try_into()
        .unwrap_or_else(|_| unreachable!("one decoder per name"));
    let runs: [(&str, &dyn Fn() -> usize); 7] = [
        (ignored.name, &|| (ignored.decode)(&corpus)),
        ("fields matched, values skipped", &|| {
            count::<Skipped>(&corpus)
        }),
        ("borrowed", &|| count::<Borrowed>(&corpus)),
        ("owned, the least work", &|| count::<Owned>(&corpus)),
        ("owned, every value kept as text", &|| {
            count::<Text>(&corpus)
        }),
        (event.name, &|| (event.decode)(&corpus)),
        (from_slice.name, &|| (from_slice.decode)(&corpus)),
    ];
    let closures: Vec<&dyn Fn() -> usize> = runs.iter().map(|(_, run)| *run).collect();
    let results = bench::decode::best_of_each(5, &closures);
    let mbps = |t| bench::decode::mbps(corpus.bytes.len(), t);
    // The parser alone, and the owned type that keeps every value untyped: a typed decoder is
    // set against both. `IgnoredAny`'s figure moves by about a tenth from one build of its loop
    // to another, so the second ratio is the steadier one.
    let (parser, untyped) = (mbps(results[0].0), mbps(results[4].0));
    println!(
        "{} task run events ({:.1} MB, {} with `data` before `type`), `serde_json::from_slice` \
         per event unless said, best of 5, taking turns\n",
        corpus.len(),
        corpus.bytes.len() as f64 / 1e6,
        corpus.data_first,
    );
    println!(
        "| decoder | MB/s | ÷ `IgnoredAny` | ÷ owned, every value kept as text |\n\
         | --- | ---: | ---: | ---: |"
    );
    for ((name, _), (time, decoded)) in runs.iter().zip(&results) {
        assert_eq!(*decoded, corpus.len(), "{name} decodes every event");
        let speed = mbps(*time);
        println!(
            "| {name} | {speed:.0} | {:.2}× | {:.2}× |",
            speed / parser,
            speed / untyped
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
        let corpus = task_runs(2_000);
        assert!(corpus.data_first > 0 && corpus.len() > 1_000);
        assert_eq!(count::<Skipped>(&corpus), corpus.len());
        assert_eq!(count::<Borrowed>(&corpus), corpus.len());
        assert_eq!(count::<Owned>(&corpus), corpus.len());
        assert_eq!(count::<Text>(&corpus), corpus.len());
    }

    /// The example runs the decode table's own decoders, found by name.
    #[test]
    fn the_table_has_the_decoders_it_names() {
        assert_eq!(table_decoders(&TABLE).len(), TABLE.len());
    }
}
