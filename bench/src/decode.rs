//! Table 1: decoding (and encoding) the corpus with `deck_events::Event` and the alternatives.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::corpus::Corpus;
use crate::hand;
use crate::table::{Table, thousands};
use crate::typified;

/// Decodes then encodes every event: the number of events, the bytes written and the time the
/// encoding took.
pub type EncodeFn = fn(&Corpus) -> (usize, usize, Duration);

/// One way of decoding an event.
pub struct Decoder {
    /// What it is, as printed.
    pub name: &'static str,
    /// Decodes every event; returns how many decoded.
    pub decode: fn(&Corpus) -> usize,
    /// Decodes then encodes every event; returns the number of events and the bytes written,
    /// with the time the encoding took. `None` if not measured.
    pub encode: Option<EncodeFn>,
}

fn decode_all<T: DeserializeOwned>(corpus: &Corpus) -> usize {
    let mut ok = 0;
    for line in corpus.events() {
        if let Ok(v) = serde_json::from_slice::<T>(line) {
            black_box(&v);
            ok += 1;
        }
    }
    ok
}

fn encode_all<T: DeserializeOwned + Serialize>(corpus: &Corpus) -> (usize, usize, Duration) {
    let events: Vec<T> = corpus
        .events()
        .filter_map(|l| serde_json::from_slice(l).ok())
        .collect();
    let start = Instant::now();
    let mut bytes = 0;
    for e in &events {
        let v = serde_json::to_vec(e).expect("encodes");
        bytes += v.len();
        black_box(v);
    }
    (events.len(), bytes, start.elapsed())
}

/// The decoders, ours first.
pub fn decoders() -> Vec<Decoder> {
    vec![
        Decoder {
            name: "deck_events::Event",
            decode: decode_all::<deck_events::Event>,
            encode: Some(encode_all::<deck_events::Event>),
        },
        Decoder {
            name: "deck_events::Event through `Event::from_slice`",
            decode: decode_from_slice,
            encode: None,
        },
        Decoder {
            name: "serde_json::Value",
            decode: decode_all::<serde_json::Value>,
            encode: Some(encode_all::<serde_json::Value>),
        },
        Decoder {
            name: "serde::de::IgnoredAny (parser ceiling)",
            decode: decode_all::<serde::de::IgnoredAny>,
            encode: None,
        },
        Decoder {
            name: "internally tagged `#[serde(tag = \"type\")]` enum of envelopes",
            decode: decode_all::<hand::InternallyTagged>,
            encode: Some(encode_all::<hand::InternallyTagged>),
        },
        Decoder {
            name: "adjacently tagged `(tag = \"type\", content = \"data\")`, `#[serde(flatten)]`ed",
            decode: decode_all::<hand::FlattenedEvent>,
            encode: Some(encode_all::<hand::FlattenedEvent>),
        },
        Decoder {
            name: "typify 0.8 types from envelope.schema.json (untagged enums)",
            decode: decode_all::<typified::Event>,
            encode: Some(encode_all::<typified::Event>),
        },
    ]
}

/// How many events each decoder decodes, in [`decoders`] order.
pub fn counts(corpus: &Corpus) -> Vec<(&'static str, usize)> {
    decoders()
        .iter()
        .map(|d| (d.name, (d.decode)(corpus)))
        .collect()
}

/// Best time of `reps` runs of each of `runs`, with its last result, in `runs` order. The runs
/// take turns, one of each per round, so a ratio between two of them compares runs made in the
/// same minutes: on a shared machine the speed drifts over a table's run, and measuring one
/// decoder's runs after another's puts the drift into the ratio.
pub fn best_of_each<T>(reps: usize, runs: &[&dyn Fn() -> T]) -> Vec<(Duration, T)> {
    let mut best: Vec<(Duration, Option<T>)> = runs.iter().map(|_| (Duration::MAX, None)).collect();
    for _ in 0..reps.max(1) {
        for (run, (time, out)) in runs.iter().zip(&mut best) {
            let start = Instant::now();
            let r = run();
            *time = (*time).min(start.elapsed());
            *out = Some(r);
        }
    }
    best.into_iter()
        .map(|(time, out)| (time, out.expect("ran once")))
        .collect()
}

/// `Event::from_slice`, the crate's own entry point (the lossless fallback on failure).
fn decode_from_slice(corpus: &Corpus) -> usize {
    let mut ok = 0;
    for line in corpus.events() {
        if let Ok(v) = deck_events::Event::from_slice(line) {
            black_box(&v);
            ok += 1;
        }
    }
    ok
}

/// The times of [`best_of_each`], as many as it was given runs.
fn times<const N: usize>(results: Vec<(Duration, usize)>) -> [Duration; N] {
    let times: Vec<Duration> = results.into_iter().map(|(t, _)| t).collect();
    times.try_into().expect("one time per run")
}

/// MB/s of `t` over `bytes`.
pub fn mbps(bytes: usize, t: Duration) -> f64 {
    bytes as f64 / 1e6 / t.as_secs_f64()
}

/// Measures every decoder on `corpus`, best of `reps`, and renders the decoding and encoding
/// tables.
pub fn run(corpus: &Corpus, reps: usize) -> String {
    let mb = corpus.bytes.len() as f64 / 1e6;
    let n = corpus.len();
    let all = decoders();
    let runs: Vec<_> = all.iter().map(|d| move || (d.decode)(corpus)).collect();
    let runs: Vec<&dyn Fn() -> usize> = runs.iter().map(|r| r as _).collect();
    let mut results = Vec::new();
    for (d, (t, ok)) in all.iter().zip(best_of_each(reps, &runs)) {
        results.push((d.name, t, ok));
        eprintln!("  decoded with {}: {:.3} s", d.name, t.as_secs_f64());
    }
    let ours = results[0].1.as_secs_f64();
    let mut table = Table::new(&[
        "decoder",
        "MB/s",
        "events/s",
        "deck_events::Event is … × this",
        "decoded",
    ]);
    for (name, t, ok) in &results {
        let s = t.as_secs_f64();
        table.row(vec![
            name.to_string(),
            format!("{:.0}", mb / s),
            thousands((n as f64 / s) as u64),
            format!("{:.2}×", s / ours),
            thousands(*ok as u64),
        ]);
    }
    let mut out = format!(
        "Event decoding: {} events, {:.1} MB of NDJSON, {} types, {} with `data` before `type`; \
         `serde_json::from_slice` per event unless said, best of {reps}\n\n{}",
        thousands(n as u64),
        mb,
        corpus.per_type.len(),
        thousands(corpus.data_first as u64),
        table.render()
    );

    // Per payload shape: typed decoding against untyped and against the parser alone.
    let mut shapes = Table::new(&[
        "payload shape",
        "events",
        "Event MB/s",
        "`Event::from_slice` MB/s",
        "Value MB/s",
        "IgnoredAny MB/s",
        "Event ÷ Value",
        "Event ÷ IgnoredAny",
        "`Event::from_slice` ÷ IgnoredAny",
    ]);
    for (shape, count) in corpus.shape_counts() {
        let part = corpus.by_shape(shape);
        let bytes = part.bytes.len();
        let [te, tf, tv, ti] = times(best_of_each(
            reps,
            &[
                &|| decode_all::<deck_events::Event>(&part),
                &|| decode_from_slice(&part),
                &|| decode_all::<serde_json::Value>(&part),
                &|| decode_all::<serde::de::IgnoredAny>(&part),
            ],
        ));
        shapes.row(vec![
            format!("`{shape}`"),
            thousands(count as u64),
            format!("{:.0}", mbps(bytes, te)),
            format!("{:.0}", mbps(bytes, tf)),
            format!("{:.0}", mbps(bytes, tv)),
            format!("{:.0}", mbps(bytes, ti)),
            format!("{:.2}×", tv.as_secs_f64() / te.as_secs_f64()),
            format!("{:.2}×", ti.as_secs_f64() / te.as_secs_f64()),
            format!("{:.2}×", ti.as_secs_f64() / tf.as_secs_f64()),
        ]);
    }
    out.push_str(&format!(
        "\nBy payload shape (`serde_json::from_slice` per event unless said, best of {reps})\n\n{}",
        shapes.render()
    ));

    // By key order, through both entry points.
    let mut split = Table::new(&[
        "events with",
        "events",
        "`serde_json::from_slice::<Event>` MB/s",
        "`Event::from_slice` MB/s",
        "IgnoredAny MB/s",
        "Event ÷ IgnoredAny",
        "`Event::from_slice` ÷ IgnoredAny",
    ]);
    // MB/s through `serde_json::from_slice` and through `Event::from_slice`, `type` first then
    // `data` first.
    let mut by_order = Vec::new();
    for (first, what) in [
        (false, "`type` before `data`"),
        (true, "`data` before `type`"),
    ] {
        let part = corpus.by_order(first);
        let bytes = part.bytes.len();
        let [t, tf, ti] = times(best_of_each(
            reps,
            &[
                &|| decode_all::<deck_events::Event>(&part),
                &|| decode_from_slice(&part),
                &|| decode_all::<serde::de::IgnoredAny>(&part),
            ],
        ));
        by_order.push((mbps(bytes, t), mbps(bytes, tf)));
        split.row(vec![
            what.to_string(),
            thousands(part.len() as u64),
            format!("{:.0}", mbps(bytes, t)),
            format!("{:.0}", mbps(bytes, tf)),
            format!("{:.0}", mbps(bytes, ti)),
            format!("{:.2}×", ti.as_secs_f64() / t.as_secs_f64()),
            format!("{:.2}×", ti.as_secs_f64() / tf.as_secs_f64()),
        ]);
    }
    out.push_str(&format!(
        "\nBy key order (best of {reps}); `data` first decodes at {:.2}× the speed of `type` \
         first through `serde_json::from_slice`, {:.2}× through `Event::from_slice`\n\n{}",
        by_order[1].0 / by_order[0].0,
        by_order[1].1 / by_order[0].1,
        split.render()
    ));

    let mut enc = Vec::new();
    for d in decoders() {
        let Some(f) = d.encode else { continue };
        let (mut count, mut bytes, mut best) = (0, 0, Duration::MAX);
        for _ in 0..reps.max(1) {
            let (c, b, t) = f(corpus);
            (count, bytes, best) = (c, b, best.min(t));
        }
        enc.push((d.name, count, bytes, best));
    }
    let ours = enc[0].3.as_secs_f64();
    let mut table = Table::new(&[
        "type",
        "MB/s written",
        "events/s",
        "deck_events::Event is … × this",
        "bytes written",
    ]);
    for (name, count, bytes, t) in &enc {
        let s = t.as_secs_f64();
        table.row(vec![
            name.to_string(),
            format!("{:.0}", *bytes as f64 / 1e6 / s),
            thousands((*count as f64 / s) as u64),
            format!("{:.2}×", s / ours),
            thousands(*bytes as u64),
        ]);
    }
    out.push_str(&format!(
        "\nEvent encoding: `serde_json::to_vec` of each decoded event, best of {reps}\n\n{}",
        table.render()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_decoder_decodes_every_event_of_a_small_corpus() {
        let model =
            codegen::load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"))
                .unwrap_or_else(|d| panic!("{d}"));
        let corpus = crate::corpus::build(&model, 2_000, crate::corpus::SEED);
        assert_eq!(corpus.per_type.len(), model.events.len());
        assert!(corpus.data_first > 0);
        for (name, ok) in counts(&corpus) {
            assert_eq!(
                ok,
                corpus.len(),
                "{name} decoded {ok} of {} events",
                corpus.len()
            );
        }
    }
}
