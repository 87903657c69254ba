//! Benchmarks of deck-events: event decoding against the alternatives, codegen at scale, and the
//! compile time of the generated crate. `cargo run --release -p bench -- all` prints the tables.

pub mod alloc;
pub mod compile;
pub mod corpus;
pub mod decode;
pub mod rng;
pub mod scale;
pub mod synth;
pub mod table;
pub mod typify_gen;

/// Types `typify` 0.8 generates from our envelope JSON Schema (rendered by the build script).
#[allow(clippy::all, clippy::pedantic, dead_code, missing_docs)]
pub mod typified {
    include!(concat!(env!("OUT_DIR"), "/typify_envelope.rs"));
}

/// What people write by hand with serde's derives over the same payload types: only the dispatch
/// on `type` differs from `deck_events::Event`.
pub mod hand {
    use serde::{Deserialize, Serialize};

    /// The envelope fields around one payload type.
    #[derive(Debug, Clone, Deserialize, Serialize)]
    pub struct Envelope<T> {
        /// `id`.
        pub id: deck_events::EventId,
        /// `object`.
        pub object: String,
        /// `data`.
        pub data: T,
        /// `created_at`.
        pub created_at: chrono::DateTime<chrono::Utc>,
        /// `request_id`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub request_id: Option<deck_events::RequestId>,
    }

    /// The envelope with an adjacently tagged payload flattened into it.
    #[derive(Debug, Clone, Deserialize, Serialize)]
    pub struct FlattenedEvent {
        /// `id`.
        pub id: deck_events::EventId,
        /// `object`.
        pub object: String,
        /// `type` and `data`.
        #[serde(flatten)]
        pub data: AdjacentData,
        /// `created_at`.
        pub created_at: chrono::DateTime<chrono::Utc>,
        /// `request_id`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub request_id: Option<deck_events::RequestId>,
    }

    include!(concat!(env!("OUT_DIR"), "/hand_tagged.rs"));
}

/// The machine the figures come from: cores, CPU model and rustc version.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let rustc =
        std::process::Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .arg("-V")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_else(|| "rustc (unknown)".into());
    format!("Machine: {cores} cores, {cpu}, {rustc}\n")
}
