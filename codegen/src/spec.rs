//! Stage 1b: the raw spec, decoded from the parsed YAML with every node's place kept.
//!
//! This mirrors the YAML format documented in `spec/README.md` and carries no logic beyond shape:
//! is this a mapping, is that key known, is this a string. Decoding goes on after a mistake so that
//! one run reports every unknown key and wrong type of every file. Serde's derive would stop at the
//! first error of a file and has no place for nodes found valid, hence this small hand-written
//! walker over `serde_yaml::Value`.

use serde_yaml::Value;

use crate::diag::{Diagnostics, Span};
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
        let is_root = f.name == crate::ROOT_FILE;
        if is_root {
            spec.root = Some(i);
        }
        let allowed: &[&str] = if is_root {
            &["package", "envelope", "include", "types", "events"]
        } else {
            &["types", "events"]
        };
        if matches!(f.value, Value::Null) {
            let what = if is_root {
                "`package`, `envelope` and `include`"
            } else {
                "`types` or `events`"
            };
            let mut diag = parsed.diag(
                Span {
                    file: i,
                    line: 1,
                    col: 1,
                    len: 1,
                },
                "the file is empty",
                "",
            );
            diag.hint = Some(format!("a spec file holds {what}"));
            d.diags.push(diag);
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
        d.known_keys(
            &mut entries,
            allowed,
            "at the top of a spec file",
            Some(&["package", "envelope", "include"]),
            is_root,
        );
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

impl<'p> Decoder<'p> {
    fn span(&self, n: &Node) -> Span {
        self.parsed.value_span(n.file, &n.ptr)
    }

    fn key_span(&self, n: &Node) -> Span {
        self.parsed.key_span(n.file, &n.ptr)
    }

    fn error(&mut self, span: Span, message: String, label: &str, hint: Option<String>) {
        let mut diag = self.parsed.diag(span, message, label);
        diag.hint = hint;
        self.diags.push(diag);
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
                    );
                }
            }
        }
        Some(out)
    }

    /// Reports every key that is not in `allowed`, suggesting the closest. Returns whether there
    /// was any, and marks the owner of the mapping as tainted. A misspelled key whose suggestion is
    /// not also present is then read as the suggested key, so the typo is reported once and not
    /// again as a missing key, an ignored file or a wrong example.
    fn known_keys(
        &mut self,
        entries: &mut [(String, Node)],
        allowed: &[&str],
        context: &str,
        root_only: Option<&[&str]>,
        is_root: bool,
    ) -> bool {
        let mut any = false;
        for i in 0..entries.len() {
            let (key, n) = &entries[i];
            if allowed.contains(&key.as_str()) {
                continue;
            }
            if !any {
                any = true;
                let owner = n.ptr.rsplit_once('/').map_or("", |(parent, _)| parent);
                self.tainted.insert(self.parsed.key_span(n.file, owner));
            }
            let span = self.key_span(n);
            let mut recover = None;
            let hint = match (root_only, is_root) {
                (Some(r), false) if r.contains(&key.as_str()) => Some(format!(
                    "`{key}` belongs in the root file `{}`",
                    crate::ROOT_FILE
                )),
                _ => match closest(key, allowed.iter().copied()) {
                    Some(c) => {
                        if !entries.iter().any(|(k, _)| k == c) {
                            recover = Some(c.to_string());
                        }
                        Some(format!("did you mean `{c}`?"))
                    }
                    None => Some(format!("expected one of {}", list(allowed))),
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
        self.known_keys(
            &mut entries,
            &[
                "name",
                "version",
                "title",
                "description",
                "schema_base_url",
                "signing",
                "delivery",
                "notes",
            ],
            "in `package`",
            None,
            true,
        );
        let field = |d: &mut Self, k: &str| Self::get(&entries, k).and_then(|n| d.string(n));
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
        })
    }

    fn envelope(&mut self, n: &Node) -> Option<RawEnvelope> {
        let mut entries = self.map(n, "the envelope section")?;
        self.known_keys(
            &mut entries,
            &["description", "fields", "notes"],
            "in `envelope`",
            None,
            true,
        );
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
        let Value::Sequence(items) = n.v else {
            self.expected(n, "a list of file names");
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
        let Some(entries) = self.map(n, "`types`") else {
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|(name, node)| self.type_def(name, node))
            .collect()
    }

    fn type_def(&mut self, name: &str, n: &Node) -> Option<RawType> {
        let name = Spanned {
            value: name.to_string(),
            span: self.key_span(n),
        };
        let mut entries = self.map(n, &format!("the definition of type `{}`", name.value))?;
        let allowed = [
            "description",
            "id",
            "values",
            "fields",
            "resource",
            "title",
            "deprecated",
            "since",
            "notes",
        ];
        let typo = self.known_keys(
            &mut entries,
            &allowed,
            &format!("in type `{}`", name.value),
            None,
            true,
        );
        let description = Self::get(&entries, "description").and_then(|n| self.string(n));
        let kinds: Vec<&str> = ["id", "values", "fields"]
            .into_iter()
            .filter(|k| Self::get(&entries, k).is_some())
            .collect();
        let body = match kinds.as_slice() {
            ["id"] => self
                .string(Self::get(&entries, "id").expect("present"))
                .map(RawBody::Id)
                .unwrap_or(RawBody::Invalid),
            ["values"] => {
                RawBody::Enum(self.values(Self::get(&entries, "values").expect("present")))
            }
            ["fields"] => {
                RawBody::Object(self.fields(Self::get(&entries, "fields").expect("present")))
            }
            [] if typo => RawBody::Invalid,
            [] => {
                self.error(
                    name.span,
                    format!("type `{}` has no `id`, `values` or `fields`", name.value),
                    "incomplete type",
                    Some("give a typed ID its prefix (`id: trun_`), an enum its `values`, or an object its `fields`".into()),
                );
                RawBody::Invalid
            }
            many => {
                self.error(
                    name.span,
                    format!(
                        "type `{}` has {}: a type is exactly one kind",
                        name.value,
                        list(many)
                    ),
                    "conflicting kinds",
                    Some("keep one of `id`, `values`, `fields`".into()),
                );
                RawBody::Invalid
            }
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
                    self.known_keys(
                        &mut e,
                        &["description", "deprecated", "since", "notes"],
                        &format!("in enum value `{wire}`"),
                        None,
                        true,
                    );
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
        let Some(entries) = self.map(n, "`fields`") else {
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|(name, node)| self.field(name, node))
            .collect()
    }

    fn field(&mut self, name: &str, n: &Node) -> Option<RawField> {
        let name = Spanned {
            value: name.to_string(),
            span: self.key_span(n),
        };
        let mut entries = self.map(n, &format!("the definition of field `{}`", name.value))?;
        let allowed = [
            "type",
            "description",
            "optional",
            "nullable",
            "const",
            "values",
            "fields",
            "deprecated",
            "since",
            "notes",
        ];
        let typo = self.known_keys(
            &mut entries,
            &allowed,
            &format!("in field `{}`", name.value),
            None,
            true,
        );
        let description = Self::get(&entries, "description").and_then(|n| self.string(n));
        let kinds: Vec<&str> = ["type", "values", "fields"]
            .into_iter()
            .filter(|k| Self::get(&entries, k).is_some())
            .collect();
        let ty = match kinds.as_slice() {
            ["type"] => self
                .string(Self::get(&entries, "type").expect("present"))
                .map(RawFieldType::Expr)
                .unwrap_or(RawFieldType::Invalid),
            ["values"] => RawFieldType::InlineEnum(
                self.values(Self::get(&entries, "values").expect("present")),
            ),
            ["fields"] => RawFieldType::InlineObject(
                self.fields(Self::get(&entries, "fields").expect("present")),
            ),
            [] if typo => RawFieldType::Invalid,
            [] => {
                self.error(
                    name.span,
                    format!("field `{}` has no type", name.value),
                    "no `type`, `values` or `fields`",
                    Some("add `type: string` (or another type), `values:` for an inline enum, or `fields:` for an inline object".into()),
                );
                RawFieldType::Invalid
            }
            many => {
                self.error(
                    name.span,
                    format!(
                        "field `{}` has {}: a field has exactly one of them",
                        name.value,
                        list(many)
                    ),
                    "conflicting types",
                    Some("keep one of `type`, `values`, `fields`".into()),
                );
                RawFieldType::Invalid
            }
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
        let Some(entries) = self.map(n, "`events`") else {
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|(name, node)| self.event(name, node))
            .collect()
    }

    fn event(&mut self, name: &str, n: &Node) -> Option<RawEvent> {
        let name = Spanned {
            value: name.to_string(),
            span: self.key_span(n),
        };
        let mut entries = self.map(n, &format!("the definition of event `{}`", name.value))?;
        let allowed = [
            "description",
            "data",
            "examples",
            "deprecated",
            "since",
            "notes",
        ];
        self.known_keys(
            &mut entries,
            &allowed,
            &format!("in event `{}`", name.value),
            None,
            true,
        );
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

/// `a`, `b` and `c`.
pub(crate) fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
