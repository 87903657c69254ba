//! Shared by the tests of the documents that refer to the JSON Schemas (AsyncAPI, OpenAPI): the
//! models their properties are checked on, and a document rendered beside its schemas and read
//! back as JSON.

use std::path::Path;

use codegen::model::Model;
use codegen::{Outputs, emit};
use serde_json::Value;

/// The model of the spec in `dir`, relative to the codegen crate.
pub fn spec_model(dir: &str) -> Model {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    codegen::load_dir(&dir).unwrap_or_else(|d| panic!("{} does not load:\n{d:?}", dir.display()))
}

/// Every model the properties are checked on: the real spec (signed deliveries, a delivery
/// section, a license), the minimal fixture spec (unsigned, none of those) and the catalog that
/// uses every feature of the format (deprecated events, `since` markers, several examples, names
/// of Rust's prelude).
pub fn models() -> Vec<(&'static str, Model)> {
    vec![
        ("spec", spec_model("../spec")),
        ("minimal", spec_model("tests/fixtures/minimal")),
        ("features", spec_model("tests/fixtures/features")),
    ]
}

/// The schema outputs of a model and the document `emit_document` writes to `path` beside them,
/// and that document read back as JSON.
pub fn render(
    model: &Model,
    emit_document: fn(&Model, &mut Outputs),
    path: &str,
) -> (Outputs, Value) {
    let mut out = Outputs::new();
    emit::schema::emit(model, &mut out);
    emit_document(model, &mut out);
    let text = out.get(path).expect("the document is emitted");
    let doc = serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    (out, doc)
}
