//! Stage 2, resource groups: each resource makes a group of events, in spec order.

use std::collections::HashMap;

use crate::diag::Span;
use crate::model::{Group, GroupId, Resource, TypeDef, TypeKind};
use crate::names;
use crate::spec::RawSpec;

use super::Cx;
use super::table::TypeTable;

/// Rule: resource names are snake_case and unique; each resource makes a group, in spec order.
pub(super) fn lower_groups(
    cx: &mut Cx,
    types: &mut [TypeDef],
    table: &TypeTable,
    raw: &RawSpec,
    order: &[usize],
) -> (Vec<Group>, HashMap<String, usize>) {
    let stash = order
        .iter()
        .flat_map(|&f| &raw.files[f].types)
        .filter_map(|t| {
            let id = table.declared_at(&t.name.value, t.name.span)?;
            let is_object = matches!(types[id.0].kind, TypeKind::Object { .. });
            Some((
                id,
                t.resource.clone().filter(|_| is_object)?,
                t.title.clone(),
            ))
        })
        .collect::<Vec<_>>();
    let mut groups = Vec::new();
    let mut by_object: HashMap<String, usize> = HashMap::new();
    let mut spans: Vec<Span> = Vec::new();
    for (id, object, title) in stash {
        if !names::is_snake_case(&object.value) {
            cx.error(
                object.span,
                format!("resource name `{}` is not snake_case", object.value),
                "not snake_case",
                Some("it is the object part of event names, e.g. `task_run`".into()),
            );
            continue;
        }
        if let Some(&g) = by_object.get(&object.value) {
            cx.again(
                object.span,
                cx.parsed.note(spans[g], "first declared here"),
                format!("two types are the resource `{}`", object.value),
                "second resource",
                "each resource name belongs to one object type",
            );
            continue;
        }
        let title = title
            .map(|t| t.value)
            .unwrap_or_else(|| sentence_case(&object.value));
        let g = groups.len();
        by_object.insert(object.value.clone(), g);
        spans.push(object.span);
        groups.push(Group {
            title: title.clone(),
            object: object.value.clone(),
            resource: id,
            events: Vec::new(),
            slug: object.value.clone(),
        });
        if let TypeKind::Object { resource, .. } = &mut types[id.0].kind {
            *resource = Some(Resource {
                object: object.value,
                title,
                group: GroupId(g),
            });
        }
    }
    (groups, by_object)
}

pub(super) fn sentence_case(snake: &str) -> String {
    let words = snake.replace('_', " ");
    let mut c = words.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
