//! Stage 3, Rust: the sample events that the generated crate's README, fixtures and test suites
//! show: the README's event, and an event type the spec does not have, to show what a newer type
//! decodes to.

use serde_json::Value;

use super::canonical::canonical_example;
use crate::model::{EventDef, Model};

/// The event the README's example decodes: `task_run.completed` when the spec has it, else the
/// first event of the first group.
pub(crate) fn readme_event(model: &Model) -> Option<&EventDef> {
    let with_example = |e: &&EventDef| !e.examples.is_empty();
    model
        .events
        .iter()
        .filter(with_example)
        .find(|e| e.name == "task_run.completed")
        .or_else(|| {
            model
                .groups
                .iter()
                .flat_map(|g| model.group_events(g))
                .find(with_example)
        })
        .or_else(|| model.events.iter().find(with_example))
}

/// An event type that is not in the model, for the unknown-type tests and the README.
pub(crate) fn unknown_type(model: &Model) -> String {
    let mut name = String::from("future_object.created");
    while model.events.iter().any(|e| e.name == name) {
        name.push_str("_later");
    }
    name
}

/// The first example of the spec, as the crate writes it back.
pub(crate) fn first_canonical_example(model: &Model) -> Option<Value> {
    model.events.iter().find_map(|event| {
        let example = event.examples.first()?;
        Some(canonical_example(model, event, &example.json))
    })
}

/// The first example's canonical JSON, re-typed as an unknown event with a free-form payload.
pub(crate) fn unknown_event_json(model: &Model) -> Option<Value> {
    let mut json = first_canonical_example(model)?;
    let object = json.as_object_mut()?;
    let type_key = &model.envelope.fields[model.envelope.type_field].name;
    let data_key = &model.envelope.fields[model.envelope.data_field].name;
    object.insert(type_key.clone(), Value::from(unknown_type(model)));
    object.insert(
        data_key.clone(),
        serde_json::json!({ "answer": 42, "nested": { "list": [1, 2.5, "three", null, true] } }),
    );
    Some(json)
}
