//! What RFC 3339 timestamps cost when decoding events: `chrono`'s parser (what the generated
//! crate's `DateTime<Utc>` fields use) against a fast path for the fixed shape events use
//! (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`), over every timestamp in the corpus.
//!
//! `cargo run --release -p bench --example timestamps`

use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};

fn fast(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let mut nanos = 0u32;
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 9 {
                nanos = nanos * 10 + u32::from(b[i] - b'0');
            }
            i += 1;
        }
        for _ in (i - start).min(9)..9 {
            nanos *= 10;
        }
    }
    let t = date.and_hms_nano_opt(num(11..13)?, num(14..16)?, num(17..19)?, nanos)?;
    let offset = match &b[i..] {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let d = |c: u8| c.is_ascii_digit().then(|| i64::from(c - b'0'));
            let secs = (d(*h1)? * 10 + d(*h2)?) * 3600 + (d(*m1)? * 10 + d(*m2)?) * 60;
            if *sign == b'+' { secs } else { -secs }
        }
        _ => return None,
    };
    Some((t - chrono::Duration::seconds(offset)).and_utc())
}

fn main() {
    let model =
        codegen::load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"))
            .unwrap_or_else(|d| panic!("{d}"));
    let corpus = bench::corpus::build(&model, 100_000, bench::corpus::SEED);
    let mut stamps = Vec::new();
    for line in corpus.events() {
        let v: serde_json::Value = serde_json::from_slice(line).unwrap();
        collect(&v, &mut stamps);
    }
    for s in &stamps {
        assert_eq!(fast(s), s.parse::<DateTime<Utc>>().ok(), "{s}");
    }
    let best = |f: &dyn Fn(&str) -> Option<DateTime<Utc>>| {
        (0..5)
            .map(|_| {
                let t = Instant::now();
                for s in &stamps {
                    black_box(f(black_box(s)));
                }
                t.elapsed()
            })
            .min()
            .unwrap()
    };
    let chrono_t = best(&|s| s.parse::<DateTime<Utc>>().ok());
    let fast_t = best(&fast);
    println!(
        "{} timestamps in {} events ({:.1} per event): chrono {:.1} ms ({:.0} ns each), fast path {:.1} ms ({:.0} ns each)",
        stamps.len(),
        corpus.len(),
        stamps.len() as f64 / corpus.len() as f64,
        chrono_t.as_secs_f64() * 1e3,
        chrono_t.as_secs_f64() * 1e9 / stamps.len() as f64,
        fast_t.as_secs_f64() * 1e3,
        fast_t.as_secs_f64() * 1e9 / stamps.len() as f64,
    );
}

fn collect(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) if DateTime::parse_from_rfc3339(s).is_ok() => {
            out.push(s.clone())
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect(x, out)),
        _ => {}
    }
}
