//! Shared by the tests that build a generated crate with cargo: a model built by hand (independent
//! of the loader) and the scaffolding that writes a crate plus a consumer to a directory and runs
//! cargo on them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Outputs;
use codegen::model::*;

fn name(wire: &str, rust: &str) -> Name {
    Name {
        wire: wire.into(),
        rust: rust.into(),
    }
}

fn field(wire: &str, rust: &str, ty: TypeRef) -> Field {
    Field {
        name: name(wire, rust),
        description: format!("The `{wire}` field."),
        ty,
        optional: false,
        nullable: false,
        constant: None,
        boxed: false,
        markers: Markers::default(),
        origin: Origin::default(),
    }
}

fn optional(mut f: Field) -> Field {
    f.optional = true;
    f
}

fn nullable(mut f: Field) -> Field {
    f.nullable = true;
    f
}

fn ty(wire: &str, rust: &str, kind: TypeKind) -> TypeDef {
    TypeDef {
        name: name(wire, rust),
        description: format!("The {wire} type. See https://example.com/{wire} and [x]."),
        kind,
        markers: Markers::default(),
        slug: wire.to_lowercase(),
        origin: Origin::default(),
    }
}

fn value(wire: &str, rust: &str) -> EnumValue {
    EnumValue {
        name: name(wire, rust),
        description: format!("Value {wire}."),
        markers: Markers::default(),
    }
}

/// A model with the shapes and names that are hard for the Rust emitter: keywords and prelude
/// names as type, field and value names, a value named `unknown`, recursion, every type
/// expression, every presence combination and markers.
pub fn tricky_model() -> Model {
    use TypeRef::*;
    let t = |i| Named(TypeId(i));
    let mut types = vec![
        // 0
        ty(
            "EventId",
            "EventId",
            TypeKind::Id {
                prefix: "evt_".into(),
            },
        ),
        // 1
        ty(
            "Option",
            "Option_",
            TypeKind::Id {
                prefix: "opt_".into(),
            },
        ),
        // 2
        ty(
            "Result",
            "Result_",
            TypeKind::Enum {
                values: vec![
                    value("unknown", "UnknownValue"),
                    value("self", "Self_"),
                    value("Option", "Option_"),
                    value("in_progress", "InProgress"),
                    value("gen", "Gen"),
                ],
            },
        ),
        // 3
        ty(
            "Box",
            "Box_",
            TypeKind::Object {
                fields: vec![
                    field("id", "id", t(1)),
                    {
                        let mut f = field("object", "object", String);
                        f.constant = Some("box".into());
                        f
                    },
                    field("type", "r#type", t(2)),
                    nullable(field("self", "self_", t(2))),
                    optional(field("gen", "r#gen", Integer)),
                    optional(nullable(field("Self", "self_upper", Number))),
                    optional(field("crate", "crate_", Boolean)),
                    field("super", "super_", DateTime),
                    optional(field("String", "string", Url)),
                    optional(nullable(field("Vec", "vec", Json))),
                    optional(field(
                        "in-progress",
                        "in_progress",
                        Array(Box::new(Map(Box::new(t(2))))),
                    )),
                    optional({
                        let mut f = field("parent", "parent", t(3));
                        f.boxed = true;
                        f
                    }),
                    optional(field("children", "children", Array(Box::new(t(3))))),
                    optional(field("event", "event", t(4))),
                ],
                resource: Some(Resource {
                    object: "box".into(),
                    title: "Box".into(),
                    group: 0,
                }),
            },
        ),
        // 4
        ty(
            "Event",
            "Event",
            TypeKind::Object {
                fields: vec![optional(field("note", "note", String))],
                resource: None,
            },
        ),
        // 5
        ty(
            "Self",
            "Self_",
            TypeKind::Object {
                fields: vec![field("match", "r#match", String)],
                resource: None,
            },
        ),
    ];
    types[2].markers.since = Some(Version {
        major: 0,
        minor: 2,
        patch: 0,
    });
    if let TypeKind::Enum { values } = &mut types[2].kind {
        values[2].markers.deprecated = Some("use `in_progress`".into());
    }
    let mut object_field = field("object", "object", String);
    object_field.constant = Some("event".into());
    let envelope = Envelope {
        description: "An event.\n\n```json\n{\"id\": \"evt_1\"}\n```".into(),
        fields: vec![
            field("id", "id", t(0)),
            object_field,
            field("type", "r#type", EventType),
            field("data", "data", EventData),
            field("created_at", "created_at", DateTime),
            optional(nullable(field("request_id", "request_id", String))),
        ],
        type_field: 2,
        data_field: 3,
    };
    let data = serde_json::json!({
        "id": "opt_1", "object": "box", "type": "self", "self": null, "gen": 3, "Self": null,
        "super": "2025-01-15T09:30:00Z", "Vec": {"any": [1, "two"]},
        "in-progress": [{"a": "gen", "b": "in_progress"}],
        "parent": {"id": "opt_0", "object": "box", "type": "unknown", "self": "Option", "super": "2025-01-15T09:30:00Z"},
        "event": {"note": "hi"}
    });
    let example = |event_type: &str, data: &serde_json::Value| {
        let text = format!(
            "{{\n  \"id\": \"evt_1\",\n  \"object\": \"event\",\n  \"type\": \"{event_type}\",\n  \"data\": {},\n  \"created_at\": \"2025-01-15T09:30:00Z\",\n  \"request_id\": null\n}}",
            serde_json::to_string_pretty(data)
                .unwrap()
                .replace('\n', "\n  ")
        );
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        Example { json, text }
    };
    let event = |wire: &str, rust: &str, action: &str, data_ty: usize| EventDef {
        name: name(wire, rust),
        object: "box".into(),
        action: action.into(),
        description: format!("A box is {action}. `[not a link]`"),
        data: TypeId(data_ty),
        group: 0,
        examples: vec![example(wire, &data)],
        markers: Markers::default(),
        origin: Origin::default(),
    };
    let mut events = vec![
        event("box.created", "BoxCreated", "created", 3),
        event("box.gen", "BoxGen", "gen", 3),
    ];
    events[1].markers.deprecated = Some(std::string::String::new());
    Model {
        package: Package {
            name: "tricky-events".into(),
            lib_name: "tricky_events".into(),
            version: Version {
                major: 1,
                minor: 2,
                patch: 3,
            },
            title: "Tricky events".into(),
            description: "Events with names that are hard for Rust.".into(),
            schema_base_url: "https://example.com/schemas/".into(),
            signing: Signing::None,
            delivery: std::string::String::new(),
        },
        envelope,
        types,
        groups: vec![Group {
            title: "Box".into(),
            object: "box".into(),
            resource: TypeId(3),
            events: vec![0, 1],
            slug: "box".into(),
        }],
        events,
    }
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Writes `outputs` as `<dir>/<crate_dir>` next to a consumer crate that depends on it by path,
/// both members of a workspace rooted at `dir`, which is outside the repository's workspace. The
/// consumer's `main` decodes `event_json` and prints its type.
pub fn write_workspace(dir: &Path, outputs: &Outputs, lib_name: &str, event_json: &str) {
    let _ = std::fs::remove_dir_all(dir);
    let krate = dir.join("crate");
    for (path, text) in outputs.files() {
        let path = krate.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"crate\", \"consumer\"]\n",
    )
    .unwrap();
    // Reuse the repository's lock file, so the dependency versions are the ones already built and
    // no registry lookup is needed.
    if repo_root().join("Cargo.lock").exists() {
        std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    }
    let package = outputs
        .get("Cargo.toml")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("name = "))
        .unwrap()
        .to_owned();
    std::fs::create_dir_all(dir.join("consumer/src")).unwrap();
    std::fs::write(
        dir.join("consumer/Cargo.toml"),
        format!(
            "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nevents = {{ package = {package}, path = \"../crate\" }}\nserde_json = \"1\"\n"
        ),
    )
    .unwrap();
    let _ = lib_name;
    std::fs::write(
        dir.join("consumer/src/main.rs"),
        format!(
            "fn main() {{\n    let body = r####\"{event_json}\"####;\n    let event: events::Event = serde_json::from_str(body).unwrap();\n    \
             println!(\"{{}}\", event.event_type());\n}}\n"
        ),
    )
    .unwrap();
}

/// Runs cargo in `dir` with a target directory under the repository's `target/`, so builds are
/// shared between runs, and panics with its output when it fails.
pub fn cargo(dir: &Path, args: &[&str]) -> String {
    let target = repo_root().join("target").join("generated-crates");
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "cargo {} failed in {}:\n{text}",
        args.join(" "),
        dir.display()
    );
    text
}
