//! Docs view, the search index: every page's text, with what ranks a result.

use super::markdown;
use super::page::{CHANGELOG_PATH, ENVELOPE_PATH, Kind, RECEIVING_PATH, event_path, type_path};
use super::receiving::{has_receiving, receiving_sections};
use crate::model::{Model, TypeDef, TypeId, TypeKind, TypeRef};

/// Shortens plain text for search results, at a word boundary.
pub(super) fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// The search index, as a script that assigns `window.DECK_SEARCH_INDEX`: a list of
/// `[kind, title, summary, path from the site root, text, ID prefix]`, in page order. `text` is
/// the entry's whole text when the summary is shorter (else empty); `ID prefix` is set on ID types
/// and on the resources they identify, so that a pasted ID finds them.
///
/// A script rather than a JSON file because browsers refuse `fetch()` of `file://` URLs, and the
/// site must search when opened from disk.
pub(super) fn search_index(model: &Model, changelog: Option<&str>) -> String {
    let mut entries: Vec<[String; 6]> = Vec::new();
    let mut push = |kind: &str, title: String, text: String, path: String, prefix: &str| {
        let summary = excerpt(&text, 160);
        let text = if summary == text { String::new() } else { text };
        entries.push([kind.into(), title, summary, path, text, prefix.into()]);
    };
    for event in &model.events {
        push(
            "event",
            event.name.clone(),
            markdown::plain(&event.description),
            event_path(event),
            "",
        );
    }
    // Pages that are not about one type: the overview, the envelope, receiving and changelog.
    push(
        "guide",
        "Overview".into(),
        markdown::plain(&model.package.description),
        "index.html".into(),
        "",
    );
    push(
        "guide",
        "Event envelope".into(),
        markdown::plain(&model.envelope.description),
        ENVELOPE_PATH.into(),
        "",
    );
    if has_receiving(model) {
        for section in receiving_sections(model) {
            push(
                "guide",
                format!("Receiving events: {}", section.title),
                section.text,
                format!("{RECEIVING_PATH}#{}", section.anchor),
                "",
            );
        }
    }
    if let Some(text) = changelog {
        push(
            "guide",
            "Changelog".into(),
            markdown::plain(markdown::sections(text)),
            CHANGELOG_PATH.into(),
            "",
        );
    }
    for (i, ty) in model.types.iter().enumerate() {
        let page = type_path(model, TypeId(i));
        let prefix = id_prefix(model, ty).unwrap_or_default();
        push(
            Kind::of(ty).search_kind(),
            ty.name.clone(),
            markdown::plain(&ty.description),
            page.clone(),
            prefix,
        );
        // A field or a value: its kind (also its anchor's prefix), name and description.
        let members: Vec<(&str, &str, &str)> = match &ty.kind {
            TypeKind::Object { fields, .. } => fields
                .iter()
                .map(|f| ("field", f.name.as_str(), f.description.as_str()))
                .collect(),
            TypeKind::Enum { values } => values
                .iter()
                .map(|v| ("value", v.name.as_str(), v.description.as_str()))
                .collect(),
            TypeKind::Id { .. } => Vec::new(),
        };
        for (kind, name, description) in members {
            push(
                kind,
                format!("{}.{name}", ty.name),
                markdown::plain(description),
                format!("{page}#{kind}-{name}"),
                "",
            );
        }
    }
    for f in &model.envelope.fields {
        let title = format!("envelope.{}", f.name);
        push(
            "field",
            title,
            markdown::plain(&f.description),
            format!("{ENVELOPE_PATH}#field-{}", f.name),
            "",
        );
    }
    let json = serde_json::to_string(&entries).expect("strings always serialize");
    format!("window.DECK_SEARCH_INDEX = {json};\n")
}

/// The ID prefix that identifies values of `ty`: an ID type's own, or for an object, the prefix
/// of its first ID-typed field (a resource's identity comes first in its fields).
pub(super) fn id_prefix<'m>(model: &'m Model, ty: &'m TypeDef) -> Option<&'m str> {
    match &ty.kind {
        TypeKind::Id { prefix } => Some(prefix),
        TypeKind::Object {
            fields,
            resource: Some(_),
        } => fields.iter().find_map(|f| match &f.ty {
            TypeRef::Named(id) => match &model.ty(*id).kind {
                TypeKind::Id { prefix } => Some(prefix.as_str()),
                _ => None,
            },
            _ => None,
        }),
        _ => None,
    }
}
