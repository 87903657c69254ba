//! Temporary git repositories holding a spec, for the tests of the commands that read history,
//! record releases and tag.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The environment of every git and xtask run on a test repository: a fixed identity and fixed
/// dates, so commits and tags need no configuration and have the same ids from run to run, and
/// no user or system configuration (signing, hooks, default branch) to make them differ.
pub const GIT_ENV: &[(&str, &str)] = &[
    ("GIT_AUTHOR_NAME", "Spec Maintainer"),
    ("GIT_AUTHOR_EMAIL", "maintainer@example.com"),
    ("GIT_COMMITTER_NAME", "Spec Maintainer"),
    ("GIT_COMMITTER_EMAIL", "maintainer@example.com"),
    ("GIT_AUTHOR_DATE", "2025-01-15T09:30:00Z"),
    ("GIT_COMMITTER_DATE", "2025-01-15T09:30:00Z"),
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
];

/// Runs git in `repo` and returns its stdout; panics with git's stderr on failure.
pub fn git(repo: &Path, args: &[&str]) -> String {
    let out = git_output(repo, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs git in `repo`, whatever its outcome.
pub fn git_output(repo: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .envs(GIT_ENV.iter().copied())
        .output()
        .expect("git runs")
}

/// Runs `xtask --root <repo> <args>` with the test repositories' git environment.
pub fn xtask(repo: &Path, args: &[&str]) -> Output {
    super::command(repo, args)
        .envs(GIT_ENV.iter().copied())
        .output()
        .expect("xtask runs")
}

/// Starts a repository in `dir` (on branch `main`) and commits everything in it.
pub fn init(dir: &Path, message: &str) {
    git(dir, &["init", "-q", "-b", "main"]);
    commit(dir, message);
}

/// Commits every change in the tree.
pub fn commit(repo: &Path, message: &str) {
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", message]);
}

/// Replaces `from` by `to` in `spec/<file>`; `from` must occur exactly once, so an edit that
/// silently stops applying fails the test.
pub fn edit(repo: &Path, file: &str, from: &str, to: &str) {
    let path = repo.join("spec").join(file);
    let s = std::fs::read_to_string(&path).unwrap();
    assert_eq!(s.matches(from).count(), 1, "{from:?} in {file}");
    std::fs::write(&path, s.replacen(from, to, 1)).unwrap();
}

/// `git status --porcelain`, untracked files included: empty when the tree is clean.
pub fn status(repo: &Path) -> String {
    git(repo, &["status", "--porcelain", "--untracked-files=all"])
}

/// Writes the minimal fixture spec (version 1.2.0) to `repo/spec/`.
pub fn write_fixture_spec(repo: &Path) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/minimal");
    std::fs::create_dir_all(repo.join("spec")).unwrap();
    for f in ["spec.yaml", "widgets.yaml"] {
        std::fs::copy(fixture.join(f), repo.join("spec").join(f)).unwrap();
    }
}

/// Copies `from` into `to` recursively, leaving out build directories.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() == "target" {
                continue;
            }
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// This repository's root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}
