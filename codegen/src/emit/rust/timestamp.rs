//! Stage 3, Rust: the `timestamp` module of the generated crate, which decodes `datetime` fields.
//!
//! The module is hand-written runtime code (`verbatim/timestamp.rs`) copied into the crate as is
//! when the spec has a `datetime` field; fields reach it through [`seed`]. It must read every
//! string exactly as chrono does: [`crate::timestamp`], which compiles the same file as the
//! generator's one timestamp grammar, holds it to that in its tests.

use crate::model::{Field, Model, TypeKind, TypeRef};

/// The module's source, verbatim.
pub(crate) const SOURCE: &str = include_str!("verbatim/timestamp.rs");

/// The seed that reads `field`'s value through the module, if it does: a field of type `datetime`
/// itself (timestamps in arrays and maps go through chrono's decoder, which reads the same
/// strings). The structs' decoders ([`super::decode::Slot`]) and the envelope's visitor both ask
/// here.
pub(crate) fn seed(field: &Field) -> Option<&'static str> {
    (field.ty == TypeRef::DateTime).then(|| {
        if field.always_present() {
            "crate::timestamp::Seed"
        } else {
            "crate::timestamp::OptionSeed"
        }
    })
}

/// Whether the crate needs the module: some field of the envelope or of an object decodes with it.
pub(crate) fn needed(model: &Model) -> bool {
    let objects = model.types.iter().flat_map(|t| match &t.kind {
        TypeKind::Object { fields, .. } => fields.as_slice(),
        _ => &[],
    });
    model
        .envelope
        .fields
        .iter()
        .chain(objects)
        .any(|f| seed(f).is_some())
}
