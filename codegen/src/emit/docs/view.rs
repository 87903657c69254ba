//! Docs view model: the resolved [`Model`] in, one struct per page out, holding every string and
//! flag its template shows (links already relative to the page, Markdown already HTML).
//!
//! Templates receive HTML only through fields whose names end in `_html`; everything else is
//! escaped by askama. The `_html` strings are built here from escaped parts, from [`markdown`],
//! which escapes raw HTML in spec text, or from other templates rendered here (the field tables,
//! which nest).

use askama::Template;

use super::examples::*;
use super::fields::*;
use super::markdown;
use super::receiving::*;
use crate::emit::{openapi, schema};
use crate::model::{EventDef, Field, Model, TypeDef, TypeId, TypeKind};

/// A page of the site with its template.
pub(super) enum Page {
    Index(IndexPage),
    Changelog(ChangelogPage),
    Receiving(ReceivingPage),
    Event(EventPage),
    Type(TypePage),
}

/// What a type page documents, decided from the model's kinds (never from a label string).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Resource,
    Object,
    Enum,
    Id,
    Envelope,
}

impl Kind {
    pub(super) fn of(ty: &TypeDef) -> Kind {
        match &ty.kind {
            TypeKind::Id { .. } => Kind::Id,
            TypeKind::Enum { .. } => Kind::Enum,
            TypeKind::Object {
                resource: Some(_), ..
            } => Kind::Resource,
            TypeKind::Object { resource: None, .. } => Kind::Object,
        }
    }

    /// The word pages show for the kind.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Resource => "Resource",
            Kind::Object => "Object",
            Kind::Enum => "Enum",
            Kind::Id => "ID",
            Kind::Envelope => "Envelope",
        }
    }

    /// The kind of the search result for a page of this kind.
    pub(super) fn search_kind(self) -> &'static str {
        match self {
            Kind::Resource => "resource",
            Kind::Object | Kind::Enum | Kind::Id | Kind::Envelope => "type",
        }
    }
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
    /// The site has a "Receiving events" page.
    pub has_receiving: bool,
    pub receiving_current: bool,
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

/// A link to one of the JSON Schemas the site carries.
pub(super) struct SchemaLink {
    pub href: String,
    /// The file name, shown as the link text.
    pub file: String,
}

/// One row of a field table.
pub(super) struct FieldRow {
    /// Element id: `field-<path>`, the path joining the wire names of nested fields with `.`.
    pub anchor: String,
    pub name: String,
    /// The field's path from the table's root (`interaction.type`), for labels.
    pub path: String,
    pub type_html: String,
    pub required: bool,
    pub nullable: bool,
    pub constant: Option<String>,
    pub badges: Vec<Badge>,
    pub description_html: String,
    /// The values of the field's enum type, when it has one.
    pub values: Vec<ValueRow>,
    /// The fields of the field's object type, shown in place.
    pub nested: Option<Nested>,
}

pub(super) struct Nested {
    pub type_name: String,
    pub count: usize,
    pub table_html: String,
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
    /// Id of the `<code>` element, which the copy button copies.
    pub code_id: String,
    pub code_html: String,
}

/// A table of fields, rendered on its own so that a row can hold the table of a nested object.
#[derive(Template)]
#[template(path = "fields.html")]
pub(super) struct FieldTable {
    pub fields: Vec<FieldRow>,
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
    pub envelope_schema: SchemaLink,
    pub receiving_href: Option<String>,
    /// The OpenAPI document of the catalog.
    pub openapi: SchemaLink,
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
    /// The payload's field table; empty when the payload has no fields.
    pub fields_html: String,
    pub examples: Vec<ExampleView>,
    pub schema: SchemaLink,
    pub envelope_href: String,
    pub envelope_schema: SchemaLink,
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
    /// The field table; empty when the type has no fields.
    pub fields_html: String,
    pub values: Vec<ValueRow>,
    pub events: Vec<EventLink>,
    pub used_by: Vec<TypeLink>,
    pub schema: SchemaLink,
    pub examples: Vec<ExampleView>,
    /// On the envelope page: the "Receiving events" page, when the site has one.
    pub receiving_href: Option<String>,
    /// On the envelope page: the OpenAPI document of the catalog.
    pub openapi: Option<SchemaLink>,
}

/// `changelog.html`: the spec's changelog, generated from its history.
#[derive(Template)]
#[template(path = "changelog.html")]
pub(super) struct ChangelogPage {
    pub path: String,
    pub layout: Layout,
    pub body_html: String,
}

/// `receiving.html`: how deliveries arrive and how to verify them.
#[derive(Template)]
#[template(path = "receiving.html")]
pub(super) struct ReceivingPage {
    pub path: String,
    pub layout: Layout,
    pub envelope_href: String,
    pub sections: Vec<Section>,
}

/// A section of a guide page: a heading with an anchor, and its body. The search index gets the
/// same text, so what search finds is what the section says.
pub(super) struct Section {
    pub anchor: String,
    pub title: String,
    pub body_html: String,
    /// Headers to list in a table, if any.
    pub headers: Vec<HeaderRow>,
    /// A code sample with its copy button, if any.
    pub code: Option<CodeView>,
    /// The section's text, for the search index.
    pub(super) text: String,
}

pub(super) struct HeaderRow {
    pub name: String,
    pub description_html: String,
}

pub(super) struct CodeView {
    pub id: String,
    pub language: &'static str,
    pub code: String,
}

/// Path of a named type's page, from the site root.
pub(super) fn type_path(model: &Model, id: TypeId) -> String {
    let ty = model.ty(id);
    match &ty.kind {
        TypeKind::Object {
            resource: Some(r), ..
        } => format!("resources/{}.html", model.groups[r.group].slug),
        _ => format!("types/{}.html", ty.slug),
    }
}

pub(super) fn event_path(event: &EventDef) -> String {
    format!("events/{}.html", event.name)
}

pub(super) const ENVELOPE_PATH: &str = "envelope.html";

pub(super) const RECEIVING_PATH: &str = "receiving.html";

pub(super) const CHANGELOG_PATH: &str = "changelog.html";

/// A link to a schema file or the OpenAPI document. The site carries the schema and OpenAPI
/// emitters' files under the same relative paths (see [`super::schema_copies`]), so the emitters'
/// own paths give the target, and the link stays inside the site.
pub(super) fn schema_link(root: &str, path: &str) -> SchemaLink {
    SchemaLink {
        href: format!("{root}{path}"),
        file: path.rsplit('/').next().unwrap_or(path).to_string(),
    }
}

pub(super) fn event_link(event: &EventDef, root: &str) -> EventLink {
    EventLink {
        name: event.name.clone(),
        href: format!("{root}{}", event_path(event)),
        summary_html: markdown::inline(&event.description),
        badges: badges(&event.markers),
    }
}

/// Which page is being laid out, so the navigation can mark it.
#[derive(PartialEq)]
pub(super) enum Current {
    Index,
    Envelope,
    Receiving,
    Changelog,
    Group(usize),
    Event(usize),
    Other,
}

/// Catalogs up to this many events list every event in every page's sidebar.
pub(super) const NAV_ALL_EVENTS: usize = 200;

/// Catalogs up to this many groups list every group in every page's sidebar.
pub(super) const NAV_ALL_GROUPS: usize = 100;

// The sidebar is repeated on every page, so a sidebar that lists the whole catalog makes the site
// grow with the square of its size (at 10,000 events, gigabytes). Past a size where a full list
// stops helping anyway, the sidebar keeps the current group's events and, while there are few
// enough, the other groups' titles; the index page always lists everything.

/// Whether a page's sidebar lists group `g` at all.
pub(super) fn nav_lists_group(model: &Model, g: usize, current_group: Option<usize>) -> bool {
    model.groups.len() <= NAV_ALL_GROUPS || current_group == Some(g)
}

/// Whether a page's sidebar lists the events of group `g`.
pub(super) fn nav_expands_group(model: &Model, g: usize, current_group: Option<usize>) -> bool {
    model.events.len() <= NAV_ALL_EVENTS || current_group == Some(g)
}

/// Site-wide facts every page's layout needs.
pub(super) struct Site<'m> {
    model: &'m Model,
    has_changelog: bool,
    has_receiving: bool,
}

impl Site<'_> {
    fn layout(
        &self,
        root: &str,
        page_title: Option<&str>,
        summary: &str,
        current: Current,
    ) -> Layout {
        let model = self.model;
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
            has_receiving: self.has_receiving,
            receiving_current: current == Current::Receiving,
            has_changelog: self.has_changelog,
            changelog_current: current == Current::Changelog,
        }
    }
}

/// For each type, the fields that refer to it (through arrays and maps too), in spec order.
pub(super) fn used_by(model: &Model, root: &str) -> Vec<Vec<TypeLink>> {
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
pub(super) fn pages(model: &Model, changelog: Option<&str>) -> Vec<Page> {
    let mut pages = Vec::new();
    let site = Site {
        model,
        has_changelog: changelog.is_some(),
        has_receiving: has_receiving(model),
    };
    if let Some(text) = changelog {
        pages.push(Page::Changelog(ChangelogPage {
            path: CHANGELOG_PATH.into(),
            layout: site.layout(
                "",
                Some("Changelog"),
                "Changes to the event catalog, release by release.",
                Current::Changelog,
            ),
            body_html: markdown::block(markdown::sections(text)),
        }));
    }
    if site.has_receiving {
        pages.push(Page::Receiving(ReceivingPage {
            path: RECEIVING_PATH.into(),
            layout: site.layout(
                "",
                Some("Receiving events"),
                "How deliveries arrive, and how to verify them.",
                Current::Receiving,
            ),
            envelope_href: ENVELOPE_PATH.into(),
            sections: receiving_sections(model),
        }));
    }
    let package = &model.package;
    let receiving_href = |root: &str| {
        site.has_receiving
            .then(|| format!("{root}{RECEIVING_PATH}"))
    };

    // The index lists the named types that are not resources below the events.
    let types = model
        .types
        .iter()
        .enumerate()
        .filter(|(_, t)| Kind::of(t) != Kind::Resource)
        .map(|(i, t)| TypeLink {
            name: t.name.clone(),
            href: type_path(model, TypeId(i)),
            kind: Kind::of(t).label(),
            summary_html: markdown::inline(&t.description),
        })
        .collect();
    pages.push(Page::Index(IndexPage {
        path: "index.html".into(),
        layout: site.layout(
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
        envelope_schema: schema_link("", schema::ENVELOPE_PATH),
        receiving_href: receiving_href(""),
        openapi: schema_link("", openapi::PATH),
    }));

    // Each object's field table, rendered once: an event page shows its payload's table exactly
    // as the type's own page does (both pages sit one level down).
    let tables: Vec<String> = model
        .types
        .iter()
        .enumerate()
        .map(|(i, ty)| match &ty.kind {
            TypeKind::Object { fields, .. } => {
                field_table(model, fields, "../", "", &mut vec![TypeId(i)])
            }
            _ => String::new(),
        })
        .collect();

    for (i, event) in model.events.iter().enumerate() {
        let root = "../";
        let group = &model.groups[event.group];
        let data = model.ty(event.data);
        let fields_html = tables[event.data.0].clone();
        let many = event.examples.len() > 1;
        pages.push(Page::Event(EventPage {
            path: event_path(event),
            layout: site.layout(
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
            data_kind: Kind::of(data).label(),
            fields_html,
            examples: event
                .examples
                .iter()
                .enumerate()
                .map(|(n, ex)| example_view(n, many, &ex.text))
                .collect(),
            schema: schema_link(root, &schema::event_path(&event.name)),
            envelope_href: format!("{root}{ENVELOPE_PATH}"),
            envelope_schema: schema_link(root, schema::ENVELOPE_PATH),
        }));
    }

    let used = used_by(model, "../");
    let samples = type_examples(model);
    let each_type = model.types.iter().zip(used).zip(samples).zip(tables);
    for (i, (((ty, used_by), sample), fields_html)) in each_type.enumerate() {
        let root = "../";
        let id = TypeId(i);
        let current = match &ty.kind {
            TypeKind::Object {
                resource: Some(r), ..
            } => Current::Group(r.group),
            _ => Current::Other,
        };
        pages.push(Page::Type(TypePage {
            path: type_path(model, id),
            layout: site.layout(
                root,
                Some(&ty.name),
                &markdown::plain(&ty.description),
                current,
            ),
            name: ty.name.clone(),
            kind: Kind::of(ty).label(),
            badges: badges(&ty.markers),
            deprecation: deprecation(&ty.markers),
            description_html: markdown::block(&ty.description),
            prefix: match &ty.kind {
                TypeKind::Id { prefix } => Some(prefix.clone()),
                _ => None,
            },
            fields_html,
            values: value_rows(model, id),
            events: model
                .events_carrying(id)
                .map(|e| event_link(e, root))
                .collect(),
            used_by,
            schema: schema_link(root, &schema::resource_path(&ty.slug)),
            examples: sample
                .iter()
                .map(|text| example_view(0, false, text))
                .collect(),
            receiving_href: None,
            openapi: None,
        }));
    }

    let envelope_example = model
        .events
        .first()
        .and_then(|e| e.examples.first())
        .map(|ex| example_view(0, false, &ex.text));
    pages.push(Page::Type(TypePage {
        path: ENVELOPE_PATH.into(),
        layout: site.layout(
            "",
            Some("Event envelope"),
            &markdown::plain(&model.envelope.description),
            Current::Envelope,
        ),
        name: "Event envelope".into(),
        kind: Kind::Envelope.label(),
        badges: Vec::new(),
        deprecation: None,
        description_html: markdown::block(&model.envelope.description),
        prefix: None,
        fields_html: field_table(model, &model.envelope.fields, "", "", &mut Vec::new()),
        values: Vec::new(),
        events: Vec::new(),
        used_by: Vec::new(),
        schema: schema_link("", schema::ENVELOPE_PATH),
        examples: envelope_example.into_iter().collect(),
        receiving_href: receiving_href(""),
        openapi: Some(schema_link("", openapi::PATH)),
    }));
    pages
}
