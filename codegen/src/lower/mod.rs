//! Stage 2: checks the raw spec and resolves it into the [`Model`].
//!
//! Each rule is a named function with a comment saying what it enforces and why. All rules run,
//! each pushing diagnostics, and the model is returned only if none fired: emitters can then rely
//! on every reference resolving, every name being unique in its scope and every example matching.

use crate::diag::{Diagnostic, Diagnostics, Note, Span};
use crate::model::{EventDef, EventId, Markers, Model, Origin, TypeDef, Version};
use crate::spec::{RawEvent, RawMarkers, RawSpec, Spanned};
use crate::yaml::Parsed;

mod cycles;
mod envelope;
mod events;
mod fields;
mod groups;
mod includes;
mod package;
mod rust_names;
mod since;
mod table;
mod type_expr;
mod types;

use cycles::check_cycles;
use envelope::lower_envelope;
use events::{check_events_unique, lower_event};
use fields::Owner;
use groups::lower_groups;
use includes::{check_includes, root_is_empty};
use package::lower_package;
use since::check_since;
use table::TypeTable;
use types::{check_type_names_unique, declare_inline, declare_type, lower_type};

/// Checks and resolves a decoded spec; `diags` holds the decoder's mistakes, if any.
pub(crate) fn lower(
    raw: &RawSpec,
    parsed: &Parsed,
    diags: Diagnostics,
) -> Result<Model, Diagnostics> {
    let mut cx = Cx {
        parsed,
        diags,
        tainted: &raw.tainted,
    };
    let root = match raw.root {
        Some(r) => r,
        None => {
            let d = Diagnostic {
                file: crate::files::ROOT_FILE.into(),
                line: 1,
                col: 1,
                len: 1,
                message: "the spec has no root file".into(),
                label: String::new(),
                hint: Some(format!(
                    "create `{}` with `package`, `envelope` and `include`",
                    crate::files::ROOT_FILE
                )),
                notes: Vec::new(),
                source_line: None,
                kind: crate::diag::DiagnosticKind::Semantic,
            };
            cx.diags.push(d);
            return cx.diags.fail();
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
    let mut types: Vec<Option<TypeDef>> = vec![None; table.len()];
    for &f in &order {
        for t in &raw.files[f].types {
            lower_type(&mut cx, &table, &mut types, t);
        }
    }
    let envelope = lower_envelope(&mut cx, &table, &mut types, raw, root);
    let mut types: Vec<TypeDef> = types.into_iter().flatten().collect();
    if types.len() != table.len() {
        // Some type failed to lower and was reported; the model cannot be built.
        return cx.diags.fail();
    }
    check_type_names_unique(&mut cx, &table);
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
        return cx.diags.fail();
    };
    let Some(envelope) = envelope else {
        return cx.diags.fail();
    };
    if !cx.diags.is_empty() {
        return cx.diags.fail();
    }

    let mut groups = groups;
    let mut model_events = Vec::with_capacity(events.len());
    // Events are stored group by group, in spec order inside each group.
    let mut by_group: Vec<Vec<(EventDef, &RawEvent)>> = vec![Vec::new(); groups.len()];
    for (ev, raw_ev) in events {
        by_group[ev.group.0].push((ev, raw_ev));
    }
    let mut raw_events = Vec::new();
    for (g, evs) in by_group.into_iter().enumerate() {
        for (ev, raw_ev) in evs {
            groups[g].events.push(EventId(model_events.len()));
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

    /// An error about a second occurrence of something, with a note at the first one
    /// (`self.parsed.note(first, "first defined here")`).
    fn again(
        &mut self,
        span: Span,
        first: Note,
        message: impl Into<String>,
        label: impl Into<String>,
        hint: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = self.error(span, message, label, Some(hint.into()));
        d.notes.push(first);
        d
    }

    /// The root section `key`, or `None` when the spec lacks it, reported at the top of the root
    /// file with `hint` (but not when the root file is empty, which is reported once, as empty).
    fn section<'s, T>(
        &mut self,
        section: Option<&'s T>,
        root: u32,
        key: &str,
        hint: &str,
    ) -> Option<&'s T> {
        if section.is_none() && !root_is_empty(self, root) {
            let span = Span {
                file: root,
                line: 1,
                col: 1,
                len: 1,
            };
            self.error(
                span,
                format!("the root file has no `{key}` section"),
                format!("no `{key}` in this file"),
                Some(hint.into()),
            )
            .shape();
        }
        section
    }

    fn origin(&self, span: Span) -> Origin {
        Origin {
            file: self.parsed.files[span.file as usize].name.clone(),
            line: span.line,
            col: span.col,
        }
    }

    /// The span of the name an origin points at, for a diagnostic about a lowered item.
    fn span_of(&self, o: &Origin) -> Span {
        let file = self
            .parsed
            .files
            .iter()
            .position(|f| f.name == o.file)
            .unwrap_or(0) as u32;
        // Origins point at names; the key's own length is in the index.
        let len = self.parsed.files[file as usize].key_len_at(o.line, o.col);
        Span {
            file,
            line: o.line,
            col: o.col,
            len,
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
                )
                .shape();
                String::new()
            }
            None if self.tainted.contains(&owner) => String::new(),
            None => {
                self.error(owner, format!("{what} has no description"), "missing `description`", Some("add `description: ...`: every item is documented in the generated crate, schemas and docs".into())).shape();
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
                    )
                    .shape();
                    None
                }
            });
        Markers {
            deprecated: m.deprecated.as_ref().map(|d| d.value.clone()),
            since,
        }
    }
}
