//! Stage 3, Rust: the `signing` module of the generated crate, Standard Webhooks verification and
//! signing.
//!
//! The module is hand-written runtime code (`codegen/src/emit/rust/verbatim/signing.rs`, tested on
//! its own by the `signing-tests` crate) and copied verbatim into the generated crate when the spec says
//! `package.signing: standard_webhooks`. The Rust emitter wires it in with three pieces:
//!
//! * [`module`]: the contents of [`MODULE_FILE`];
//! * [`LIB_RS_ITEM`]: the declaration to put in `src/lib.rs`;
//! * [`cargo_dependencies`]: the `[dependencies]` lines and `[features]` entries of `Cargo.toml`.
//!
//! The module refers to the crate's event type as `crate::Event` and uses `serde_json`, which
//! the generated crate depends on anyway.

use std::borrow::Cow;

use crate::model::{Model, Signing};

/// The module's source, verbatim.
const TEMPLATE: &str = include_str!("verbatim/signing.rs");

/// Where the module goes, relative to the generated crate's root.
pub const MODULE_FILE: &str = "src/signing.rs";

/// The cargo feature that enables the module.
pub const FEATURE: &str = "signing";

/// The item to add to the generated `src/lib.rs` when [`module`] is `Some`.
///
/// It carries no `///` doc comment on purpose: the module documents itself with `//!`, and an
/// outer doc comment would make rustdoc resolve the module's intra-doc links from `lib.rs`, where
/// they break. `#[rustfmt::skip]` keeps `cargo fmt` off the copied file like every generated
/// module (the template itself is kept rustfmt-clean through `signing-tests`).
pub const LIB_RS_ITEM: &str = "\
#[cfg(feature = \"signing\")]
#[rustfmt::skip]
pub mod signing;
";

/// What the generated `Cargo.toml` must carry for the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CargoFragment {
    /// Complete `[dependencies]` lines, sorted by crate name. Every one is optional, so a crate
    /// built without [`FEATURE`] pulls in none of them.
    pub dependencies: &'static [&'static str],
    /// Complete `[features]` lines, `name = [...]`.
    pub features: &'static [&'static str],
    /// Features to list in `default = [...]`.
    pub default_features: &'static [&'static str],
}

/// The signing module's source, or `None` when the spec does not sign deliveries.
///
/// The doc examples in the template name the crate `deck_events`; they are rewritten to the
/// spec's library name, so they compile as doctests of the generated crate.
pub fn module(model: &Model) -> Option<Cow<'static, str>> {
    match model.package.signing {
        Signing::None => None,
        Signing::StandardWebhooks => Some(super::name_crate(model, TEMPLATE)),
    }
}

/// The `Cargo.toml` additions for the signing module, or `None` when there is no module.
///
/// The `signing` feature is **on by default**. The crate exists to receive webhook deliveries,
/// and a delivery that is parsed without being verified is the mistake this module is here to
/// prevent: with the feature on by default, verification is at hand the moment a receiver adds
/// the dependency, and nobody has to discover a feature flag first. The cost is small (four
/// small, pure-Rust, widely used crates with their default features trimmed). Consumers who only
/// need the types, such as libraries that re-export them or services that read events from a
/// queue already authenticated by other means, opt out with `default-features = false` and pull
/// in no crypto at all.
///
/// `http` (off by default) adds `HeaderSource` for `http::HeaderMap`, the header type of axum,
/// hyper and reqwest; it implies `signing`.
pub fn cargo_dependencies(model: &Model) -> Option<CargoFragment> {
    match model.package.signing {
        Signing::None => None,
        Signing::StandardWebhooks => Some(CargoFragment {
            dependencies: DEPENDENCIES,
            features: &[
                r#"signing = ["dep:base64", "dep:hmac", "dep:sha2", "dep:subtle"]"#,
                r#"http = ["signing", "dep:http"]"#,
            ],
            default_features: &[FEATURE],
        }),
    }
}

/// The dependency lines; `signing-tests/Cargo.toml` carries the same ones (checked below), so the
/// template is tested against exactly what the generated crate gets.
const DEPENDENCIES: &[&str] = &[
    r#"base64 = { version = "0.23.1", default-features = false, features = ["alloc"], optional = true }"#,
    r#"hmac = { version = "0.13.0", optional = true }"#,
    r#"http = { version = "1.5.0", optional = true }"#,
    r#"sha2 = { version = "0.11.0", default-features = false, optional = true }"#,
    r#"subtle = { version = "2.6.1", default-features = false, optional = true }"#,
];

#[cfg(test)]
mod tests {
    use super::super::TEMPLATE_CRATE;
    use super::*;

    #[test]
    fn documented_facts_match_the_module() {
        use crate::standard_webhooks::{
            DEFAULT_TOLERANCE_SECS, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, SECRET_PREFIX,
        };
        for (name, value) in [
            ("HEADER_ID", HEADER_ID),
            ("HEADER_TIMESTAMP", HEADER_TIMESTAMP),
            ("HEADER_SIGNATURE", HEADER_SIGNATURE),
            ("SECRET_PREFIX", SECRET_PREFIX),
        ] {
            let line = format!("pub const {name}: &str = \"{value}\";");
            assert!(TEMPLATE.contains(&line), "the template lacks `{line}`");
        }
        let line = format!(
            "pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs({} * 60);",
            DEFAULT_TOLERANCE_SECS / 60
        );
        assert!(TEMPLATE.contains(&line), "the template lacks `{line}`");
    }

    #[test]
    fn signing_tests_uses_the_same_dependencies() {
        let manifest = include_str!("../../../../signing-tests/Cargo.toml");
        for line in DEPENDENCIES {
            assert!(
                manifest.lines().any(|l| l == *line),
                "signing-tests/Cargo.toml lacks the generated crate's dependency line\n{line}"
            );
        }
    }

    fn fixture() -> Model {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        crate::load_dir(&dir).expect("the minimal fixture loads")
    }

    #[test]
    fn nothing_without_signing() {
        let mut model = fixture();
        model.package.signing = Signing::None;
        assert_eq!(module(&model), None);
        assert_eq!(cargo_dependencies(&model), None);
    }

    #[test]
    fn standard_webhooks_gets_the_module_and_its_dependencies() {
        let mut model = fixture();
        model.package.signing = Signing::StandardWebhooks;
        model.package.lib_name = "deck_events".to_string();
        assert!(matches!(module(&model), Some(Cow::Borrowed(text)) if text == TEMPLATE));
        let cargo = cargo_dependencies(&model).expect("a fragment");
        assert_eq!(cargo.default_features, [FEATURE]);
        assert!(cargo.features.iter().any(|f| f.starts_with("signing = [")));
        for dep in cargo.dependencies {
            assert!(dep.contains("optional = true"), "{dep}");
        }
    }

    #[test]
    fn doc_examples_name_the_spec_crate() {
        let mut model = fixture();
        model.package.signing = Signing::StandardWebhooks;
        model.package.lib_name = "mini_events".to_string();
        let text = module(&model).expect("a module");
        assert!(!text.contains(TEMPLATE_CRATE));
        assert!(text.contains("use mini_events::signing::"));
        assert!(text.contains("crate::Event"));
    }

    #[test]
    fn template_names_the_event_type_through_crate() {
        assert!(TEMPLATE.contains("crate::Event"));
        assert!(TEMPLATE.contains(TEMPLATE_CRATE));
    }
}
