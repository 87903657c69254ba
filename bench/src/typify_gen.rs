//! Rust types from a JSON Schema with `typify`, as its users run it: default settings, one root
//! schema, formatted with `prettyplease`. Shared by the build script (the real envelope, compiled
//! into the bench) and the compile-time table (synthetic specs).

/// The Rust source typify generates for `schema` (JSON text), or typify's error.
pub fn render(schema: &str) -> Result<String, String> {
    let root: schemars::schema::RootSchema =
        serde_json::from_str(schema).map_err(|e| format!("schema does not parse: {e}"))?;
    let mut space = typify::TypeSpace::new(&typify::TypeSpaceSettings::default());
    space
        .add_root_schema(root)
        .map_err(|e| format!("typify: {e}"))?;
    let file: syn2::File =
        syn2::parse2(space.to_stream()).map_err(|e| format!("typify output: {e}"))?;
    Ok(prettyplease2::unparse(&file))
}
