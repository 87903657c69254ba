//! Valid specs the loader must accept, and the names it gives them.

mod corpus;

use codegen::emit::rust;
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
        .find(|t| t.name == wire)
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
        .find(|f| f.name == wire)
        .unwrap_or_else(|| panic!("`{owner}` has no field `{wire}`"));
    rust::field_name(f)
}

/// Rust name of an enum value, checking that its wire name is kept as written.
fn variant_rust(model: &Model, owner: &str, wire: &str) -> String {
    let TypeKind::Enum { values } = &ty(model, owner).kind else {
        panic!("`{owner}` is not an enum");
    };
    rust::variant_name(
        values
            .iter()
            .find(|v| v.name == wire)
            .unwrap_or_else(|| panic!("`{owner}` has no value `{wire}`")),
    )
}

#[test]
fn keywords_and_prelude_names_are_escaped_not_rejected() {
    let model = fixture("keywords");

    // Fields: raw identifiers where Rust allows them, a trailing `_` where it does not. Enum
    // values: `unknown` must not take the catch-all's name; `self` cannot be raw.
    type Namer = fn(&Model, &str, &str) -> String;
    let (field, value): (Namer, Namer) = (field_rust, variant_rust);
    for (namer, owner, wire, rust) in [
        (field, "Option", "type", "r#type"),
        (field, "Option", "gen", "r#gen"),
        (field, "Option", "match", "r#match"),
        (field, "Option", "Option", "option"),
        (field, "Box", "self", "self_"),
        (field, "Box", "gen", "r#gen"),
        (value, "String", "unknown", "UnknownValue"),
        (value, "String", "self", "Self_"),
        (value, "String", "gen", "Gen"),
        (value, "String", "type", "Type"),
        (value, "String", "Option", "Option"),
        (value, "Result", "Self", "Self_"),
        (value, "Result", "Unknown", "UnknownValue"),
    ] {
        assert_eq!(namer(&model, owner, wire), rust, "`{owner}.{wire}`");
    }
    let envelope = |wire: &str| {
        let f = model
            .envelope
            .fields
            .iter()
            .find(|f| f.name == wire)
            .unwrap_or_else(|| panic!("no envelope field `{wire}`"));
        rust::field_name(f)
    };
    assert_eq!(envelope("type"), "r#type");
    assert_eq!(envelope("match"), "r#match");

    // Types: prelude, keyword and generated-crate names take a trailing `_`.
    for (wire, rust) in [
        ("Option", "Option_"),
        ("Self", "Self_"),
        ("Result", "Result_"),
        ("String", "String_"),
        ("Vec", "Vec_"),
        ("Box", "Box_"),
        ("Event", "Event_"),
    ] {
        assert_eq!(rust::type_name(ty(&model, wire)), rust, "type `{wire}`");
    }

    // Events named with keywords get ordinary variants.
    let event = |wire: &str| {
        model
            .events
            .iter()
            .find(|e| e.name == wire)
            .unwrap_or_else(|| panic!("no event `{wire}`"))
    };
    assert_eq!(rust::event_variant(event("option.self")), "OptionSelf");
    assert_eq!(rust::event_variant(event("box.type")), "BoxType");

    // The examples using those wire names are attached and keep them.
    let data = &event("option.gen").examples[0].json["data"];
    assert_eq!(data["type"], "gen");
    assert_eq!(data["self"], "unknown");
    assert_eq!(data["Option"], "Self");
}

#[test]
fn every_rust_name_in_the_keywords_fixture_is_an_identifier() {
    let model = fixture("keywords");
    let mut names: Vec<String> = Vec::new();
    for t in &model.types {
        names.push(rust::type_name(t));
        match &t.kind {
            TypeKind::Object { fields, .. } => names.extend(fields.iter().map(rust::field_name)),
            TypeKind::Enum { values } => names.extend(values.iter().map(rust::variant_name)),
            TypeKind::Id { .. } => {}
        }
    }
    names.extend(model.envelope.fields.iter().map(rust::field_name));
    names.extend(model.events.iter().map(rust::event_variant));
    for n in names {
        syn::parse_str::<syn::Ident>(&n)
            .unwrap_or_else(|e| panic!("`{n}` is not a Rust identifier: {e}"));
    }
}

#[test]
fn the_minimal_fixture_loads_from_memory_like_from_disk() {
    let files = corpus::base();
    let from_memory = codegen::load_files(&files).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(from_memory, fixture("minimal"));
}

#[test]
fn package_metadata_reaches_the_crate_manifest() {
    let mut files = corpus::base();
    let root = files.get_mut("spec.yaml").unwrap();
    let base = "  schema_base_url: https://schemas.example.com/mini/\n";
    assert_eq!(root.matches(base).count(), 1);
    *root = root.replace(
        base,
        &format!(
            "{base}  license: MIT OR Apache-2.0\n  repository: https://example.com/mini\n  \
             keywords: [webhooks, c++]\n  categories: [web-programming::http-server]\n"
        ),
    );
    let model = codegen::load_files(&files).unwrap_or_else(|d| panic!("{d}"));
    let meta = &model.package.metadata;
    assert_eq!(meta.license.as_deref(), Some("MIT OR Apache-2.0"));
    assert_eq!(meta.keywords, ["webhooks", "c++"]);

    let outputs = codegen::emit::all(&model);
    let manifest = outputs.get("Cargo.toml").unwrap();
    for line in [
        "license = \"MIT OR Apache-2.0\"\n",
        "repository = \"https://example.com/mini\"\n",
        "keywords = [\"webhooks\", \"c++\"]\n",
        "categories = [\"web-programming::http-server\"]\n",
    ] {
        assert!(manifest.contains(line), "{line:?} in\n{manifest}");
    }

    // Without the keys, the manifest has none of them.
    let bare = codegen::emit::all(&fixture("minimal"));
    let bare = bare.get("Cargo.toml").unwrap();
    for key in ["license", "repository", "keywords", "categories"] {
        assert!(!bare.contains(&format!("\n{key} = ")), "{key} in\n{bare}");
    }
}

/// YAML that `serde_yaml` reads but the position index does not (a tab after `key:`) still loads;
/// a mistake after it is reported with a note that its place may be approximate, and why.
#[test]
fn places_past_what_the_position_index_reads_are_reported_as_approximate() {
    let mut files = corpus::base();
    let widgets = files["widgets.yaml"].replacen("resource: widget", "resource:\twidget", 1);
    assert_ne!(
        widgets, files["widgets.yaml"],
        "the fixture has the line to edit"
    );
    files.insert("widgets.yaml".into(), widgets.clone());
    codegen::load_files(&files).expect("the tab is valid YAML: the spec still loads");

    let broken = widgets.replacen("description: A widget is created.", "descripton: x", 1);
    files.insert("widgets.yaml".into(), broken);
    let diags = codegen::load_files(&files).expect_err("a misspelt key");
    let d = diags
        .iter()
        .find(|d| d.message.contains("descripton"))
        .unwrap_or_else(|| panic!("the misspelt key is reported:\n{diags}"));
    let note = d.notes.first().unwrap_or_else(|| panic!("no note:\n{d}"));
    assert!(note.text.contains("approximate"), "{note}");
    let (file, line, _) = note.place.clone().unwrap();
    assert_eq!(file, "widgets.yaml");
    let tab_line = widgets.lines().position(|l| l.contains('\t')).unwrap() + 1;
    assert_eq!(line as usize, tab_line);
}

/// `notes` is accepted wherever a reader's `description` is (package, envelope, types, fields,
/// enum values, events) and leaves no trace: the model, and so every output, is the same as
/// without it.
#[test]
fn notes_are_accepted_and_leave_no_trace() {
    let base = corpus::base();
    let read = |f: &str| base[f].clone();
    let replace = |text: String, pairs: &[(&str, &str)]| {
        pairs.iter().fold(text, |text, (old, new)| {
            assert_eq!(text.matches(old).count(), 1, "{old}");
            text.replace(old, new)
        })
    };
    let root = replace(
        read("spec.yaml"),
        &[
            (
                "  title: Mini events\n",
                "  title: Mini events\n  notes: Named after the fixture.\n",
            ),
            (
                "envelope:\n  description: An event.\n",
                "envelope:\n  description: An event.\n  notes: |\n    Field order follows the published example.\n",
            ),
        ],
    );
    let widgets = replace(
        read("widgets.yaml"),
        &[
            (
                "    description: A widget.\n",
                "    description: A widget.\n    notes: Not in the API reference.\n",
            ),
            (
                "        description: Lifecycle state.\n",
                "        description: Lifecycle state.\n        notes: Values from two revisions.\n",
            ),
            (
                "          active: In use.\n",
                "          active: { description: In use., notes: Called `live` in a guide. }\n",
            ),
            (
                "    description: A widget is created.\n",
                "    description: A widget is created.\n    notes: Inferred from the list endpoint.\n",
            ),
        ],
    );
    let files = [("spec.yaml", root), ("widgets.yaml", widgets)]
        .into_iter()
        .map(|(f, t)| (f.to_string(), t))
        .collect();
    let with_notes = codegen::load_files(&files).unwrap_or_else(|d| panic!("{d}"));
    // The added lines move what follows them; apart from places, the models are the same.
    assert_eq!(
        without_places(with_notes.clone()),
        without_places(fixture("minimal"))
    );
    let outputs = codegen::emit::all(&with_notes);
    for (path, text) in outputs.files() {
        for note in [
            "Named after",
            "published example",
            "API reference",
            "two revisions",
            "`live`",
            "list endpoint",
        ] {
            assert!(!text.contains(note), "{path} shows the note {note:?}");
        }
    }
}

fn without_places(mut model: Model) -> Model {
    use codegen::model::Origin;
    let clear = |fields: &mut Vec<Field>| {
        for f in fields {
            f.origin = Origin::default();
        }
    };
    clear(&mut model.envelope.fields);
    for ty in &mut model.types {
        ty.origin = Origin::default();
        if let TypeKind::Object { fields, .. } = &mut ty.kind {
            clear(fields);
        }
    }
    for event in &mut model.events {
        event.origin = Origin::default();
    }
    model
}
