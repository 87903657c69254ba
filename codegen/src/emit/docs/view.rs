//! Docs view model: the resolved [`Model`] in, one struct per page out, holding every string and
//! flag its template shows (links already relative to the page, Markdown already HTML).
//!
//! Templates receive HTML only through fields whose names end in `_html`; everything else is
//! escaped by askama. The `_html` strings are built here from escaped parts, from [`markdown`],
//! which escapes raw HTML in spec text, or from other templates rendered here (the field tables,
//! which nest).

use std::collections::BTreeMap;

use super::Switcher;
use super::examples::{example_view, type_examples};
use super::fields::{badges, deprecation, field_table, innermost_named, value_rows};
use super::markdown;
use super::page::{
    CHANGELOG_PATH, ChangelogPage, ENVELOPE_PATH, EventLink, EventPage, INDEX_PATH, IndexGroup,
    IndexPage, Kind, Layout, NavGroup, NavLink, Page, RECEIVING_PATH, ReceivingPage, TypeLink,
    TypePage, VersionLink, event_path, schema_link, type_path,
};
use super::receiving::{has_receiving, receiving_sections};
use crate::emit::{openapi, schema};
use crate::history::{History, Status, Target};
use crate::model::{EventDef, EventId, Field, GroupId, Model, TypeId, TypeKind};

pub(super) fn event_link(event: &EventDef, history: &History, root: &str) -> EventLink {
    EventLink {
        name: event.name.clone(),
        href: format!("{root}{}", event_path(event)),
        summary_html: markdown::inline(&event.description),
        badges: badges(&event.markers, history, &Target::Event(event.name.clone())),
    }
}

/// How pages name the version they document: `v0.2.0 (unreleased)`.
fn version_label(model: &Model, history: &History) -> String {
    let status = match history.status {
        Status::Released => "released",
        Status::Unreleased => "unreleased",
    };
    format!("v{} ({status})", model.package.version)
}

/// Which page is being laid out, so the navigation can mark it.
#[derive(PartialEq)]
pub(super) enum Current {
    Index,
    Envelope,
    Receiving,
    Changelog,
    Group(GroupId),
    Event(EventId),
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
pub(super) fn nav_lists_group(model: &Model, g: GroupId, current_group: Option<GroupId>) -> bool {
    model.groups.len() <= NAV_ALL_GROUPS || current_group == Some(g)
}

/// Whether a page's sidebar lists the events of group `g`.
pub(super) fn nav_expands_group(model: &Model, g: GroupId, current_group: Option<GroupId>) -> bool {
    model.events.len() <= NAV_ALL_EVENTS || current_group == Some(g)
}

/// Site-wide facts every page's layout needs.
pub(super) struct Site<'m> {
    model: &'m Model,
    history: &'m History,
    switcher: Option<&'m Switcher<'m>>,
    has_changelog: bool,
    has_receiving: bool,
}

/// The switcher's links from the page at `path` (reached from its version's root by `root`): the
/// same path in every edition that has it, else that edition's index.
fn version_links(switcher: Option<&Switcher<'_>>, root: &str, path: &str) -> Vec<VersionLink> {
    let Some(sw) = switcher else {
        return Vec::new();
    };
    let up = "../".repeat(sw.here.matches('/').count());
    sw.editions
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let target = if e.pages.contains(path) {
                path
            } else {
                INDEX_PATH
            };
            VersionLink {
                label: e.label.clone(),
                href: format!("{root}{up}{}{target}", e.dir),
                current: i == sw.current,
            }
        })
        .collect()
}

impl Site<'_> {
    fn layout(
        &self,
        path: &str,
        root: &str,
        page_title: Option<&str>,
        summary: &str,
        current: Current,
    ) -> Layout {
        let model = self.model;
        let current_group = match current {
            Current::Group(g) => Some(g),
            Current::Event(e) => Some(model.event(e).group),
            _ => None,
        };
        let nav = model
            .groups
            .iter()
            .enumerate()
            .map(|(g, group)| (GroupId(g), group))
            .filter(|&(g, _)| nav_lists_group(model, g, current_group))
            .map(|(g, group)| NavGroup {
                title: group.title.clone(),
                href: format!("{root}{}", type_path(model, group.resource)),
                current: current == Current::Group(g),
                events: if nav_expands_group(model, g, current_group) {
                    group
                        .events
                        .iter()
                        .map(|&e| {
                            let event = model.event(e);
                            NavLink {
                                label: event.action.clone(),
                                href: format!("{root}{}", event_path(event)),
                                current: current == Current::Event(e),
                                deprecated: event.markers.deprecated.is_some(),
                            }
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect();
        let site_title = model.package.title.clone();
        let version = version_label(model, self.history);
        Layout {
            root: root.into(),
            page_title: match page_title {
                Some(t) => format!("{t} · {site_title} {version}"),
                None => format!("{site_title} {version}"),
            },
            site_title,
            released: self.history.status == Status::Released,
            versions: version_links(self.switcher, root, path),
            version,
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

/// The page (and anchor) of every item of the model, by its address's text as the changelog
/// writes it ([`Target`]'s `Display`, the one spelling of a change's subject).
fn item_pages(model: &Model) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut add = |target: Target, href: String| {
        out.insert(target.to_string(), href);
    };
    add(Target::Envelope, ENVELOPE_PATH.into());
    for f in &model.envelope.fields {
        let name = f.name.clone();
        add(
            Target::Field { owner: None, name },
            format!("{ENVELOPE_PATH}#field-{}", f.name),
        );
    }
    for e in &model.events {
        add(Target::Event(e.name.clone()), event_path(e));
    }
    for (i, ty) in model.types.iter().enumerate() {
        let page = type_path(model, TypeId(i));
        add(Target::Type(ty.name.clone()), page.clone());
        match &ty.kind {
            TypeKind::Object { fields, .. } => {
                for f in fields {
                    let target = Target::Field {
                        owner: Some(ty.name.clone()),
                        name: f.name.clone(),
                    };
                    add(target, format!("{page}#field-{}", f.name));
                }
            }
            TypeKind::Enum { values } => {
                for v in values {
                    let target = Target::Value {
                        owner: ty.name.clone(),
                        name: v.name.clone(),
                    };
                    add(target, format!("{page}#value-{}", v.name));
                }
            }
            TypeKind::Id { .. } => {}
        }
    }
    out
}

/// The changelog's Markdown with each change's subject linked to the page of the thing changed,
/// where this version has it (a removed item has no page, and stays text). Changes are list items
/// `- <subject>: <what>`, as `diff::changelog_section_titled` writes them.
fn changelog_links(model: &Model, text: &str) -> String {
    let pages = item_pages(model);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let linked = line
            .strip_prefix("- ")
            .and_then(|rest| rest.split_once(": "))
            .and_then(|(subject, what)| {
                let href = pages.get(subject)?;
                Some(format!("- [{subject}]({href}): {what}"))
            });
        out.push_str(linked.as_deref().unwrap_or(line));
    }
    out
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
pub(super) fn pages<'m>(
    model: &'m Model,
    changelog: Option<&str>,
    history: &'m History,
    switcher: Option<&'m Switcher<'m>>,
) -> Vec<Page> {
    let mut pages = Vec::new();
    let site = Site {
        model,
        history,
        switcher,
        has_changelog: changelog.is_some(),
        has_receiving: has_receiving(model),
    };
    if let Some(text) = changelog {
        pages.push(Page::Changelog(ChangelogPage {
            path: CHANGELOG_PATH.into(),
            layout: site.layout(
                CHANGELOG_PATH,
                "",
                Some("Changelog"),
                "Changes to the event catalog, release by release.",
                Current::Changelog,
            ),
            body_html: markdown::block(&changelog_links(model, markdown::sections(text))),
        }));
    }
    if site.has_receiving {
        pages.push(Page::Receiving(ReceivingPage {
            path: RECEIVING_PATH.into(),
            layout: site.layout(
                RECEIVING_PATH,
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
        path: INDEX_PATH.into(),
        layout: site.layout(
            INDEX_PATH,
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
                events: model
                    .group_events(g)
                    .map(|e| event_link(e, history, ""))
                    .collect(),
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
                let id = TypeId(i);
                field_table(model, history, Some(id), fields, "../", "", &mut vec![id])
            }
            _ => String::new(),
        })
        .collect();

    for (i, event) in model.events.iter().enumerate() {
        let root = "../";
        let group = model.group(event.group);
        let data = model.ty(event.data);
        let fields_html = tables[event.data.0].clone();
        let many = event.examples.len() > 1;
        let path = event_path(event);
        pages.push(Page::Event(EventPage {
            layout: site.layout(
                &path,
                root,
                Some(&event.name),
                &markdown::plain(&event.description),
                Current::Event(EventId(i)),
            ),
            path,
            name: event.name.clone(),
            group_title: group.title.clone(),
            group_href: format!("{root}index.html#group-{}", group.slug),
            badges: badges(&event.markers, history, &Target::Event(event.name.clone())),
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
        let path = type_path(model, id);
        pages.push(Page::Type(TypePage {
            layout: site.layout(
                &path,
                root,
                Some(&ty.name),
                &markdown::plain(&ty.description),
                current,
            ),
            path,
            name: ty.name.clone(),
            kind: Kind::of(ty).label(),
            badges: badges(&ty.markers, history, &Target::Type(ty.name.clone())),
            deprecation: deprecation(&ty.markers),
            description_html: markdown::block(&ty.description),
            prefix: match &ty.kind {
                TypeKind::Id { prefix } => Some(prefix.clone()),
                _ => None,
            },
            fields_html,
            values: value_rows(model, history, id),
            events: model
                .events_carrying(id)
                .map(|e| event_link(e, history, root))
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
            ENVELOPE_PATH,
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
        fields_html: field_table(
            model,
            history,
            None,
            &model.envelope.fields,
            "",
            "",
            &mut Vec::new(),
        ),
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
