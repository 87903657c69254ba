//! Stage 3: emitters, pure functions from the resolved [`Model`] to rendered files.

pub mod docs;
pub mod rust;
pub mod schema;
pub mod signing;

use crate::model::Model;
use crate::output::Outputs;

/// Renders every output of the model.
pub fn all(model: &Model) -> Outputs {
    all_with_changelog(model, None)
}

/// Renders every output of the model, with the spec's changelog (Markdown) in the crate and the
/// docs site.
pub fn all_with_changelog(model: &Model, changelog: Option<&str>) -> Outputs {
    let mut out = Outputs::new();
    if let Some(text) = changelog {
        out.add(crate::CHANGELOG_FILE, text);
    }
    // The schemas come before the docs, which carry a copy of them.
    schema::emit(model, &mut out);
    docs::emit_with_changelog(model, changelog, &mut out);
    rust::emit(model, &mut out);
    out
}
