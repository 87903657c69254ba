//! Tools of the OpenAPI world read `generated/openapi.yaml`, each pinned and run offline:
//!
//! - openapi-spec-validator (Python) accepts it as OpenAPI 3.1;
//! - Redocly CLI's `lint` (recommended rules, `redocly.yaml`) reports no error, and every warning
//!   it gives is explained in `README.md`;
//! - openapi-typescript generates types from it that compile under `tsc --strict` with a consumer
//!   typed by webhook key (`typescript/openapi-consumer.ts`), which then runs on the document's
//!   examples;
//! - ajv compiles every webhook's request body, and judges every conformance case through the
//!   document exactly as the `jsonschema` crate judges it through the schema files
//!   (`openapi-ajv.mjs`).
//!
//! Each check has a twin on a broken copy of the document or a wrong consumer, which the tool must
//! reject: a tool that accepts anything would prove nothing.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::emit::openapi::{MEDIA_TYPE, PATH, counterparts};
use conformance::{Schemas, cases};
use interop::{tsc, tsconfig};
use serde_json::{Value, json};

/// The openapi-typescript CLI, installed with the TypeScript 5 it needs in the
/// `openapi-typescript` workspace (see its `package.json`).
const OPENAPI_TYPESCRIPT: &str = "openapi-typescript/node_modules/openapi-typescript/bin/cli.js";

/// Redocly CLI's entry point.
const REDOCLY: &str = "node_modules/@redocly/cli/bin/cli.js";

fn document_path() -> PathBuf {
    interop::generated().join(PATH)
}

fn document_text() -> String {
    fs::read_to_string(document_path()).expect("reading the document")
}

/// The document as JSON.
fn document() -> Value {
    serde_yaml::from_str(&document_text()).expect("the document is YAML")
}

fn scratch(name: &str) -> PathBuf {
    interop::fresh_dir(&Path::new(env!("CARGO_TARGET_TMPDIR")).join(name))
}

/// A copy of the document, with `from` replaced by `to` once, in a scratch directory.
fn broken_copy(name: &str, from: &str, to: &str) -> PathBuf {
    let text = document_text();
    assert!(text.contains(from), "the document has no `{from}`");
    let path = scratch(name).join(PATH);
    fs::write(&path, text.replacen(from, to, 1)).expect("writing the copy");
    path
}

/// Runs a command in this crate's directory; returns whether it succeeded, its standard output
/// and everything it printed.
fn outcome(command: &mut Command) -> (bool, String, String) {
    let out = command
        .current_dir(interop::dir())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let all = stdout.clone() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), stdout, all)
}

fn openapi_spec_validator(document: &Path) -> (bool, String) {
    let (ok, _, all) = outcome(
        Command::new("python3")
            .args(["-m", "openapi_spec_validator", "--schema", "3.1"])
            .arg(document),
    );
    (ok, all)
}

#[test]
fn openapi_spec_validator_accepts_the_document() {
    interop::require_python(&["openapi_spec_validator"]);
    let (ok, output) = openapi_spec_validator(&document_path());
    assert!(ok, "openapi-spec-validator rejects the document:\n{output}");
    println!("{}", output.trim());

    // A request body's `required` must be a boolean.
    let broken = broken_copy(
        "interop-openapi-validator",
        "required: true",
        "required: \"yes\"",
    );
    let (ok, output) = openapi_spec_validator(&broken);
    assert!(
        !ok,
        "openapi-spec-validator accepts a broken copy:\n{output}"
    );
}

/// Redocly's report on `document`: `totals` and `problems`. Telemetry and the update check are off,
/// so the run needs no network.
fn redocly_lint(document: &Path) -> Value {
    let (_, stdout, all) = outcome(
        Command::new("node")
            .arg(REDOCLY)
            .arg("lint")
            .arg(document)
            .args(["--config", "redocly.yaml", "--format", "json"])
            .env("REDOCLY_TELEMETRY", "off")
            .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"),
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("redocly lint printed something other than JSON ({e}):\n{all}"))
}

#[test]
fn redocly_lint_reports_no_error_and_every_warning_is_explained() {
    interop::require(&["@redocly/cli"]);
    let report = redocly_lint(&document_path());
    let problems = report["problems"].as_array().expect("a problems list");
    let mut shown = String::new();
    for problem in problems {
        let _ = writeln!(
            shown,
            "{} {} at {}: {}",
            problem["severity"],
            problem["ruleId"],
            problem["location"][0]["pointer"],
            problem["message"]
        );
    }
    println!("redocly lint: {}\n{shown}", report["totals"]);
    assert_eq!(
        report["totals"]["errors"], 0,
        "redocly lint reports errors:\n{shown}"
    );

    let readme = fs::read_to_string(interop::dir().join("README.md")).expect("reading README.md");
    for problem in problems {
        let rule = problem["ruleId"].as_str().expect("a rule id");
        assert!(
            readme.contains(&format!("`{rule}`")),
            "README.md does not explain the warning {rule}:\n{shown}"
        );
    }

    // A reference to a schema that does not exist.
    let broken = broken_copy(
        "interop-openapi-redocly",
        "$ref: \"#/components/schemas/event.",
        "$ref: \"#/components/schemas/missing.",
    );
    let report = redocly_lint(&broken);
    assert!(
        report["totals"]["errors"].as_u64().is_some_and(|n| n > 0),
        "redocly lint finds no error in a broken copy: {}",
        report["totals"]
    );
}

/// A consumer's project: the types openapi-typescript generates from the document, and the
/// consumer.
fn typescript_project(name: &str) -> PathBuf {
    let script = interop::dir().join(OPENAPI_TYPESCRIPT);
    assert!(
        script.is_file(),
        "openapi-typescript is not installed in interop/openapi-typescript: {}",
        interop::INSTALL
    );
    let work = interop::node_project(&Path::new(env!("CARGO_TARGET_TMPDIR")).join(name));
    fs::copy(
        interop::dir().join("typescript/openapi-consumer.ts"),
        work.join("openapi-consumer.ts"),
    )
    .expect("copying the consumer");
    let types = work.join("deck-events-openapi.ts");
    interop::run(
        "node",
        [
            script.as_os_str(),
            document_path().as_os_str(),
            "--output".as_ref(),
            types.as_os_str(),
        ],
    );
    assert!(
        types.is_file(),
        "openapi-typescript wrote no {}",
        types.display()
    );
    work
}

#[test]
fn openapi_typescript_types_compile_with_a_consumer_typed_by_webhook() {
    interop::require(&["typescript", "@types/node"]);
    let work = typescript_project("interop-openapi-typescript");
    let config = tsconfig(
        &work,
        "tsconfig.json",
        &["openapi-consumer.ts", "deck-events-openapi.ts"],
        true,
    );
    let (ok, diagnostics) = tsc(&config);
    assert!(
        ok,
        "tsc --strict rejects the consumer or the generated types:\n{diagnostics}"
    );

    // Every example of every webhook, as the body that webhook delivers.
    let doc = document();
    let mut deliveries = Vec::new();
    for (webhook, item) in doc["webhooks"].as_object().expect("webhooks") {
        let examples = item["post"]["requestBody"]["content"][MEDIA_TYPE]["examples"]
            .as_object()
            .expect("examples");
        for example in examples.values() {
            deliveries.push(json!({ "webhook": webhook, "body": example["value"] }));
        }
    }
    let file = work.join("bodies.json");
    fs::write(&file, serde_json::to_vec(&deliveries).expect("JSON")).expect("writing the bodies");
    let output = interop::run("node", [work.join("out/openapi-consumer.js"), file]);
    let lines: Vec<Value> = output
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(
        lines.len(),
        deliveries.len(),
        "one line per body:\n{output}"
    );
    let mut completed = 0;
    for (delivery, line) in deliveries.iter().zip(&lines) {
        let webhook = &delivery["webhook"];
        let body = &delivery["body"];
        assert_eq!(
            &body["type"], webhook,
            "a webhook's example is of its own type"
        );
        let expected = if webhook == "task_run.completed" {
            completed += 1;
            json!({
                "webhook": webhook,
                "type": webhook,
                "id": body["data"]["id"],
                "result": body["data"]["result"],
            })
        } else {
            json!({ "webhook": webhook, "type": webhook })
        };
        assert_eq!(line, &expected, "the consumer's reading of\n{body:#}");
    }
    assert!(
        completed > 0,
        "the document has no task_run.completed example"
    );
}

/// The types are precise: on the union of every webhook's body, `data.result` is a task run's
/// result only after narrowing on `type`. Before, it is `unknown` (every object is open to fields
/// of later versions, an index signature), so it does not compile as a result.
#[test]
fn reading_a_field_of_one_webhook_without_narrowing_does_not_compile() {
    interop::require(&["typescript", "@types/node"]);
    let work = typescript_project("interop-openapi-typescript-naive");
    fs::write(
        work.join("naive.ts"),
        r#"import type { components, webhooks } from "./deck-events-openapi.js";

type Delivery = webhooks[keyof webhooks]["post"]["requestBody"]["content"]["application/json"];

export function result(event: Delivery): components["schemas"]["task_run_result"] | null | undefined {
  return event.data.result;
}
"#,
    )
    .expect("writing naive.ts");
    let config = tsconfig(
        &work,
        "tsconfig.naive.json",
        &["naive.ts", "deck-events-openapi.ts"],
        false,
    );
    let (ok, diagnostics) = tsc(&config);
    assert!(
        !ok,
        "tsc accepts reading `data.result` on every webhook's body"
    );
    assert!(
        diagnostics.contains("naive.ts(6,") && diagnostics.contains("'unknown'"),
        "tsc rejects naive.ts for another reason:\n{diagnostics}"
    );
}

#[test]
fn ajv_compiles_every_request_body_and_agrees_with_the_schema_files_on_every_case() {
    interop::require(&["ajv", "ajv-formats"]);
    let model = codegen::load_dir(&interop::spec()).expect("the spec loads");
    let schemas = Schemas::load();
    let cases = cases(&schemas);
    // The cases name schema files relative to the schemas directory.
    let pointers: Vec<(String, String)> = counterparts(&model)
        .into_iter()
        .map(|(path, pointer)| {
            let path = path.strip_prefix("schemas/").expect("under schemas/");
            (path.to_owned(), pointer)
        })
        .collect();
    let pointer_of = |path: &str| {
        pointers
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, pointer)| pointer.clone())
            .unwrap_or_else(|| panic!("no place in the document for {path}"))
    };

    let scratch = scratch("interop-openapi-ajv");
    let document = scratch.join("openapi.json");
    fs::write(
        &document,
        serde_json::to_vec(&self::document()).expect("JSON"),
    )
    .expect("writing the document");
    let input: Vec<Value> = cases
        .iter()
        .map(|c| {
            let pointers: Vec<String> = c.schemas.iter().map(|p| pointer_of(p)).collect();
            json!({ "name": c.name, "payload": c.payload, "pointers": pointers })
        })
        .collect();
    let file = scratch.join("cases.json");
    fs::write(&file, serde_json::to_vec(&input).expect("JSON")).expect("writing the cases");
    let report = interop::node_json("openapi-ajv.mjs", [document.as_os_str(), file.as_os_str()]);

    // The document went to ajv as JSON with sorted keys: compare as sets.
    let compiled: BTreeSet<&str> = report["compiled"]
        .as_array()
        .expect("a compiled list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let events: BTreeSet<&str> = model.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        compiled, events,
        "ajv compiles every webhook's request body"
    );

    let results = report["results"].as_array().expect("a results list");
    assert_eq!(
        results.len(),
        cases.len(),
        "ajv judged another number of cases"
    );
    let verdict = |ok: bool| if ok { "accept" } else { "reject" };
    let mut report = String::new();
    let mut disagreements = 0;
    let mut judgements = 0;
    for (case, result) in cases.iter().zip(results) {
        assert_eq!(
            result["name"], case.name,
            "openapi-ajv.mjs answered out of order"
        );
        let mut problems = Vec::new();
        for path in &case.schemas {
            judgements += 1;
            let pointer = pointer_of(path);
            let ajv = result["verdicts"][&pointer]
                .as_bool()
                .unwrap_or_else(|| panic!("{}: no verdict for {pointer}", case.name));
            let file = schemas.accepts(path, &case.payload);
            if ajv != file || ajv != case.schema {
                problems.push(format!(
                    "{pointer}: ajv through the document {}, jsonschema through {path} {}, \
                     expected {}",
                    verdict(ajv),
                    verdict(file),
                    verdict(case.schema)
                ));
            }
        }
        if !problems.is_empty() {
            disagreements += 1;
            let _ = writeln!(report, "{}:", case.name);
            for problem in problems {
                let _ = writeln!(report, "  {problem}");
            }
            let _ = writeln!(report, "  payload: {}", case.payload);
        }
    }
    assert!(
        disagreements == 0,
        "{disagreements} of {} cases judged differently:\n{report}",
        cases.len()
    );
    println!(
        "{} request bodies compiled; {} cases, {judgements} verdicts through the document, all as \
         through the schema files",
        compiled.len(),
        cases.len()
    );
}
