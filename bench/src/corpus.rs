//! A deterministic NDJSON corpus of realistic events, built from the spec's own examples.
//!
//! Every event type of the spec appears, in the proportions of a real stream: task runs are 60 %
//! of it, the rest spread over the other resources. Each event is one of its type's examples with
//! identifiers, timestamps and numbers varied, some optional payload fields left out, some
//! `request_id`s left out, and about one event in ten written with `data` before `type`.

use std::collections::BTreeMap;

use codegen::Model;
use codegen::model::TypeKind;
use serde_json::Value;

use crate::rng::Rng;

/// The seed every table uses.
pub const SEED: u64 = 0x00DE_C0DE_5EED;

/// An NDJSON corpus held in memory.
pub struct Corpus {
    /// The NDJSON text, one event a line.
    pub bytes: Vec<u8>,
    /// Each line's byte range, without its newline.
    pub lines: Vec<(usize, usize)>,
    /// How many events of each type.
    pub per_type: BTreeMap<String, usize>,
    /// How many events have `data` before `type`.
    pub data_first: usize,
    /// Whether each line has `data` before `type`.
    pub data_first_lines: Vec<bool>,
    /// The payload shape (the Rust type of `data`, such as `TaskRun`) of each line.
    pub shapes: Vec<&'static str>,
}

impl Corpus {
    /// The events, one JSON document each.
    pub fn events(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.lines.iter().map(|&(a, b)| &self.bytes[a..b])
    }

    /// The number of events.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// The events whose `data` comes before `type` (`true`) or after it (`false`).
    pub fn by_order(&self, data_first: bool) -> Corpus {
        self.filter(|i| self.data_first_lines[i] == data_first)
    }

    /// The events whose payload has the shape `shape`.
    pub fn by_shape(&self, shape: &str) -> Corpus {
        self.filter(|i| self.shapes[i] == shape)
    }

    /// The payload shapes of the corpus, with their number of events, most frequent first.
    pub fn shape_counts(&self) -> Vec<(&'static str, usize)> {
        let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        for shape in &self.shapes {
            *counts.entry(shape).or_default() += 1;
        }
        let mut counts: Vec<_> = counts.into_iter().collect();
        counts.sort_by_key(|&(shape, n)| (std::cmp::Reverse(n), shape));
        counts
    }

    fn filter(&self, keep: impl Fn(usize) -> bool) -> Corpus {
        let mut out = Corpus {
            bytes: Vec::new(),
            lines: Vec::new(),
            per_type: BTreeMap::new(),
            data_first: 0,
            data_first_lines: Vec::new(),
            shapes: Vec::new(),
        };
        for (i, line) in self.events().enumerate().filter(|&(i, _)| keep(i)) {
            let start = out.bytes.len();
            out.bytes.extend_from_slice(line);
            out.lines.push((start, out.bytes.len()));
            out.bytes.push(b'\n');
            out.data_first_lines.push(self.data_first_lines[i]);
            out.data_first += usize::from(self.data_first_lines[i]);
            out.shapes.push(self.shapes[i]);
        }
        out
    }

    /// Whether the corpus is empty.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// Share of the stream per resource (`object`), in percent; objects not listed share 2 % each.
const OBJECT_WEIGHTS: &[(&str, f64)] = &[
    ("task_run", 60.0),
    ("storage", 9.0),
    ("workflow_run", 9.0),
    ("connection", 8.0),
    ("task", 4.0),
    ("agent", 3.0),
    ("source", 3.0),
    ("event_destination", 2.0),
];

/// Relative weight of a task run's actions; actions not listed weigh 1.
const TASK_RUN_ACTIONS: &[(&str, f64)] = &[
    ("queued", 20.0),
    ("running", 20.0),
    ("completed", 35.0),
    ("failed", 10.0),
    ("canceled", 5.0),
    ("pending", 4.0),
    ("interaction_required", 6.0),
];

struct Template<'a> {
    wire: &'a str,
    shape: &'static str,
    examples: Vec<&'a serde_json::Map<String, Value>>,
    optional: Vec<&'a str>,
}

/// `n` events from `model`'s examples, varied with a PRNG seeded by `seed`.
///
/// # Panics
/// If an event type has no example (the spec requires one).
pub fn build(model: &Model, n: usize, seed: u64) -> Corpus {
    let mut templates = Vec::new();
    let mut weights = Vec::new();
    for e in &model.events {
        let examples: Vec<_> = e
            .examples
            .iter()
            .filter_map(|x| x.json.as_object())
            .collect();
        assert!(!examples.is_empty(), "{} has no example", e.name);
        let optional = match &model.ty(e.data).kind {
            TypeKind::Object { fields, .. } => fields
                .iter()
                .filter(|f| f.optional)
                .map(|f| f.name.as_str())
                .collect(),
            _ => Vec::new(),
        };
        let in_group = model.group(e.group).events.len() as f64;
        let share = OBJECT_WEIGHTS
            .iter()
            .find(|(o, _)| *o == e.object)
            .map_or(2.0, |(_, w)| *w);
        let w = if e.object == "task_run" {
            let total: f64 = model
                .group(e.group)
                .events
                .iter()
                .map(|&i| action_weight(&model.event(i).action))
                .sum();
            share * action_weight(&e.action) / total
        } else {
            share / in_group
        };
        weights.push(w);
        // Leaked once per event type, so the corpus and its parts share the names freely.
        let shape: &'static str = codegen::emit::rust::type_name(model.ty(e.data)).leak();
        templates.push(Template {
            wire: &e.name,
            shape,
            examples,
            optional,
        });
    }
    let total: f64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cumulative.push(acc);
    }

    let mut rng = Rng::new(seed);
    let mut corpus = Corpus {
        bytes: Vec::with_capacity(n * 900),
        lines: Vec::with_capacity(n),
        per_type: BTreeMap::new(),
        data_first: 0,
        data_first_lines: Vec::with_capacity(n),
        shapes: Vec::with_capacity(n),
    };
    for i in 0..n {
        // Every type at least once, then drawn by weight.
        let t = if i < templates.len() {
            i
        } else {
            let u = rng.unit();
            cumulative
                .iter()
                .position(|&c| u < c)
                .unwrap_or(templates.len() - 1)
        };
        let tpl = &templates[t];
        let example = tpl.examples[rng.below(tpl.examples.len() as u64) as usize];
        let start = corpus.bytes.len();
        let data_first = rng.chance(0.1);
        write_event(&mut corpus.bytes, tpl, example, data_first, &mut rng);
        corpus.lines.push((start, corpus.bytes.len()));
        corpus.bytes.push(b'\n');
        *corpus.per_type.entry(tpl.wire.to_string()).or_default() += 1;
        corpus.data_first += usize::from(data_first);
        corpus.data_first_lines.push(data_first);
        corpus.shapes.push(tpl.shape);
    }
    corpus
}

fn action_weight(action: &str) -> f64 {
    TASK_RUN_ACTIONS
        .iter()
        .find(|(a, _)| *a == action)
        .map_or(1.0, |(_, w)| *w)
}

fn write_event(
    out: &mut Vec<u8>,
    tpl: &Template<'_>,
    example: &serde_json::Map<String, Value>,
    data_first: bool,
    rng: &mut Rng,
) {
    let mut data = example.get("data").cloned().unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut data {
        for name in &tpl.optional {
            if fields.contains_key(*name) && rng.chance(0.25) {
                fields.remove(*name);
            }
        }
    }
    vary(&mut data, rng);
    let mut keys: Vec<&str> = example.keys().map(String::as_str).collect();
    // Examples are stored with sorted keys; write them in the order producers use.
    const ORDER: &[&str] = &["id", "object", "type", "data", "created_at", "request_id"];
    keys.sort_by_key(|k| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
    if data_first {
        keys.retain(|k| *k != "data");
        keys.insert(0, "data");
    }
    let drop_request = rng.chance(0.3);
    out.push(b'{');
    let mut first = true;
    for k in keys {
        let value = match k {
            "data" => data.clone(),
            "id" => Value::String(format!("evt_{}", rng.alnum(16))),
            "type" => Value::String(tpl.wire.to_string()),
            "request_id" if drop_request => continue,
            _ => {
                let mut v = example[k].clone();
                vary(&mut v, rng);
                v
            }
        };
        if !first {
            out.push(b',');
        }
        first = false;
        serde_json::to_writer(&mut *out, k).unwrap();
        out.push(b':');
        serde_json::to_writer(&mut *out, &value).unwrap();
    }
    out.push(b'}');
}

/// Varies identifiers (`prefix_suffix`), RFC 3339 timestamps and numbers, keeping their shapes.
fn vary(v: &mut Value, rng: &mut Rng) {
    match v {
        Value::String(s) => {
            if let Some(id) = vary_id(s, rng) {
                *s = id;
            } else if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
                let t = t.to_utc() + chrono::Duration::seconds(rng.below(90 * 86_400) as i64);
                *s = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            }
        }
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                if u > 0 {
                    *n = (u / 2 + rng.below(u * 3 / 2 + 1)).into();
                }
            } else if let Some(f) = n.as_f64() {
                let f = (f * (0.5 + rng.unit()) * 100.0).round() / 100.0;
                if let Some(x) = serde_json::Number::from_f64(f) {
                    *n = x;
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| vary(x, rng)),
        Value::Object(fields) => fields.values_mut().for_each(|x| vary(x, rng)),
        Value::Null | Value::Bool(_) => {}
    }
}

fn vary_id(s: &str, rng: &mut Rng) -> Option<String> {
    let (prefix, suffix) = s.split_once('_')?;
    let ok = !prefix.is_empty()
        && prefix.bytes().all(|b| b.is_ascii_lowercase())
        && suffix.len() >= 8
        && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
        && suffix.bytes().any(|b| b.is_ascii_digit());
    ok.then(|| format!("{prefix}_{}", rng.alnum(suffix.len())))
}
