//! Diagnostics: every mistake found in a spec, with its place, rendered like rustc.
//!
//! Stages push into a [`Diagnostics`] instead of returning at the first error, so a maintainer sees
//! every mistake of a spec in one run. Each diagnostic carries the source line it points at, so
//! rendering needs nothing but the diagnostic itself.

use std::fmt;

/// A place in a spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// Index of the file in the loaded file list.
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
    /// Length of the offending text in characters (at least 1 when rendered).
    pub len: u32,
}

/// Which kind of check found a mistake, which says what else can find it as the spec is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DiagnosticKind {
    /// The file does not read as YAML data: bad syntax, a duplicate key, a key that is not a
    /// string, text that is not UTF-8. An editor's YAML parser reports these.
    Syntax,
    /// A file's shape: an unknown key, a value of the wrong type or form, a missing required key.
    /// The spec format's JSON Schema (`generated/spec-schema/`) sees these in the file alone, so
    /// an editor reports them as the spec is typed.
    Shape,
    /// A rule that needs the whole spec: references, includes, name collisions, cycles, examples.
    /// Only the checker sees these.
    #[default]
    Semantic,
}

/// One mistake in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path of the file as the user knows it (`spec/agent.yaml`).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// Length of the underlined text.
    pub len: u32,
    /// What is wrong, lowercase, no trailing full stop.
    pub message: String,
    /// Short label under the offending text.
    pub label: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// Other places that explain the mistake (`first defined here`).
    pub notes: Vec<Note>,
    /// The source line the diagnostic points at, for the snippet.
    pub source_line: Option<String>,
    /// Which kind of check found it.
    pub kind: DiagnosticKind,
}

/// A note on a diagnostic, usually about another place of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The place it is about: a spec file (as the user knows it), line and column.
    pub place: Option<(String, u32, u32)>,
    /// What it says about it (`first defined here`).
    pub text: String,
}

impl Note {
    /// A note about `file:line:col`.
    pub fn at(file: impl Into<String>, line: u32, col: u32, text: impl Into<String>) -> Note {
        Note {
            place: Some((file.into(), line, col)),
            text: text.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some((file, line, col)) => write!(f, "{file}:{line}:{col}: {}", self.text),
            None => f.write_str(&self.text),
        }
    }
}

impl Diagnostic {
    /// Marks it as a mistake of the file's shape (see [`DiagnosticKind::Shape`]).
    pub fn shape(&mut self) -> &mut Self {
        self.kind = DiagnosticKind::Shape;
        self
    }

    /// `file:line:col`.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.col)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line_no = self.line.to_string();
        let gutter = " ".repeat(line_no.len());
        writeln!(f, "error: {}", self.message)?;
        writeln!(f, "{gutter}--> {}", self.location())?;
        if let Some(src) = &self.source_line {
            // Tabs would misalign the caret; YAML forbids them in indentation anyway.
            let src = src.replace('\t', " ");
            let (src, start) = snippet_window(&src, self.col.saturating_sub(1) as usize);
            let pad = " ".repeat((self.col.saturating_sub(1) as usize).saturating_sub(start));
            let room = src.chars().count().saturating_sub(pad.len()).max(1);
            let carets = "^".repeat((self.len.max(1) as usize).min(room));
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{}", format!("{line_no} | {src}").trim_end())?;
            writeln!(
                f,
                "{}",
                format!("{gutter} | {pad}{carets} {}", self.label).trim_end()
            )?;
        }
        for note in &self.notes {
            writeln!(f, "{gutter} = note: {note}")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{gutter} = help: {hint}")?;
        }
        Ok(())
    }
}

/// Longest source line shown whole; a longer one (minified or generated input) is cut around the
/// column so the snippet stays readable.
const MAX_SNIPPET_CHARS: usize = 200;

/// The part of `line` to show around 0-based character `col`, and the column (in characters of
/// the returned text's coordinate system) where the shown part starts: the returned text starts
/// with `...` when cut, and `col - start` is where the caret goes.
fn snippet_window(line: &str, col: usize) -> (String, usize) {
    let n = line.chars().count();
    if n <= MAX_SNIPPET_CHARS {
        return (line.to_string(), 0);
    }
    let from = col.saturating_sub(MAX_SNIPPET_CHARS / 2).min(n);
    let from = if from <= 3 { 0 } else { from };
    let to = (from + MAX_SNIPPET_CHARS).min(n);
    let mut out: String = line.chars().skip(from).take(to - from).collect();
    if to < n {
        out.push_str("...");
    }
    if from > 0 {
        // `...` takes three columns: the caret moves right by as much.
        (format!("...{out}"), from - 3)
    } else {
        (out, 0)
    }
}

/// Every mistake found in a spec, sorted by place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use = "diagnostics must be reported or returned"]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No diagnostics yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds all of another set.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// The diagnostic pushed last, to attach notes to it.
    pub fn last_mut(&mut self) -> Option<&mut Diagnostic> {
        self.items.last_mut()
    }

    /// Nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many were found.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The diagnostics, sorted by file, line and column.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// `Ok(value)` when nothing was found, else the diagnostics, sorted.
    pub fn into_result<T>(mut self, value: T) -> Result<T, Diagnostics> {
        if self.items.is_empty() {
            Ok(value)
        } else {
            self.sort();
            Err(self)
        }
    }

    /// The diagnostics as an error, sorted, for a stage that cannot go on.
    ///
    /// # Panics
    /// If none was pushed: a failure without a diagnostic would leave the user nothing to fix,
    /// so it is a bug of the stage.
    pub fn fail<T>(mut self) -> Result<T, Diagnostics> {
        assert!(!self.items.is_empty(), "a stage failed without saying why");
        self.sort();
        Err(self)
    }

    /// Sorts by place (then message) and drops exact duplicates.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.col, &a.message).cmp(&(&b.file, b.line, b.col, &b.message))
        });
        self.items.dedup();
    }

    /// Sets the kind of every diagnostic, for a stage whose mistakes are all of one kind.
    pub(crate) fn with_kind(mut self, kind: DiagnosticKind) -> Self {
        for d in &mut self.items {
            d.kind = kind;
        }
        self
    }

    /// Prefixes every file name, e.g. with the spec directory.
    pub fn with_file_prefix(mut self, prefix: &str) -> Self {
        if !prefix.is_empty() {
            let prefix = prefix.trim_end_matches('/');
            for d in &mut self.items {
                d.file = format!("{prefix}/{}", d.file);
                for (file, _, _) in d.notes.iter_mut().filter_map(|n| n.place.as_mut()) {
                    *file = format!("{prefix}/{file}");
                }
            }
        }
        self
    }
}

impl Diagnostics {
    /// Removes a leading prefix from every file name (and from notes), e.g. an absolute root.
    pub fn strip_file_prefix(mut self, prefix: &str) -> Self {
        for d in &mut self.items {
            if let Some(rest) = d.file.strip_prefix(prefix) {
                d.file = rest.to_string();
            }
            for (file, _, _) in d.notes.iter_mut().filter_map(|n| n.place.as_mut()) {
                if let Some(rest) = file.strip_prefix(prefix) {
                    *file = rest.to_string();
                }
            }
        }
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{d}")?;
        }
        let n = self.items.len();
        write!(
            f,
            "error: the spec has {n} error{}",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

/// `a`, `b` and `c`.
pub(crate) fn list(items: &[&str]) -> String {
    joined(items, "and")
}

/// `a`, `b` or `c`.
pub(crate) fn list_or(items: &[&str]) -> String {
    joined(items, "or")
}

/// `a`, `b`, `c`.
pub(crate) fn comma_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    quoted.join(", ")
}

fn joined(items: &[&str], last_word: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {last_word} {last}", rest.join(", ")),
    }
}
