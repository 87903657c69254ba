//! Stage 3, Rust: renders the `deck-events` crate (sources, tests, `Cargo.toml`, README) from the
//! resolved [`Model`].
//!
//! Each file of the output has its own module here; they share the helpers below, which decide how
//! a model name becomes an identifier and how a spec type becomes a Rust type. Items are built as
//! tokens and printed by prettyplease, or, where they repeat per ID, enum, struct and event type,
//! written as text in prettyplease's layout (the `text` module); the runtime modules are copied
//! verbatim, and `src/lib.rs`, which is small, is written in rustfmt's style and checked by
//! `cargo fmt`.

mod axum;
mod canonical;
mod cargo;
mod data_first;
mod decode;
mod docs;
mod enums;
mod event;
mod fixtures;
mod ids;
mod json;
mod raw;
mod samples;
pub mod signing;
mod suites;
mod text;
pub(crate) mod timestamp;
mod types;

pub use canonical::canonical_example;
use proc_macro2::{Ident, Span, TokenStream};

use crate::model::{EnumValue, EventDef, Field, Model, TypeDef, TypeId, TypeKind, TypeRef};
use crate::names;
use crate::output::Outputs;

/// The first line of every generated Rust file. It names the command that regenerates the file and
/// carries `@generated` for the tools that recognise it; it holds no date or path, so output is
/// byte-identical from run to run and machine to machine.
pub const HEADER: &str = crate::generated_comment!("//");

/// Renders the crate into `out`, every path relative to the output directory.
pub fn emit(model: &Model, out: &mut Outputs) {
    let modules = Module::present(model);
    out.add("Cargo.toml", cargo::emit_cargo_toml(model));
    out.add("README.md", cargo::emit_readme(model));
    out.add("src/lib.rs", cargo::emit_lib_rs(model, &modules));
    if let Some(text) = signing::module(model) {
        out.add(signing::MODULE_FILE, format!("{HEADER}\n{text}"));
    }
    if let Some(text) = axum::module(model) {
        out.add(axum::MODULE_FILE, format!("{HEADER}\n{text}"));
    }
    for module in &modules {
        let text = match module {
            Module::Unknown => render(enums::emit_unknown_module()),
            Module::Ids => ids::emit_ids_module(model),
            Module::Enums => enums::emit_enums_module(model),
            Module::Types => types::emit_types_module(model),
            Module::Event => event::emit_event_module(model),
            Module::Raw => render(raw::emit_raw_module(model)),
            Module::Timestamp => format!("{HEADER}\n{}", timestamp::SOURCE),
            Module::Decode => format!("{HEADER}\n{}", decode::SOURCE),
            Module::Json => format!("{HEADER}\n{}", name_crate(model, json::SOURCE)),
        };
        out.add(format!("src/{}.rs", module.name()), text);
    }
    out.add(
        "tests/examples/main.rs",
        cargo::emit_test_root(
            "Every example payload of the spec, decoded, checked and encoded back.",
        ),
    );
    out.add("tests/examples/cases.rs", suites::emit_examples_test(model));
    out.add(fixtures::MODULE_FILE, fixtures::emit_module(model));
    out.add(
        fixtures::TEST_ROOT,
        cargo::emit_test_root(
            "The fixtures: every example of the spec, by event type, and the builder.",
        ),
    );
    out.add(fixtures::TEST_CASES, render(fixtures::emit_test(model)));
    out.add(
        "tests/robustness/main.rs",
        cargo::emit_test_root("The decoder never panics on malformed input."),
    );
    out.add(
        "tests/robustness/cases.rs",
        suites::emit_robustness_test(model),
    );
}

/// The modules of the generated crate. Items are reached inside the crate through their module
/// (`crate::types::TaskRun`), never through the root re-exports, so a spec type that shares a name
/// with a fixed item (`Event`, `UnknownValue`) can never make a path ambiguous.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Module {
    Unknown,
    Ids,
    Enums,
    Types,
    Event,
    Raw,
    Timestamp,
    Decode,
    Json,
}

impl Module {
    /// The modules with at least one item, in file order. An empty module is left out so the glob
    /// re-export of it cannot warn.
    fn present(model: &Model) -> Vec<Module> {
        let has = |f: fn(&TypeKind) -> bool| model.types.iter().any(|t| f(&t.kind));
        let mut modules = vec![Module::Unknown];
        if has(|k| matches!(k, TypeKind::Id { .. })) {
            modules.push(Module::Ids);
        }
        if has(|k| matches!(k, TypeKind::Enum { .. })) {
            modules.push(Module::Enums);
        }
        if has(|k| matches!(k, TypeKind::Object { .. })) {
            modules.push(Module::Types);
        }
        modules.push(Module::Event);
        modules.push(Module::Raw);
        if timestamp::needed(model) {
            modules.push(Module::Timestamp);
        }
        modules.push(Module::Decode);
        modules.push(Module::Json);
        modules
    }

    fn name(self) -> &'static str {
        match self {
            Module::Unknown => "unknown",
            Module::Ids => "ids",
            Module::Enums => "enums",
            Module::Types => "types",
            Module::Event => "event",
            Module::Raw => "raw",
            Module::Timestamp => "timestamp",
            Module::Decode => "decode",
            Module::Json => "json",
        }
    }

    /// The items re-exported by name from the crate root; `None` means a glob re-export. Fixed
    /// items are named, so they win over a same-named spec type brought in by a glob. Runtime
    /// helpers re-export nothing.
    fn reexports(self) -> Option<&'static [&'static str]> {
        match self {
            Module::Timestamp | Module::Decode => Some(&[]),
            Module::Unknown => Some(&["UnknownValue"]),
            Module::Event => Some(&["Event", "EventData", "EventType", "UnknownEvent"]),
            Module::Raw => Some(&["ErrorPlace", "ParseError", "RawEvent"]),
            Module::Json => Some(&["Json"]),
            Module::Ids | Module::Enums | Module::Types => None,
        }
    }
}

/// The Rust name of a named type (`TaskRun`, `Option_` for a spec type named `Option`).
///
/// Names come from the naming policy in [`crate::names`], which the checker ran over every name of
/// the spec: each exists and is unique in its scope, so a failure here is a bug.
pub fn type_name(def: &TypeDef) -> String {
    names::type_ident(&def.name)
        .unwrap_or_else(|| panic!("the checker let type `{}` through unnamed", def.name))
}

/// The Rust name of a field (`created_at`, `r#type`, `self_`).
pub fn field_name(field: &Field) -> String {
    names::field_ident(&field.name)
        .unwrap_or_else(|| panic!("the checker let field `{}` through unnamed", field.name))
}

/// The Rust variant of an enum value (`InProgress`, `UnknownValue` for a value `unknown`).
pub fn variant_name(value: &EnumValue) -> String {
    names::variant_ident(&value.name)
        .unwrap_or_else(|| panic!("the checker let value `{}` through unnamed", value.name))
}

/// The Rust variant of an event type (`TaskRunCompleted`).
pub fn event_variant(event: &EventDef) -> String {
    names::event_variant(&event.object, &event.action)
        .unwrap_or_else(|| panic!("the checker let event `{}` through unnamed", event.name))
}

/// Whether serde needs a `rename` for an item whose Rust name is `rust`: it differs from the wire
/// name once a raw identifier's `r#` is set aside.
pub(crate) fn needs_rename(rust: &str, wire: &str) -> bool {
    rust.strip_prefix("r#").unwrap_or(rust) != wire
}

pub(crate) fn field_ident(field: &Field) -> Ident {
    ident(&field_name(field))
}

pub(crate) fn event_ident(event: &EventDef) -> Ident {
    ident(&event_variant(event))
}

/// An identifier from a Rust name, which is already escaped: `r#type` becomes a raw identifier.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The crate name the doc examples of hand-written modules use; replaced by the spec's library name.
pub(crate) const TEMPLATE_CRATE: &str = "deck_events::";

/// A hand-written module's source with its doc examples naming the spec's library, so they
/// compile as doctests of the generated crate.
pub(crate) fn name_crate(model: &Model, template: &'static str) -> std::borrow::Cow<'static, str> {
    let lib = &model.package.lib_name;
    if lib == "deck_events" {
        std::borrow::Cow::Borrowed(template)
    } else {
        std::borrow::Cow::Owned(template.replace(TEMPLATE_CRATE, &format!("{lib}::")))
    }
}

/// The path of a named type from anywhere in the crate, through its defining module.
pub(crate) fn type_path(model: &Model, id: TypeId) -> String {
    let def = model.ty(id);
    let module = match def.kind {
        TypeKind::Id { .. } => "ids",
        TypeKind::Enum { .. } => "enums",
        TypeKind::Object { .. } => "types",
    };
    format!("crate::{module}::{}", type_name(def))
}

/// The Rust type of a type expression, without the `Option` or `Box` a field may add, as text in
/// prettyplease's spelling.
pub fn rust_type(model: &Model, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String | TypeRef::Url => "::std::string::String".to_owned(),
        TypeRef::Integer => "i64".to_owned(),
        TypeRef::Number => "f64".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::DateTime => "::chrono::DateTime<::chrono::Utc>".to_owned(),
        TypeRef::Json => json::TYPE.to_owned(),
        TypeRef::Array(item) => format!("::std::vec::Vec<{}>", rust_type(model, item)),
        TypeRef::Map(value) => format!(
            "::std::collections::BTreeMap<::std::string::String, {}>",
            rust_type(model, value)
        ),
        TypeRef::Named(id) => type_path(model, *id),
        TypeRef::EventType => "crate::event::EventType".to_owned(),
        TypeRef::EventData => "crate::event::EventData".to_owned(),
    }
}

/// The Rust type of a field: its type, boxed when the model says so, in an `Option` when it may be
/// absent or null.
pub(crate) fn field_type_text(model: &Model, field: &crate::model::Field) -> String {
    let mut ty = rust_type(model, &field.ty);
    // A recursive field would make the struct infinitely large: box it.
    if field.recursive {
        ty = format!("::std::boxed::Box<{ty}>");
    }
    if field.always_present() {
        ty
    } else {
        format!("::std::option::Option<{ty}>")
    }
}

/// [`field_type_text`] as tokens.
pub(crate) fn field_type(model: &Model, field: &crate::model::Field) -> TokenStream {
    tokens(&field_type_text(model, field))
}

/// Tokens of a piece of Rust written as text. A parse failure is a bug in this emitter.
pub(crate) fn tokens(text: &str) -> TokenStream {
    text.parse()
        .unwrap_or_else(|err| panic!("the Rust emitter wrote invalid Rust ({err}): {text}"))
}

/// Parses emitted tokens as a Rust file and prints it with the header. A parse failure is a bug in
/// this emitter, so it panics with the raw tokens.
pub(crate) fn render(tokens: TokenStream) -> String {
    format!("{HEADER}{}", render_items(tokens))
}

/// Parses emitted tokens as items (or a file's inner attributes and items) and prints them with
/// prettyplease, without the header: the text of those items in a file, since prettyplease prints
/// a file's items one after the other.
pub(crate) fn render_items(tokens: TokenStream) -> String {
    let file = match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => file,
        Err(err) => panic!("the Rust emitter produced invalid tokens ({err}):\n{tokens}"),
    };
    prettyplease::unparse(&file)
}

/// [`render_items`] for items written as text.
pub(crate) fn render_text_items(text: &str) -> String {
    match syn::parse_file(text) {
        Ok(file) => prettyplease::unparse(&file),
        Err(err) => panic!("the Rust emitter produced invalid text ({err}):\n{text}"),
    }
}

/// A Rust string literal spelled as a raw string with enough `#`s for `text`.
pub(crate) fn raw_string(text: &str) -> String {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

/// The JSON Pointer (RFC 6901) of a top-level key of the envelope: `/data` for `data`.
pub(crate) fn json_pointer(key: &str) -> String {
    format!("/{}", key.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests_of_names {
    use super::Module;

    /// The items the crate root re-exports by name are exactly the fixed items that spec types
    /// may not be named after, so a spec type can never be shadowed by one.
    #[test]
    fn named_reexports_are_the_fixed_items() {
        let modules = [
            Module::Unknown,
            Module::Ids,
            Module::Enums,
            Module::Types,
            Module::Event,
            Module::Raw,
            Module::Timestamp,
            Module::Decode,
            Module::Json,
        ];
        let mut reexported: Vec<&str> = modules
            .iter()
            .filter_map(|m| m.reexports())
            .flatten()
            .copied()
            .collect();
        let mut fixed = crate::names::FIXED_ITEMS.to_vec();
        reexported.sort_unstable();
        fixed.sort_unstable();
        assert_eq!(reexported, fixed);
    }
}
