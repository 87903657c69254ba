//! Naming policy: how spec names become Rust identifiers, decided in one place.
//!
//! Case conversion is heck's. On top of it:
//! - keywords of the 2024 edition (`gen` included) become raw identifiers (`r#type`), except the
//!   ones that cannot be raw (`self`, `Self`, `super`, `crate`, `_`), which take a trailing `_`;
//! - type names that would shadow the prelude or the generated crate's own items (`Option`,
//!   `Result`, `Event`) take a trailing `_`, so `use deck_events::*` never hides `Option`;
//! - a leading digit gets a prefix (`_` for fields, `V` for variants and types), since an
//!   identifier cannot start with one;
//! - only ASCII letters, digits and `_` survive, so every identifier is portable.
//!
//! Every identifier that differs from its wire name is paired with a serde `rename` by the
//! Rust emitter (`emit::rust::needs_rename`); this module never decides wire names.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2024 (`gen` is reserved from 2024 on).
pub const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
pub const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names a generated type must not take because the prelude has them: a glob import of the
/// crate would shadow them. The generated crate's own items are in [`FIXED_ITEMS`].
pub const RESERVED_TYPES: &[&str] = &[
    // Prelude types, traits and variants.
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Box",
    "String",
    "Vec",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "TryFrom",
    "TryInto",
    "Default",
    "Iterator",
    "IntoIterator",
    "Extend",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Debug",
    "Hash",
    "Self",
];

/// The generated crate's fixed items, re-exported from its root by name. A spec type may not take
/// one of these names either (it becomes `Event_`), so a glob import never brings two of a name.
pub const FIXED_ITEMS: &[&str] = &[
    ENVELOPE_TYPE,
    "EventType",
    "EventData",
    "UnknownEvent",
    "UnknownValue",
    "RawEvent",
    "ParseError",
    "ErrorPlace",
    "Json",
];

/// The Rust name of the envelope, and the name inline types of envelope fields are hoisted under
/// (`Event` + `Meta`).
pub const ENVELOPE_TYPE: &str = "Event";

/// The catch-all variant of every generated enum, which holds values the spec does not list.
pub const CATCH_ALL: &str = "Unknown";

fn ascii_ident_chars(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Rust identifier of a field (snake_case), or `None` if the name has no letter or digit.
pub fn field_ident(wire: &str) -> Option<String> {
    let snake = ascii_ident_chars(&wire.to_snake_case());
    let snake = snake.trim_matches('_').to_string();
    if snake.is_empty() {
        return None;
    }
    Some(escape_keyword(
        if snake.starts_with(|c: char| c.is_ascii_digit()) {
            format!("_{snake}")
        } else {
            snake
        },
    ))
}

/// Rust identifier of a named type (UpperCamelCase), or `None` if it has no letter or digit.
pub fn type_ident(name: &str) -> Option<String> {
    let camel = upper_camel(name)?;
    Some(
        if RESERVED_TYPES.contains(&camel.as_str()) || FIXED_ITEMS.contains(&camel.as_str()) {
            format!("{camel}_")
        } else {
            camel
        },
    )
}

/// Rust identifier of an enum variant for a wire value (UpperCamelCase). A value whose name would
/// be the catch-all's becomes `UnknownValue`, so a spec value `unknown` and the catch-all coexist.
pub fn variant_ident(wire: &str) -> Option<String> {
    let camel = upper_camel(wire)?;
    Some(match camel.as_str() {
        "Self" => "Self_".to_string(),
        CATCH_ALL => format!("{CATCH_ALL}Value"),
        _ => camel,
    })
}

/// The variant name of an event type: `task_run.completed` → `TaskRunCompleted`.
pub fn event_variant(object: &str, action: &str) -> Option<String> {
    Some(format!("{}{}", upper_camel(object)?, upper_camel(action)?))
}

/// The name of an inline type hoisted out of a field: parent `TaskRun`, field `status` →
/// `TaskRunStatus`.
pub fn hoisted_type_name(parent: &str, field: &str) -> Option<String> {
    Some(format!("{parent}{}", upper_camel(field)?))
}

/// The snake_case slug of a type name, used for docs anchors and schema files.
pub fn slug(name: &str) -> String {
    ascii_ident_chars(&name.to_snake_case())
}

fn upper_camel(s: &str) -> Option<String> {
    let camel = ascii_ident_chars(&s.to_upper_camel_case()).replace('_', "");
    if camel.is_empty() {
        return None;
    }
    Some(if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else {
        camel
    })
}

fn escape_keyword(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// Whether `s` is snake_case as event names need it: lowercase ASCII letters and digits in words
/// joined by single `_`, starting with a letter.
pub fn is_snake_case(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('_')
        && !s.contains("__")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `s` is UpperCamelCase as type names need it.
pub fn is_upper_camel(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_field_gets_a_usable_identifier() {
        for kw in KEYWORDS {
            let ident = field_ident(kw).unwrap();
            // heck lowercases `Self` to `self`.
            let lower = kw.to_snake_case();
            if NOT_RAW.contains(&lower.as_str()) {
                assert_eq!(ident, format!("{lower}_"), "{kw}");
            } else {
                assert_eq!(ident, format!("r#{lower}"), "{kw}");
            }
            let parsed: syn::Ident =
                syn::parse_str(&ident).unwrap_or_else(|e| panic!("{kw} -> {ident}: {e}"));
            assert_eq!(parsed.to_string(), ident);
        }
    }

    /// Field, variant and type names, one table: how each spec name becomes an identifier.
    #[test]
    fn names_become_identifiers() {
        type Namer = fn(&str) -> Option<String>;
        let cases: &[(Namer, &str, Option<&str>)] = &[
            (field_ident, "type", Some("r#type")),
            (field_ident, "gen", Some("r#gen")),
            (field_ident, "self", Some("self_")),
            (field_ident, "super", Some("super_")),
            (field_ident, "crate", Some("crate_")),
            (field_ident, "fileName", Some("file_name")),
            (field_ident, "in-progress", Some("in_progress")),
            (field_ident, "3ds", Some("_3ds")),
            (field_ident, "_", None),
            (field_ident, "*", None),
            (field_ident, "Option", Some("option")),
            (variant_ident, "in_progress", Some("InProgress")),
            (variant_ident, "in-progress", Some("InProgress")),
            (variant_ident, "unknown", Some("UnknownValue")),
            (variant_ident, "Unknown", Some("UnknownValue")),
            (variant_ident, "other", Some("Other")),
            (variant_ident, "Self", Some("Self_")),
            (variant_ident, "self", Some("Self_")),
            (variant_ident, "*", None),
            (variant_ident, "3ds", Some("V3ds")),
            (variant_ident, "Option", Some("Option")),
            (type_ident, "TaskRun", Some("TaskRun")),
            (type_ident, "HTTPError", Some("HttpError")),
            (type_ident, "3DSecure", Some("V3dSecure")),
            (type_ident, "Self", Some("Self_")),
        ];
        for (namer, wire, expected) in cases {
            assert_eq!(namer(wire).as_deref(), *expected, "{wire}");
        }
        for reserved in RESERVED_TYPES {
            assert_eq!(type_ident(reserved), Some(format!("{reserved}_")));
        }
    }

    #[test]
    fn event_names() {
        assert_eq!(
            event_variant("task_run", "completed").as_deref(),
            Some("TaskRunCompleted")
        );
        assert_eq!(
            event_variant("connection", "interaction_required").as_deref(),
            Some("ConnectionInteractionRequired")
        );
        assert!(is_snake_case("task_run"));
        assert!(!is_snake_case("taskRun"));
        assert!(!is_snake_case("task__run"));
        assert!(!is_snake_case("task_"));
        assert!(!is_snake_case("1task"));
    }
}
