//! Docs helper: spec Markdown in, safe HTML or plain text out.
//!
//! Spec text is not trusted to be HTML. Raw HTML in a description (`<script>`, `<b>`) is turned
//! into text, so it shows exactly as written; link targets with a scheme other than `http`,
//! `https` or `mailto` (`javascript:`, `data:`) lose their link; images become plain links, so
//! that a page never fetches anything from the network.

use std::cell::RefCell;
use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

thread_local! {
    /// [`inline`]'s results while a [`Cache`] is alive on this thread.
    static CACHE: RefCell<Option<HashMap<String, String>>> = const { RefCell::new(None) };
}

/// Remembers [`inline`]'s results on this thread while it lives: the site shows a type's field
/// and value descriptions in place under every field that refers to it, on every page, so many
/// would be rendered again and again. Dropped, it forgets them, so a long-lived process (the
/// bench, an editor integration) does not keep every description it ever rendered.
pub struct Cache(());

impl Cache {
    /// Starts remembering, until the returned value is dropped.
    pub fn enable() -> Cache {
        CACHE.with_borrow_mut(|cache| *cache = Some(HashMap::new()));
        Cache(())
    }
}

impl Drop for Cache {
    fn drop(&mut self) {
        CACHE.with_borrow_mut(|cache| *cache = None);
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Renders Markdown as block HTML (paragraphs, lists, code blocks).
pub fn block(text: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, sanitize(Parser::new_ext(text, options())));
    out
}

/// A document's sections: its text from the first level-2 heading on (empty if it has none).
/// What comes before (the title, a note to whoever edits the file) is the file's own matter, not
/// the page's.
pub fn sections(text: &str) -> &str {
    Parser::new_ext(text, options())
        .into_offset_iter()
        .find_map(|(event, range)| match event {
            Event::Start(Tag::Heading {
                level: pulldown_cmark::HeadingLevel::H2,
                ..
            }) => Some(&text[range.start..]),
            _ => None,
        })
        .unwrap_or("")
}

/// Renders Markdown that is usually one sentence, for table cells and lists: a single paragraph
/// loses its `<p>` so it flows with the surrounding text; anything longer stays block HTML.
pub fn inline(text: &str) -> String {
    CACHE.with_borrow_mut(|cache| match cache {
        Some(cache) => cache
            .entry(text.to_owned())
            .or_insert_with(|| render_inline(text))
            .clone(),
        None => render_inline(text),
    })
}

fn render_inline(text: &str) -> String {
    let html = block(text);
    let trimmed = html.trim_end();
    if let Some(body) = trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        && !body.contains("<p>")
    {
        return body.to_string();
    }
    html
}

/// The text of Markdown without its markup, for the search index and `title` attributes.
pub fn plain(text: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The start of a link to `dest_url`, kept only when the URL is safe; `open` records whether it
/// was, so the matching end tag goes too.
fn link<'a>(
    open: &mut Vec<bool>,
    link_type: LinkType,
    dest_url: CowStr<'a>,
    title: CowStr<'a>,
    id: CowStr<'a>,
) -> Option<Event<'a>> {
    let keep = safe_url(&dest_url);
    open.push(keep);
    keep.then_some(Event::Start(Tag::Link {
        link_type,
        dest_url,
        title,
        id,
    }))
}

/// Rewrites the events that could inject markup or fetch from the network.
fn sanitize<'a>(parser: Parser<'a>) -> impl Iterator<Item = Event<'a>> {
    // One entry per open link or image: whether its start tag was kept, so the end tag matches.
    let mut open: Vec<bool> = Vec::new();
    parser.filter_map(move |event| match event {
        Event::Html(t) | Event::InlineHtml(t) => Some(Event::Text(t)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => link(&mut open, link_type, dest_url, title, id),
        // An image becomes a link to it: the site fetches nothing from elsewhere.
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            ..
        }) => link(&mut open, LinkType::Inline, dest_url, title, id),
        Event::End(TagEnd::Link | TagEnd::Image) => open
            .pop()
            .unwrap_or(false)
            .then_some(Event::End(TagEnd::Link)),
        other => Some(other),
    })
}

/// A link target is kept when it is relative, a fragment, or uses a harmless scheme.
fn safe_url(url: &CowStr<'_>) -> bool {
    let scheme_end =
        url.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')));
    match scheme_end {
        Some(i) if url[i..].starts_with(':') && i > 0 => {
            matches!(
                url[..i].to_ascii_lowercase().as_str(),
                "http" | "https" | "mailto"
            )
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text() {
        let html = block("Hello <script>alert(1)</script> **world**");
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("<strong>world</strong>"), "{html}");
        let html = block("<div onclick=\"x()\">\nblock\n</div>\n");
        assert!(!html.contains("<div"), "{html}");
    }

    #[test]
    fn unsafe_links_are_dropped() {
        let html =
            inline("[a](javascript:alert(1)) [b](https://deck.co) [c](#x) ![d](https://img/x.png)");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(
            html.contains(r#"<a href="https://deck.co">b</a>"#),
            "{html}"
        );
        assert!(html.contains(r##"<a href="#x">c</a>"##), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn sections_start_at_the_first_level_two_heading() {
        let text = "# Changelog\n\nGenerated; do not edit.\n\n## 1.0.0\n\n- x\n";
        assert_eq!(sections(text), "## 1.0.0\n\n- x\n");
        assert_eq!(sections("# Title\n\nNo sections.\n"), "");
    }

    #[test]
    fn inline_drops_single_paragraph() {
        assert_eq!(inline("Run *finishes*."), "Run <em>finishes</em>.");
        assert!(inline("one\n\ntwo").starts_with("<p>"));
        assert_eq!(plain("Run `x`\n*finishes*."), "Run x finishes.");
    }

    #[test]
    fn the_cache_gives_what_rendering_gives_and_forgets_when_dropped() {
        let texts = [
            "Run *finishes*.",
            "one\n\ntwo",
            "Run *finishes*.",
            "<b>x</b>",
        ];
        let fresh: Vec<String> = texts.iter().map(|t| inline(t)).collect();
        {
            let _cache = Cache::enable();
            let cached: Vec<String> = texts.iter().map(|t| inline(t)).collect();
            assert_eq!(cached, fresh);
            assert_eq!(CACHE.with_borrow(|c| c.as_ref().map(HashMap::len)), Some(3));
        }
        assert!(CACHE.with_borrow(|c| c.is_none()));
    }
}
