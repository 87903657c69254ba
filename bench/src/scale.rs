//! Table 2: the whole codegen (load, check, emit every output, in memory) at scale.
use std::path::Path;

/// Renders the codegen table.
pub fn run(_spec: &Path, _quick: bool) -> String {
    String::new()
}
