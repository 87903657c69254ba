//! Stage 3, docs emitter: the resolved [`Model`] in, the static documentation site out
//! (`docs/**` in [`Outputs`]).
//!
//! The site is plain HTML and CSS that reads well with scripts off; search is a small script over
//! a prebuilt index. Every link is relative, so the directory works opened from disk and on any
//! static host. The [`view`] module turns the model into view-model structs holding every string
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
//!
//! JSON Schema links point into the sibling `schemas/` directory written by the schema emitter.

mod json;
mod markdown;
mod view;

use askama::Template;

use crate::model::Model;
use crate::output::Outputs;

use view::{Page, pages};

/// The stylesheet, written to `docs/assets/style.css`.
const STYLE_CSS: &str = include_str!("../../../assets/style.css");
/// The search script, written to `docs/assets/search.js`.
const SEARCH_JS: &str = include_str!("../../../assets/search.js");

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
    for page in pages(model, changelog) {
        let (path, html) = match &page {
            Page::Index(p) => (p.path.clone(), p.render()),
            Page::Changelog(p) => (p.path.clone(), p.render()),
            Page::Event(p) => (p.path.clone(), p.render()),
            Page::Type(p) => (p.path.clone(), p.render()),
        };
        let html = html.unwrap_or_else(|e| panic!("rendering docs/{path}: {e}"));
        out.add(format!("docs/{path}"), html);
    }
    out.add("docs/assets/style.css", STYLE_CSS);
    out.add("docs/assets/search.js", SEARCH_JS);
    out.add("docs/assets/search-index.js", view::search_index(model));
}
