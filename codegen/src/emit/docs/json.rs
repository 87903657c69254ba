//! Docs helper: pretty JSON text in, HTML with highlighting spans out.
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
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
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
    fn escaped_quotes_stay_inside_strings() {
        let html = highlight(r#"["a\"b", "é"]"#);
        assert!(
            html.contains(r#"<span class="j-str">&quot;a\&quot;b&quot;</span>"#),
            "{html}"
        );
        assert!(html.contains("é"), "{html}");
    }
}
