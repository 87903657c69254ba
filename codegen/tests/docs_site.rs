//! Tests of the docs site emitter: every internal link and anchor resolves, spec text is escaped,
//! every event and resource has its page, and output is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use codegen::Outputs;
use codegen::model::*;

/// The docs site's test catalog (`tests/fixtures/docs`), through the loader: two resources, an
/// enum with a `since` value, a nested object shared by a list and a map, markers, and
/// descriptions that try to inject HTML.
fn model() -> Model {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs");
    codegen::load_dir(&dir).unwrap_or_else(|d| panic!("{d}"))
}

/// Decodes the few entities askama writes into attribute values.
fn unescape(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Resolves `href` relative to the page at `page` (both relative to the output root).
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                assert!(
                    parts.pop().is_some(),
                    "{page}: link {href} leaves the output directory"
                );
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Every `href` and `src` in every page under `docs/` points at a file in `outputs` that is itself
/// under `docs/` (the site is published alone), and every `#fragment` at an element id of that
/// file.
fn check_links(outputs: &Outputs) -> usize {
    let files = outputs.files();
    let pages: BTreeMap<&str, tl::VDom<'_>> = files
        .iter()
        .filter(|(path, _)| path.starts_with("docs/") && path.ends_with(".html"))
        .map(|(path, html)| {
            (
                path.as_str(),
                tl::parse(html, tl::ParserOptions::default()).expect("parses"),
            )
        })
        .collect();
    assert!(!pages.is_empty(), "no docs pages");
    let ids: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(path, dom)| {
            let mut ids = BTreeSet::new();
            for node in dom.nodes() {
                if let Some(Some(id)) = node.as_tag().map(|t| t.attributes().id()) {
                    let id = unescape(&id.as_utf8_str());
                    assert!(ids.insert(id.clone()), "{path}: duplicate id {id}");
                }
            }
            (*path, ids)
        })
        .collect();
    let mut checked = 0;
    let mut problems = Vec::new();
    for (page, dom) in &pages {
        for tag in dom.nodes().iter().filter_map(|n| n.as_tag()) {
            for attr in ["href", "src"] {
                let Some(Some(value)) = tag.attributes().get(attr) else {
                    continue;
                };
                let link = unescape(&value.as_utf8_str());
                // Links written in spec Markdown may leave the site; they are not fetched, only
                // followed when clicked, so only the site's own links are checked.
                if link.contains(':') || link.starts_with("//") {
                    assert!(
                        ["https://", "http://", "mailto:"]
                            .iter()
                            .any(|p| link.starts_with(p)),
                        "{page}: unexpected link {link}"
                    );
                    continue;
                }
                let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
                let target = if path.is_empty() {
                    page.to_string()
                } else {
                    resolve(page, path)
                };
                checked += 1;
                if !target.starts_with("docs/") {
                    problems.push(format!("{page}: {link} -> {target}, outside the site"));
                } else if !files.contains_key(&target) {
                    problems.push(format!("{page}: {link} -> missing file {target}"));
                } else if !fragment.is_empty()
                    && !ids
                        .get(target.as_str())
                        .is_some_and(|ids| ids.contains(fragment))
                {
                    problems.push(format!("{page}: {link} -> no id {fragment:?} in {target}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} broken links:\n{}",
        problems.len(),
        problems.join("\n")
    );
    checked
}

#[test]
fn links_and_anchors_resolve_in_the_minimal_fixture() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let model = codegen::load_dir(&dir).unwrap_or_else(|d| panic!("{d:?}"));
    let outputs = codegen::emit::all(&model);
    let checked = check_links(&outputs);
    assert!(checked > 50, "only {checked} links checked");
}

/// The real spec, once it is in the repository: every one of its pages links correctly.
#[test]
fn links_and_anchors_resolve_in_the_real_spec() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    if !dir.join(codegen::ROOT_FILE).is_file() {
        eprintln!(
            "spec/{} not present yet; the fixture tests cover the site",
            codegen::ROOT_FILE
        );
        return;
    }
    let model = codegen::load_dir(&dir).unwrap_or_else(|d| panic!("{d:?}"));
    let outputs = codegen::emit::all(&model);
    let checked = check_links(&outputs);
    assert!(checked > 1000, "only {checked} links checked");
    for event in &model.events {
        assert!(
            outputs
                .get(&format!("docs/events/{}.html", event.name))
                .is_some()
        );
    }
    for group in &model.groups {
        assert!(
            outputs
                .get(&format!("docs/resources/{}.html", group.slug))
                .is_some()
        );
    }
}

#[test]
fn links_and_anchors_resolve() {
    let outputs = codegen::emit::all(&model());
    let checked = check_links(&outputs);
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn every_event_resource_and_type_has_a_page() {
    let model = model();
    let outputs = codegen::emit::all(&model);
    for event in &model.events {
        let page = outputs
            .get(&format!("docs/events/{}.html", event.name))
            .expect("event page");
        assert!(
            page.contains("class=\"code\""),
            "{} has no example",
            event.name
        );
        let schema = format!("schemas/events/{}.schema.json", event.name);
        assert!(page.contains(&format!("href=\"../{schema}\"")));
        assert!(outputs.get(&format!("docs/{schema}")).is_some());
    }
    for group in &model.groups {
        assert!(
            outputs
                .get(&format!("docs/resources/{}.html", group.slug))
                .is_some()
        );
    }
    for path in [
        "docs/types/task_run_status.html",
        "docs/types/error.html",
        "docs/envelope.html",
        "docs/index.html",
    ] {
        assert!(outputs.get(path).is_some(), "{path}");
    }
    let index = outputs.get("docs/assets/search-index.js").unwrap();
    assert!(
        index.starts_with("window.DECK_SEARCH_INDEX = [[\"event\",\"task_run.completed\""),
        "{index}"
    );
    assert!(index.contains("\"resources/task_run.html#field-status\""));
    assert!(index.contains("\"types/task_run_status.html#value-running\""));
}

#[test]
fn spec_text_is_escaped() {
    let outputs = codegen::emit::all(&model());
    let page = outputs.get("docs/resources/task_run.html").unwrap();
    assert!(
        page.contains("Lifecycle &lt;script&gt;alert(1)&lt;/script&gt; state."),
        "description not escaped"
    );
    assert!(
        page.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "inline HTML not escaped"
    );
    let dom = tl::parse(page, tl::ParserOptions::default()).unwrap();
    let scripts: Vec<String> = dom
        .nodes()
        .iter()
        .filter_map(|n| n.as_tag())
        .filter(|t| t.name().as_utf8_str() == "script")
        .map(|t| {
            t.attributes()
                .get("src")
                .flatten()
                .map(|s| s.as_utf8_str().into_owned())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        scripts,
        [
            "../assets/search-index.js",
            "../assets/search.js",
            "../assets/site.js"
        ]
    );
    assert!(
        dom.nodes()
            .iter()
            .filter_map(|n| n.as_tag())
            .all(|t| t.name().as_utf8_str() != "img")
    );
    for (path, text) in outputs.files() {
        if path.starts_with("docs/") && path.ends_with(".html") {
            assert!(
                !text.contains("alert(1)</script>") && !text.contains("<img"),
                "{path} carries raw HTML"
            );
        }
    }
}

#[test]
fn markers_show_as_badges() {
    let outputs = codegen::emit::all(&model());
    let failed = outputs.get("docs/events/task_run.failed.html").unwrap();
    assert!(failed.contains("badge-deprecated"));
    assert!(failed.contains("since 0.1.0"));
    assert!(failed.contains("<strong>Deprecated.</strong> use <code>task_run.completed</code>"));
    let status = outputs.get("docs/types/task_run_status.html").unwrap();
    assert!(status.contains("id=\"value-running\""));
    assert!(status.contains("since 0.2.0"));
}

#[test]
fn output_is_deterministic() {
    let a = codegen::emit::all(&model());
    let b = codegen::emit::all(&model());
    assert_eq!(a, b);
    for (path, text) in a.files() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        assert!(
            !text.contains(&*repo.to_string_lossy()),
            "{path} has an absolute path"
        );
    }
}

/// A spec with `groups` resources of two events each, for measuring how the site grows.
fn wide_spec(groups: usize) -> std::collections::BTreeMap<String, String> {
    let mut root = String::from(
        "package: { name: wide, version: 1.0.0, title: Wide, description: Many groups., schema_base_url: \"https://example.com/s/\" }\n\
         envelope:\n  description: An event.\n  fields:\n\
         \x20   id: { type: string, description: Id. }\n\
         \x20   type: { type: event_type, description: Type. }\n\
         \x20   data: { type: event_data, description: Data. }\n\
         include: [groups.yaml]\n",
    );
    root.push('\n');
    let mut file = String::from("types:\n");
    for g in 0..groups {
        file.push_str(&format!(
            "  R{g}:\n    resource: r{g}\n    description: Resource {g}.\n    fields:\n      id: {{ type: string, description: Id. }}\n"
        ));
    }
    file.push_str("events:\n");
    for g in 0..groups {
        for action in ["created", "deleted"] {
            file.push_str(&format!(
                "  r{g}.{action}:\n    description: It is {action}.\n    examples: [{{ id: e, type: r{g}.{action}, data: {{ id: x }} }}]\n"
            ));
        }
    }
    [
        ("spec.yaml".to_string(), root),
        ("groups.yaml".to_string(), file),
    ]
    .into_iter()
    .collect()
}

fn docs_bytes(groups: usize) -> usize {
    let model = codegen::load_files(&wide_spec(groups)).unwrap_or_else(|d| panic!("{d}"));
    let out = codegen::emit::all(&model);
    out.files()
        .iter()
        .filter(|(p, _)| p.starts_with("docs/"))
        .map(|(_, t)| t.len())
        .sum()
}

#[test]
fn site_size_grows_linearly_with_the_catalog() {
    // Past the size where the sidebar stops listing everything, doubling the catalog at most
    // doubles the site (plus the index), instead of quadrupling it.
    let (small, large) = (docs_bytes(150), docs_bytes(300));
    let ratio = large as f64 / small as f64;
    assert!(
        ratio < 2.3,
        "doubling the catalog grew the site {ratio:.2}x ({small} -> {large} bytes)"
    );
}

/// The site carries the schema emitter's files, byte for byte, whether or not that emitter ran
/// first in the same output set.
#[test]
fn the_site_carries_the_schemas_byte_for_byte() {
    let model = model();
    let all = codegen::emit::all(&model);
    let mut schemas = 0;
    for (path, text) in all.files() {
        if path.starts_with("schemas/") {
            schemas += 1;
            assert_eq!(
                all.get(&format!("docs/{path}")),
                Some(text.as_str()),
                "{path}"
            );
        }
    }
    assert!(schemas > 5, "only {schemas} schemas");
    let mut alone = Outputs::new();
    codegen::emit::docs::emit_with_changelog(&model, None, &mut alone);
    for (path, text) in alone.files() {
        assert_eq!(
            all.get(path),
            Some(text.as_str()),
            "{path} differs when emitted alone"
        );
    }
}

fn element_ids(html: &str) -> BTreeSet<String> {
    let dom = tl::parse(html, tl::ParserOptions::default()).expect("parses");
    dom.nodes()
        .iter()
        .filter_map(|n| {
            n.as_tag()?
                .attributes()
                .id()
                .map(|id| unescape(&id.as_utf8_str()))
        })
        .collect()
}

#[test]
fn nested_objects_expand_in_place_and_recursion_ends() {
    let outputs = codegen::emit::all(&model());
    let page = outputs.get("docs/resources/task_run.html").unwrap();
    let ids = element_ids(page);
    assert!(ids.contains("field-errors"), "{ids:?}");
    assert!(ids.contains("field-errors.message"), "{ids:?}");
    let details = page
        .find("<details class=\"nested\">")
        .expect("a nested table");
    assert!(
        page[details..]
            .find("id=\"field-errors.message\"")
            .is_some()
    );
    // A map of objects expands like an array of them.
    let agent = element_ids(outputs.get("docs/resources/agent.html").unwrap());
    assert!(agent.contains("field-errors.message"), "{agent:?}");

    // `Widget.parent` is a `Widget`: the page links to it instead of expanding it again.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let minimal = codegen::emit::all(&codegen::load_dir(&dir).unwrap());
    let widget = element_ids(minimal.get("docs/resources/widget.html").unwrap());
    assert!(widget.contains("field-parent"));
    assert!(
        !widget.iter().any(|id| id.starts_with("field-parent.")),
        "{widget:?}"
    );
}

#[test]
fn every_example_has_a_copy_button_and_every_field_a_copy_link() {
    let outputs = codegen::emit::all(&model());
    for (path, html) in outputs.files() {
        if !(path.starts_with("docs/") && path.ends_with(".html")) {
            continue;
        }
        let dom = tl::parse(html, tl::ParserOptions::default()).unwrap();
        let tags: Vec<_> = dom.nodes().iter().filter_map(|n| n.as_tag()).collect();
        let attr = |t: &tl::HTMLTag, name: &str| {
            t.attributes()
                .get(name)
                .flatten()
                .map(|v| unescape(&v.as_utf8_str()))
        };
        let copies: BTreeSet<String> = tags.iter().filter_map(|t| attr(t, "data-copy")).collect();
        let links: BTreeSet<String> = tags
            .iter()
            .filter_map(|t| attr(t, "data-copy-link"))
            .collect();
        for t in &tags {
            let name = t.name().as_utf8_str();
            let id = t.attributes().id().map(|v| unescape(&v.as_utf8_str()));
            if name == "code" && attr(t, "class").is_some_and(|c| c.starts_with("language-")) {
                let id = id
                    .clone()
                    .unwrap_or_else(|| panic!("{path}: a code sample without an id"));
                assert!(copies.contains(&id), "{path}: no copy button for {id}");
            }
            if name == "tr"
                && let Some(id) = id.filter(|i| i.starts_with("field-"))
            {
                assert!(links.contains(&id), "{path}: no copy-link for {id}");
            }
        }
    }
    let resource = outputs.get("docs/resources/task_run.html").unwrap();
    assert!(
        resource.contains("id=\"example-1-code\""),
        "the resource page shows an example"
    );
}

#[test]
fn receiving_page_explains_signatures_and_delivery() {
    let mut model = model();
    model.package.delivery = "Deliveries are **retried** 3 times.".into();
    let outputs = codegen::emit::all(&model);
    let page = outputs
        .get("docs/receiving.html")
        .expect("a receiving page");
    for text in [
        "<strong>retried</strong> 3 times",
        "<code>webhook-id</code>",
        "<code>webhook-timestamp</code>",
        "<code>webhook-signature</code>",
        "<code>whsec_</code>",
        "5 minutes",
        "use deck_events::signing::{Secret, Verifier};",
    ] {
        assert!(page.contains(text), "the page lacks {text:?}");
    }
    let envelope = outputs.get("docs/envelope.html").unwrap();
    assert!(envelope.contains("href=\"receiving.html\""));

    model.package.signing = Signing::None;
    model.package.delivery.clear();
    let outputs = codegen::emit::all(&model);
    assert!(outputs.get("docs/receiving.html").is_none());
    check_links(&outputs);
}

#[test]
fn search_index_knows_id_prefixes() {
    let outputs = codegen::emit::all(&model());
    let script = outputs.get("docs/assets/search-index.js").unwrap();
    let json = script
        .strip_prefix("window.DECK_SEARCH_INDEX = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .unwrap();
    let entries: Vec<[String; 6]> = serde_json::from_str(json).unwrap();
    let prefix_of = |title: &str| {
        entries
            .iter()
            .find(|e| e[1] == title)
            .map(|e| e[5].clone())
            .unwrap_or_else(|| panic!("no entry {title}"))
    };
    assert_eq!(prefix_of("TaskRunId"), "trun_");
    assert_eq!(prefix_of("TaskRun"), "trun_");
    assert_eq!(prefix_of("TaskRunStatus"), "");
    assert!(
        entries
            .iter()
            .any(|e| e[0] == "guide" && e[3].starts_with("receiving.html#"))
    );
}

/// Every `notes:` text in the spec's YAML files, at any depth.
fn spec_notes(dir: &std::path::Path) -> Vec<String> {
    fn walk(v: &serde_yaml::Value, out: &mut Vec<String>) {
        match v {
            serde_yaml::Value::Mapping(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        (Some("notes"), serde_yaml::Value::String(text)) => out.push(text.clone()),
                        _ => walk(v, out),
                    }
                }
            }
            serde_yaml::Value::Sequence(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            walk(&serde_yaml::from_str(&text).unwrap(), &mut out);
        }
    }
    out
}

/// Readers see readers' text only: no output of the real spec carries a maintainers' note, nor
/// the kinds of remark that notes are for.
#[test]
fn no_output_shows_maintainers_notes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = codegen::load_dir(&dir).unwrap_or_else(|d| panic!("{d:?}"));
    let changelog = std::fs::read_to_string(dir.join(codegen::CHANGELOG_FILE)).ok();
    let outputs = codegen::emit::all_with_changelog(&model, changelog.as_deref());
    let notes = spec_notes(&dir);
    assert!(notes.len() > 20, "only {} notes found", notes.len());
    let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let remarks = [
        "The API reference says",
        "Not confirmed",
        "is not documented",
        "Revisions of the API disagree",
        "Defined in",
        "do not edit by hand",
        "Newer revisions only",
        "Newest revision only",
        "older revisions",
        "inferred from",
        "revision",
        "published example",
    ];
    for (path, text) in outputs.files() {
        let shown =
            path.starts_with("docs/") || path.starts_with("schemas/") || path.starts_with("src/");
        if !shown || path.starts_with("docs/schemas/") && !path.ends_with(".json") {
            continue;
        }
        let text = flat(text);
        for note in &notes {
            assert!(
                !text.contains(&flat(note)),
                "{path} shows the note {note:?}"
            );
        }
        if path.starts_with("docs/") {
            for remark in remarks {
                assert!(
                    !text.to_lowercase().contains(&remark.to_lowercase()),
                    "{path} says {remark:?}"
                );
            }
        }
    }
}
