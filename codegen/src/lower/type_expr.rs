//! Stage 2, type expressions: `string`, `array<T>`, `map<T>`, a named type.

use crate::model::TypeRef;
use crate::spec::Spanned;

use super::Cx;
use super::table::TypeTable;

/// The built-in type names, from the format's table.
pub(super) fn builtin_types() -> Vec<&'static str> {
    crate::format::BUILTIN_TYPES
        .iter()
        .map(|c| c.word)
        .collect()
}

/// Parses a type expression (`string`, `array<Error>`, `map<json>`, `TaskRun`), reporting the
/// closest known name for a misspelling.
pub(super) fn parse_type_expr(
    cx: &mut Cx,
    table: &TypeTable,
    e: &Spanned<String>,
    in_envelope: bool,
) -> Option<TypeRef> {
    fn parse(s: &str) -> Result<Expr<'_>, String> {
        let s = s.trim();
        for (prefix, is_array) in [("array<", true), ("map<", false)] {
            if let Some(rest) = s.strip_prefix(prefix) {
                let inner = rest
                    .strip_suffix('>')
                    .ok_or_else(|| format!("`{s}` is missing its closing `>`"))?;
                let inner = Box::new(parse(inner)?);
                return Ok(if is_array {
                    Expr::Array(inner)
                } else {
                    Expr::Map(inner)
                });
            }
        }
        if s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{s}` is not a type name"));
        }
        Ok(Expr::Name(s))
    }
    enum Expr<'a> {
        Name(&'a str),
        Array(Box<Expr<'a>>),
        Map(Box<Expr<'a>>),
    }
    fn resolve(
        cx: &mut Cx,
        table: &TypeTable,
        e: &Spanned<String>,
        x: &Expr,
        in_envelope: bool,
        top: bool,
    ) -> Option<TypeRef> {
        Some(match x {
            Expr::Array(inner) => {
                TypeRef::Array(Box::new(resolve(cx, table, e, inner, in_envelope, false)?))
            }
            Expr::Map(inner) => {
                TypeRef::Map(Box::new(resolve(cx, table, e, inner, in_envelope, false)?))
            }
            Expr::Name(n) => match *n {
                "string" => TypeRef::String,
                "integer" => TypeRef::Integer,
                "number" => TypeRef::Number,
                "boolean" => TypeRef::Boolean,
                "datetime" => TypeRef::DateTime,
                "url" => TypeRef::Url,
                "json" => TypeRef::Json,
                "event_type" | "event_data" if in_envelope && top => {
                    if *n == "event_type" {
                        TypeRef::EventType
                    } else {
                        TypeRef::EventData
                    }
                }
                "event_type" | "event_data" => {
                    cx.error(
                        e.span,
                        format!("`{n}` is only valid as the type of an envelope field"),
                        "envelope-only type",
                        Some("it marks the envelope's discriminator and payload fields".into()),
                    );
                    return None;
                }
                other => match table.id(other) {
                    Some(id) => TypeRef::Named(id),
                    None => {
                        let builtins = builtin_types();
                        let candidates = builtins.iter().copied().chain(table.names());
                        let hint = match crate::spec::closest(other, candidates) {
                            Some(c) => format!("did you mean `{c}`?"),
                            None => format!(
                                "define `{other}` under `types`, or use a built-in type: {}",
                                crate::diag::list(&builtins)
                            ),
                        };
                        cx.error(
                            e.span,
                            format!("unknown type `{other}`"),
                            "not defined",
                            Some(hint),
                        );
                        return None;
                    }
                },
            },
        })
    }
    match parse(&e.value) {
        Ok(x) => resolve(cx, table, e, &x, in_envelope, true),
        Err(msg) => {
            cx.error(
                e.span,
                format!("invalid type expression: {msg}"),
                "invalid type",
                Some("write a type name, `array<T>` or `map<T>`".into()),
            )
            .shape();
            None
        }
    }
}
