//! Stage 2, fields and enum values: names that stay distinct in Rust, types that resolve.

use crate::diag::Span;
use crate::model::{EnumValue, Field, Markers, TypeDef, TypeKind, TypeRef};
use crate::names;
use crate::spec::{RawField, RawFieldType, RawValue};

use super::Cx;
use super::rust_names::{RustNames, Scope};
use super::table::TypeTable;
use super::type_expr::parse_type_expr;

/// Rule: enum values give distinct Rust variants (`in-progress` and `in_progress` would both be
/// `InProgress`), each has a description, and each can be named in Rust at all.
pub(super) fn lower_values(
    cx: &mut Cx,
    values: &[RawValue],
    owner: &str,
    owner_span: Span,
) -> Vec<EnumValue> {
    if values.is_empty() {
        cx.error(
            owner_span,
            format!("enum `{owner}` has no values"),
            "empty enum",
            Some("list at least one value under `values`".into()),
        )
        .shape();
    }
    let mut seen = RustNames::new(Scope::Values);
    let mut out = Vec::new();
    for v in values {
        let description = cx.require_description(
            &v.description,
            v.name.span,
            &format!("enum value `{}`", v.name.value),
        );
        let markers = cx.markers(&v.markers);
        if !seen.name(cx, &v.name, names::variant_ident(&v.name.value)) {
            continue;
        }
        out.push(EnumValue {
            name: v.name.value.clone(),
            description,
            markers,
        });
    }
    out
}

/// Whose fields are being lowered. The envelope is told apart by this, never by its name: a spec
/// may define a type called `Event`, and its fields must not pass for the envelope's.
#[derive(Clone, Copy)]
pub(super) enum Owner<'a> {
    /// The event envelope, the only owner of the discriminator and the payload.
    Envelope,
    /// A named type, or an inline type hoisted under the given name.
    Type(&'a str),
}

impl<'a> Owner<'a> {
    /// The name inline types of the owner's fields are hoisted under (`Event` + `Meta`).
    pub(super) fn name(self) -> &'a str {
        match self {
            Owner::Envelope => names::ENVELOPE_TYPE,
            Owner::Type(name) => name,
        }
    }
}

/// Rule: field names give distinct Rust identifiers, types resolve, `const` only on strings.
pub(super) fn lower_fields(
    cx: &mut Cx,
    table: &TypeTable,
    types: &mut [Option<TypeDef>],
    owner: Owner,
    fields: &[RawField],
) -> Vec<Field> {
    let parent = owner.name();
    let mut seen = RustNames::new(Scope::Fields);
    let mut out = Vec::new();
    for f in fields {
        let what = format!("field `{}`", f.name.value);
        let description = cx.require_description(&f.description, f.name.span, &what);
        let markers = cx.markers(&f.markers);
        if !seen.name(cx, &f.name, names::field_ident(&f.name.value)) {
            continue;
        }
        let ty = match &f.ty {
            RawFieldType::Expr(e) => {
                parse_type_expr(cx, table, e, matches!(owner, Owner::Envelope))
            }
            RawFieldType::InlineEnum(_) | RawFieldType::InlineObject(_) => {
                let hoisted = names::hoisted_type_name(parent, &f.name.value).unwrap_or_default();
                let Some(id) = table.declared_at(&hoisted, f.name.span) else {
                    continue; // Name clash, already reported.
                };
                let kind = match &f.ty {
                    RawFieldType::InlineEnum(values) => TypeKind::Enum {
                        values: lower_values(cx, values, &hoisted, f.name.span),
                    },
                    RawFieldType::InlineObject(fields) => TypeKind::Object {
                        fields: lower_fields(cx, table, types, Owner::Type(&hoisted), fields),
                        resource: None,
                    },
                    _ => unreachable!("matched above"),
                };
                types[id.0] =
                    Some(table.def(cx, id, description.clone(), kind, Markers::default()));
                Some(TypeRef::Named(id))
            }
            RawFieldType::Invalid => None,
        };
        let Some(ty) = ty else { continue };
        if let Some(c) = &f.constant {
            if ty != TypeRef::String {
                cx.error(
                    c.span,
                    format!("`const` on {what}, which is not a `string`"),
                    "const needs `type: string`",
                    Some("for a fixed set of values use `values:` instead".into()),
                );
            }
        }
        out.push(Field {
            name: f.name.value.clone(),
            description,
            ty,
            optional: f.optional,
            nullable: f.nullable,
            constant: f.constant.as_ref().map(|c| c.value.clone()),
            recursive: false,
            markers,
            origin: cx.origin(f.name.span),
        });
    }
    out
}
