//! Stage 3, docs emitter: the resolved [`Model`] in, the static documentation site out
//! (`docs/**` in [`Outputs`]).
//!
//! The site is plain HTML and CSS that reads well with scripts off (the narrow-screen menu and the
//! nested field tables included); search and the copy buttons are small scripts. Every link is
//! relative and stays inside `docs/`, which carries the JSON Schemas the pages link to, so the
//! directory works opened from disk and published alone on any static host. The `view` module turns the model into view-model structs holding every string
//! a page shows; the askama templates in `codegen/templates/` only loop and test.
//!
//! # URL scheme
//!
//! These paths and anchors are a public interface (readers bookmark them), so they only change
//! with the spec's names:
//!
//! | page | path (under `docs/`) | anchors |
//! |---|---|---|
//! | index: every event, grouped by resource | `index.html` | `#group-<group slug>` |
//! | event type | `events/<event wire name>.html` | `#field-<wire>` (payload), `#example-<n>` |
//! | resource | `resources/<group slug>.html` | `#field-<wire>`, `#events` |
//! | other named type | `types/<type slug>.html` | `#field-<wire>` (object), `#value-<wire>` (enum) |
//! | envelope | `envelope.html` | `#field-<wire>` |
//! | receiving events (when deliveries are signed or described) | `receiving.html` | `#<section>` |
//! | changelog | `changelog.html` | |
//! | JSON Schemas | `schemas/…`, the schema emitter's paths | |
//! | OpenAPI document | `openapi.yaml`, the OpenAPI emitter's path | |
//!
//! Nested fields shown in place get `#field-<wire>.<wire>…` anchors.
//!
//! `cargo xtask site` publishes one copy of this site per version (see [`site`]): the newest
//! release at the root, each release under `v<version>/`, the unreleased spec under `next/`; the
//! paths above hold inside each.

mod examples;
mod fields;
mod json;
mod markdown;
mod page;
mod receiving;
mod search;
mod view;

use std::collections::BTreeSet;

use askama::Template;

use crate::emit::{openapi, schema};
use crate::history::History;
use crate::model::Model;
use crate::output::Outputs;

use page::Page;
use view::pages;

/// The stylesheet, written to `docs/assets/style.css`.
const STYLE_CSS: &str = include_str!("../../../assets/style.css");
/// The search script, written to `docs/assets/search.js`.
const SEARCH_JS: &str = include_str!("../../../assets/search.js");
/// The copy buttons and the other small enhancements, written to `docs/assets/site.js`.
const SITE_JS: &str = include_str!("../../../assets/site.js");
/// The site's icon, written to `docs/assets/favicon.svg`: without one, browsers ask every host
/// for `/favicon.ico`, which is outside the site.
const FAVICON_SVG: &str = include_str!("../../../assets/favicon.svg");

/// Adds every page and asset of the site to `out`, under `docs/`.
///
/// # Panics
/// If a template fails to render: templates only read strings and booleans, so that is a bug in
/// the generator.
pub fn emit(model: &Model, out: &mut Outputs) {
    emit_with_changelog(model, None, out);
}

/// Like [`emit`], with a changelog page (`changelog.html`, linked from every page) rendered from
/// the changelog's Markdown.
pub fn emit_with_changelog(model: &Model, changelog: Option<&str>, out: &mut Outputs) {
    emit_with_history(model, changelog, &History::unrecorded(), out);
}

/// Like [`emit_with_changelog`], with the spec's history: every page names its version and
/// whether it is released, and every item says where it came from.
pub fn emit_with_history(
    model: &Model,
    changelog: Option<&str>,
    history: &History,
    out: &mut Outputs,
) {
    emit_pages(model, changelog, history, out);
    let mut schemas = Outputs::new();
    schema::emit(model, &mut schemas);
    openapi::emit(model, &mut schemas);
    for (path, text) in schema_copies(&schemas) {
        out.add(path, text);
    }
}

/// One version of a site that documents several (`cargo xtask site`): where its copy lives and
/// which pages it has, so that every page can link to the same page in the other versions.
pub struct Edition {
    /// What the switcher calls it: `0.1.0`, `0.2.0 (unreleased)`.
    pub label: String,
    /// Its directory from the published root, with a trailing `/`: `v0.1.0/`, `next/`, or `""`
    /// for the root.
    pub dir: String,
    /// Its pages' paths ([`page_paths`]).
    pub pages: BTreeSet<String>,
}

/// The version switcher of one copy of the site: every edition, the one this copy shows, and
/// where this copy lives.
pub struct Switcher<'a> {
    /// Every edition, in the order the switcher lists them.
    pub editions: &'a [Edition],
    /// The index in `editions` of the version this copy shows.
    pub current: usize,
    /// This copy's directory from the published root, as [`Edition::dir`].
    pub here: &'a str,
}

/// The paths of the site's pages (`events/task_run.completed.html`), from the site root.
pub fn page_paths(model: &Model, changelog: Option<&str>) -> BTreeSet<String> {
    pages(model, changelog, &History::unrecorded(), None)
        .iter()
        .map(|p| p.path().to_owned())
        .collect()
}

/// The whole site of one version, paths from the site root (no `docs/` prefix), with a version
/// switcher on every page when `switcher` is given: what `cargo xtask site` publishes per version.
pub fn site(
    model: &Model,
    changelog: Option<&str>,
    history: &History,
    switcher: Option<&Switcher<'_>>,
) -> Outputs {
    let mut docs = Outputs::new();
    emit_site(model, changelog, history, switcher, &mut docs);
    let mut schemas = Outputs::new();
    schema::emit(model, &mut schemas);
    openapi::emit(model, &mut schemas);
    for (path, text) in schema_copies(&schemas) {
        docs.add(path, text);
    }
    let mut out = Outputs::new();
    for (path, text) in docs.files() {
        let rel = path
            .strip_prefix("docs/")
            .unwrap_or_else(|| panic!("the site's file {path} is outside docs/"));
        out.add(rel, text.clone());
    }
    out
}

/// Every page and asset of the site, without the copies of the JSON Schemas and the OpenAPI
/// document: [`crate::emit::all`] renders them once, beside the site, and copies them in with
/// [`schema_copies`].
pub(crate) fn emit_pages(
    model: &Model,
    changelog: Option<&str>,
    history: &History,
    out: &mut Outputs,
) {
    emit_site(model, changelog, history, None, out);
}

fn emit_site(
    model: &Model,
    changelog: Option<&str>,
    history: &History,
    switcher: Option<&Switcher<'_>>,
    out: &mut Outputs,
) {
    // A type's fields and values are shown in place under every field that refers to it.
    let _cache = markdown::Cache::enable();
    for page in pages(model, changelog, history, switcher) {
        let (path, html) = match &page {
            Page::Index(p) => (p.path.clone(), p.render()),
            Page::Changelog(p) => (p.path.clone(), p.render()),
            Page::Receiving(p) => (p.path.clone(), p.render()),
            Page::Event(p) => (p.path.clone(), p.render()),
            Page::Type(p) => (p.path.clone(), p.render()),
        };
        let html = html.unwrap_or_else(|e| panic!("rendering docs/{path}: {e}"));
        out.add(format!("docs/{path}"), html);
    }
    out.add("docs/assets/style.css", STYLE_CSS);
    out.add("docs/assets/search.js", SEARCH_JS);
    out.add("docs/assets/site.js", SITE_JS);
    out.add("docs/assets/favicon.svg", FAVICON_SVG);
    out.add(
        "docs/assets/search-index.js",
        search::search_index(model, changelog),
    );
}

/// The JSON Schemas and the OpenAPI document of `rendered` (the schema and OpenAPI emitters'
/// output) at their place under `docs/`, so that the site is one self-contained directory:
/// publishing `docs/` alone publishes every schema and document a page links to. They are the
/// emitters' files, copied, so the site's copy cannot differ from the originals.
pub(crate) fn schema_copies(rendered: &Outputs) -> Vec<(String, String)> {
    rendered
        .files()
        .iter()
        .filter(|(path, _)| path.starts_with(SCHEMA_DIR) || *path == openapi::PATH)
        .map(|(path, text)| (format!("docs/{path}"), text.clone()))
        .collect()
}

/// The directory the schema emitter writes to (a test checks its paths against it).
const SCHEMA_DIR: &str = "schemas/";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_paths_live_under_the_schema_directory() {
        assert!(schema::ENVELOPE_PATH.starts_with(SCHEMA_DIR));
        assert!(schema::event_path("a.b").starts_with(SCHEMA_DIR));
        assert!(schema::resource_path("a").starts_with(SCHEMA_DIR));
    }
}
