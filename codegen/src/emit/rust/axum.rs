//! Stage 3, Rust: the `axum` module of the generated crate: an extractor that verifies and parses a
//! delivery, a duplicate filter and a dead-letter store, for receivers built on axum 0.8.
//!
//! Like `signing`, the module is hand-written runtime code (`verbatim/axum.rs`) copied into the
//! generated crate when the spec signs deliveries, behind the cargo feature `axum`, off by
//! default. It builds on the signing module, so the feature implies `http` and `signing`. The
//! receiver in `examples/receiver` uses it, and its tests exercise it over HTTP.

use std::borrow::Cow;

use crate::model::{Model, Signing};

/// The module's source, verbatim.
const TEMPLATE: &str = include_str!("verbatim/axum.rs");

/// The example receiver's handler, shown (and compiled as a doctest) in the generated README's
/// axum section: the README shows the code the example runs, never a copy of it. It names the
/// crate `deck_events` (rewritten to the spec's library name) and reads the envelope's `id`, as
/// every spec with signed deliveries has so far.
const EXAMPLE_HANDLER: &str = include_str!("../../../../examples/receiver/src/handler.rs");

/// Where the module goes, relative to the generated crate's root.
pub const MODULE_FILE: &str = "src/axum.rs";

/// The item to add to the generated `src/lib.rs` when [`module`] is `Some`; without a `///`
/// comment for the reason given on `signing::LIB_RS_ITEM`.
pub const LIB_RS_ITEM: &str = "\
#[cfg(feature = \"axum\")]
#[rustfmt::skip]
pub mod axum;
";

/// The module's source, or `None` when the spec does not sign deliveries.
pub fn module(model: &Model) -> Option<Cow<'static, str>> {
    match model.package.signing {
        Signing::None => None,
        Signing::StandardWebhooks => Some(super::name_crate(model, TEMPLATE)),
    }
}

/// The optional `[dependencies]` lines the module needs, sorted by crate name. All are optional,
/// so a build without the feature compiles none of them: the crate's compile time without it is
/// unchanged.
///
/// axum is taken without its default features: the extractor needs only its request, response
/// and state traits, not its server. `http-body-util` (already a dependency of axum) reads the
/// body with a limit, tokio's `rt` runs the dead-letter store's file writes on the blocking pool,
/// and its `sync` and `time` let a duplicate wait for the claim in progress of its event; an axum
/// server has all of them in its build anyway.
pub const DEPENDENCIES: &[&str] = &[
    r#"axum = { version = "0.8.9", default-features = false, optional = true }"#,
    r#"http-body-util = { version = "0.1.5", optional = true }"#,
    r#"tokio = { version = "1.54.1", default-features = false, features = ["rt", "sync", "time"], optional = true }"#,
];

/// The `[features]` line.
pub const FEATURE_LINE: &str = r#"axum = ["http", "dep:axum", "dep:http-body-util", "dep:tokio"]"#;

/// The README section on receiving with axum: the example receiver's handler as a doctest,
/// compiled only when the feature is on (`cargo test --doc --features axum`).
pub fn readme_section(model: &Model) -> Option<String> {
    module(model)?;
    let handler = super::name_crate(model, EXAMPLE_HANDLER);
    let mut block = String::from("# #[cfg(feature = \"axum\")]\n# mod receiver {\n");
    // The file's own `//!` docs are the example's, not the README's.
    let lines = handler
        .lines()
        .filter(|line| !line.starts_with("//!"))
        .skip_while(|line| line.is_empty());
    for line in lines {
        block.push_str(line);
        block.push('\n');
    }
    block.push_str("# }\n");
    Some(format!(
        r#"
## Receiving with axum

The `axum` feature (`features = ["axum"]`, off by default; axum 0.8) adds the `axum` module: a
`Delivery` extractor that reads the raw body (1 MiB at most; `DeliveryWithLimit` for another
limit), verifies it with the `signing::Verifier` in the router's state and parses it, answering
`401` for a signature that does not verify, `413` for a body over the limit and `400` for
unreadable headers. A verified body that does not decode is never
rejected, since Deck would retry it and then disable the destination: the handler gets it as
`Payload::Unreadable` to keep in a `DeadLetterStore` (`DeadLetterDir` writes it to disk) before it
answers `2xx`. `Deduplicator` decides duplicates by the event `id`, and an event counts as handled
only once its claim is completed, after the handler succeeded. The handler of the repository's
example receiver (`examples/receiver/src/handler.rs`):

```rust
{block}```
"#
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_handler_is_short_and_uses_the_module() {
        assert!(EXAMPLE_HANDLER.contains("deck_events::axum::"));
        let receive = EXAMPLE_HANDLER
            .split("pub async fn receive(")
            .nth(1)
            .expect("the handler file has `receive`");
        let end = receive.find("\n}\n").expect("`receive` ends");
        let lines = receive[..end].lines().count() + 1;
        assert!(lines <= 30, "`receive` is {lines} lines");
    }

    #[test]
    fn dependencies_are_optional_and_sorted() {
        for dep in DEPENDENCIES {
            assert!(dep.contains("optional = true"), "{dep}");
        }
        assert!(DEPENDENCIES.is_sorted());
        assert!(FEATURE_LINE.contains("\"http\""));
    }
}
