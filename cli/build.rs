//! Writes `$OUT_DIR/schema_keys.rs`: how the envelope schema names an event type's definition
//! and the unknown event's, as the schema emitter names them.
//!
//! Writes `$OUT_DIR/spec_places.rs`: for each named type of the spec, the envelope schema's
//! `$defs` key (the type's slug, the key the schema emitter uses), its spec name, the spec file
//! that declares it, and the YAML path to its node there; and for each field that may not be
//! `null`, what the semver gate says of making it nullable. `check --suggest` reads it to say
//! where each edit goes and whether it breaks consumers. The facts come from the generator's own
//! model and diff engine, so they cannot drift from the schema compiled into the binary or from
//! what `cargo xtask diff` reports.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use codegen::model::{Model, TypeKind, TypeRef};

fn main() {
    println!("cargo:rerun-if-changed=../spec");
    println!("cargo:rerun-if-changed=../codegen/src");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model =
        codegen::load_dir(&spec).unwrap_or_else(|diags| panic!("the spec loads: {diags:?}"));
    let mut out = String::from(
        "/// Per named type: `$defs` key, spec name, spec file, YAML path to the type's node.\n\
         pub static PLACES: &[(&str, &str, &str, &[&str])] = &[\n",
    );
    // The names each spec file declares under `types`: those are never hoisted out of a field,
    // even when one reads like a hoisted name (`Error` has a field `type`, and `ErrorType` is a
    // type of its own).
    let files: BTreeSet<&str> = model.types.iter().map(|t| t.origin.file.as_str()).collect();
    let mut declared = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(spec.join(file)).unwrap();
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let types = yaml.get("types").and_then(serde_yaml::Value::as_mapping);
        declared.extend(
            types
                .into_iter()
                .flat_map(|types| types.keys())
                .filter_map(|key| key.as_str().map(str::to_owned)),
        );
    }
    let declared: BTreeSet<&str> = declared.iter().map(String::as_str).collect();
    for ty in &model.types {
        let path = yaml_path(&model, &declared, &ty.name);
        let path: Vec<String> = path.iter().map(|key| format!("{key:?}")).collect();
        let _ = writeln!(
            out,
            "    ({:?}, {:?}, {:?}, &[{}]),",
            ty.slug,
            ty.name,
            ty.origin.file,
            path.join(", ")
        );
    }
    // The envelope's fields, which every event's definition holds: written under `envelope`.
    let envelope_file = &model.envelope.fields[0].origin.file;
    let event_keys = model
        .events
        .iter()
        .map(|event| codegen::emit::schema::event_key(&event.name))
        .chain([codegen::emit::schema::UNKNOWN_KEY.to_owned()]);
    for key in event_keys {
        let _ = writeln!(
            out,
            "    ({key:?}, \"envelope\", {envelope_file:?}, &[\"envelope\"]),"
        );
    }
    out.push_str("];\n");
    out.push_str(&nullable_verdicts(&model));
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("spec_places.rs"), out).unwrap();
    let keys = format!(
        "/// The `$defs` key of an event type's definition is this prefix and the type.\n\
         pub const EVENT_KEY_PREFIX: &str = {:?};\n\
         /// The `$defs` key of the definition an event of a type the catalog lacks matches.\n\
         pub const UNKNOWN_EVENT_KEY: &str = {:?};\n",
        codegen::emit::schema::event_key(""),
        codegen::emit::schema::UNKNOWN_KEY,
    );
    std::fs::write(Path::new(&out_dir).join("schema_keys.rs"), keys).unwrap();
}

/// `NULLABLE`: per field of an object type that may not be `null`, the `$defs` key of its type, its
/// wire name, and what the diff engine reports when the spec makes it nullable (`None` when the
/// change is compatible). Each verdict is the engine's own, on the spec with that one edit.
fn nullable_verdicts(model: &Model) -> String {
    let mut out = String::from(
        "/// Per field that may not be `null`: `$defs` key, field, why making it nullable breaks\n\
         /// consumers (as `cargo xtask diff` says), or `None`.\n\
         pub static NULLABLE: &[(&str, &str, Option<&str>)] = &[\n",
    );
    for (t, ty) in model.types.iter().enumerate() {
        let TypeKind::Object { fields, .. } = &ty.kind else {
            continue;
        };
        for (f, field) in fields.iter().enumerate() {
            if field.nullable {
                continue;
            }
            let mut edited = model.clone();
            if let TypeKind::Object { fields, .. } = &mut edited.types[t].kind {
                fields[f].nullable = true;
            }
            let report = codegen::diff::diff(Some(model), Some(&edited));
            let breaking: Vec<String> = report
                .changes
                .iter()
                .filter(|c| c.impact == codegen::diff::Impact::Breaking)
                .map(codegen::diff::Change::describe)
                .collect();
            let verdict = match &breaking[..] {
                [] => "None".to_owned(),
                some => format!("Some({:?})", some.join("; ")),
            };
            let _ = writeln!(out, "    ({:?}, {:?}, {verdict}),", ty.slug, field.name);
        }
    }
    out.push_str("];\n");
    out
}

/// Where type `name` is written: `types.<Name>`, or, for an inline type the generator hoisted
/// out of a field (named by `codegen::names::hoisted_type_name`), under that field of its parent.
fn yaml_path(model: &Model, declared: &BTreeSet<&str>, name: &str) -> Vec<String> {
    if declared.contains(name) {
        return vec!["types".to_owned(), name.to_owned()];
    }
    for parent in &model.types {
        let TypeKind::Object { fields, .. } = &parent.kind else {
            continue;
        };
        for field in fields {
            let TypeRef::Named(id) = &field.ty else {
                continue;
            };
            if model.ty(*id).name == name
                && codegen::names::hoisted_type_name(&parent.name, &field.name).as_deref()
                    == Some(name)
            {
                let mut path = yaml_path(model, declared, &parent.name);
                path.extend(["fields".to_owned(), field.name.clone()]);
                return path;
            }
        }
    }
    vec!["types".to_owned(), name.to_owned()]
}
