//! Docs helper: pretty JSON text in, HTML with highlighting spans (or a nested value's text) out.
//!
//! The examples are already valid, pretty-printed JSON ([`crate::model::Example::text`]), so a
//! tokenizer of a few dozen lines is enough to colour them at build time. A highlighting crate
//! (syntect and the like) would bring grammars, regex engines and theme files into the generator
//! for one tiny language, and its output format could change under us between versions, which
//! would churn the checked-in pages.

/// Wraps each token of `json` in a `<span>` whose class names its kind: `j-key` (object key),
/// `j-str`, `j-num`, `j-lit` (`true`, `false`, `null`) and `j-punct`. Whitespace is kept, and
/// everything is HTML-escaped.
pub fn highlight(json: &str) -> String {
    let mut out = String::with_capacity(json.len() * 2);
    let bytes = json.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let class = match c {
            b'"' => {
                i = string_end(bytes, i).unwrap_or(bytes.len());
                let rest = json[i..].trim_start();
                if rest.starts_with(':') {
                    "j-key"
                } else {
                    "j-str"
                }
            }
            b'-' | b'0'..=b'9' => {
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                "j-num"
            }
            b'a'..=b'z' => {
                while i < bytes.len() && bytes[i].is_ascii_lowercase() {
                    i += 1;
                }
                "j-lit"
            }
            b'{' | b'}' | b'[' | b']' | b':' | b',' => {
                i += 1;
                "j-punct"
            }
            _ => {
                // Whitespace, or anything unexpected: copied through escaped, one char at a time
                // so multi-byte characters stay whole.
                let ch = json[i..].chars().next().unwrap_or(' ');
                i += ch.len_utf8();
                escape_into(&mut out, &json[start..i]);
                continue;
            }
        };
        out.push_str("<span class=\"");
        out.push_str(class);
        out.push_str("\">");
        escape_into(&mut out, &json[start..i]);
        out.push_str("</span>");
    }
    out
}

/// One step into a JSON value: an object's member or an array's element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// The text of the value at `path` inside `json`, as written there, re-indented as if it stood
/// alone; `None` if there is no such value.
///
/// `json` is valid JSON pretty-printed with two-space indents (an example's text). Slicing the
/// text instead of re-serializing a parsed value keeps the spec's key order: `serde_json`'s
/// `Value` sorts keys, and the workspace deliberately keeps `preserve_order` off.
pub fn value_text(json: &str, path: &[Step]) -> Option<String> {
    let b = json.as_bytes();
    let mut start = skip_ws(b, 0);
    for step in path {
        start = match (step, b.get(start)?) {
            (Step::Key(key), b'{') => member(json, start, key)?,
            (Step::Index(n), b'[') => element(b, start, *n)?,
            _ => return None,
        };
    }
    let text = &json[start..value_end(b, start)?];
    // Every line after the first is indented by the value's depth: the indentation of its last
    // line, which for a pretty-printed object or array is the closing bracket's.
    let depth = text
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.len() - last.trim_start().len());
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let indent = line.len() - line.trim_start_matches(' ').len();
            out.push_str(&line[indent.min(depth)..]);
        } else {
            out.push_str(line);
        }
    }
    Some(out)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The end of the string starting at `i` (just past its closing quote).
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The end of the value starting at `i`.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            Some(j)
        }
    }
}

/// The start of the value of member `key` of the object starting at `i`.
fn member(json: &str, i: usize, key: &str) -> Option<usize> {
    let b = json.as_bytes();
    let mut j = skip_ws(b, i + 1);
    while b.get(j) == Some(&b'"') {
        let key_end = string_end(b, j)?;
        let name: String = serde_json::from_str(&json[j..key_end]).ok()?;
        j = skip_ws(b, key_end);
        if b.get(j) != Some(&b':') {
            return None;
        }
        j = skip_ws(b, j + 1);
        if name == key {
            return Some(j);
        }
        j = skip_ws(b, value_end(b, j)?);
        if b.get(j) == Some(&b',') {
            j = skip_ws(b, j + 1);
        }
    }
    None
}

/// The start of element `n` of the array starting at `i`.
fn element(b: &[u8], i: usize, n: usize) -> Option<usize> {
    let mut j = skip_ws(b, i + 1);
    for _ in 0..n {
        if b.get(j) == Some(&b']') {
            return None;
        }
        j = skip_ws(b, value_end(b, j)?);
        if b.get(j) != Some(&b',') {
            return None;
        }
        j = skip_ws(b, j + 1);
    }
    (b.get(j)? != &b']').then_some(j)
}

/// Appends `text` with the five HTML-significant characters escaped.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_get_classes() {
        let html =
            highlight("{\n  \"id\": \"evt_<1>\",\n  \"n\": -1.5e3,\n  \"ok\": [true, null]\n}");
        assert_eq!(
            html,
            "<span class=\"j-punct\">{</span>\n  <span class=\"j-key\">&quot;id&quot;</span><span class=\"j-punct\">:</span> \
             <span class=\"j-str\">&quot;evt_&lt;1&gt;&quot;</span><span class=\"j-punct\">,</span>\n  \
             <span class=\"j-key\">&quot;n&quot;</span><span class=\"j-punct\">:</span> <span class=\"j-num\">-1.5e3</span>\
             <span class=\"j-punct\">,</span>\n  <span class=\"j-key\">&quot;ok&quot;</span><span class=\"j-punct\">:</span> \
             <span class=\"j-punct\">[</span><span class=\"j-lit\">true</span><span class=\"j-punct\">,</span> \
             <span class=\"j-lit\">null</span><span class=\"j-punct\">]</span>\n<span class=\"j-punct\">}</span>"
        );
    }

    #[test]
    fn values_are_sliced_in_written_order_and_dedented() {
        let text = "{\n  \"id\": \"evt_1\",\n  \"data\": {\n    \"z\": 1,\n    \"list\": [\n      {\n        \"b\": \"}\\\"]\",\n        \"a\": null\n      }\n    ]\n  }\n}";
        serde_json::from_str::<serde_json::Value>(text).expect("the fixture is JSON");
        let data = value_text(text, &[Step::Key("data".into())]).unwrap();
        assert_eq!(
            data,
            "{\n  \"z\": 1,\n  \"list\": [\n    {\n      \"b\": \"}\\\"]\",\n      \"a\": null\n    }\n  ]\n}"
        );
        let item = [
            Step::Key("data".into()),
            Step::Key("list".into()),
            Step::Index(0),
        ];
        assert_eq!(
            value_text(text, &item).unwrap(),
            "{\n  \"b\": \"}\\\"]\",\n  \"a\": null\n}"
        );
        assert_eq!(
            value_text(text, &[Step::Key("id".into())]).unwrap(),
            "\"evt_1\""
        );
        assert_eq!(value_text(text, &[Step::Key("nope".into())]), None);
        let past = [
            Step::Key("data".into()),
            Step::Key("list".into()),
            Step::Index(1),
        ];
        assert_eq!(value_text(text, &past), None);
    }

    #[test]
    fn escaped_quotes_stay_inside_strings() {
        let html = highlight(r#"["a\"b", "é"]"#);
        assert!(
            html.contains(r#"<span class="j-str">&quot;a\&quot;b&quot;</span>"#),
            "{html}"
        );
        assert!(html.contains("é"), "{html}");
    }
}
