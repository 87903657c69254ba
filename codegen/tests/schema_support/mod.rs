//! Shared test helpers: an offline JSON Schema validator over emitted files.

#![allow(dead_code)] // Each test crate uses a different part.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use codegen::Outputs;
use jsonschema::{Registry, Validator};
use serde_json::Value;

/// The emitted schemas, parsed, with a registry that resolves their `$id`s without any network.
pub struct Schemas {
    /// Output path to parsed schema.
    pub docs: BTreeMap<String, Value>,
    registry: Registry<'static>,
    validators: RefCell<BTreeMap<String, Rc<Validator>>>,
}

impl Schemas {
    /// Collects every `schemas/**.json` output and registers it under its own `$id`.
    pub fn new(out: &Outputs) -> Self {
        let docs: BTreeMap<String, Value> = out
            .files()
            .iter()
            .filter(|(path, _)| path.starts_with("schemas/") && path.ends_with(".json"))
            .map(|(path, text)| (path.clone(), serde_json::from_str(text).expect(path)))
            .collect();
        let resources = docs.values().map(|doc| (id(doc).to_owned(), doc.clone()));
        let registry = Registry::new()
            .extend(resources)
            .unwrap()
            .prepare()
            .unwrap();
        Schemas {
            docs,
            registry,
            validators: RefCell::default(),
        }
    }

    /// A draft 2020-12 validator for one emitted file, built once (building the catalog is the
    /// slow part of a test). Formats are asserted, as a consumer that wants `date-time` checked
    /// would configure it; references outside the registry fail.
    pub fn validator(&self, path: &str) -> Rc<Validator> {
        let mut cache = self.validators.borrow_mut();
        let validator = cache
            .entry(path.to_owned())
            .or_insert_with(|| Rc::new(self.build(path)));
        Rc::clone(validator)
    }

    fn build(&self, path: &str) -> Validator {
        jsonschema::draft202012::options()
            .should_validate_formats(true)
            .with_registry(&self.registry)
            .offline()
            .build(&self.docs[path])
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

/// The `$id` of a schema document.
pub fn id(doc: &Value) -> &str {
    doc["$id"]
        .as_str()
        .expect("every emitted schema has an `$id`")
}

/// Every error of `instance` under `validator`, one per line, for failure messages.
pub fn errors(validator: &Validator, instance: &Value) -> String {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}
