//! Stage 3: emitters, pure functions from the resolved [`Model`] to rendered files.

pub mod docs;
pub mod rust;
pub mod schema;

use crate::model::Model;
use crate::output::Outputs;

/// Renders every output of the model.
pub fn all(model: &Model) -> Outputs {
    let mut out = Outputs::new();
    docs::emit(model, &mut out);
    rust::emit(model, &mut out);
    schema::emit(model, &mut out);
    out
}
