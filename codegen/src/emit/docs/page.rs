//! Docs view model, the pages' shapes: one struct per page and per part of a page, holding every
//! string and flag a template shows, and the paths of the site's pages. The builders
//! ([`super::view`] and the modules it calls: field tables, examples, the receiving page) fill
//! these structs; nothing here reads the model beyond a page's path.
//!
//! Templates receive HTML only through fields whose names end in `_html`; everything else is
//! escaped by askama.

use askama::Template;

use crate::model::{EventDef, Model, TypeDef, TypeId, TypeKind};

/// A page of the site with its template.
pub(super) enum Page {
    Index(IndexPage),
    Changelog(ChangelogPage),
    Receiving(ReceivingPage),
    Event(EventPage),
    Type(TypePage),
}

impl Page {
    /// The page's path from the site root.
    pub(super) fn path(&self) -> &str {
        match self {
            Page::Index(p) => &p.path,
            Page::Changelog(p) => &p.path,
            Page::Receiving(p) => &p.path,
            Page::Event(p) => &p.path,
            Page::Type(p) => &p.path,
        }
    }
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
    /// The documented version and whether it is released: `v0.2.0 (unreleased)`.
    pub version: String,
    /// The documented version is a recorded release.
    pub released: bool,
    /// The version switcher: this page in every version of a versioned site; empty otherwise.
    pub versions: Vec<VersionLink>,
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

/// A version in the switcher: the same page there, or that version's index when it lacks it.
pub(super) struct VersionLink {
    pub label: String,
    pub href: String,
    pub current: bool,
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
    /// CSS modifier: `deprecated`, `since` or `changed`.
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
        } => format!("resources/{}.html", model.group(r.group).slug),
        _ => format!("types/{}.html", ty.slug),
    }
}

pub(super) fn event_path(event: &EventDef) -> String {
    format!("events/{}.html", event.name)
}

pub(super) const INDEX_PATH: &str = "index.html";

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
