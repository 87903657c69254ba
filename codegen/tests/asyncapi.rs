//! The AsyncAPI document, read back with a YAML loader: laid out as the emitter documents it, with
//! payloads that refer to schema files the schema emitter writes, the spec's examples and
//! markers, headers exactly when deliveries are signed, references that resolve inside the
//! document, and deterministic output. (The interop tests run the official AsyncAPI parser on the
//! checked-in document.)

mod document_support;

use codegen::emit::asyncapi::{ASYNCAPI_VERSION, HEADERS_KEY, PATH, SCHEMA_FORMAT};
use codegen::model::{Model, Signing};
use codegen::{Outputs, emit};
use serde_json::{Value, json};

use document_support::models;

/// The AsyncAPI document of a model beside its schemas, read back as JSON.
fn render(model: &Model) -> (Outputs, Value) {
    document_support::render(model, emit::asyncapi::emit, PATH)
}

/// Follows a local `$ref` (`#/a/b`) inside the document, and the references it leads to.
fn resolve<'a>(doc: &'a Value, reference: &Value) -> &'a Value {
    let target = reference["$ref"].as_str().expect("a reference object");
    let pointer = target.strip_prefix('#').expect("a local reference");
    let found = doc
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{target} does not resolve"));
    if found.get("$ref").is_some() {
        resolve(doc, found)
    } else {
        found
    }
}

#[test]
fn the_document_describes_the_package_and_one_message_per_event() {
    for (name, model) in models() {
        let (_, doc) = render(&model);
        assert_eq!(doc["asyncapi"], ASYNCAPI_VERSION, "{name}");
        let package = &model.package;
        assert_eq!(doc["info"]["title"], package.title.as_str(), "{name}");
        assert_eq!(
            doc["info"]["version"],
            package.version.to_string(),
            "{name}"
        );
        assert_eq!(
            doc["info"]["description"],
            package.description.as_str(),
            "{name}"
        );

        let messages = doc["components"]["messages"]
            .as_object()
            .expect("components.messages");
        assert_eq!(
            messages.len(),
            model.events.len(),
            "{name}: one message per event"
        );
        for event in &model.events {
            let wire = event.name.as_str();
            let message = &messages[wire];
            assert_eq!(message["name"], wire, "{name}: {wire}");
            assert_eq!(
                message["description"],
                event.description.as_str(),
                "{name}: {wire}"
            );
            let examples: Vec<&Value> = message["examples"]
                .as_array()
                .map(|a| a.iter().map(|e| &e["payload"]).collect())
                .unwrap_or_default();
            let expected: Vec<&Value> = event.examples.iter().map(|e| &e.json).collect();
            assert_eq!(
                examples, expected,
                "{name}: {wire}: the spec's examples, unchanged"
            );
            match &event.markers.deprecated {
                Some(reason) => {
                    assert_eq!(message["deprecated"], true, "{name}: {wire}");
                    let shown = message.get("x-deprecated-reason").and_then(Value::as_str);
                    assert_eq!(shown.unwrap_or(""), reason, "{name}: {wire}");
                }
                None => assert!(message.get("deprecated").is_none(), "{name}: {wire}"),
            }
        }
    }
}

#[test]
fn payloads_refer_to_the_event_schemas_the_schema_emitter_writes() {
    for (name, model) in models() {
        let (out, doc) = render(&model);
        for event in &model.events {
            let wire = event.name.as_str();
            let payload = &doc["components"]["messages"][wire]["payload"];
            assert_eq!(payload["schemaFormat"], SCHEMA_FORMAT, "{name}: {wire}");
            let target = payload["schema"]["$ref"].as_str().expect("a reference");
            assert_eq!(target, emit::schema::event_path(wire), "{name}: {wire}");
            let schema: Value = serde_json::from_str(
                out.get(target)
                    .unwrap_or_else(|| panic!("{name}: {wire}: {target} is not an output")),
            )
            .expect("a schema is JSON");
            assert_eq!(schema["title"], wire, "{name}: {target}");
        }
    }
}

#[test]
fn messages_carry_the_standard_webhooks_headers_exactly_when_deliveries_are_signed() {
    let mut seen = Vec::new();
    for (name, model) in models() {
        let (_, doc) = render(&model);
        let signed = model.package.signing == Signing::StandardWebhooks;
        seen.push(signed);
        let schemas = &doc["components"]["schemas"];
        for event in &model.events {
            let headers = &doc["components"]["messages"][event.name.as_str()]["headers"];
            if signed {
                let headers = resolve(&doc, headers);
                assert_eq!(
                    headers["required"],
                    json!(["webhook-id", "webhook-timestamp", "webhook-signature"]),
                    "{name}"
                );
            } else {
                assert!(
                    headers.is_null(),
                    "{name}: unsigned deliveries have no headers"
                );
            }
        }
        assert_eq!(schemas.get(HEADERS_KEY).is_some(), signed, "{name}");
    }
    assert!(
        seen.contains(&true) && seen.contains(&false),
        "both cases are checked"
    );
}

/// Channels group every event once, each operation receives its channel's messages, and every
/// reference between them resolves.
#[test]
fn channels_and_operations_cover_every_event_once() {
    for (name, model) in models() {
        let (_, doc) = render(&model);
        let mut grouped = Vec::new();
        for group in &model.groups {
            let channel = &doc["channels"][group.slug.as_str()];
            assert!(channel["address"].is_null(), "{name}: {}", group.slug);
            let messages = channel["messages"].as_object().expect("channel messages");
            for (key, reference) in messages {
                assert_eq!(resolve(&doc, reference)["name"], key.as_str(), "{name}");
                grouped.push(key.clone());
            }
            let operation = &doc["operations"][format!("receive_{}", group.slug)];
            assert_eq!(operation["action"], "receive", "{name}");
            assert_eq!(
                resolve(&doc, &operation["channel"]),
                channel,
                "{name}: {}",
                group.slug
            );
            let received: Vec<&Value> = operation["messages"]
                .as_array()
                .expect("operation messages")
                .iter()
                .map(|r| resolve(&doc, r))
                .collect();
            let own: Vec<&Value> = model
                .group_events(group)
                .map(|e| &doc["components"]["messages"][e.name.as_str()])
                .collect();
            assert_eq!(received, own, "{name}: {}, in spec order", group.slug);
        }
        let mut events: Vec<String> = model.events.iter().map(|e| e.name.clone()).collect();
        // JSON objects come back sorted; the order of the YAML maps is not what is checked here.
        grouped.sort();
        events.sort();
        assert_eq!(
            grouped, events,
            "{name}: every event in exactly one channel"
        );
    }
}

#[test]
fn the_document_is_deterministic() {
    for (name, model) in models() {
        let mut first = Outputs::new();
        emit::asyncapi::emit(&model, &mut first);
        let mut second = Outputs::new();
        emit::asyncapi::emit(&model, &mut second);
        assert_eq!(first, second, "{name}");
    }
}
