//! ARCHITECTURE.md is the map a maintainer reads before changing the generator: it must name every
//! file of `codegen/src`, by its path under `codegen/src`, and name none that is gone.

use std::path::Path;

/// Every `.rs` file under `dir`, as a `/`-separated path relative to `root`.
fn rust_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("codegen/src reads") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).expect("under the root");
            let parts: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
            out.push(parts.join("/"));
        }
    }
}

#[test]
fn architecture_names_every_file_of_codegen_src() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = manifest.join("src");
    let doc = std::fs::read_to_string(manifest.join("../ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md at the workspace root");
    let mut files = Vec::new();
    rust_files(&src, &src, &mut files);
    files.sort();
    assert!(files.len() > 20, "codegen/src has its modules: {files:?}");
    let missing: Vec<_> = files
        .iter()
        .filter(|f| !doc.contains(&format!("`{f}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's module map does not name {missing:?}: add each, as `path` under \
         codegen/src, to the table of its stage"
    );
}

#[test]
fn architecture_names_no_file_that_is_gone() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(manifest.join("../ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md at the workspace root");
    let map = doc
        .split("## Module map")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("ARCHITECTURE.md has a module map");
    let stale: Vec<_> = map
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|name| name.ends_with(".rs"))
        .filter(|name| !manifest.join("src").join(name).is_file())
        .collect();
    assert!(
        stale.is_empty(),
        "ARCHITECTURE.md's module map names files that are not in codegen/src: {stale:?}"
    );
}
