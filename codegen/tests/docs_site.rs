//! Tests of the docs site emitter: every internal link and anchor resolves, spec text is escaped,
//! every event and resource has its page, and output is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use codegen::Outputs;
use codegen::model::*;

fn field(wire: &str, ty: TypeRef, description: &str) -> Field {
    Field {
        name: wire.into(),
        description: description.into(),
        ty,
        optional: false,
        nullable: false,
        constant: None,
        recursive: false,
        markers: Markers::default(),
        origin: Origin::default(),
    }
}

fn ty(wire: &str, slug: &str, kind: TypeKind, description: &str) -> TypeDef {
    TypeDef {
        name: wire.into(),
        description: description.into(),
        kind,
        markers: Markers::default(),
        slug: slug.into(),
        origin: Origin {
            file: "task_run.yaml".into(),
            line: 1,
            col: 1,
        },
    }
}

fn example(text: &str) -> Example {
    let json: serde_json::Value = serde_json::from_str(text).unwrap();
    Example {
        json,
        text: text.into(),
    }
}

/// A small spec built by hand: two resources, an enum, a shared nested object, markers, and a
/// description that tries to inject a script.
fn model() -> Model {
    let v = |s| Version::parse(s).unwrap();
    let (event_id, trun_id, status, error, task_run, agent) = (0, 1, 2, 3, 4, 5);
    let mut status_values = vec![
        EnumValue {
            name: "queued".into(),
            description: "Waiting.".into(),
            markers: Markers::default(),
        },
        EnumValue {
            name: "running".into(),
            description: "Executing.".into(),
            markers: Markers::default(),
        },
    ];
    status_values[1].markers.since = Some(v("0.2.0"));
    let mut result = field("output", TypeRef::Json, "The run's output.");
    result.optional = true;
    result.nullable = true;
    let mut object = field("object", TypeRef::String, "Always `task_run`.");
    object.constant = Some("task_run".into());
    let mut legacy = field("legacy", TypeRef::Boolean, "Old flag.");
    legacy.markers.deprecated = Some("use `status`".into());
    let types = vec![
        ty(
            "EventId",
            "event_id",
            TypeKind::Id {
                prefix: "evt_".into(),
            },
            "Identifier of an event.",
        ),
        ty(
            "TaskRunId",
            "task_run_id",
            TypeKind::Id {
                prefix: "trun_".into(),
            },
            "Identifier of a run.",
        ),
        ty(
            "TaskRunStatus",
            "task_run_status",
            TypeKind::Enum {
                values: status_values,
            },
            "Where the run is.",
        ),
        ty(
            "Error",
            "error",
            TypeKind::Object {
                fields: vec![field("message", TypeRef::String, "What went wrong.")],
                resource: None,
            },
            "An error.",
        ),
        ty(
            "TaskRun",
            "task_run",
            TypeKind::Object {
                fields: vec![
                    field(
                        "id",
                        TypeRef::Named(TypeId(trun_id)),
                        "Identifier of the run.",
                    ),
                    object,
                    field(
                        "status",
                        TypeRef::Named(TypeId(status)),
                        "Lifecycle <script>alert(1)</script> state.",
                    ),
                    field(
                        "errors",
                        TypeRef::Array(Box::new(TypeRef::Named(TypeId(error)))),
                        "What went wrong.",
                    ),
                    result,
                    legacy,
                ],
                resource: Some(Resource {
                    object: "task_run".into(),
                    title: "Task run".into(),
                    group: 0,
                }),
            },
            "One execution of a task. <img src=x onerror=alert(2)>",
        ),
        ty(
            "Agent",
            "agent",
            TypeKind::Object {
                fields: vec![field(
                    "errors",
                    TypeRef::Map(Box::new(TypeRef::Named(TypeId(error)))),
                    "Errors by step.",
                )],
                resource: Some(Resource {
                    object: "agent".into(),
                    title: "Agent".into(),
                    group: 1,
                }),
            },
            "An agent.",
        ),
    ];
    let event =
        |wire: &str, object: &str, action: &str, data: usize, group: usize, text: &str| EventDef {
            name: wire.into(),
            object: object.into(),
            action: action.into(),
            description: format!("Fired when the {object} is {action}."),
            data: TypeId(data),
            group,
            examples: vec![example(text)],
            markers: Markers::default(),
            origin: Origin {
                file: format!("{object}.yaml"),
                line: 1,
                col: 1,
            },
        };
    let run_example = r#"{
  "id": "evt_01",
  "type": "task_run.completed",
  "data": {
    "id": "trun_01",
    "object": "task_run",
    "status": "running",
    "errors": []
  },
  "created_at": "2025-01-15T09:30:00Z"
}"#;
    let mut completed = event(
        "task_run.completed",
        "task_run",
        "completed",
        task_run,
        0,
        run_example,
    );
    completed.examples.push(example(run_example));
    let mut failed = event(
        "task_run.failed",
        "task_run",
        "failed",
        task_run,
        0,
        run_example,
    );
    failed.markers.deprecated = Some("use `task_run.completed`".into());
    failed.markers.since = Some(v("0.1.0"));
    let created = event(
        "agent.created",
        "agent",
        "created",
        agent,
        1,
        "{\n  \"id\": \"evt_02\",\n  \"type\": \"agent.created\",\n  \"data\": {\n    \"errors\": {}\n  }\n}",
    );
    let mut request_id = field("request_id", TypeRef::String, "The request that caused it.");
    request_id.optional = true;
    request_id.nullable = true;
    Model {
        package: Package {
            name: "deck-events".into(),
            lib_name: "deck_events".into(),
            version: v("0.1.0"),
            title: "Deck events".into(),
            description: "Webhook events of the **Deck** API.".into(),
            schema_base_url: "https://schemas.deck.co/events/".into(),
            signing: Signing::StandardWebhooks,
            metadata: Default::default(),
        },
        envelope: Envelope {
            description: "An event.".into(),
            fields: vec![
                field("id", TypeRef::Named(TypeId(event_id)), "Unique identifier."),
                field("type", TypeRef::EventType, "The event type."),
                field("data", TypeRef::EventData, "The resource."),
                request_id,
            ],
            type_field: 1,
            data_field: 2,
        },
        types,
        groups: vec![
            Group {
                title: "Task run".into(),
                object: "task_run".into(),
                resource: TypeId(task_run),
                events: vec![0, 1],
                slug: "task_run".into(),
            },
            Group {
                title: "Agent".into(),
                object: "agent".into(),
                resource: TypeId(agent),
                events: vec![2],
                slug: "agent".into(),
            },
        ],
        events: vec![completed, failed, created],
    }
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

/// Every `href` and `src` in every page under `docs/` points at a file in `outputs`, and every
/// `#fragment` at an element id of that file. Links to the schema emitter's files are checked too
/// when that emitter's files are present.
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
    let have_schemas = files.keys().any(|p| p.starts_with("schemas/"));
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
                if target.starts_with("schemas/") && !have_schemas {
                    continue;
                }
                checked += 1;
                if !files.contains_key(&target) {
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
        assert!(page.contains(&format!("../../schemas/events/{}.schema.json", event.name)));
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
        ["../assets/search-index.js", "../assets/search.js"]
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
