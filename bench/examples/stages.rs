//! Times one stage of codegen on a synthetic spec, for a profiler.
//!
//! `cargo run --release -p bench --example stages -- load|docs|schema|asyncapi|rust 10000`
fn main() {
    let mut args = std::env::args().skip(1);
    let stage = args.next().unwrap();
    let n: usize = args.next().unwrap().parse().unwrap();
    let files = bench::synth::spec(n);
    let t = std::time::Instant::now();
    let model = codegen::load_files(&files).unwrap();
    eprintln!("load {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let mut out = codegen::Outputs::new();
        match stage.as_str() {
            "load" => drop(codegen::load_files(&files).unwrap()),
            "docs" => codegen::emit::docs::emit(&model, &mut out),
            "schema" => codegen::emit::schema::emit(&model, &mut out),
            "asyncapi" => codegen::emit::asyncapi::emit(&model, &mut out),
            "rust" => codegen::emit::rust::emit(&model, &mut out),
            other => panic!("unknown stage {other}"),
        }
        eprintln!("{stage} {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    }
}
