//! Stage 3, shared by the YAML emitters (the AsyncAPI and OpenAPI documents): an ordered YAML tree
//! and its block-style rendering. It lives beside the emitters, not in one of them, so neither
//! borrows it from the other.
//!
//! Written by hand because the YAML serializers available to us (serde_yaml and the libyaml
//! family, yaml-rust2's emitter) leave strings such as `2025-01-15T09:30:00Z`, `2025-01-15` or
//! `yes` unquoted. A YAML 1.1 loader, which is what many tools use (js-yaml's default schema
//! among them), reads those as a date or a boolean, and the example payloads would no longer
//! match their schemas. Here every string value is written quoted (or as a literal block), so
//! every loader reads back exactly the JSON value the tree holds; keys stay plain where that is
//! unambiguous, for readability. Map order is kept as built, so a document reads top-down
//! (`asyncapi`, `info`, `channels`, ...) and examples keep the spec's key order.

use std::fmt::Write as _;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A YAML value whose maps keep their insertion order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Yaml {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, written as JSON writes it.
    Number(serde_json::Number),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Yaml>),
    /// A map, in insertion order.
    Map(Vec<(String, Yaml)>),
}

impl From<&str> for Yaml {
    fn from(s: &str) -> Yaml {
        Yaml::Str(s.to_owned())
    }
}

impl From<String> for Yaml {
    fn from(s: String) -> Yaml {
        Yaml::Str(s)
    }
}

/// A JSON value, keys in the value's own order (sorted, for a `serde_json::Value` built without
/// `preserve_order`).
impl From<&serde_json::Value> for Yaml {
    fn from(value: &serde_json::Value) -> Yaml {
        use serde_json::Value;
        match value {
            Value::Null => Yaml::Null,
            Value::Bool(b) => Yaml::Bool(*b),
            Value::Number(n) => Yaml::Number(n.clone()),
            Value::String(s) => Yaml::Str(s.clone()),
            Value::Array(items) => Yaml::Seq(items.iter().map(Yaml::from).collect()),
            Value::Object(entries) => Yaml::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), Yaml::from(v)))
                    .collect(),
            ),
        }
    }
}

/// Builds a map from `(key, value)` pairs, in order.
pub(crate) fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Yaml)>) -> Yaml {
    Yaml::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

/// A reference object (`$ref: target`).
pub(crate) fn reference(target: impl Into<String>) -> Yaml {
    map([("$ref", Yaml::Str(target.into()))])
}

impl Yaml {
    /// Renders a document: a top-level map or sequence, each line ending in a newline.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        write_block(&mut out, self, 0);
        out
    }
}

/// Writes `value` as the block content of a parent at `indent` columns: a map or sequence on the
/// following lines, a scalar or empty collection right after the parent's `key:` or `-`.
fn write_value(out: &mut String, value: &Yaml, indent: usize) {
    if is_block(value) {
        out.push('\n');
        write_block(out, value, indent);
    } else {
        out.push(' ');
        write_scalar(out, value, indent);
        out.push('\n');
    }
}

/// Whether `value` is written as block lines: a map or sequence with entries. Empty ones are
/// written inline (`{}`, `[]`), like scalars.
fn is_block(value: &Yaml) -> bool {
    match value {
        Yaml::Map(entries) => !entries.is_empty(),
        Yaml::Seq(items) => !items.is_empty(),
        _ => false,
    }
}

/// Writes a map or sequence as block lines indented by `indent` columns.
fn write_block(out: &mut String, value: &Yaml, indent: usize) {
    let pad = " ".repeat(indent);
    match value {
        Yaml::Map(entries) if !entries.is_empty() => {
            for (key, value) in entries {
                let _ = write!(out, "{pad}{}:", key_text(key));
                write_value(out, value, indent + 2);
            }
        }
        Yaml::Seq(items) if !items.is_empty() => {
            for item in items {
                let _ = write!(out, "{pad}-");
                if is_block(item) {
                    // A collection item starts on the dash's line: render it one level deeper
                    // and replace its first indentation with the dash.
                    write_nested_item(out, item, indent + 2);
                } else {
                    write_value(out, item, indent + 2);
                }
            }
        }
        scalar => {
            write_scalar(out, scalar, indent);
            out.push('\n');
        }
    }
}

fn write_nested_item(out: &mut String, item: &Yaml, indent: usize) {
    let mut block = String::new();
    write_block(&mut block, item, indent);
    out.push(' ');
    out.push_str(&block[indent..]);
}

/// Writes a scalar (or an empty collection) inline; `indent` is the indentation of a literal
/// block's lines.
fn write_scalar(out: &mut String, value: &Yaml, indent: usize) {
    match value {
        Yaml::Null => out.push_str("null"),
        Yaml::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Yaml::Number(n) => out.push_str(&n.to_string()),
        Yaml::Str(s) => write_string(out, s, indent),
        Yaml::Seq(_) => out.push_str("[]"),
        Yaml::Map(_) => out.push_str("{}"),
    }
}

/// Multi-line text (descriptions) as a literal block, so it reads as written; every single-line
/// string, and anything a literal block cannot carry exactly, double-quoted.
fn write_string(out: &mut String, s: &str, indent: usize) {
    let chomping = if s.ends_with("\n\n") {
        None
    } else if s.ends_with('\n') {
        Some("|")
    } else {
        Some("|-")
    };
    let literal_safe = s.contains('\n')
        && !s.starts_with([' ', '\n'])
        && !s.chars().any(|c| escaped(c) && c != '\n');
    match chomping {
        Some(indicator) if literal_safe => {
            let pad = " ".repeat(indent);
            out.push_str(indicator);
            for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
                out.push('\n');
                if !line.is_empty() {
                    out.push_str(&pad);
                    out.push_str(line);
                }
            }
        }
        _ => out.push_str(&quoted(s)),
    }
}

/// A double-quoted scalar. Besides control characters, the line and paragraph separators and the
/// byte order mark are escaped: YAML 1.1 loaders treat the first two as line breaks.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if escaped(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters that are not written as themselves inside a quoted scalar.
fn escaped(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// A key as written: plain when it is a word no YAML loader reads as anything but that string,
/// double-quoted otherwise.
fn key_text(key: &str) -> String {
    // Words that YAML 1.1 or 1.2 loaders read as booleans or null when plain.
    const SPECIAL: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ];
    let mut chars = key.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '$'))
        && !SPECIAL.contains(&key.to_ascii_lowercase().as_str());
    if plain { key.to_owned() } else { quoted(key) }
}

/// Reads JSON (or any serde format) into a tree that keeps object keys in their original order:
/// the spec's examples are shown as written, not sorted.
impl<'de> Deserialize<'de> for Yaml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Yaml, D::Error> {
        deserializer.deserialize_any(YamlVisitor)
    }
}

struct YamlVisitor;

impl<'de> Visitor<'de> for YamlVisitor {
    type Value = Yaml;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Yaml, E> {
        Ok(Yaml::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Yaml, E> {
        Ok(Yaml::Number(n.into()))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Yaml, E> {
        Ok(Yaml::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Yaml, E> {
        serde_json::Number::from_f64(n)
            .map(Yaml::Number)
            .ok_or_else(|| E::custom("a number JSON cannot represent"))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Yaml, E> {
        Ok(Yaml::Str(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Yaml, E> {
        Ok(Yaml::Str(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Yaml, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Yaml::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Yaml, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = access.next_entry::<String, Yaml>()? {
            entries.push((key, value));
        }
        Ok(Yaml::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a YAML loader reads back, as JSON.
    fn reload(text: &str) -> serde_json::Value {
        serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn to_json(value: &Yaml) -> serde_json::Value {
        match value {
            Yaml::Null => serde_json::Value::Null,
            Yaml::Bool(b) => (*b).into(),
            Yaml::Number(n) => serde_json::Value::Number(n.clone()),
            Yaml::Str(s) => s.as_str().into(),
            Yaml::Seq(items) => items.iter().map(to_json).collect(),
            Yaml::Map(entries) => entries
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        }
    }

    fn round_trips(value: &Yaml) {
        let text = value.render();
        assert_eq!(reload(&text), to_json(value), "{text}");
    }

    const AWKWARD: &[&str] = &[
        "",
        "plain",
        "2025-01-15T09:30:00Z",
        "2025-01-15",
        "yes",
        "No",
        "null",
        "~",
        "1e3",
        "0x1F",
        "012",
        ".inf",
        "- item",
        "key: value",
        "# comment",
        "&anchor",
        "*alias",
        "!tag",
        "'single'",
        "\"double\"",
        "tab\there",
        "one line\n",
        "two\nlines",
        "two\nlines\n",
        "trailing blank\n\n",
        "trailing space \n",
        " leading space\nnext",
        "\nleading newline",
        "blank\n\nline in the middle\n",
        "  indented\n    more\n",
        "carriage\r\nreturn\n",
        "unicode é ✓\n",
        "bell\u{7}",
        "delete\u{7f} and next line\u{85}",
        "line\u{2028}separator",
        "\u{feff}bom",
        "back\\slash",
    ];

    #[test]
    fn every_string_reads_back_as_itself_as_a_value_and_as_a_key() {
        for s in AWKWARD {
            round_trips(&map([("k", Yaml::from(*s))]));
            round_trips(&Yaml::Seq(vec![Yaml::from(*s)]));
            if !s.is_empty() {
                round_trips(&map([(*s, Yaml::Null)]));
            }
            round_trips(&map([("outer", map([("inner", Yaml::from(*s))]))]));
        }
    }

    #[test]
    fn nested_collections_read_back() {
        let value = map([
            ("empty map", Yaml::Map(vec![])),
            ("empty seq", Yaml::Seq(vec![])),
            (
                "seq of maps",
                Yaml::Seq(vec![
                    map([("a", Yaml::Null), ("b", map([("c", Yaml::Bool(true))]))]),
                    map([("d", Yaml::from("multi\nline\n"))]),
                ]),
            ),
            (
                "seq of seqs",
                Yaml::Seq(vec![
                    Yaml::Seq(vec![Yaml::from("x"), Yaml::Seq(vec![Yaml::from("y")])]),
                    Yaml::Seq(vec![]),
                ]),
            ),
            (
                "number",
                Yaml::Number(serde_json::Number::from_f64(1.5).unwrap()),
            ),
            ("negative", Yaml::Number((-3).into())),
        ]);
        round_trips(&value);
    }

    #[test]
    fn layout_is_block_style_with_quoted_strings() {
        let value = map([
            ("asyncapi", Yaml::from("3.0.0")),
            (
                "info",
                map([
                    ("title", Yaml::from("Deck")),
                    ("description", Yaml::from("Line one.\n\nLine two.\n")),
                ]),
            ),
            ("list", Yaml::Seq(vec![reference("#/a"), Yaml::from("b")])),
        ]);
        let expected = "\
asyncapi: \"3.0.0\"
info:
  title: \"Deck\"
  description: |
    Line one.

    Line two.
list:
  - $ref: \"#/a\"
  - \"b\"
";
        assert_eq!(value.render(), expected);
    }

    #[test]
    fn json_keeps_its_key_order() {
        let value: Yaml = serde_json::from_str(r#"{"z": 1, "a": [true, null, 2.5], "m": {}}"#)
            .expect("valid JSON");
        let Yaml::Map(entries) = &value else {
            panic!("a map")
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["z", "a", "m"]);
        round_trips(&value);
    }
}
