//! Docs view, the "Receiving events" page: delivery, signature headers, verification and code.

use super::markdown;
use super::page::{CodeView, HeaderRow, Section};
use crate::model::{Model, Signing};

/// Whether the site has a "Receiving events" page: the spec signs deliveries or says how they
/// behave.
pub(super) fn has_receiving(model: &Model) -> bool {
    model.package.signing != Signing::None || !model.package.delivery.trim().is_empty()
}

/// The sections of the "Receiving events" page: the spec's own words on delivery, then, when
/// deliveries are signed, what the signing scheme asks of a receiver.
pub(super) fn receiving_sections(model: &Model) -> Vec<Section> {
    fn section(anchor: &str, title: &str, markdown_text: String) -> Section {
        Section {
            anchor: anchor.into(),
            title: title.into(),
            body_html: markdown::block(&markdown_text),
            headers: Vec::new(),
            code: None,
            text: markdown::plain(&markdown_text),
        }
    }
    let mut sections = Vec::new();
    if !model.package.delivery.trim().is_empty() {
        sections.push(section(
            "delivery",
            "Delivery, retries and deduplication",
            model.package.delivery.clone(),
        ));
    }
    match model.package.signing {
        Signing::None => {}
        Signing::StandardWebhooks => {
            use crate::standard_webhooks::{
                DEFAULT_TOLERANCE_SECS, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP,
                SECRET_PREFIX,
            };
            let minutes = DEFAULT_TOLERANCE_SECS / 60;
            let mut signatures = section(
                "signatures",
                "Signatures",
                "Every delivery is signed with the [Standard Webhooks](https://www.standardwebhooks.com/) \
                 scheme, so that a receiver can check that it comes from the sender and was neither \
                 changed nor replayed. Verify every delivery before acting on it, and answer `401` when \
                 the signature does not match. The signature travels in three headers:"
                    .to_string(),
            );
            let headers = [
                (
                    HEADER_ID,
                    "The message id. It stays the same when a delivery is retried.".to_string(),
                ),
                (
                    HEADER_TIMESTAMP,
                    format!(
                        "When the delivery was sent, in whole seconds since the Unix epoch. Reject a \
                         delivery whose timestamp is more than {minutes} minutes away from your clock, \
                         in either direction: that stops replays."
                    ),
                ),
                (
                    HEADER_SIGNATURE,
                    "One or more signatures separated by spaces, each `v1,` followed by a base64 \
                     HMAC-SHA256. There are several while a secret is being rotated; the delivery is \
                     genuine when any of them matches."
                        .to_string(),
                ),
            ];
            for (name, text) in &headers {
                signatures
                    .text
                    .push_str(&format!(" {name} {}", markdown::plain(text)));
                signatures.headers.push(HeaderRow {
                    name: name.to_string(),
                    description_html: markdown::inline(text),
                });
            }
            sections.push(signatures);
            sections.push(section(
                "verifying",
                "Verifying a delivery",
                format!(
                    "1. Read the request body as raw bytes, exactly as received. Do not parse and \
                     re-serialize it before verifying it: that changes the bytes and breaks the \
                     signature.\n\
                     2. Build the signed content `{{{HEADER_ID}}}.{{{HEADER_TIMESTAMP}}}.{{body}}`: the \
                     two header values and the body, joined with dots.\n\
                     3. Decode the secret, the base64 text after `{SECRET_PREFIX}`. Compute the \
                     HMAC-SHA256 of the signed content with it, and encode the result in base64.\n\
                     4. Compare the result with each `v1,` entry of `{HEADER_SIGNATURE}`, in constant \
                     time. The signature is valid when one of them is equal.\n\
                     5. Check that `{HEADER_TIMESTAMP}` is within {minutes} minutes of your clock.\n\n\
                     Standard Webhooks libraries, available for most languages, do all of this."
                ),
            ));
            sections.push(section(
                "secrets",
                "Secrets",
                format!(
                    "Each endpoint has its own signing secret, written `{SECRET_PREFIX}` followed by \
                     base64. Keep it out of source control. While a secret is being rotated, verify \
                     against the old and the new one: a delivery is genuine when it matches either."
                ),
            ));
            let lib = &model.package.lib_name;
            let code = rust_sample(lib);
            let mut rust = section(
                "rust",
                "Verifying with the Rust crate",
                format!(
                    "The `{lib}` crate verifies a delivery and parses its event in one call, with its \
                     `signing` feature (on by default). `Verifier::with_secrets` takes several secrets \
                     for a rotation, and `.tolerance(...)` changes the {minutes}-minute window. With \
                     axum, its `axum` feature does this in a handler's arguments: the `Delivery` \
                     extractor answers what does not verify, and hands over a verified body that \
                     does not decode, to keep rather than reject."
                ),
            );
            rust.text.push(' ');
            rust.text.push_str(&code);
            rust.code = Some(CodeView {
                id: "rust-code".into(),
                language: "rust",
                code,
            });
            sections.push(rust);
        }
    }
    sections
}

/// The Rust sample of the "Receiving events" page, for the crate named `lib`. A conformance test
/// compiles and runs the same text against the generated crate.
pub(super) fn rust_sample(lib: &str) -> String {
    RUST_SAMPLE.replace("{lib}", lib)
}

pub(super) const RUST_SAMPLE: &str = r#"use std::collections::HashMap;

use {lib}::signing::{Secret, Verifier};

/// Verifies a delivery, then reads its event. `body` is the request body exactly as received.
fn receive(
    headers: &HashMap<String, String>,
    body: &[u8],
    secret: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let verifier = Verifier::new(secret.parse::<Secret>()?);
    let event = verifier.verify_and_parse(headers, body)?;
    // Deliveries are at least once: skip an event whose id was already handled.
    println!("{} {}", event.id, event.data.event_type());
    Ok(())
}
"#;
