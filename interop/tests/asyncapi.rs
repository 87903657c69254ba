//! The official AsyncAPI parser (`@asyncapi/parser`) reads `generated/asyncapi.yaml` from disk
//! without an error, resolves every payload through the relative `$ref`s to the schema files, and
//! finds one message per event type of the spec, each with the spec's examples, all valid against
//! the payload it resolved (checked by ajv in draft 2020-12 mode, since the parser does not
//! validate that dialect itself).

use std::fs;
use std::path::Path;

use codegen::emit::asyncapi::{PATH, SCHEMA_FORMAT};
use codegen::model::Signing;
use serde_json::Value;

const PACKAGES: &[&str] = &["@asyncapi/parser", "ajv", "ajv-formats"];

fn parse(document: &Path) -> Value {
    interop::node_json("asyncapi.mjs", [document])
}

fn diagnostics_of(report: &Value, severity: &str) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("a diagnostics list")
        .iter()
        .filter(|d| d["severity"] == severity)
        .map(|d| format!("{} at {}: {}", d["code"], d["path"], d["message"]))
        .collect()
}

#[test]
fn the_parser_reads_the_document_and_every_example_fits_its_payload() {
    interop::require(PACKAGES);
    let model = codegen::load_dir(&interop::spec()).expect("the spec loads");
    let report = parse(&interop::generated().join(PATH));

    for severity in ["warning", "information", "hint"] {
        for diagnostic in diagnostics_of(&report, severity) {
            println!("{severity}: {diagnostic}");
        }
    }
    let errors = diagnostics_of(&report, "error");
    assert!(
        errors.is_empty(),
        "the parser reports errors:\n{}",
        errors.join("\n")
    );

    let messages = report["messages"].as_array().expect("a messages list");
    let found: Vec<&str> = messages.iter().filter_map(|m| m["id"].as_str()).collect();
    let expected: Vec<&str> = model.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(found, expected, "one message per event type, in spec order");

    let signed = model.package.signing == Signing::StandardWebhooks;
    let mut examples = 0;
    for (message, event) in messages.iter().zip(&model.events) {
        let wire = event.name.as_str();
        assert_eq!(message["name"], wire, "{wire}: name");
        assert_eq!(
            message["schemaFormat"], SCHEMA_FORMAT,
            "{wire}: schema format"
        );
        assert_eq!(
            message["typeConstant"],
            serde_json::json!([wire]),
            "{wire}: the payload did not resolve to the event's schema"
        );
        assert_eq!(message["hasHeaders"], signed, "{wire}: signing headers");
        let verdicts = message["examples"].as_array().expect("an examples list");
        assert_eq!(verdicts.len(), event.examples.len(), "{wire}: examples");
        for (index, verdict) in verdicts.iter().enumerate() {
            assert_eq!(
                verdict["valid"], true,
                "{wire}: example {index} does not fit the payload: {}",
                verdict["errors"]
            );
        }
        examples += verdicts.len();
    }
    println!(
        "{} messages, {examples} examples, all valid against their resolved payloads",
        messages.len()
    );
}

/// The check above can fail: in a copy of the output where one example breaks its event's
/// constant, exactly that example is reported.
#[test]
fn an_example_that_breaks_its_payload_is_reported() {
    interop::require(PACKAGES);
    let copy = interop::fresh_dir(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("interop-asyncapi"));
    copy_dir(&interop::generated().join("schemas"), &copy.join("schemas"));
    let text = fs::read_to_string(interop::generated().join(PATH)).expect("reading the document");
    let constant = "object: \"event\"";
    assert!(text.contains(constant), "the examples carry `{constant}`");
    fs::write(
        copy.join(PATH),
        text.replacen(constant, "object: \"not_event\"", 1),
    )
    .expect("writing the copy");

    let report = parse(&copy.join(PATH));
    let invalid: Vec<String> = report["messages"]
        .as_array()
        .expect("a messages list")
        .iter()
        .flat_map(|m| {
            let examples = m["examples"].as_array().expect("an examples list");
            let id = m["id"].as_str().unwrap_or_default().to_owned();
            examples
                .iter()
                .filter(|e| e["valid"] != true)
                .map(move |_| id.clone())
        })
        .collect();
    assert_eq!(invalid.len(), 1, "exactly the broken example: {invalid:?}");
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let path = entry.expect("a directory entry").path();
        let target = to.join(path.file_name().expect("a file name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}
