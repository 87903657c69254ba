//! Stage 2, types: every named type, hoisted inline types included, declared once in the
//! [`TypeTable`] and resolved.

use crate::diag::Span;
use crate::model::{TypeDef, TypeId, TypeKind};
use crate::names;
use crate::spec::{RawBody, RawField, RawFieldType, RawType};

use super::Cx;
use super::fields::{Owner, lower_fields, lower_values};
use super::rust_names::{RustNames, Scope};
use super::table::{Declared, TypeTable};

/// Rule (pass 1): type names are UpperCamelCase, unique across files, and give a Rust name.
pub(super) fn declare_type(cx: &mut Cx, table: &mut TypeTable, t: &RawType) {
    let name = &t.name;
    if !names::is_upper_camel(&name.value) {
        let hint = names::type_ident(&name.value).map(|n| format!("write it `{n}`"));
        cx.error(
            name.span,
            format!("type name `{}` is not UpperCamelCase", name.value),
            "type names are UpperCamelCase",
            hint,
        )
        .shape();
    }
    declare(cx, table, &name.value, name.span);
    match &t.body {
        RawBody::Object(fields) => declare_inline(cx, table, &name.value, fields),
        RawBody::Id(_) | RawBody::Enum(_) | RawBody::Invalid => {}
    }
}

pub(super) fn declare(cx: &mut Cx, table: &mut TypeTable, name: &str, span: Span) {
    if let Some(first) = table.id(name) {
        cx.again(
            span,
            cx.parsed.note(table.get(first).span, "first defined here"),
            format!("type `{name}` is defined twice"),
            "defined again here",
            "rename one of them",
        );
        return;
    }
    let rust = names::type_ident(name).unwrap_or_else(|| "Invalid".to_string());
    let id = TypeId(table.entries.len());
    table.by_name.insert(name.to_string(), id);
    table.entries.push(Declared {
        name: name.to_string(),
        rust,
        span,
    });
}

pub(super) fn declare_inline(
    cx: &mut Cx,
    table: &mut TypeTable,
    parent: &str,
    fields: &[RawField],
) {
    for f in fields {
        let inline_fields = match &f.ty {
            RawFieldType::InlineEnum(_) => None,
            RawFieldType::InlineObject(fields) => Some(fields),
            RawFieldType::Expr(_) | RawFieldType::Invalid => continue,
        };
        let Some(name) = names::hoisted_type_name(parent, &f.name.value) else {
            continue;
        };
        if let Some(first) = table.id(&name) {
            cx.again(
                f.name.span,
                cx.parsed.note(table.get(first).span, format!("`{name}` defined here")),
                format!("the inline type of field `{}` is named `{name}`, which is already defined", f.name.value),
                "inline type named after its parent and field",
                format!("define the shape under `types` with another name and write `type: ThatName`, or rename `{name}`"),
            );
            continue;
        }
        declare(cx, table, &name, f.name.span);
        if let Some(fields) = inline_fields {
            declare_inline(cx, table, &name, fields);
        }
    }
}

pub(super) fn lower_type(
    cx: &mut Cx,
    table: &TypeTable,
    types: &mut [Option<TypeDef>],
    t: &RawType,
) {
    let Some(id) = table.declared_at(&t.name.value, t.name.span) else {
        return; // A duplicate, already reported.
    };
    let what = format!("type `{}`", t.name.value);
    let description = cx.require_description(&t.description, t.name.span, &what);
    let markers = cx.markers(&t.markers);
    let kind = match &t.body {
        RawBody::Id(prefix) => {
            let p = &prefix.value;
            let ok = !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ok {
                cx.error(
                    prefix.span,
                    format!("ID prefix `{p}` has characters IDs do not use"),
                    "invalid prefix",
                    Some(
                        "a prefix is lowercase letters and digits followed by `_`, e.g. `trun_`"
                            .into(),
                    ),
                )
                .shape();
            }
            TypeKind::Id { prefix: p.clone() }
        }
        RawBody::Enum(values) => TypeKind::Enum {
            values: lower_values(cx, values, &t.name.value, t.name.span),
        },
        RawBody::Object(fields) => {
            let fields = lower_fields(cx, table, types, Owner::Type(&t.name.value), fields);
            TypeKind::Object {
                fields,
                resource: None,
            }
        }
        RawBody::Invalid => return,
    };
    if !matches!(kind, TypeKind::Object { .. }) {
        if let Some(r) = &t.resource {
            cx.error(
                r.span,
                format!("`resource` on {what}, which is not an object"),
                "only objects are resources",
                Some("events carry objects in `data`: move `resource` to an object type".into()),
            );
        }
    }
    types[id.0] = Some(table.def(cx, id, description, kind, markers));
}

/// Rule: the Rust names of types are unique (`HTTPError` and `HttpError` would clash).
pub(super) fn check_type_names_unique(cx: &mut Cx, table: &TypeTable) {
    let mut rust = RustNames::new(Scope::Types);
    for declared in &table.entries {
        rust.claim(cx, &declared.name, declared.span, &declared.rust);
    }
}
