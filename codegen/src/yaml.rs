//! Stage 1a: reading spec files and parsing them, with a position index for later diagnostics.
//!
//! `serde_yaml` parses each file into a `Value`: it reports syntax errors with their place, and it
//! bounds recursion depth and alias expansion, so deep nesting and alias bombs fail fast. A `Value`
//! carries no positions, though, and most mistakes are only found after parsing. So each file is
//! also run through `yaml-rust2`'s event parser, which reports a marker per event, to build an
//! index from a node's path (a JSON Pointer such as `/events/task_run.completed/data`) to the
//! line and column of its key and of its value. That parser is push-based and keeps no tree, so
//! the index costs one pass and no recursion; nodes reached only through aliases are not indexed
//! and fall back to the nearest indexed ancestor. It also finds duplicate keys at the duplicate
//! key itself, where `serde_yaml` points at the start of the mapping.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_yaml::Value;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diag::{Diagnostic, DiagnosticKind, Diagnostics, Note, Span};

/// Files larger than this are rejected before parsing: no hand-written spec file comes near it
/// (a file holds one resource and its events), and it keeps a runaway input from holding the
/// generator for long. Both parsers together take about a second per MiB in a debug build.
pub(crate) const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Reads every `.yaml`/`.yml` file under `dir`, keyed by its `/`-separated relative path.
pub(crate) fn read_spec_dir(dir: &Path) -> Result<BTreeMap<String, String>, Diagnostics> {
    let prefix = dir.display().to_string();
    let mut files = BTreeMap::new();
    let mut diags = Diagnostics::new();
    // Errors about directories name them in full, so they do not take the prefix below.
    let mut dir_diags = Diagnostics::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                dir_diags.push(file_error(
                    &d.display().to_string(),
                    format!("cannot read directory: {e}"),
                    Some("check that the spec directory exists and is readable".into()),
                ));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let is_yaml = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            );
            if !is_yaml {
                continue;
            }
            let rel = path.strip_prefix(dir).unwrap_or(&path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let rel = rel.join("/");
            match read_text(&path) {
                Ok(text) => {
                    files.insert(rel, text);
                }
                Err((msg, hint, (line, col))) => diags.push(Diagnostic {
                    line,
                    col,
                    ..file_error(&rel, msg, Some(hint))
                }),
            }
        }
    }
    if !files.contains_key(crate::files::ROOT_FILE) && diags.is_empty() && dir_diags.is_empty() {
        diags.push(Diagnostic {
            hint: Some(format!(
                "create `{}` with `package`, `envelope` and `include` (see spec/README.md)",
                crate::files::ROOT_FILE
            )),
            kind: DiagnosticKind::Semantic,
            ..file_error(
                crate::files::ROOT_FILE,
                "the spec has no root file".into(),
                None,
            )
        });
    }
    let mut diags = diags.with_file_prefix(&prefix);
    diags.extend(dir_diags);
    diags.into_result(files)
}

/// The text of a spec file, or what is wrong with it, how to fix it, and the line and column.
fn read_text(path: &Path) -> Result<String, (String, String, (u32, u32))> {
    let unreadable = |e: std::io::Error| {
        (
            format!("cannot read file: {e}"),
            "check that the file exists and is readable".to_string(),
            (1, 1),
        )
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err((
            format!(
                "file is {} bytes, more than the limit of {MAX_FILE_BYTES} bytes ({} MiB)",
                meta.len(),
                MAX_FILE_BYTES >> 20
            ),
            TOO_BIG_HINT.to_string(),
            (1, 1),
        ));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        // Everything before the invalid byte is text: place the error on its line and column.
        let before = String::from_utf8_lossy(&e.as_bytes()[..offset]);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (
            format!("file is not UTF-8 text (invalid byte at offset {offset})"),
            "save the file as UTF-8; a spec file holds text only".to_string(),
            (line as u32, col as u32),
        )
    })
}

const TOO_BIG_HINT: &str = "split the spec into several files listed under `include`";

fn file_error(file: &str, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic {
        file: file.to_string(),
        line: 1,
        col: 1,
        len: 1,
        message,
        label: String::new(),
        hint,
        notes: Vec::new(),
        source_line: None,
        kind: DiagnosticKind::Syntax,
    }
}

/// One parsed spec file.
pub(crate) struct SourceFile {
    /// Relative path.
    pub name: String,
    /// The text, for snippets.
    pub text: String,
    /// The parsed document (`Null` for an empty file).
    pub value: Value,
    /// Path → place of the key (for mapping entries) and of the value.
    index: HashMap<String, Entry>,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    /// Where the position index stopped, and why, when `yaml-rust2` could not read what
    /// `serde_yaml` did: places after it fall back to the nearest indexed ancestor.
    index_stopped: Option<(u32, u32, String)>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    key: Option<(u32, u32, u32)>,
    value: (u32, u32, u32),
}

/// Every parsed file of a spec.
pub(crate) struct Parsed {
    /// Files in path order; [`Span::file`] indexes this.
    pub files: Vec<SourceFile>,
}

impl Parsed {
    /// The place of the value at `ptr` in file `file`, or of its nearest indexed ancestor.
    pub fn value_span(&self, file: u32, ptr: &str) -> Span {
        self.lookup(file, ptr, false)
    }

    /// The place of the key of the mapping entry at `ptr` (its value's place if it has no key).
    pub fn key_span(&self, file: u32, ptr: &str) -> Span {
        self.lookup(file, ptr, true)
    }

    fn lookup(&self, file: u32, ptr: &str, key: bool) -> Span {
        let f = &self.files[file as usize];
        let mut p = ptr;
        loop {
            if let Some(e) = f.index.get(p) {
                let (line, col, len) = if key {
                    e.key.unwrap_or(e.value)
                } else {
                    e.value
                };
                return Span {
                    file,
                    line,
                    col,
                    len,
                };
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => {
                    return Span {
                        file,
                        line: 1,
                        col: 1,
                        len: 1,
                    };
                }
            }
        }
    }

    /// Builds a diagnostic at `span`, with the source line for the snippet.
    pub fn diag(
        &self,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Diagnostic {
        let f = &self.files[span.file as usize];
        // The parsers place an error at the end of input one line past the last one when the
        // file does not end in a newline: show it at the end of the last line instead.
        let mut span = span;
        let lines = f.line_starts.len() as u32;
        if span.line > lines {
            span.line = lines;
            span.col = f.line(lines).map_or(0, |l| l.chars().count() as u32) + 1;
            span.len = 1;
        }
        // A place past where the index stopped is the nearest indexed ancestor's, which may be
        // far from the mistake. A fallback place may itself lie before the stop, so no place can
        // be told apart here: every diagnostic in such a file says so, and why.
        let notes = f
            .index_stopped
            .iter()
            .map(|(line, col, why)| {
                Note::at(
                    &f.name,
                    *line,
                    *col,
                    format!(
                        "places in this file past this one are approximate: the position index \
                         cannot read the YAML here ({why}); writing it more plainly restores them"
                    ),
                )
            })
            .collect();
        Diagnostic {
            file: f.name.clone(),
            line: span.line,
            col: span.col,
            len: span.len,
            message: message.into(),
            label: label.into(),
            hint: None,
            notes,
            source_line: f.line(span.line),
            kind: DiagnosticKind::default(),
        }
    }

    /// A note about the place of a span (`first defined here`).
    pub fn note(&self, span: Span, text: impl Into<String>) -> Note {
        Note::at(
            &self.files[span.file as usize].name,
            span.line,
            span.col,
            text,
        )
    }
}

impl SourceFile {
    /// Length of the indexed key or value that starts at `line:col` (1 if none does).
    pub fn key_len_at(&self, line: u32, col: u32) -> u32 {
        self.index
            .values()
            .flat_map(|e| e.key.into_iter().chain(std::iter::once(e.value)))
            .find(|&(l, c, _)| l == line && c == col)
            .map_or(1, |(_, _, len)| len)
    }

    fn line(&self, line: u32) -> Option<String> {
        let i = line.checked_sub(1)? as usize;
        let start = *self.line_starts.get(i)?;
        let end = self
            .line_starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(
            self.text[start..end]
                .trim_end_matches(['\n', '\r'])
                .to_string(),
        )
    }
}

/// Parses every file; reports syntax errors and duplicate keys of all files at once.
///
/// Files are independent, so a large spec is parsed on every core, each thread taking a run of
/// files in path order; the results are gathered back in that order, so the outcome is the same
/// as parsing one file after the other.
pub(crate) fn parse_all(files: &BTreeMap<String, String>) -> Result<Parsed, Diagnostics> {
    let files: Vec<(&String, &String)> = files.iter().collect();
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    let threads = if bytes < PARALLEL_BYTES {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    };
    let chunk = files.len().div_ceil(threads.max(1)).max(1);
    let results: Vec<Vec<Result<SourceFile, Diagnostics>>> = std::thread::scope(|scope| {
        let parse = |run: &[(&String, &String)]| -> Vec<_> {
            run.iter()
                .map(|(name, text)| parse_file(name, text))
                .collect()
        };
        let mut runs = files.chunks(chunk);
        let first = runs.next().unwrap_or_default();
        let others: Vec<_> = runs.map(|run| scope.spawn(move || parse(run))).collect();
        let mut results = vec![parse(first)];
        results.extend(
            others
                .into_iter()
                .map(|h| h.join().expect("a parser thread")),
        );
        results
    });
    let mut diags = Diagnostics::new();
    let mut parsed = Vec::with_capacity(files.len());
    for result in results.into_iter().flatten() {
        match result {
            Ok(f) => parsed.push(f),
            Err(d) => diags.extend(d.with_kind(DiagnosticKind::Syntax)),
        }
    }
    diags.into_result(Parsed { files: parsed })
}

/// Below this many bytes of YAML, a spec is parsed on one thread: starting threads would cost
/// more than it saves.
const PARALLEL_BYTES: usize = 256 * 1024;

fn parse_file(name: &str, text: &str) -> Result<SourceFile, Diagnostics> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut file = SourceFile {
        name: name.to_string(),
        text: text.to_string(),
        value: Value::Null,
        index: HashMap::new(),
        line_starts,
        index_stopped: None,
    };
    let mut diags = Diagnostics::new();
    if text.len() > MAX_FILE_BYTES {
        diags.push(file_error(
            name,
            format!(
                "file is {} bytes, more than the limit of {MAX_FILE_BYTES} bytes ({} MiB)",
                text.len(),
                MAX_FILE_BYTES >> 20
            ),
            Some(TOO_BIG_HINT.into()),
        ));
        return Err(diags);
    }

    // Index first: its duplicate-key errors point at the duplicate itself.
    let mut indexer = Indexer::default();
    let index_result = Parser::new_from_str(text).load(&mut indexer, true);
    let dups = std::mem::take(&mut indexer.duplicates);
    file.index = std::mem::take(&mut indexer.index);
    let parsed_docs = indexer.documents;

    let yaml = Parsed { files: vec![file] };
    let diag_at = |line: u32, col: u32, len: u32, message: String, label: &str| {
        yaml.diag(
            Span {
                file: 0,
                line,
                col,
                len,
            },
            message,
            label,
        )
    };
    for (key, (line, col, len), first) in dups {
        let mut d = diag_at(
            line,
            col,
            len,
            format!("duplicate key `{key}`"),
            "defined again here",
        );
        d.notes
            .push(Note::at(name, first.0, first.1, "first defined here"));
        d.hint = Some("keys of a mapping must be unique: remove or rename one of them".into());
        diags.push(d);
    }
    let mut file = yaml.files.into_iter().next().expect("one file");
    if !diags.is_empty() {
        return Err(diags);
    }
    if parsed_docs > 1 {
        let d = Parsed { files: vec![file] }.diag(
            Span {
                file: 0,
                line: 1,
                col: 1,
                len: 3,
            },
            "a spec file holds one YAML document",
            "",
        );
        diags.push(Diagnostic {
            hint: Some(
                "split the documents into separate files and list them under `include`".into(),
            ),
            ..d
        });
        return Err(diags);
    }
    if let Err(e) = &index_result {
        // yaml-rust2 stops at a few hundred levels of flow nesting at once, while serde_yaml
        // scans the whole `[[[[...` first (seconds per 100,000 levels): report it from here.
        if e.info().contains("recursion limit") {
            let (line, col, _) = place(*e.marker(), 1);
            let message = "recursion limit exceeded".to_string();
            let hint = syntax_hint(&message);
            let d = Parsed { files: vec![file] }.diag(
                Span {
                    file: 0,
                    line: line.max(1),
                    col,
                    len: 1,
                },
                format!("invalid YAML: {message}"),
                "here",
            );
            diags.push(Diagnostic { hint, ..d });
            return Err(diags);
        }
    }

    match serde_yaml::from_str::<Value>(text) {
        Ok(v) => file.value = v,
        Err(e) => {
            let (line, col) = e
                .location()
                .map(|l| (l.line() as u32, l.column() as u32))
                .unwrap_or((1, 1));
            let full = e.to_string();
            let message = clean_serde_yaml_message(&full);
            let hint = syntax_hint(&message);
            let context = syntax_context(&full).filter(|&(_, l, c)| (l, c) != (line, col));
            let d = Parsed { files: vec![file] }.diag(
                Span {
                    file: 0,
                    line: line.max(1),
                    col: col.max(1),
                    len: 1,
                },
                format!("invalid YAML: {message}"),
                "here",
            );
            let notes = context
                .map(|(what, l, c)| vec![Note::at(name, l, c, format!("{what} starts here"))])
                .unwrap_or_default();
            diags.push(Diagnostic { hint, notes, ..d });
            return Err(diags);
        }
    }
    if let Err(e) = index_result {
        // serde_yaml accepted what yaml-rust2 did not (their grammars differ at the edges, e.g. a
        // tab after `key:`): the document is usable, only positions degrade to the nearest
        // indexed ancestor. Every diagnostic in the file says so (`Parsed::diag`).
        let (line, col, _) = place(*e.marker(), 1);
        file.index_stopped = Some((line.max(1), col, e.info().to_owned()));
    }
    Ok(file)
}

/// serde_yaml appends " at line X column Y" to messages; the place is rendered separately.
fn clean_serde_yaml_message(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// The construct a syntax error happened in and where it started, from serde_yaml's
/// "..., while parsing a flow sequence at line 2 column 9" gives the list `[` at 2:9.
fn syntax_context(msg: &str) -> Option<(String, u32, u32)> {
    let (_, ctx) = msg.split_once(", while ")?;
    let (what, place) = ctx.rsplit_once(" at line ")?;
    let (line, col) = place.split_once(" column ")?;
    let what = what
        .trim_start_matches("parsing ")
        .trim_start_matches("scanning ");
    let what = what.strip_prefix("a ").unwrap_or(what);
    let what = match what {
        "flow sequence" => "the list `[`".to_string(),
        "flow mapping" => "the mapping `{`".to_string(),
        "quoted scalar" => "the quoted text".to_string(),
        "block mapping" => "the mapping".to_string(),
        "block collection" => "the indented block".to_string(),
        "simple key" => "the key".to_string(),
        other => format!("the {other}"),
    };
    Some((what, line.trim().parse().ok()?, col.trim().parse().ok()?))
}

fn syntax_hint(message: &str) -> Option<String> {
    let hint = if message.contains("recursion limit") {
        "the spec nests deeper than 128 levels: no spec needs that; flatten it"
    } else if message.contains("repetition limit") {
        "aliases expand to an enormous document: use fewer `*alias` references"
    } else if message.contains("control characters") {
        "the file is not text: remove control characters or binary data"
    } else if message.contains("mapping values are not allowed") {
        "a plain value contains `: `; quote the value"
    } else if message.contains("did not find expected") || message.contains("found unexpected") {
        "check indentation and that every `[`, `{` and quote is closed"
    } else {
        "fix the YAML syntax here; quote values that contain `: `, ` #`, `[` or `{`"
    };
    Some(hint.to_string())
}

/// Escapes a mapping key as a JSON Pointer segment.
pub(crate) fn ptr_segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Line, column and length of a node.
type Place = (u32, u32, u32);

#[derive(Default)]
struct Indexer {
    stack: Vec<Frame>,
    index: HashMap<String, Entry>,
    /// Duplicate key, where it is repeated, and where it first appeared.
    duplicates: Vec<(String, Place, (u32, u32))>,
    documents: usize,
}

enum Frame {
    Seq {
        ptr: String,
        next: usize,
    },
    Map {
        ptr: String,
        pending_key: Option<(String, (u32, u32, u32))>,
        seen: HashMap<String, (u32, u32)>,
        complex_key_depth: usize,
    },
}

fn place(mark: Marker, len: usize) -> (u32, u32, u32) {
    (mark.line() as u32, mark.col() as u32 + 1, len.max(1) as u32)
}

fn scalar_len(value: &str, style: TScalarStyle) -> usize {
    let n = value.lines().next().unwrap_or("").chars().count();
    match style {
        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => n + 2,
        TScalarStyle::Literal | TScalarStyle::Folded => 1,
        _ => n,
    }
}

impl Indexer {
    /// Records a node (scalar, alias, or the start of a collection) and returns its pointer.
    fn node(&mut self, at: (u32, u32, u32), key_text: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => {
                self.index.insert(
                    String::new(),
                    Entry {
                        key: None,
                        value: at,
                    },
                );
                Some(String::new())
            }
            Some(Frame::Seq { ptr, next }) => {
                let p = format!("{ptr}/{next}");
                *next += 1;
                self.index.insert(
                    p.clone(),
                    Entry {
                        key: None,
                        value: at,
                    },
                );
                Some(p)
            }
            Some(Frame::Map {
                ptr,
                pending_key,
                seen,
                complex_key_depth,
            }) => {
                if *complex_key_depth > 0 {
                    return None;
                }
                match pending_key.take() {
                    None => {
                        // This node is a key. Only scalar keys are indexed.
                        if let Some(k) = key_text {
                            if let Some(first) = seen.get(k) {
                                self.duplicates.push((k.to_string(), at, *first));
                            } else {
                                seen.insert(k.to_string(), (at.0, at.1));
                            }
                            *pending_key = Some((k.to_string(), at));
                        } else {
                            *pending_key = Some((String::new(), at));
                        }
                        None
                    }
                    Some((k, key_at)) => {
                        let p = format!("{ptr}/{}", ptr_segment(&k));
                        self.index.insert(
                            p.clone(),
                            Entry {
                                key: Some(key_at),
                                value: at,
                            },
                        );
                        Some(p)
                    }
                }
            }
        }
    }

    fn is_key_position(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Map {
                pending_key: None,
                complex_key_depth: 0,
                ..
            })
        )
    }
}

impl MarkedEventReceiver for Indexer {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::DocumentStart => self.documents += 1,
            Event::Scalar(value, style, _, _) => {
                let at = place(mark, scalar_len(&value, style));
                self.node(at, Some(&value));
            }
            Event::Alias(_) => {
                self.node(place(mark, 1), Some("*alias"));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let is_map = matches!(ev, Event::MappingStart(..));
                if let Some(Frame::Map {
                    complex_key_depth, ..
                }) = self.stack.last_mut()
                {
                    if *complex_key_depth > 0 {
                        *complex_key_depth += 1;
                        return;
                    }
                }
                if self.is_key_position() {
                    // A collection used as a key: not indexed; skip until it closes.
                    if let Some(Frame::Map {
                        complex_key_depth,
                        pending_key,
                        ..
                    }) = self.stack.last_mut()
                    {
                        *complex_key_depth = 1;
                        *pending_key = Some((String::new(), place(mark, 1)));
                    }
                    return;
                }
                let ptr = self.node(place(mark, 1), None).unwrap_or_default();
                self.stack.push(if is_map {
                    Frame::Map {
                        ptr,
                        pending_key: None,
                        seen: HashMap::new(),
                        complex_key_depth: 0,
                    }
                } else {
                    Frame::Seq { ptr, next: 0 }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(Frame::Map {
                    complex_key_depth, ..
                }) = self.stack.last_mut()
                {
                    if *complex_key_depth > 0 {
                        *complex_key_depth -= 1;
                        return;
                    }
                }
                self.stack.pop();
            }
            _ => {}
        }
    }
}
