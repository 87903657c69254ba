//! Valid specs the loader must accept, and the names it gives them.

use std::path::PathBuf;

use codegen::Model;
use codegen::model::{Field, TypeDef, TypeKind};

fn fixture(name: &str) -> Model {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    codegen::load_dir(&dir).unwrap_or_else(|d| panic!("fixture `{name}` must load:\n{d}"))
}

fn ty<'m>(model: &'m Model, wire: &str) -> &'m TypeDef {
    model
        .types
        .iter()
        .find(|t| t.name.wire == wire)
        .unwrap_or_else(|| panic!("no type `{wire}`"))
}

fn fields<'m>(model: &'m Model, wire: &str) -> &'m [Field] {
    match &ty(model, wire).kind {
        TypeKind::Object { fields, .. } => fields,
        other => panic!("`{wire}` is not an object: {other:?}"),
    }
}

/// Rust name of a field, checking that its wire name is kept as written.
fn field_rust(model: &Model, owner: &str, wire: &str) -> String {
    let f = fields(model, owner)
        .iter()
        .find(|f| f.name.wire == wire)
        .unwrap_or_else(|| panic!("`{owner}` has no field `{wire}`"));
    f.name.rust.clone()
}

/// Rust name of an enum value, checking that its wire name is kept as written.
fn variant_rust(model: &Model, owner: &str, wire: &str) -> String {
    let TypeKind::Enum { values } = &ty(model, owner).kind else {
        panic!("`{owner}` is not an enum");
    };
    values
        .iter()
        .find(|v| v.name.wire == wire)
        .unwrap_or_else(|| panic!("`{owner}` has no value `{wire}`"))
        .name
        .rust
        .clone()
}

#[test]
fn keywords_and_prelude_names_are_escaped_not_rejected() {
    let model = fixture("keywords");

    // Fields: raw identifiers where Rust allows them, a trailing `_` where it does not.
    assert_eq!(field_rust(&model, "Widget", "type"), "r#type");
    assert_eq!(field_rust(&model, "Widget", "gen"), "r#gen");
    assert_eq!(field_rust(&model, "Widget", "match"), "r#match");
    assert_eq!(field_rust(&model, "Widget", "self"), "self_");
    assert_eq!(field_rust(&model, "Widget", "Option"), "option");
    assert_eq!(field_rust(&model, "Self", "type"), "r#type");
    assert_eq!(field_rust(&model, "Self", "Self"), "self_");
    let envelope_type = &model.envelope.fields[model.envelope.type_field];
    assert_eq!(
        (
            envelope_type.name.wire.as_str(),
            envelope_type.name.rust.as_str()
        ),
        ("type", "r#type")
    );

    // Types: prelude and keyword names take a trailing `_`.
    assert_eq!(ty(&model, "Option").name.rust, "Option_");
    assert_eq!(ty(&model, "Self").name.rust, "Self_");
    assert_eq!(ty(&model, "Widget").name.rust, "Widget");

    // Enum values: `unknown` must not take the catch-all's name; `self` cannot be raw.
    assert_eq!(
        variant_rust(&model, "WidgetStatus", "unknown"),
        "UnknownValue"
    );
    assert_eq!(
        variant_rust(&model, "WidgetStatus", "in_progress"),
        "InProgress"
    );
    assert_eq!(variant_rust(&model, "Option", "self"), "Self_");
    assert_eq!(variant_rust(&model, "Option", "gen"), "Gen");
    assert_eq!(variant_rust(&model, "Option", "Option"), "Option");

    // The example using those wire names is attached and keeps them.
    let created = model
        .events
        .iter()
        .find(|e| e.name.wire == "widget.created")
        .expect("widget.created");
    let data = &created.examples[0].json["data"];
    assert_eq!(data["gen"], "self");
    assert_eq!(data["self"]["Self"], false);
    assert_eq!(data["type"], true);
    assert_eq!(data["Option"], "some");
}

#[test]
fn every_rust_name_in_the_keywords_fixture_is_an_identifier() {
    let model = fixture("keywords");
    let mut names: Vec<String> = Vec::new();
    for t in &model.types {
        names.push(t.name.rust.clone());
        match &t.kind {
            TypeKind::Object { fields, .. } => {
                names.extend(fields.iter().map(|f| f.name.rust.clone()))
            }
            TypeKind::Enum { values } => names.extend(values.iter().map(|v| v.name.rust.clone())),
            TypeKind::Id { .. } => {}
        }
    }
    names.extend(model.envelope.fields.iter().map(|f| f.name.rust.clone()));
    names.extend(model.events.iter().map(|e| e.name.rust.clone()));
    for n in names {
        syn::parse_str::<syn::Ident>(&n)
            .unwrap_or_else(|e| panic!("`{n}` is not a Rust identifier: {e}"));
    }
}

#[test]
fn the_minimal_fixture_loads_from_memory_like_from_disk() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let files = ["spec.yaml", "widgets.yaml"]
        .into_iter()
        .map(|f| (f.to_string(), std::fs::read_to_string(dir.join(f)).unwrap()))
        .collect();
    let from_memory = codegen::load_files(&files).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(from_memory, fixture("minimal"));
}
