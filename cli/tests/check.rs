//! `deck-events check`: the fixtures of every event type are clean, a corpus made from them with
//! one case of every finding kind is reported at the right pointers, and bad input is a clear
//! line, never a panic.

use std::path::{Path, PathBuf};

use deck_events::fixtures;
use serde_json::{Value, json};

mod support;

use support::{apply_edit, deck_events, text};

/// `check --format json` on `paths`: the exit code and the report.
fn check_json(paths: &[&Path]) -> (i32, Value, String) {
    let mut args = vec!["check", "--format", "json"];
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    args.extend(paths.iter().map(String::as_str));
    let out = deck_events(&args, b"");
    let stderr = text(&out.stderr);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|err| panic!("{err}: {}\n{stderr}", text(&out.stdout)));
    (out.status.code().unwrap(), report, stderr)
}

/// The findings of a report as (event type, pointer, kind).
fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["event_type"].as_str().unwrap_or("-").to_owned(),
                f["pointer"].as_str().unwrap().to_owned(),
                f["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn task_run_completed() -> Value {
    example("task_run.completed", |_| {})
}

#[test]
fn the_fixtures_of_every_event_type_are_clean() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixtures.ndjson");
    let mut lines = String::new();
    let mut count = 0;
    for fixture in fixtures::all() {
        let value: Value = serde_json::from_str(fixture.json()).unwrap();
        lines.push_str(&serde_json::to_string(&value).unwrap());
        lines.push('\n');
        count += 1;
    }
    std::fs::write(&path, lines).unwrap();
    let (code, report, stderr) = check_json(&[&path]);
    assert_eq!(code, 0, "{report}\n{stderr}");
    assert_eq!(report["bodies"], count);
    assert_eq!(report["drifting"], 0);
    assert_eq!(report["findings"], json!([]));
}

#[test]
fn every_finding_kind_is_named_with_its_pointer() {
    let case = |change: &dyn Fn(&mut Value)| example("task_run.completed", change).to_string();
    let lines = [
        case(&|b| b["data"]["surprise"] = json!({"a": 1})),
        case(&|b| b["data"]["status"] = json!("paused")),
        case(&|b| b["data"]["runtime_ms"] = json!("oops")),
        case(&|b| b["data"]["agent_id"] = Value::Null),
        case(&|b| {
            b["data"].as_object_mut().unwrap().remove("id");
        }),
        case(&|b| b["type"] = json!("task_run.paused")),
        case(&|b| b["created_at"] = json!("yesterday")),
        "not json".to_owned(),
        // A clean one, which adds nothing.
        case(&|_| {}),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = write_corpus(dir.path(), &lines);
    let (code, report, stderr) = check_json(&[&path]);
    assert_eq!(code, 1, "{report}");
    let t = "task_run.completed";
    let expected = [
        ("-", "", "not-an-event"),
        (t, "/created_at", "does-not-decode"),
        (t, "/data/agent_id", "not-nullable"),
        (t, "/data/id", "missing-field"),
        (t, "/data/runtime_ms", "type-mismatch"),
        (t, "/data/status", "unknown-enum-value"),
        (t, "/data/surprise", "unknown-field"),
        ("task_run.paused", "/type", "unknown-event-type"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(findings(&report), expected, "{report}");
    assert_eq!(report["bodies"], 9);
    assert_eq!(report["drifting"], 8);
    let by_pointer = |pointer: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["pointer"] == pointer)
            .unwrap()
            .clone()
    };
    let surprise = by_pointer("/data/surprise");
    assert_eq!(surprise["seen"], json!({"object": 1}));
    assert_eq!(surprise["count"], 1);
    assert_eq!(surprise["first"]["source"], format!("{}:1", path.display()));
    assert_eq!(surprise["first"]["event_id"], task_run_completed()["id"]);
    assert_eq!(by_pointer("/data/status")["seen"], json!({"\"paused\"": 1}));
    assert_eq!(by_pointer("/data/runtime_ms")["seen"], json!({"string": 1}));
    assert_eq!(
        by_pointer("/data/runtime_ms")["expected"],
        "integer or null"
    );
    assert_eq!(
        by_pointer("/data/id")["first"]["source"],
        format!("{}:5", path.display())
    );
    // The crate names the place of what only it rejects.
    assert!(
        by_pointer("/created_at")["seen"]
            .to_string()
            .contains("yesterday"),
        "{report}"
    );
    assert!(
        stderr.contains(&format!("{}:8: not an event: not JSON", path.display())),
        "{stderr}"
    );

    // The same corpus as text: a table, one line per group.
    let out = deck_events(&["check", &path.display().to_string()], b"");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.starts_with("checked 9 bodies in 1 input: 8 drift from the catalog"),
        "{stdout}"
    );
    let row = stdout
        .lines()
        .find(|line| line.contains("/data/runtime_ms"))
        .unwrap();
    assert!(row.starts_with("task_run.completed"), "{row}");
    assert!(row.contains("type-mismatch"), "{row}");
}

#[test]
fn bad_input_is_a_clear_line_and_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    std::fs::create_dir(&store).unwrap();
    std::fs::write(store.join("empty.body"), b"").unwrap();
    std::fs::write(store.join("binary.body"), [0xff, 0xfe, 0, 1, 2]).unwrap();
    std::fs::write(store.join("array.json"), b"[1, 2]").unwrap();
    std::fs::write(store.join("ignored.txt"), b"not read").unwrap();
    std::fs::write(store.join("lines.ndjson"), b"\n{\"type\": 5}\n\xff\n").unwrap();
    let (code, report, stderr) = check_json(&[&store]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["bodies"], 5, "{report}");
    assert_eq!(report["drifting"], 5, "{report}");
    let store = store.display();
    for line in [
        format!("{store}/binary.body: not an event: bytes that are not UTF-8 (at byte 0)"),
        format!("{store}/empty.body: not an event: an empty body"),
        format!("{store}/array.json: not an event: array"),
        format!("{store}/lines.ndjson:2: not an event: integer"),
        format!("{store}/lines.ndjson:3: not an event: bytes that are not UTF-8"),
    ] {
        assert!(stderr.contains(&line), "{line}\n{stderr}");
    }

    // A path that does not exist is a usage mistake.
    let out = deck_events(&["check", "no/such/file.json"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no/such/file.json"));

    // Standard input is NDJSON.
    let body = serde_json::to_string(&task_run_completed()).unwrap();
    let out = deck_events(&["check", "-"], format!("{body}\n{body}\n").as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("checked 2 bodies in 1 input: no drift"));
}

/// A file that is gone by the time it is read (here a link to nothing, as a body deleted between
/// the listing and the read would be) is a line naming it, and the run goes on.
#[cfg(unix)]
#[test]
fn a_file_that_is_gone_is_a_line_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let body = serde_json::to_string(&task_run_completed()).unwrap();
    std::fs::write(dir.path().join("a.body"), &body).unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("b.body")).unwrap();
    std::fs::write(dir.path().join("c.body"), &body).unwrap();
    let (code, report, stderr) = check_json(&[dir.path()]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["bodies"], 2);
    assert_eq!(report["unreadable"], 1);
    assert_eq!(report["findings"], json!([]));
    let gone = dir.path().join("b.body");
    assert!(
        stderr.contains(&format!(
            "error: {}: No such file or directory",
            gone.display()
        )),
        "{stderr}"
    );
}

/// A directory of 100,000 bodies is read whole, in order, without running out of anything.
#[test]
fn a_directory_of_100_000_files_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut value = task_run_completed();
    for i in 0..100_000 {
        value["id"] = json!(format!("evt_{i:06}"));
        if i == 99_999 {
            value["data"]["surprise"] = json!(true);
        }
        let body = serde_json::to_vec(&value).unwrap();
        std::fs::write(dir.path().join(format!("{i:06}.body")), body).unwrap();
    }
    let (code, report, stderr) = check_json(&[dir.path()]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(report["bodies"], 100_000);
    assert_eq!(report["drifting"], 1);
    assert_eq!(report["findings"][0]["pointer"], "/data/surprise");
    assert_eq!(report["findings"][0]["first"]["event_id"], "evt_099999");
}

#[test]
fn suggested_edits_make_the_corpus_clean() {
    let case = |change: &dyn Fn(&mut Value)| example("task_run.completed", change).to_string();
    let lines = [
        case(&|b| b["data"]["retry_policy"] = json!({"max": 3})),
        case(&|b| b["data"]["attempt"] = json!(2)),
        case(&|b| b["data"]["status"] = json!("paused")),
        case(&|b| b["data"]["agent_id"] = Value::Null),
        case(&|_| {}),
    ];
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path(), &lines);
    let out = deck_events(
        &[
            "check",
            "--suggest",
            "--format",
            "json",
            &corpus.display().to_string(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let suggested: Value = serde_json::from_slice(&out.stdout).unwrap();
    let edits = suggested["edits"].as_array().unwrap();
    let places: Vec<(&str, &str, String)> = edits
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap(),
                e["type"].as_str().unwrap(),
                format!(
                    "{}:{}",
                    e["path"].as_array().unwrap().last().unwrap(),
                    e["edit"]["key"]
                ),
            )
        })
        .collect();
    let f = "spec/task_run.yaml";
    assert_eq!(
        places,
        [
            (f, "TaskRun", r#""fields":"attempt""#.to_owned()),
            (f, "TaskRun", r#""fields":"retry_policy""#.to_owned()),
            (f, "TaskRun", r#""agent_id":"nullable""#.to_owned()),
            (f, "TaskRunStatus", r#""values":"paused""#.to_owned()),
        ],
        "{suggested}"
    );
    assert_eq!(edits[0]["edit"]["value"]["type"], "integer");
    assert_eq!(edits[1]["edit"]["value"]["type"], "json");
    assert_eq!(suggested["comments"], json!([]));

    // Applied to a copy of the spec, the edits load, render a catalog the corpus matches, and
    // change nothing but by addition.
    let copy = assert_edits_make_clean(dir.path(), edits, &corpus);
    let original = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let old = codegen::load_dir(&original).unwrap();
    let new = codegen::load_dir(&copy).unwrap_or_else(|d| panic!("{d:?}"));

    // New fields and enum values are compatible; `nullable: true` is the one breaking edit,
    // and the suggestion says so.
    let report = codegen::diff::diff(Some(&old), Some(&new));
    let breaking: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| c.impact == codegen::diff::Impact::Breaking)
        .map(|c| c.subject.as_str())
        .collect();
    assert_eq!(
        breaking,
        ["field TaskRun.agent_id"],
        "{:#?}",
        report.changes
    );
    let breaking: Vec<&Value> = edits.iter().filter(|e| e["breaking"].is_string()).collect();
    assert_eq!(breaking, [&edits[2]], "{suggested}");
    // In the diff engine's own words.
    let nullable = report
        .changes
        .iter()
        .find(|c| c.subject == "field TaskRun.agent_id")
        .unwrap();
    assert_eq!(edits[2]["breaking"], nullable.describe(), "{suggested}");
}

/// Applies `edits` to a copy of the spec in `dir`, renders it, and checks `corpus` against its
/// catalog: the edits load, and nothing drifts. Returns the copy.
fn assert_edits_make_clean(dir: &Path, edits: &[Value], corpus: &Path) -> PathBuf {
    let copy = dir.join("spec");
    std::fs::create_dir(&copy).unwrap();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    for entry in std::fs::read_dir(spec).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
    }
    for edit in edits {
        apply_edit(&copy, edit);
    }
    let outputs = codegen::generate_dir(&copy).unwrap_or_else(|d| panic!("{d:?}"));
    let catalog = dir.join("envelope.schema.json");
    std::fs::write(
        &catalog,
        outputs.get("schemas/envelope.schema.json").unwrap(),
    )
    .unwrap();
    let catalog = catalog.display().to_string();
    let corpus = corpus.display().to_string();
    let out = deck_events(&["check", "--catalog", &catalog, &corpus], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("no drift"),
        "{}",
        text(&out.stdout)
    );
    copy
}

/// Writes `lines` as `corpus.ndjson` in `dir`; returns its path.
fn write_corpus(dir: &Path, lines: &[String]) -> PathBuf {
    let corpus = dir.join("corpus.ndjson");
    std::fs::write(&corpus, lines.join("\n")).unwrap();
    corpus
}

/// `check --suggest --format json` on `corpus`: the suggested edits and comments.
fn suggest_json(corpus: &Path) -> Value {
    let corpus = corpus.display().to_string();
    let out = deck_events(&["check", "--suggest", "--format", "json", &corpus], b"");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|err| panic!("{err}: {}", text(&out.stderr)))
}

/// The example of `event_type` as JSON, changed by `change`.
fn example(event_type: &str, change: impl FnOnce(&mut Value)) -> Value {
    let mut body: Value = serde_json::from_str(
        fixtures::all()
            .find(|f| f.event_type().as_str() == event_type)
            .unwrap()
            .json(),
    )
    .unwrap();
    change(&mut body);
    body
}

/// Edits for types each declared at the top of their file (`ErrorType`, `TaskStatus`), with
/// values YAML would read as a number or a boolean, load, and make the bodies clean.
#[test]
fn suggestions_for_top_level_types_and_odd_values_load() {
    let lines = [
        example("task_run.failed", |b| {
            b["data"]["errors"][0]["type"] = json!("billing")
        }),
        example("task.updated", |b| b["data"]["status"] = json!("archived")),
        example("task.updated", |b| b["data"]["status"] = json!("404")),
        example("task.updated", |b| b["data"]["status"] = json!("True")),
    ]
    .map(|body| body.to_string());
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path(), &lines);
    let suggested = suggest_json(&corpus);
    let edits = suggested["edits"].as_array().unwrap();
    let paths: Vec<String> = edits
        .iter()
        .map(|e| format!("{} {}", e["path"], e["edit"]["key"]))
        .collect();
    assert_eq!(
        paths,
        [
            r#"["types","ErrorType","values"] "billing""#,
            r#"["types","TaskStatus","values"] "404""#,
            r#"["types","TaskStatus","values"] "True""#,
            r#"["types","TaskStatus","values"] "archived""#,
        ],
        "{suggested}"
    );
    // The text form quotes what YAML would not read back as a string.
    let out = deck_events(&["check", "--suggest", &corpus.display().to_string()], b"");
    let suggestion = text(&out.stdout);
    assert!(suggestion.contains("\n      \"404\": "), "{suggestion}");
    assert!(suggestion.contains("\n      \"True\": "), "{suggestion}");
    assert!(
        suggestion.contains("\n      archived: \"Seen in deliveries (in 1 of 4 bodies checked); "),
        "{suggestion}"
    );

    assert_edits_make_clean(dir.path(), edits, &corpus);
}

/// Names that only look like event types of the catalog (the definitions the schema has for any
/// known event and for an unknown one) are unknown event types.
#[test]
fn the_schemas_own_definitions_are_not_event_types() {
    let dir = tempfile::tempdir().unwrap();
    for event_type in ["known", "unknown"] {
        let path = dir.path().join(format!("{event_type}.json"));
        let body = example("task.updated", |b| b["type"] = json!(event_type));
        std::fs::write(&path, body.to_string()).unwrap();
        let (code, report, _) = check_json(&[&path]);
        assert_eq!(code, 1, "{event_type}");
        assert_eq!(
            findings(&report)[0],
            (
                event_type.to_owned(),
                "/type".to_owned(),
                "unknown-event-type".to_owned()
            ),
            "{report}"
        );
    }
}

/// A body with a field the spec lacks, which the crate refuses elsewhere, is reported there too:
/// unknown fields do not hide what does not decode.
#[test]
fn an_unknown_field_does_not_hide_what_does_not_decode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("body.json");
    let body = example("task.updated", |b| {
        b["data"]["created_at"] = json!("yesterday");
        b["data"]["zzz"] = json!(1);
    });
    std::fs::write(&path, body.to_string()).unwrap();
    let (code, report, _) = check_json(&[&path]);
    assert_eq!(code, 1);
    let kinds: Vec<(String, String)> = findings(&report)
        .into_iter()
        .map(|(_, pointer, kind)| (pointer, kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("/data/created_at".to_owned(), "does-not-decode".to_owned()),
            ("/data/zzz".to_owned(), "unknown-field".to_owned()),
        ],
        "{report}"
    );
}

/// Odd inputs: a link back up the tree is not followed; a control character in a key does not
/// break the table; a catalog without the unknown event's definition is an error, not a panic; a
/// byte-order mark is named.
#[test]
fn odd_trees_keys_catalogs_and_marks_are_handled() {
    let dir = tempfile::tempdir().unwrap();
    let body = example("task.updated", |b| b["data"]["a\nEVIL"] = json!(1));
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("sub")).unwrap();
    std::fs::write(tree.join("a.json"), body.to_string()).unwrap();
    std::os::unix::fs::symlink("..", tree.join("sub/up")).unwrap();
    let tree = tree.display().to_string();
    let out = deck_events(&["check", &tree], b"");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.starts_with("checked 1 body in 1 input"), "{stdout}");
    assert!(stdout.contains("/data/a\\nEVIL"), "{stdout}");
    assert!(!stdout.contains("\nEVIL"), "{stdout}");

    let catalog = dir.path().join("catalog.json");
    std::fs::write(&catalog, r#"{"$defs": {}}"#).unwrap();
    let catalog = catalog.display().to_string();
    let out = deck_events(&["check", "--catalog", &catalog, &tree], b"");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("has no `event.unknown` definition"),
        "{stderr}"
    );

    let bom = dir.path().join("bom.json");
    let bytes = [&b"\xEF\xBB\xBF"[..], body.to_string().as_bytes()].concat();
    std::fs::write(&bom, bytes).unwrap();
    let (_, report, _) = check_json(&[&bom]);
    assert!(
        report["findings"][0]["seen"]
            .to_string()
            .contains("byte-order mark"),
        "{report}"
    );
}

/// A place the crate names in an array element is grouped as the schema walk groups it, with
/// `*` for the index: three bodies failing in three different elements are one group.
#[test]
fn what_does_not_decode_is_grouped_across_elements() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..3)
        .map(|bad| {
            example("task_run.completed", |b| {
                let item = b["data"]["storage"][0].clone();
                b["data"]["storage"] = json!([item, item, item]);
                b["data"]["storage"][bad]["created_at"] = json!("yesterday");
            })
            .to_string()
        })
        .collect();
    let path = write_corpus(dir.path(), &lines);
    let (code, report, _) = check_json(&[&path]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        [(
            "task_run.completed".to_owned(),
            "/data/storage/*/created_at".to_owned(),
            "does-not-decode".to_owned()
        )],
        "{report}"
    );
    assert_eq!(report["findings"][0]["count"], 3, "{report}");
}

/// One unknown field of one type, seen under several event types with other JSON types, gets one
/// edit that covers all of them; so does a field of the envelope, which every event holds. The
/// edits load, and make the bodies clean.
#[test]
fn a_field_seen_under_several_event_types_gets_one_edit() {
    let lines = [
        example("task_run.failed", |b| b["data"]["retry"] = json!(1)),
        example("task_run.completed", |b| b["data"]["retry"] = json!("x")),
        example("task_run.completed", |b| b["livemode"] = json!(false)),
        example("agent.created", |b| b["livemode"] = json!(true)),
    ]
    .map(|body| body.to_string());
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path(), &lines);
    let suggested = suggest_json(&corpus);
    let edits = suggested["edits"].as_array().unwrap();
    let summary: Vec<String> = edits
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {}",
                e["file"], e["path"], e["edit"]["key"], e["edit"]["value"]["type"]
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            r#""spec/spec.yaml" ["envelope","fields"] "livemode" "boolean""#,
            r#""spec/task_run.yaml" ["types","TaskRun","fields"] "retry" "json""#,
        ],
        "{suggested}"
    );
    assert_eq!(
        edits[1]["edit"]["value"]["description"],
        "Seen in deliveries (in 2 of 4 bodies checked); describe it.",
        "{suggested}"
    );
    assert_eq!(suggested["comments"], json!([]), "{suggested}");

    assert_edits_make_clean(dir.path(), edits, &corpus);
}
