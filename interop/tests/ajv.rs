//! ajv, a JSON Schema validator independent of the `jsonschema` crate, judges every conformance
//! case ([`conformance::cases`]) with every schema the case names, and must agree with the
//! `jsonschema` crate on each verdict and with the verdicts the case expects, which the Rust crate
//! gives (except where `spec/README.md` documents the schema as the stricter).

use std::fmt::Write as _;
use std::path::Path;

use conformance::{Schemas, cases, schemas_dir, through_rust};
use serde_json::{Value, json};

#[test]
fn ajv_the_jsonschema_crate_and_the_rust_crate_agree_on_every_case() {
    interop::require(&["ajv", "ajv-formats"]);
    let schemas = Schemas::load();
    let cases = cases(&schemas);

    let scratch = interop::fresh_dir(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("interop-ajv"));
    let input: Vec<Value> = cases
        .iter()
        .map(|c| json!({ "name": c.name, "payload": c.payload, "schemas": c.schemas }))
        .collect();
    let file = scratch.join("cases.json");
    std::fs::write(&file, serde_json::to_vec(&input).expect("JSON")).expect("writing the cases");
    let results = interop::node_json("ajv.mjs", [schemas_dir().as_os_str(), file.as_os_str()]);
    let results = results.as_array().expect("ajv.mjs prints an array");
    assert_eq!(
        results.len(),
        cases.len(),
        "ajv.mjs judged another number of cases"
    );

    let verdict = |ok: bool| if ok { "accept" } else { "reject" };
    let mut report = String::new();
    let mut disagreements = 0;
    let mut judgements = 0;
    let mut documented = 0;
    for (case, result) in cases.iter().zip(results) {
        assert_eq!(result["name"], case.name, "ajv.mjs answered out of order");
        let mut problems = Vec::new();
        let rust = through_rust(&case.payload).is_ok();
        if rust != case.rust {
            problems.push(format!(
                "the Rust crate: {}, expected {}",
                verdict(rust),
                verdict(case.rust)
            ));
        }
        for path in &case.schemas {
            judgements += 1;
            let ajv = result["verdicts"][path]
                .as_bool()
                .unwrap_or_else(|| panic!("{}: no ajv verdict for {path}", case.name));
            let jsonschema = schemas.accepts(path, &case.payload);
            if ajv != jsonschema || ajv != case.schema {
                problems.push(format!(
                    "{path}: ajv {}, jsonschema {}, expected {}",
                    verdict(ajv),
                    verdict(jsonschema),
                    verdict(case.schema)
                ));
            }
        }
        if case.difference.is_some() {
            documented += 1;
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
        "{disagreements} of {} cases have disagreeing verdicts:\n{report}",
        cases.len()
    );
    println!(
        "{} cases, {judgements} schema verdicts: ajv and the jsonschema crate agree on all of them; \
         the Rust crate agrees with both on {} cases and differs as documented on {documented}",
        cases.len(),
        cases.len() - documented
    );
}
