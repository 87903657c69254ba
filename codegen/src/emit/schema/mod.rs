//! Stage 3, JSON Schema emitter: reads the resolved [`Model`] and writes draft 2020-12 schemas
//! under `schemas/`.
//!
//! Layout (paths relative to the output directory, `$id`s relative to [`base_id`]):
//!
//! - `schemas/envelope.schema.json`: the catalog. It accepts any event and holds every definition
//!   in `$defs`, with only local `#/$defs/…` references, so it is self-contained: type generators
//!   that cannot follow references across files (typify) read it alone.
//! - `schemas/events/<event type>.schema.json`: one entry point per event type, a reference to its
//!   definition in the catalog plus the spec's example events.
//! - `schemas/resources/<slug>.schema.json`: one entry point per named type (resources, nested
//!   objects, enums, IDs), a reference to its definition in the catalog.
//!
//! Every shape is written once, in the catalog; everything else refers to it. A document that
//! embeds the catalog's definitions instead of referring to its file (the OpenAPI document) takes
//! them from [`definitions`] and [`any_event`], built by the same functions with its own [`Defs`]. The policy on open
//! enums, unknown event types and unknown fields is in `spec/README.md` ("JSON Schemas: open
//! enums and unknown events"), and the functions that apply it say so.

mod events;
mod shapes;

use serde_json::{Map, Value, json};

use crate::model::{Markers, Model, Version};
use crate::output::Outputs;

pub use events::{ANY_KEY, UNKNOWN_KEY, any_event, definitions, event_key};

/// The meta-schema every emitted schema declares.
pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Output path of the catalog, relative to the output directory.
pub const ENVELOPE_PATH: &str = "schemas/envelope.schema.json";

/// Writes the catalog and the entry points of every event and named type.
pub fn emit(model: &Model, out: &mut Outputs) {
    let base = base_id(model);
    out.add(ENVELOPE_PATH, render(&events::catalog(model, &base)));
    for event in &model.events {
        out.add(
            event_path(&event.name),
            render(&events::event_entry(model, event, &base)),
        );
    }
    for ty in &model.types {
        out.add(
            resource_path(&ty.slug),
            render(&shapes::type_entry(model, ty, &base)),
        );
    }
}

/// Where the catalog's definitions live in the document that holds them, which decides how they
/// refer to each other: in the catalog, its `$defs`; in a document that embeds them (OpenAPI's
/// `components.schemas`), wherever that document puts them. Every shape is built once, by the
/// same functions, whichever document it goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Defs {
    pointer: &'static str,
}

impl Defs {
    /// The catalog's own `$defs`.
    pub const CATALOG: Defs = Defs {
        pointer: "#/$defs/",
    };

    /// Definitions under `pointer`, a same-document URI fragment ending in `/`
    /// (`#/components/schemas/`).
    ///
    /// # Panics
    /// If `pointer` is not of that form: the caller's constant is wrong (in a constant, the
    /// build fails).
    pub const fn at(pointer: &'static str) -> Defs {
        let bytes = pointer.as_bytes();
        assert!(
            bytes.len() > 2
                && bytes[0] == b'#'
                && bytes[1] == b'/'
                && bytes[bytes.len() - 1] == b'/',
            "the definitions' pointer is not a `#/…/` fragment"
        );
        Defs { pointer }
    }

    /// The fragment every reference starts with.
    fn pointer(self) -> &'static str {
        self.pointer
    }

    /// A reference (`{"$ref": …}`) to the definition `key`.
    pub fn reference(self, key: &str) -> Value {
        shapes::local_ref(self, key)
    }
}

/// Output path of an event's entry point.
pub fn event_path(wire: &str) -> String {
    format!("schemas/events/{wire}.schema.json")
}

/// Output path of a named type's entry point.
pub fn resource_path(slug: &str) -> String {
    format!("schemas/resources/{slug}.schema.json")
}

/// The `$id` every output path maps to: the base followed by the path below `schemas/`.
pub fn id_of(base: &str, path: &str) -> String {
    let rel = path
        .strip_prefix("schemas/")
        .expect("schema outputs live under schemas/");
    format!("{base}{rel}")
}

/// The base of every `$id`: the spec's `schema_base_url` followed by the compatibility line of
/// the spec version (`v1/` for 1.x.y, `v0.3/` for 0.3.z, `v0.0.4/` for 0.0.4).
///
/// A compatible release keeps the `$id`s, because the schemas of one line accept every payload of
/// the later versions of that line (they are open to new fields, enum values and event types); a
/// breaking release moves every `$id`, so a consumer that pinned one never sees a schema that
/// rejects what it was written for. The line follows Cargo's reading of semver, so the crate and
/// the schemas break together.
pub fn base_id(model: &Model) -> String {
    format!(
        "{}{}/",
        model.package.schema_base_url,
        compat_line(model.package.version)
    )
}

fn compat_line(v: Version) -> String {
    match (v.major, v.minor) {
        (0, 0) => format!("v0.0.{}", v.patch),
        (0, minor) => format!("v0.{minor}"),
        (major, _) => format!("v{major}"),
    }
}

/// The keys every schema document starts with.
fn document(model: &Model, base: &str, path: &str) -> Map<String, Value> {
    let mut doc = Map::new();
    doc.insert("$schema".into(), json!(DRAFT));
    doc.insert("$id".into(), json!(id_of(base, path)));
    doc.insert("$comment".into(), json!(crate::emit::spec_note(model)));
    doc
}

/// Adds the lifecycle annotations of an item ([`marker_entries`]).
fn add_markers(schema: &mut Map<String, Value>, markers: &Markers) {
    for (key, value) in marker_entries(markers) {
        schema.insert(key.into(), value);
    }
}

/// The lifecycle annotations of an item, in order. `deprecated` is the standard annotation; the
/// reason and `since` have no standard keyword, so they use `x-` extensions, which validators
/// ignore. The AsyncAPI document annotates its messages with the same entries.
pub(crate) fn marker_entries(markers: &Markers) -> Vec<(&'static str, Value)> {
    let Markers { deprecated, since } = markers;
    let mut entries = Vec::new();
    if let Some(reason) = deprecated {
        entries.push(("deprecated", json!(true)));
        if !reason.is_empty() {
            entries.push(("x-deprecated-reason", json!(reason)));
        }
    }
    if let Some(since) = since {
        entries.push(("x-since", json!(since.to_string())));
    }
    entries
}

/// Adds a `description` unless it is empty (an empty annotation only adds noise).
fn add_description(schema: &mut Map<String, Value>, description: &str) {
    if !description.is_empty() {
        schema.insert("description".into(), json!(description));
    }
}

/// Pretty-prints a schema: two-space indent, keys sorted (serde_json's `Map` is a `BTreeMap`
/// because nothing in the workspace enables `preserve_order`), and a trailing newline.
fn render(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("a Value always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(major: u64, minor: u64, patch: u64) -> Version {
        Version {
            major,
            minor,
            patch,
        }
    }

    #[test]
    fn compat_line_follows_cargo_semver() {
        assert_eq!(compat_line(v(0, 0, 4)), "v0.0.4");
        assert_eq!(compat_line(v(0, 3, 7)), "v0.3");
        assert_eq!(compat_line(v(1, 0, 0)), "v1");
        assert_eq!(compat_line(v(2, 5, 1)), "v2");
    }

    #[test]
    fn ids_drop_the_schemas_directory() {
        let id = id_of("https://x.test/events/v1/", &event_path("a.b"));
        assert_eq!(id, "https://x.test/events/v1/events/a.b.schema.json");
    }
}
