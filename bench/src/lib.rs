//! Benchmark support: deterministic synthetic specs and corpora.

pub mod synth;
