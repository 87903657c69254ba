//! Stage 1, the spec format as data: every section of a spec file, every key it takes, what the
//! key holds and what it means.
//!
//! This table is the one statement of the format. The decoder (`spec.rs`) takes from it which keys
//! each section allows and which keys exclude each other, the checks of `lower` take the closed
//! sets of values (`signing`, the built-in types) and the examples of required keys, and
//! [`crate::emit::spec_format`] renders it as the JSON Schema editors validate spec files with and
//! as the key reference of `spec/README.md`. A key added here is accepted by the checker, offered
//! by editors and documented, with no second edit.

/// A mapping of a spec file: the file itself, or a section inside it.
#[derive(Debug)]
pub struct Section {
    /// Short name, used as the schema definition and the reference heading.
    pub name: &'static str,
    /// How the reference names it (`the package section`).
    pub title: &'static str,
    /// What it is, Markdown on one line.
    pub doc: &'static str,
    /// Its keys, in the order the documentation shows them.
    pub keys: &'static [Key],
    /// Keys of which exactly one must be present: they decide what kind of thing it is.
    pub one_of: &'static [&'static str],
}

/// A key of a section.
#[derive(Debug)]
pub struct Key {
    /// The key as written.
    pub name: &'static str,
    /// What it means, Markdown on one line.
    pub doc: &'static str,
    /// What it holds.
    pub value: ValueKind,
    /// Whether the checker rejects a section without it.
    pub required: bool,
    /// A typical value, as YAML, for hints and editors.
    pub example: Option<&'static str>,
}

/// What a key holds.
#[derive(Debug)]
pub enum ValueKind {
    /// Text. An unquoted number is read as its text.
    Text,
    /// Markdown text that is not blank. An unquoted number is read as its text.
    Markdown,
    /// `true` or `false`.
    Bool,
    /// `true`, `false` or a reason.
    Deprecated,
    /// Text of a given form.
    Pattern(&'static Pattern),
    /// A type expression (see [`BUILTIN_TYPES`] and [`CONTAINERS`]).
    TypeExpr,
    /// One of a closed set of words.
    Word(&'static [Choice]),
    /// A list of file names.
    Files,
    /// A list of short words.
    Words,
    /// A nested section.
    Section(&'static Section),
    /// A mapping from names to sections of one kind, in the order written.
    Map {
        /// The section each entry is.
        of: &'static Section,
        /// The form the names must have, if any.
        names: Option<&'static Pattern>,
    },
    /// The values of an enum: each wire value maps to its description (Markdown) or to the long
    /// form, [`VALUE`]. At least one.
    EnumValues,
    /// A list of example events: at least one. What an example holds is checked against the
    /// event it belongs to, which needs the whole spec.
    Examples,
}

/// A form of text, as a regular expression.
#[derive(Debug)]
pub struct Pattern {
    /// What the form is called (`version`).
    pub name: &'static str,
    /// The regular expression (anchored; ECMA-262 and Rust `regex` read it alike).
    pub regex: &'static str,
    /// What the text must be, as the reference and editors say it.
    pub what: &'static str,
}

/// One word of a closed set.
#[derive(Debug)]
pub struct Choice {
    /// The word.
    pub word: &'static str,
    /// What it means.
    pub doc: &'static str,
}

impl Section {
    /// The key called `name`.
    pub fn key(&self, name: &str) -> Option<&'static Key> {
        self.keys.iter().find(|k| k.name == name)
    }

    /// The names of its keys, in order.
    pub fn key_names(&self) -> Vec<&'static str> {
        self.keys.iter().map(|k| k.name).collect()
    }

    /// Every section of the format, the two kinds of file first, each once.
    pub fn all() -> [&'static Section; 8] {
        [
            &ROOT_FILE,
            &INCLUDED_FILE,
            &PACKAGE,
            &ENVELOPE,
            &TYPE,
            &FIELD,
            &VALUE,
            &EVENT,
        ]
    }
}

impl Key {
    const fn new(name: &'static str, value: ValueKind, doc: &'static str) -> Key {
        Key {
            name,
            doc,
            value,
            required: false,
            example: None,
        }
    }

    const fn required(self) -> Key {
        Key {
            required: true,
            ..self
        }
    }

    const fn example(self, example: &'static str) -> Key {
        Key {
            example: Some(example),
            ..self
        }
    }
}

/// The built-in scalar types of type expressions.
pub static BUILTIN_TYPES: &[Choice] = &[
    Choice {
        word: "string",
        doc: "text",
    },
    Choice {
        word: "integer",
        doc: "whole number",
    },
    Choice {
        word: "number",
        doc: "any number",
    },
    Choice {
        word: "boolean",
        doc: "`true` or `false`",
    },
    Choice {
        word: "datetime",
        doc: "RFC 3339 timestamp",
    },
    Choice {
        word: "url",
        doc: "absolute URL",
    },
    Choice {
        word: "json",
        doc: "any JSON value",
    },
];

/// The containers of type expressions, written `<word><T>`, and what they mean.
pub static CONTAINERS: &[Choice] = &[
    Choice {
        word: "array",
        doc: "list of `T`",
    },
    Choice {
        word: "map",
        doc: "object with string keys and `T` values",
    },
];

/// The types only fields of the envelope take.
pub static ENVELOPE_TYPES: &[Choice] = &[
    Choice {
        word: "event_type",
        doc: "the event type, the envelope's discriminator",
    },
    Choice {
        word: "event_data",
        doc: "the payload, whose shape depends on the event type",
    },
];

/// How deep a type expression's containers nest in the schema's pattern. A regular expression
/// cannot count brackets, so the pattern spells out every depth up to this one; the checker takes
/// any depth, and nothing real nests this deep.
pub const TYPE_EXPR_MAX_DEPTH: usize = 8;

/// What a type expression is, as the reference and editors say it.
pub const TYPE_EXPR_WHAT: &str =
    "a type expression: a built-in type, `array<T>`, `map<T>` or a type defined under `types`";

/// The ways of signing deliveries (`package.signing`).
pub static SIGNING: &[Choice] = &[
    Choice {
        word: "none",
        doc: "deliveries are not signed; the generated crate has no `signing` module (the default)",
    },
    Choice {
        word: "standard_webhooks",
        doc: "deliveries are signed with Standard Webhooks; the generated crate gets a `signing` module behind its default `signing` feature",
    },
];

/// `major.minor.patch`, without leading zeros.
pub static VERSION: Pattern = Pattern {
    name: "version",
    regex: r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$",
    what: "a version `major.minor.patch`, e.g. `0.1.0` (quote it if YAML reads it as a number)",
};

/// A crate name.
pub static CRATE_NAME: Pattern = Pattern {
    name: "crate name",
    regex: r"^[a-z][a-z0-9_-]*$",
    what: "a crate name: lowercase ASCII letters, digits, `-` and `_`, starting with a letter",
};

/// An absolute http(s) URL with something after the scheme.
pub static HTTP_URL: Pattern = Pattern {
    name: "URL",
    regex: r"^(https://\S+|http://\S{2,})$",
    what: "an absolute `https://` (or `http://`) URL without spaces",
};

/// Whether `s` has the form of [`HTTP_URL`]: the checker's reading of the same pattern.
pub(crate) fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .map(|rest| (rest, 1))
        .or_else(|| s.strip_prefix("http://").map(|rest| (rest, 2)));
    rest.is_some_and(|(rest, min)| {
        rest.chars().count() >= min && !rest.contains(char::is_whitespace)
    })
}

/// The prefix of a typed ID.
pub static ID_PREFIX: Pattern = Pattern {
    name: "ID prefix",
    regex: r"^[A-Za-z0-9_]+$",
    what: "an ID prefix: ASCII letters, digits and `_`, e.g. `trun_`",
};

/// A type name.
pub static TYPE_NAME: Pattern = Pattern {
    name: "type name",
    regex: r"^[A-Z][A-Za-z0-9]*$",
    what: "a type name in UpperCamelCase: ASCII letters and digits, starting with a capital",
};

/// An event name: `object.action`, both snake_case.
pub static EVENT_NAME: Pattern = Pattern {
    name: "event name",
    regex: r"^[a-z][a-z0-9]*(_[a-z0-9]+)*\.[a-z][a-z0-9]*(_[a-z0-9]+)*$",
    what: "an event name `object.action`, both snake_case (lowercase words joined by `_`), e.g. `task_run.completed`",
};

const DESCRIPTION_DOC: &str =
    "What it is, in Markdown: every item is documented in the generated crate, schemas and docs.";

/// `notes`, accepted wherever `description` is.
const NOTES: Key = Key::new(
    "notes",
    ValueKind::Text,
    "Maintainers' notes: where a fact comes from, where sources disagree, what was inferred. Every output ignores them; readers' text goes in `description`.",
);

const DEPRECATED: Key = Key::new(
    "deprecated",
    ValueKind::Deprecated,
    "`true`, or the reason and what to use instead: marks the item deprecated in every output.",
);

const SINCE: Key = Key::new(
    "since",
    ValueKind::Pattern(&VERSION),
    "The spec version that introduced the item; not later than `package.version`.",
)
.example("0.2.0");

const TYPES: Key = Key::new(
    "types",
    ValueKind::Map {
        of: &TYPE,
        names: Some(&TYPE_NAME),
    },
    "Named types, by UpperCamelCase name: typed IDs, enums and objects. Their order is kept.",
);

const EVENTS: Key = Key::new(
    "events",
    ValueKind::Map {
        of: &EVENT,
        names: Some(&EVENT_NAME),
    },
    "Event types, by name `object.action`, where `object` is a resource. Their order is kept.",
);

/// The root file, `spec.yaml`.
pub static ROOT_FILE: Section = Section {
    name: "root",
    title: "the root file (`spec.yaml`)",
    doc: "The root of the spec: it names the package, describes the envelope and lists the other files under `include`.",
    keys: &[
        Key::new(
            "package",
            ValueKind::Section(&PACKAGE),
            "The package: how the outputs are named and versioned.",
        )
        .required(),
        Key::new(
            "envelope",
            ValueKind::Section(&ENVELOPE),
            "The event object that every event shares.",
        )
        .required(),
        Key::new(
            "include",
            ValueKind::Files,
            "The other files of the spec, relative to the spec directory, in the order of their groups in the docs. A `.yaml` file of the directory that is not listed is an error.",
        ),
        TYPES,
        EVENTS,
    ],
    one_of: &[],
};

/// A file listed under `include`.
pub static INCLUDED_FILE: Section = Section {
    name: "included",
    title: "an included file",
    doc: "A file listed under `include` in `spec.yaml`, usually one resource with its types and events.",
    keys: &[TYPES, EVENTS],
    one_of: &[],
};

/// `package` in the root file.
pub static PACKAGE: Section = Section {
    name: "package",
    title: "`package`",
    doc: "How the outputs are named and versioned.",
    keys: &[
        Key::new(
            "name",
            ValueKind::Pattern(&CRATE_NAME),
            "Name of the generated crate; its library is the name with `-` replaced by `_`.",
        )
        .required()
        .example("deck-events"),
        Key::new(
            "version",
            ValueKind::Pattern(&VERSION),
            "The spec's semver version, also the crate's; `cargo xtask diff --check` verifies that it moves with the spec's changes.",
        )
        .required()
        .example("0.1.0"),
        Key::new("title", ValueKind::Text, "Title of the docs site.")
            .required()
            .example("Deck events"),
        Key::new("description", ValueKind::Markdown, DESCRIPTION_DOC)
            .required()
            .example("Webhook events of the Deck API."),
        Key::new(
            "schema_base_url",
            ValueKind::Pattern(&HTTP_URL),
            "Base of the JSON Schema `$id`s: each `$id` is this URL, the compatibility line of the version (`v0.1/`) and the schema's path.",
        )
        .required()
        .example("https://schemas.example.com/events/"),
        Key::new(
            "signing",
            ValueKind::Word(SIGNING),
            "How deliveries are signed.",
        ),
        Key::new(
            "delivery",
            ValueKind::Markdown,
            "How deliveries behave: how fast to answer, retries, ordering, deduplication. The docs site shows it on its \"Receiving events\" page.",
        ),
        Key::new(
            "license",
            ValueKind::Text,
            "The generated crate's license, an SPDX expression such as `MIT OR Apache-2.0`.",
        )
        .example("MIT OR Apache-2.0"),
        Key::new(
            "repository",
            ValueKind::Pattern(&HTTP_URL),
            "Where the generated crate's source lives, an absolute `http(s)` URL.",
        )
        .example("https://github.com/deck-co/deck-events"),
        Key::new(
            "keywords",
            ValueKind::Words,
            "Registry keywords of the generated crate: at most 5, each at most 20 ASCII letters, digits, `_`, `-` or `+`, starting with a letter.",
        ),
        Key::new(
            "categories",
            ValueKind::Words,
            "Registry category slugs of the generated crate (at most 5), such as `api-bindings`.",
        ),
        NOTES,
    ],
    one_of: &[],
};

/// `envelope` in the root file.
pub static ENVELOPE: Section = Section {
    name: "envelope",
    title: "`envelope`",
    doc: "The event object that every event shares.",
    keys: &[
        Key::new("description", ValueKind::Markdown, DESCRIPTION_DOC).required(),
        Key::new(
            "fields",
            ValueKind::Map {
                of: &FIELD,
                names: None,
            },
            "Its fields, by wire name: exactly one of `type: event_type` (the event type) and one of `type: event_data` (the payload, whose shape depends on the event type), neither optional nor nullable.",
        ),
        NOTES,
    ],
    one_of: &[],
};

/// A type under `types`.
pub static TYPE: Section = Section {
    name: "type",
    title: "a type",
    doc: "A named type: a typed ID (`id`), a string enum (`values`) or an object (`fields`).",
    keys: &[
        Key::new("description", ValueKind::Markdown, DESCRIPTION_DOC).required(),
        Key::new(
            "id",
            ValueKind::Pattern(&ID_PREFIX),
            "Makes it a typed ID with this documented prefix. The crate accepts an ID with any prefix.",
        )
        .example("trun_"),
        Key::new(
            "values",
            ValueKind::EnumValues,
            "Makes it a string enum: each wire value with its description. Generated enums keep values they do not know.",
        ),
        Key::new(
            "fields",
            ValueKind::Map {
                of: &FIELD,
                names: None,
            },
            "Makes it an object: its fields, by wire name.",
        ),
        Key::new(
            "resource",
            ValueKind::Text,
            "Makes an object a resource: events named `<resource>.<action>` carry it in `data`.",
        )
        .example("task_run"),
        Key::new(
            "title",
            ValueKind::Text,
            "Title of the resource's group of events in the docs (default: from `resource`).",
        ),
        DEPRECATED,
        SINCE,
        NOTES,
    ],
    one_of: &["id", "values", "fields"],
};

/// A field of an object, of an inline object or of the envelope.
pub static FIELD: Section = Section {
    name: "field",
    title: "a field",
    doc: "A field: a description and exactly one of `type`, `values` (an inline enum) or `fields` (an inline object).",
    keys: &[
        Key::new(
            "type",
            ValueKind::TypeExpr,
            "Its type, as a type expression.",
        )
        .example("string"),
        Key::new("description", ValueKind::Markdown, DESCRIPTION_DOC).required(),
        Key::new(
            "optional",
            ValueKind::Bool,
            "`true` if the field may be absent.",
        ),
        Key::new(
            "nullable",
            ValueKind::Bool,
            "`true` if the field may be `null`.",
        ),
        Key::new(
            "const",
            ValueKind::Text,
            "The value that a `string` field always carries.",
        )
        .example("task_run"),
        Key::new(
            "values",
            ValueKind::EnumValues,
            "Makes its type an inline enum, named after the parent and the field (`TaskRunStatus`).",
        ),
        Key::new(
            "fields",
            ValueKind::Map {
                of: &FIELD,
                names: None,
            },
            "Makes its type an inline object, named after the parent and the field (`TaskRunWebsite`).",
        ),
        DEPRECATED,
        SINCE,
        NOTES,
    ],
    one_of: &["type", "values", "fields"],
};

/// The long form of an enum value.
pub static VALUE: Section = Section {
    name: "value",
    title: "an enum value (long form)",
    doc: "An enum value that needs markers; otherwise the value maps straight to its description.",
    keys: &[
        Key::new("description", ValueKind::Markdown, DESCRIPTION_DOC).required(),
        DEPRECATED,
        SINCE,
        NOTES,
    ],
    one_of: &[],
};

/// An event under `events`.
pub static EVENT: Section = Section {
    name: "event",
    title: "an event",
    doc: "An event type, named `object.action`.",
    keys: &[
        Key::new(
            "description",
            ValueKind::Markdown,
            "When the event is sent, in Markdown.",
        )
        .required(),
        Key::new(
            "data",
            ValueKind::Text,
            "The object type carried in `data` (default: the resource of the event's object).",
        ),
        Key::new(
            "examples",
            ValueKind::Examples,
            "At least one whole event as Deck sends it, checked against the envelope and the event's `data`.",
        )
        .required(),
        DEPRECATED,
        SINCE,
        NOTES,
    ],
    one_of: &[],
};

/// What the checker verifies beyond the shape of each file, which a schema of one file cannot.
pub const CHECKED_ELSEWHERE: &str = "The checker (`cargo xtask check`) also verifies what needs the whole spec: that referenced types exist and `data` is an object type, that each event's object is a resource, that names are unique across files and after conversion to Rust names, that `const` is only on `string` fields, that no required references form a cycle, that every file is included exactly once, that `since` is not later than the package version, and that every example matches its event.";

/// The regular expression of a type expression, to [`TYPE_EXPR_MAX_DEPTH`] levels of containers.
/// Spaces inside the brackets are allowed, as the checker trims each level.
pub fn type_expr_pattern() -> String {
    const NAME: &str = "[A-Za-z0-9_]+";
    let containers: Vec<&str> = CONTAINERS.iter().map(|c| c.word).collect();
    let open = format!("(?:{})<\\s*", containers.join("|"));
    let mut expr = NAME.to_string();
    for _ in 0..TYPE_EXPR_MAX_DEPTH {
        expr = format!("(?:{open}{expr}\\s*>|{NAME})");
    }
    format!("^\\s*{expr}\\s*$")
}
