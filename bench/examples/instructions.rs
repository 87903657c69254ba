//! Decodes a corpus a given number of times through one entry point, for an instruction count
//! that does not move with the machine's load:
//!
//! ```text
//! cargo build --release -p bench --example instructions
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/instructions from_slice|serde_json|encode PASSES
//! ```
//!
//! The spec's loading and the corpus's building are the same for every pass count, so the
//! difference between the totals of two pass counts, divided by the difference of the counts, is
//! what one pass costs. On a shared machine, where decoding speeds vary by a tenth from one run
//! to the next, that is how a change to the generated crate is compared before and after.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("from_slice, serde_json or encode");
    let passes: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a number of passes");
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = codegen::load_dir(&spec).unwrap_or_else(|d| panic!("{d}"));
    let corpus = bench::corpus::build(&model, 2_000, bench::corpus::SEED);
    let events: Vec<deck_events::Event> = corpus
        .events()
        .map(|body| deck_events::Event::from_slice(body).expect("decodes"))
        .collect();
    let mut kept = 0usize;
    for _ in 0..passes {
        match path.as_str() {
            "from_slice" => {
                for body in corpus.events() {
                    kept += usize::from(deck_events::Event::from_slice(body).is_ok());
                }
            }
            "serde_json" => {
                for body in corpus.events() {
                    kept += usize::from(serde_json::from_slice::<deck_events::Event>(body).is_ok());
                }
            }
            "encode" => {
                for event in &events {
                    kept += serde_json::to_vec(event).map_or(0, |v| v.len());
                }
            }
            other => panic!("unknown path {other}"),
        }
    }
    println!("{kept}");
}
