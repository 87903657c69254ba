//! Stage 3, Rust: the crate's frame: `Cargo.toml`, `README.md` (the crate-level guide, whose
//! example runs as a doctest) and `src/lib.rs`.
//!
//! `src/lib.rs` is written as text in rustfmt's style rather than through prettyplease, and marks
//! every generated module `#[rustfmt::skip]`, so `cargo fmt --check` on the workspace never wants to
//! rewrite generated code.

use std::fmt::Write as _;

use serde_json::Value;

use super::Module;
use super::samples::{readme_event, unknown_event_json, unknown_type};
use crate::model::{EventDef, Model, TypeKind};

/// The generated crate's dependency requirements. It must build on its own, outside this
/// workspace, so it cannot inherit them from `[workspace.dependencies]`.
const DEPENDENCIES: &str = r#"[dependencies]
chrono = { version = "0.4.42", default-features = false, features = ["std", "serde"] }
compact_str = { version = "0.10.0", features = ["serde"] }
serde = { version = "1.0.228", features = ["derive"] }
serde_json = { version = "1.0.145", features = ["raw_value"] }
serde_path_to_error = "0.1.20"
"#;

/// The header of non-Rust generated files that allow comments.
const HASH_HEADER: &str = crate::generated_comment!("#");

/// `Cargo.toml`.
pub(crate) fn emit_cargo_toml(model: &Model) -> String {
    let package = &model.package;
    let description = toml_string(&format!("Typed webhook events: {}", package.title));
    format!(
        "{HASH_HEADER}\
[package]
name = {name}
version = \"{version}\"
edition = \"2024\"
rust-version = \"1.85\"
description = {description}
{metadata}readme = \"README.md\"
publish = false
include = [\"/Cargo.toml\", \"/README.md\", \"/CHANGELOG.md\", \"/src/**\", \"/tests/**\", \"/schemas/**\", \"/docs/**\", \"/asyncapi.yaml\", \"/openapi.yaml\"]

[lib]
name = {lib}
path = \"src/lib.rs\"

{DEPENDENCIES}{features}
{test}",
        name = toml_string(&package.name),
        version = package.version,
        lib = toml_string(&package.lib_name),
        features = features_toml(model),
        metadata = metadata_toml(model),
        test = super::fixtures::TEST_TARGET,
    )
}

/// The registry metadata the spec gives, one `key = value` line each, in Cargo's usual order.
fn metadata_toml(model: &Model) -> String {
    let m = &model.package.metadata;
    let mut out = String::new();
    if let Some(license) = &m.license {
        let _ = writeln!(out, "license = {}", toml_string(license));
    }
    if let Some(repository) = &m.repository {
        let _ = writeln!(out, "repository = {}", toml_string(repository));
    }
    for (key, items) in [("keywords", &m.keywords), ("categories", &m.categories)] {
        if !items.is_empty() {
            let items: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
            let _ = writeln!(out, "{key} = [{}]", items.join(", "));
        }
    }
    out
}

/// The optional dependencies of the signing and axum modules, if the spec signs deliveries, and
/// the `[features]` table: those modules' features and `fixtures`. The dependencies come after
/// the fixed ones, so `[dependencies]` stays one table.
fn features_toml(model: &Model) -> String {
    let mut out = String::new();
    let fragment = super::signing::cargo_dependencies(model);
    let axum = super::axum::module(model).is_some();
    let mut dependencies: Vec<&str> = fragment
        .iter()
        .flat_map(|f| f.dependencies.iter().copied())
        .collect();
    if axum {
        dependencies.extend_from_slice(super::axum::DEPENDENCIES);
    }
    // Sorted by crate name, as `cargo add` keeps them.
    dependencies.sort_by_key(|line| line.split_once(' ').map_or(*line, |(name, _)| name));
    for line in dependencies {
        let _ = writeln!(out, "{line}");
    }
    out.push_str("\n[features]\n");
    if let Some(fragment) = &fragment {
        let defaults: Vec<String> = fragment
            .default_features
            .iter()
            .map(|f| format!("{f:?}"))
            .collect();
        let _ = writeln!(out, "default = [{}]", defaults.join(", "));
        for line in fragment.features {
            let _ = writeln!(out, "{line}");
        }
    }
    if axum {
        let _ = writeln!(out, "{}", super::axum::FEATURE_LINE);
    }
    let _ = writeln!(out, "{}", super::fixtures::FEATURE_LINE);
    out
}

fn toml_string(s: &str) -> String {
    // A JSON string is a valid TOML basic string for the text specs hold.
    Value::from(s).to_string()
}

/// `src/lib.rs`.
pub(crate) fn emit_lib_rs(model: &Model, modules: &[Module]) -> String {
    let mut out = String::from(super::HEADER);
    out.push_str(
        "\n#![doc = include_str!(\"../README.md\")]\n#![deny(missing_docs)]\n#![forbid(unsafe_code)]\n\n",
    );
    // rustfmt sorts `use` items (and unattributed `mod` items) by name; emit them sorted.
    let mut modules = modules.to_vec();
    modules.sort_by_key(|m| m.name());
    for module in &modules {
        let _ = writeln!(out, "#[rustfmt::skip]\nmod {};", module.name());
    }
    if super::axum::module(model).is_some() {
        out.push_str(super::axum::LIB_RS_ITEM);
    }
    if super::signing::module(model).is_some() {
        out.push_str(super::signing::LIB_RS_ITEM);
    }
    out.push_str(super::fixtures::LIB_RS_ITEM);
    out.push('\n');
    for module in &modules {
        match module.reexports() {
            Some([]) => {}
            None => {
                let _ = writeln!(out, "pub use {}::*;", module.name());
            }
            Some([one]) => {
                let _ = writeln!(out, "pub use {}::{one};", module.name());
            }
            Some(names) => {
                let _ = writeln!(out, "pub use {}::{{{}}};", module.name(), names.join(", "));
            }
        }
    }
    out
}

/// An integration test root (`tests/<name>/main.rs`) that only declares its generated module
/// `cases.rs` beside it, so
/// `cargo fmt` skips the generated code (an inner `#![rustfmt::skip]` is not stable).
pub(crate) fn emit_test_root(doc: &str) -> String {
    format!(
        "{}//! {doc}\n\n#[rustfmt::skip]\nmod cases;\n",
        super::HEADER
    )
}

/// The README section on verifying signed deliveries, with a doctest that signs a body and
/// verifies it, so it runs offline.
fn readme_signing(model: &Model) -> String {
    let lib = &model.package.lib_name;
    format!(
        r##"
## Verifying deliveries

Deliveries are signed with the [Standard Webhooks](https://www.standardwebhooks.com/) scheme. The
`signing` module (cargo feature `signing`, on by default; `http` adds support for
`http::HeaderMap`) verifies the raw body and the `webhook-id`, `webhook-timestamp` and
`webhook-signature` headers before anything is parsed: verify the bytes exactly as received,
never a re-serialized value. Build the crate with `default-features = false` to get the types
without any cryptography.

```rust
use std::time::{{SystemTime, UNIX_EPOCH}};
use {lib}::signing::{{Headers, Secret, Signer, Verifier}};

// Both the current and the previous secret verify while a rotation is under way.
let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
let verifier = Verifier::new(Secret::parse(secret)?);

// What Deck sends (signed here so the example runs on its own).
let body = br#"{{"id":"evt_1","object":"event","type":"future.event","data":{{}},"created_at":"2025-01-15T09:30:00Z"}}"#;
let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
let signature = Signer::new(Secret::parse(secret)?).sign("msg_1", now, body);
let timestamp = now.to_string();
let headers = Headers {{ id: "msg_1", timestamp: &timestamp, signature: &signature }};

let event = verifier.verify_and_parse(&headers, body)?;
assert_eq!(event.event_type().as_str(), "future.event");

// A tampered body is rejected before it is parsed.
assert!(verifier.verify(&headers, b"{{}}").is_err());
# Ok::<(), Box<dyn std::error::Error>>(())
```
"##
    )
}

/// `README.md`.
pub(crate) fn emit_readme(model: &Model) -> String {
    let package = &model.package;
    let lib = &package.lib_name;
    let mut out = String::from(crate::generated_comment!("<!--", "-->"));
    out.push('\n');
    let _ = writeln!(out, "# {}\n", package.name);
    let _ = writeln!(out, "{}\n", package.title);
    let description = super::docs::sanitize(&package.description).join("\n");
    if !description.is_empty() {
        let _ = writeln!(out, "{description}\n");
    }
    let _ = writeln!(
        out,
        "This crate is generated from the event spec (version {version}). Decode a webhook body into \
`Event` with `Event::from_slice(body)`, then match on its payload: every event type has a \
variant of `EventData` holding its typed resource. `serde_json::from_slice::<Event>(body)` reads \
the same events; `Event::from_slice` is faster, and when only the payload is unreadable its error \
keeps the whole delivery (`ParseError::Data`).\n\n\
## Forward compatibility\n\n\
Code written against this crate keeps compiling and keeps working when the spec adds an event \
type, a field or an enum value. An event type this version does not know decodes into \
`EventData::Unknown` with its type string and raw payload; a string enum value it does not know \
decodes into the enum's `Unknown` variant; unknown fields are ignored. All of these encode back \
unchanged. Enums and structs are `#[non_exhaustive]`, so a `match` keeps a catch-all arm. Each \
ID has a type of its own, and every item is documented from the spec. A struct is read from a \
JSON object only, not from an array of its values (which serde's derive would accept and the \
JSON Schemas reject).\n\n\
## What a delivery guarantees\n\n\
A payload may be a summary of its resource rather than all of it. A field typed as a plain value \
is in every delivery, and a body without it does not decode; a field that a delivery may leave \
out is an `Option`. The JSON Schemas (`required`) and the documentation site (\"required\") say \
the same.\n\n\
## Nothing received is lost\n\n\
`Event::from_slice` parses like `serde_json::from_slice`. When a body's envelope is valid but its \
payload does not decode (the sender changed a field's type, say), its error, `ParseError::Data`, \
holds a `RawEvent`: the envelope's fields typed, the payload as raw JSON and the whole body byte \
for byte. Store it, acknowledge the delivery, and `parse()` it again once a newer version of the \
crate reads it. `RawEvent::from_slice` reads any body whose envelope is valid. Every `ParseError` \
names the place that failed: `pointer()` is its JSON Pointer (`/data/runtime_ms`), and the message \
says what was expected and what came (`task_run.completed: /data/runtime_ms: expected an integer, \
got a string (\"oops\")`).\n\n\
```rust
use {lib}::{{Event, ParseError}};

fn receive(body: &[u8]) {{
    match Event::from_slice(body) {{
        Ok(event) => println!(\"handle a {{}} event\", event.event_type()),
        Err(ParseError::Data {{ raw, error, .. }}) => {{
            // Keep `raw.body()` (the bytes that were signed) in a dead-letter store, answer 2xx.
            println!(\"kept a {{}} event for later: {{error}}\", raw.event_type());
        }}
        Err(error) => println!(\"not an event: {{error}}\"),
    }}
}}
# receive(b\"{{}}\");
```\n\n\
## Timestamps\n\n\
Timestamps are `chrono::DateTime<Utc>`: instants. The crate reads any RFC 3339 offset and writes \
UTC, so `2026-02-01T00:00:00+01:00` is written back as `2026-01-31T23:00:00Z`; the offset the \
sender used is in `RawEvent::body`, which keeps the bytes.\n\n\
## Free-form JSON\n\n\
Free-form fields (`json` in the spec) are `Json`: the value's JSON text exactly as received, \
encoded back unchanged. A `serde_json::Value` would sort its keys, round numbers to `f64` and \
keep one of two equal keys; the text keeps them all, and the parser skips over it instead of \
building a map. Decode one when it is needed: `json.parse::<T>()` into a type of your own, \
`json.to_value()` into a `Value`, or `json.as_str()` for the text (the type's documentation \
has an example).",
        version = package.version,
    );
    if let Some(event) = readme_event(model) {
        out.push_str("\n## Example\n\n```rust\n");
        out.push_str(&readme_example(model, event));
        out.push_str("```\n");
    }
    if super::signing::module(model).is_some() {
        out.push_str(&readme_signing(model));
    }
    if let Some(section) = super::axum::readme_section(model) {
        out.push_str(&section);
    }
    out.push_str(super::fixtures::README_SECTION);
    let _ = writeln!(out, "\n## Event types\n");
    for group in &model.groups {
        let _ = writeln!(
            out,
            "- {}: {}",
            group.title,
            model
                .group_events(group)
                .map(|e| format!("`{}`", e.name))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let _ = writeln!(out, "\nThe crate's library name is `{lib}`.");
    out
}

fn readme_example(model: &Model, event: &EventDef) -> String {
    let lib = &model.package.lib_name;
    let data = super::field_name(&model.envelope.fields[model.envelope.data_field]);
    let example = &event.examples[0];
    // The first field of the payload that is always present, to show a typed read.
    let field = match &model.ty(event.data).kind {
        TypeKind::Object { fields, .. } => fields.iter().find(|f| f.always_present()),
        _ => None,
    };
    let mut out = String::new();
    let _ = writeln!(out, "use {lib}::{{Event, EventData, EventType}};\n");
    let _ = writeln!(out, "let body = {};\n", super::raw_string(&example.text));
    let _ = writeln!(out, "let event: Event = serde_json::from_str(body)?;");
    let _ = writeln!(
        out,
        "assert_eq!(event.event_type(), EventType::{});",
        super::event_variant(event)
    );
    let _ = writeln!(
        out,
        "assert_eq!(event.event_type().as_str(), {});",
        Value::from(event.name.as_str())
    );
    let _ = writeln!(out, "match &event.{data} {{");
    let _ = writeln!(
        out,
        "    EventData::{}(payload) => {{",
        super::event_variant(event)
    );
    match field {
        Some(field) => {
            let _ = writeln!(
                out,
                "        // Fields are typed: `{}` is decoded, not a raw string.",
                field.name
            );
            let _ = writeln!(
                out,
                "        println!(\"{} = {{:?}}\", payload.{});",
                field.name,
                super::field_name(field)
            );
        }
        None => {
            let _ = writeln!(out, "        println!(\"{{payload:?}}\");");
        }
    }
    let _ = writeln!(out, "    }}");
    let _ = writeln!(
        out,
        "    EventData::Unknown(unknown) => println!(\"not known yet: {{}}\", unknown.event_type()),"
    );
    let _ = writeln!(
        out,
        "    other => println!(\"not handled here: {{}}\", other.event_type()),"
    );
    let _ = writeln!(out, "}}");
    if let Some(json) = unknown_event_json(model) {
        let text = serde_json::to_string_pretty(&json).expect("JSON values serialize");
        let _ = writeln!(
            out,
            "\n// A type this version does not know still decodes, and encodes back unchanged."
        );
        let _ = writeln!(out, "let body = {};", super::raw_string(&text));
        let _ = writeln!(out, "let event: Event = serde_json::from_str(body)?;");
        let _ = writeln!(out, "assert!(event.event_type().is_unknown());");
        let _ = writeln!(
            out,
            "let EventData::Unknown(unknown) = &event.{data} else {{ unreachable!() }};"
        );
        let _ = writeln!(
            out,
            "assert_eq!(unknown.event_type(), {});",
            Value::from(unknown_type(model))
        );
        let _ = writeln!(
            out,
            "assert_eq!(unknown.data().to_value()?[\"answer\"], 42);"
        );
        let _ = writeln!(
            out,
            "assert_eq!(serde_json::to_value(&event)?, serde_json::from_str::<serde_json::Value>(body)?);"
        );
    }
    let _ = writeln!(out, "# Ok::<(), serde_json::Error>(())");
    out
}
