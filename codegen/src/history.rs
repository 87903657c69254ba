//! Shared facts, a spec's history: which recorded release made each change to an item, and
//! whether the version being documented is released. The diff engine fills it
//! ([`crate::diff::history`]); the docs site shows it. It lives here, owned by neither, because
//! both need the addresses of items ([`Target`]).

use std::collections::BTreeMap;
use std::fmt;

use crate::model::Version;

/// The address of an item of a spec, by its spec names: what a change is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// The whole spec (added or removed).
    Spec,
    /// The package: name, title, signing, metadata.
    Package,
    /// The envelope's own description.
    Envelope,
    /// The generated crate, changed by the generator rather than the spec.
    Crate,
    /// An event type, by wire name.
    Event(String),
    /// A named type.
    Type(String),
    /// A field of the envelope (`owner` `None`) or of an object type.
    Field {
        /// The object type, or `None` for the envelope.
        owner: Option<String>,
        /// The field's wire name.
        name: String,
    },
    /// A value of an enum type.
    Value {
        /// The enum type.
        owner: String,
        /// The value's wire name.
        name: String,
    },
}

/// The subject line of a change: `event task_run.completed`, `type TaskRun`,
/// `field TaskRun.status`, `envelope field id`, `value TaskRunStatus.queued`, `package`.
impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Spec => f.write_str("spec"),
            Target::Package => f.write_str("package"),
            Target::Envelope => f.write_str("envelope"),
            Target::Crate => f.write_str("crate"),
            Target::Event(n) => write!(f, "event {n}"),
            Target::Type(n) => write!(f, "type {n}"),
            Target::Field { owner: None, name } => write!(f, "envelope field {name}"),
            Target::Field {
                owner: Some(o),
                name,
            } => write!(f, "field {o}.{name}"),
            Target::Value { owner, name } => write!(f, "value {owner}.{name}"),
        }
    }
}

/// What a change did to its item, as far as the item's history tells a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// The item appeared.
    Added,
    /// A required field became optional.
    MadeOptional,
    /// An optional field became required.
    MadeRequired,
    /// The item was deprecated.
    Deprecated,
    /// A field's type, or a type's kind, changed.
    TypeChanged,
    /// Anything else: descriptions, removals, nullability, package changes.
    Other,
}

/// One entry of an item's history: what happened, and the version that shipped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Note {
    /// What happened.
    pub step: Step,
    /// The version that first had it: a recorded release, or the spec's version when the change
    /// is not released yet.
    pub version: Version,
}

/// Whether the documented version is a recorded release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `releases/<version>/` holds this spec, byte for byte.
    Released,
    /// Not recorded, or recorded with other contents.
    Unreleased,
}

/// A spec's history across the recorded releases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// Whether the documented version is released.
    pub status: Status,
    /// For each item that changed since the first recorded release, what happened to it, oldest
    /// first. What the first release holds predates the records: only the spec's own `since`
    /// markers say where it came from.
    pub notes: BTreeMap<Target, Vec<Note>>,
}

impl History {
    /// No recorded history: a spec documented on its own, not known to be released.
    pub fn unrecorded() -> History {
        History {
            status: Status::Unreleased,
            notes: BTreeMap::new(),
        }
    }

    /// The newest note of `step` for `target`, if any.
    pub fn latest(&self, target: &Target, step: Step) -> Option<Version> {
        self.notes
            .get(target)?
            .iter()
            .rev()
            .find(|n| n.step == step)
            .map(|n| n.version)
    }
}
