//! The dead-letter store: verified deliveries the receiver cannot read, kept byte for byte.
//!
//! Each delivery becomes two files named after its `webhook-id` (the same on every retry, so a
//! retried delivery overwrites its own files rather than piling up copies):
//! - `<id>.body`: the body exactly as received, which is what Deck signed;
//! - `<id>.meta.json`: why it was kept, its event type when the envelope was readable, and the
//!   three signature headers, so the body can be verified again before it is replayed.
//!
//! Files are written to a temporary name and renamed, so a reader never sees half a delivery.

use std::io;
use std::path::{Path, PathBuf};

use axum::http::HeaderMap;
use deck_events::signing::{Error, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP};

/// The headers kept beside a body, to verify it again later.
const SIGNATURE_HEADERS: [&str; 3] = [HEADER_ID, HEADER_TIMESTAMP, HEADER_SIGNATURE];

/// A directory of kept deliveries.
pub struct DeadLetters {
    dir: PathBuf,
}

impl DeadLetters {
    /// A store in `dir`, created when the first delivery is kept.
    pub fn new(dir: impl Into<PathBuf>) -> DeadLetters {
        DeadLetters { dir: dir.into() }
    }

    /// Keeps a verified delivery that did not parse, and returns the path of its body.
    pub async fn store(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        why: &Error,
    ) -> io::Result<PathBuf> {
        tokio::fs::create_dir_all(&self.dir).await?;
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let stem = file_stem(header(HEADER_ID).unwrap_or_default());
        let body_path = self.dir.join(format!("{stem}.body"));
        let meta = serde_json::json!({
            "reason": why.to_string(),
            "event_type": why.raw_event().map(|raw| raw.event_type().to_string()),
            "body": format!("{stem}.body"),
            "headers": SIGNATURE_HEADERS
                .iter()
                .map(|name| (name.to_string(), header(name).into()))
                .collect::<serde_json::Map<String, serde_json::Value>>(),
        });
        let meta = serde_json::to_vec_pretty(&meta).map_err(io::Error::other)?;
        write_atomically(&body_path, body).await?;
        write_atomically(&self.dir.join(format!("{stem}.meta.json")), &meta).await?;
        Ok(body_path)
    }
}

/// A file name from a `webhook-id`: its ASCII letters, digits, `-` and `_`, at most 100 of them,
/// so a header can never name a path outside the store.
fn file_stem(id: &str) -> String {
    let stem: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    if stem.is_empty() {
        "delivery".into()
    } else {
        stem
    }
}

async fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    tokio::fs::write(&partial, bytes).await?;
    tokio::fs::rename(&partial, path).await
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn a_header_never_names_a_path_outside_the_store() {
        assert_eq!(file_stem("msg_2Kx-9"), "msg_2Kx-9");
        assert_eq!(file_stem("../../etc/passwd"), "______etc_passwd");
        assert_eq!(file_stem(""), "delivery");
        assert_eq!(file_stem(&"a".repeat(500)).len(), 100);
    }
}
