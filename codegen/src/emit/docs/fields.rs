//! Docs view, field tables: a field's type, markers and values, and nested objects expanded in place.

use askama::Template;

use super::json::escape_into;
use super::markdown;
use super::page::{Badge, Deprecation, FieldRow, FieldTable, Nested, ValueRow, type_path};
use crate::history::{History, Step, Target};
use crate::model::{Field, Markers, Model, TypeId, TypeKind, TypeRef};

/// The badges of an item: deprecation and where it came from. The recorded releases answer
/// "added in" for everything added after the first of them; the spec's own `since` marker
/// speaks only for what predates the records.
pub(super) fn badges(markers: &Markers, history: &History, target: &Target) -> Vec<Badge> {
    let mut out = Vec::new();
    if let Some(reason) = &markers.deprecated {
        out.push(Badge {
            class: "deprecated",
            label: match history.latest(target, Step::Deprecated) {
                Some(v) => format!("deprecated in {v}"),
                None => "deprecated".into(),
            },
            title: markdown::plain(reason),
        });
    }
    match (history.latest(target, Step::Added), markers.since) {
        (Some(v), _) => out.push(Badge {
            class: "since",
            label: format!("added in {v}"),
            title: String::new(),
        }),
        (None, Some(since)) => out.push(Badge {
            class: "since",
            label: format!("since {since}"),
            title: String::new(),
        }),
        (None, None) => {}
    }
    if let Some(v) = history.latest(target, Step::TypeChanged) {
        out.push(Badge {
            class: "changed",
            label: format!("type changed in {v}"),
            title: String::new(),
        });
    }
    out
}

/// A field's badges: an item's, and when its presence changed.
fn field_badges(f: &Field, history: &History, target: &Target) -> Vec<Badge> {
    let mut out = badges(&f.markers, history, target);
    let (step, word) = if f.optional {
        (Step::MadeOptional, "optional")
    } else {
        (Step::MadeRequired, "required")
    };
    if let Some(v) = history.latest(target, step) {
        out.push(Badge {
            class: "changed",
            label: format!("{word} since {v}"),
            title: format!(
                "{} before {v}",
                if f.optional { "required" } else { "optional" }
            ),
        });
    }
    out
}

/// The address of a field of `owner` (`None`: the envelope).
fn field_target(owner: Option<&str>, f: &Field) -> Target {
    Target::Field {
        owner: owner.map(str::to_owned),
        name: f.name.clone(),
    }
}

pub(super) fn deprecation(markers: &Markers) -> Option<Deprecation> {
    markers.deprecated.as_ref().map(|reason| Deprecation {
        reason_html: markdown::inline(reason),
    })
}

/// The type of a field as HTML: spec notation (`array<Error>`), named types linked to their page.
pub(super) fn type_html(model: &Model, ty: &TypeRef, root: &str) -> String {
    match ty {
        TypeRef::Array(inner) => format!("array&lt;{}&gt;", type_html(model, inner, root)),
        TypeRef::Map(inner) => format!("map&lt;{}&gt;", type_html(model, inner, root)),
        TypeRef::Named(id) => {
            let mut out = format!("<a href=\"{root}{}\">", type_path(model, *id));
            escape_into(&mut out, &model.ty(*id).name);
            out.push_str("</a>");
            out
        }
        TypeRef::EventType => format!("<a href=\"{root}index.html\">event type</a>"),
        TypeRef::EventData => "object, by event type".into(),
        scalar => scalar
            .keyword()
            .expect("every other type is a keyword")
            .into(),
    }
}

/// The named type at the bottom of arrays and maps, if any.
pub(super) fn innermost_named(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) => innermost_named(inner),
        _ => None,
    }
}

pub(super) fn value_rows(model: &Model, history: &History, id: TypeId) -> Vec<ValueRow> {
    let owner = &model.ty(id).name;
    match &model.ty(id).kind {
        TypeKind::Enum { values } => values
            .iter()
            .map(|v| ValueRow {
                anchor: format!("value-{}", v.name),
                wire: v.name.clone(),
                description_html: markdown::inline(&v.description),
                badges: badges(
                    &v.markers,
                    history,
                    &Target::Value {
                        owner: owner.clone(),
                        name: v.name.clone(),
                    },
                ),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The field table of `fields` as HTML, with every nested object's fields in place under its
/// field, to any depth. `prefix` is the path of the field whose type these fields are (empty at
/// the top), for the anchors; `open` holds the types being expanded further up, which are linked,
/// not expanded again, so recursive types end. `owner` is the object type the fields belong to
/// (`None`: the envelope), for their history.
pub(super) fn field_table(
    model: &Model,
    history: &History,
    owner: Option<TypeId>,
    fields: &[Field],
    root: &str,
    prefix: &str,
    open: &mut Vec<TypeId>,
) -> String {
    if fields.is_empty() {
        return String::new();
    }
    let owner = owner.map(|id| model.ty(id).name.as_str());
    let rows = fields
        .iter()
        .map(|f| field_row(model, history, owner, f, root, prefix, open))
        .collect();
    FieldTable { fields: rows }
        .render()
        .unwrap_or_else(|e| panic!("rendering a field table: {e}"))
}

pub(super) fn field_row(
    model: &Model,
    history: &History,
    owner: Option<&str>,
    f: &Field,
    root: &str,
    prefix: &str,
    open: &mut Vec<TypeId>,
) -> FieldRow {
    let path = if prefix.is_empty() {
        f.name.clone()
    } else {
        format!("{prefix}.{}", f.name)
    };
    let named = innermost_named(&f.ty);
    let nested = named.and_then(|id| match &model.ty(id).kind {
        TypeKind::Object { fields, .. } if !fields.is_empty() && !open.contains(&id) => {
            open.push(id);
            let table_html = field_table(model, history, Some(id), fields, root, &path, open);
            open.pop();
            Some(Nested {
                type_name: model.ty(id).name.clone(),
                count: fields.len(),
                table_html,
            })
        }
        _ => None,
    });
    FieldRow {
        anchor: format!("field-{path}"),
        name: f.name.clone(),
        path,
        type_html: type_html(model, &f.ty, root),
        required: !f.optional,
        nullable: f.nullable,
        constant: f.constant.clone(),
        badges: field_badges(f, history, &field_target(owner, f)),
        description_html: markdown::inline(&f.description),
        values: named
            .map(|id| value_rows(model, history, id))
            .unwrap_or_default(),
        nested,
    }
}
