//! Stage 2: checks the raw spec and resolves it into the [`Model`].
//!
//! Each rule is a named function with a comment saying what it enforces and why. All rules run,
//! each pushing diagnostics, and the model is returned only if none fired: emitters can then rely
//! on every reference resolving, every name being unique in its scope and every example matching.

use std::collections::{BTreeMap, HashMap};

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::*;
use crate::names;
use crate::spec::*;
use crate::yaml::Parsed;

const BUILTIN_TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "datetime", "url", "json",
];

/// Checks and resolves a decoded spec.
pub(crate) fn lower(raw: &RawSpec, parsed: &Parsed) -> Result<Model, Diagnostics> {
    let mut cx = Cx {
        parsed,
        diags: Diagnostics::new(),
        tainted: &raw.tainted,
    };
    let root = match raw.root {
        Some(r) => r,
        None => {
            let d = Diagnostic {
                file: crate::ROOT_FILE.into(),
                line: 1,
                col: 1,
                len: 1,
                message: "the spec has no root file".into(),
                label: String::new(),
                hint: Some(format!(
                    "create `{}` with `package`, `envelope` and `include`",
                    crate::ROOT_FILE
                )),
                notes: Vec::new(),
                source_line: None,
            };
            cx.diags.push(d);
            return cx.diags.into_result(unreachable_model());
        }
    };
    let order = check_includes(&mut cx, raw, root);
    let package = lower_package(&mut cx, raw, root);

    // Pass 1: every named type, hoisted inline types included, gets an id and a name.
    let mut table = TypeTable::default();
    for &f in &order {
        for t in &raw.files[f].types {
            declare_type(&mut cx, &mut table, t);
        }
    }
    if let Some(env) = &raw.envelope {
        declare_inline(&mut cx, &mut table, Owner::Envelope.name(), &env.fields);
    }

    // Pass 2: resolve fields and bodies.
    let mut types: Vec<Option<TypeDef>> = vec![None; table.entries.len()];
    for &f in &order {
        for t in &raw.files[f].types {
            lower_type(&mut cx, &table, &mut types, t);
        }
    }
    let envelope = lower_envelope(&mut cx, &table, &mut types, raw, root);
    let mut types: Vec<TypeDef> = types.into_iter().flatten().collect();
    if types.len() != table.entries.len() {
        // Some type failed to lower and was reported; the model cannot be built.
        return cx.diags.into_result(unreachable_model());
    }
    check_type_names_unique(&mut cx, &types, &table);
    check_cycles(&mut cx, &mut types);

    let (groups, resources) = lower_groups(&mut cx, &mut types, &table, raw, &order);
    let mut events = Vec::new();
    for &f in &order {
        for e in &raw.files[f].events {
            if let Some(ev) = lower_event(&mut cx, &table, &types, &resources, &groups, e) {
                events.push((ev, e));
            }
        }
    }
    check_events_unique(&mut cx, &events);
    check_since(&mut cx, &package, &types, &events);

    let Some(package) = package else {
        return cx.diags.into_result(unreachable_model());
    };
    let Some(envelope) = envelope else {
        return cx.diags.into_result(unreachable_model());
    };
    if !cx.diags.is_empty() {
        return cx.diags.into_result(unreachable_model());
    }

    let mut groups = groups;
    let mut model_events = Vec::with_capacity(events.len());
    // Events are stored group by group, in spec order inside each group.
    let mut by_group: Vec<Vec<(EventDef, &RawEvent)>> = vec![Vec::new(); groups.len()];
    for (ev, raw_ev) in events {
        by_group[ev.group].push((ev, raw_ev));
    }
    let mut raw_events = Vec::new();
    for (g, evs) in by_group.into_iter().enumerate() {
        for (ev, raw_ev) in evs {
            groups[g].events.push(model_events.len());
            model_events.push(ev);
            raw_events.push(raw_ev);
        }
    }
    let mut model = Model {
        package,
        envelope,
        types,
        groups,
        events: model_events,
    };
    let example_diags = crate::examples::check_and_attach(&mut model, &raw_events, parsed);
    cx.diags.extend(example_diags);
    cx.diags.into_result(model)
}

/// Placeholder returned alongside errors; `into_result` never hands it out when errors exist.
fn unreachable_model() -> Model {
    Model {
        package: Package {
            name: String::new(),
            lib_name: String::new(),
            version: Version {
                major: 0,
                minor: 0,
                patch: 0,
            },
            title: String::new(),
            description: String::new(),
            schema_base_url: String::new(),
            signing: Signing::None,
            delivery: String::new(),
        },
        envelope: Envelope {
            description: String::new(),
            fields: Vec::new(),
            type_field: 0,
            data_field: 0,
        },
        types: Vec::new(),
        groups: Vec::new(),
        events: Vec::new(),
    }
}

struct Cx<'p> {
    parsed: &'p Parsed,
    diags: Diagnostics,
    tainted: &'p std::collections::HashSet<Span>,
}

impl Cx<'_> {
    fn error(
        &mut self,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
        hint: Option<String>,
    ) -> &mut Diagnostic {
        let mut d = self.parsed.diag(span, message, label);
        d.hint = hint;
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    fn origin(&self, span: Span) -> Origin {
        Origin {
            file: self.parsed.files[span.file as usize].name.clone(),
            line: span.line,
            col: span.col,
        }
    }

    fn require_description(
        &mut self,
        d: &Option<Spanned<String>>,
        owner: Span,
        what: &str,
    ) -> String {
        match d {
            Some(s) if !s.value.trim().is_empty() => s.value.trim_end().to_string(),
            Some(s) => {
                self.error(
                    s.span,
                    format!("the description of {what} is empty"),
                    "empty",
                    Some("describe it: the text becomes the docs".into()),
                );
                String::new()
            }
            None if self.tainted.contains(&owner) => String::new(),
            None => {
                self.error(owner, format!("{what} has no description"), "missing `description`", Some("add `description: ...`: every item is documented in the generated crate, schemas and docs".into()));
                String::new()
            }
        }
    }

    fn markers(&mut self, m: &RawMarkers) -> Markers {
        let since = m
            .since
            .as_ref()
            .and_then(|s| match Version::parse(&s.value) {
                Some(v) => Some(v),
                None => {
                    self.error(
                        s.span,
                        format!("`{}` is not a version", s.value),
                        "expected `major.minor.patch`",
                        Some(
                            "write the spec version that introduced it, e.g. `since: 0.2.0`".into(),
                        ),
                    );
                    None
                }
            });
        Markers {
            deprecated: m.deprecated.as_ref().map(|d| d.value.clone()),
            since,
        }
    }
}

/// Rule: the root lists every other file exactly once under `include`, and every listed file
/// exists. A file that is present but not included would be silently ignored, which is never
/// what its author meant. Returns the files in include order, root first.
fn check_includes(cx: &mut Cx, raw: &RawSpec, root: u32) -> Vec<usize> {
    let names: HashMap<&str, usize> = raw
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (cx.parsed.files[f.file as usize].name.as_str(), i))
        .collect();
    let root_idx = raw.files.iter().position(|f| f.file == root);
    let mut order: Vec<usize> = root_idx.into_iter().collect();
    let mut seen: HashMap<&str, Span> = HashMap::new();
    // Files offered for a misspelled entry: not reported again as not included.
    let mut suggested: Vec<&str> = Vec::new();
    for inc in &raw.include {
        if let Some(first) = seen.get(inc.value.as_str()) {
            let place = cx.parsed.place(*first);
            cx.error(
                inc.span,
                format!("`{}` is included twice", inc.value),
                "again here",
                Some("remove one of the entries".into()),
            )
            .notes
            .push(format!("{place}: first included here"));
            continue;
        }
        seen.insert(&inc.value, inc.span);
        if inc.value == crate::ROOT_FILE {
            cx.error(
                inc.span,
                "the root file includes itself",
                "here",
                Some("list only the other files".into()),
            );
            continue;
        }
        match names.get(inc.value.as_str()) {
            Some(&i) => order.push(i),
            None => {
                // Only a file that is not included yet can be the one meant.
                let candidates = raw
                    .include
                    .iter()
                    .map(|i| i.value.as_str())
                    .chain([crate::ROOT_FILE]);
                let candidates: Vec<&str> = names
                    .keys()
                    .copied()
                    .filter(|n| !candidates.clone().any(|c| c == *n))
                    .collect();
                let hint = match crate::spec::closest(&inc.value, candidates) {
                    Some(c) => {
                        suggested.push(c);
                        format!("did you mean `{c}`?")
                    }
                    None => format!(
                        "create `{}` or remove the entry; paths are relative to the spec directory",
                        inc.value
                    ),
                };
                cx.error(
                    inc.span,
                    format!("included file `{}` does not exist", inc.value),
                    "not found",
                    Some(hint),
                );
            }
        }
    }
    for f in &raw.files {
        let name = cx.parsed.files[f.file as usize].name.as_str();
        if f.file != root
            && !seen.contains_key(name)
            && !suggested.contains(&name)
            && !root_is_empty(cx, root)
        {
            cx.error(
                Span {
                    file: f.file,
                    line: 1,
                    col: 1,
                    len: 1,
                },
                format!("`{name}` is not included by `{}`", crate::ROOT_FILE),
                "this file is ignored",
                Some(format!(
                    "add `- {name}` under `include` in `{}`, or delete the file",
                    crate::ROOT_FILE
                )),
            );
        }
    }
    order
}

/// An empty root file is reported once, as empty, and not again for each missing section.
fn root_is_empty(cx: &Cx, root: u32) -> bool {
    cx.parsed.files[root as usize].value.is_null()
}

/// Rule: the package section names the outputs with valid values, and the version is semver.
fn lower_package(cx: &mut Cx, raw: &RawSpec, root: u32) -> Option<Package> {
    let Some(p) = &raw.package else {
        if root_is_empty(cx, root) {
            return None; // Reported as an empty file.
        }
        cx.error(Span { file: root, line: 1, col: 1, len: 1 }, "the root file has no `package` section", "no `package` in this file", Some("add `package:` with `name`, `version`, `title`, `description` and `schema_base_url`".into()));
        return None;
    };
    let missing = |cx: &mut Cx,
                   v: &Option<Spanned<String>>,
                   key: &str,
                   example: &str|
     -> Option<Spanned<String>> {
        if v.is_none() {
            cx.error(
                p.span,
                format!("`package` has no `{key}`"),
                format!("missing `{key}`"),
                Some(format!("add `{key}: {example}`")),
            );
        }
        v.clone()
    };
    let name = missing(cx, &p.name, "name", "deck-events");
    let version = missing(cx, &p.version, "version", "0.1.0");
    let title = missing(cx, &p.title, "title", "Deck events");
    let description = cx.require_description(&p.description, p.span, "the package");
    let base = missing(
        cx,
        &p.schema_base_url,
        "schema_base_url",
        "https://schemas.example.com/events/",
    );

    let name = name.and_then(|n| {
        let ok = n.value.starts_with(|c: char| c.is_ascii_lowercase())
            && n.value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !ok {
            cx.error(
                n.span,
                format!("`{}` is not a valid crate name", n.value),
                "invalid crate name",
                Some(
                    "use lowercase ASCII letters, digits, `-` and `_`, starting with a letter"
                        .into(),
                ),
            );
        }
        ok.then_some(n.value)
    });
    let version = version.and_then(|v| {
        let parsed = Version::parse(&v.value);
        if parsed.is_none() {
            cx.error(
                v.span,
                format!("`{}` is not a version", v.value),
                "expected `major.minor.patch`",
                Some("quote it if YAML reads it as a number: `version: \"1.0.0\"`".into()),
            );
        }
        parsed
    });
    let base = base.and_then(|b| {
        let ok = (b.value.starts_with("https://") || b.value.starts_with("http://"))
            && b.value.len() > 8
            && !b.value.contains(char::is_whitespace);
        if !ok {
            cx.error(
                b.span,
                format!("`{}` is not an http(s) URL", b.value),
                "invalid URL",
                Some("schema `$id`s are built from it: use an absolute `https://` URL".into()),
            );
        }
        ok.then(|| {
            if b.value.ends_with('/') {
                b.value
            } else {
                format!("{}/", b.value)
            }
        })
    });
    let signing = match &p.signing {
        None => Some(Signing::None),
        Some(s) => match s.value.as_str() {
            "none" => Some(Signing::None),
            "standard_webhooks" => Some(Signing::StandardWebhooks),
            other => {
                let hint = match crate::spec::closest(other, ["none", "standard_webhooks"]) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => "expected `standard_webhooks` or `none`".into(),
                };
                cx.error(
                    s.span,
                    format!("unknown signing scheme `{other}`"),
                    "unknown scheme",
                    Some(hint),
                );
                None
            }
        },
    };
    let name = name?;
    Some(Package {
        lib_name: name.replace('-', "_"),
        name,
        version: version?,
        title: title?.value,
        description,
        schema_base_url: base?,
        signing: signing?,
        delivery: p
            .delivery
            .as_ref()
            .map(|d| d.value.clone())
            .unwrap_or_default(),
    })
}

#[derive(Default)]
struct TypeTable {
    /// Spec name → id.
    by_name: HashMap<String, TypeId>,
    /// Per id: spec name, Rust name, where it was defined.
    entries: Vec<(String, String, Span)>,
}

/// Rule (pass 1): type names are UpperCamelCase, unique across files, and give a Rust name.
fn declare_type(cx: &mut Cx, table: &mut TypeTable, t: &RawType) {
    let name = &t.name;
    if !names::is_upper_camel(&name.value) {
        let hint = names::type_ident(&name.value).map(|n| format!("write it `{n}`"));
        cx.error(
            name.span,
            format!("type name `{}` is not UpperCamelCase", name.value),
            "type names are UpperCamelCase",
            hint,
        );
    }
    declare(cx, table, &name.value, name.span, "type");
    match &t.body {
        RawBody::Object(fields) => declare_inline(cx, table, &name.value, fields),
        RawBody::Id(_) | RawBody::Enum(_) | RawBody::Invalid => {}
    }
}

fn declare(cx: &mut Cx, table: &mut TypeTable, name: &str, span: Span, what: &str) {
    if let Some(&first) = table.by_name.get(name) {
        let place = cx.parsed.place(table.entries[first.0].2);
        cx.error(
            span,
            format!("{what} `{name}` is defined twice"),
            "defined again here",
            Some("rename one of them".into()),
        )
        .notes
        .push(format!("{place}: first defined here"));
        return;
    }
    let rust = names::type_ident(name).unwrap_or_else(|| "Invalid".to_string());
    let id = TypeId(table.entries.len());
    table.by_name.insert(name.to_string(), id);
    table.entries.push((name.to_string(), rust, span));
}

fn declare_inline(cx: &mut Cx, table: &mut TypeTable, parent: &str, fields: &[RawField]) {
    for f in fields {
        let inline_fields = match &f.ty {
            RawFieldType::InlineEnum(_) => None,
            RawFieldType::InlineObject(fields) => Some(fields),
            RawFieldType::Expr(_) | RawFieldType::Invalid => continue,
        };
        let Some(name) = names::hoisted_type_name(parent, &f.name.value) else {
            continue;
        };
        if let Some(&first) = table.by_name.get(&name) {
            let place = cx.parsed.place(table.entries[first.0].2);
            cx.error(
                f.name.span,
                format!("the inline type of field `{}` is named `{name}`, which is already defined", f.name.value),
                "inline type named after its parent and field",
                Some(format!("define the shape under `types` with another name and write `type: ThatName`, or rename `{name}`")),
            )
            .notes
            .push(format!("{place}: `{name}` defined here"));
            continue;
        }
        declare(cx, table, &name, f.name.span, "type");
        if let Some(fields) = inline_fields {
            declare_inline(cx, table, &name, fields);
        }
    }
}

fn lower_type(cx: &mut Cx, table: &TypeTable, types: &mut [Option<TypeDef>], t: &RawType) {
    let Some(&id) = table.by_name.get(&t.name.value) else {
        return;
    };
    if table.entries[id.0].2 != t.name.span {
        return; // A duplicate, already reported.
    }
    let what = format!("type `{}`", t.name.value);
    let description = cx.require_description(&t.description, t.name.span, &what);
    let markers = cx.markers(&t.markers);
    let kind = match &t.body {
        RawBody::Id(prefix) => {
            let p = &prefix.value;
            let ok = !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ok {
                cx.error(
                    prefix.span,
                    format!("ID prefix `{p}` has characters IDs do not use"),
                    "invalid prefix",
                    Some(
                        "a prefix is lowercase letters and digits followed by `_`, e.g. `trun_`"
                            .into(),
                    ),
                );
            }
            TypeKind::Id { prefix: p.clone() }
        }
        RawBody::Enum(values) => TypeKind::Enum {
            values: lower_values(cx, values, &t.name.value, t.name.span),
        },
        RawBody::Object(fields) => {
            let fields = lower_fields(cx, table, types, Owner::Type(&t.name.value), fields);
            TypeKind::Object {
                fields,
                resource: None,
            }
        }
        RawBody::Invalid => return,
    };
    if !matches!(kind, TypeKind::Object { .. }) {
        if let Some(r) = &t.resource {
            cx.error(
                r.span,
                format!("`resource` on {what}, which is not an object"),
                "only objects are resources",
                Some("events carry objects in `data`: move `resource` to an object type".into()),
            );
        }
    }
    let (wire, rust, span) = table.entries[id.0].clone();
    types[id.0] = Some(TypeDef {
        slug: names::slug(&wire),
        name: Name { wire, rust },
        description,
        kind,
        markers,
        origin: cx.origin(span),
    });
}

/// Rule: enum values give distinct Rust variants (`in-progress` and `in_progress` would both be
/// `InProgress`), each has a description, and each can be named in Rust at all.
fn lower_values(cx: &mut Cx, values: &[RawValue], owner: &str, owner_span: Span) -> Vec<EnumValue> {
    if values.is_empty() {
        cx.error(
            owner_span,
            format!("enum `{owner}` has no values"),
            "empty enum",
            Some("list at least one value under `values`".into()),
        );
    }
    let mut seen: BTreeMap<String, (String, Span)> = BTreeMap::new();
    let mut out = Vec::new();
    for v in values {
        let description = cx.require_description(
            &v.description,
            v.name.span,
            &format!("enum value `{}`", v.name.value),
        );
        let markers = cx.markers(&v.markers);
        let Some(rust) = names::variant_ident(&v.name.value) else {
            cx.error(
                v.name.span,
                format!(
                    "enum value `{}` has no letter or digit to name a Rust variant",
                    v.name.value
                ),
                "cannot be named",
                Some("spell the value with at least one ASCII letter or digit".into()),
            );
            continue;
        };
        if let Some((first, span)) = seen.get(&rust) {
            let place = cx.parsed.place(*span);
            cx.error(
                v.name.span,
                format!(
                    "enum values `{first}` and `{}` both become the Rust variant `{rust}`",
                    v.name.value
                ),
                "collides after case conversion",
                Some(
                    "remove the duplicate, or spell the values so they differ in letters or digits"
                        .into(),
                ),
            )
            .notes
            .push(format!("{place}: `{first}` defined here"));
            continue;
        }
        seen.insert(rust.clone(), (v.name.value.clone(), v.name.span));
        out.push(EnumValue {
            name: Name {
                wire: v.name.value.clone(),
                rust,
            },
            description,
            markers,
        });
    }
    out
}

/// Whose fields are being lowered. The envelope is told apart by this, never by its name: a spec
/// may define a type called `Event`, and its fields must not pass for the envelope's.
#[derive(Clone, Copy)]
enum Owner<'a> {
    /// The event envelope, the only owner of the discriminator and the payload.
    Envelope,
    /// A named type, or an inline type hoisted under the given name.
    Type(&'a str),
}

impl<'a> Owner<'a> {
    /// The name inline types of the owner's fields are hoisted under (`Event` + `Meta`).
    fn name(self) -> &'a str {
        match self {
            Owner::Envelope => names::ENVELOPE_TYPE,
            Owner::Type(name) => name,
        }
    }
}

/// Rule: field names give distinct Rust identifiers, types resolve, `const` only on strings.
fn lower_fields(
    cx: &mut Cx,
    table: &TypeTable,
    types: &mut [Option<TypeDef>],
    owner: Owner,
    fields: &[RawField],
) -> Vec<Field> {
    let parent = owner.name();
    let mut seen: BTreeMap<String, (String, Span)> = BTreeMap::new();
    let mut out = Vec::new();
    for f in fields {
        let what = format!("field `{}`", f.name.value);
        let description = cx.require_description(&f.description, f.name.span, &what);
        let markers = cx.markers(&f.markers);
        let Some(rust) = names::field_ident(&f.name.value) else {
            cx.error(
                f.name.span,
                format!(
                    "field name `{}` has no letter or digit to name a Rust field",
                    f.name.value
                ),
                "cannot be named",
                Some("spell the field name with at least one ASCII letter or digit".into()),
            );
            continue;
        };
        if let Some((first, span)) = seen.get(&rust) {
            let place = cx.parsed.place(*span);
            cx.error(
                f.name.span,
                format!(
                    "fields `{first}` and `{}` both become the Rust field `{rust}`",
                    f.name.value
                ),
                "collides after case conversion",
                Some("rename one of the fields".into()),
            )
            .notes
            .push(format!("{place}: `{first}` defined here"));
            continue;
        }
        seen.insert(rust.clone(), (f.name.value.clone(), f.name.span));
        let ty = match &f.ty {
            RawFieldType::Expr(e) => {
                parse_type_expr(cx, table, e, matches!(owner, Owner::Envelope))
            }
            RawFieldType::InlineEnum(_) | RawFieldType::InlineObject(_) => {
                let hoisted = names::hoisted_type_name(parent, &f.name.value).unwrap_or_default();
                let Some(&id) = table.by_name.get(&hoisted) else {
                    continue;
                };
                if table.entries[id.0].2 != f.name.span {
                    continue; // Name clash, already reported.
                }
                let kind = match &f.ty {
                    RawFieldType::InlineEnum(values) => TypeKind::Enum {
                        values: lower_values(cx, values, &hoisted, f.name.span),
                    },
                    RawFieldType::InlineObject(fields) => TypeKind::Object {
                        fields: lower_fields(cx, table, types, Owner::Type(&hoisted), fields),
                        resource: None,
                    },
                    _ => unreachable!("matched above"),
                };
                let (wire, rust_ty, span) = table.entries[id.0].clone();
                types[id.0] = Some(TypeDef {
                    slug: names::slug(&wire),
                    name: Name {
                        wire,
                        rust: rust_ty,
                    },
                    description: description.clone(),
                    kind,
                    markers: Markers::default(),
                    origin: cx.origin(span),
                });
                Some(TypeRef::Named(id))
            }
            RawFieldType::Invalid => None,
        };
        let Some(ty) = ty else { continue };
        if let Some(c) = &f.constant {
            if ty != TypeRef::String {
                cx.error(
                    c.span,
                    format!("`const` on {what}, which is not a `string`"),
                    "const needs `type: string`",
                    Some("for a fixed set of values use `values:` instead".into()),
                );
            }
        }
        out.push(Field {
            name: Name {
                wire: f.name.value.clone(),
                rust,
            },
            description,
            ty,
            optional: f.optional,
            nullable: f.nullable,
            constant: f.constant.as_ref().map(|c| c.value.clone()),
            boxed: false,
            markers,
            origin: cx.origin(f.name.span),
        });
    }
    out
}

/// Parses a type expression (`string`, `array<Error>`, `map<json>`, `TaskRun`), reporting the
/// closest known name for a misspelling.
fn parse_type_expr(
    cx: &mut Cx,
    table: &TypeTable,
    e: &Spanned<String>,
    in_envelope: bool,
) -> Option<TypeRef> {
    fn parse(s: &str) -> Result<Expr<'_>, String> {
        let s = s.trim();
        for (prefix, is_array) in [("array<", true), ("map<", false)] {
            if let Some(rest) = s.strip_prefix(prefix) {
                let inner = rest
                    .strip_suffix('>')
                    .ok_or_else(|| format!("`{s}` is missing its closing `>`"))?;
                let inner = Box::new(parse(inner)?);
                return Ok(if is_array {
                    Expr::Array(inner)
                } else {
                    Expr::Map(inner)
                });
            }
        }
        if s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{s}` is not a type name"));
        }
        Ok(Expr::Name(s))
    }
    enum Expr<'a> {
        Name(&'a str),
        Array(Box<Expr<'a>>),
        Map(Box<Expr<'a>>),
    }
    fn resolve(
        cx: &mut Cx,
        table: &TypeTable,
        e: &Spanned<String>,
        x: &Expr,
        in_envelope: bool,
        top: bool,
    ) -> Option<TypeRef> {
        Some(match x {
            Expr::Array(inner) => {
                TypeRef::Array(Box::new(resolve(cx, table, e, inner, in_envelope, false)?))
            }
            Expr::Map(inner) => {
                TypeRef::Map(Box::new(resolve(cx, table, e, inner, in_envelope, false)?))
            }
            Expr::Name(n) => match *n {
                "string" => TypeRef::String,
                "integer" => TypeRef::Integer,
                "number" => TypeRef::Number,
                "boolean" => TypeRef::Boolean,
                "datetime" => TypeRef::DateTime,
                "url" => TypeRef::Url,
                "json" => TypeRef::Json,
                "event_type" | "event_data" if in_envelope && top => {
                    if *n == "event_type" {
                        TypeRef::EventType
                    } else {
                        TypeRef::EventData
                    }
                }
                "event_type" | "event_data" => {
                    cx.error(
                        e.span,
                        format!("`{n}` is only valid as the type of an envelope field"),
                        "envelope-only type",
                        Some("it marks the envelope's discriminator and payload fields".into()),
                    );
                    return None;
                }
                other => match table.by_name.get(other) {
                    Some(&id) => TypeRef::Named(id),
                    None => {
                        let candidates = BUILTIN_TYPES
                            .iter()
                            .copied()
                            .chain(table.entries.iter().map(|(n, _, _)| n.as_str()));
                        let hint = match crate::spec::closest(other, candidates) {
                            Some(c) => format!("did you mean `{c}`?"),
                            None => format!(
                                "define `{other}` under `types`, or use a built-in type: {}",
                                crate::spec::list(BUILTIN_TYPES)
                            ),
                        };
                        cx.error(
                            e.span,
                            format!("unknown type `{other}`"),
                            "not defined",
                            Some(hint),
                        );
                        return None;
                    }
                },
            },
        })
    }
    match parse(&e.value) {
        Ok(x) => resolve(cx, table, e, &x, in_envelope, true),
        Err(msg) => {
            cx.error(
                e.span,
                format!("invalid type expression: {msg}"),
                "invalid type",
                Some("write a type name, `array<T>` or `map<T>`".into()),
            );
            None
        }
    }
}

/// Rule: the envelope has exactly one `event_type` field (the discriminator) and one
/// `event_data` field (the payload), and documents itself.
fn lower_envelope(
    cx: &mut Cx,
    table: &TypeTable,
    types: &mut [Option<TypeDef>],
    raw: &RawSpec,
    root: u32,
) -> Option<Envelope> {
    let Some(env) = &raw.envelope else {
        if root_is_empty(cx, root) {
            return None; // Reported as an empty file.
        }
        cx.error(Span { file: root, line: 1, col: 1, len: 1 }, "the root file has no `envelope` section", "no `envelope` in this file", Some("add `envelope:` with the event object's fields, one of `type: event_type` and one of `type: event_data`".into()));
        return None;
    };
    let description = cx.require_description(&env.description, env.span, "the envelope");
    let fields = lower_fields(cx, table, types, Owner::Envelope, &env.fields);
    let find = |cx: &mut Cx, want: TypeRef, name: &str| -> Option<usize> {
        let hits: Vec<usize> = fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.ty == want)
            .map(|(i, _)| i)
            .collect();
        match hits.as_slice() {
            [one] => Some(*one),
            [] => {
                cx.error(env.span, format!("the envelope has no field of type `{name}`"), format!("missing `{name}` field"), Some(format!("add the field that carries it, e.g. `{}: {{ type: {name}, description: ... }}`", if name == "event_type" { "type" } else { "data" })));
                None
            }
            [first, rest @ ..] => {
                let first_place = fields[*first].origin.clone();
                for &i in rest {
                    let span = raw
                        .envelope
                        .as_ref()
                        .and_then(|e| {
                            e.fields
                                .iter()
                                .find(|f| f.name.value == fields[i].name.wire)
                        })
                        .map(|f| f.name.span)
                        .unwrap_or(env.span);
                    cx.error(
                        span,
                        format!("the envelope has more than one field of type `{name}`"),
                        "second one",
                        Some(
                            "an event has exactly one: remove this field or change its type".into(),
                        ),
                    )
                    .notes
                    .push(format!(
                        "{}:{}:{}: the first field of type `{name}`",
                        first_place.file, first_place.line, first_place.col
                    ));
                }
                None
            }
        }
    };
    let type_field = find(cx, TypeRef::EventType, "event_type");
    let data_field = find(cx, TypeRef::EventData, "event_data");
    for (i, f) in fields.iter().enumerate() {
        if (Some(i) == type_field || Some(i) == data_field) && (f.optional || f.nullable) {
            let span = env
                .fields
                .iter()
                .find(|r| r.name.value == f.name.wire)
                .map(|r| r.name.span)
                .unwrap_or(env.span);
            cx.error(
                span,
                format!(
                    "envelope field `{}` cannot be optional or nullable",
                    f.name.wire
                ),
                "always present",
                Some("every event has a type and a payload".into()),
            );
        }
    }
    Some(Envelope {
        description,
        fields,
        type_field: type_field?,
        data_field: data_field?,
    })
}

/// Rule: Rust names and slugs of types are unique (`HTTPError` and `HttpError` would clash).
fn check_type_names_unique(cx: &mut Cx, types: &[TypeDef], table: &TypeTable) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, t) in types.iter().enumerate() {
        if let Some(&first) = seen.get(t.name.rust.as_str()) {
            let place = cx.parsed.place(table.entries[first].2);
            cx.error(
                table.entries[i].2,
                format!(
                    "types `{}` and `{}` both become the Rust type `{}`",
                    types[first].name.wire, t.name.wire, t.name.rust
                ),
                "collides after case conversion",
                Some("rename one of them".into()),
            )
            .notes
            .push(format!(
                "{place}: `{}` defined here",
                types[first].name.wire
            ));
        } else {
            seen.insert(&t.name.rust, i);
        }
    }
}

/// Direct (unboxed) references from an object's fields: an array or map already allocates, so
/// only plain references can make a Rust struct infinitely large.
fn direct_ref(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    }
}

/// Rule: a cycle of objects referring to each other directly is boxed in Rust; a cycle in which
/// every field is required and non-null can never end in a finite payload, so it is an error.
fn check_cycles(cx: &mut Cx, types: &mut [TypeDef]) {
    let n = types.len();
    let edges = |types: &[TypeDef], only_required: bool| -> Vec<Vec<TypeId>> {
        types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Object { fields, .. } => fields
                    .iter()
                    .filter(|f| !only_required || f.always_present())
                    .filter_map(|f| direct_ref(&f.ty))
                    .filter(|id| matches!(types[id.0].kind, TypeKind::Object { .. }))
                    .collect(),
                _ => Vec::new(),
            })
            .collect()
    };
    let reach = |edges: &[Vec<TypeId>], from: TypeId, to: TypeId| -> bool {
        let mut seen = vec![false; n];
        let mut stack = vec![from];
        while let Some(x) = stack.pop() {
            if x == to {
                return true;
            }
            if std::mem::replace(&mut seen[x.0], true) {
                continue;
            }
            stack.extend(edges[x.0].iter().copied());
        }
        false
    };
    let all = edges(types, false);
    let required = edges(types, true);
    let mut reported = vec![false; n];
    for i in 0..n {
        let TypeKind::Object { fields, .. } = &types[i].kind else {
            continue;
        };
        let mut boxes = Vec::new();
        for (fi, f) in fields.iter().enumerate() {
            let Some(target) = direct_ref(&f.ty) else {
                continue;
            };
            if !matches!(types[target.0].kind, TypeKind::Object { .. }) {
                continue;
            }
            if reach(&all, target, TypeId(i)) {
                boxes.push(fi);
                if f.always_present() && reach(&required, target, TypeId(i)) && !reported[i] {
                    // One error per cycle: the other types on it are not reported again.
                    for (j, r) in reported.iter_mut().enumerate() {
                        if reach(&required, TypeId(i), TypeId(j))
                            && reach(&required, TypeId(j), TypeId(i))
                        {
                            *r = true;
                        }
                    }
                    reported[i] = true;
                    let o = &f.origin;
                    let span = span_of(cx, o);
                    cx.error(
                        span,
                        format!("`{}` contains itself through required fields, so no finite payload can match it", types[i].name.wire),
                        "required reference closes the cycle",
                        Some("make a field on the cycle `optional: true` or `nullable: true`".into()),
                    );
                }
            }
        }
        if let TypeKind::Object { fields, .. } = &mut types[i].kind {
            for fi in boxes {
                fields[fi].boxed = true;
            }
        }
    }
}

fn span_of(cx: &Cx, o: &Origin) -> Span {
    let file = cx
        .parsed
        .files
        .iter()
        .position(|f| f.name == o.file)
        .unwrap_or(0) as u32;
    // Origins point at names; the key's own length is in the index.
    let len = cx.parsed.files[file as usize].key_len_at(o.line, o.col);
    Span {
        file,
        line: o.line,
        col: o.col,
        len,
    }
}

/// Rule: resource names are snake_case and unique; each resource makes a group, in spec order.
fn lower_groups(
    cx: &mut Cx,
    types: &mut [TypeDef],
    table: &TypeTable,
    raw: &RawSpec,
    order: &[usize],
) -> (Vec<Group>, HashMap<String, usize>) {
    let stash = order
        .iter()
        .flat_map(|&f| &raw.files[f].types)
        .filter_map(|t| {
            let id = *table.by_name.get(&t.name.value)?;
            let is_object = matches!(types[id.0].kind, TypeKind::Object { .. });
            let first_definition = table.entries[id.0].2 == t.name.span;
            Some((
                id,
                t.resource
                    .clone()
                    .filter(|_| is_object && first_definition)?,
                t.title.clone(),
            ))
        })
        .collect::<Vec<_>>();
    let mut groups = Vec::new();
    let mut by_object: HashMap<String, usize> = HashMap::new();
    let mut spans: Vec<Span> = Vec::new();
    for (id, object, title) in stash {
        if !names::is_snake_case(&object.value) {
            cx.error(
                object.span,
                format!("resource name `{}` is not snake_case", object.value),
                "not snake_case",
                Some("it is the object part of event names, e.g. `task_run`".into()),
            );
            continue;
        }
        if let Some(&g) = by_object.get(&object.value) {
            let place = cx.parsed.place(spans[g]);
            cx.error(
                object.span,
                format!("two types are the resource `{}`", object.value),
                "second resource",
                Some("each resource name belongs to one object type".into()),
            )
            .notes
            .push(format!("{place}: first declared here"));
            continue;
        }
        let title = title
            .map(|t| t.value)
            .unwrap_or_else(|| sentence_case(&object.value));
        let g = groups.len();
        by_object.insert(object.value.clone(), g);
        spans.push(object.span);
        groups.push(Group {
            title: title.clone(),
            object: object.value.clone(),
            resource: id,
            events: Vec::new(),
            slug: object.value.clone(),
        });
        if let TypeKind::Object { resource, .. } = &mut types[id.0].kind {
            *resource = Some(Resource {
                object: object.value,
                title,
                group: g,
            });
        }
    }
    (groups, by_object)
}

fn sentence_case(snake: &str) -> String {
    let words = snake.replace('_', " ");
    let mut c = words.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Rule: event names are `object.action` in snake_case, the object is a resource, `data` (if
/// given) is an object type, there is a description and at least one example.
fn lower_event(
    cx: &mut Cx,
    table: &TypeTable,
    types: &[TypeDef],
    resources: &HashMap<String, usize>,
    groups: &[Group],
    e: &RawEvent,
) -> Option<EventDef> {
    let name = &e.name;
    let what = format!("event `{}`", name.value);
    let description = cx.require_description(&e.description, name.span, &what);
    let markers = cx.markers(&e.markers);
    let parts: Vec<&str> = name.value.split('.').collect();
    let [object, action] = parts.as_slice() else {
        cx.error(
            name.span,
            format!("event name `{}` is not `object.action`", name.value),
            "expected one `.`",
            Some(
                "name events after their resource and what happened, e.g. `task_run.completed`"
                    .into(),
            ),
        );
        return None;
    };
    let mut bad = false;
    for part in [object, action] {
        if !names::is_snake_case(part) {
            bad = true;
            let fixed = heck::ToSnakeCase::to_snake_case(*part);
            cx.error(
                name.span,
                format!("`{part}` in event name `{}` is not snake_case", name.value),
                "not snake_case",
                Some(format!("write `{fixed}`: lowercase words joined by `_`")),
            );
        }
    }
    if bad {
        return None;
    }
    let Some(&group) = resources.get(*object) else {
        let hint = match crate::spec::closest(object, resources.keys().map(String::as_str)) {
            Some(c) => format!("did you mean `{c}.{action}`?"),
            None => format!("mark the object type of `{object}` events with `resource: {object}`"),
        };
        cx.error(
            name.span,
            format!("no resource named `{object}` for {what}"),
            "unknown object",
            Some(hint),
        );
        return None;
    };
    let data = match &e.data {
        None => groups[group].resource,
        Some(d) => match table.by_name.get(&d.value) {
            Some(&id) if matches!(types[id.0].kind, TypeKind::Object { .. }) => id,
            Some(_) => {
                cx.error(
                    d.span,
                    format!(
                        "`data` of {what} is `{}`, which is not an object type",
                        d.value
                    ),
                    "not an object",
                    Some("point `data` at an object type, or leave it out to carry the resource of the event's object".into()),
                );
                return None;
            }
            None => {
                let hint = crate::spec::closest(
                    &d.value,
                    table.entries.iter().map(|(n, _, _)| n.as_str()),
                )
                .map(|c| format!("did you mean `{c}`?"));
                cx.error(
                    d.span,
                    format!("unknown type `{}`", d.value),
                    "not defined",
                    hint,
                );
                return None;
            }
        },
    };
    if e.examples.is_empty() {
        cx.error(
            e.examples_span,
            format!("{what} has no example"),
            "no example",
            Some("add `examples:` with at least one whole event as Deck sends it".into()),
        );
    }
    let rust = names::event_variant(object, action).expect("snake_case parts are nameable");
    Some(EventDef {
        name: Name {
            wire: name.value.clone(),
            rust,
        },
        object: object.to_string(),
        action: action.to_string(),
        description,
        data,
        group,
        examples: Vec::new(),
        markers,
        origin: cx.origin(name.span),
    })
}

/// Rule: event types are unique across files, and so are their Rust variants
/// (`task_run.completed` and `task.run_completed` would both be `TaskRunCompleted`).
fn check_events_unique(cx: &mut Cx, events: &[(EventDef, &RawEvent)]) {
    let mut wire: HashMap<&str, Span> = HashMap::new();
    let mut rust: HashMap<&str, (&str, Span)> = HashMap::new();
    for (ev, raw) in events {
        if let Some(first) = wire.get(ev.name.wire.as_str()) {
            let place = cx.parsed.place(*first);
            cx.error(
                raw.name.span,
                format!("event `{}` is defined twice", ev.name.wire),
                "defined again here",
                Some("remove one of the definitions".into()),
            )
            .notes
            .push(format!("{place}: first defined here"));
            continue;
        }
        wire.insert(&ev.name.wire, raw.name.span);
        if let Some((first, span)) = rust.get(ev.name.rust.as_str()) {
            let place = cx.parsed.place(*span);
            cx.error(
                raw.name.span,
                format!(
                    "events `{first}` and `{}` both become the Rust variant `{}`",
                    ev.name.wire, ev.name.rust
                ),
                "collides after case conversion",
                Some("rename one of the events".into()),
            )
            .notes
            .push(format!("{place}: `{first}` defined here"));
            continue;
        }
        rust.insert(&ev.name.rust, (&ev.name.wire, raw.name.span));
    }
}

/// Rule: nothing claims to be introduced in a version later than the spec's own.
fn check_since(
    cx: &mut Cx,
    package: &Option<Package>,
    types: &[TypeDef],
    events: &[(EventDef, &RawEvent)],
) {
    let Some(p) = package else { return };
    let check = |cx: &mut Cx, m: &Markers, o: &Origin, what: &str| {
        if let Some(s) = m.since {
            if s > p.version {
                let span = span_of(cx, o);
                cx.error(
                    span,
                    format!(
                        "{what} is marked `since: {s}`, later than the spec version {}",
                        p.version
                    ),
                    "from the future",
                    Some(format!(
                        "bump `package.version` to at least {s}, or fix `since`"
                    )),
                );
            }
        }
    };
    for t in types {
        check(
            cx,
            &t.markers,
            &t.origin,
            &format!("type `{}`", t.name.wire),
        );
        if let TypeKind::Object { fields, .. } = &t.kind {
            for f in fields {
                check(
                    cx,
                    &f.markers,
                    &f.origin,
                    &format!("field `{}`", f.name.wire),
                );
            }
        }
    }
    for (e, _) in events {
        check(
            cx,
            &e.markers,
            &e.origin,
            &format!("event `{}`", e.name.wire),
        );
    }
}
