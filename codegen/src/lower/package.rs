//! Stage 2, the package section: names, version, base URL and signing of the outputs.

use crate::model::{Package, Signing, Version};
use crate::spec::{RawSpec, Spanned};

use super::Cx;

/// Rule: the package section names the outputs with valid values, and the version is semver.
pub(super) fn lower_package(cx: &mut Cx, raw: &RawSpec, root: u32) -> Option<Package> {
    let hint =
        "add `package:` with `name`, `version`, `title`, `description` and `schema_base_url`";
    let p = cx.section(raw.package.as_ref(), root, "package", hint)?;
    let missing = |cx: &mut Cx, v: &Option<Spanned<String>>, key: &str| {
        if v.is_none() {
            let example = crate::format::PACKAGE
                .key(key)
                .and_then(|k| k.example)
                .unwrap_or("...");
            cx.error(
                p.span,
                format!("`package` has no `{key}`"),
                format!("missing `{key}`"),
                Some(format!("add `{key}: {example}`")),
            )
            .shape();
        }
        v.clone()
    };
    let name = missing(cx, &p.name, "name");
    let version = missing(cx, &p.version, "version");
    let title = missing(cx, &p.title, "title");
    let description = cx.require_description(&p.description, p.span, "the package");
    let base = missing(cx, &p.schema_base_url, "schema_base_url");

    let name = read(
        cx,
        name,
        ("a valid crate name", "invalid crate name"),
        "use lowercase ASCII letters, digits, `-` and `_`, starting with a letter",
        |n| {
            let ok = n.starts_with(|c: char| c.is_ascii_lowercase())
                && n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            ok.then(|| n.to_owned())
        },
    );
    let version = read(
        cx,
        version,
        ("a version", "expected `major.minor.patch`"),
        "quote it if YAML reads it as a number: `version: \"1.0.0\"`",
        Version::parse,
    );
    let base = read(
        cx,
        base,
        ("an http(s) URL", "invalid URL"),
        "schema `$id`s are built from it: use an absolute `https://` URL",
        |b| {
            crate::format::is_http_url(b).then(|| {
                if b.ends_with('/') {
                    b.to_owned()
                } else {
                    format!("{b}/")
                }
            })
        },
    );
    let schemes = || crate::format::SIGNING.iter().map(|c| c.word);
    let signing = match &p.signing {
        None => Some(Signing::None),
        Some(s) if !schemes().any(|w| w == s.value) => {
            let hint = match crate::spec::closest(&s.value, schemes()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!(
                    "expected {}",
                    crate::diag::list_or(&schemes().collect::<Vec<_>>())
                ),
            };
            cx.error(
                s.span,
                format!("unknown signing scheme `{}`", s.value),
                "unknown scheme",
                Some(hint),
            )
            .shape();
            None
        }
        Some(s) => match s.value.as_str() {
            "none" => Some(Signing::None),
            "standard_webhooks" => Some(Signing::StandardWebhooks),
            other => unreachable!("the format lists signing scheme `{other}`, the model lacks it"),
        },
    };
    let metadata = crate::metadata::check(cx.parsed, p, &mut cx.diags);
    let name = name?;
    Some(Package {
        lib_name: name.replace('-', "_"),
        name,
        version: version?,
        title: title?.value,
        description,
        schema_base_url: base?,
        signing: signing?,
        delivery: p
            .delivery
            .as_ref()
            .map(|d| d.value.clone())
            .unwrap_or_default(),
        metadata,
    })
}

/// A package key's value as `parse` reads it, or, when it cannot, a mistake of the spec's shape
/// at the value: "`value` is not {what}", with `label` under it and `hint`.
fn read<T>(
    cx: &mut Cx,
    value: Option<Spanned<String>>,
    (what, label): (&str, &str),
    hint: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Option<T> {
    let value = value?;
    let parsed = parse(&value.value);
    if parsed.is_none() {
        cx.error(
            value.span,
            format!("`{}` is not {what}", value.value),
            label,
            Some(hint.into()),
        )
        .shape();
    }
    parsed
}
