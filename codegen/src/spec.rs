//! Stage 1b: the raw spec, decoded from the parsed YAML with every node's place kept.
//!
//! This mirrors the YAML format documented in `spec/README.md` and carries no logic beyond shape:
//! is this a mapping, is that key known, is this a string. Which keys each section takes comes
//! from the format's table (`format.rs`), which the editors' schemas are generated from. Decoding goes on after a mistake so that
//! one run reports every unknown key and wrong type of every file. Serde's derive would stop at the
//! first error of a file and has no place for nodes found valid, hence this small hand-written
//! walker over `serde_yaml::Value`.

use serde_yaml::Value;

use crate::diag::{Diagnostic, DiagnosticKind, Diagnostics, Span, comma_list, list, list_or};
use crate::format::{self, Section};
use crate::yaml::{Parsed, ptr_segment};

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// The whole raw spec: the root file's sections and every file's types and events.
#[derive(Debug, Default)]
pub(crate) struct RawSpec {
    pub package: Option<RawPackage>,
    pub envelope: Option<RawEnvelope>,
    pub include: Vec<Spanned<String>>,
    /// The root's own span (for errors about missing sections).
    pub root: Option<u32>,
    pub files: Vec<RawFile>,
    /// Names (key spans) of definitions that had an unknown key: a misspelled `description` or
    /// `type` is reported once as the typo, not again as a missing key.
    pub tainted: std::collections::HashSet<Span>,
}

#[derive(Debug)]
pub(crate) struct RawFile {
    pub file: u32,
    pub types: Vec<RawType>,
    pub events: Vec<RawEvent>,
}

#[derive(Debug)]
pub(crate) struct RawPackage {
    pub span: Span,
    pub name: Option<Spanned<String>>,
    pub version: Option<Spanned<String>>,
    pub title: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub schema_base_url: Option<Spanned<String>>,
    pub signing: Option<Spanned<String>>,
    pub delivery: Option<Spanned<String>>,
    pub license: Option<Spanned<String>>,
    pub repository: Option<Spanned<String>>,
    /// The list's own span (for "too many"), and its items.
    pub keywords: Option<Spanned<Vec<Spanned<String>>>>,
    pub categories: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug)]
pub(crate) struct RawEnvelope {
    pub span: Span,
    pub description: Option<Spanned<String>>,
    pub fields: Vec<RawField>,
}

#[derive(Debug, Default)]
pub(crate) struct RawMarkers {
    pub deprecated: Option<Spanned<String>>,
    pub since: Option<Spanned<String>>,
}

#[derive(Debug)]
pub(crate) struct RawType {
    pub name: Spanned<String>,
    pub description: Option<Spanned<String>>,
    pub body: RawBody,
    pub resource: Option<Spanned<String>>,
    pub title: Option<Spanned<String>>,
    pub markers: RawMarkers,
}

#[derive(Debug)]
pub(crate) enum RawBody {
    Id(Spanned<String>),
    Enum(Vec<RawValue>),
    Object(Vec<RawField>),
    /// The definition had none of `id`, `values`, `fields` (already reported).
    Invalid,
}

#[derive(Debug)]
pub(crate) struct RawValue {
    pub name: Spanned<String>,
    pub description: Option<Spanned<String>>,
    pub markers: RawMarkers,
}

#[derive(Debug)]
pub(crate) struct RawField {
    pub name: Spanned<String>,
    pub description: Option<Spanned<String>>,
    pub ty: RawFieldType,
    pub optional: bool,
    pub nullable: bool,
    pub constant: Option<Spanned<String>>,
    pub markers: RawMarkers,
}

#[derive(Debug)]
pub(crate) enum RawFieldType {
    Expr(Spanned<String>),
    InlineEnum(Vec<RawValue>),
    InlineObject(Vec<RawField>),
    Invalid,
}

#[derive(Debug)]
pub(crate) struct RawEvent {
    pub name: Spanned<String>,
    pub description: Option<Spanned<String>>,
    pub data: Option<Spanned<String>>,
    pub examples: Vec<RawExample>,
    /// Where `examples` is (or the event, if absent).
    pub examples_span: Span,
    pub markers: RawMarkers,
}

#[derive(Debug)]
pub(crate) struct RawExample {
    pub value: Value,
    pub file: u32,
    pub ptr: String,
}

/// Decodes every parsed file. Decoding goes on past mistakes; the returned diagnostics hold them
/// and the spec holds everything that could be decoded, so later checks can still run.
pub(crate) fn decode(parsed: &Parsed) -> (RawSpec, Diagnostics) {
    let mut d = Decoder {
        parsed,
        diags: Diagnostics::new(),
        tainted: Default::default(),
    };
    let mut spec = RawSpec::default();
    for (i, f) in parsed.files.iter().enumerate() {
        let i = i as u32;
        let node = Node {
            v: &f.value,
            file: i,
            ptr: String::new(),
        };
        let is_root = f.name == crate::files::ROOT_FILE;
        if is_root {
            spec.root = Some(i);
        }
        let section = if is_root {
            &format::ROOT_FILE
        } else {
            &format::INCLUDED_FILE
        };
        if matches!(f.value, Value::Null) {
            let what = if is_root {
                "`package`, `envelope` and `include`"
            } else {
                "`types` or `events`"
            };
            d.error(
                Span {
                    file: i,
                    line: 1,
                    col: 1,
                    len: 1,
                },
                "the file is empty".into(),
                "",
                Some(format!("a spec file holds {what}")),
            );
            // Still a file of the spec: `include` finds it, so it is not reported missing too.
            spec.files.push(RawFile {
                file: i,
                types: Vec::new(),
                events: Vec::new(),
            });
            continue;
        }
        let Some(mut entries) = d.map(&node, "a spec file") else {
            continue;
        };
        d.known_keys(&mut entries, section, "at the top of a spec file");
        let mut file = RawFile {
            file: i,
            types: Vec::new(),
            events: Vec::new(),
        };
        for (key, n) in &entries {
            match key.as_str() {
                "package" if is_root => spec.package = d.package(n),
                "envelope" if is_root => spec.envelope = d.envelope(n),
                "include" if is_root => spec.include = d.include(n),
                "types" => file.types = d.types(n),
                "events" => file.events = d.events(n),
                _ => {}
            }
        }
        spec.files.push(file);
    }
    spec.tainted = d.tainted;
    (spec, d.diags)
}

/// A node of a parsed file and its JSON Pointer.
pub(crate) struct Node<'a> {
    pub v: &'a Value,
    pub file: u32,
    pub ptr: String,
}

impl<'a> Node<'a> {
    fn child(&self, key: &str, v: &'a Value) -> Node<'a> {
        Node {
            v,
            file: self.file,
            ptr: format!("{}/{}", self.ptr, ptr_segment(key)),
        }
    }
}

struct Decoder<'p> {
    parsed: &'p Parsed,
    diags: Diagnostics,
    tainted: std::collections::HashSet<Span>,
}

/// A human name for a YAML value's kind, for "expected X, found Y".
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub(crate) fn closest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let word_l = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word_l, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(dist, c)| *dist <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min_by_key(|(dist, c)| (*dist, *c))
        .map(|(_, c)| c)
}

/// The entries of a mapping, by key, in the order written.
type Entries<'a> = Vec<(String, Node<'a>)>;

impl<'p> Decoder<'p> {
    fn span(&self, n: &Node) -> Span {
        self.parsed.value_span(n.file, &n.ptr)
    }

    fn key_span(&self, n: &Node) -> Span {
        self.parsed.key_span(n.file, &n.ptr)
    }

    /// Reports a mistake of the file's shape. Everything this stage finds is one, except keys
    /// that are not strings, which YAML allows and JSON (and so a schema) does not see.
    fn error(
        &mut self,
        span: Span,
        message: String,
        label: &str,
        hint: Option<String>,
    ) -> &mut Diagnostic {
        let mut diag = self.parsed.diag(span, message, label);
        diag.hint = hint;
        diag.shape();
        self.diags.push(diag);
        self.diags.last_mut().expect("just pushed")
    }

    fn expected(&mut self, n: &Node, what: &str) {
        let span = self.span(n);
        let found = kind(n.v);
        let hint = match n.v {
            Value::Null => "write a value after the `:`".to_string(),
            Value::Sequence(_) if what.ends_with("to be a mapping") => {
                "write one `name: ...` entry per line, without a leading `- `".to_string()
            }
            _ if what.ends_with("to be a mapping") => {
                "write `name: ...` entries under it, one per line and indented".to_string()
            }
            _ if what.contains("list") => "write one item per line, each after `- `".to_string(),
            Value::Sequence(_) | Value::Mapping(_) => {
                "quote the text: a value that starts with `[` or `{` is read as a list or mapping"
                    .to_string()
            }
            _ => format!("write {what} here"),
        };
        self.error(
            span,
            format!("expected {what}, found {found}"),
            &format!("this is {found}"),
            Some(hint),
        );
    }

    /// The entries of a mapping with string keys, in order.
    fn map<'a>(&mut self, n: &Node<'a>, what: &str) -> Option<Vec<(String, Node<'a>)>> {
        let Value::Mapping(m) = n.v else {
            self.expected(n, &format!("{what} to be a mapping"));
            return None;
        };
        let mut out = Vec::with_capacity(m.len());
        for (k, v) in m {
            match k {
                Value::String(s) => out.push((s.clone(), n.child(s, v))),
                other => {
                    // Numbers and booleans as keys are almost always unquoted names (`on`, `1`).
                    let text = match other {
                        Value::Number(x) => x.to_string(),
                        Value::Bool(b) => b.to_string(),
                        _ => String::new(),
                    };
                    let span = self.span(n);
                    self.error(
                        span,
                        format!("keys must be strings, found {}", kind(other)),
                        "in this mapping",
                        (!text.is_empty()).then(|| format!("quote the key: `\"{text}\"`")),
                    )
                    .kind = DiagnosticKind::Syntax;
                }
            }
        }
        Some(out)
    }

    /// Reports every key that `section` does not take, suggesting the closest. Returns whether
    /// there was any, and marks the owner of the mapping as tainted. A misspelled key whose
    /// suggestion is not also present is then read as the suggested key, so the typo is reported
    /// once and not again as a missing key, an ignored file or a wrong example.
    fn known_keys(
        &mut self,
        entries: &mut [(String, Node)],
        section: &Section,
        context: &str,
    ) -> bool {
        let in_included_file = std::ptr::eq(section, &format::INCLUDED_FILE);
        let mut any = false;
        for i in 0..entries.len() {
            let (key, n) = &entries[i];
            if section.key(key).is_some() {
                continue;
            }
            let allowed = section.key_names();
            if !any {
                any = true;
                let owner = n.ptr.rsplit_once('/').map_or("", |(parent, _)| parent);
                self.tainted.insert(self.parsed.key_span(n.file, owner));
            }
            let span = self.key_span(n);
            let mut recover = None;
            let hint = match format::ROOT_FILE.key(key) {
                Some(_) if in_included_file => Some(format!(
                    "`{key}` belongs in the root file `{}`",
                    crate::files::ROOT_FILE
                )),
                _ => match closest(key, allowed.iter().copied()) {
                    Some(c) => {
                        if !entries.iter().any(|(k, _)| k == c) {
                            recover = Some(c.to_string());
                        }
                        Some(format!("did you mean `{c}`?"))
                    }
                    None => Some(format!("expected one of {}", list(&allowed))),
                },
            };
            self.error(
                span,
                format!("unknown key `{key}` {context}"),
                "unknown key",
                hint,
            );
            if let Some(c) = recover {
                entries[i].0 = c;
            }
        }
        any
    }

    fn string(&mut self, n: &Node) -> Option<Spanned<String>> {
        match n.v {
            Value::String(s) => Some(Spanned {
                value: s.clone(),
                span: self.span(n),
            }),
            // Unquoted numbers (versions such as `1.0`) are accepted as written text would be.
            Value::Number(x) => Some(Spanned {
                value: x.to_string(),
                span: self.span(n),
            }),
            _ => {
                self.expected(n, "a string");
                None
            }
        }
    }

    fn bool(&mut self, n: &Node) -> bool {
        match n.v {
            Value::Bool(b) => *b,
            _ => {
                let span = self.span(n);
                self.error(
                    span,
                    format!("expected `true` or `false`, found {}", kind(n.v)),
                    "not a boolean",
                    Some("write `true` or `false`, without quotes".into()),
                );
                false
            }
        }
    }

    fn markers(&mut self, entries: &[(String, Node)]) -> RawMarkers {
        let mut m = RawMarkers::default();
        for (key, n) in entries {
            match key.as_str() {
                "deprecated" => {
                    m.deprecated = match n.v {
                        Value::Bool(true) => Some(Spanned {
                            value: String::new(),
                            span: self.span(n),
                        }),
                        Value::Bool(false) => None,
                        Value::String(s) => Some(Spanned {
                            value: s.clone(),
                            span: self.span(n),
                        }),
                        _ => {
                            self.expected(n, "`true` or a reason");
                            None
                        }
                    }
                }
                "since" => m.since = self.string(n),
                _ => {}
            }
        }
        self.notes(entries);
        m
    }

    /// Checks the maintainers' `notes` of a definition, then drops them: they are for whoever
    /// edits the spec (sources, doubts, what was inferred), and leaving them out of the raw spec
    /// means no output can show them to readers.
    fn notes(&mut self, entries: &[(String, Node)]) {
        if let Some(n) = Self::get(entries, "notes") {
            self.string(n);
        }
    }

    fn get<'a, 'e>(entries: &'e [(String, Node<'a>)], key: &str) -> Option<&'e Node<'a>> {
        entries.iter().find(|(k, _)| k == key).map(|(_, n)| n)
    }

    fn package(&mut self, n: &Node) -> Option<RawPackage> {
        let mut entries = self.map(n, "the package section")?;
        self.known_keys(&mut entries, &format::PACKAGE, "in `package`");
        let field = |d: &mut Self, k: &str| Self::get(&entries, k).and_then(|n| d.string(n));
        let list = |d: &mut Self, k: &str, what: &str| {
            Self::get(&entries, k).map(|n| Spanned {
                span: d.key_span(n),
                value: d.strings(n, what),
            })
        };
        self.notes(&entries);
        Some(RawPackage {
            span: self.key_span(n),
            name: field(self, "name"),
            version: field(self, "version"),
            title: field(self, "title"),
            description: field(self, "description"),
            schema_base_url: field(self, "schema_base_url"),
            signing: field(self, "signing"),
            delivery: field(self, "delivery"),
            license: field(self, "license"),
            repository: field(self, "repository"),
            keywords: list(self, "keywords", "a list of keywords"),
            categories: list(self, "categories", "a list of categories"),
        })
    }

    fn envelope(&mut self, n: &Node) -> Option<RawEnvelope> {
        let mut entries = self.map(n, "the envelope section")?;
        self.known_keys(&mut entries, &format::ENVELOPE, "in `envelope`");
        let description = Self::get(&entries, "description").and_then(|n| self.string(n));
        let fields = Self::get(&entries, "fields")
            .map(|n| self.fields(n))
            .unwrap_or_default();
        self.notes(&entries);
        Some(RawEnvelope {
            span: self.key_span(n),
            description,
            fields,
        })
    }

    fn include(&mut self, n: &Node) -> Vec<Spanned<String>> {
        self.strings(n, "a list of file names")
    }

    /// A list of strings; `what` names it in the error when it is not a list.
    fn strings(&mut self, n: &Node, what: &str) -> Vec<Spanned<String>> {
        let Value::Sequence(items) = n.v else {
            self.expected(n, what);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, v) in items.iter().enumerate() {
            let child = Node {
                v,
                file: n.file,
                ptr: format!("{}/{i}", n.ptr),
            };
            if let Some(s) = self.string(&child) {
                out.push(s);
            }
        }
        out
    }

    fn types(&mut self, n: &Node) -> Vec<RawType> {
        self.named(n, "`types`", Self::type_def)
    }

    /// Each entry of the mapping `n` (`types`, `fields`, `events`) decoded by `decode`, in order.
    fn named<T>(
        &mut self,
        n: &Node,
        what: &str,
        decode: fn(&mut Self, &str, &Node) -> Option<T>,
    ) -> Vec<T> {
        let Some(entries) = self.map(n, what) else {
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|(name, node)| decode(self, name, node))
            .collect()
    }

    /// The name and entries of a named definition (a type, a field, an event) of `section`, with
    /// unknown keys reported; the `bool` is whether there were any.
    fn definition<'a>(
        &mut self,
        name: &str,
        n: &Node<'a>,
        section: &Section,
        what: &str,
    ) -> Option<(Spanned<String>, Entries<'a>, bool)> {
        let name = Spanned {
            value: name.to_string(),
            span: self.key_span(n),
        };
        let mut entries = self.map(n, &format!("the definition of {what} `{}`", name.value))?;
        let typo = self.known_keys(
            &mut entries,
            section,
            &format!("in {what} `{}`", name.value),
        );
        Some((name, entries, typo))
    }

    /// The one key of `section.one_of` that a definition sets (a type's `id`, `values` or
    /// `fields`), with its value. `None` when it sets none or several: reported, unless an
    /// unknown key (`typo`) may be the one meant.
    fn one_kind<'e, 'a>(
        &mut self,
        entries: &'e [(String, Node<'a>)],
        section: &Section,
        name: &Spanned<String>,
        typo: bool,
        none: (String, String, String),
        many: (&str, &str),
    ) -> Option<(&'static str, &'e Node<'a>)> {
        let kinds: Vec<(&'static str, &Node)> = section
            .one_of
            .iter()
            .filter_map(|k| Some((*k, Self::get(entries, k)?)))
            .collect();
        match kinds.as_slice() {
            [one] => return Some(*one),
            [] if typo => {}
            [] => {
                let (message, label, hint) = none;
                self.error(name.span, message, &label, Some(hint));
            }
            many_kinds => {
                let names: Vec<&str> = many_kinds.iter().map(|(k, _)| *k).collect();
                let (what, label) = many;
                self.error(
                    name.span,
                    format!(
                        "{} `{}` has {}: {what}",
                        section.name,
                        name.value,
                        list(&names)
                    ),
                    label,
                    Some(format!("keep one of {}", comma_list(section.one_of))),
                );
            }
        }
        None
    }

    fn type_def(&mut self, name: &str, n: &Node) -> Option<RawType> {
        let (name, entries, typo) = self.definition(name, n, &format::TYPE, "type")?;
        let description = Self::get(&entries, "description").and_then(|n| self.string(n));
        let none = (
            format!("type `{}` has no {}", name.value, list_or(format::TYPE.one_of)),
            "incomplete type".into(),
            "give a typed ID its prefix (`id: trun_`), an enum its `values`, or an object its `fields`".into(),
        );
        let kind = self.one_kind(
            &entries,
            &format::TYPE,
            &name,
            typo,
            none,
            ("a type is exactly one kind", "conflicting kinds"),
        );
        let body = match kind {
            Some(("id", n)) => self.string(n).map(RawBody::Id).unwrap_or(RawBody::Invalid),
            Some(("values", n)) => RawBody::Enum(self.values(n)),
            Some(("fields", n)) => RawBody::Object(self.fields(n)),
            Some((other, _)) => unreachable!("`{other}` is not a kind of type"),
            None => RawBody::Invalid,
        };
        let resource = Self::get(&entries, "resource").and_then(|n| self.string(n));
        let title = Self::get(&entries, "title").and_then(|n| self.string(n));
        let markers = self.markers(&entries);
        Some(RawType {
            name,
            description,
            body,
            resource,
            title,
            markers,
        })
    }

    fn values(&mut self, n: &Node) -> Vec<RawValue> {
        let Some(entries) = self.map(n, "`values`") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (wire, node) in &entries {
            let name = Spanned {
                value: wire.clone(),
                span: self.key_span(node),
            };
            match node.v {
                Value::String(_) | Value::Number(_) => {
                    let description = self.string(node);
                    out.push(RawValue {
                        name,
                        description,
                        markers: RawMarkers::default(),
                    });
                }
                Value::Null => out.push(RawValue {
                    name,
                    description: None,
                    markers: RawMarkers::default(),
                }),
                Value::Mapping(_) => {
                    let Some(mut e) = self.map(node, "an enum value") else {
                        continue;
                    };
                    self.known_keys(&mut e, &format::VALUE, &format!("in enum value `{wire}`"));
                    let description = Self::get(&e, "description").and_then(|n| self.string(n));
                    let markers = self.markers(&e);
                    out.push(RawValue {
                        name,
                        description,
                        markers,
                    });
                }
                _ => self.expected(node, "a description or a mapping with `description`"),
            }
        }
        out
    }

    fn fields(&mut self, n: &Node) -> Vec<RawField> {
        self.named(n, "`fields`", Self::field)
    }

    fn field(&mut self, name: &str, n: &Node) -> Option<RawField> {
        let (name, entries, typo) = self.definition(name, n, &format::FIELD, "field")?;
        let description = Self::get(&entries, "description").and_then(|n| self.string(n));
        let none = (
            format!("field `{}` has no type", name.value),
            format!("no {}", list_or(format::FIELD.one_of)),
            "add `type: string` (or another type), `values:` for an inline enum, or `fields:` for an inline object".into(),
        );
        let kind = self.one_kind(
            &entries,
            &format::FIELD,
            &name,
            typo,
            none,
            ("a field has exactly one of them", "conflicting types"),
        );
        let ty = match kind {
            Some(("type", n)) => self
                .string(n)
                .map(RawFieldType::Expr)
                .unwrap_or(RawFieldType::Invalid),
            Some(("values", n)) => RawFieldType::InlineEnum(self.values(n)),
            Some(("fields", n)) => RawFieldType::InlineObject(self.fields(n)),
            Some((other, _)) => unreachable!("`{other}` is not a kind of field"),
            None => RawFieldType::Invalid,
        };
        let optional = Self::get(&entries, "optional").is_some_and(|n| self.bool(n));
        let nullable = Self::get(&entries, "nullable").is_some_and(|n| self.bool(n));
        let constant = Self::get(&entries, "const").and_then(|n| self.string(n));
        let markers = self.markers(&entries);
        Some(RawField {
            name,
            description,
            ty,
            optional,
            nullable,
            constant,
            markers,
        })
    }

    fn events(&mut self, n: &Node) -> Vec<RawEvent> {
        self.named(n, "`events`", Self::event)
    }

    fn event(&mut self, name: &str, n: &Node) -> Option<RawEvent> {
        let (name, entries, _) = self.definition(name, n, &format::EVENT, "event")?;
        let description = Self::get(&entries, "description").and_then(|n| self.string(n));
        let data = Self::get(&entries, "data").and_then(|n| self.string(n));
        let mut examples = Vec::new();
        let mut examples_span = name.span;
        if let Some(ex) = Self::get(&entries, "examples") {
            examples_span = self.key_span(ex);
            match ex.v {
                Value::Sequence(items) => {
                    for (i, v) in items.iter().enumerate() {
                        examples.push(RawExample {
                            value: v.clone(),
                            file: ex.file,
                            ptr: format!("{}/{i}", ex.ptr),
                        });
                    }
                }
                _ => self.expected(ex, "a list of example events"),
            }
        }
        let markers = self.markers(&entries);
        Some(RawEvent {
            name,
            description,
            data,
            examples,
            examples_span,
            markers,
        })
    }
}
