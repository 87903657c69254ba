//! The spec's examples, the JSON Schemas and the generated Rust crate agree: for every example,
//! the crate's parse-and-write-back validates against the event's schema and the envelope, and on
//! payloads from a later compatible version (new event type, enum value or field) or broken ones,
//! the crate and a validator give the same verdict, except where `spec/README.md` documents that
//! the schema is the stricter. The cases are listed by [`conformance::cases`].

use std::collections::BTreeSet;
use std::fmt::Write as _;

use conformance::{Case, Schemas, cases, schema_examples, through_rust};

/// Every way in which the crate or a schema disagrees with what the case expects.
fn disagreements(schemas: &Schemas, case: &Case) -> Vec<String> {
    let verdict = |ok: bool| if ok { "accept" } else { "reject" };
    let mut out = Vec::new();
    let rust = through_rust(&case.payload);
    if rust.is_ok() != case.rust {
        let detail = rust.err().map(|e| format!(" ({e})")).unwrap_or_default();
        out.push(format!(
            "the crate: {}, expected {}{detail}",
            verdict(!case.rust),
            verdict(case.rust)
        ));
    }
    for path in &case.schemas {
        let ok = schemas.accepts(path, &case.payload);
        if ok != case.schema {
            out.push(format!(
                "{path}: {}, expected {}",
                verdict(ok),
                verdict(case.schema)
            ));
        }
    }
    out
}

#[test]
fn the_crate_and_the_schemas_give_every_case_its_expected_verdict() {
    let schemas = Schemas::load();
    let cases = cases(&schemas);
    let mut report = String::new();
    let mut failed = 0;
    for case in &cases {
        let problems = disagreements(&schemas, case);
        if problems.is_empty() {
            continue;
        }
        failed += 1;
        let _ = writeln!(report, "{}:", case.name);
        for problem in problems {
            let _ = writeln!(report, "  {problem}");
        }
        let _ = writeln!(report, "  payload: {}", case.payload);
    }
    assert!(
        failed == 0,
        "{failed} of {} cases got an unexpected verdict:\n{report}",
        cases.len()
    );
}

/// The case list cannot shrink unnoticed: every example is there as given and written back, with
/// payloads of each kind, and names are unique (other validators' verdicts are matched by name).
#[test]
fn the_cases_cover_every_example_with_every_kind_of_payload() {
    let schemas = Schemas::load();
    let cases = cases(&schemas);
    let names: BTreeSet<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), cases.len(), "case names are not unique");

    let examples = schema_examples(&schemas.docs);
    for example in &examples {
        let prefix = format!("{} example {}: ", example.event_type, example.index);
        let of_example: Vec<&Case> = cases
            .iter()
            .filter(|c| c.name.starts_with(&prefix))
            .collect();
        let has = |suffix: &str| {
            of_example
                .iter()
                .any(|c| c.name == format!("{prefix}{suffix}"))
        };
        assert!(has("as given"), "{prefix}as given is missing");
        assert!(
            has("as given, written back by the crate"),
            "{prefix}written back is missing"
        );
        assert!(
            has("with an unknown event type"),
            "{prefix}unknown type is missing"
        );
        let kinds = |rust: bool, schema: bool| {
            of_example
                .iter()
                .filter(|c| c.rust == rust && c.schema == schema)
                .count()
        };
        assert!(kinds(true, true) >= 4, "{prefix}too few accepted payloads");
        assert!(kinds(false, false) >= 7, "{prefix}too few broken payloads");
        assert!(kinds(true, false) >= 1, "{prefix}no documented difference");
    }
    for case in &cases {
        assert_eq!(
            case.rust != case.schema,
            case.difference.is_some(),
            "{}: the verdicts differ exactly when a documented difference says why",
            case.name
        );
        assert!(
            case.schemas.iter().any(|s| s == conformance::ENVELOPE),
            "{}: the catalog judges every case",
            case.name
        );
    }
}

/// The catalog's rule for payloads (spec/README.md): a delivery guarantees only the resource's
/// identity, so every resource requires `id`, `object` and, where it has one, `status`, and
/// nothing else.
#[test]
fn every_resource_requires_only_its_identity() {
    let schemas = Schemas::load();
    for example in schema_examples(&schemas.docs) {
        let mut required = schemas.data_required(&example);
        let mut expected = vec!["id", "object"];
        if schemas.data_def(&example)["properties"]
            .get("status")
            .is_some()
        {
            expected.push("status");
        }
        required.sort_unstable();
        expected.sort_unstable();
        assert_eq!(
            required, expected,
            "{} example {}: `data` requires more than the resource's identity",
            example.event_type, example.index
        );
    }
}

/// A summary of every event type (the `as a summary` cases, which both sides accept) decodes
/// into its typed variant, not into the catch-all for unknown events.
#[test]
fn summaries_of_every_event_type_decode_into_their_variant() {
    let schemas = Schemas::load();
    let mut types = BTreeSet::new();
    for case in cases(&schemas) {
        if !case.name.ends_with(": as a summary") {
            continue;
        }
        let event: deck_events::Event = serde_json::from_value(case.payload.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert!(
            !matches!(event.data, deck_events::EventData::Unknown(_)),
            "{}: decoded as an unknown event",
            case.name
        );
        types.insert(event.event_type().as_str().to_owned());
    }
    assert_eq!(types.len(), deck_events::EventType::ALL.len());
}
