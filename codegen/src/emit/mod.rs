//! Stage 3: emitters, pure functions from the resolved [`Model`] to rendered files.

pub mod docs;

use crate::model::Model;
use crate::output::Outputs;

/// Renders every output of the model.
pub fn all(model: &Model) -> Outputs {
    let mut out = Outputs::new();
    out.add("README.md", String::new());
    docs::emit(model, &mut out);
    out
}
