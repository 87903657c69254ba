//! Stage 3, AsyncAPI emitter: reads the resolved [`Model`] and writes `asyncapi.yaml`, an
//! AsyncAPI 3.0 document of the catalog for the event-driven ecosystem's tools (AsyncAPI Studio,
//! the AsyncAPI generators, EventCatalog).
//!
//! The document describes what a consumer receives:
//!
//! - `info` from the spec's `package`;
//! - one channel per resource group (`task_run`, ...), each with a `receive` operation. Deck
//!   sends every event to the same destination, so the channels have no address: they group the
//!   messages as the docs site does, which is how Studio lays out operations;
//! - one message per event type, keyed and named by the event type, with its description,
//!   lifecycle markers and the spec's examples;
//! - payloads that refer to the event's JSON Schema file under `schemas/` rather than copying
//!   it, so the two cannot drift;
//! - with `package.signing: standard_webhooks`, the three Standard Webhooks headers, defined once
//!   under `components.schemas` and referenced by every message.

use crate::emit::schema;
use crate::emit::yaml::{Yaml, map, reference};
use crate::model::{EventDef, Group, Markers, Model, Signing};
use crate::output::Outputs;
use crate::standard_webhooks::{self, Header};

/// Output path of the document, relative to the output directory.
pub const PATH: &str = "asyncapi.yaml";

/// The AsyncAPI version the document follows.
pub const ASYNCAPI_VERSION: &str = "3.0.0";

/// The `schemaFormat` of every payload: JSON Schema draft 2020-12, the dialect of the files under
/// `schemas/`.
///
/// AsyncAPI 3.0 names formats for JSON Schema draft-07 only
/// (`application/schema+json;version=draft-07`), beside its own draft-07-based Schema Object,
/// and @asyncapi/parser only has schema parsers for those. The schemas are draft 2020-12, and
/// declare it in `$schema`; calling them draft-07 would tell tools to read `$ref` siblings and
/// `$defs` by the older rules. So the format is the same media type with the 2020-12 version,
/// the identifier AsyncAPI's own naming scheme gives that dialect. The specification allows
/// formats beyond its table, and the parser accepts the document and resolves the payloads; it
/// just does not validate them itself, which the interop tests do with a 2020-12 validator.
pub const SCHEMA_FORMAT: &str = "application/schema+json;version=2020-12";

/// `components.schemas` key of the Standard Webhooks headers.
pub const HEADERS_KEY: &str = "standard_webhooks_headers";

/// Writes `asyncapi.yaml`.
pub fn emit(model: &Model, out: &mut Outputs) {
    let mut text = format!("# {}\n", crate::emit::spec_note(model));
    text.push_str(&document(model).render());
    out.add(PATH, text);
}

/// The `$ref` from the document to another output: outputs are addressed relative to the output
/// directory, where the document itself lives.
fn relative_ref(path: &str) -> String {
    debug_assert!(!PATH.contains('/'), "the document lives at the root");
    path.to_owned()
}

fn document(model: &Model) -> Yaml {
    let channels = model
        .groups
        .iter()
        .map(|g| (g.slug.clone(), channel(model, g)));
    let operations = model
        .groups
        .iter()
        .map(|g| (operation_key(g), operation(model, g)));
    map([
        ("asyncapi", Yaml::from(ASYNCAPI_VERSION)),
        ("info", info(model)),
        ("defaultContentType", Yaml::from("application/json")),
        ("channels", map(channels)),
        ("operations", map(operations)),
        ("components", components(model)),
    ])
}

fn info(model: &Model) -> Yaml {
    let package = &model.package;
    map([
        ("title", Yaml::from(package.title.as_str())),
        ("version", Yaml::from(package.version.to_string())),
        ("description", Yaml::from(package.description.as_str())),
    ])
}

fn channel(model: &Model, group: &Group) -> Yaml {
    let Group {
        title,
        object,
        resource,
        events: _,
        slug: _,
    } = group;
    let mut description = format!(
        "The `{object}.*` events.\nChannels only group the event types by resource: Deck sends \
         every event to each destination subscribed to it, so a channel has no address of its \
         own."
    );
    let resource_description = &model.ty(*resource).description;
    if !resource_description.is_empty() {
        description.push_str("\n\n");
        description.push_str(resource_description);
    }
    let messages = model
        .group_events(group)
        .map(|e| (e.name.clone(), reference(message_ref(&e.name))));
    map([
        ("address", Yaml::Null),
        ("title", Yaml::from(title.as_str())),
        ("description", Yaml::from(description)),
        ("messages", map(messages)),
    ])
}

fn operation_key(group: &Group) -> String {
    format!("receive_{}", group.slug)
}

fn operation(model: &Model, group: &Group) -> Yaml {
    let messages = model
        .group_events(group)
        .map(|e| reference(format!("#/channels/{}/messages/{}", group.slug, e.name)));
    map([
        ("action", Yaml::from("receive")),
        ("channel", reference(format!("#/channels/{}", group.slug))),
        ("title", Yaml::from(format!("{} events", group.title))),
        (
            "summary",
            Yaml::from(format!("Receive the `{}.*` events.", group.object)),
        ),
        ("messages", Yaml::Seq(messages.collect())),
    ])
}

fn message_ref(wire: &str) -> String {
    format!("#/components/messages/{wire}")
}

fn components(model: &Model) -> Yaml {
    let messages = model
        .events
        .iter()
        .map(|e| (e.name.clone(), message(model, e)));
    let mut entries = vec![("messages", map(messages))];
    if model.package.signing == Signing::StandardWebhooks {
        entries.push(("schemas", map([(HEADERS_KEY, standard_webhooks_headers())])));
    }
    map(entries)
}

fn message(model: &Model, event: &EventDef) -> Yaml {
    let EventDef {
        name,
        object: _,
        action: _,
        description,
        data: _,
        group: _,
        examples,
        markers,
        origin: _,
    } = event;
    let mut entries = vec![("name", Yaml::from(name.as_str()))];
    if !description.is_empty() {
        entries.push(("description", Yaml::from(description.as_str())));
    }
    entries.extend(marker_entries(markers));
    if model.package.signing == Signing::StandardWebhooks {
        entries.push((
            "headers",
            reference(format!("#/components/schemas/{HEADERS_KEY}")),
        ));
    }
    let payload = map([
        ("schemaFormat", Yaml::from(SCHEMA_FORMAT)),
        ("schema", reference(relative_ref(&schema::event_path(name)))),
    ]);
    entries.push(("payload", payload));
    let examples: Vec<Yaml> = examples
        .iter()
        .map(|example| {
            let payload: Yaml = serde_json::from_str(&example.text)
                .expect("an example's text is the JSON of a checked example");
            map([("payload", payload)])
        })
        .collect();
    if !examples.is_empty() {
        entries.push(("examples", Yaml::Seq(examples)));
    }
    map(entries)
}

/// `deprecated` is a message field in AsyncAPI; the reason and `since` have none, so they use the
/// same `x-` extensions as the JSON Schemas, with the same values.
fn marker_entries(markers: &Markers) -> Vec<(&'static str, Yaml)> {
    crate::emit::schema::marker_entries(markers)
        .into_iter()
        .map(|(key, value)| {
            // A `serde_json::Value` is a deserializer, and any JSON value reads as YAML.
            let value = serde::Deserialize::deserialize(value)
                .unwrap_or_else(|e| panic!("a marker's JSON value reads as YAML: {e}"));
            (key, value)
        })
        .collect()
}

/// The Standard Webhooks headers of a delivery, in the AsyncAPI Schema format (which every
/// AsyncAPI tool reads). Other headers are allowed: a destination can be configured to send its
/// own.
fn standard_webhooks_headers() -> Yaml {
    let headers = standard_webhooks::headers();
    let properties = headers.iter().map(|header| {
        let Header {
            name,
            description,
            pattern,
        } = header;
        let mut entries = vec![("type", Yaml::from("string"))];
        if let Some(pattern) = pattern {
            entries.push(("pattern", Yaml::from(*pattern)));
        }
        entries.push(("description", Yaml::from(description.as_str())));
        (*name, map(entries))
    });
    let properties = map(properties);
    let required = headers.iter().map(|h| Yaml::from(h.name)).collect();
    map([
        ("type", Yaml::from("object")),
        (
            "description",
            Yaml::from(
                "The Standard Webhooks headers of a webhook delivery. Verify them against the \
                 raw body as received, before parsing it.",
            ),
        ),
        ("required", Yaml::Seq(required)),
        ("properties", properties),
        ("additionalProperties", Yaml::Bool(true)),
    ])
}
