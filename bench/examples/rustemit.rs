//! Times the Rust emitter alone on a synthetic spec, for a profiler.
//!
//! `cargo run --release -p bench --example rustemit -- 1000`
fn main() {
    let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let model = codegen::load_files(&bench::synth::spec(n)).unwrap();
    for _ in 0..3 {
        let mut out = codegen::Outputs::new();
        let t = std::time::Instant::now();
        codegen::emit::rust::emit(&model, &mut out);
        eprintln!("rust emit {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    }
}
