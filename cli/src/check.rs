//! `deck-events check`: reads delivery bodies (files, directories such as the receiver's
//! dead-letter store, NDJSON, standard input) and reports, grouped by event type and JSON Pointer,
//! where they drift from the catalog.
//!
//! The catalog is the envelope JSON Schema the generator renders from the spec
//! (`generated/schemas/envelope.schema.json`), compiled into the binary and read by
//! [`crate::schema`]. It is the one place that
//! states, declaratively, every field of every event type, which are required, which may be
//! `null`, and every enum value; the crate's fixtures hold only examples, and its decoder accepts
//! unknown fields and enum values on purpose, so it cannot say what drifted. The crate still has
//! the last word: a body the schema walk finds clean is decoded with `Event::from_slice`, and a
//! failure is reported at the place its `ParseError` names.
//!
//! Memory stays bounded whatever the input: NDJSON is read line by line (a line is at most
//! [`MAX_BODY`] bytes), and only counts, the first sighting and a few values seen are kept per
//! group, with at most [`MAX_GROUPS`] groups.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read as _};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde_json::{Map, Value};

use crate::Failure;
use crate::schema::{UNKNOWN_EVENT_KEY, event_key, is_null_branch, open_enum_values};
use crate::style;

/// The largest body read, from a file or an NDJSON line: 16 MiB. A delivery is far smaller (the
/// crate's receiver reads at most 1 MiB); this only keeps a stray huge file from filling memory.
const MAX_BODY: usize = 16 << 20;

/// The most groups reported; past it, findings are counted but not grouped.
const MAX_GROUPS: usize = 10_000;

/// The most characters of a key kept in a pointer; a longer key ends in `…`.
const MAX_TOKEN: usize = 256;

/// The most distinct values or types kept per group.
const MAX_SEEN: usize = 8;

/// The most lines about unreadable bodies printed on standard error.
const MAX_NOTES: u64 = 20;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, directories or `-` (standard input). A file ending in `.ndjson` or `.jsonl`, and
    /// standard input, hold one body per line; any other file is one body. A directory is read
    /// recursively for `*.body`, `*.json`, `*.ndjson` and `*.jsonl` (a receiver's dead-letter
    /// store: `*.meta.json` beside a body gives its `webhook_id`).
    #[arg(value_name = "PATH", required = true, value_parser = parse_input)]
    paths: Vec<Input>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Print the spec edits that would make the catalog match, by spec file and type: new
    /// optional fields, new enum values, `nullable: true`. Nothing is ever removed; what a person
    /// must decide is listed as a comment.
    #[arg(long)]
    suggest: bool,
    /// Check against another rendering of the envelope schema, e.g. a spec being edited, instead
    /// of the built-in one (then the crate's own decoder, built from the built-in spec, is not
    /// consulted).
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A summary and a table, for people.
    Text,
    /// One JSON object, for tools.
    Json,
}

#[derive(Debug, Clone)]
enum Input {
    Stdin,
    Path(PathBuf),
}

/// A PATH argument: `-`, or a path that exists (a missing one is a usage mistake).
fn parse_input(text: &str) -> Result<Input, String> {
    if text == "-" {
        return Ok(Input::Stdin);
    }
    let path = PathBuf::from(text);
    match std::fs::metadata(&path) {
        Ok(_) => Ok(Input::Path(path)),
        Err(err) => Err(format!("cannot read {text}: {err}")),
    }
}

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The body is not an event: not UTF-8, not JSON, not an object, no `type`.
    NotAnEvent,
    /// An event type the catalog does not have.
    UnknownEventType,
    /// A required field is missing.
    MissingField,
    /// A value of another JSON type than the spec's.
    TypeMismatch,
    /// `null` where the field is not nullable.
    NotNullable,
    /// An enum value the spec does not list.
    UnknownEnumValue,
    /// A field the spec does not define.
    UnknownField,
    /// Nothing above, yet the crate does not decode the body.
    DoesNotDecode,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::NotAnEvent => "not-an-event",
            Kind::UnknownEventType => "unknown-event-type",
            Kind::MissingField => "missing-field",
            Kind::TypeMismatch => "type-mismatch",
            Kind::NotNullable => "not-nullable",
            Kind::UnknownEnumValue => "unknown-enum-value",
            Kind::UnknownField => "unknown-field",
            Kind::DoesNotDecode => "does-not-decode",
        }
    }
}

/// The spec's places, from the spec the binary is built from (`build.rs`).
mod places {
    include!(concat!(env!("OUT_DIR"), "/spec_places.rs"));
}

/// Where a finding's fix would go: a `$defs` key of the envelope schema, and a field of it.
#[derive(Debug, Clone)]
struct Owner {
    def: &'static str,
    field: Option<String>,
}

/// What the walk knows about where it is: the `$defs` entry it is in (set by following a
/// `$ref`), and the object field whose value it is at, if any.
#[derive(Debug, Clone, Copy, Default)]
struct Ctx {
    def: Option<&'static str>,
    field: Option<(&'static str, &'static str)>,
}

impl Ctx {
    fn field_owner(self) -> Option<Owner> {
        self.field.map(|(def, field)| Owner {
            def,
            field: Some(field.to_owned()),
        })
    }
}

/// One place where one body drifts.
#[derive(Debug)]
struct Finding {
    pointer: String,
    kind: Kind,
    /// Where a spec edit would fix it, when one can.
    owner: Option<Owner>,
    /// What was there: a JSON type, a quoted value, a description.
    seen: String,
    /// What the spec says, in a few words.
    expected: String,
}

/// The catalog: the built-in envelope schema's definitions, as [`crate::schema`] reads them.
struct Catalog {
    defs: &'static Map<String, Value>,
    /// Whether the crate's decoder has the last word: only when the catalog is the built-in one.
    decode: bool,
}

impl Catalog {
    fn reference(&self, reference: &str) -> Option<(&'static str, &'static Value)> {
        let (key, def) = self
            .defs
            .get_key_value(reference.strip_prefix("#/$defs/")?)?;
        Some((key.as_str(), def))
    }

    /// `pointer` as the schema walk writes it: array elements and map values as `*`, so that a
    /// place the crate names falls in one group with the same place in other elements. `schema`
    /// is the definition the pointer starts from.
    fn grouped(&self, schema: &'static Value, pointer: &str) -> String {
        let mut node = Some(schema);
        let mut out = String::with_capacity(pointer.len());
        for token in pointer.split('/').skip(1) {
            // Through references and the nullable `anyOf` to the shape itself.
            while let Some(at) = node {
                if let Some(reference) = at.get("$ref").and_then(Value::as_str) {
                    node = self.reference(reference).map(|(_, def)| def);
                } else if let Some(branches) = at.get("anyOf").and_then(Value::as_array) {
                    node = branches.iter().find(|b| !is_null_branch(b));
                } else {
                    break;
                }
            }
            let name = token.replace("~1", "/").replace("~0", "~");
            let field = node.and_then(|at| at.get("properties")?.get(&name));
            let element = node.and_then(|at| {
                at.get("items")
                    .or_else(|| at.get("additionalProperties").filter(|v| v.is_object()))
            });
            match (field, element) {
                (Some(field), _) => {
                    out.push('/');
                    out.push_str(token);
                    node = Some(field);
                }
                (None, Some(element)) => {
                    out.push_str("/*");
                    node = Some(element);
                }
                (None, None) => {
                    out.push('/');
                    out.push_str(token);
                    node = None;
                }
            }
        }
        out
    }

    /// Checks one body, pushing its findings; returns its event type and event id, if readable.
    fn check_body(
        &self,
        body: &[u8],
        pointer: &mut String,
        out: &mut Vec<Finding>,
    ) -> (Option<String>, Option<String>) {
        let not_an_event = |out: &mut Vec<Finding>, pointer: &str, seen: String, expected: &str| {
            out.push(Finding {
                pointer: pointer.to_owned(),
                kind: Kind::NotAnEvent,
                owner: None,
                seen,
                expected: expected.to_owned(),
            });
        };
        let text = match std::str::from_utf8(body) {
            Ok(text) => text,
            Err(err) => {
                let seen = format!("bytes that are not UTF-8 (at byte {})", err.valid_up_to());
                not_an_event(out, "", seen, "a JSON object");
                return (None, None);
            }
        };
        if text.trim().is_empty() {
            not_an_event(out, "", "an empty body".to_owned(), "a JSON object");
            return (None, None);
        }
        let value: Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(err) => {
                let bom = if body.starts_with(b"\xEF\xBB\xBF") {
                    "; it starts with a UTF-8 byte-order mark, which JSON does not allow"
                } else {
                    ""
                };
                not_an_event(out, "", format!("not JSON ({err}{bom})"), "a JSON object");
                return (None, None);
            }
        };
        let Value::Object(fields) = &value else {
            not_an_event(out, "", json_type(&value).to_owned(), "a JSON object");
            return (None, None);
        };
        let event_id = fields.get("id").and_then(Value::as_str).map(str::to_owned);
        let event_type = match fields.get("type") {
            Some(Value::String(event_type)) => event_type.clone(),
            other => {
                let seen = other.map_or("nothing", json_type).to_owned();
                not_an_event(out, "/type", seen, "an event type");
                return (None, event_id);
            }
        };
        // Only an event's own definition, whose `type` lists the type: not the definitions that
        // share the prefix (any known event, the unknown event).
        let own = self
            .defs
            .get_key_value(&event_key(&event_type))
            .filter(|(_, schema)| {
                schema
                    .pointer("/properties/type/enum")
                    .and_then(Value::as_array)
                    .is_some_and(|types| types.iter().any(|t| t == event_type.as_str()))
            });
        let (key, schema) = match own {
            Some(found) => found,
            None => {
                out.push(Finding {
                    pointer: "/type".to_owned(),
                    kind: Kind::UnknownEventType,
                    owner: None,
                    seen: Value::from(event_type.as_str()).to_string(),
                    expected: "an event type of the catalog".to_owned(),
                });
                match self.defs.get_key_value(UNKNOWN_EVENT_KEY) {
                    Some(found) => found,
                    // A `--catalog` without it: nothing to walk the rest of the body against.
                    None => return (Some(event_type), event_id),
                }
            }
        };
        let before = out.len();
        pointer.clear();
        let ctx = Ctx {
            def: Some(key.as_str()),
            field: None,
        };
        self.walk(ctx, schema, &value, pointer, out);
        // Unknown fields and enum values are what the crate reads without failing, so a body with
        // only those is decoded too: it may fail elsewhere, where the schema walk cannot see.
        let additive = out[before..]
            .iter()
            .all(|f| matches!(f.kind, Kind::UnknownField | Kind::UnknownEnumValue));
        if additive && self.decode {
            // The crate has the last word on what decodes.
            if let Err(error) = deck_events::Event::from_slice(body) {
                let (pointer, seen) = match error.place() {
                    Some(place) => (
                        self.grouped(schema, place.pointer()),
                        place.problem().to_owned(),
                    ),
                    None => (String::new(), error.to_string()),
                };
                out.push(Finding {
                    pointer,
                    kind: Kind::DoesNotDecode,
                    owner: None,
                    seen,
                    expected: "a value the crate decodes".to_owned(),
                });
            }
        }
        (Some(event_type), event_id)
    }

    /// Checks `value` against `schema`, at `pointer` (array elements and map values as `*`).
    fn walk(
        &self,
        ctx: Ctx,
        schema: &'static Value,
        value: &Value,
        pointer: &mut String,
        out: &mut Vec<Finding>,
    ) {
        let schema_node = schema;
        let Some(schema) = schema.as_object() else {
            return;
        };
        let mut push = |kind: Kind, seen: String, expected: String| {
            let owner = match kind {
                Kind::NotNullable => ctx.field_owner(),
                // An open enum's values; a constant is not an enum of the spec.
                Kind::UnknownEnumValue if schema.contains_key("oneOf") => {
                    ctx.def.map(|def| Owner { def, field: None })
                }
                _ => None,
            };
            out.push(Finding {
                pointer: pointer.clone(),
                kind,
                owner,
                seen,
                expected,
            });
        };
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            if let Some((key, target)) = self.reference(reference) {
                let ctx = Ctx {
                    def: Some(key),
                    ..ctx
                };
                self.walk(ctx, target, value, pointer, out);
            }
            return;
        }
        if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
            // A nullable reference: the reference, or `null`.
            let nullable = branches.iter().any(is_null_branch);
            let other = branches.iter().find(|b| !is_null_branch(b));
            if value.is_null() {
                if !nullable {
                    push(Kind::NotNullable, "null".to_owned(), "a value".to_owned());
                }
            } else if let Some(other) = other {
                self.walk(ctx, other, value, pointer, out);
            }
            return;
        }
        if schema.contains_key("oneOf") {
            // An open enum: the known values, and a branch for values added later.
            if let Some(known) = open_enum_values(schema_node) {
                match value {
                    Value::String(text) if !known.iter().any(|k| k.as_str() == Some(text)) => push(
                        Kind::UnknownEnumValue,
                        value.to_string(),
                        format!("one of {} values", known.len()),
                    ),
                    Value::String(_) => {}
                    Value::Null => {
                        push(Kind::NotNullable, "null".to_owned(), "a string".to_owned())
                    }
                    other => push(
                        Kind::TypeMismatch,
                        json_type(other).to_owned(),
                        "a string".to_owned(),
                    ),
                }
            }
            return;
        }
        if let Some(constant) = schema.get("const") {
            match value {
                _ if value == constant => {}
                Value::String(_) => push(
                    Kind::UnknownEnumValue,
                    value.to_string(),
                    constant.to_string(),
                ),
                Value::Null => push(Kind::NotNullable, "null".to_owned(), constant.to_string()),
                other => push(
                    Kind::TypeMismatch,
                    json_type(other).to_owned(),
                    json_type(constant).to_owned(),
                ),
            }
            return;
        }
        // No `type`: free-form JSON, anything goes.
        let Some(types) = schema.get("type") else {
            return;
        };
        let types: Vec<&str> = match types {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => return,
        };
        if value.is_null() {
            if !types.contains(&"null") {
                push(Kind::NotNullable, "null".to_owned(), expected_types(&types));
            }
            return;
        }
        if !types.iter().any(|t| has_type(value, t)) {
            push(
                Kind::TypeMismatch,
                json_type(value).to_owned(),
                expected_types(&types),
            );
            return;
        }
        match value {
            Value::Object(fields) => self.walk_object(ctx, schema, fields, pointer, out),
            Value::Array(items) => {
                if let Some(item) = schema.get("items") {
                    let len = pointer.len();
                    pointer.push_str("/*");
                    for value in items {
                        self.walk(Ctx::default(), item, value, pointer, out);
                    }
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }

    fn walk_object(
        &self,
        ctx: Ctx,
        schema: &'static Map<String, Value>,
        fields: &Map<String, Value>,
        pointer: &mut String,
        out: &mut Vec<Finding>,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let map_values = schema
            .get("additionalProperties")
            .filter(|values| values.is_object());
        let len = pointer.len();
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !fields.contains_key(required) {
                push_token(pointer, required);
                out.push(Finding {
                    pointer: pointer.clone(),
                    kind: Kind::MissingField,
                    owner: None,
                    seen: "nothing".to_owned(),
                    expected: "a required field".to_owned(),
                });
                pointer.truncate(len);
            }
        }
        for (key, value) in fields {
            match (properties.and_then(|p| p.get_key_value(key)), map_values) {
                (Some((name, field)), _) => {
                    push_token(pointer, key);
                    let ctx = Ctx {
                        def: None,
                        field: ctx.def.map(|def| (def, name.as_str())),
                    };
                    self.walk(ctx, field, value, pointer, out);
                }
                (None, Some(values)) => {
                    pointer.push_str("/*");
                    self.walk(Ctx::default(), values, value, pointer, out);
                }
                (None, None) => {
                    push_token(pointer, key);
                    out.push(Finding {
                        pointer: pointer.clone(),
                        kind: Kind::UnknownField,
                        owner: ctx.def.map(|def| Owner {
                            def,
                            field: Some(key.clone()),
                        }),
                        seen: json_type(value).to_owned(),
                        expected: "no such field".to_owned(),
                    });
                }
            }
            pointer.truncate(len);
        }
    }
}

/// Whether `value` is of the JSON Schema type `name`.
fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "null" => value.is_null(),
        _ => true,
    }
}

/// The JSON type of a value, as JSON Schema names it.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn expected_types(types: &[&str]) -> String {
    types.join(" or ")
}

/// Appends a reference token to a JSON Pointer, escaped as RFC 6901 says.
fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    // A key is the body's to choose: keep a group's pointer, which is stored, short.
    let token = match token.char_indices().nth(MAX_TOKEN) {
        Some((end, _)) => &format!("{}…", &token[..end]),
        None => token,
    };
    if token.contains(['~', '/']) {
        pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
    } else {
        pointer.push_str(token);
    }
}

/// Where a body was first seen.
#[derive(Debug, Clone)]
struct Sighting {
    /// The file, with `:line` for NDJSON.
    source: String,
    event_id: Option<String>,
    webhook_id: Option<String>,
}

/// The findings of one event type, pointer and kind.
#[derive(Debug)]
struct Group {
    count: u64,
    /// Values or types seen, with counts; at most [`MAX_SEEN`], then `…`.
    seen: BTreeMap<String, u64>,
    expected: String,
    first: Sighting,
    /// Where a spec edit would fix it, from the first finding.
    owner: Option<Owner>,
}

/// The findings of a run.
#[derive(Default)]
struct Report {
    bodies: u64,
    drifting: u64,
    files: u64,
    /// Inputs that could not be read (a line each on standard error).
    unreadable: u64,
    /// Findings past [`MAX_GROUPS`].
    ungrouped: u64,
    /// Bodies that are not events (the first [`MAX_NOTES`] have a line on standard error).
    notes: u64,
    groups: BTreeMap<(String, String, Kind), Group>,
}

/// Reads bodies and keeps the report.
struct Checker {
    catalog: Catalog,
    report: Report,
    pointer: String,
    findings: Vec<Finding>,
}

impl Checker {
    fn body(&mut self, body: &[u8], source: impl FnOnce() -> String, webhook_id: Option<String>) {
        self.report.bodies += 1;
        self.findings.clear();
        let (event_type, event_id) =
            self.catalog
                .check_body(body, &mut self.pointer, &mut self.findings);
        if self.findings.is_empty() {
            return;
        }
        self.report.drifting += 1;
        let first = Sighting {
            source: source(),
            event_id,
            webhook_id,
        };
        let event_type = event_type.unwrap_or_default();
        for finding in self.findings.drain(..) {
            if finding.kind == Kind::NotAnEvent {
                self.report.notes += 1;
                if self.report.notes <= MAX_NOTES {
                    style::note(&format!("{}: not an event: {}", first.source, finding.seen));
                }
            }
            let key = (event_type.clone(), finding.pointer, finding.kind);
            let groups = self.report.groups.len();
            let group = match self.report.groups.get_mut(&key) {
                Some(group) => group,
                None if groups >= MAX_GROUPS => {
                    self.report.ungrouped += 1;
                    continue;
                }
                None => self.report.groups.entry(key).or_insert_with(|| Group {
                    count: 0,
                    seen: BTreeMap::new(),
                    expected: finding.expected,
                    first: first.clone(),
                    owner: finding.owner,
                }),
            };
            group.count += 1;
            if group.seen.len() < MAX_SEEN || group.seen.contains_key(&finding.seen) {
                *group.seen.entry(finding.seen).or_default() += 1;
            } else {
                *group.seen.entry("…".to_owned()).or_default() += 1;
            }
        }
    }

    /// A line on standard error about an input that could not be read.
    fn unreadable(&mut self, source: &str, problem: &str) {
        self.report.unreadable += 1;
        style::error(&format!("{source}: {problem}"));
    }

    fn input(&mut self, input: &Input) {
        match input {
            Input::Stdin => {
                self.report.files += 1;
                self.ndjson(&mut io::stdin().lock(), "-");
            }
            Input::Path(path) => match std::fs::metadata(path) {
                Ok(meta) if meta.is_dir() => self.dir(path),
                Ok(_) => self.file(path, is_ndjson(path)),
                Err(err) => self.unreadable(&path.display().to_string(), &err.to_string()),
            },
        }
    }

    fn dir(&mut self, dir: &Path) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) => return self.unreadable(&dir.display().to_string(), &err.to_string()),
        };
        // Sorted, so that the first sighting of a finding does not depend on the file system.
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => paths.push(entry.path()),
                Err(err) => self.unreadable(&dir.display().to_string(), &err.to_string()),
            }
        }
        paths.sort();
        for path in paths {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if name.ends_with(".meta.json") || name.ends_with(".partial") {
                continue;
            }
            let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
            match std::fs::metadata(&path) {
                // A link to a directory could lead back up the tree: name such a directory to
                // read it.
                Ok(meta) if meta.is_dir() && link => {}
                Ok(meta) if meta.is_dir() => self.dir(&path),
                Ok(_) if is_ndjson(&path) => self.file(&path, true),
                Ok(_) if name.ends_with(".body") || name.ends_with(".json") => {
                    self.file(&path, false)
                }
                Ok(_) => {}
                // Gone since the directory was listed, or unreadable.
                Err(err) => self.unreadable(&path.display().to_string(), &err.to_string()),
            }
        }
    }

    fn file(&mut self, path: &Path, ndjson: bool) {
        let source = path.display().to_string();
        let file = match File::open(path) {
            Ok(file) => file,
            Err(err) => return self.unreadable(&source, &err.to_string()),
        };
        self.report.files += 1;
        if ndjson {
            return self.ndjson(&mut BufReader::with_capacity(1 << 16, file), &source);
        }
        let mut body = Vec::new();
        match file.take(MAX_BODY as u64 + 1).read_to_end(&mut body) {
            Ok(_) if body.len() > MAX_BODY => {
                self.unreadable(&source, &format!("larger than {} MiB", MAX_BODY >> 20))
            }
            Ok(_) => {
                let webhook_id = dead_letter_webhook_id(path);
                self.body(&body, || source.clone(), webhook_id);
            }
            Err(err) => self.unreadable(&source, &err.to_string()),
        }
    }

    fn ndjson(&mut self, reader: &mut dyn BufRead, source: &str) {
        let mut line = Vec::new();
        let mut number = 0u64;
        loop {
            number += 1;
            match read_line(reader, &mut line) {
                Ok(None) => return,
                Ok(Some(false)) => {
                    let body = line.strip_suffix(b"\r").unwrap_or(&line);
                    if body.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    self.body(body, || format!("{source}:{number}"), None);
                }
                Ok(Some(true)) => self.unreadable(
                    &format!("{source}:{number}"),
                    &format!("line longer than {} MiB", MAX_BODY >> 20),
                ),
                Err(err) => {
                    return self.unreadable(&format!("{source}:{number}"), &err.to_string());
                }
            }
        }
    }
}

fn is_ndjson(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("ndjson" | "jsonl")
    )
}

/// The `webhook_id` of a dead letter's meta file beside `path`, if `path` is `<stem>.body`.
fn dead_letter_webhook_id(path: &Path) -> Option<String> {
    let stem = path.file_name()?.to_str()?.strip_suffix(".body")?;
    let meta = std::fs::read(path.with_file_name(format!("{stem}.meta.json"))).ok()?;
    let meta: Value = serde_json::from_slice(&meta).ok()?;
    meta.get("webhook_id")?.as_str().map(str::to_owned)
}

/// Reads one line into `line`, without its `\n`: `None` at the end, `Some(true)` when the line
/// was longer than [`MAX_BODY`] (then skipped, and `line` left empty).
fn read_line(reader: &mut dyn BufRead, line: &mut Vec<u8>) -> io::Result<Option<bool>> {
    line.clear();
    let mut any = false;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(any.then_some(too_long));
        }
        any = true;
        let newline = available.iter().position(|&b| b == b'\n');
        let chunk = &available[..newline.unwrap_or(available.len())];
        if !too_long {
            if line.len() + chunk.len() > MAX_BODY {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        let used = newline.map_or(available.len(), |at| at + 1);
        reader.consume(used);
        if newline.is_some() {
            return Ok(Some(too_long));
        }
    }
}

/// Runs `check`: `Ok(true)` when nothing drifted and every input was read.
pub fn run(args: CheckArgs) -> Result<bool, Failure> {
    if let Some(path) = &args.catalog {
        crate::schema::load(path)?;
    }
    let mut checker = Checker {
        catalog: Catalog {
            defs: crate::schema::defs(),
            decode: args.catalog.is_none(),
        },
        report: Report::default(),
        pointer: String::new(),
        findings: Vec::new(),
    };
    for input in &args.paths {
        checker.input(input);
    }
    let report = checker.report;
    if report.notes > MAX_NOTES {
        style::note(&format!(
            "{} more bodies are not events (counted in the report)",
            report.notes - MAX_NOTES
        ));
    }
    let text = match (args.format, args.suggest) {
        (Format::Text, false) => render_text(&report),
        (Format::Json, false) => render_json(&report),
        (Format::Text, true) => suggest_text(&report),
        (Format::Json, true) => suggest_json(&report),
    };
    style::result(text.trim_end())?;
    Ok(report.drifting == 0 && report.unreadable == 0)
}

fn render_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "checked {} in {}: {}",
        plural(report.bodies, "body", "bodies"),
        plural(report.files, "input", "inputs"),
        if report.drifting == 0 {
            "no drift".to_owned()
        } else {
            format!("{} drift from the catalog", report.drifting)
        }
    );
    if report.unreadable > 0 {
        let _ = writeln!(
            out,
            "{} could not be read (see above)",
            plural(report.unreadable, "input", "inputs")
        );
    }
    if report.groups.is_empty() {
        return out;
    }
    let header = [
        "EVENT TYPE",
        "POINTER",
        "FINDING",
        "COUNT",
        "SEEN",
        "EXPECTED",
        "FIRST",
    ];
    let rows: Vec<[String; 7]> = report
        .groups
        .iter()
        .map(|((event_type, pointer, kind), group)| {
            let seen: Vec<String> = group
                .seen
                .iter()
                .map(|(seen, count)| {
                    if group.seen.len() == 1 {
                        seen.clone()
                    } else {
                        format!("{seen} ×{count}")
                    }
                })
                .collect();
            [
                if event_type.is_empty() {
                    "-".to_owned()
                } else {
                    event_type.clone()
                },
                if pointer.is_empty() {
                    "(body)".to_owned()
                } else {
                    pointer.clone()
                },
                kind.name().to_owned(),
                group.count.to_string(),
                seen.join(", "),
                group.expected.clone(),
                first_text(&group.first),
            ]
            // Keys, ids and types come from the bodies: a control character would break the row.
            .map(|cell| printable(&cell))
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let _ = writeln!(out);
    let mut line = |cells: [&str; 7]| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if i == 3 {
                let _ = write!(text, "{cell:>width$}  ");
            } else if i == 6 {
                text.push_str(cell);
            } else {
                let _ = write!(text, "{cell:<width$}  ");
            }
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(header);
    for row in &rows {
        line(row.each_ref().map(String::as_str));
    }
    if report.ungrouped > 0 {
        let _ = writeln!(
            out,
            "and {} findings past {MAX_GROUPS} groups",
            report.ungrouped
        );
    }
    out
}

/// `1 body`, `2 bodies`.
fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn first_text(first: &Sighting) -> String {
    match (&first.event_id, &first.webhook_id) {
        (Some(event), _) => format!("{event} ({})", first.source),
        (None, Some(webhook)) => format!("webhook-id {webhook} ({})", first.source),
        (None, None) => first.source.clone(),
    }
}

fn render_json(report: &Report) -> String {
    let findings: Vec<Value> = report
        .groups
        .iter()
        .map(|((event_type, pointer, kind), group)| {
            serde_json::json!({
                "event_type": if event_type.is_empty() { Value::Null } else { Value::from(event_type.as_str()) },
                "pointer": pointer,
                "kind": kind.name(),
                "count": group.count,
                "seen": group.seen,
                "expected": group.expected,
                "first": {
                    "source": group.first.source,
                    "event_id": group.first.event_id,
                    "webhook_id": group.first.webhook_id,
                },
            })
        })
        .collect();
    let json = serde_json::json!({
        "bodies": report.bodies,
        "inputs": report.files,
        "drifting": report.drifting,
        "unreadable": report.unreadable,
        "ungrouped": report.ungrouped,
        "findings": findings,
    });
    serde_json::to_string_pretty(&json).expect("JSON values serialize")
}

/// One spec edit: insert `key: value` into the mapping at `path` of `file`.
#[derive(Debug)]
struct Edit {
    /// The spec file, as `spec/<file>`.
    file: String,
    /// The spec name of the type the edit changes.
    type_name: &'static str,
    /// The YAML path to the mapping the key goes into.
    path: Vec<String>,
    key: String,
    value: Value,
    /// Why the edit is a breaking change for consumers, when it is.
    breaking: Option<&'static str>,
}

/// The edits that would make the catalog match, and what a person must decide.
fn suggestions(report: &Report) -> (Vec<Edit>, Vec<String>) {
    let mut edits: BTreeMap<(String, Vec<String>, String), Edit> = BTreeMap::new();
    let mut comments = Vec::new();
    // A type's unknown field can be seen under several event types, each a group of its own: its
    // edit takes what all of them saw (JSON types, count, and how many groups).
    // The envelope's fields are held by every event's definition, and written in one place.
    let place_of = |def: &str| places::PLACES.iter().position(|(key, ..)| *key == def);
    let spot = |index: usize| {
        let (_, _, file, path) = places::PLACES[index];
        (file, path)
    };
    let mut fields_seen: BTreeMap<_, (BTreeSet<&str>, u64, usize)> = BTreeMap::new();
    for ((_, _, kind), group) in &report.groups {
        if let (Kind::UnknownField, Some(owner)) = (kind, &group.owner) {
            let Some(place) = place_of(owner.def) else {
                continue;
            };
            let field = owner.field.as_deref().unwrap_or_default();
            let seen = fields_seen.entry((spot(place), field)).or_default();
            seen.0.extend(group.seen.keys().map(String::as_str));
            seen.1 += group.count;
            seen.2 += 1;
        }
    }
    for ((event_type, pointer, kind), group) in &report.groups {
        let place = group.owner.as_ref().and_then(|owner| {
            let (_, name, file, path) =
                places::PLACES.iter().find(|(key, ..)| *key == owner.def)?;
            Some((owner, *name, format!("spec/{file}"), path))
        });
        // How often it was seen; the group's first sighting only when it is this one's.
        let seen_in = |what: &str, count: u64, first: bool| {
            let first = match &group.first.event_id {
                Some(id) if first => format!(", first {id}"),
                _ => String::new(),
            };
            format!(
                "{what} (in {count} of {} bodies checked{first}); describe it.",
                report.bodies
            )
        };
        let mut edit =
            |file: String, type_name, path: Vec<String>, key: String, value, breaking| {
                edits
                    .entry((file.clone(), path.clone(), key.clone()))
                    .or_insert(Edit {
                        file,
                        type_name,
                        path,
                        key,
                        value,
                        breaking,
                    });
            };
        let path_of = |path: &[&str], rest: &[&str]| -> Vec<String> {
            path.iter()
                .chain(rest)
                .map(|key| (*key).to_owned())
                .collect()
        };
        match (kind, place) {
            (Kind::UnknownField, Some((owner, name, file, path))) => {
                let key = owner.field.clone().unwrap_or_default();
                let merged = place_of(owner.def)
                    .and_then(|place| fields_seen.get(&(spot(place), key.as_str())));
                let Some((seen, count, groups)) = merged else {
                    continue;
                };
                let types: Vec<&str> = seen.iter().copied().filter(|t| *t != "null").collect();
                let spec_type = match types.as_slice() {
                    ["string"] => "string",
                    ["integer"] => "integer",
                    ["number"] | ["integer", "number"] => "number",
                    ["boolean"] => "boolean",
                    _ => "json",
                };
                let mut field = Map::new();
                field.insert("type".into(), spec_type.into());
                field.insert("optional".into(), true.into());
                if seen.contains("null") {
                    field.insert("nullable".into(), true.into());
                }
                let description = seen_in("Seen in deliveries", *count, *groups == 1);
                field.insert("description".into(), description.into());
                let path = path_of(path, &["fields"]);
                edit(file, name, path, key, Value::Object(field), None);
            }
            (Kind::UnknownEnumValue, Some((_, name, file, path))) => {
                let several = group.seen.len() > 1;
                for (value, count) in &group.seen {
                    if let Ok(Value::String(value)) = serde_json::from_str(value) {
                        let description = seen_in("Seen in deliveries", *count, !several);
                        edit(
                            file.clone(),
                            name,
                            path_of(path, &["values"]),
                            value,
                            description.into(),
                            None,
                        );
                    }
                }
            }
            (Kind::NotNullable, Some((owner, name, file, path))) => {
                let field = owner.field.clone().unwrap_or_default();
                // The semver gate's verdict on this very edit, computed when the tool was built.
                let breaking = places::NULLABLE
                    .iter()
                    .find(|(def, name, _)| *def == owner.def && *name == field)
                    .map(|(_, _, verdict)| *verdict);
                match breaking {
                    Some(breaking) => edit(
                        file,
                        name,
                        path_of(path, &["fields", &field]),
                        "nullable".to_owned(),
                        true.into(),
                        breaking,
                    ),
                    None => comments.push(format!(
                        "{} {pointer} ({event_type}): no field of the spec to make nullable",
                        kind.name()
                    )),
                }
            }
            (Kind::NotAnEvent, _) => {}
            _ => comments.push(format!(
                "{} {} ({}, {}): {}",
                kind.name(),
                if pointer.is_empty() {
                    "(body)"
                } else {
                    pointer
                },
                if event_type.is_empty() {
                    "-"
                } else {
                    event_type
                },
                plural(group.count, "body", "bodies"),
                match kind {
                    Kind::UnknownEventType => {
                        "a new event type; a person must decide its resource and payload"
                    }
                    Kind::MissingField | Kind::TypeMismatch => {
                        "changing the spec here would break consumers; a person must decide"
                    }
                    _ => "no spec edit is suggested; a person must decide",
                }
            )),
        }
    }
    (edits.into_values().collect(), comments)
}

/// A YAML scalar: plain when it is a simple word, else a JSON string (valid YAML).
/// `text` with control characters escaped (`\n`), for one line of a table.
fn printable(text: &str) -> String {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        text.to_owned()
    }
}

fn yaml_scalar(value: &Value) -> String {
    match value {
        // Plain only when YAML reads it back as this string: a name starting with a letter or
        // `_`, and no word YAML (1.1 or 1.2) reads as a boolean or null.
        Value::String(text)
            if text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                && !matches!(
                    text.to_ascii_lowercase().as_str(),
                    "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
                ) =>
        {
            text.clone()
        }
        other => other.to_string(),
    }
}

fn suggest_text(report: &Report) -> String {
    let (edits, comments) = suggestions(report);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# checked {}: {} spec {}",
        plural(report.bodies, "body", "bodies"),
        edits.len(),
        if edits.len() == 1 { "edit" } else { "edits" }
    );
    for edit in &edits {
        let mapping = edit.path.last().map_or("", String::as_str);
        let _ = writeln!(
            out,
            "\n# {} — type {}, under `{}` ({})",
            edit.file,
            edit.type_name,
            mapping,
            edit.path.join(".")
        );
        if let Some(breaking) = edit.breaking {
            let _ = writeln!(out, "# breaking: {breaking}");
        }
        let indent = "  ".repeat(edit.path.len());
        let key = yaml_scalar(&Value::from(edit.key.as_str()));
        match &edit.value {
            Value::Object(fields) => {
                let _ = writeln!(out, "{indent}{key}:");
                // In the order the spec's own files write a field's keys.
                for name in ["type", "optional", "nullable", "description"] {
                    if let Some(value) = fields.get(name) {
                        let _ = writeln!(out, "{indent}  {name}: {}", yaml_scalar(value));
                    }
                }
            }
            value => {
                let _ = writeln!(out, "{indent}{key}: {}", yaml_scalar(value));
            }
        }
    }
    for comment in &comments {
        let _ = writeln!(out, "\n# {comment}");
    }
    out
}

fn suggest_json(report: &Report) -> String {
    let (edits, comments) = suggestions(report);
    let edits: Vec<Value> = edits
        .into_iter()
        .map(|edit| {
            serde_json::json!({
                "file": edit.file,
                "type": edit.type_name,
                "path": edit.path,
                "edit": { "key": edit.key, "value": edit.value },
                "breaking": edit.breaking,
            })
        })
        .collect();
    let json = serde_json::json!({ "edits": edits, "comments": comments });
    serde_json::to_string_pretty(&json).expect("JSON values serialize")
}
