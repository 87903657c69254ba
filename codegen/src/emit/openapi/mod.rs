//! Stage 3, OpenAPI emitter: reads the resolved [`Model`] and writes `openapi.yaml`, an OpenAPI
//! 3.1 document of the catalog for the HTTP API world's tools (Redoc, Swagger UI, Redocly,
//! openapi-typescript, the OpenAPI generators), which read webhooks from a `webhooks` section.
//!
//! The document describes the requests a receiver gets:
//!
//! - `info` from the spec's `package`, with its license when the spec gives one;
//! - one webhook per event type, keyed by the event type, each a `post` operation with the
//!   event's description and lifecycle markers, tagged with its resource group; the body is the
//!   event as JSON, with the spec's examples in their own key order; the responses say what an
//!   answer means, in the words of the spec's `delivery` section;
//! - with `package.signing: standard_webhooks`, the three Standard Webhooks headers as
//!   parameters of every webhook and the signature as its security scheme, each defined once
//!   under `components`;
//! - `components.schemas`: every definition of the JSON Schema catalog, built by the schema
//!   emitter's own functions with references into `#/components/schemas/`, and the catalog's root
//!   union under [`schema::ANY_KEY`]. OpenAPI 3.1's schema dialect is JSON Schema 2020-12, the
//!   dialect of the files under `schemas/`, so the shapes are the same and accept the same
//!   payloads; the document refers to nothing outside itself, so tools that read one file (most
//!   of them) see every schema.

use serde_json::Value;

use crate::emit::schema::{self, Defs};
use crate::emit::yaml::{Yaml, map, reference};
use crate::model::{EventDef, Group, Markers, Model, Package, PackageMetadata, Signing};
use crate::output::Outputs;
use crate::standard_webhooks::{
    self, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, Header, SECRET_PREFIX,
};

/// Output path of the document, relative to the output directory.
pub const PATH: &str = "openapi.yaml";

/// The OpenAPI version the document follows.
pub const OPENAPI_VERSION: &str = "3.1.1";

/// The method of every webhook: Deck `POST`s each delivery.
const METHOD: &str = "post";

/// The media type of every request body: the event, as JSON.
pub const MEDIA_TYPE: &str = "application/json";

/// Where the schemas live in the document; every reference to one starts with this.
const SCHEMAS: &str = "#/components/schemas/";

/// The definitions' location, for the schema emitter's shape builders.
const DEFS: Defs = Defs::at(SCHEMAS);

/// `components.securitySchemes` key of the Standard Webhooks signature.
pub const SECURITY_KEY: &str = "standard_webhooks";

/// `components.responses` key of the answer that acknowledges a delivery.
pub const ACKNOWLEDGED_KEY: &str = "acknowledged";

/// `components.responses` key of every other answer, or none.
pub const FAILED_KEY: &str = "failed";

/// JSON Pointer, in the document, to the schema of the webhook `wire`'s request body: the schema
/// that judges a delivery of that event type, as its file under `schemas/events/` does.
pub fn request_body_pointer(wire: &str) -> String {
    format!(
        "/webhooks/{}/{METHOD}/requestBody/content/{}/schema",
        pointer_token(wire),
        pointer_token(MEDIA_TYPE)
    )
}

/// JSON Pointer, in the document, to the catalog's root union: the schema that judges any event,
/// as `schemas/envelope.schema.json` does.
pub fn any_event_pointer() -> String {
    let components = SCHEMAS.strip_prefix('#').expect("a fragment");
    format!("{components}{}", pointer_token(schema::ANY_KEY))
}

/// The schema files the document's schemas stand for, each with the place of its counterpart:
/// (output path of a file under `schemas/`, JSON Pointer in the document). A payload is meant to
/// get the same verdict from both; the conformance and interop tests check that it does.
pub fn counterparts(model: &Model) -> Vec<(String, String)> {
    let mut out = vec![(schema::ENVELOPE_PATH.to_owned(), any_event_pointer())];
    out.extend(
        model
            .events
            .iter()
            .map(|e| (schema::event_path(&e.name), request_body_pointer(&e.name))),
    );
    out
}

/// A key as a JSON Pointer token (RFC 6901: `~` and `/` escaped).
fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Writes `openapi.yaml`.
pub fn emit(model: &Model, out: &mut Outputs) {
    let mut text = format!("# {}\n", crate::emit::spec_note(model));
    text.push_str(&document(model).render());
    out.add(PATH, text);
}

/// Whether deliveries carry the Standard Webhooks headers.
fn signed(model: &Model) -> bool {
    match model.package.signing {
        Signing::StandardWebhooks => true,
        Signing::None => false,
    }
}

fn document(model: &Model) -> Yaml {
    let webhooks = model
        .events
        .iter()
        .map(|e| (e.name.clone(), map([(METHOD, operation(model, e))])));
    let tags = model.groups.iter().map(|g| tag(model, g)).collect();
    let mut entries = vec![
        ("openapi", Yaml::from(OPENAPI_VERSION)),
        ("info", info(model)),
    ];
    if signed(model) {
        // Every delivery is signed, so the requirement is the document's, not each operation's.
        let requirement = map([(SECURITY_KEY, Yaml::Seq(Vec::new()))]);
        entries.push(("security", Yaml::Seq(vec![requirement])));
    }
    entries.extend([
        ("tags", Yaml::Seq(tags)),
        ("webhooks", map(webhooks)),
        ("components", components(model)),
    ]);
    map(entries)
}

fn info(model: &Model) -> Yaml {
    // How deliveries are signed and behave is said by the webhooks, not here.
    let Package {
        name: _,
        lib_name: _,
        version,
        title,
        description,
        schema_base_url: _,
        signing: _,
        delivery: _,
        metadata,
    } = &model.package;
    let PackageMetadata {
        license,
        repository: _,
        keywords: _,
        categories: _,
    } = metadata;
    let mut entries = vec![
        ("title", Yaml::from(title.as_str())),
        ("version", Yaml::from(version.to_string())),
        ("description", Yaml::from(description.as_str())),
    ];
    // The spec's license is an SPDX expression, which is what OpenAPI 3.1's `identifier` holds;
    // `name` is required beside it, and the expression is the best name there is. The spec has no
    // contact, so `info` has none.
    if let Some(license) = license {
        entries.push((
            "license",
            map([
                ("name", Yaml::from(license.as_str())),
                ("identifier", Yaml::from(license.as_str())),
            ]),
        ));
    }
    map(entries)
}

/// A resource group as a tag: tools list the webhooks under their group, as the docs site does.
/// The name is the group's slug, unique by construction; the title is Redoc's display name.
fn tag(model: &Model, group: &Group) -> Yaml {
    let Group {
        title,
        object,
        resource,
        events: _,
        slug,
    } = group;
    let mut description = format!("The `{object}.*` events.");
    let resource_description = &model.ty(*resource).description;
    if !resource_description.is_empty() {
        description.push_str("\n\n");
        description.push_str(resource_description);
    }
    map([
        ("name", Yaml::from(slug.as_str())),
        ("x-displayName", Yaml::from(title.as_str())),
        ("description", Yaml::from(description)),
    ])
}

/// The webhook of one event type: the request a receiver gets when such an event happens.
fn operation(model: &Model, event: &EventDef) -> Yaml {
    let EventDef {
        name,
        object: _,
        action: _,
        description,
        data: _,
        group,
        examples,
        markers,
        origin: _,
    } = event;
    // The event type is what a receiver matches on, so it names the operation in both places
    // tools show: the summary (the title in Redoc and Swagger UI) and the operation id.
    let mut entries = vec![
        (
            "tags",
            Yaml::Seq(vec![Yaml::from(model.group(*group).slug.as_str())]),
        ),
        ("operationId", Yaml::from(name.as_str())),
        ("summary", Yaml::from(name.as_str())),
    ];
    if !description.is_empty() {
        entries.push(("description", Yaml::from(description.as_str())));
    }
    entries.extend(marker_entries(markers));
    if signed(model) {
        let parameters = standard_webhooks::headers()
            .map(|h| reference(format!("#/components/parameters/{}", h.name)));
        entries.push(("parameters", Yaml::Seq(parameters.into())));
    }
    let mut media = vec![("schema", json(&DEFS.reference(&schema::event_key(name))))];
    if !examples.is_empty() {
        let named = examples.iter().enumerate().map(|(n, example)| {
            // Read from the example's text, which keeps the spec's key order; its JSON value
            // sorts the keys.
            let value: Yaml = serde_json::from_str(&example.text)
                .expect("an example's text is the JSON of a checked example");
            (format!("example-{}", n + 1), map([("value", value)]))
        });
        media.push(("examples", map(named)));
    }
    entries.push((
        "requestBody",
        map([
            ("required", Yaml::Bool(true)),
            ("content", map([(MEDIA_TYPE, map(media))])),
        ]),
    ));
    entries.push((
        "responses",
        map([
            (
                "2XX",
                reference(format!("#/components/responses/{ACKNOWLEDGED_KEY}")),
            ),
            (
                "default",
                reference(format!("#/components/responses/{FAILED_KEY}")),
            ),
        ]),
    ));
    map(entries)
}

/// `deprecated` is an operation field in OpenAPI; the reason and `since` have none, so they use
/// the same `x-` extensions as the JSON Schemas, with the same values.
fn marker_entries(markers: &Markers) -> Vec<(&'static str, Yaml)> {
    schema::marker_entries(markers)
        .into_iter()
        .map(|(key, value)| (key, json(&value)))
        .collect()
}

fn components(model: &Model) -> Yaml {
    let mut schemas = schema::definitions(model, DEFS);
    let root = Value::Object(schema::any_event(model, DEFS));
    let previous = schemas.insert(schema::ANY_KEY.into(), root);
    assert!(
        previous.is_none(),
        "a definition is keyed {}",
        schema::ANY_KEY
    );
    let mut entries = vec![
        ("schemas", json(&Value::Object(schemas))),
        ("responses", responses(model)),
    ];
    if signed(model) {
        entries.push(("parameters", standard_webhooks_headers()));
        entries.push(("securitySchemes", map([(SECURITY_KEY, security_scheme())])));
    }
    map(entries)
}

/// What an answer to a delivery means. Any `2xx` acknowledges it; what happens after any other
/// answer (retries, how many, and what then) is the spec's to say, in its `delivery` section,
/// which the failure response carries as written.
fn responses(model: &Model) -> Yaml {
    let mut failed = String::from("Any other status fails the delivery.");
    let delivery = model.package.delivery.trim_end();
    if !delivery.is_empty() {
        failed.push_str("\n\n");
        failed.push_str(delivery);
        failed.push('\n');
    }
    map([
        (
            ACKNOWLEDGED_KEY,
            map([(
                "description",
                Yaml::from("A `2xx` status acknowledges the delivery."),
            )]),
        ),
        (FAILED_KEY, map([("description", Yaml::from(failed))])),
    ])
}

/// The Standard Webhooks headers of a delivery, as header parameters, keyed by their names.
fn standard_webhooks_headers() -> Yaml {
    let parameters = standard_webhooks::headers().map(|header| {
        let Header {
            name,
            description,
            pattern,
        } = header;
        let mut schema = vec![("type", Yaml::from("string"))];
        if let Some(pattern) = pattern {
            schema.push(("pattern", Yaml::from(pattern)));
        }
        let parameter = map([
            ("name", Yaml::from(name)),
            ("in", Yaml::from("header")),
            ("required", Yaml::Bool(true)),
            ("description", Yaml::from(description)),
            ("schema", map(schema)),
        ]);
        (name, parameter)
    });
    map(parameters)
}

/// The signature as a security scheme, so that tools show how a delivery is authenticated.
/// OpenAPI has no scheme type for a signed request; `apiKey` in the signature's header is the
/// closest, and the description says what the value really is.
fn security_scheme() -> Yaml {
    map([
        ("type", Yaml::from("apiKey")),
        ("in", Yaml::from("header")),
        ("name", Yaml::from(HEADER_SIGNATURE)),
        (
            "description",
            Yaml::from(format!(
                "Deliveries are signed with the [Standard Webhooks](https://www.standardwebhooks.com/) \
                 scheme. `{HEADER_SIGNATURE}` is not a fixed key: it is an HMAC-SHA256 of the \
                 `{HEADER_ID}` and `{HEADER_TIMESTAMP}` headers and the raw body, keyed with the \
                 destination's `{SECRET_PREFIX}` secret. Verify it against the body as received, \
                 before parsing it."
            )),
        ),
    ])
}

/// A JSON value (a schema or an annotation) as YAML, keys in the value's order.
fn json(value: &Value) -> Yaml {
    Yaml::from(value)
}
