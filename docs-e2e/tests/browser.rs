//! Builds the published site with `cargo xtask site` (every recorded release and the unreleased
//! spec, each version's pages linked by the version switcher), serves it over HTTP, as its root,
//! the way a static host publishes it, and uses it in headless Chromium as a reader would: every
//! link and anchor of every version followed, the switcher from a release to the same page in
//! `next/`, the phone menu without scripts, anchors clear of the top bar, the copy buttons,
//! axe-core in both themes and at phone width, and search. The browser is driven by `e2e.mjs` with
//! playwright-core (the checks are listed there); this test checks the prerequisites and runs it.
//!
//! Missing prerequisites fail the test with the command that installs them: a browser test that
//! skips itself silently would pass on exactly the machines where it proves nothing.
//!
//! Environment: `DOCS_E2E_SITE` (a site to test instead of building one, e.g. `generated/docs`),
//! `DOCS_E2E_CHROMIUM` (the browser, default `/usr/bin/chromium`), `DOCS_E2E_SCREENSHOTS` (a
//! directory to save screenshots of the pages in the light and dark schemes).

use std::path::{Path, PathBuf};
use std::process::Command;

const INSTALL: &str = "run `bash .ci/install-browser` (as root) to install Debian's chromium and \
     the npm packages playwright-core and axe-core";

#[test]
fn the_published_site_works_in_headless_chromium() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = std::env::var_os("DOCS_E2E_SITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| build_site(here));
    assert!(
        site.join("index.html").is_file(),
        "{} does not exist",
        site.join("index.html").display()
    );
    let chromium = std::env::var_os("DOCS_E2E_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        chromium.is_file(),
        "Chromium not found at {}: {INSTALL}",
        chromium.display()
    );
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "`node` is not on PATH: {INSTALL}"
    );
    for package in ["playwright-core", "axe-core"] {
        assert!(
            here.join("node_modules")
                .join(package)
                .join("package.json")
                .is_file(),
            "{package} is not installed in docs-e2e/node_modules: {INSTALL}"
        );
    }

    let mut cmd = Command::new("node");
    cmd.current_dir(here)
        .arg("e2e.mjs")
        .arg(&site)
        .env("DOCS_E2E_CHROMIUM", &chromium);
    if let Some(dir) = std::env::var_os("DOCS_E2E_SCREENSHOTS") {
        std::fs::create_dir_all(&dir).expect("creating the screenshot directory");
        cmd.arg(dir);
    }
    let out = cmd.output().expect("running node e2e.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    print!("{stdout}");
    assert!(
        out.status.success(),
        "the browser test failed ({}):\n{stdout}{stderr}",
        out.status
    );
}

/// The published site, built by `cargo xtask site` into this test's scratch directory.
fn build_site(here: &Path) -> PathBuf {
    let site = Path::new(env!("CARGO_TARGET_TMPDIR")).join("site");
    let out = Command::new(env!("CARGO"))
        .args(["run", "-q", "-p", "xtask", "--", "site", "--out"])
        .arg(&site)
        .current_dir(here.join(".."))
        .output()
        .expect("running cargo xtask site");
    assert!(
        out.status.success(),
        "`cargo xtask site` failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    site
}
