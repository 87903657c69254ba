//! Docs view model: the resolved [`Model`] in, one struct per page out, holding every string and
//! flag its template shows (links already relative to the page, Markdown already HTML).
//!
//! Templates receive HTML only through fields whose names end in `_html`; everything else is
//! escaped by askama. The `_html` strings are built here from escaped parts or from
//! [`markdown`], which escapes raw HTML in spec text.

use askama::Template;

use super::json::{self, escape_into};
use super::markdown;
use crate::model::{EventDef, Field, Markers, Model, TypeDef, TypeId, TypeKind, TypeRef};

/// A page of the site with its template.
pub(super) enum Page {
    Index(IndexPage),
    Changelog(ChangelogPage),
    Event(EventPage),
    Type(TypePage),
}

/// What every page shares: where the root is, the title, and the navigation.
pub(super) struct Layout {
    /// Relative path from the page to the site root: `""` or `"../"`.
    pub root: String,
    pub site_title: String,
    pub version: String,
    pub page_title: String,
    /// Plain-text summary for `<meta name="description">`.
    pub summary: String,
    pub nav: Vec<NavGroup>,
    pub index_current: bool,
    pub envelope_current: bool,
    /// The site has a changelog page.
    pub has_changelog: bool,
    pub changelog_current: bool,
}

pub(super) struct NavGroup {
    pub title: String,
    pub href: String,
    pub current: bool,
    pub events: Vec<NavLink>,
}

pub(super) struct NavLink {
    pub label: String,
    pub href: String,
    pub current: bool,
    pub deprecated: bool,
}

pub(super) struct Badge {
    /// CSS modifier: `deprecated` or `since`.
    pub class: &'static str,
    pub label: String,
    /// Tooltip: the deprecation reason, as plain text.
    pub title: String,
}

pub(super) struct FieldRow {
    pub anchor: String,
    pub name: String,
    pub type_html: String,
    pub required: bool,
    pub nullable: bool,
    pub constant: Option<String>,
    pub badges: Vec<Badge>,
    pub description_html: String,
    /// The values of the field's enum type, when it has one.
    pub values: Vec<ValueRow>,
}

pub(super) struct ValueRow {
    pub anchor: String,
    pub wire: String,
    pub description_html: String,
    pub badges: Vec<Badge>,
}

pub(super) struct EventLink {
    pub name: String,
    pub href: String,
    pub summary_html: String,
    pub badges: Vec<Badge>,
}

pub(super) struct TypeLink {
    pub name: String,
    pub href: String,
    pub kind: &'static str,
    pub summary_html: String,
}

pub(super) struct IndexGroup {
    pub anchor: String,
    pub title: String,
    pub resource: String,
    pub href: String,
    pub events: Vec<EventLink>,
}

pub(super) struct Deprecation {
    /// The reason, as HTML; empty when the spec gives none.
    pub reason_html: String,
}

pub(super) struct ExampleView {
    pub anchor: String,
    pub title: String,
    pub code_html: String,
}

/// `index.html`.
#[derive(Template)]
#[template(path = "index.html")]
pub(super) struct IndexPage {
    pub path: String,
    pub layout: Layout,
    pub description_html: String,
    pub event_count: usize,
    pub groups: Vec<IndexGroup>,
    pub types: Vec<TypeLink>,
    pub envelope_href: String,
    pub envelope_schema_href: String,
}

/// `events/<wire>.html`.
#[derive(Template)]
#[template(path = "event.html")]
pub(super) struct EventPage {
    pub path: String,
    pub layout: Layout,
    pub name: String,
    pub group_title: String,
    pub group_href: String,
    pub badges: Vec<Badge>,
    pub deprecation: Option<Deprecation>,
    pub description_html: String,
    pub data_name: String,
    pub data_href: String,
    pub data_kind: &'static str,
    pub fields: Vec<FieldRow>,
    pub examples: Vec<ExampleView>,
    pub schema_href: String,
    pub envelope_href: String,
    pub envelope_schema_href: String,
    pub source: String,
}

/// `resources/<slug>.html`, `types/<slug>.html` and `envelope.html`.
#[derive(Template)]
#[template(path = "type.html")]
pub(super) struct TypePage {
    pub path: String,
    pub layout: Layout,
    pub name: String,
    pub kind: &'static str,
    pub badges: Vec<Badge>,
    pub deprecation: Option<Deprecation>,
    pub description_html: String,
    /// The documented prefix of an ID type.
    pub prefix: Option<String>,
    pub fields: Vec<FieldRow>,
    pub values: Vec<ValueRow>,
    pub events: Vec<EventLink>,
    pub used_by: Vec<TypeLink>,
    pub schema_href: Option<String>,
    pub source: Option<String>,
}

/// Path of a named type's page, from the site root.
fn type_path(model: &Model, id: TypeId) -> String {
    let ty = model.ty(id);
    match &ty.kind {
        TypeKind::Object {
            resource: Some(r), ..
        } => format!("resources/{}.html", model.groups[r.group].slug),
        _ => format!("types/{}.html", ty.slug),
    }
}

fn event_path(event: &EventDef) -> String {
    format!("events/{}.html", event.name)
}

const ENVELOPE_PATH: &str = "envelope.html";

fn kind_label(ty: &TypeDef) -> &'static str {
    match &ty.kind {
        TypeKind::Id { .. } => "ID",
        TypeKind::Enum { .. } => "Enum",
        TypeKind::Object {
            resource: Some(_), ..
        } => "Resource",
        TypeKind::Object { resource: None, .. } => "Object",
    }
}

fn badges(markers: &Markers) -> Vec<Badge> {
    let mut out = Vec::new();
    if let Some(reason) = &markers.deprecated {
        out.push(Badge {
            class: "deprecated",
            label: "deprecated".into(),
            title: markdown::plain(reason),
        });
    }
    if let Some(since) = markers.since {
        out.push(Badge {
            class: "since",
            label: format!("since {since}"),
            title: String::new(),
        });
    }
    out
}

fn deprecation(markers: &Markers) -> Option<Deprecation> {
    markers.deprecated.as_ref().map(|reason| Deprecation {
        reason_html: markdown::inline(reason),
    })
}

/// The type of a field as HTML: spec notation (`array<Error>`), named types linked to their page.
fn type_html(model: &Model, ty: &TypeRef, root: &str) -> String {
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
fn innermost_named(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) => innermost_named(inner),
        _ => None,
    }
}

fn value_rows(model: &Model, id: TypeId) -> Vec<ValueRow> {
    match &model.ty(id).kind {
        TypeKind::Enum { values } => values
            .iter()
            .map(|v| ValueRow {
                anchor: format!("value-{}", v.name),
                wire: v.name.clone(),
                description_html: markdown::inline(&v.description),
                badges: badges(&v.markers),
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn field_rows(model: &Model, fields: &[Field], root: &str) -> Vec<FieldRow> {
    fields
        .iter()
        .map(|f| FieldRow {
            anchor: format!("field-{}", f.name),
            name: f.name.clone(),
            type_html: type_html(model, &f.ty, root),
            required: !f.optional,
            nullable: f.nullable,
            constant: f.constant.clone(),
            badges: badges(&f.markers),
            description_html: markdown::inline(&f.description),
            values: innermost_named(&f.ty)
                .map(|id| value_rows(model, id))
                .unwrap_or_default(),
        })
        .collect()
}

fn event_link(event: &EventDef, root: &str) -> EventLink {
    EventLink {
        name: event.name.clone(),
        href: format!("{root}{}", event_path(event)),
        summary_html: markdown::inline(&event.description),
        badges: badges(&event.markers),
    }
}

/// Which page is being laid out, so the navigation can mark it.
#[derive(PartialEq)]
enum Current {
    Index,
    Envelope,
    Changelog,
    Group(usize),
    Event(usize),
    Other,
}

/// Catalogs up to this many events list every event in every page's sidebar.
const NAV_ALL_EVENTS: usize = 200;
/// Catalogs up to this many groups list every group in every page's sidebar.
const NAV_ALL_GROUPS: usize = 100;

// The sidebar is repeated on every page, so a sidebar that lists the whole catalog makes the site
// grow with the square of its size (at 10,000 events, gigabytes). Past a size where a full list
// stops helping anyway, the sidebar keeps the current group's events and, while there are few
// enough, the other groups' titles; the index page always lists everything.

/// Whether a page's sidebar lists group `g` at all.
fn nav_lists_group(model: &Model, g: usize, current_group: Option<usize>) -> bool {
    model.groups.len() <= NAV_ALL_GROUPS || current_group == Some(g)
}

/// Whether a page's sidebar lists the events of group `g`.
fn nav_expands_group(model: &Model, g: usize, current_group: Option<usize>) -> bool {
    model.events.len() <= NAV_ALL_EVENTS || current_group == Some(g)
}

fn layout(
    model: &Model,
    has_changelog: bool,
    root: &str,
    page_title: Option<&str>,
    summary: &str,
    current: Current,
) -> Layout {
    let current_group = match current {
        Current::Group(g) => Some(g),
        Current::Event(e) => Some(model.events[e].group),
        _ => None,
    };
    let nav = model
        .groups
        .iter()
        .enumerate()
        .filter(|(g, _)| nav_lists_group(model, *g, current_group))
        .map(|(g, group)| NavGroup {
            title: group.title.clone(),
            href: format!("{root}{}", type_path(model, group.resource)),
            current: current == Current::Group(g),
            events: if nav_expands_group(model, g, current_group) {
                group
                    .events
                    .iter()
                    .map(|&e| NavLink {
                        label: model.events[e].action.clone(),
                        href: format!("{root}{}", event_path(&model.events[e])),
                        current: current == Current::Event(e),
                        deprecated: model.events[e].markers.deprecated.is_some(),
                    })
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect();
    let site_title = model.package.title.clone();
    Layout {
        root: root.into(),
        page_title: match page_title {
            Some(t) => format!("{t} · {site_title}"),
            None => site_title.clone(),
        },
        site_title,
        version: model.package.version.to_string(),
        summary: summary.into(),
        nav,
        index_current: current == Current::Index,
        envelope_current: current == Current::Envelope,
        has_changelog,
        changelog_current: current == Current::Changelog,
    }
}

/// For each type, the fields that refer to it (through arrays and maps too), in spec order.
fn used_by(model: &Model, root: &str) -> Vec<Vec<TypeLink>> {
    let mut out: Vec<Vec<TypeLink>> = model.types.iter().map(|_| Vec::new()).collect();
    let record = |owner: &str, page: &str, f: &Field, out: &mut Vec<Vec<TypeLink>>| {
        if let Some(id) = innermost_named(&f.ty) {
            out[id.0].push(TypeLink {
                name: format!("{owner}.{}", f.name),
                href: format!("{root}{page}#field-{}", f.name),
                kind: "Field",
                summary_html: markdown::inline(&f.description),
            });
        }
    };
    for f in &model.envelope.fields {
        record("envelope", ENVELOPE_PATH, f, &mut out);
    }
    for (i, ty) in model.types.iter().enumerate() {
        if let TypeKind::Object { fields, .. } = &ty.kind {
            let page = type_path(model, TypeId(i));
            for f in fields {
                record(&ty.name, &page, f, &mut out);
            }
        }
    }
    out
}

/// Every page of the site, in a fixed order.
/// `changelog.html`: the spec's changelog, generated from its history.
#[derive(Template)]
#[template(path = "changelog.html")]
pub(super) struct ChangelogPage {
    pub path: String,
    pub layout: Layout,
    pub body_html: String,
}

pub(super) fn pages(model: &Model, changelog: Option<&str>) -> Vec<Page> {
    let mut pages = Vec::new();
    let has_changelog = changelog.is_some();
    if let Some(text) = changelog {
        pages.push(Page::Changelog(ChangelogPage {
            path: "changelog.html".into(),
            layout: layout(
                model,
                true,
                "",
                Some("Changelog"),
                "Changes to the event catalog, release by release.",
                Current::Changelog,
            ),
            body_html: markdown::block(text),
        }));
    }
    let package = &model.package;

    // The index lists the named types that are not resources below the events.
    let types = model
        .types
        .iter()
        .enumerate()
        .filter(|(_, t)| kind_label(t) != "Resource")
        .map(|(i, t)| TypeLink {
            name: t.name.clone(),
            href: type_path(model, TypeId(i)),
            kind: kind_label(t),
            summary_html: markdown::inline(&t.description),
        })
        .collect();
    pages.push(Page::Index(IndexPage {
        path: "index.html".into(),
        layout: layout(
            model,
            has_changelog,
            "",
            None,
            &markdown::plain(&package.description),
            Current::Index,
        ),
        description_html: markdown::block(&package.description),
        event_count: model.events.len(),
        groups: model
            .groups
            .iter()
            .map(|g| IndexGroup {
                anchor: format!("group-{}", g.slug),
                title: g.title.clone(),
                resource: model.ty(g.resource).name.clone(),
                href: type_path(model, g.resource),
                events: model.group_events(g).map(|e| event_link(e, "")).collect(),
            })
            .collect(),
        types,
        envelope_href: ENVELOPE_PATH.into(),
        envelope_schema_href: "../schemas/envelope.schema.json".into(),
    }));

    for (i, event) in model.events.iter().enumerate() {
        let root = "../";
        let group = &model.groups[event.group];
        let data = model.ty(event.data);
        let fields = match &data.kind {
            TypeKind::Object { fields, .. } => field_rows(model, fields, root),
            _ => Vec::new(),
        };
        let many = event.examples.len() > 1;
        pages.push(Page::Event(EventPage {
            path: event_path(event),
            layout: layout(
                model,
                has_changelog,
                root,
                Some(&event.name),
                &markdown::plain(&event.description),
                Current::Event(i),
            ),
            name: event.name.clone(),
            group_title: group.title.clone(),
            group_href: format!("{root}index.html#group-{}", group.slug),
            badges: badges(&event.markers),
            deprecation: deprecation(&event.markers),
            description_html: markdown::block(&event.description),
            data_name: data.name.clone(),
            data_href: format!("{root}{}", type_path(model, event.data)),
            data_kind: kind_label(data),
            fields,
            examples: event
                .examples
                .iter()
                .enumerate()
                .map(|(n, ex)| ExampleView {
                    anchor: format!("example-{}", n + 1),
                    title: if many {
                        format!("Example {}", n + 1)
                    } else {
                        "Example".into()
                    },
                    code_html: json::highlight(&ex.text),
                })
                .collect(),
            schema_href: format!("{root}../schemas/events/{}.schema.json", event.name),
            envelope_href: format!("{root}{ENVELOPE_PATH}"),
            envelope_schema_href: format!("{root}../schemas/envelope.schema.json"),
            source: format!("spec/{}", event.origin.file),
        }));
    }

    let used = used_by(model, "../");
    for (i, (ty, used_by)) in model.types.iter().zip(used).enumerate() {
        let root = "../";
        let id = TypeId(i);
        let resource = matches!(
            &ty.kind,
            TypeKind::Object {
                resource: Some(_),
                ..
            }
        );
        let current = match &ty.kind {
            TypeKind::Object {
                resource: Some(r), ..
            } => Current::Group(r.group),
            _ => Current::Other,
        };
        pages.push(Page::Type(TypePage {
            path: type_path(model, id),
            layout: layout(
                model,
                has_changelog,
                root,
                Some(&ty.name),
                &markdown::plain(&ty.description),
                current,
            ),
            name: ty.name.clone(),
            kind: kind_label(ty),
            badges: badges(&ty.markers),
            deprecation: deprecation(&ty.markers),
            description_html: markdown::block(&ty.description),
            prefix: match &ty.kind {
                TypeKind::Id { prefix } => Some(prefix.clone()),
                _ => None,
            },
            fields: match &ty.kind {
                TypeKind::Object { fields, .. } => field_rows(model, fields, root),
                _ => Vec::new(),
            },
            values: value_rows(model, id),
            events: model
                .events_carrying(id)
                .map(|e| event_link(e, root))
                .collect(),
            used_by,
            schema_href: resource
                .then(|| format!("{root}../schemas/resources/{}.schema.json", ty.slug)),
            source: Some(format!("spec/{}", ty.origin.file)),
        }));
    }

    pages.push(Page::Type(TypePage {
        path: ENVELOPE_PATH.into(),
        layout: layout(
            model,
            has_changelog,
            "",
            Some("Event envelope"),
            &markdown::plain(&model.envelope.description),
            Current::Envelope,
        ),
        name: "Event envelope".into(),
        kind: "Envelope",
        badges: Vec::new(),
        deprecation: None,
        description_html: markdown::block(&model.envelope.description),
        prefix: None,
        fields: field_rows(model, &model.envelope.fields, ""),
        values: Vec::new(),
        events: Vec::new(),
        used_by: Vec::new(),
        schema_href: Some("../schemas/envelope.schema.json".into()),
        source: Some("spec/spec.yaml".into()),
    }));
    pages
}

/// Shortens plain text for search results, at a word boundary.
fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// The search index, as a script that assigns `window.DECK_SEARCH_INDEX`: a list of
/// `[kind, title, summary, path from the site root]`, in page order.
///
/// A script rather than a JSON file because browsers refuse `fetch()` of `file://` URLs, and the
/// site must search when opened from disk.
pub(super) fn search_index(model: &Model) -> String {
    let mut entries: Vec<[String; 4]> = Vec::new();
    let mut push = |kind: &str, title: String, description: &str, path: String| {
        entries.push([
            kind.into(),
            title,
            excerpt(&markdown::plain(description), 160),
            path,
        ]);
    };
    for event in &model.events {
        push(
            "event",
            event.name.clone(),
            &event.description,
            event_path(event),
        );
    }
    for (i, ty) in model.types.iter().enumerate() {
        let page = type_path(model, TypeId(i));
        let kind = if kind_label(ty) == "Resource" {
            "resource"
        } else {
            "type"
        };
        push(kind, ty.name.clone(), &ty.description, page.clone());
        match &ty.kind {
            TypeKind::Object { fields, .. } => {
                for f in fields {
                    let title = format!("{}.{}", ty.name, f.name);
                    push(
                        "field",
                        title,
                        &f.description,
                        format!("{page}#field-{}", f.name),
                    );
                }
            }
            TypeKind::Enum { values } => {
                for v in values {
                    let title = format!("{}.{}", ty.name, v.name);
                    push(
                        "value",
                        title,
                        &v.description,
                        format!("{page}#value-{}", v.name),
                    );
                }
            }
            TypeKind::Id { .. } => {}
        }
    }
    for f in &model.envelope.fields {
        let title = format!("envelope.{}", f.name);
        push(
            "field",
            title,
            &f.description,
            format!("{ENVELOPE_PATH}#field-{}", f.name),
        );
    }
    let json = serde_json::to_string(&entries).expect("strings always serialize");
    format!("window.DECK_SEARCH_INDEX = {json};\n")
}
