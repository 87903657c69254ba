//! Stage 2, reference cycles: which fields can nest their parent, and which cycles no finite payload can satisfy.

use crate::model::{TypeDef, TypeId, TypeKind, TypeRef};

use super::Cx;

/// Direct (unboxed) references from an object's fields: an array or map already allocates, so
/// only plain references can make a Rust struct infinitely large.
pub(super) fn direct_ref(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    }
}

/// Rule: a field whose direct reference closes a cycle of objects is marked `recursive` (an
/// emitter may need to break the nesting, as the Rust one does by boxing it); a cycle in which
/// every field is required and non-null can never end in a finite payload, so it is an error.
pub(super) fn check_cycles(cx: &mut Cx, types: &mut [TypeDef]) {
    let n = types.len();
    let edges = |types: &[TypeDef], only_required: bool| -> Vec<Vec<TypeId>> {
        types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Object { fields, .. } => fields
                    .iter()
                    .filter(|f| !only_required || f.always_present())
                    .filter_map(|f| direct_ref(&f.ty))
                    .filter(|id| matches!(types[id.0].kind, TypeKind::Object { .. }))
                    .collect(),
                _ => Vec::new(),
            })
            .collect()
    };
    let reach = |edges: &[Vec<TypeId>], from: TypeId, to: TypeId| -> bool {
        let mut seen = vec![false; n];
        let mut stack = vec![from];
        while let Some(x) = stack.pop() {
            if x == to {
                return true;
            }
            if std::mem::replace(&mut seen[x.0], true) {
                continue;
            }
            stack.extend(edges[x.0].iter().copied());
        }
        false
    };
    let all = edges(types, false);
    let required = edges(types, true);
    let mut reported = vec![false; n];
    for i in 0..n {
        let TypeKind::Object { fields, .. } = &types[i].kind else {
            continue;
        };
        let mut recursive_fields = Vec::new();
        for (fi, f) in fields.iter().enumerate() {
            let Some(target) = direct_ref(&f.ty) else {
                continue;
            };
            if !matches!(types[target.0].kind, TypeKind::Object { .. }) {
                continue;
            }
            if reach(&all, target, TypeId(i)) {
                recursive_fields.push(fi);
                if f.always_present() && reach(&required, target, TypeId(i)) && !reported[i] {
                    // One error per cycle: the other types on it are not reported again.
                    for (j, r) in reported.iter_mut().enumerate() {
                        if reach(&required, TypeId(i), TypeId(j))
                            && reach(&required, TypeId(j), TypeId(i))
                        {
                            *r = true;
                        }
                    }
                    reported[i] = true;
                    let span = cx.span_of(&f.origin);
                    cx.error(
                        span,
                        format!("`{}` contains itself through required fields, so no finite payload can match it", types[i].name),
                        "required reference closes the cycle",
                        Some("make a field on the cycle `optional: true` or `nullable: true`".into()),
                    );
                }
            }
        }
        if let TypeKind::Object { fields, .. } = &mut types[i].kind {
            for fi in recursive_fields {
                fields[fi].recursive = true;
            }
        }
    }
}
