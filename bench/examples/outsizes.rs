//! Sizes of the outputs of a synthetic spec, by directory and per Rust source file.
//!
//! `cargo run --release -p bench --example outsizes -- 1000`
fn main() {
    let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let model = codegen::load_files(&bench::synth::spec(n)).unwrap();
    let out = codegen::emit::all(&model);
    let mut by_dir: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for (p, c) in out.files() {
        let d = p.rsplit_once('/').map_or(p.as_str(), |x| x.0).to_string();
        let e = by_dir.entry(d).or_default();
        e.0 += 1;
        e.1 += c.len();
    }
    for (d, (n, b)) in by_dir {
        println!("{d}: {n} files {b} bytes");
    }
    for (p, c) in out.files().iter().filter(|(p, _)| p.starts_with("src/")) {
        println!("{p} {} bytes {} lines", c.len(), c.lines().count());
    }
}
