//! Opens the real spec in the YAML language server, the server that editors run for YAML files,
//! and uses it as a maintainer's editor would: the files open without errors, a misspelt key is
//! marked, completion offers the keys of a field, the built-in types and the signing schemes, and
//! hover shows a key's documentation. The server is driven by `lsp.mjs`; this test checks the
//! prerequisites and runs it.
//!
//! Missing prerequisites fail the test with the command that installs them: an editor test that
//! skips itself silently would pass on exactly the machines where it proves nothing.

use std::path::Path;
use std::process::Command;

const INSTALL: &str =
    "run `bash .ci/install-editor` to install the pinned yaml-language-server into editor-e2e/";

#[test]
fn the_language_server_checks_and_completes_the_spec_with_its_schemas() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here
        .parent()
        .expect("editor-e2e lives in the repository root");
    for schema in ["root.schema.json", "include.schema.json"] {
        let path = root.join("generated/spec-schema").join(schema);
        assert!(
            path.is_file(),
            "{} does not exist: run `cargo xtask codegen`",
            path.display()
        );
    }
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "`node` is not on PATH: {INSTALL}"
    );
    assert!(
        here.join("node_modules/yaml-language-server/package.json")
            .is_file(),
        "yaml-language-server is not installed in editor-e2e/node_modules: {INSTALL}"
    );

    let out = Command::new("node")
        .current_dir(here)
        .arg("lsp.mjs")
        .arg(root)
        .output()
        .expect("running node lsp.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    print!("{stdout}");
    assert!(
        out.status.success(),
        "the editor test failed ({}):\n{stdout}{stderr}",
        out.status
    );
}
