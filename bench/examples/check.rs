//! How many deliveries a second `deck-events check` reads, as a user runs it: the release binary
//! on an NDJSON file of the bench's corpus (100,000 typical events), best of three runs.
//!
//! ```text
//! cargo build --release -p deck-events-cli
//! cargo run --release -p bench --example check [-- PATH_TO_DECK_EVENTS]
//! ```
//!
//! The binary defaults to `deck-events` beside this example's own target directory
//! (`target/release/deck-events`). The corpus is clean, so `check` must exit 0: a run that finds
//! drift is a bug in the corpus or the command, and fails here.
use std::io::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let binary = std::env::args().nth(1).map_or_else(
        || {
            let exe = std::env::current_exe().expect("this example's path");
            // target/release/examples/check -> target/release/deck-events
            exe.parent()
                .and_then(|examples| examples.parent())
                .expect("a target directory")
                .join("deck-events")
        },
        std::path::PathBuf::from,
    );
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = codegen::load_dir(&spec).unwrap_or_else(|d| panic!("{d}"));
    let corpus = bench::corpus::build(&model, 100_000, bench::corpus::SEED);
    let path = std::env::temp_dir().join(format!("check-bench-{}.ndjson", std::process::id()));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("a temp file"));
    let mut bytes = 0usize;
    for body in corpus.events() {
        file.write_all(body).expect("write");
        file.write_all(b"\n").expect("write");
        bytes += body.len() + 1;
    }
    file.into_inner().expect("flush").sync_all().expect("sync");
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let out = Command::new(&binary)
            .args(["check", "--format", "json"])
            .arg(&path)
            .output()
            .unwrap_or_else(|err| panic!("run {}: {err}", binary.display()));
        best = best.min(start.elapsed());
        assert!(
            out.status.success(),
            "check found drift in a clean corpus:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let _ = std::fs::remove_file(&path);
    let seconds = best.as_secs_f64();
    println!(
        "| `deck-events check` on {} events ({:.1} MB of NDJSON) | {:.0} events/s | {:.0} MB/s | {:.2} s |",
        corpus.len(),
        bytes as f64 / 1e6,
        corpus.len() as f64 / seconds,
        bytes as f64 / 1e6 / seconds,
        seconds
    );
}
