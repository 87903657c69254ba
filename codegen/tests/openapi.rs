//! The OpenAPI document, read back with a YAML loader: one webhook per event type, laid out as the
//! emitter documents it, with the spec's examples in their own key order, the signing headers
//! exactly when deliveries are signed, the delivery section in the responses, the catalog's
//! definitions as components (the same shapes, with references into the document), every
//! reference resolving inside the document, and deterministic output. (The interop tests run
//! openapi-spec-validator, Redocly, openapi-typescript and ajv on the checked-in document, and the
//! conformance tests validate payloads through it.)

use std::path::Path;

use codegen::emit::openapi::{
    ACKNOWLEDGED_KEY, FAILED_KEY, MEDIA_TYPE, OPENAPI_VERSION, PATH, SECURITY_KEY,
    any_event_pointer, request_body_pointer,
};
use codegen::emit::schema::{ANY_KEY, ENVELOPE_PATH, event_key};
use codegen::model::{Model, Signing};
use codegen::{Outputs, emit};
use serde_json::{Value, json};

fn spec_model(dir: &str) -> Model {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    codegen::load_dir(&dir).unwrap_or_else(|d| panic!("{} does not load:\n{d:?}", dir.display()))
}

/// The real spec (signed deliveries, a delivery section, a license), the minimal fixture
/// (unsigned, none of those) and the catalog that uses every feature of the format (deprecated
/// events, `since` markers, several examples, names of Rust's prelude).
fn models() -> Vec<(&'static str, Model)> {
    vec![
        ("spec", spec_model("../spec")),
        ("minimal", spec_model("tests/fixtures/minimal")),
        ("features", spec_model("tests/fixtures/features")),
    ]
}

/// The schema and OpenAPI outputs of a model, and the document read back as JSON.
fn render(model: &Model) -> (Outputs, Value) {
    let mut out = Outputs::new();
    emit::schema::emit(model, &mut out);
    emit::openapi::emit(model, &mut out);
    let text = out.get(PATH).expect("the document is emitted");
    let doc = serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    (out, doc)
}

/// The target of a local `$ref` (`#/a/b`) inside the document.
fn target<'a>(doc: &'a Value, reference: &str) -> &'a Value {
    let pointer = reference
        .strip_prefix('#')
        .unwrap_or_else(|| panic!("{reference} leaves the document"));
    doc.pointer(pointer)
        .unwrap_or_else(|| panic!("{reference} does not resolve"))
}

/// Follows a reference object, and the references it leads to.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => resolve(doc, target(doc, reference)),
        None => value,
    }
}

fn post<'a>(doc: &'a Value, wire: &str) -> &'a Value {
    &doc["webhooks"][wire]["post"]
}

#[test]
fn info_comes_from_the_package() {
    for (name, model) in models() {
        let (_, doc) = render(&model);
        assert_eq!(doc["openapi"], OPENAPI_VERSION, "{name}");
        let package = &model.package;
        let info = &doc["info"];
        assert_eq!(info["title"], package.title.as_str(), "{name}");
        assert_eq!(info["version"], package.version.to_string(), "{name}");
        assert_eq!(info["description"], package.description.as_str(), "{name}");
        match &package.metadata.license {
            Some(license) => assert_eq!(
                info["license"],
                json!({ "name": license, "identifier": license }),
                "{name}"
            ),
            None => assert!(info.get("license").is_none(), "{name}"),
        }
    }
}

#[test]
fn one_webhook_per_event_type_in_spec_order_tagged_by_group() {
    for (name, model) in models() {
        let (out, _) = render(&model);
        // Read with an order-keeping loader: JSON objects come back sorted.
        let ordered: serde_yaml::Value =
            serde_yaml::from_str(out.get(PATH).expect("emitted")).expect("YAML");
        let keys: Vec<&str> = ordered["webhooks"]
            .as_mapping()
            .expect("webhooks")
            .keys()
            .map(|k| k.as_str().expect("a string key"))
            .collect();
        let events: Vec<&str> = model.events.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(keys, events, "{name}");

        let (_, doc) = render(&model);
        let tags: Vec<&Value> = doc["tags"]
            .as_array()
            .expect("tags")
            .iter()
            .map(|t| &t["name"])
            .collect();
        let groups: Vec<&str> = model.groups.iter().map(|g| g.slug.as_str()).collect();
        assert_eq!(tags, groups, "{name}: one tag per group, in order");
        for event in &model.events {
            let wire = event.name.as_str();
            let webhook = doc["webhooks"][wire].as_object().expect("a webhook");
            assert_eq!(
                webhook.keys().collect::<Vec<_>>(),
                ["post"],
                "{name}: {wire}"
            );
            let operation = post(&doc, wire);
            assert_eq!(operation["operationId"], wire, "{name}: {wire}");
            assert_eq!(operation["summary"], wire, "{name}: {wire}");
            assert_eq!(
                operation["description"],
                event.description.as_str(),
                "{name}: {wire}"
            );
            assert_eq!(
                operation["tags"],
                json!([model.group(event.group).slug]),
                "{name}: {wire}"
            );
            let markers = &event.markers;
            match &markers.deprecated {
                Some(reason) => {
                    assert_eq!(operation["deprecated"], true, "{name}: {wire}");
                    let shown = operation.get("x-deprecated-reason").and_then(Value::as_str);
                    assert_eq!(shown.unwrap_or(""), reason, "{name}: {wire}");
                }
                None => assert!(operation.get("deprecated").is_none(), "{name}: {wire}"),
            }
            assert_eq!(
                operation.get("x-since").and_then(Value::as_str),
                markers.since.map(|v| v.to_string()).as_deref(),
                "{name}: {wire}"
            );
        }
    }
}

#[test]
fn request_bodies_are_the_event_schemas_with_the_spec_examples_in_key_order() {
    let mut several = false;
    for (name, model) in models() {
        let (out, doc) = render(&model);
        let ordered: serde_yaml::Value =
            serde_yaml::from_str(out.get(PATH).expect("emitted")).expect("YAML");
        for event in &model.events {
            let wire = event.name.as_str();
            let body = &post(&doc, wire)["requestBody"];
            assert_eq!(body["required"], true, "{name}: {wire}");
            let media = &body["content"][MEDIA_TYPE];
            assert_eq!(
                media["schema"],
                json!({ "$ref": format!("#/components/schemas/{}", event_key(wire)) }),
                "{name}: {wire}"
            );
            assert_eq!(
                doc.pointer(&request_body_pointer(wire)),
                Some(&media["schema"]),
                "{name}: {wire}"
            );
            let examples = &ordered["webhooks"][wire]["post"]["requestBody"]["content"][MEDIA_TYPE]
                ["examples"];
            let shown: Vec<String> = examples
                .as_mapping()
                .map(|m| {
                    m.values()
                        .map(|e| serde_json::to_string(&e["value"]).expect("JSON"))
                        .collect()
                })
                .unwrap_or_default();
            // The spec's text read by the same order-keeping loader, written out the same way:
            // equal strings mean equal values with keys in the same order.
            let expected: Vec<String> = event
                .examples
                .iter()
                .map(|e| {
                    let value: serde_yaml::Value = serde_yaml::from_str(&e.text).expect("JSON");
                    serde_json::to_string(&value).expect("JSON")
                })
                .collect();
            assert_eq!(shown, expected, "{name}: {wire}");
            several |= expected.len() > 1;
        }
    }
    assert!(several, "no event with several examples was checked");
}

#[test]
fn signing_headers_and_scheme_exactly_when_deliveries_are_signed() {
    let mut seen = Vec::new();
    for (name, model) in models() {
        let (_, doc) = render(&model);
        let signed = model.package.signing == Signing::StandardWebhooks;
        seen.push(signed);
        for event in &model.events {
            let operation = post(&doc, &event.name);
            if signed {
                let headers: Vec<(&Value, &Value, &Value)> = operation["parameters"]
                    .as_array()
                    .expect("parameters")
                    .iter()
                    .map(|p| resolve(&doc, p))
                    .map(|p| (&p["name"], &p["in"], &p["required"]))
                    .collect();
                let expected = ["webhook-id", "webhook-timestamp", "webhook-signature"];
                assert_eq!(headers.len(), expected.len(), "{name}");
                for ((header, place, required), wanted) in headers.into_iter().zip(expected) {
                    assert_eq!(header, wanted, "{name}");
                    assert_eq!(place, "header", "{name}");
                    assert_eq!(required, true, "{name}");
                }
            } else {
                assert!(operation.get("parameters").is_none(), "{name}");
            }
        }
        let scheme = &doc["components"]["securitySchemes"][SECURITY_KEY];
        if signed {
            assert_eq!(doc["security"], json!([{ SECURITY_KEY: [] }]), "{name}");
            assert_eq!(scheme["name"], "webhook-signature", "{name}");
        } else {
            assert!(doc.get("security").is_none(), "{name}");
            assert!(scheme.is_null(), "{name}");
        }
    }
    assert!(
        seen.contains(&true) && seen.contains(&false),
        "both cases are checked"
    );
}

#[test]
fn responses_carry_the_delivery_section() {
    for (name, model) in models() {
        let (_, doc) = render(&model);
        for event in &model.events {
            let responses = &post(&doc, &event.name)["responses"];
            let keys: Vec<&String> = responses.as_object().expect("responses").keys().collect();
            assert_eq!(keys, ["2XX", "default"], "{name}");
            assert!(
                resolve(&doc, &responses["2XX"])["description"]
                    .as_str()
                    .is_some_and(|d| d.contains("2xx")),
                "{name}"
            );
        }
        let failed = doc["components"]["responses"][FAILED_KEY]["description"]
            .as_str()
            .expect("a description");
        let delivery = model.package.delivery.trim();
        assert!(failed.contains(delivery), "{name}: {failed}");
        assert!(
            doc["components"]["responses"][ACKNOWLEDGED_KEY].is_object(),
            "{name}"
        );
    }
    let spec = spec_model("../spec");
    assert!(
        !spec.package.delivery.trim().is_empty(),
        "the real spec says how deliveries are retried"
    );
}

/// Every `$ref` string anywhere under `value`.
fn references(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(target)) => out.push(target.clone()),
                    _ => references(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| references(i, out)),
        _ => {}
    }
}

/// The components are the catalog's definitions, shape for shape: the catalog's `$defs` with
/// their references moved to `#/components/schemas/`, and the catalog's root under its key.
#[test]
fn component_schemas_are_the_catalog_definitions() {
    for (name, model) in models() {
        let (out, doc) = render(&model);
        let catalog: Value =
            serde_json::from_str(out.get(ENVELOPE_PATH).expect("the catalog")).expect("JSON");
        let text = serde_json::to_string(&catalog).expect("JSON");
        let moved: Value =
            serde_json::from_str(&text.replace("\"#/$defs/", "\"#/components/schemas/"))
                .expect("JSON");
        let mut expected = moved["$defs"].as_object().expect("$defs").clone();
        let mut root = moved.as_object().expect("an object").clone();
        for key in ["$schema", "$id", "$comment", "$defs"] {
            root.remove(key);
        }
        expected.insert(ANY_KEY.into(), Value::Object(root.clone()));
        assert_eq!(
            doc.pointer(&any_event_pointer()),
            Some(&Value::Object(root)),
            "{name}"
        );
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        assert_eq!(schemas, &expected, "{name}");
        for event in &model.events {
            assert!(schemas.contains_key(&event_key(&event.name)), "{name}");
        }
    }
}

#[test]
fn every_reference_resolves_inside_the_document() {
    for (name, model) in models() {
        let (_, doc) = render(&model);
        let mut found = Vec::new();
        references(&doc, &mut found);
        assert!(found.len() > model.events.len(), "{name}: {}", found.len());
        for reference in &found {
            assert!(reference.starts_with("#/"), "{name}: {reference}");
            target(&doc, reference);
        }
    }
}

#[test]
fn the_document_is_deterministic_and_the_site_carries_it() {
    for (name, model) in models() {
        let mut first = Outputs::new();
        emit::openapi::emit(&model, &mut first);
        let mut second = Outputs::new();
        emit::openapi::emit(&model, &mut second);
        assert_eq!(first, second, "{name}");

        let all = emit::all(&model);
        assert_eq!(all.get(PATH), first.get(PATH), "{name}");
        assert_eq!(
            all.get(&format!("docs/{PATH}")),
            first.get(PATH),
            "{name}: the site's copy"
        );
    }
}
