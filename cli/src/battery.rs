//! The battery of `test-receiver`: deliveries built from the catalog's examples, each with the
//! answer Deck's delivery rules (`package.delivery` and `package.signing` in `spec/spec.yaml`)
//! expect of a receiver.
//!
//! Every case comes from the catalog (`deck_events::fixtures`) and the shape of its payloads
//! ([`Schema`]); none is listed by hand, so a new event type, field or enum value in the spec
//! gets its cases with the next build.

use std::io;
use std::time::{Duration, SystemTime};

use deck_events::fixtures::{Builder, CATALOG, CatalogEntry, Fixture, PathError};
use deck_events::signing::{DEFAULT_TOLERANCE, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP};
use serde::Serialize as _;
use serde_json::{Map, Value, json};

use crate::delivery::{event_id, message_id, rfc3339};
use crate::schema::Schema;

/// The size of the large body. Deck states no size limit for a delivery (`package.delivery` names
/// none), so 256 KiB: the common ceiling of webhook senders, above the defaults of some body
/// parsers (Express's `json()` takes 100 KB).
pub const LARGE_BODY: usize = 256 * 1024;

/// A value no enum of the spec has, as a later version of Deck may send.
pub const UNKNOWN_VALUE: &str = "test_receiver_new_value";
/// An event type the spec does not define, as a later version of Deck may send.
pub const UNKNOWN_TYPE: &str = "test_receiver_object.created";
/// A field name the spec does not define, as a later version of Deck may add.
pub const UNKNOWN_FIELD: &str = "test_receiver_new_field";

/// Another secret than the receiver's, for deliveries it must reject. Two are kept, in case the
/// receiver's secret is one of them.
pub const OTHER_SECRETS: [&str; 2] = [
    "whsec_dGVzdC1yZWNlaXZlcjogbm90IHRoZSByZWNlaXZlcidzIHNlY3JldA==",
    "whsec_dGVzdC1yZWNlaXZlcjogYSBzZWNvbmQgb3RoZXIgc2VjcmV0",
];

/// A group of cases, for `--only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// Each event type's examples, as Deck sends them today.
    Types,
    /// What a later version of Deck may send: new types, enum values and fields, summaries,
    /// absent and null fields, reordered keys, a large body.
    Forward,
    /// Deliveries a receiver must reject (tampered, another secret, stale, missing headers,
    /// signed over a re-serialized body) and one it must take (two signatures, one valid).
    Signatures,
    /// The same event twice, and events out of order.
    AtLeastOnce,
    /// A payload of a known type that the receiver cannot decode.
    Undecodable,
}

impl Group {
    pub fn name(self) -> &'static str {
        match self {
            Group::Types => "types",
            Group::Forward => "forward",
            Group::Signatures => "signatures",
            Group::AtLeastOnce => "at-least-once",
            Group::Undecodable => "undecodable",
        }
    }
}

/// The answer a case expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A `2xx`: the delivery is valid and must be acknowledged.
    Accept,
    /// A `4xx`: the delivery is not Deck's and must be rejected.
    Reject,
    /// A `2xx` (kept); a `5xx` only warns (Deck retries, then disables the destination); a `4xx`
    /// fails.
    Keep,
}

/// What a case tests, which says what to expect of it and what a failure likely means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Example,
    UnknownType,
    UnknownEnum,
    UnknownEnvelopeField,
    UnknownDataField,
    DataFirst,
    Summary,
    OptionalAbsent,
    NullableNull,
    LargeBody,
    TamperedBody,
    WrongSecret,
    StaleTimestamp,
    FutureTimestamp,
    MissingHeader(&'static str),
    Reserialized,
    Rotation,
    Duplicate,
    OutOfOrder,
    Undecodable,
}

impl Kind {
    pub fn group(self) -> Group {
        match self {
            Kind::Example => Group::Types,
            Kind::UnknownType
            | Kind::UnknownEnum
            | Kind::UnknownEnvelopeField
            | Kind::UnknownDataField
            | Kind::DataFirst
            | Kind::Summary
            | Kind::OptionalAbsent
            | Kind::NullableNull
            | Kind::LargeBody => Group::Forward,
            Kind::TamperedBody
            | Kind::WrongSecret
            | Kind::StaleTimestamp
            | Kind::FutureTimestamp
            | Kind::MissingHeader(_)
            | Kind::Reserialized
            | Kind::Rotation => Group::Signatures,
            Kind::Duplicate | Kind::OutOfOrder => Group::AtLeastOnce,
            Kind::Undecodable => Group::Undecodable,
        }
    }

    pub fn expect(self) -> Expect {
        match self.group() {
            Group::Signatures if self != Kind::Rotation => Expect::Reject,
            Group::Undecodable => Expect::Keep,
            _ => Expect::Accept,
        }
    }
}

/// How a delivery is signed. Signatures are computed when it is sent, so its timestamp is the
/// time of sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signing {
    /// As Deck signs: the receiver's secret, now.
    Valid,
    /// With another secret only.
    OtherSecret,
    /// Two signatures: another secret's first, then a valid one, as during a rotation.
    Rotation,
    /// Valid, but for a timestamp this many seconds from now.
    Shifted(i64),
    /// Valid, with this header left out.
    Without(&'static str),
    /// One signature per body, with the receiver's secret, over these bodies instead of the one
    /// sent.
    Over(Vec<Vec<u8>>),
}

/// One POST of a case.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub body: Vec<u8>,
    /// The `webhook-id`, when the case fixes it; a fresh one otherwise.
    pub webhook_id: Option<String>,
    pub signing: Signing,
}

impl Delivery {
    fn signed(body: Vec<u8>) -> Delivery {
        Delivery {
            body,
            webhook_id: None,
            signing: Signing::Valid,
        }
    }
}

/// One case of the battery: one or two deliveries and what they test.
#[derive(Debug, Clone)]
pub struct Case {
    /// `group/what[/event type[/path]]`, unique in the battery.
    pub name: String,
    pub kind: Kind,
    pub deliveries: Vec<Delivery>,
}

impl Case {
    fn new(name: impl Into<String>, kind: Kind, deliveries: Vec<Delivery>) -> Case {
        let name = format!("{}/{}", kind.group().name(), name.into());
        Case {
            name,
            kind,
            deliveries,
        }
    }

    fn one(name: impl Into<String>, kind: Kind, body: Vec<u8>) -> Case {
        Case::new(name, kind, vec![Delivery::signed(body)])
    }
}

/// Every case, in report order, built at `now`: each body has a fresh event `id` and `created_at`.
pub fn battery(now: SystemTime) -> Result<Vec<Case>, PathError> {
    let mut cases = Vec::new();
    types(&mut cases, now)?;
    forward(&mut cases, now)?;
    signatures(&mut cases, now)?;
    at_least_once(&mut cases, now)?;
    undecodable(&mut cases, now)?;
    Ok(cases)
}

/// `fixture` with a fresh event `id` and `created_at`.
fn fresh(fixture: &Fixture, now: SystemTime) -> Result<Builder, PathError> {
    fixture
        .builder()
        .set("id", event_id())?
        .set("created_at", rfc3339(now))
}

/// The first example of `entry`.
fn first(entry: &CatalogEntry) -> &'static Fixture {
    &entry.examples()[0]
}

/// The example the cases that do not depend on a type are built from: the catalog's first.
fn base() -> &'static Fixture {
    first(&CATALOG[0])
}

/// The document of `builder` as a tree, to walk it.
fn tree(builder: &Builder) -> Value {
    serde_json::to_value(builder).unwrap_or(Value::Null)
}

/// `parent.key`, or `key` at the root.
fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn types(cases: &mut Vec<Case>, now: SystemTime) -> Result<(), PathError> {
    for entry in CATALOG {
        let examples = entry.examples();
        for fixture in examples {
            let name = if examples.len() == 1 {
                entry.event_type().to_string()
            } else {
                format!("{}/{}", entry.event_type(), fixture.index() + 1)
            };
            cases.push(Case::one(
                name,
                Kind::Example,
                fresh(fixture, now)?.to_vec(),
            ));
        }
    }
    Ok(())
}

fn forward(cases: &mut Vec<Case>, now: SystemTime) -> Result<(), PathError> {
    let base = fresh(base(), now)?;
    cases.push(Case::one(
        "unknown-type",
        Kind::UnknownType,
        base.clone().set("type", UNKNOWN_TYPE)?.to_vec(),
    ));

    // Every enum position of every example, once per event type: `data.tasks.0.status` and
    // `data.tasks.1.status` are one position.
    for entry in CATALOG {
        let Some(schema) = Schema::event(entry.event_type().as_str()) else {
            continue;
        };
        let mut seen = Vec::new();
        for fixture in entry.examples() {
            let builder = fresh(fixture, now)?;
            let mut paths = Vec::new();
            enum_paths(&tree(&builder), schema, "", &mut paths);
            for path in paths {
                let position = path
                    .split('.')
                    .map(|s| if s.parse::<usize>().is_ok() { "*" } else { s })
                    .collect::<Vec<_>>()
                    .join(".");
                if seen.contains(&position) {
                    continue;
                }
                seen.push(position);
                cases.push(Case::one(
                    format!("unknown-enum/{}/{path}", entry.event_type()),
                    Kind::UnknownEnum,
                    builder.clone().set(&path, UNKNOWN_VALUE)?.to_vec(),
                ));
            }
        }
    }

    let added = json!({"added": "by a later version"});
    cases.push(Case::one(
        "unknown-field/envelope",
        Kind::UnknownEnvelopeField,
        base.clone().set(UNKNOWN_FIELD, added.clone())?.to_vec(),
    ));
    for entry in CATALOG {
        let path = format!("data.{UNKNOWN_FIELD}");
        cases.push(Case::one(
            format!("unknown-field/{}", entry.event_type()),
            Kind::UnknownDataField,
            fresh(first(entry), now)?
                .set(&path, added.clone())?
                .to_vec(),
        ));
    }

    // `type` moved to the end puts `data` before it.
    let event_type = base.get("type").unwrap_or(Value::Null);
    cases.push(Case::one(
        "data-first",
        Kind::DataFirst,
        base.clone()
            .remove("type")?
            .set("type", event_type)?
            .to_vec(),
    ));

    // One case per event type and change, grouped by change.
    let (mut summaries, mut absent, mut nulls) = (Vec::new(), Vec::new(), Vec::new());
    for entry in CATALOG {
        let Some(schema) = Schema::event(entry.event_type().as_str()) else {
            continue;
        };
        let builder = fresh(first(entry), now)?;
        let doc = tree(&builder);
        let event_type = entry.event_type();

        // A summary: `data` with only the fields its schema requires, its identity.
        let mut summary = builder.clone();
        if let (Some(Value::Object(data)), Some(data_schema)) =
            (doc.get("data"), schema.property("data"))
        {
            for key in data.keys() {
                if !data_schema.requires(key) {
                    summary = summary.remove(&join("data", key))?;
                }
            }
        }
        summaries.push(Case::one(
            format!("summary/{event_type}"),
            Kind::Summary,
            summary.to_vec(),
        ));

        let mut paths = Vec::new();
        optional_paths(&doc, schema, "", &mut paths);
        let mut without = builder.clone();
        for path in &paths {
            without = without.remove(path)?;
        }
        absent.push(Case::one(
            format!("optional-absent/{event_type}"),
            Kind::OptionalAbsent,
            without.to_vec(),
        ));

        let mut paths = Vec::new();
        nullable_paths(&doc, schema, "", &mut paths);
        let mut with_nulls = builder;
        for path in &paths {
            with_nulls = with_nulls.set(path, Value::Null)?;
        }
        nulls.push(Case::one(
            format!("nullable-null/{event_type}"),
            Kind::NullableNull,
            with_nulls.to_vec(),
        ));
    }
    cases.extend(summaries);
    cases.extend(absent);
    cases.extend(nulls);

    cases.push(Case::one("large-body", Kind::LargeBody, large_body(&base)?));
    Ok(())
}

/// Every path under `path` at which `schema` has an open enum and `value` a string or `null`.
fn enum_paths(value: &Value, schema: Schema, path: &str, out: &mut Vec<String>) {
    if schema.is_open_enum() && (value.is_string() || value.is_null()) {
        out.push(path.to_owned());
        return;
    }
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                if let Some(property) = schema.property(key) {
                    enum_paths(child, property, &join(path, key), out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = schema.items() {
                for (i, child) in items.iter().enumerate() {
                    enum_paths(child, item, &join(path, &i.to_string()), out);
                }
            }
        }
        _ => {}
    }
}

/// Every path under `path` that `value` has and `schema` does not require.
fn optional_paths(value: &Value, schema: Schema, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let child_path = join(path, key);
                match schema.property(key) {
                    Some(property) if schema.requires(key) => {
                        optional_paths(child, property, &child_path, out);
                    }
                    _ => out.push(child_path),
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = schema.items() {
                for (i, child) in items.iter().enumerate() {
                    optional_paths(child, item, &join(path, &i.to_string()), out);
                }
            }
        }
        _ => {}
    }
}

/// Every path under `path` that `schema` lets be `null`, whether `value` has it or not.
fn nullable_paths(value: &Value, schema: Schema, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for key in schema.property_names() {
                let Some(property) = schema.property(key) else {
                    continue;
                };
                let child_path = join(path, key);
                if property.nullable() {
                    out.push(child_path);
                } else if let Some(child) = object.get(key) {
                    nullable_paths(child, property, &child_path, out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = schema.items() {
                for (i, child) in items.iter().enumerate() {
                    nullable_paths(child, item, &join(path, &i.to_string()), out);
                }
            }
        }
        _ => {}
    }
}

/// `base` grown to exactly [`LARGE_BODY`] bytes through its first free-text field in `data`
/// (a field the spec does not define when it has none).
fn large_body(base: &Builder) -> Result<Vec<u8>, PathError> {
    let event_type = base
        .get("type")
        .and_then(|t| t.as_str().map(str::to_owned))
        .unwrap_or_default();
    let data_schema = Schema::event(&event_type).and_then(|s| s.property("data"));
    let field = match (base.get("data"), data_schema) {
        (Some(Value::Object(data)), Some(schema)) => data
            .iter()
            .find(|(key, value)| {
                value.is_string() && schema.property(key).is_some_and(Schema::is_free_text)
            })
            .map(|(key, _)| key.clone()),
        _ => None,
    };
    let path = join("data", field.as_deref().unwrap_or(UNKNOWN_FIELD));
    let empty = base.clone().set(&path, "")?;
    let padding = LARGE_BODY.saturating_sub(empty.to_vec().len());
    Ok(empty.set(&path, "x".repeat(padding))?.to_vec())
}

fn signatures(cases: &mut Vec<Case>, now: SystemTime) -> Result<(), PathError> {
    let base = fresh(base(), now)?;
    let body = base.to_vec();
    let tolerance = i64::try_from(DEFAULT_TOLERANCE.as_secs()).unwrap_or(300);
    let with = |signing: Signing| Delivery {
        body: body.clone(),
        webhook_id: None,
        signing,
    };
    cases.push(Case::new(
        "tampered-body",
        Kind::TamperedBody,
        vec![Delivery {
            // Signed as sent by Deck, then changed on the way: another event id.
            body: base.clone().set("id", event_id())?.to_vec(),
            webhook_id: None,
            signing: Signing::Over(vec![body.clone()]),
        }],
    ));
    cases.push(Case::new(
        "wrong-secret",
        Kind::WrongSecret,
        vec![with(Signing::OtherSecret)],
    ));
    cases.push(Case::new(
        "stale-timestamp",
        Kind::StaleTimestamp,
        vec![with(Signing::Shifted(-2 * tolerance))],
    ));
    cases.push(Case::new(
        "future-timestamp",
        Kind::FutureTimestamp,
        vec![with(Signing::Shifted(2 * tolerance))],
    ));
    for header in [HEADER_ID, HEADER_TIMESTAMP, HEADER_SIGNATURE] {
        cases.push(Case::new(
            format!("missing-{header}"),
            Kind::MissingHeader(header),
            vec![with(Signing::Without(header))],
        ));
    }
    // The body as sent is pretty-printed; the signatures are over what common JSON libraries
    // write back after parsing it, so only a receiver that verifies a re-serialized body takes it.
    cases.push(Case::new(
        "re-serialized-body",
        Kind::Reserialized,
        vec![Delivery {
            body: base.to_string_pretty().into_bytes(),
            webhook_id: None,
            signing: Signing::Over(reserializations(&base)),
        }],
    ));
    cases.push(Case::new(
        "rotation",
        Kind::Rotation,
        vec![with(Signing::Rotation)],
    ));
    Ok(())
}

/// `document` as common JSON libraries write it back after parsing: compact in its own key order
/// (JavaScript's `JSON.stringify`), compact with keys sorted (Go's maps, `serde_json::Value`),
/// and with Python's `json.dumps` separators.
fn reserializations(document: &Builder) -> Vec<Vec<u8>> {
    let mut python = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut python, PythonStyle);
    // Writing to a Vec cannot fail.
    let _ = document.serialize(&mut serializer);
    let sorted = serde_json::to_vec(&sorted(&tree(document))).unwrap_or_default();
    vec![document.to_vec(), sorted, python]
}

/// `value` with every object's keys in sorted order, whatever order `serde_json` keeps.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let mut keys: Vec<&String> = object.keys().collect();
            keys.sort();
            let mut map = Map::new();
            for key in keys {
                map.insert(key.clone(), sorted(&object[key]));
            }
            Value::Object(map)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// The separators of Python's `json.dumps`: `", "` and `": "`.
struct PythonStyle;

impl serde_json::ser::Formatter for PythonStyle {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }
}

fn at_least_once(cases: &mut Vec<Case>, now: SystemTime) -> Result<(), PathError> {
    let body = fresh(base(), now)?.to_vec();
    let webhook_id = message_id();
    let again = || Delivery {
        body: body.clone(),
        webhook_id: Some(webhook_id.clone()),
        signing: Signing::Valid,
    };
    cases.push(Case::new(
        "duplicate",
        Kind::Duplicate,
        vec![again(), again()],
    ));

    // Two events of one resource, the later one first: the first two types of a group, or one
    // type twice.
    let (earlier, later) = CATALOG
        .windows(2)
        .find(|pair| pair[0].group() == pair[1].group())
        .map_or((&CATALOG[0], &CATALOG[0]), |pair| (&pair[0], &pair[1]));
    let earlier = fresh(first(earlier), now - Duration::from_secs(60))?;
    let mut later = fresh(first(later), now)?;
    if let Some(id) = earlier.get("data.id") {
        later = later.set("data.id", id)?;
    }
    cases.push(Case::new(
        "out-of-order",
        Kind::OutOfOrder,
        vec![
            Delivery::signed(later.to_vec()),
            Delivery::signed(earlier.to_vec()),
        ],
    ));
    Ok(())
}

/// A known type whose field changed type: the first number in an example's `data` becomes a
/// string (or, without one, its first free-text string a number), which no decoder of today's
/// type reads.
fn undecodable(cases: &mut Vec<Case>, now: SystemTime) -> Result<(), PathError> {
    for (from, to) in [("number", "string"), ("string", "number")] {
        for entry in CATALOG {
            let Some(data_schema) =
                Schema::event(entry.event_type().as_str()).and_then(|s| s.property("data"))
            else {
                continue;
            };
            let builder = fresh(first(entry), now)?;
            let Some(Value::Object(data)) = builder.get("data") else {
                continue;
            };
            let changed = data.iter().find_map(|(key, value)| {
                let property = data_schema.property(key)?;
                let types = property.json_types();
                match (from, value) {
                    ("number", Value::Number(number))
                        if types.contains(&"integer") || types.contains(&"number") =>
                    {
                        Some((key.clone(), Value::String(number.to_string())))
                    }
                    ("string", Value::String(_)) if property.is_free_text() => {
                        Some((key.clone(), json!(12345)))
                    }
                    _ => None,
                }
            });
            if let Some((key, value)) = changed {
                let path = join("data", &key);
                cases.push(Case::one(
                    format!("{}/{path}-{from}-to-{to}", entry.event_type()),
                    Kind::Undecodable,
                    builder.set(&path, value)?.to_vec(),
                ));
                return Ok(());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use deck_events::{Event, EventData, ParseError};

    use super::*;

    fn cases() -> Vec<Case> {
        battery(SystemTime::now()).unwrap()
    }

    fn named<'c>(cases: &'c [Case], name: &str) -> &'c Case {
        cases
            .iter()
            .find(|case| case.name == name)
            .unwrap_or_else(|| panic!("no case {name}"))
    }

    #[test]
    fn names_are_unique_and_start_with_their_group() {
        let cases = cases();
        let names: BTreeSet<&str> = cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names.len(), cases.len());
        for case in &cases {
            assert!(
                case.name
                    .starts_with(&format!("{}/", case.kind.group().name())),
                "{}",
                case.name
            );
            assert!(matches!(case.deliveries.len(), 1 | 2), "{}", case.name);
        }
    }

    #[test]
    fn every_example_and_every_type_has_its_cases() {
        let cases = cases();
        let count = |kind| cases.iter().filter(|c| c.kind == kind).count();
        assert_eq!(count(Kind::Example), deck_events::fixtures::all().count());
        for kind in [
            Kind::UnknownDataField,
            Kind::Summary,
            Kind::OptionalAbsent,
            Kind::NullableNull,
        ] {
            assert_eq!(count(kind), CATALOG.len(), "{kind:?}");
        }
        named(&cases, "types/storage.created/2");
        named(
            &cases,
            "forward/unknown-enum/task_run.completed/data.status",
        );
        named(
            &cases,
            "forward/unknown-enum/task_run.completed/data.storage.0.object",
        );
        // A position found in the second example only.
        named(&cases, "forward/unknown-enum/storage.created/data.result");
        // Two items of one list are one position.
        named(
            &cases,
            "forward/unknown-enum/agent.updated/data.tasks.0.status",
        );
        assert!(
            !cases
                .iter()
                .any(|c| c.name == "forward/unknown-enum/agent.updated/data.tasks.1.status")
        );
    }

    /// The Rust crate, itself generated from the spec, reads every delivery that a tolerant
    /// receiver must take, and keeps the unknown values: the schema's facts and the crate agree.
    #[test]
    fn the_crate_reads_every_forward_compatible_delivery() {
        for case in cases() {
            if case.kind.expect() != Expect::Accept || case.kind == Kind::Rotation {
                continue;
            }
            for delivery in &case.deliveries {
                let event = Event::from_slice(&delivery.body)
                    .unwrap_or_else(|err| panic!("{}: {err}", case.name));
                if case.kind == Kind::UnknownType {
                    assert!(matches!(event.data, EventData::Unknown(_)));
                }
                if case.kind == Kind::UnknownEnum {
                    let text = serde_json::to_string(&event).unwrap();
                    assert!(text.contains(UNKNOWN_VALUE), "{}: {text}", case.name);
                }
            }
        }
    }

    #[test]
    fn transformed_payloads_are_what_their_names_say() {
        let cases = cases();
        let doc = |name: &str| -> Value {
            serde_json::from_slice(&named(&cases, name).deliveries[0].body).unwrap()
        };
        let summary = doc("forward/summary/task_run.completed");
        let keys: BTreeSet<&str> = summary["data"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, BTreeSet::from(["id", "object", "status"]));
        assert!(summary.get("request_id").is_some());

        let absent = doc("forward/optional-absent/task_run.completed");
        assert!(absent.get("request_id").is_none());
        assert_eq!(absent["data"].as_object().unwrap().len(), 3);

        let nulls = doc("forward/nullable-null/task_run.completed");
        assert_eq!(nulls["request_id"], Value::Null);
        for field in ["result", "runtime_ms", "interaction", "session_id"] {
            assert_eq!(nulls["data"][field], Value::Null, "{field}");
        }
        assert_eq!(nulls["data"]["storage"][0]["url"], Value::Null);
        assert_eq!(nulls["data"]["status"], "completed");

        let text = String::from_utf8(
            named(&cases, "forward/data-first").deliveries[0]
                .body
                .clone(),
        )
        .unwrap();
        assert!(text.find("\"data\"").unwrap() < text.find("\"type\"").unwrap());

        let large = &named(&cases, "forward/large-body").deliveries[0].body;
        assert_eq!(large.len(), LARGE_BODY);
    }

    #[test]
    fn the_undecodable_payload_keeps_a_valid_envelope() {
        let cases = cases();
        let case = cases
            .iter()
            .find(|c| c.kind == Kind::Undecodable)
            .expect("an undecodable case");
        match Event::from_slice(&case.deliveries[0].body) {
            Err(ParseError::Data { .. }) => {}
            other => panic!("{}: {other:?}", case.name),
        }
    }

    #[test]
    fn re_serializations_differ_from_the_body_sent() {
        let cases = cases();
        let case = named(&cases, "signatures/re-serialized-body");
        let Signing::Over(bodies) = &case.deliveries[0].signing else {
            panic!("{:?}", case.deliveries[0].signing);
        };
        let sent = &case.deliveries[0].body;
        let sent_value: Value = serde_json::from_slice(sent).unwrap();
        assert_eq!(bodies.len(), 3);
        for body in bodies {
            assert_ne!(body, sent);
            let value: Value = serde_json::from_slice(body).unwrap();
            assert_eq!(value, sent_value, "the same document");
        }
        let python = String::from_utf8(bodies[2].clone()).unwrap();
        assert!(python.starts_with("{\"id\": \"evt_"), "{python}");
        assert!(python.contains("\", \"object\": \"event\""), "{python}");
    }

    #[test]
    fn at_least_once_repeats_the_id_and_reverses_the_order() {
        let cases = cases();
        let duplicate = named(&cases, "at-least-once/duplicate");
        let [first, second] = &duplicate.deliveries[..] else {
            panic!()
        };
        assert_eq!(first.body, second.body);
        assert!(first.webhook_id.is_some());
        assert_eq!(first.webhook_id, second.webhook_id);

        let order = named(&cases, "at-least-once/out-of-order");
        let docs: Vec<Value> = order
            .deliveries
            .iter()
            .map(|d| serde_json::from_slice(&d.body).unwrap())
            .collect();
        assert!(docs[0]["created_at"].as_str() > docs[1]["created_at"].as_str());
        assert_eq!(docs[0]["data"]["id"], docs[1]["data"]["id"]);
        assert_ne!(docs[0]["id"], docs[1]["id"]);
    }
}
