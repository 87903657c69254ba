//! TypeScript types generated from `envelope.schema.json` by json-schema-to-typescript compile
//! under `tsc --strict` together with a consumer (`typescript/consumer.ts`) that narrows events on
//! `type` and reads a `task_run.completed` field; the compiled consumer then runs against the
//! spec's examples and an event of a later type.

use std::fs;
use std::path::{Path, PathBuf};

use conformance::{ENVELOPE, load_schemas, schema_examples, schemas_dir};
use interop::{tsc, tsconfig};
use serde_json::{Value, json};

const PACKAGES: &[&str] = &[
    "json-schema-to-typescript",
    "typescript",
    "ajv",
    "ajv-formats",
    "@types/node",
];

/// A build directory `name` under the target directory, laid out as a consumer's project: the
/// generated types, the consumer, a `tsconfig.json`, and `node_modules` linked from this crate so
/// that both `tsc` and Node resolve the pinned packages from there.
fn project(name: &str) -> PathBuf {
    let work = interop::node_project(&Path::new(env!("CARGO_TARGET_TMPDIR")).join(name));
    fs::copy(
        interop::dir().join("typescript/consumer.ts"),
        work.join("consumer.ts"),
    )
    .expect("copying the consumer");
    let types = work.join("deck-events.ts");
    interop::run(
        "node",
        [
            interop::dir().join("node_modules/json-schema-to-typescript/dist/src/cli.js"),
            "--input".into(),
            schemas_dir().join(ENVELOPE),
            "--output".into(),
            types.clone(),
        ],
    );
    assert!(types.is_file(), "json2ts wrote no {}", types.display());
    work
}

#[test]
fn a_strict_typescript_consumer_narrows_the_generated_types_and_reads_the_examples() {
    interop::require(PACKAGES);
    let work = project("interop-typescript-consumer");

    let config = tsconfig(
        &work,
        "tsconfig.json",
        &["consumer.ts", "deck-events.ts"],
        true,
    );
    let (ok, diagnostics) = tsc(&config);
    assert!(
        ok,
        "tsc --strict rejects the consumer or the generated types:\n{diagnostics}"
    );

    let examples = schema_examples(&load_schemas(&schemas_dir()));
    let mut events: Vec<Value> = examples.iter().map(|e| e.json.clone()).collect();
    let mut later = examples[0].json.clone();
    later["type"] = json!("task_run.from_a_later_version");
    later["data"] = json!({ "anything": true });
    events.push(later);
    let file = work.join("events.json");
    fs::write(&file, serde_json::to_vec(&events).expect("JSON")).expect("writing the events");

    let output = interop::run(
        "node",
        [
            work.join("out/consumer.js"),
            schemas_dir().join(ENVELOPE),
            file,
        ],
    );
    let lines: Vec<Value> = output
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), events.len(), "one line per event:\n{output}");

    let mut completed = 0;
    for (event, line) in events.iter().zip(&lines) {
        let expected = match event["type"].as_str() {
            Some("task_run.completed") => {
                completed += 1;
                json!({
                    "type": "task_run.completed",
                    "id": event["data"]["id"],
                    "result": event["data"]["result"],
                })
            }
            Some("task_run.from_a_later_version") => {
                json!({ "type": "task_run.from_a_later_version", "unknown": true })
            }
            other => json!({ "type": other }),
        };
        assert_eq!(line, &expected, "the consumer's reading of\n{event:#}");
    }
    assert!(completed > 0, "the spec has no task_run.completed example");
}

/// Why the consumer validates against `event.known` before narrowing: on the whole `Event`, which
/// includes events of later types (`type` any string), a `type` comparison does not type `data`.
/// If json-schema-to-typescript ever narrows this, the consumer and the README can be simpler.
#[test]
fn narrowing_the_whole_event_on_type_alone_leaves_data_unchecked() {
    interop::require(PACKAGES);
    let work = project("interop-typescript-naive");
    fs::write(
        work.join("naive.ts"),
        r#"import type { Event, TaskRunResult } from "./deck-events.js";

export function result(event: Event): TaskRunResult | null {
  if (event.type === "task_run.completed") return event.data.result;
  return null;
}
"#,
    )
    .expect("writing naive.ts");
    let config = tsconfig(
        &work,
        "tsconfig.naive.json",
        &["naive.ts", "deck-events.ts"],
        false,
    );
    let (ok, diagnostics) = tsc(&config);
    assert!(
        !ok,
        "tsc accepts reading `data` after narrowing `Event` on `type` alone"
    );
    assert!(
        diagnostics.contains("naive.ts(4,") && diagnostics.contains("'unknown'"),
        "tsc rejects naive.ts for another reason:\n{diagnostics}"
    );
}
