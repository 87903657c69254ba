//! Table 3: compile time of the generated crate against typify's output.
use std::path::Path;

/// Renders the compile-time table.
pub fn run(_root: &Path, _quick: bool) -> String {
    String::new()
}
