//! Generates, from the real spec, the two decoders the event-decoding table compares ours with:
//! typify's types for our envelope JSON Schema, and the `#[serde(tag = "type")]` enum a person
//! would write by hand over the same payload types.

#[path = "src/typify_gen.rs"]
mod typify_gen;

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let spec = Path::new(&manifest).join("../spec");
    println!("cargo::rerun-if-changed={}", spec.display());
    println!("cargo::rerun-if-changed=src/typify_gen.rs");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());

    let model = codegen::load_dir(&spec).unwrap_or_else(|d| panic!("{d}"));
    let outputs = codegen::emit::all(&model);
    let schema = outputs
        .get(codegen::emit::schema::ENVELOPE_PATH)
        .expect("the envelope schema");
    let typified = typify_gen::render(schema).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(out.join("typify_envelope.rs"), typified).unwrap();
    std::fs::write(out.join("hand_tagged.rs"), hand_tagged(&model)).unwrap();
}

/// One variant per event type, each an envelope struct generic over deck_events' payload type,
/// so that only the dispatch differs from `deck_events::Event`.
fn hand_tagged(model: &codegen::Model) -> String {
    let mut s = String::new();
    s.push_str(
        "/// Internally tagged: `#[serde(tag = \"type\")]` over envelope structs.\n\
         #[derive(Debug, Clone, ::serde::Deserialize, ::serde::Serialize)]\n\
         #[serde(tag = \"type\")]\n\
         pub enum InternallyTagged {\n",
    );
    for e in &model.events {
        let payload = codegen::emit::rust::type_name(model.ty(e.data));
        let _ = writeln!(
            s,
            "    /// `{}`.\n    #[serde(rename = {:?})]\n    {}(Envelope<::deck_events::{payload}>),",
            e.name,
            e.name,
            codegen::emit::rust::event_variant(e)
        );
    }
    s.push_str("}\n");
    s.push_str(
        "/// Adjacently tagged: `#[serde(tag = \"type\", content = \"data\")]`, flattened into the\n\
         /// envelope struct.\n\
         #[derive(Debug, Clone, ::serde::Deserialize, ::serde::Serialize)]\n\
         #[serde(tag = \"type\", content = \"data\")]\n\
         pub enum AdjacentData {\n",
    );
    for e in &model.events {
        let payload = codegen::emit::rust::type_name(model.ty(e.data));
        let _ = writeln!(
            s,
            "    /// `{}`.\n    #[serde(rename = {:?})]\n    {}(::deck_events::{payload}),",
            e.name,
            e.name,
            codegen::emit::rust::event_variant(e)
        );
    }
    s.push_str("}\n");
    s
}
