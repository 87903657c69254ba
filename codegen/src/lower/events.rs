//! Stage 2, events: `object.action` names, their resource, their payload type.

use std::collections::HashMap;

use crate::diag::Span;
use crate::model::{EventDef, Group, GroupId, TypeDef, TypeKind};
use crate::names;
use crate::spec::RawEvent;

use super::Cx;
use super::rust_names::{RustNames, Scope};
use super::table::TypeTable;

/// Rule: event names are `object.action` in snake_case, the object is a resource, `data` (if
/// given) is an object type, there is a description and at least one example.
pub(super) fn lower_event(
    cx: &mut Cx,
    table: &TypeTable,
    types: &[TypeDef],
    resources: &HashMap<String, usize>,
    groups: &[Group],
    e: &RawEvent,
) -> Option<EventDef> {
    let name = &e.name;
    let what = format!("event `{}`", name.value);
    let description = cx.require_description(&e.description, name.span, &what);
    let markers = cx.markers(&e.markers);
    let parts: Vec<&str> = name.value.split('.').collect();
    let [object, action] = parts.as_slice() else {
        cx.error(
            name.span,
            format!("event name `{}` is not `object.action`", name.value),
            "expected one `.`",
            Some(
                "name events after their resource and what happened, e.g. `task_run.completed`"
                    .into(),
            ),
        )
        .shape();
        return None;
    };
    let mut bad = false;
    for part in [object, action] {
        if !names::is_snake_case(part) {
            bad = true;
            let fixed = heck::ToSnakeCase::to_snake_case(*part);
            cx.error(
                name.span,
                format!("`{part}` in event name `{}` is not snake_case", name.value),
                "not snake_case",
                Some(format!("write `{fixed}`: lowercase words joined by `_`")),
            )
            .shape();
        }
    }
    if bad {
        return None;
    }
    let Some(&group) = resources.get(*object) else {
        let hint = match crate::spec::closest(object, resources.keys().map(String::as_str)) {
            Some(c) => format!("did you mean `{c}.{action}`?"),
            None => format!("mark the object type of `{object}` events with `resource: {object}`"),
        };
        cx.error(
            name.span,
            format!("no resource named `{object}` for {what}"),
            "unknown object",
            Some(hint),
        );
        return None;
    };
    let data = match &e.data {
        None => groups[group].resource,
        Some(d) => match table.id(&d.value) {
            Some(id) if matches!(types[id.0].kind, TypeKind::Object { .. }) => id,
            Some(_) => {
                cx.error(
                    d.span,
                    format!(
                        "`data` of {what} is `{}`, which is not an object type",
                        d.value
                    ),
                    "not an object",
                    Some("point `data` at an object type, or leave it out to carry the resource of the event's object".into()),
                );
                return None;
            }
            None => {
                let hint = crate::spec::closest(&d.value, table.names())
                    .map(|c| format!("did you mean `{c}`?"));
                cx.error(
                    d.span,
                    format!("unknown type `{}`", d.value),
                    "not defined",
                    hint,
                );
                return None;
            }
        },
    };
    if e.examples.is_empty() {
        cx.error(
            e.examples_span,
            format!("{what} has no example"),
            "no example",
            Some("add `examples:` with at least one whole event as Deck sends it".into()),
        )
        .shape();
    }
    Some(EventDef {
        name: name.value.clone(),
        object: object.to_string(),
        action: action.to_string(),
        description,
        data,
        group: GroupId(group),
        examples: Vec::new(),
        markers,
        origin: cx.origin(name.span),
    })
}

/// Rule: event types are unique across files, and so are their Rust variants
/// (`task_run.completed` and `task.run_completed` would both be `TaskRunCompleted`).
pub(super) fn check_events_unique(cx: &mut Cx, events: &[(EventDef, &RawEvent)]) {
    let mut wire: HashMap<&str, Span> = HashMap::new();
    let mut rust = RustNames::new(Scope::Events);
    for (ev, raw) in events {
        if let Some(first) = wire.get(ev.name.as_str()) {
            cx.again(
                raw.name.span,
                cx.parsed.note(*first, "first defined here"),
                format!("event `{}` is defined twice", ev.name),
                "defined again here",
                "remove one of the definitions",
            );
            continue;
        }
        wire.insert(&ev.name, raw.name.span);
        let variant =
            names::event_variant(&ev.object, &ev.action).expect("snake_case parts are nameable");
        rust.claim(cx, &ev.name, raw.name.span, &variant);
    }
}
