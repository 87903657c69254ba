//! Table 2: the whole codegen (load, check, emit every output, in memory) at scale: the real spec
//! and synthetic specs of 100, 1,000 and 10,000 event types, with the time of each stage, the
//! peak heap (counting allocator) and the process's maximum RSS.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::alloc;
use crate::table::{Table, mib, thousands};

/// The spec files under `dir`, as `codegen::load_files` takes them.
pub fn read_spec(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("spec directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read_to_string(&path).expect("spec file"));
            }
        }
    }
    files
}

/// Times of one codegen run, split by stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stages {
    /// `codegen::load_files`: YAML parsing, decoding, checks, lowering, example checks.
    pub load: Duration,
    /// `codegen::emit::all`: every output, as `cargo xtask codegen` renders them (the docs site
    /// and the Rust crate on threads of their own).
    pub emit: Duration,
    /// The Rust crate emitter, alone.
    pub rust: Duration,
    /// The JSON Schema emitter, alone.
    pub schema: Duration,
    /// The docs site emitter, alone.
    pub docs: Duration,
}

impl Stages {
    fn total(&self) -> Duration {
        self.load + self.emit
    }
}

/// One whole codegen run, in memory: load then every output as `cargo xtask codegen` renders
/// them, then the three largest emitters again one at a time for their own times; returns the
/// stage times and the number of events and of output bytes.
pub fn codegen_once(files: &BTreeMap<String, String>) -> (Stages, usize, usize) {
    let t = Instant::now();
    let model = codegen::load_files(files).unwrap_or_else(|d| panic!("{d}"));
    let load = t.elapsed();
    let t = Instant::now();
    let all = codegen::emit::all(&model);
    let emit = t.elapsed();
    let bytes = all.files().values().map(String::len).sum();
    drop(all);
    let alone = |emit: fn(&codegen::Model, &mut codegen::Outputs)| {
        let mut out = codegen::Outputs::new();
        let t = Instant::now();
        emit(&model, &mut out);
        t.elapsed()
    };
    let docs = alone(codegen::emit::docs::emit);
    let rust = alone(codegen::emit::rust::emit);
    let schema = alone(codegen::emit::schema::emit);
    (
        Stages {
            load,
            emit,
            rust,
            schema,
            docs,
        },
        model.events.len(),
        bytes,
    )
}

fn median(mut runs: Vec<Stages>) -> Stages {
    runs.sort_by_key(Stages::total);
    runs[runs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

/// Renders the codegen table.
pub fn run(spec: &Path, quick: bool) -> String {
    // (name, files, repetitions, synthetic size)
    let mut cases: Vec<(String, BTreeMap<String, String>, usize, usize)> =
        vec![("real spec".into(), read_spec(spec), 15, 0)];
    let sizes: &[(usize, usize)] = if quick {
        &[(100, 3), (1_000, 1)]
    } else {
        &[(100, 9), (1_000, 5), (10_000, 3)]
    };
    for &(n, reps) in sizes {
        cases.push((
            format!("synthetic, {} events", thousands(n as u64)),
            crate::synth::spec(n),
            reps,
            n,
        ));
    }
    let mut table = Table::new(&[
        "spec",
        "events",
        "input",
        "output",
        "total ms (median)",
        "events/s",
        "load ms",
        "emit ms",
        "Rust alone ms",
        "schemas alone ms",
        "docs alone ms",
        "peak heap",
        "max RSS so far",
    ]);
    let mut totals = BTreeMap::new();
    for (name, files, reps, _) in &cases {
        eprintln!("  codegen: {name}");
        let input: usize = files.values().map(String::len).sum();
        // One run measures the peak heap, untimed: counting every allocation costs time (most
        // of all when the loader parses on several threads). The time is the median of the
        // other runs, which count nothing.
        let ((_, events, output), peak) = alloc::peak_during(|| codegen_once(files));
        let runs = (0..*reps).map(|_| codegen_once(files).0).collect();
        let m = median(runs);
        totals.insert(events, m.total());
        table.row(vec![
            name.clone(),
            thousands(events as u64),
            mib(input),
            mib(output),
            ms(m.total()),
            thousands((events as f64 / m.total().as_secs_f64()) as u64),
            ms(m.load),
            ms(m.emit),
            ms(m.rust),
            ms(m.schema),
            ms(m.docs),
            if alloc::counting() {
                mib(peak)
            } else {
                "n/a".into()
            },
            mib(alloc::max_rss()),
        ]);
    }
    let mut out = format!(
        "Codegen at scale: load, check and emit every output in memory, as `cargo xtask codegen` \
         does (total = load + emit); each of the three largest emitters also timed alone; median \
         of several runs\n\n{}",
        table.render()
    );
    if let (Some(a), Some(b)) = (totals.get(&1_000), totals.get(&10_000)) {
        out.push_str(&format!(
            "\nTime for 10,000 events / time for 1,000 events: {:.2}× (linear would be 10×)\n",
            b.as_secs_f64() / a.as_secs_f64()
        ));
    }
    out
}
