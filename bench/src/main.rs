//! `cargo run --release -p bench -- [decode|codegen|compile|all] [--quick]`: prints the tables.

use std::path::PathBuf;
use std::time::Instant;

#[global_allocator]
static ALLOC: bench::alloc::Counting = bench::alloc::Counting;

fn main() {
    let mut what = "all".to_string();
    let mut quick = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quick" => quick = true,
            // Decodes with `deck_events::Event` only, for a profiler.
            "profile-decode" => {
                let model =
                    codegen::load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec"))
                        .unwrap_or_else(|d| panic!("{d}"));
                let corpus = bench::corpus::build(&model, 100_000, bench::corpus::SEED);
                for _ in 0..10 {
                    let d = &bench::decode::decoders()[0];
                    std::hint::black_box((d.decode)(&corpus));
                }
                return;
            }
            "decode" | "codegen" | "compile" | "all" => what = arg,
            "-h" | "--help" => {
                println!(
                    "usage: bench [decode|codegen|compile|all] [--quick]\n\n\
                     decode   event decoding and encoding throughput against the alternatives\n\
                     codegen  codegen time and memory for the real spec and synthetic specs\n\
                     compile  compile time of the generated crate against typify's output\n\
                     --quick  smaller sizes, for a smoke run"
                );
                return;
            }
            other => {
                eprintln!("unknown argument `{other}` (try --help)");
                std::process::exit(2);
            }
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec_dir = root.join("spec");
    println!("{}", bench::machine());
    let all = what == "all";
    if all || what == "decode" {
        let model = codegen::load_dir(&spec_dir).unwrap_or_else(|d| panic!("{d}"));
        let n = if quick { 10_000 } else { 100_000 };
        let reps = if quick { 2 } else { 5 };
        let start = Instant::now();
        let corpus = bench::corpus::build(&model, n, bench::corpus::SEED);
        eprintln!(
            "corpus: {} events in {:.2} s",
            corpus.len(),
            start.elapsed().as_secs_f64()
        );
        println!("{}", bench::decode::run(&corpus, reps));
    }
    if all || what == "codegen" {
        println!("{}", bench::scale::run(&spec_dir, quick));
    }
    if all || what == "compile" {
        println!("{}", bench::compile::run(&root, quick));
    }
}
