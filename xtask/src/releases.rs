//! The recorded releases: `releases/<version>/` holds the spec files of each released version,
//! byte for byte as they were released, written by `cargo xtask release`.
//!
//! `diff --check` and `changelog` compare with them. Being files in the tree, they need no git
//! history and no tags, so a `git clone --depth 1` has everything the checks need, and each one
//! loads with the same loader as the spec, into the same model the diff engine compares.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::history::{History, Status};
use codegen::model::{Model, Version};

/// One recorded release.
pub struct Release {
    /// Its version: the directory's name, and the `package.version` of the spec inside.
    pub version: Version,
    /// Its directory as the user names it (`releases/0.1.0`), for messages.
    pub dir: String,
    /// The spec as released.
    pub model: Model,
}

/// The versions recorded under `dir` (relative to `root`), oldest first, without loading them.
/// A missing directory means no release yet.
pub fn versions(root: &Path, dir: &Path) -> Result<Vec<Version>, String> {
    let path = root.join(dir);
    let entries = match fs::read_dir(&path) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // Dot-entries are a release being written (see `record`), or editor and OS files.
        if name.starts_with('.') {
            continue;
        }
        let version = Version::parse(&name).filter(|_| entry.path().is_dir());
        let Some(version) = version else {
            return Err(format!(
                "{}/{name} is not a recorded release: every entry of {} is a directory named \
                 after the version it records (`0.1.0`), written by `cargo xtask release`",
                dir.display(),
                dir.display()
            ));
        };
        out.push(version);
    }
    out.sort();
    Ok(out)
}

/// Loads the release `version` recorded under `dir`.
pub fn load(root: &Path, dir: &Path, version: Version) -> Result<Release, String> {
    let rel = format!("{}/{version}", dir.display());
    let files = spec_files(&root.join(&rel)).map_err(|e| format!("{rel}: {e}"))?;
    if !files.contains_key(codegen::ROOT_FILE) {
        return Err(format!(
            "{rel} has no {}: a recorded release holds the whole spec",
            codegen::ROOT_FILE
        ));
    }
    let model = codegen::load_files(&files).map_err(|d| {
        format!(
            "the recorded release {version} does not load; the spec format must keep reading every recorded release:\n{}",
            d.with_file_prefix(&rel)
        )
    })?;
    if model.package.version != version {
        return Err(format!(
            "{rel}/{} says `version: {}`: a recorded release must hold the version it is named after",
            codegen::ROOT_FILE,
            model.package.version
        ));
    }
    Ok(Release {
        version,
        dir: rel,
        model,
    })
}

/// Every recorded release, oldest first.
pub fn load_all(root: &Path, dir: &Path) -> Result<Vec<Release>, String> {
    versions(root, dir)?
        .into_iter()
        .map(|v| load(root, dir, v))
        .collect()
}

/// The newest recorded release, if there is one; only it is loaded.
pub fn newest(root: &Path, dir: &Path) -> Result<Option<Release>, String> {
    match versions(root, dir)?.last() {
        Some(&v) => load(root, dir, v).map(Some),
        None => Ok(None),
    }
}

/// Whether the spec in `spec` is released: a recorded release holds it byte for byte (the same
/// YAML files, the same bytes), which makes it `releases/<version>/` of its own version, since a
/// record holds the version it is named after. A spec whose files cannot be read is not.
pub fn status(root: &Path, spec: &Path, recorded: &[Release]) -> Status {
    let Ok(files) = spec_files(&root.join(spec)) else {
        return Status::Unreleased;
    };
    let same = |r: &Release| spec_files(&root.join(&r.dir)).is_ok_and(|f| f == files);
    if recorded.iter().rev().any(same) {
        Status::Released
    } else {
        Status::Unreleased
    }
}

/// The models of `recorded`, oldest first, as `codegen` takes them.
pub fn models(recorded: &[Release]) -> Vec<&Model> {
    recorded.iter().map(|r| &r.model).collect()
}

/// The history of `current` across `recorded`, for the docs site.
pub fn history(root: &Path, spec: &Path, recorded: &[Release], current: &Model) -> History {
    let status = status(root, spec, recorded);
    codegen::diff::history::history(&models(recorded), current, status)
}

/// Copies the spec's files from `spec` into `dir/<version>`, byte for byte. The copy is written
/// under a dot-name first and renamed into place, so a failure leaves no half-written release
/// behind for the checks to read. Returns the new directory.
pub fn record(root: &Path, spec: &Path, dir: &Path, version: Version) -> Result<PathBuf, String> {
    let target = root.join(dir).join(version.to_string());
    if target.exists() {
        return Err(format!("{} already exists", target.display()));
    }
    let staging = root.join(dir).join(format!(".{version}.recording"));
    let _ = fs::remove_dir_all(&staging);
    let copy = || -> std::io::Result<()> {
        for rel in spec_files(&root.join(spec))?.keys() {
            let to = staging.join(rel);
            fs::create_dir_all(to.parent().expect("a file in a directory"))?;
            fs::copy(root.join(spec).join(rel), to)?;
        }
        fs::rename(&staging, &target)
    };
    copy().map_err(|e| {
        let _ = fs::remove_dir_all(&staging);
        format!("cannot record the release in {}: {e}", target.display())
    })?;
    Ok(target)
}

/// The YAML files under `dir`, as `codegen::load_files` takes them: path relative to `dir`
/// (`/`-separated) to text. The same files as the loader reads from a spec directory.
fn spec_files(dir: &Path) -> std::io::Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if !matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) {
                continue;
            }
            let rel: Vec<String> = path
                .strip_prefix(dir)
                .expect("under dir")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.insert(rel.join("/"), fs::read_to_string(&path)?);
        }
    }
    Ok(files)
}
