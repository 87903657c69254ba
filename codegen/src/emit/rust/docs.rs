//! Stage 3, Rust: turns spec Markdown into `#[doc]` attributes that rustdoc renders as written and
//! never runs or misreads.
//!
//! Spec prose is written for the docs site, not for rustdoc, so a few things are rewritten: one
//! attribute per line (prettyplease then prints `///` lines), fenced blocks that are not Rust are
//! tagged `text` (otherwise they become doctests), indentation that would open an indented code
//! block is reduced, bare URLs are wrapped in `<...>`, and `[x]` that is not a link and `<` that is
//! not an autolink are escaped (otherwise rustdoc reports broken intra-doc links or HTML tags).

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Markers;

/// Doc lines for one item, built up from spec text and generated notes.
#[derive(Debug, Default, Clone)]
pub(crate) struct Doc {
    lines: Vec<String>,
}

impl Doc {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds a paragraph of spec Markdown, sanitised, separated from what came before.
    pub(crate) fn markdown(mut self, text: &str) -> Self {
        let lines = sanitize(text);
        if !lines.is_empty() {
            self.blank();
            self.lines.extend(lines);
        }
        self
    }

    /// Adds spec Markdown whose first line starts with `prefix` (generated Markdown).
    pub(crate) fn markdown_after(mut self, prefix: &str, text: &str) -> Self {
        let mut lines = sanitize(text);
        match lines.first_mut() {
            Some(first) if !first.starts_with("```") => {
                *first = format!("{prefix} {}", first.trim_start())
            }
            _ => lines.insert(0, prefix.to_owned()),
        }
        self.blank();
        self.lines.extend(lines);
        self
    }

    /// Adds a paragraph of generated Markdown, taken as written.
    pub(crate) fn para(mut self, text: impl Into<String>) -> Self {
        self.blank();
        self.lines.extend(text.into().lines().map(str::to_owned));
        self
    }

    /// Adds the `since` and deprecation notes of an item.
    pub(crate) fn markers(self, markers: &Markers) -> Self {
        let Markers { deprecated, since } = markers;
        let mut doc = self;
        if let Some(version) = since {
            doc = doc.para(format!("Since version {version}."));
        }
        if let Some(reason) = deprecated {
            doc = if reason.is_empty() {
                doc.para("Deprecated.")
            } else {
                doc.para("Deprecated:").markdown(reason)
            };
        }
        doc
    }

    fn blank(&mut self) {
        if !self.lines.is_empty() && self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    /// The doc lines, without their leading space.
    pub(crate) fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The `#[doc]` attributes, one per line.
    pub(crate) fn to_attrs(&self) -> TokenStream {
        let lines = self.lines.iter().map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        });
        quote!(#(#[doc = #lines])*)
    }
}

/// The `#[deprecated]` attribute of an item, if it has one.
pub(crate) fn deprecated_attr(markers: &Markers) -> Option<TokenStream> {
    markers.deprecated.as_ref().map(|reason| {
        if reason.is_empty() {
            quote!(#[deprecated])
        } else {
            let note = reason.split_whitespace().collect::<Vec<_>>().join(" ");
            quote!(#[deprecated(note = #note)])
        }
    })
}

/// Rewrites spec Markdown into lines rustdoc renders as intended. Leading and trailing blank lines
/// are dropped.
pub(crate) fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // The fence that opened the current code block (its character and length), if inside one.
    let mut fence: Option<(char, usize)> = None;
    for line in text.trim_end().lines() {
        let line = line.trim_end();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let marker = fence_marker(trimmed);
        match (fence, marker) {
            (None, Some((ch, len, info))) if indent < 4 => {
                fence = Some((ch, len));
                let lang = info.split([',', ' ']).next().unwrap_or("");
                let fence_text: String = std::iter::repeat_n(ch, len).collect();
                if lang == "rust" {
                    out.push(format!("{fence_text}{info}"));
                } else {
                    out.push(format!("{fence_text}text"));
                }
            }
            (Some((open_ch, open_len)), Some((ch, len, info)))
                if ch == open_ch && len >= open_len && info.is_empty() =>
            {
                fence = None;
                out.push(trimmed.to_owned());
            }
            (Some(_), _) => out.push(line.to_owned()),
            (None, _) => {
                // Four spaces of indentation would start an indented code block, which rustdoc
                // runs as a doctest; three keep list nesting and never do.
                let kept = indent.min(3);
                out.push(format!("{}{}", " ".repeat(kept), escape_inline(trimmed)));
            }
        }
    }
    if let Some((ch, len)) = fence {
        // An unclosed fence would swallow the generated notes that follow.
        out.push(std::iter::repeat_n(ch, len).collect());
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out
}

/// A code fence: its character, length and info string.
fn fence_marker(line: &str) -> Option<(char, usize, &str)> {
    let ch = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = line.chars().take_while(|c| *c == ch).count();
    (len >= 3).then(|| (ch, len, line[len..].trim()))
}

/// Escapes one line of prose outside code spans: bare URLs, stray brackets and angle brackets.
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // A code span runs to the next run of as many backticks; copy it untouched.
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                let close = find_run(&chars, i + run, run);
                let end = close.map_or(i + run, |close| close + run);
                out.extend(&chars[i..end]);
                i = end;
            }
            '\\' if i + 1 < chars.len() => {
                out.push(c);
                out.push(chars[i + 1]);
                i += 2;
            }
            '[' => match link_end(&chars, i) {
                Some(end) => {
                    out.push('[');
                    out.push_str(&escape_inline(
                        &chars[i + 1..end].iter().collect::<String>(),
                    ));
                    out.push(']');
                    // Copy the destination `(...)` as is.
                    let close = chars[end..]
                        .iter()
                        .position(|&c| c == ')')
                        .map_or(chars.len(), |p| end + p + 1);
                    out.extend(&chars[end + 1..close]);
                    i = close;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            '<' => {
                let rest: String = chars[i + 1..].iter().collect();
                let close = rest.find('>');
                if (rest.starts_with("http://") || rest.starts_with("https://")) && close.is_some()
                {
                    let end = i + 1 + rest[..close.unwrap_or(0)].chars().count() + 1;
                    out.extend(&chars[i..end]);
                    i = end;
                } else {
                    out.push_str("\\<");
                    i += 1;
                }
            }
            'h' if starts_url(&chars[i..]) && (i == 0 || !is_url_char(chars[i - 1])) => {
                let len = chars[i..].iter().take_while(|&&c| is_url_char(c)).count();
                // Sentence punctuation after a URL is not part of it.
                let mut end = i + len;
                while end > i
                    && matches!(
                        chars[end - 1],
                        '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"'
                    )
                {
                    end -= 1;
                }
                out.push('<');
                out.extend(&chars[i..end]);
                out.push('>');
                i = end;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The index of `]` closing a Markdown link `[text](dest)` that starts at `open`, if it is one.
fn link_end(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (j, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    let has_dest = chars.get(j + 1) == Some(&'(') && chars[j + 1..].contains(&')');
                    return has_dest.then_some(j);
                }
            }
            '`' => return None,
            _ => {}
        }
    }
    None
}

fn find_run(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let len = chars[j..].iter().take_while(|&&c| c == '`').count();
            if len == run {
                return Some(j);
            }
            j += len;
        } else {
            j += 1;
        }
    }
    None
}

fn starts_url(chars: &[char]) -> bool {
    let s: String = chars.iter().take(8).collect();
    s.starts_with("http://") || s.starts_with("https://")
}

fn is_url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#@!$&'*+,;=%".contains(c)
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn wraps_bare_urls_and_keeps_links() {
        assert_eq!(
            sanitize("See https://docs.deck.co/events."),
            ["See <https://docs.deck.co/events>."]
        );
        assert_eq!(
            sanitize("See [docs](https://deck.co) or <https://x.y>."),
            ["See [docs](https://deck.co) or <https://x.y>."]
        );
        assert_eq!(sanitize("`https://in.code`"), ["`https://in.code`"]);
    }

    #[test]
    fn escapes_stray_brackets_and_tags() {
        assert_eq!(sanitize("a [x] b"), ["a \\[x\\] b"]);
        assert_eq!(
            sanitize("an array<Error> `array<Error>`"),
            ["an array\\<Error> `array<Error>`"]
        );
    }

    #[test]
    fn tags_non_rust_fences_as_text() {
        assert_eq!(
            sanitize("x\n```json\n{ \"a\": [1] }\n```"),
            ["x", "```text", "{ \"a\": [1] }", "```"]
        );
        assert_eq!(sanitize("```\ncode\n```"), ["```text", "code", "```"]);
        assert_eq!(
            sanitize("```rust\nlet x = 1;\n```"),
            ["```rust", "let x = 1;", "```"]
        );
        assert_eq!(sanitize("```\nunclosed"), ["```text", "unclosed", "```"]);
    }

    #[test]
    fn removes_indented_code_blocks() {
        assert_eq!(sanitize("a\n\n    not code"), ["a", "", "   not code"]);
    }
}
