//! The OpenAPI document's schemas judge every conformance case ([`conformance::cases`]) exactly as
//! the JSON Schemas under `generated/schemas` do: a webhook's request body as its event's schema
//! file, the catalog's root union in the components as `envelope.schema.json`. Validated with the
//! `jsonschema` crate, draft 2020-12 (OpenAPI 3.1's dialect), formats asserted, offline, with the
//! document as the only resource: it must be self-contained.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use codegen::emit::openapi::{PATH, counterparts};
use conformance::{Schemas, cases, schema_examples};
use jsonschema::{Registry, Validator};
use serde_json::{Value, json};

/// The document's base URI for the validator; any absolute URI does, since every reference in the
/// document is a fragment.
const BASE: &str = "urn:deck-events:openapi";

fn document() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../generated")
        .join(PATH);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A validator for each schema path the cases name (relative to the schemas directory), built on
/// the schema at the matching place in the document.
fn validators(doc: &Value) -> BTreeMap<String, Validator> {
    let model = codegen::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"))
        .unwrap_or_else(|d| panic!("the spec does not load:\n{d}"));
    let registry = Registry::new()
        .extend([(BASE.to_owned(), doc.clone())])
        .and_then(|r| r.prepare())
        .unwrap_or_else(|e| panic!("registering the document: {e}"));
    counterparts(&model)
        .into_iter()
        .map(|(path, pointer)| {
            // The cases name schema files relative to the schemas directory.
            let path = path
                .strip_prefix("schemas/")
                .expect("schema outputs live under schemas/")
                .to_owned();
            assert!(
                doc.pointer(&pointer).is_some(),
                "{path}: nothing at {pointer}"
            );
            let validator = jsonschema::draft202012::options()
                .should_validate_formats(true)
                .with_registry(&registry)
                .offline()
                .build(&json!({ "$ref": format!("{BASE}#{pointer}") }))
                .unwrap_or_else(|e| panic!("{path} at {pointer}: {e}"));
            (path, validator)
        })
        .collect()
}

#[test]
fn the_document_and_the_schema_files_give_every_case_the_same_verdict() {
    let schemas = Schemas::load();
    let cases = cases(&schemas);
    let validators = validators(&document());
    let verdict = |ok: bool| if ok { "accept" } else { "reject" };
    let mut report = String::new();
    let mut failed = 0;
    let mut judged = 0;
    let mut rejected = 0;
    for case in &cases {
        let mut problems = Vec::new();
        for path in &case.schemas {
            let validator = validators
                .get(path)
                .unwrap_or_else(|| panic!("{}: no place in the document for {path}", case.name));
            let openapi = validator.is_valid(&case.payload);
            let file = schemas.accepts(path, &case.payload);
            judged += 1;
            rejected += usize::from(!openapi);
            if openapi != file || openapi != case.schema {
                problems.push(format!(
                    "{path}: the document {}, the file {}, expected {}",
                    verdict(openapi),
                    verdict(file),
                    verdict(case.schema)
                ));
            }
        }
        if !problems.is_empty() {
            failed += 1;
            let _ = writeln!(report, "{}:", case.name);
            for problem in problems {
                let _ = writeln!(report, "  {problem}");
            }
            let _ = writeln!(report, "  payload: {}", case.payload);
        }
    }
    assert!(
        failed == 0,
        "{failed} of {} cases judged differently:\n{report}",
        cases.len()
    );
    assert!(
        rejected > 0 && rejected < judged,
        "the cases must both pass and fail"
    );
    println!(
        "{} cases, {judged} verdicts ({rejected} rejections): the OpenAPI document agrees with \
         the schema files on all of them",
        cases.len()
    );
}

/// The check above reads the document's own schemas: in a copy where one event's `type` constant
/// is changed, that event's examples are rejected through its webhook, and the others still pass.
#[test]
fn a_changed_schema_in_the_document_changes_the_verdicts() {
    let schemas = Schemas::load();
    let examples = schema_examples(&schemas.docs);
    let example = examples.first().expect("the spec has examples");
    let wire = example.event_type.as_str();
    let mut doc = document();
    let key = codegen::emit::schema::event_key(wire);
    let constant = doc
        .pointer_mut(&format!("/components/schemas/{key}/properties/type/enum"))
        .unwrap_or_else(|| panic!("{key} has no `type` constant"));
    *constant = json!(["not_a_type"]);
    let validators = validators(&doc);
    for other in &examples {
        let path = &other.schema;
        let accepted = validators[path].is_valid(&other.json);
        assert_eq!(
            accepted,
            other.event_type != wire,
            "{path}, example {}",
            other.index
        );
    }
}
