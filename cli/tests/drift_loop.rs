//! The loop of `examples/receiver/README.md` ("From a dead letter to a release"), run whole on a
//! copy of this repository, with every tool a maintainer would use:
//!
//! 1. the example receiver keeps, over real HTTP, a signed delivery its crate cannot read, and the
//!    meta file names the place;
//! 2. `deck-events check` on the store reports the drift, and `--suggest` gives the spec edits;
//! 3. the edits, applied to the spec, go through `cargo xtask codegen`, `diff` and the semver gate,
//!    which asks for the bump the edits need, and `cargo xtask release` records and tags it;
//! 4. the released crate, built by cargo as a consumer would depend on it, reads every stored
//!    body, typed; `check` against the release's catalog finds no drift; each body still verifies
//!    with the headers kept in its meta file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod support;

use support::{Receiver, SECRET, apply_edit, deck_events, text, workspace_root, xtask_binary};

/// A fixed identity and no user configuration, so commits and tags need no setup.
const GIT_ENV: &[(&str, &str)] = &[
    ("GIT_AUTHOR_NAME", "Spec Maintainer"),
    ("GIT_AUTHOR_EMAIL", "maintainer@example.com"),
    ("GIT_COMMITTER_NAME", "Spec Maintainer"),
    ("GIT_COMMITTER_EMAIL", "maintainer@example.com"),
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
];

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .envs(GIT_ENV.iter().copied())
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// `cargo xtask --root <repo> <args>`.
fn xtask(repo: &Path, args: &[&str]) -> Output {
    Command::new(xtask_binary())
        .arg("--root")
        .arg(repo)
        .args(args)
        .env("NO_COLOR", "1")
        .envs(GIT_ENV.iter().copied())
        .output()
        .expect("xtask runs")
}

fn ok(out: Output) -> String {
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "expected success:\n{all}");
    all
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// Replaces `from` by `to` in `path`, where it occurs exactly once.
fn replace_once(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert_eq!(s.matches(from).count(), 1, "{from:?} in {}", path.display());
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

/// The spec's `package.version`, and the version a breaking change after it needs (the next
/// minor before 1.0, the next major after).
fn versions(spec: &Path) -> (String, String) {
    let text = std::fs::read_to_string(spec.join("spec.yaml")).unwrap();
    let version = text
        .lines()
        .find_map(|line| line.strip_prefix("  version: "))
        .expect("spec.yaml has a package version")
        .to_owned();
    let parts: Vec<u64> = version.split('.').map(|p| p.parse().unwrap()).collect();
    let next = match parts[..] {
        [0, minor, _] => format!("0.{}.0", minor + 1),
        [major, _, _] => format!("{}.0.0", major + 1),
        _ => panic!("{version} is not a release version"),
    };
    (version, next)
}

/// A consumer of the crate at `krate`, built by cargo outside this workspace: it decodes each
/// file named on its command line with `Event::from_slice` and prints, per file, the event type
/// and the two fields the drift is about, or the error.
fn consumer(dir: &Path, krate: &Path) -> PathBuf {
    let consumer = dir.join("consumer");
    std::fs::create_dir_all(consumer.join("src")).unwrap();
    std::fs::write(
        consumer.join("Cargo.toml"),
        format!(
            "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ndeck-events = {{ path = {:?} }}\n\n[workspace]\n",
            krate.display().to_string()
        ),
    )
    .unwrap();
    std::fs::write(
        consumer.join("src/main.rs"),
        r#"use deck_events::{Event, EventData};

fn main() {
    for path in std::env::args().skip(1) {
        let body = std::fs::read(&path).unwrap();
        match Event::from_slice(&body) {
            Ok(event) => match &event.data {
                EventData::TaskRunFailed(run) => {
                    let errors = run.errors.as_deref().unwrap_or_default();
                    let messages: Vec<_> = errors.iter().map(|e| &e.message).collect();
                    println!("{} messages={messages:?} attempt={:?}", event.event_type(), run.attempt)
                }
                other => println!("{}", other.event_type()),
            },
            Err(err) => println!("error: {err}"),
        }
    }
}
"#,
    )
    .unwrap();
    // The workspace's lock file: the dependency versions already built, no registry lookup.
    std::fs::copy(
        workspace_root().join("Cargo.lock"),
        consumer.join("Cargo.lock"),
    )
    .unwrap();
    consumer
}

#[test]
fn a_dead_letter_is_read_by_the_release_check_suggests() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    for part in ["spec", "releases"] {
        copy_dir(&workspace_root().join(part), &repo.join(part));
    }
    let (current, next) = versions(&repo.join("spec"));
    ok(xtask(&repo, &["codegen"]));
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "The spec as it is"]);
    // The spec as it is here, released: the version the receiver's crate was built from.
    ok(xtask(&repo, &["release"]));
    assert!(git(&repo, &["tag", "--list"]).contains(&format!("v{current}\n")));

    // 1. Deck sends `null` for an error's message, which the spec says is always a string, and a
    //    field the spec does not know. The receiver cannot read it: it answers 202 and keeps it.
    let receiver = Receiver::start();
    let out = receiver.trigger(
        "task_run.failed",
        &["data.errors.0.message=null", "data.attempt=2"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("202 Accepted"),
        "{}",
        text(&out.stdout)
    );
    let store = receiver.dead_letters.path().to_owned();
    let kept = receiver.kept(".body");
    assert_eq!(kept.len(), 1);
    let meta_path = PathBuf::from(kept[0].to_string_lossy().replace(".body", ".meta.json"));
    let meta: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    assert_eq!(meta["pointer"], "/data/errors/0/message", "{meta}");

    // 2. `check` groups the drift by place; `--suggest` gives the edits.
    let store_arg = store.display().to_string();
    let out = deck_events(&["check", "--format", "json", &store_arg], b"");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["pointer"].as_str().unwrap(), f["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("/data/attempt", "unknown-field"),
            ("/data/errors/*/message", "not-nullable"),
        ],
        "{report}"
    );
    let out = deck_events(&["check", "--suggest", "--format", "json", &store_arg], b"");
    let suggested: Value = serde_json::from_slice(&out.stdout).unwrap();
    let edits = suggested["edits"].as_array().unwrap();
    assert_eq!(edits.len(), 2, "{suggested}");
    for edit in edits {
        apply_edit(&repo.join("spec"), edit);
    }

    // 3. Regenerate. The new field is an addition; `null` where the spec promised a string breaks
    //    every consumer that relied on it (`String` becomes `Option<String>`, TypeScript's
    //    `string` becomes `string | null`), so the gate asks for the next breaking version.
    ok(xtask(&repo, &["codegen"]));
    let out = xtask(&repo, &["diff", "--format", "json"]);
    let diff: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|err| panic!("{err}: {}{}", text(&out.stdout), text(&out.stderr)));
    let mut impacts: Vec<(&str, &str)> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["subject"].as_str().unwrap(),
                c["impact"].as_str().unwrap(),
            )
        })
        .collect();
    impacts.sort();
    assert_eq!(
        impacts,
        [
            ("field Error.message", "breaking"),
            ("field TaskRun.attempt", "compatible")
        ],
        "{diff}"
    );
    let refused = xtask(&repo, &["diff", "--check"]);
    assert!(!refused.status.success());
    let said = format!("{}{}", text(&refused.stdout), text(&refused.stderr));
    assert!(said.contains(&next), "{said}");
    replace_once(
        &repo.join("spec/spec.yaml"),
        &format!("version: {current}\n"),
        &format!("version: {next}\n"),
    );
    ok(xtask(&repo, &["changelog"]));
    ok(xtask(&repo, &["codegen"]));
    ok(xtask(&repo, &["diff", "--check"]));
    git(&repo, &["add", "-A"]);
    git(
        &repo,
        &[
            "commit",
            "-q",
            "-m",
            "Read null error messages and the attempt",
        ],
    );
    ok(xtask(&repo, &["release"]));
    assert!(git(&repo, &["tag", "--list"]).contains(&format!("v{next}\n")));
    assert!(
        repo.join("releases")
            .join(&next)
            .join("spec.yaml")
            .is_file()
    );

    // 4. The released crate reads what the receiver kept, typed.
    let consumer = consumer(dir.path(), &repo.join("generated"));
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(consumer.join("Cargo.toml"))
        .arg("--")
        .args(&kept)
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/generated-crates"),
        )
        // As the generator's tests build generated crates, so the dependencies are built once.
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "task_run.failed messages=[None] attempt=Some(2)\n"
    );
    let catalog = repo.join("generated/schemas/envelope.schema.json");
    let out = deck_events(
        &[
            "check",
            "--catalog",
            &catalog.display().to_string(),
            &store_arg,
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let headers = &meta["headers"];
    let out = deck_events(
        &[
            "verify",
            "--secret",
            SECRET,
            "--id",
            headers["webhook-id"].as_str().unwrap(),
            "--timestamp",
            headers["webhook-timestamp"].as_str().unwrap(),
            "--signature",
            headers["webhook-signature"].as_str().unwrap(),
            // Replayed later, a delivery is older than a receiver's tolerance; its signature holds.
            "--ignore-timestamp",
        ],
        &std::fs::read(&kept[0]).unwrap(),
    );
    assert!(out.status.success(), "{}", text(&out.stdout));
}
