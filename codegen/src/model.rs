//! Stage 2 output: the resolved model of a spec, which every emitter reads.
//!
//! Built by the `lower` stage from the raw spec once it has passed every check. Every reference is
//! resolved to an index, and every collection is in the spec's order, so emitters can walk the
//! model and produce deterministic output without sorting or looking anything up by name.
//!
//! The model is neutral: it holds the spec's facts, named as the spec names them, and nothing that
//! only one output needs. Rust identifiers, boxing and the JSON the Rust crate writes back are the
//! Rust emitter's (`emit::rust`), derived from these facts by the naming policy in `names`, which
//! the checker has already run over every name.

use std::fmt;

/// The whole spec, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The package section: names and version of the outputs.
    pub package: Package,
    /// The event envelope.
    pub envelope: Envelope,
    /// Every named type, including inline enums and objects hoisted out of fields, in spec order
    /// (include order, then order inside a file; a hoisted type comes right after its parent).
    pub types: Vec<TypeDef>,
    /// The resource groups, in include order.
    pub groups: Vec<Group>,
    /// Every event type, in spec order (which is also group order).
    pub events: Vec<EventDef>,
}

impl Model {
    /// The type a [`TypeId`] points at.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The group a [`GroupId`] points at.
    pub fn group(&self, id: GroupId) -> &Group {
        &self.groups[id.0]
    }

    /// The event a [`EventId`] points at.
    pub fn event(&self, id: EventId) -> &EventDef {
        &self.events[id.0]
    }

    /// The events of a group, in spec order.
    pub fn group_events<'a>(&'a self, group: &'a Group) -> impl Iterator<Item = &'a EventDef> + 'a {
        group.events.iter().map(|&e| self.event(e))
    }

    /// The events whose `data` is the given type, in spec order.
    pub fn events_carrying(&self, id: TypeId) -> impl Iterator<Item = &EventDef> + '_ {
        self.events.iter().filter(move |e| e.data == id)
    }
}

/// Index of a type in [`Model::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Index of a group in [`Model::groups`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupId(pub usize);

/// Index of an event type in [`Model::events`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(pub usize);

/// The package section.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    /// Cargo package name (`deck-events`).
    pub name: String,
    /// Rust library name (`deck_events`).
    pub lib_name: String,
    /// The spec's version, also the crate's version.
    pub version: Version,
    /// Title of the catalog (docs site title).
    pub title: String,
    /// Markdown description.
    pub description: String,
    /// Base URL of the JSON Schema `$id`s, always ending in `/`.
    pub schema_base_url: String,
    /// How deliveries are signed.
    pub signing: Signing,
    /// Markdown: how deliveries behave (acknowledgement, retries, ordering, deduplication); empty
    /// when the spec does not say.
    pub delivery: String,
    /// What a package registry shows of the generated crate.
    pub metadata: PackageMetadata,
}

/// The generated crate's registry metadata (`license`, `repository`, `keywords`, `categories` in
/// its `Cargo.toml`); every key is optional in the spec.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PackageMetadata {
    /// SPDX license expression (`MIT OR Apache-2.0`).
    pub license: Option<String>,
    /// URL of the source repository.
    pub repository: Option<String>,
    /// Search keywords, at most five.
    pub keywords: Vec<String>,
    /// crates.io category slugs, at most five.
    pub categories: Vec<String>,
}

/// A semantic version `major.minor.patch` (pre-release and build metadata are not used by specs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major version.
    pub major: u64,
    /// Minor version.
    pub minor: u64,
    /// Patch version.
    pub patch: u64,
}

impl Version {
    /// `major.minor.patch`, in a constant.
    pub const fn new(major: u64, minor: u64, patch: u64) -> Version {
        Version {
            major,
            minor,
            patch,
        }
    }

    /// Parses `major.minor.patch`.
    pub fn parse(s: &str) -> Option<Version> {
        let mut parts = s.split('.');
        let mut next = || -> Option<u64> {
            let p = parts.next()?;
            // Leading zeros are not semver, and `+`/`-` would make u64 parsing accept junk.
            if p.is_empty()
                || (p.len() > 1 && p.starts_with('0'))
                || !p.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            p.parse().ok()
        };
        let v = Version {
            major: next()?,
            minor: next()?,
            patch: next()?,
        };
        parts.next().is_none().then_some(v)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The delivery signing scheme a spec declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    /// Deliveries are not signed (or the spec does not say).
    None,
    /// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`, `whsec_` secrets.
    StandardWebhooks,
}

/// Lifecycle markers shared by types, fields, enum values and events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Markers {
    /// `Some` when deprecated; the string is the reason or replacement (may be empty).
    pub deprecated: Option<String>,
    /// The spec version that introduced the item.
    pub since: Option<Version>,
}

/// A source position, for tools that point back at the spec (docs "edit" links, diff reports).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// Path of the spec file, relative to the spec directory, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

/// The envelope: the event object's own fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// Markdown description of an event.
    pub description: String,
    /// All fields in wire order, including the discriminator and the payload.
    pub fields: Vec<Field>,
    /// Index in `fields` of the `event_type` field (the discriminator, usually `type`).
    pub type_field: usize,
    /// Index in `fields` of the `event_data` field (the payload, usually `data`).
    pub data_field: usize,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The spec's name (`TaskRun`, or `TaskRunStatus` for a hoisted inline type).
    pub name: String,
    /// Markdown description.
    pub description: String,
    /// What kind of type it is.
    pub kind: TypeKind,
    /// Lifecycle markers.
    pub markers: Markers,
    /// Anchor for docs and `$defs` keys: the snake_case form of the name (`task_run_status`).
    pub slug: String,
    /// Where it is defined.
    pub origin: Origin,
}

/// The kinds of named types.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A typed ID with its documented prefix (`trun_`); the prefix is never used to reject data.
    Id {
        /// Documented prefix, including the trailing `_`.
        prefix: String,
    },
    /// An open string enum: unknown values are kept.
    Enum {
        /// The known values, in spec order.
        values: Vec<EnumValue>,
    },
    /// An object with fields.
    Object {
        /// Fields in spec order.
        fields: Vec<Field>,
        /// Set when the object is a resource: its events are `resource.action`.
        resource: Option<Resource>,
    },
}

/// What makes an object a resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The object part of its event names (`task_run`).
    pub object: String,
    /// Human title (`Task run`).
    pub title: String,
    /// Its group.
    pub group: GroupId,
}

/// A value of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The value as sent (`in_progress`).
    pub name: String,
    /// Markdown description.
    pub description: String,
    /// Lifecycle markers.
    pub markers: Markers,
}

/// A field of an object or of the envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON key.
    pub name: String,
    /// Markdown description.
    pub description: String,
    /// The field's type.
    pub ty: TypeRef,
    /// The field may be absent.
    pub optional: bool,
    /// The field may be `null`.
    pub nullable: bool,
    /// A `string` field that always carries this value (`"task_run"` for `object`).
    pub constant: Option<String>,
    /// The field refers to a type that can contain the field's own parent without an array or map
    /// in between: a payload may nest the parent inside itself through it. (The Rust crate boxes
    /// such a field, so its struct has a finite size.)
    pub recursive: bool,
    /// Lifecycle markers.
    pub markers: Markers,
    /// Where it is defined.
    pub origin: Origin,
}

impl Field {
    /// The field is required and non-null: it is always present with a value.
    pub fn always_present(&self) -> bool {
        !self.optional && !self.nullable
    }
}

/// A type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// `string`.
    String,
    /// `integer` (i64).
    Integer,
    /// `number` (f64).
    Number,
    /// `boolean`.
    Boolean,
    /// `datetime` (RFC 3339).
    DateTime,
    /// `url`.
    Url,
    /// `json`: any value.
    Json,
    /// `array<T>`.
    Array(Box<TypeRef>),
    /// `map<T>`: string keys.
    Map(Box<TypeRef>),
    /// A named type.
    Named(TypeId),
    /// The envelope's discriminator (`event_type`); only in the envelope.
    EventType,
    /// The envelope's payload (`event_data`); only in the envelope.
    EventData,
}

impl TypeRef {
    /// The spec's keyword for a type that is written as one word (`string`, `datetime`,
    /// `event_type`, ...); `None` for arrays, maps and named types.
    pub fn keyword(&self) -> Option<&'static str> {
        Some(match self {
            TypeRef::String => "string",
            TypeRef::Integer => "integer",
            TypeRef::Number => "number",
            TypeRef::Boolean => "boolean",
            TypeRef::DateTime => "datetime",
            TypeRef::Url => "url",
            TypeRef::Json => "json",
            TypeRef::EventType => "event_type",
            TypeRef::EventData => "event_data",
            TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Named(_) => return None,
        })
    }
}

/// A group of events: one resource and its events.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Human title (`Task run`).
    pub title: String,
    /// The object part of the group's event names (`task_run`).
    pub object: String,
    /// The resource type.
    pub resource: TypeId,
    /// Its events, in spec order.
    pub events: Vec<EventId>,
    /// Docs anchor / file stem (`task_run`).
    pub slug: String,
}

/// An event type.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDef {
    /// The event type, `task_run.completed`.
    pub name: String,
    /// The object part (`task_run`).
    pub object: String,
    /// The action part (`completed`).
    pub action: String,
    /// "Fired when" description, Markdown.
    pub description: String,
    /// The shape of `data`.
    pub data: TypeId,
    /// Its group.
    pub group: GroupId,
    /// Example payloads (whole events), each valid under the spec.
    pub examples: Vec<Example>,
    /// Lifecycle markers.
    pub markers: Markers,
    /// Where it is defined.
    pub origin: Origin,
}

/// An example payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The whole event as JSON. `serde_json` sorts object keys; use `text` to show it.
    pub json: serde_json::Value,
    /// The same event as pretty-printed JSON, keys in the spec's order (for docs and tests).
    pub text: String,
}
