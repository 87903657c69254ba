//! The Rust sample of the docs site's "Receiving events" page compiles against the generated
//! crate and verifies a signed delivery: the text between the markers below is the page's sample,
//! byte for byte (the test checks), and the test calls it.

// -- sample start --
use std::collections::HashMap;

use deck_events::signing::{Secret, Verifier};

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
// -- sample end --

use deck_events::signing::Signer;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// The sample as the page shows it, its character references decoded.
fn page_sample() -> String {
    let page = include_str!("../../generated/docs/receiving.html");
    let open = "<code id=\"rust-code\" class=\"language-rust\">";
    let start = page.find(open).expect("the page has the Rust sample") + open.len();
    let end = start + page[start..].find("</code>").expect("the sample ends");
    unescape(&page[start..end])
}

/// Decodes `&#NN;` and the named references an HTML escaper writes.
fn unescape(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').expect("a reference ends with `;`") + at;
        let name = &rest[at + 1..end];
        out.push(match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            _ => name
                .strip_prefix('#')
                .and_then(|n| n.parse().ok())
                .and_then(char::from_u32)
                .unwrap_or_else(|| panic!("unknown reference &{name};")),
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_page_shows_this_sample() {
    let this = include_str!("receiving_sample.rs");
    let start = this.find("// -- sample start --\n").unwrap() + "// -- sample start --\n".len();
    let end = this.find("// -- sample end --").unwrap();
    assert_eq!(page_sample(), &this[start..end]);
}

#[test]
fn the_sample_accepts_a_signed_delivery_and_rejects_a_tampered_one() {
    let body = br#"{"id":"evt_1","object":"event","type":"task_run.queued","data":{"id":"trun_1","object":"task_run","status":"queued"},"created_at":"2025-01-15T09:31:02Z"}"#;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let signature = Signer::new(SECRET.parse().unwrap()).sign("msg_1", now, body);
    let headers = HashMap::from([
        ("webhook-id".to_string(), "msg_1".to_string()),
        ("webhook-timestamp".to_string(), now.to_string()),
        ("webhook-signature".to_string(), signature),
    ]);
    receive(&headers, body, SECRET).expect("a signed delivery verifies and parses");
    let mut tampered = body.to_vec();
    tampered[10] = b'2';
    assert!(receive(&headers, &tampered, SECRET).is_err());
}
