//! Stage 3, Rust: the `fixtures` module of the generated crate (cargo feature `fixtures`, off by
//! default): every event type's examples from the spec, as exact JSON, as decoded events and as a
//! builder that edits them, for consumers' tests and the `deck-events` command-line tool.
//!
//! The module's code is hand-written (`codegen/src/emit/rust/verbatim/fixtures.rs`) and the same for every
//! spec; this emitter puts the spec's part around it: the module documentation, whose example
//! runs as a doctest against the spec's own event types, and the `CATALOG` table. The table
//! names event types by their wire strings, so it needs no Rust name.
//!
//! The module is declared behind `#[cfg(feature = "fixtures")]`, so a build without the feature
//! compiles none of it.

use std::fmt::Write as _;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{HEADER, ident, raw_string};
use crate::model::{EventDef, Model};

/// The module's fixed code, verbatim.
const TEMPLATE: &str = include_str!("verbatim/fixtures.rs");

/// The crate name the template's doc examples use; replaced by the spec's library name.
const TEMPLATE_CRATE: &str = "deck_events::";

/// Where the module goes, relative to the generated crate's root.
pub(crate) const MODULE_FILE: &str = "src/fixtures.rs";

/// The `[features]` line of the feature; it pulls in no dependency.
pub(crate) const FEATURE_LINE: &str = "fixtures = []";

/// The declaration in `src/lib.rs`. Like the signing module's, it has no outer doc comment (the
/// module documents itself with `//!`) and skips rustfmt like every generated module.
pub(crate) const LIB_RS_ITEM: &str = "\
#[cfg(feature = \"fixtures\")]
#[rustfmt::skip]
pub mod fixtures;
";

/// The `Cargo.toml` entry of the module's tests, which exist only with the feature.
pub(crate) const TEST_TARGET: &str = "\
[[test]]
name = \"fixtures\"
path = \"tests/fixtures/main.rs\"
required-features = [\"fixtures\"]
";

/// The module's test files: the test root and its generated cases.
pub(crate) const TEST_ROOT: &str = "tests/fixtures/main.rs";
/// See [`TEST_ROOT`].
pub(crate) const TEST_CASES: &str = "tests/fixtures/cases.rs";

/// The crate README's section on the module.
pub(crate) const README_SECTION: &str = "
## Fixtures for tests

With the cargo feature `fixtures` (off by default, so a build without it compiles none of it),
the `fixtures` module holds every event type's examples from the spec: as the exact JSON the
documentation shows, as `Event` values, and as a `Builder` that changes fields before
serializing (`.set(\"data.status\", \"failed\")?`). `EventType::examples()` gives one type's
examples. Turn the feature on in `[dev-dependencies]` only; the module's documentation shows a
test that feeds fixtures to a handler.
";

/// `src/fixtures.rs`.
pub(crate) fn emit_module(model: &Model) -> String {
    let lib = &model.package.lib_name;
    let mut out = String::from(HEADER);
    out.push('\n');
    for line in module_doc(model).lines() {
        if line.is_empty() {
            out.push_str("//!\n");
        } else {
            let _ = writeln!(out, "//! {line}");
        }
    }
    out.push('\n');
    if lib == "deck_events" {
        out.push_str(TEMPLATE);
    } else {
        out.push_str(&TEMPLATE.replace(TEMPLATE_CRATE, &format!("{lib}::")));
    }
    out.push('\n');
    out.push_str(&unparse(catalog(model)));
    out
}

/// The module documentation, Markdown, with a doctest that feeds fixtures to a handler.
fn module_doc(model: &Model) -> String {
    let package = &model.package.name;
    let mut doc = format!(
        "Example events for tests: every event type's examples from the spec, as the exact JSON
the spec and the documentation show ([`Fixture::json`], [`Fixture::bytes`]), decoded
([`Fixture::event`]), and as a [`Builder`] that changes fields before serializing.
[`EventType::examples`](crate::EventType::examples) gives one type's examples, [`all`] every
example, and [`CATALOG`] every event type with its group and description.

The module exists only with the cargo feature `fixtures`, which is off by default: a build
without it compiles none of this. Turn it on for tests only, in `[dev-dependencies]`, with the
same source as in `[dependencies]`:

```toml
[dev-dependencies]
{package} = {{ git = \"<the same source>\", features = [\"fixtures\"] }}
```
"
    );
    if let Some(example) = doc_example(model) {
        let _ = write!(doc, "\n```\n{example}```\n");
    }
    doc
}

/// A test of a small handler: every example of one event type reaches its branch, a changed
/// example reaches the catch-all, and every example of every type decodes.
fn doc_example(model: &Model) -> Option<String> {
    let event = super::samples::readme_event(model)?;
    let lib = &model.package.lib_name;
    let data = &super::field_name(&model.envelope.fields[model.envelope.data_field]);
    let type_key = &model.envelope.fields[model.envelope.type_field].name;
    let variant = &super::event_variant(event);
    let wire = &event.name;
    let unknown = super::samples::unknown_type(model);
    Some(format!(
        r#"use {lib}::{{Event, EventData, EventType, ParseError, fixtures}};

/// The code under test: what a receiver does with a delivery's verified body.
fn handle(body: &[u8]) -> Result<String, ParseError> {{
    let event = Event::from_slice(body)?;
    Ok(match &event.{data} {{
        EventData::{variant}(_) => "handled".to_string(),
        other => format!("skipped {{}}", other.event_type()),
    }})
}}

// Every example of the event type, byte for byte as the spec shows it.
for fixture in EventType::{variant}.examples() {{
    assert_eq!(fixture.event().event_type().as_str(), {wire:?});
    assert_eq!(handle(fixture.bytes())?, "handled");
}}

// An example changed before it is sent: here, to a type this version does not know.
let body = EventType::{variant}.examples()[0]
    .builder()
    .set({type_key:?}, {unknown:?})?
    .to_vec();
assert_eq!(handle(&body)?, "skipped {unknown}");

// Every example of every event type.
for fixture in fixtures::all() {{
    handle(fixture.bytes())?;
}}
# Ok::<(), Box<dyn std::error::Error>>(())
"#
    ))
}

/// The `CATALOG` constant: one entry per event type, in spec order.
fn catalog(model: &Model) -> TokenStream {
    let entries = model.events.iter().map(|event| {
        let event_type = event.name.as_str();
        let group = model.group(event.group).title.as_str();
        let description = event.description.trim();
        let examples = fixtures(event);
        quote! {
            CatalogEntry {
                event_type: #event_type,
                group: #group,
                description: #description,
                examples: &[#(#examples),*],
            }
        }
    });
    quote! {
        /// Every event type of the spec with its group, description and examples, in spec order.
        pub const CATALOG: &[CatalogEntry] = &[#(#entries),*];
    }
}

fn fixtures(event: &EventDef) -> impl Iterator<Item = TokenStream> + '_ {
    let event_type = event.name.as_str();
    event
        .examples
        .iter()
        .enumerate()
        .map(move |(index, example)| {
            let json: Literal = raw_string(&example.text)
                .parse()
                .expect("a raw string literal");
            quote! {
                Fixture { event_type: #event_type, index: #index, json: #json }
            }
        })
}

/// `tests/fixtures/cases.rs`: the catalog lists every event type once, in order, with the spec's
/// number of examples; every fixture decodes into its type; the builder gives an unchanged
/// example back byte for byte.
pub(crate) fn emit_test(model: &Model) -> TokenStream {
    let krate = ident(&model.package.lib_name);
    let counts = model.events.iter().map(|event| {
        let wire = event.name.as_str();
        let count = event.examples.len();
        quote!((#wire, #count))
    });
    let unknown = super::samples::unknown_type(model);
    quote! {
        use ::#krate::fixtures::{self, CATALOG};
        use ::#krate::{Event, EventType};

        #[test]
        fn catalog_lists_every_event_type_in_order() {
            let listed: ::std::vec::Vec<EventType> =
                CATALOG.iter().map(|entry| entry.event_type()).collect();
            assert_eq!(listed, EventType::ALL.to_vec());
            for entry in CATALOG {
                assert!(!entry.group().is_empty(), "{}", entry.event_type());
                assert!(!entry.description().is_empty(), "{}", entry.event_type());
                assert_eq!(entry.examples(), entry.event_type().examples());
            }
        }

        #[test]
        fn every_event_type_has_the_specs_examples() {
            let counts: &[(&str, usize)] = &[#(#counts),*];
            assert_eq!(counts.len(), EventType::ALL.len());
            for (wire, count) in counts {
                let event_type: EventType = wire.parse().unwrap();
                assert!(!event_type.is_unknown(), "{wire}");
                assert_eq!(event_type.examples().len(), *count, "{wire}");
            }
            assert_eq!(
                fixtures::all().count(),
                counts.iter().map(|(_, count)| count).sum::<usize>()
            );
            let unknown: EventType = #unknown.parse().unwrap();
            assert!(unknown.examples().is_empty());
        }

        #[test]
        fn every_fixture_decodes_into_its_event_type() {
            for fixture in fixtures::all() {
                let event = fixture.event();
                assert_eq!(event.event_type(), fixture.event_type());
                let decoded: Event = ::serde_json::from_slice(fixture.bytes()).unwrap();
                assert_eq!(decoded, event);
                assert_eq!(
                    fixture.event_type().examples()[fixture.index()],
                    *fixture
                );
            }
        }

        #[test]
        fn the_builder_gives_an_unchanged_example_back() {
            for fixture in fixtures::all() {
                let builder = fixture.builder();
                assert_eq!(builder.to_string_pretty(), fixture.json());
                assert_eq!(builder.event().unwrap(), fixture.event());
                let compact: ::serde_json::Value = ::serde_json::from_slice(&builder.to_vec()).unwrap();
                let pretty: ::serde_json::Value = ::serde_json::from_str(fixture.json()).unwrap();
                assert_eq!(compact, pretty);
                assert_eq!(builder.to_string().into_bytes(), builder.to_vec());
            }
        }

        #[test]
        fn the_builder_follows_paths_and_says_why_it_cannot() {
            use fixtures::Builder;
            let doc = br#"{"b":1,"a":{"list":[{"k":true},null],"text":"x"},"z":null}"#;
            let builder = Builder::from_slice(doc).unwrap();
            let changed = builder
                .clone()
                .set("b", 2)
                .unwrap()
                .set("new", "last")
                .unwrap()
                .set("a.list.0.k", false)
                .unwrap()
                .set("a.list.1.made", 1)
                .unwrap()
                .set("a.list.2", "appended")
                .unwrap()
                .set("z.deep.er", 0)
                .unwrap()
                .remove("a.text")
                .unwrap();
            assert_eq!(
                changed.to_string(),
                r#"{"b":2,"a":{"list":[{"k":false},{"made":1},"appended"]},"z":{"deep":{"er":0}},"new":"last"}"#
            );
            assert_eq!(changed.get("a.list.2"), Some(::serde_json::json!("appended")));
            assert_eq!(changed.get("b.c"), None);

            let error = |result: ::std::result::Result<Builder, fixtures::PathError>| {
                result.unwrap_err().to_string()
            };
            assert_eq!(
                error(builder.clone().set("a..list", 1)),
                "cannot set `a..list`: a path is keys separated by single dots, such as `data.status`"
            );
            assert!(error(builder.clone().set("", 1)).starts_with("cannot set ``: a path is"));
            assert_eq!(
                error(builder.clone().set("a.list.first", 1)),
                "cannot set `a.list.first`: `a.list` is an array: index it with a number, not `first`"
            );
            assert_eq!(
                error(builder.clone().set("a.list.3", 1)),
                "cannot set `a.list.3`: `a.list` has 2 items, so 3 is out of range"
            );
            assert_eq!(
                error(builder.clone().set("a.list.01", 1)),
                "cannot set `a.list.01`: `a.list` is an array: index it with a number, not `01`"
            );
            assert_eq!(
                error(builder.clone().set("b.c", 1)),
                "cannot set `b.c`: `b` is a number, not an object"
            );
            assert_eq!(
                error(builder.clone().remove("a.nope")),
                "cannot remove `a.nope`: `a` has no `nope`"
            );
            assert_eq!(
                error(builder.clone().remove("nope.x")),
                "cannot remove `nope.x`: there is no `nope`"
            );
            assert_eq!(
                error(builder.clone().remove("a.list.2")),
                "cannot remove `a.list.2`: `a.list` has 2 items, so 2 is out of range"
            );
            let deep = ::std::vec!["k"; 129].join(".");
            assert!(error(builder.clone().set(&deep, 1)).ends_with("a path has at most 128 parts"));
            let scalar = Builder::from_slice(b"5").unwrap();
            assert_eq!(
                error(scalar.set("a", 1)),
                "cannot set `a`: the document is a number, not an object"
            );
            assert!(Builder::from_slice(b"{\"a\":").is_err());
            assert_eq!(builder.to_vec(), doc.to_vec());
        }
    }
}

/// Prints tokens as Rust, without the header [`super::render`] adds.
fn unparse(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(err) => panic!("the fixtures emitter produced invalid tokens ({err}):\n{tokens}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Signing;

    fn fixture(signing: Signing) -> Model {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let mut model = crate::load_dir(&dir).expect("the minimal fixture loads");
        model.package.signing = signing;
        model
    }

    /// The module is declared behind the feature, and the feature exists whether or not the
    /// spec signs deliveries (with signing, `default` does not include it).
    #[test]
    fn the_module_is_behind_its_feature_with_or_without_signing() {
        for signing in [Signing::None, Signing::StandardWebhooks] {
            let model = fixture(signing);
            let out = crate::emit::all(&model);
            let lib = out.get("src/lib.rs").unwrap();
            assert!(
                lib.contains(
                    "#[cfg(feature = \"fixtures\")]\n#[rustfmt::skip]\npub mod fixtures;\n"
                )
            );
            let cargo = out.get("Cargo.toml").unwrap();
            let features = cargo
                .split("[features]\n")
                .nth(1)
                .expect("a [features] table");
            let table = features.split("\n\n").next().unwrap();
            assert!(table.lines().any(|l| l == FEATURE_LINE), "{table}");
            assert!(
                !table
                    .lines()
                    .any(|l| l.starts_with("default") && l.contains("fixtures"))
            );
            assert!(cargo.contains(TEST_TARGET), "{cargo}");
            assert!(out.get(MODULE_FILE).is_some());
            assert!(out.get(TEST_CASES).is_some());
        }
    }

    #[test]
    fn the_catalog_holds_every_example_verbatim() {
        let model = fixture(Signing::None);
        let module = emit_module(&model);
        assert!(module.starts_with(HEADER));
        for event in &model.events {
            assert!(module.contains(&format!("event_type: {:?}", event.name)));
            for example in &event.examples {
                assert!(
                    module.contains(&raw_string(&example.text)),
                    "{}",
                    event.name
                );
            }
        }
        // The template's doc examples name the spec's crate.
        assert_eq!(model.package.lib_name, "mini_events");
        assert!(!module.contains("deck_events::"));
        assert!(module.contains("use mini_events::fixtures::Builder;"));
    }
}
