//! Stage 2 (check): the package's registry metadata (`license`, `repository`, `keywords`,
//! `categories`), checked against the rules of Cargo and crates.io so that `cargo package`, and a
//! `cargo publish` once the team chooses to publish, accept the generated crate as it is.

use crate::diag::Diagnostics;
use crate::model::PackageMetadata;
use crate::spec::{RawPackage, Spanned};
use crate::yaml::Parsed;

/// crates.io keeps at most five keywords and five categories.
const MAX_ITEMS: usize = 5;
/// crates.io's longest keyword.
const MAX_KEYWORD_LEN: usize = 20;

/// The metadata of `p`; every mistake goes to `diags` and its value is left out.
pub(crate) fn check(parsed: &Parsed, p: &RawPackage, diags: &mut Diagnostics) -> PackageMetadata {
    // `shape`: a mistake the spec format's schema sees too (see `DiagnosticKind::Shape`).
    let mut error = |span, message: String, label: &str, hint: String, shape: bool| {
        let mut d = parsed.diag(span, message, label);
        d.hint = Some(hint);
        if shape {
            d.shape();
        }
        diags.push(d);
    };

    let license = p.license.as_ref().and_then(|l| {
        let Err(e) = spdx::Expression::parse(&l.value) else {
            return Some(l.value.clone());
        };
        // The lax parser fixes the usual slips (`MIT/Apache-2.0`, `mit or apache-2.0`); offer
        // its canonical form when there is one.
        let hint = match spdx::Expression::canonicalize(&l.value) {
            Ok(Some(fixed)) if spdx::Expression::parse(&fixed).is_ok() => {
                format!("write `{fixed}`")
            }
            _ => "use an SPDX license expression, such as `MIT OR Apache-2.0`".into(),
        };
        let place = match l.value.get(e.span.clone()) {
            Some(term) if !term.trim().is_empty() => format!(" at `{term}`"),
            _ => String::new(),
        };
        error(
            l.span,
            format!(
                "`{}` is not an SPDX license expression: {}{place}",
                l.value, e.reason
            ),
            "invalid license",
            hint,
            false,
        );
        None
    });

    let repository = p.repository.as_ref().and_then(|r| {
        let ok = crate::format::is_http_url(&r.value);
        if !ok {
            error(
                r.span,
                format!("`{}` is not an http(s) URL", r.value),
                "invalid URL",
                "use the repository's absolute `https://` URL".into(),
                true,
            );
        }
        ok.then(|| r.value.clone())
    });

    let mut list = |items: &Option<Spanned<Vec<Spanned<String>>>>,
                    key: &str,
                    valid: fn(&str) -> bool,
                    rule: &str| {
        let Some(items) = items else {
            return Vec::new();
        };
        if items.value.len() > MAX_ITEMS {
            error(
                items.span,
                format!(
                    "`package.{key}` has {} entries; crates.io keeps at most {MAX_ITEMS}",
                    items.value.len()
                ),
                "too many",
                format!("keep the {MAX_ITEMS} that describe the crate best"),
                false,
            );
        }
        let mut out = Vec::new();
        for item in &items.value {
            if valid(&item.value) {
                out.push(item.value.clone());
            } else {
                error(
                    item.span,
                    format!("`{}` is not a valid entry of `package.{key}`", item.value),
                    "invalid",
                    rule.into(),
                    false,
                );
            }
        }
        out
    };
    let keywords = list(
        &p.keywords,
        "keywords",
        valid_keyword,
        "a keyword has at most 20 ASCII characters: letters, digits, `_`, `-` and `+`, starting with a letter or digit",
    );
    let categories = list(
        &p.categories,
        "categories",
        valid_category,
        "use a crates.io category slug, such as `api-bindings` or `web-programming::http-server` (the list is at https://crates.io/category_slugs)",
    );

    PackageMetadata {
        license,
        repository,
        keywords,
        categories,
    }
}

/// crates.io's rule for keywords.
fn valid_keyword(k: &str) -> bool {
    k.len() <= MAX_KEYWORD_LEN
        && k.starts_with(|c: char| c.is_ascii_alphanumeric())
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
}

/// The shape of a crates.io category slug (`parent::child`, lowercase words joined by `-`).
/// Which slugs exist is crates.io's list, which changes; a slug it does not know is dropped with
/// a warning when publishing, never an error, so only the shape is checked here.
fn valid_category(c: &str) -> bool {
    c.split("::").all(|part| {
        !part.is_empty()
            && part
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
    })
}
