//! The loader never panics and never hangs: random bytes, random YAML, mutations of a valid
//! spec and pathological inputs (alias bombs, deep nesting, huge files) all come back as
//! diagnostics. Every random test is seeded, so a failure replays exactly.

use std::collections::BTreeMap;
use std::path::PathBuf;

use codegen::Diagnostics;

/// Cases per random test: enough to reach every stage, few enough for a fast debug build.
const CASES: usize = 256;

/// SplitMix64: small, seeded, good enough to pick test inputs.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len())]
    }
}

fn minimal() -> BTreeMap<String, String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    ["spec.yaml", "widgets.yaml"]
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(dir.join(f)).expect("fixture file");
            (f.to_string(), text)
        })
        .collect()
}

fn root_only(text: impl Into<String>) -> BTreeMap<String, String> {
    BTreeMap::from([("spec.yaml".to_string(), text.into())])
}

/// Checks that every diagnostic names a loaded file, a line of it and says something, and that
/// the whole set renders.
fn assert_well_formed(diags: &Diagnostics, files: &BTreeMap<String, String>, case: &str) {
    assert!(!diags.is_empty(), "{case}: an error without diagnostics");
    let lines: BTreeMap<&str, Vec<&str>> = files
        .iter()
        .map(|(name, text)| (name.as_str(), text.split('\n').collect()))
        .collect();
    for d in diags.iter() {
        assert!(!d.message.trim().is_empty(), "{case}: empty message:\n{d}");
        assert!(d.line >= 1 && d.col >= 1, "{case}: no place:\n{d}");
        let lines = lines
            .get(d.file.as_str())
            .unwrap_or_else(|| panic!("{case}: diagnostic names unknown file `{}`:\n{d}", d.file));
        assert!(
            d.line as usize <= lines.len(),
            "{case}: line {} of a {}-line file:\n{d}",
            d.line,
            lines.len()
        );
        if let Some(src) = &d.source_line {
            let actual = lines[d.line as usize - 1];
            assert_eq!(
                src,
                actual.trim_end_matches('\r'),
                "{case}: snippet is not line {}",
                d.line
            );
        }
    }
    let rendered = diags.to_string();
    assert!(
        rendered.ends_with(&format!(
            "the spec has {} error{}",
            diags.len(),
            if diags.len() == 1 { "" } else { "s" }
        )),
        "{case}: bad summary:\n{rendered}"
    );
}

/// Loads and requires an error, returning the diagnostics.
fn expect_err(files: &BTreeMap<String, String>, case: &str) -> Diagnostics {
    match codegen::load_files(files) {
        Ok(_) => panic!("{case}: loaded without errors"),
        Err(d) => {
            assert_well_formed(&d, files, case);
            d
        }
    }
}

/// Loads; a mutation may leave the spec valid, but an error must be well formed, and a spec the
/// checker accepts must render every output without panicking.
fn load_any(files: &BTreeMap<String, String>, case: &str) -> bool {
    match codegen::load_files(files) {
        Ok(model) => {
            codegen::emit::all(&model);
            true
        }
        Err(d) => {
            assert_well_formed(&d, files, case);
            false
        }
    }
}

#[test]
fn random_bytes_are_errors() {
    let mut rng = Rng::new(0x5eed_0001);
    // Bytes biased towards YAML's own punctuation, so the parser gets past the first character.
    let yamlish = b"abc:-[]{}#&*!|>'\"%@`, \n\t0123456789.~?";
    for i in 0..CASES {
        let len = rng.below(600);
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                if rng.chance(70) {
                    *rng.pick(yamlish)
                } else {
                    rng.next() as u8
                }
            })
            .collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = expect_err(&root_only(text), &format!("random bytes #{i}"));
    }
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..=rng.below(3) {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len());
        match rng.below(6) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            3 | 4 => {
                // Replace one character with a character that matters to YAML or to the spec.
                let chars: Vec<char> = lines[i].chars().collect();
                if !chars.is_empty() {
                    let at = rng.below(chars.len());
                    let with = *rng.pick(&[
                        ':', '-', ' ', '[', ']', '{', '}', '"', '\'', '&', '*', '!', '#', '\t',
                        '.', '_', 'A', 'z', '0', '>', '|', '<', ',', '%', '\u{0}', 'é',
                    ]);
                    lines[i] = chars
                        .iter()
                        .enumerate()
                        .map(|(k, c)| if k == at { with } else { *c })
                        .collect();
                }
            }
            _ => {
                // Truncate the line, and the file after it.
                let keep = rng.below(lines[i].chars().count() + 1);
                lines[i] = lines[i].chars().take(keep).collect();
                lines.truncate(i + 1);
            }
        }
    }
    let mut out = lines.join("\n");
    if rng.chance(80) {
        out.push('\n');
    }
    out
}

#[test]
fn mutations_of_a_valid_spec_never_panic() {
    let base = minimal();
    let mut rng = Rng::new(0x5eed_0002);
    let mut failed = 0;
    for i in 0..CASES {
        let mut files = base.clone();
        let name = if rng.chance(30) {
            "spec.yaml"
        } else {
            "widgets.yaml"
        };
        let mutated = mutate(&mut rng, &files[name]);
        files.insert(name.to_string(), mutated);
        if !load_any(&files, &format!("mutation #{i} of {name}")) {
            failed += 1;
        }
    }
    // The mutations are meant to break things; if most load, they test nothing.
    assert!(
        failed > CASES / 2,
        "only {failed} of {CASES} mutations were rejected"
    );
}

const KEYS: &[&str] = &[
    "package",
    "envelope",
    "include",
    "types",
    "events",
    "fields",
    "values",
    "type",
    "description",
    "id",
    "resource",
    "title",
    "examples",
    "data",
    "name",
    "version",
    "schema_base_url",
    "signing",
    "optional",
    "nullable",
    "const",
    "since",
    "deprecated",
    "widget.created",
    "widget",
    "Widget",
    "WidgetId",
    "Event",
    "status",
    "created_at",
    "in-progress",
    "self",
    "\"quoted key\"",
    "? complex",
    "1",
];

const SCALARS: &[&str] = &[
    "string",
    "integer",
    "datetime",
    "json",
    "array<Widget>",
    "map<array<string>>",
    "array<",
    "event_type",
    "event_data",
    "Widget",
    "WidgetId",
    "widgets.yaml",
    "spec.yaml",
    "true",
    "false",
    "null",
    "~",
    "1.2.0",
    "0.1",
    "-7",
    "1e400",
    "wid_1",
    "evt_1",
    "2025-01-15T09:30:00Z",
    "''",
    "\"a: b\"",
    "\"\\u0000\"",
    "!!str 3",
    "!!binary aGk=",
    "!custom x",
    "*anchor",
    "&anchor value",
    "https://example.com/",
    "standard_webhooks",
    "é ü",
];

/// A random YAML node, in block or flow style, sometimes not quite valid YAML.
fn gen_node(rng: &mut Rng, depth: usize, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match if depth == 0 { 0 } else { rng.below(5) } {
        0 | 1 => {
            out.push(' ');
            out.push_str(rng.word(SCALARS));
            out.push('\n');
        }
        2 => {
            out.push('\n');
            for _ in 0..1 + rng.below(4) {
                out.push_str(&pad);
                out.push_str(rng.word(KEYS));
                out.push(':');
                gen_node(rng, depth - 1, indent + 2, out);
            }
        }
        3 => {
            out.push('\n');
            for _ in 0..1 + rng.below(3) {
                out.push_str(&pad);
                out.push('-');
                gen_node(rng, depth - 1, indent + 2, out);
            }
        }
        _ => {
            out.push(' ');
            gen_flow(rng, depth, out);
            out.push('\n');
        }
    }
}

fn gen_flow(rng: &mut Rng, depth: usize, out: &mut String) {
    if depth == 0 || rng.chance(40) {
        out.push_str(rng.word(SCALARS));
        return;
    }
    let map = rng.chance(50);
    out.push(if map { '{' } else { '[' });
    for k in 0..rng.below(4) {
        if k > 0 {
            out.push_str(", ");
        }
        if map {
            out.push_str(rng.word(KEYS));
            out.push_str(": ");
        }
        gen_flow(rng, depth - 1, out);
    }
    // Now and then the collection is left open.
    if !rng.chance(5) {
        out.push(if map { '}' } else { ']' });
    }
}

fn gen_document(rng: &mut Rng, top_keys: &[&'static str]) -> String {
    let mut out = String::new();
    if rng.chance(10) {
        out.push_str("base: &anchor\n  description: shared\n");
    }
    for _ in 0..1 + rng.below(4) {
        out.push_str(rng.word(top_keys));
        out.push(':');
        let depth = 1 + rng.below(5);
        gen_node(rng, depth, 2, &mut out);
    }
    out
}

#[test]
fn random_yaml_is_an_error() {
    let mut rng = Rng::new(0x5eed_0003);
    for i in 0..CASES {
        let mut files = root_only(gen_document(
            &mut rng,
            &[
                "package", "envelope", "include", "types", "events", "pakage",
            ],
        ));
        if rng.chance(50) {
            files.insert(
                "widgets.yaml".to_string(),
                gen_document(&mut rng, &["types", "events", "include"]),
            );
        }
        let _ = expect_err(&files, &format!("random YAML #{i}"));
    }
}

#[test]
fn random_yaml_inside_a_valid_spec_never_panics() {
    // The minimal root with a random included file: reaches lowering and the example checks.
    let base = minimal();
    let mut rng = Rng::new(0x5eed_0004);
    for i in 0..CASES {
        let mut files = base.clone();
        let mut widgets = base["widgets.yaml"].clone();
        // Append a random type or event to the valid file, or replace it outright.
        if rng.chance(70) {
            let section = if widgets.contains("\nevents:") && rng.chance(50) {
                "events"
            } else {
                "types"
            };
            let at = widgets.find(&format!("{section}:\n")).unwrap_or(0) + section.len() + 2;
            let mut node = String::from("  ");
            node.push_str(rng.word(&["Gadget", "widget.updated", "widget.created", "Widget"]));
            node.push(':');
            let depth = 1 + rng.below(4);
            gen_node(&mut rng, depth, 4, &mut node);
            widgets.insert_str(at, &node);
        } else {
            widgets = gen_document(&mut rng, &["types", "events"]);
        }
        files.insert("widgets.yaml".to_string(), widgets);
        load_any(&files, &format!("random YAML in a valid spec #{i}"));
    }
}

/// The spec is rejected with exactly one diagnostic, whose message and hint say these words; the
/// message, for a closer look.
fn assert_one_error(
    files: &BTreeMap<String, String>,
    case: &str,
    message: &str,
    hint: &str,
) -> String {
    let diags = expect_err(files, case);
    assert_eq!(diags.len(), 1, "{case}: expected one diagnostic:\n{diags}");
    let d = diags.iter().next().unwrap();
    assert!(d.message.contains(message), "{case}: {}", d.message);
    let got = d.hint.clone().unwrap_or_default();
    assert!(got.contains(hint), "{case}: {got}");
    d.message.clone()
}

#[test]
fn an_empty_spec_is_one_error() {
    for (case, text) in [
        ("empty", ""),
        ("whitespace", "  \n\n   \n"),
        ("comment", "# nothing yet\n"),
    ] {
        let message = assert_one_error(&root_only(text), case, "the file is empty", "`package`");
        assert_eq!(message, "the file is empty", "{case}");
    }
}

#[test]
fn a_nul_byte_is_a_syntax_error() {
    let mut files = minimal();
    let text = files["widgets.yaml"].replacen("A widget.", "A wid\0get.", 1);
    files.insert("widgets.yaml".into(), text);
    assert_one_error(&files, "NUL byte", "control characters", "not text");
}

#[test]
fn invalid_utf8_names_the_file_and_the_place() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("robustness-invalid-utf8");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in minimal() {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let mut bytes = std::fs::read(dir.join("widgets.yaml")).unwrap();
    // Line 2 is `  WidgetId: { id: wid_, ... }`: a Latin-1 byte in place of the `W`.
    let at = bytes.iter().position(|&b| b == b'W').unwrap();
    bytes[at] = 0xE9;
    std::fs::write(dir.join("widgets.yaml"), bytes).unwrap();

    let diags = codegen::load_dir(&dir).expect_err("invalid UTF-8 must not load");
    assert_eq!(diags.len(), 1, "{diags}");
    let d = diags.iter().next().unwrap();
    assert!(d.message.contains("not UTF-8"), "{}", d.message);
    assert_eq!(d.file, format!("{}/widgets.yaml", dir.display()));
    assert_eq!((d.line, d.col), (2, 3), "{d}");
    assert!(d.hint.as_deref().unwrap_or("").contains("UTF-8"), "{d}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_alias_bomb_is_an_error() {
    // "Billion laughs": nine levels of nine aliases each would expand to 9^9 strings.
    let mut text = String::from(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(", ");
        text.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    assert_one_error(&root_only(text), "alias bomb", "repetition limit", "alias");
}

#[test]
fn ten_thousand_levels_of_nesting_are_an_error() {
    for (case, text) in [
        (
            "lists",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        ),
        (
            "mappings",
            format!("{}1{}", "{a: ".repeat(10_000), "}".repeat(10_000)),
        ),
        ("unclosed", "[".repeat(10_000)),
    ] {
        let files = root_only(text);
        let diags = expect_err(&files, case);
        assert_eq!(diags.len(), 1, "{case}:\n{diags}");
        let d = diags.iter().next().unwrap();
        assert!(d.message.starts_with("invalid YAML"), "{case}: {d}");
        if case != "unclosed" {
            assert!(d.message.contains("recursion limit"), "{case}: {d}");
            assert!(d.hint.as_deref().unwrap_or("").contains("nests deeper"));
        }
        // The 10,000-character line is cut around the place, not printed whole.
        let rendered = diags.to_string();
        assert!(
            rendered.lines().all(|l| l.chars().count() < 240),
            "{case}: rendering has a very long line"
        );
    }
}

#[test]
fn a_huge_file_is_rejected_before_parsing() {
    let base = minimal();
    let block = &base["widgets.yaml"];
    let mut big = String::with_capacity(20_000_000 + block.len());
    while big.len() < 20_000_000 {
        big.push_str(block);
    }
    let mut files = base.clone();
    files.insert("widgets.yaml".into(), big);
    assert_one_error(&files, "20 MB file", "more than the limit", "split");
}

#[test]
fn a_large_file_of_repeated_content_is_an_error() {
    // Under the size limit, so it is parsed: the repeats are duplicate keys.
    let base = minimal();
    let block = &base["widgets.yaml"];
    let mut files = base.clone();
    files.insert("widgets.yaml".into(), block.repeat(1_000_000 / block.len()));
    let diags = expect_err(&files, "repeated content");
    assert!(
        diags.iter().all(|d| d.message.starts_with("duplicate key")),
        "{}",
        diags.iter().next().unwrap()
    );
}
