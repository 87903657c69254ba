//! `cargo run --release -p bench --example navshare -- 1000`: bytes of the docs output spent on the sidebar, for a synthetic spec of N events.
fn main() {
    let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let model = codegen::load_files(&bench::synth::spec(n)).unwrap();
    let mut out = codegen::Outputs::new();
    let t = std::time::Instant::now();
    codegen::emit::docs::emit(&model, &mut out);
    let el = t.elapsed();
    let (mut total, mut nav) = (0usize, 0usize);
    for (p, c) in out.files() {
        if !p.ends_with(".html") {
            continue;
        }
        total += c.len();
        if let (Some(i), Some(j)) = (c.find("<nav class=\"sidebar\""), c.find("</nav>")) {
            nav += j - i;
        }
    }
    println!(
        "{n} events: docs emit {:.0} ms, html {} bytes, sidebar {} bytes ({:.1}%)",
        el.as_secs_f64() * 1e3,
        total,
        nav,
        100.0 * nav as f64 / total as f64
    );
}
