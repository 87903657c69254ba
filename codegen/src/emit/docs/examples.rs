//! Docs view, examples: the example payloads shown on event, resource, type and envelope pages.

use super::json::{self, Step};
use super::page::ExampleView;
use crate::model::{Example, Model, TypeKind, TypeRef};

pub(super) fn example_view(n: usize, many: bool, text: &str) -> ExampleView {
    let anchor = format!("example-{}", n + 1);
    ExampleView {
        code_id: format!("{anchor}-code"),
        title: if many {
            format!("Example {}", n + 1)
        } else {
            "Example".into()
        },
        anchor,
        code_html: json::highlight(text),
    }
}

/// For every named object type, an example of it taken from the spec's event examples: the
/// instance with the most non-null fields (the first of those), as written in the spec.
pub(super) fn type_examples(model: &Model) -> Vec<Option<String>> {
    struct Best {
        filled: usize,
        example: (usize, usize),
        path: Vec<Step>,
    }
    fn walk(
        model: &Model,
        value: &serde_json::Value,
        ty: &TypeRef,
        at: (usize, usize),
        path: &mut Vec<Step>,
        best: &mut [Option<Best>],
    ) {
        match (ty, value) {
            (TypeRef::Array(inner), serde_json::Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    walk(model, item, inner, at, path, best);
                    path.pop();
                }
            }
            (TypeRef::Map(inner), serde_json::Value::Object(members)) => {
                for (key, item) in members {
                    path.push(Step::Key(key.clone()));
                    walk(model, item, inner, at, path, best);
                    path.pop();
                }
            }
            (TypeRef::Named(id), serde_json::Value::Object(members)) => {
                let TypeKind::Object { fields, .. } = &model.ty(*id).kind else {
                    return;
                };
                let filled = members.values().filter(|v| !v.is_null()).count();
                if best[id.0].as_ref().is_none_or(|b| filled > b.filled) {
                    best[id.0] = Some(Best {
                        filled,
                        example: at,
                        path: path.clone(),
                    });
                }
                for f in fields {
                    if let Some(child) = members.get(&f.name) {
                        path.push(Step::Key(f.name.clone()));
                        walk(model, child, &f.ty, at, path, best);
                        path.pop();
                    }
                }
            }
            _ => {}
        }
    }
    let data_key = &model.envelope.fields[model.envelope.data_field].name;
    let mut best: Vec<Option<Best>> = model.types.iter().map(|_| None).collect();
    for (e, event) in model.events.iter().enumerate() {
        for (x, example) in event.examples.iter().enumerate() {
            if let Some(data) = example.json.get(data_key) {
                let mut path = vec![Step::Key(data_key.clone())];
                let ty = TypeRef::Named(event.data);
                walk(model, data, &ty, (e, x), &mut path, &mut best);
            }
        }
    }
    best.into_iter()
        .map(|b| {
            b.and_then(|b| {
                let example: &Example = &model.events[b.example.0].examples[b.example.1];
                json::value_text(&example.text, &b.path)
            })
        })
        .collect()
}
