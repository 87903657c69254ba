//! Consumers in other languages read the generated outputs. The tests in `tests/` run Node
//! scripts of this directory, with the npm packages pinned in its `package-lock.json`:
//!
//! - `asyncapi.rs`: the official AsyncAPI parser (`@asyncapi/parser`) reads
//!   `generated/asyncapi.yaml` from disk, and every message's examples validate against its
//!   resolved payload (`asyncapi.mjs`);
//! - `ajv.rs`: ajv, a second JSON Schema validator, judges every conformance case
//!   (`conformance::cases`) and agrees with the `jsonschema` crate and the Rust crate
//!   (`ajv.mjs`);
//! - `typescript.rs`: TypeScript types generated from `envelope.schema.json` by
//!   json-schema-to-typescript compile under `tsc --strict` with a small consumer
//!   (`typescript/consumer.ts`), which then runs against the spec's examples;
//! - `openapi.rs`: `generated/openapi.yaml` is accepted by openapi-spec-validator (Python) and
//!   linted by Redocly CLI without errors; the types openapi-typescript generates from it compile
//!   under `tsc --strict` with a consumer typed by webhook (`typescript/openapi-consumer.ts`); ajv
//!   compiles every webhook's request body and judges every conformance case as the schema
//!   files do (`openapi-ajv.mjs`).
//!
//! This library holds what they share: where things are, and running Node. Missing
//! prerequisites fail the tests with the command that installs them: a test that skips itself
//! when Node is absent would pass on exactly the machines where it proves nothing.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

/// How to install what these tests need.
pub const INSTALL: &str = "run `bash .ci/install-node` (as root if node is missing) to install node and the npm packages \
     pinned in interop/package-lock.json";

/// How to install the Python packages these tests run.
pub const INSTALL_PYTHON: &str =
    "run `bash .ci/install-python` to install the Python packages pinned there";

/// Fails with [`INSTALL_PYTHON`] unless `python3` imports every module.
pub fn require_python(modules: &[&str]) {
    for module in modules {
        let imported = Command::new("python3")
            .arg("-c")
            .arg(format!("import {module}"))
            .output();
        assert!(
            imported.is_ok_and(|o| o.status.success()),
            "python3 cannot import {module}: {INSTALL_PYTHON}"
        );
    }
}

/// This directory: the Node scripts and `node_modules`.
pub fn dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The checked-in generator output (`generated/`).
pub fn generated() -> PathBuf {
    dir().join("../generated")
}

/// The spec directory.
pub fn spec() -> PathBuf {
    dir().join("../spec")
}

/// Fails with [`INSTALL`] unless `node` runs and every package is installed.
pub fn require(packages: &[&str]) {
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "`node` is not on PATH: {INSTALL}"
    );
    for package in packages {
        let manifest = dir()
            .join("node_modules")
            .join(package)
            .join("package.json");
        assert!(
            manifest.is_file(),
            "the npm package {package} is not installed in interop/node_modules: {INSTALL}"
        );
    }
}

/// Runs `program` with `args` in this directory; returns its standard output, or fails with
/// everything it printed.
pub fn run<I, S>(program: impl AsRef<OsStr>, args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let program = program.as_ref();
    let args: Vec<S> = args.into_iter().collect();
    let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy()).collect();
    let command = format!("{} {}", program.to_string_lossy(), shown.join(" "));
    let out = Command::new(program)
        .args(&args)
        .current_dir(dir())
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{command}`: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "`{command}` failed ({}):\n{stdout}{stderr}",
        out.status
    );
    if !stderr.trim().is_empty() {
        eprintln!("`{command}` printed on stderr:\n{stderr}");
    }
    stdout
}

/// Runs a Node script of this directory and parses the JSON it prints.
pub fn node_json<I, S>(script: &str, args: I) -> Value
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut all = vec![script.as_ref() as &OsStr];
    let args: Vec<S> = args.into_iter().collect();
    all.extend(args.iter().map(AsRef::as_ref));
    let stdout = run("node", all);
    serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("node {script} printed something other than JSON ({e}):\n{stdout}")
    })
}

/// An empty scratch directory at `path` (removed and recreated).
pub fn fresh_dir(path: &Path) -> PathBuf {
    if path.exists() {
        std::fs::remove_dir_all(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    std::fs::create_dir_all(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path.to_path_buf()
}

/// An empty consumer's project at `path`: `node_modules` linked from this crate, so that `tsc` and
/// Node resolve the pinned packages from there, and a `package.json` that makes its scripts ES
/// modules.
pub fn node_project(path: &Path) -> PathBuf {
    let work = fresh_dir(path);
    std::os::unix::fs::symlink(dir().join("node_modules"), work.join("node_modules"))
        .expect("linking node_modules");
    std::fs::write(
        work.join("package.json"),
        r#"{ "private": true, "type": "module" }"#,
    )
    .expect("writing package.json");
    work
}

/// A `tsconfig.json` named `name` in `work` that type-checks `files` in strict mode, and emits
/// them as ES modules for Node into `out/` unless `emit` is false.
pub fn tsconfig(work: &Path, name: &str, files: &[&str], emit: bool) -> PathBuf {
    let config = json!({
        "compilerOptions": {
            "strict": true,
            "module": "nodenext",
            "target": "es2022",
            "types": ["node"],
            "rootDir": ".",
            "outDir": "out",
            "noEmit": !emit,
            "noEmitOnError": true,
        },
        "files": files,
    });
    let path = work.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&config).expect("JSON")).expect("tsconfig");
    path
}

/// Runs the pinned `tsc -p config`; returns whether it succeeded and what it printed.
pub fn tsc(config: &Path) -> (bool, String) {
    let out = Command::new("node")
        .arg(dir().join("node_modules/typescript/bin/tsc"))
        .arg("-p")
        .arg(config)
        .output()
        .expect("running tsc");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}
