//! The names of the files a spec directory holds. The loader, the checker, the emitters and the
//! release tooling all name these files; the names live here, in no stage's module, so that each
//! of them imports the same answer.

/// The root file of a spec directory: it holds `package`, `envelope` and the `include` list.
pub const ROOT_FILE: &str = "spec.yaml";

/// The changelog kept beside the spec, built from the recorded releases by `cargo xtask
/// changelog` and copied into the generated crate.
pub const CHANGELOG_FILE: &str = "CHANGELOG.md";
