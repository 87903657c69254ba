//! Stage 2, the type table: every declared type name and the id its definition gets in the model.
//! The passes that declare types (`types`) and the ones that resolve references to them (`fields`,
//! `type_expr`, `envelope`, `events`, `groups`) share it.

use std::collections::HashMap;

use crate::diag::Span;
use crate::model::{Markers, TypeDef, TypeId, TypeKind};
use crate::names;

use super::Cx;

/// Every declared type name, with the id its definition gets in the model. Declaring every name
/// first (pass 1) lets fields refer to types defined later or in another file.
#[derive(Default)]
pub(super) struct TypeTable {
    /// Spec name → id.
    pub(super) by_name: HashMap<String, TypeId>,
    /// Per id, in declaration order.
    pub(super) entries: Vec<Declared>,
}

/// A declared type name.
pub(super) struct Declared {
    /// The spec's name.
    pub(super) name: String,
    /// Its Rust name, for the collision rule.
    pub(super) rust: String,
    /// Where it was declared.
    pub(super) span: Span,
}

impl TypeTable {
    /// The id of a declared name.
    pub(super) fn id(&self, name: &str) -> Option<TypeId> {
        self.by_name.get(name).copied()
    }

    /// The id of `name` when the declaration at `span` is the one that counts: a duplicate
    /// declaration was reported, and is not resolved again.
    pub(super) fn declared_at(&self, name: &str, span: Span) -> Option<TypeId> {
        self.id(name).filter(|id| self.get(*id).span == span)
    }

    /// A declaration.
    pub(super) fn get(&self, id: TypeId) -> &Declared {
        &self.entries[id.0]
    }

    /// The definition of the declared type `id`, named and placed as it was declared.
    pub(super) fn def(
        &self,
        cx: &Cx,
        id: TypeId,
        description: String,
        kind: TypeKind,
        markers: Markers,
    ) -> TypeDef {
        let Declared { name, span, .. } = self.get(id);
        TypeDef {
            slug: names::slug(name),
            name: name.clone(),
            description,
            kind,
            markers,
            origin: cx.origin(*span),
        }
    }

    /// How many names are declared.
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Every declared name, in declaration order.
    pub(super) fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries.iter().map(|d| d.name.as_str())
    }
}
