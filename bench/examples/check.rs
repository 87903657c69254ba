//! How fast, and in how much memory, `deck-events check` reads deliveries, as a user runs it: the
//! release binary on NDJSON files of the bench's corpus (100,000 typical events).
//!
//! ```text
//! cargo build --release -p deck-events-cli
//! cargo run --release -p bench --example check [-- PATH_TO_DECK_EVENTS]
//! ```
//!
//! Two rows: the corpus as one file (43 MB), best of three runs; and the corpus repeated to at
//! least 1 GiB, one run, to show that memory does not grow with the input. Each row gives the
//! peak resident set of the `check` process. The binary defaults to `deck-events` beside this
//! example's own target directory (`target/release/deck-events`). The corpus is clean, so `check`
//! must exit 0: a run that finds drift is a bug in the corpus or the command, and fails here.
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bench::table::{Table, mib, thousands};

/// The size the large file reaches at least: 1 GiB.
const LARGE: usize = 1 << 30;

/// Writes the corpus to `path`, one body per line, once and then again until the file holds at
/// least `at_least` bytes; returns the events and bytes written.
fn write_ndjson(corpus: &bench::corpus::Corpus, path: &Path, at_least: usize) -> (usize, usize) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("a temp file"));
    let (mut events, mut bytes) = (0usize, 0usize);
    while bytes == 0 || bytes < at_least {
        for body in corpus.events() {
            file.write_all(body).expect("write");
            file.write_all(b"\n").expect("write");
            bytes += body.len() + 1;
            events += 1;
        }
    }
    file.into_inner().expect("flush").sync_all().expect("sync");
    (events, bytes)
}

/// One run of `check --format json` on `path`: its time and peak resident set.
///
/// The run is started by a fresh copy of this example (`--measure`), not by this process: a
/// child's peak resident set counts the memory of the process that started it, up to its `exec`
/// (Linux records the high-water mark of the image `exec` replaces), and this one holds the
/// corpus. The copy holds nothing, so the figure is `check`'s own, or the copy's few MiB if less.
fn run(binary: &Path, path: &Path) -> (Duration, usize) {
    let out = Command::new(std::env::current_exe().expect("this example's path"))
        .arg("--measure")
        .arg(binary)
        .arg(path)
        .output()
        .expect("run this example again");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("two numbers");
    let (nanos, rss) = text.trim().split_once(' ').expect("two numbers");
    (
        Duration::from_nanos(nanos.parse().expect("nanoseconds")),
        rss.parse().expect("bytes"),
    )
}

/// `--measure BINARY PATH`: runs `BINARY check --format json PATH` and prints its time in
/// nanoseconds and its peak resident set in bytes. A clean corpus must not drift.
fn measure(binary: &Path, path: &Path) {
    let start = Instant::now();
    let (status, rss) = bench::alloc::run_with_peak_rss(
        Command::new(binary)
            .args(["check", "--format", "json"])
            .arg(path)
            .stdout(Stdio::null()),
    )
    .unwrap_or_else(|err| panic!("run {}: {err}", binary.display()));
    let elapsed = start.elapsed();
    assert!(
        status.success(),
        "check found drift in a clean corpus ({status}): run it on {} to see it",
        path.display()
    );
    println!("{} {rss}", elapsed.as_nanos());
}

fn row(table: &mut Table, what: &str, events: usize, bytes: usize, time: Duration, rss: usize) {
    let seconds = time.as_secs_f64();
    table.row(vec![
        format!(
            "{what}: {} events, {:.1} MB",
            thousands(events as u64),
            bytes as f64 / 1e6
        ),
        thousands((events as f64 / seconds) as u64),
        format!("{:.0}", bytes as f64 / 1e6 / seconds),
        format!("{seconds:.2} s"),
        mib(rss),
    ]);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, binary, path] = &args[..]
        && flag == "--measure"
    {
        measure(Path::new(binary), Path::new(path));
        return;
    }
    let binary = args.get(1).map_or_else(
        || {
            let exe = std::env::current_exe().expect("this example's path");
            // target/release/examples/check -> target/release/deck-events
            exe.parent()
                .and_then(|examples| examples.parent())
                .expect("a target directory")
                .join("deck-events")
        },
        PathBuf::from,
    );
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = codegen::load_dir(&spec).unwrap_or_else(|d| panic!("{d}"));
    let corpus = bench::corpus::build(&model, 100_000, bench::corpus::SEED);
    let path = std::env::temp_dir().join(format!("check-bench-{}.ndjson", std::process::id()));

    let mut table = Table::new(&["input", "events/s", "MB/s", "time", "peak RSS"]);
    let (events, bytes) = write_ndjson(&corpus, &path, 0);
    let (mut best, mut rss) = (Duration::MAX, 0);
    for _ in 0..3 {
        let (time, peak) = run(&binary, &path);
        best = best.min(time);
        rss = rss.max(peak);
    }
    row(&mut table, "the corpus", events, bytes, best, rss);

    let (events, bytes) = write_ndjson(&corpus, &path, LARGE);
    let (time, rss) = run(&binary, &path);
    let _ = std::fs::remove_file(&path);
    row(&mut table, "the corpus repeated", events, bytes, time, rss);
    print!("{}", table.render());
}
