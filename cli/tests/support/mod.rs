//! What the CLI's end-to-end tests share: the `deck-events` binary, the example receiver
//! (`examples/receiver`) run as its own process on a free port, and their test secrets.
//!
//! The receiver is built by cargo from the test (once per run); a test fails, rather than
//! skips, when it cannot be built.

// Each test file uses some of this module.
#![allow(dead_code)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
pub const OTHER_SECRET: &str = "whsec_3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4=";

pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// The executable `bin` of the workspace's package `package`, built by cargo (in the workspace's
/// target directory, as `cargo build -p <package>` builds it).
fn build(package: &str, bin: &str) -> PathBuf {
    let output = Command::new(env!("CARGO"))
        .args([
            "build",
            "-p",
            package,
            "--bin",
            bin,
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(workspace_root())
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "cargo could not build {package}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|message| {
            message["reason"] == "compiler-artifact" && message["target"]["name"] == bin
        })
        .and_then(|message| message["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("cargo reports the executable of {package}"))
}

/// The receiver's executable, built by cargo the first time it is asked for.
pub fn receiver_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| build("receiver", "receiver"))
}

/// The repository tasks' executable (`cargo xtask`), built by cargo the first time it is asked
/// for.
pub fn xtask_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| build("xtask", "xtask"))
}

/// The example receiver, running; killed when dropped.
pub struct Receiver {
    child: Child,
    stdout: BufReader<ChildStdout>,
    pub url: String,
    pub dead_letters: tempfile::TempDir,
}

impl Receiver {
    /// Starts the receiver with `SECRET` on a free port and waits until it listens.
    pub fn start() -> Receiver {
        let dead_letters = tempfile::tempdir().unwrap();
        let mut child = Command::new(receiver_binary())
            .env("WEBHOOK_SECRETS", SECRET)
            .env("RECEIVER_ADDR", "127.0.0.1:0")
            .env("DEAD_LETTER_DIR", dead_letters.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the receiver");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        let url = first
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("the receiver did not start: {first:?}"))
            .to_owned();
        let mut second = String::new();
        stdout.read_line(&mut second).unwrap();
        assert!(
            second.starts_with("unreadable deliveries are kept in"),
            "{second:?}"
        );
        Receiver {
            child,
            stdout,
            url,
            dead_letters,
        }
    }

    /// Sends one `event_type` delivery, changed by each `PATH=VALUE` of `sets`, through
    /// `deck-events trigger` with `SECRET`.
    pub fn trigger(&self, event_type: &str, sets: &[&str]) -> Output {
        let mut args = vec![
            "trigger", event_type, "--url", &self.url, "--secret", SECRET,
        ];
        for set in sets {
            args.extend(["--set", set]);
        }
        deck_events(&args, b"")
    }

    /// The files of the dead-letter store whose names end in `suffix` (`.body`, `.meta.json`),
    /// sorted.
    pub fn kept(&self, suffix: &str) -> Vec<PathBuf> {
        let mut kept: Vec<PathBuf> = std::fs::read_dir(self.dead_letters.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.to_string_lossy().ends_with(suffix))
            .collect();
        kept.sort();
        kept
    }

    /// Stops the receiver and returns what it printed after it started listening.
    pub fn stop(mut self) -> String {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).unwrap();
        rest
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `deck-events` with `args` and `stdin`.
pub fn deck_events(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_deck-events"))
        .args(args)
        .env_remove("WEBHOOK_SECRET")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start deck-events");
    // A command that stops before reading its input (a usage mistake) closes the pipe.
    if let Err(err) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe, "{err}");
    }
    child.wait_with_output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Applies one edit of `check --suggest --format json` to the spec directory `spec`: inserts
/// `key: value` into the mapping at the edit's `path` of its file, which must not hold the key
/// yet (a suggestion never replaces anything).
pub fn apply_edit(spec: &Path, edit: &Value) {
    let file = spec.join(
        edit["file"]
            .as_str()
            .unwrap()
            .strip_prefix("spec/")
            .unwrap(),
    );
    let mut yaml: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let mut node = &mut yaml;
    for key in edit["path"].as_array().unwrap() {
        node = node
            .get_mut(key.as_str().unwrap())
            .unwrap_or_else(|| panic!("{edit}: no {key}"));
    }
    let value: serde_yaml::Value = serde_yaml::to_value(&edit["edit"]["value"]).unwrap();
    let key = serde_yaml::Value::from(edit["edit"]["key"].as_str().unwrap());
    let mapping = node.as_mapping_mut().unwrap();
    assert!(!mapping.contains_key(&key), "{edit}: replaces a key");
    mapping.insert(key, value);
    std::fs::write(&file, serde_yaml::to_string(&yaml).unwrap()).unwrap();
}
