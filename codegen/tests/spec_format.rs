//! The JSON Schemas of the spec format (`generated/spec-schema/`), which editors validate spec
//! files with as they are typed, against the checker they are generated beside.
//!
//! The checker is the reference: a schema that rejects what the checker accepts would put false
//! errors in every editor, and one that misses a mistake of a file's shape would leave it to the
//! next `cargo xtask check`. So each test compares the two verdicts on the same file: the schema
//! rejects a file exactly when the checker reports a mistake of its shape
//! ([`DiagnosticKind::Shape`]) in it.

mod corpus;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use codegen::emit::spec_format::{self, schema};
use codegen::format::{self, Section};
use codegen::{Diagnostic, DiagnosticKind};
use jsonschema::Validator;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

use corpus::crate_dir;

fn repo_dir() -> PathBuf {
    crate_dir().parent().unwrap().to_path_buf()
}

fn is_root(file_name: &str) -> bool {
    file_name == codegen::ROOT_FILE
}

/// The schema of a file by its name: the root's, or an included file's.
fn file_schema(file_name: &str) -> &'static Section {
    if is_root(file_name) {
        &format::ROOT_FILE
    } else {
        &format::INCLUDED_FILE
    }
}

/// Both schemas, compiled as draft-07 (what they declare).
struct Validators {
    root: Validator,
    included: Validator,
}

impl Validators {
    fn new() -> Self {
        let build =
            |s| jsonschema::draft7::new(&schema(s)).unwrap_or_else(|e| panic!("{}: {e}", s.name));
        Validators {
            root: build(&format::ROOT_FILE),
            included: build(&format::INCLUDED_FILE),
        }
    }

    fn for_file(&self, file_name: &str) -> &Validator {
        if is_root(file_name) {
            &self.root
        } else {
            &self.included
        }
    }

    /// The schema's errors for a file, one per line; empty if it accepts the file.
    fn errors(&self, file_name: &str, doc: &Json) -> String {
        self.for_file(file_name)
            .iter_errors(doc)
            .map(|e| format!("  {}: {e}", e.instance_path()))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A YAML file as the data an editor validates: `None` when it does not read as JSON data (bad
/// syntax, a duplicate or non-string key), which the editor's YAML parser reports instead.
fn as_json(text: &str) -> Option<Json> {
    let yaml: Yaml = serde_yaml::from_str(text).ok()?;
    serde_json::to_value(yaml).ok()
}

/// The `.yaml` files of a directory, by name.
fn yaml_files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = fs::read(&path).unwrap();
            // A file that is not UTF-8 is no YAML data either; keep it as empty-named garbage.
            out.insert(name, String::from_utf8(bytes).unwrap_or_default());
        }
    }
    out
}

/// Names of the files in which the checker reports a mistake of the given kind.
fn files_with(diags: &[Diagnostic], kind: DiagnosticKind) -> BTreeSet<String> {
    diags
        .iter()
        .filter(|d| d.kind == kind)
        .map(|d| d.file.rsplit('/').next().unwrap_or(&d.file).to_string())
        .collect()
}

#[test]
fn both_schemas_are_valid_draft_07() {
    for s in [&format::ROOT_FILE, &format::INCLUDED_FILE] {
        let doc = schema(s);
        assert_eq!(doc["$schema"], spec_format::DRAFT);
        if let Err(e) = jsonschema::draft7::meta::validate(&doc) {
            panic!("the schema of {} is not valid draft-07: {e}", s.title);
        }
    }
}

#[test]
fn every_file_of_the_real_spec_and_the_fixtures_is_valid() {
    let validators = Validators::new();
    let mut dirs = vec![repo_dir().join("spec")];
    for entry in fs::read_dir(crate_dir().join("tests/fixtures")).unwrap() {
        dirs.push(entry.unwrap().path());
    }
    let mut checked = 0;
    for dir in dirs {
        codegen::load_dir(&dir).unwrap_or_else(|d| panic!("{}: {d}", dir.display()));
        for (name, text) in yaml_files(&dir) {
            let doc = as_json(&text).unwrap_or_else(|| panic!("{name}: not YAML data"));
            let errors = validators.errors(&name, &doc);
            assert!(
                errors.is_empty(),
                "{}/{name} is valid for the checker but not for the schema:\n{errors}",
                dir.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} files checked");
}

/// Walks the corpus of broken specs: in every file of every case, the schema rejects the file
/// exactly when the checker reports a mistake of its shape there. Cases are classified by the
/// checker's own diagnostics, so a new case joins without being listed here.
#[test]
fn the_schema_rejects_exactly_the_broken_specs_whose_shape_is_wrong() {
    let validators = Validators::new();
    let cases = corpus::cases();
    let mut failures = Vec::new();
    let mut counts = BTreeMap::<&str, usize>::new();
    for case in &cases {
        let case_name = &case.name;
        let diags: Vec<Diagnostic> = match case.load() {
            Ok(_) => {
                failures.push(format!("{case_name}: the checker accepts it"));
                continue;
            }
            Err(d) => d.iter().cloned().collect(),
        };
        let syntax = files_with(&diags, DiagnosticKind::Syntax);
        let shape = files_with(&diags, DiagnosticKind::Shape);
        for (name, text) in &case.files {
            let name = name.clone();
            let doc = as_json(text);
            if syntax.contains(&name) {
                *counts.entry("not YAML data").or_default() += 1;
                if doc.is_some() {
                    failures.push(format!(
                        "{case_name}/{name}: the checker reports a syntax mistake, but the file reads as YAML data"
                    ));
                }
                continue;
            }
            let Some(doc) = doc else {
                failures.push(format!(
                    "{case_name}/{name}: the file does not read as YAML data, but the checker reports no syntax mistake"
                ));
                continue;
            };
            let errors = validators.errors(&name, &doc);
            let wants_rejection = shape.contains(&name);
            let in_file: Vec<String> = diags
                .iter()
                .filter(|d| d.file.ends_with(&format!("/{name}")))
                .map(|d| format!("  {:?}: {}", d.kind, d.message))
                .collect();
            match (wants_rejection, errors.is_empty()) {
                (true, true) => failures.push(format!(
                    "{case_name}/{name}: the schema accepts a file whose shape the checker rejects:\n{}",
                    in_file.join("\n")
                )),
                (false, false) => failures.push(format!(
                    "{case_name}/{name}: the schema rejects a file whose shape the checker accepts:\n{errors}\nchecker:\n{}",
                    in_file.join("\n")
                )),
                (true, false) => *counts.entry("rejected for its shape").or_default() += 1,
                (false, true) => *counts.entry("accepted").or_default() += 1,
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements over {} cases:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
    println!("{} cases, files by verdict: {counts:?}", cases.len());
    // Both verdicts must actually occur, or the comparison proves nothing.
    for kind in ["rejected for its shape", "accepted", "not YAML data"] {
        assert!(
            counts.get(kind).is_some_and(|&n| n > 0),
            "no corpus file is {kind}: {counts:?}"
        );
    }
    assert!(
        counts["rejected for its shape"] >= 20,
        "only {counts:?}: the corpus lost its shape mistakes"
    );
}

/// A spec held as YAML values, to change one thing and ask both the checker and the schema.
#[derive(Clone)]
struct Probe {
    files: BTreeMap<String, Yaml>,
}

/// What the checker and the schema make of a spec, per file.
struct Verdicts {
    /// Files where the checker reports a mistake of shape, with the messages.
    checker: BTreeMap<String, Vec<String>>,
    /// Files the schema rejects, with its errors.
    schema: BTreeMap<String, String>,
}

impl Probe {
    /// The minimal fixture with every optional key of the format added somewhere, so that every
    /// key of every section is present at least once.
    fn every_key() -> Probe {
        let files = corpus::base()
            .into_iter()
            .map(|(name, text)| (name, serde_yaml::from_str(&text).unwrap()))
            .collect();
        let mut p = Probe { files };
        let y = |text: &str| -> Yaml { serde_yaml::from_str(text).unwrap() };
        p.set("spec.yaml", &["package", "signing"], y("none"));
        let widgets = "widgets.yaml";
        p.set(widgets, &["types", "Widget", "title"], y("Widgets"));
        p.set(widgets, &["types", "Widget", "since"], y("\"1.0.0\""));
        p.set(widgets, &["types", "Widget", "deprecated"], y("use Gadget"));
        p.set(
            widgets,
            &["types", "WidgetColor"],
            y("{ description: A colour., values: { red: Red. } }"),
        );
        let fields = ["types", "Widget", "fields"];
        p.set(
            widgets,
            &[&fields[..], &["size", "deprecated"]].concat(),
            y("true"),
        );
        p.set(
            widgets,
            &[&fields[..], &["size", "since"]].concat(),
            y("\"1.1.0\""),
        );
        p.set(
            widgets,
            &[&fields[..], &["status", "values", "active"]].concat(),
            y("{ description: In use., deprecated: true, since: \"1.0.0\" }"),
        );
        p.set(
            widgets,
            &[&fields[..], &["dims"]].concat(),
            y("{ description: Dimensions., optional: true, fields: { w: { type: integer, description: Width. } } }"),
        );
        let created = ["events", "widget.created"];
        p.set(widgets, &[&created[..], &["data"]].concat(), y("Widget"));
        p.set(
            widgets,
            &[&created[..], &["since"]].concat(),
            y("\"1.0.0\""),
        );
        p.set(
            widgets,
            &[&created[..], &["deprecated"]].concat(),
            y("use widget.made"),
        );
        let v = p.verdicts(&Validators::new());
        assert!(
            v.checker.is_empty() && v.schema.is_empty(),
            "the probe spec must be valid: {:?} {:?}",
            v.checker,
            v.schema
        );
        p
    }

    fn get(&self, file: &str, path: &[&str]) -> &Yaml {
        let mut v = &self.files[file];
        for seg in path {
            v = v
                .get(*seg)
                .unwrap_or_else(|| panic!("{file}: no `{seg}` in {path:?}"));
        }
        v
    }

    fn get_mut(&mut self, file: &str, path: &[&str]) -> &mut Yaml {
        let mut v = self.files.get_mut(file).unwrap();
        for seg in path {
            v = v
                .get_mut(*seg)
                .unwrap_or_else(|| panic!("{file}: no `{seg}` in {path:?}"));
        }
        v
    }

    /// Sets the value at `path` (the last key is added if missing).
    fn set(&mut self, file: &str, path: &[&str], value: Yaml) {
        let (last, parent) = path.split_last().expect("a path");
        let Yaml::Mapping(m) = self.get_mut(file, parent) else {
            panic!("{file}: {parent:?} is not a mapping")
        };
        m.insert(Yaml::from(*last), value);
    }

    /// Renames the key at `path`, keeping its value.
    fn rename(&mut self, file: &str, path: &[&str], to: &str) {
        let (last, parent) = path.split_last().expect("a path");
        let Yaml::Mapping(m) = self.get_mut(file, parent) else {
            panic!("{file}: {parent:?} is not a mapping")
        };
        let value = m.remove(*last).expect("the key exists");
        m.insert(Yaml::from(to), value);
    }

    fn remove(&mut self, file: &str, path: &[&str]) {
        let (last, parent) = path.split_last().expect("a path");
        let Yaml::Mapping(m) = self.get_mut(file, parent) else {
            panic!("{file}: {parent:?} is not a mapping")
        };
        m.remove(*last).expect("the key exists");
    }

    fn texts(&self) -> BTreeMap<String, String> {
        self.files
            .iter()
            .map(|(name, v)| (name.clone(), serde_yaml::to_string(v).unwrap()))
            .collect()
    }

    fn diagnostics(&self) -> Vec<Diagnostic> {
        match codegen::load_files(&self.texts()) {
            Ok(_) => Vec::new(),
            Err(d) => d.iter().cloned().collect(),
        }
    }

    fn verdicts(&self, validators: &Validators) -> Verdicts {
        let mut checker: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for d in self.diagnostics() {
            if d.kind == DiagnosticKind::Shape {
                checker.entry(d.file.clone()).or_default().push(d.message);
            }
        }
        let mut schema = BTreeMap::new();
        for (name, text) in self.texts() {
            let errors = validators.errors(&name, &as_json(&text).unwrap());
            if !errors.is_empty() {
                schema.insert(name, errors);
            }
        }
        Verdicts { checker, schema }
    }
}

impl Verdicts {
    /// Whether both reject the same files; otherwise a description of the difference.
    fn agree(&self) -> Result<bool, String> {
        let a: BTreeSet<&String> = self.checker.keys().collect();
        let b: BTreeSet<&String> = self.schema.keys().collect();
        if a == b {
            Ok(!a.is_empty())
        } else {
            Err(format!(
                "the checker rejects the shape of {a:?}: {:?}\nthe schema rejects {b:?}:\n{}",
                self.checker,
                self.schema.values().cloned().collect::<Vec<_>>().join("\n")
            ))
        }
    }
}

/// One mapping of the probe spec and the section of the format it is.
struct Place {
    file: &'static str,
    path: Vec<&'static str>,
    section: &'static Section,
}

fn places() -> Vec<Place> {
    let place = |file, path: &[&'static str], section| Place {
        file,
        path: path.to_vec(),
        section,
    };
    let widget = ["types", "Widget"];
    let field = |rest: &[&'static str]| [&widget[..], &["fields"], rest].concat();
    vec![
        place("spec.yaml", &[], &format::ROOT_FILE),
        place("spec.yaml", &["package"], &format::PACKAGE),
        place("spec.yaml", &["envelope"], &format::ENVELOPE),
        place(
            "spec.yaml",
            &["envelope", "fields", "request_id"],
            &format::FIELD,
        ),
        place("widgets.yaml", &[], &format::INCLUDED_FILE),
        place("widgets.yaml", &widget, &format::TYPE),
        place("widgets.yaml", &["types", "WidgetId"], &format::TYPE),
        place("widgets.yaml", &["types", "WidgetColor"], &format::TYPE),
        place("widgets.yaml", &field(&["size"]), &format::FIELD),
        place("widgets.yaml", &field(&["status"]), &format::FIELD),
        place("widgets.yaml", &field(&["dims"]), &format::FIELD),
        place(
            "widgets.yaml",
            &field(&["status", "values", "active"]),
            &format::VALUE,
        ),
        place(
            "widgets.yaml",
            &["events", "widget.created"],
            &format::EVENT,
        ),
    ]
}

/// The schema node that validates the value at `path` of a file: follows `properties`,
/// `additionalProperties`, `allOf` and `$ref`, and of an `anyOf` the branch that is a mapping.
fn schema_at<'s>(root: &'s Json, path: &[&str]) -> &'s Json {
    let resolve = |mut node: &'s Json| loop {
        if let Some(r) = node.get("$ref").and_then(Json::as_str) {
            let name = r.strip_prefix("#/definitions/").expect("a local reference");
            node = &root["definitions"][name];
        } else if let Some([only]) = node
            .get("allOf")
            .and_then(Json::as_array)
            .map(Vec::as_slice)
        {
            node = only;
        } else if let Some(branches) = node.get("anyOf").and_then(Json::as_array) {
            node = branches
                .iter()
                .find(|b| b.get("$ref").is_some() || b.get("properties").is_some())
                .expect("a branch that is a mapping");
        } else {
            return node;
        }
    };
    let mut node = resolve(root);
    for seg in path {
        node = match node["properties"].get(*seg) {
            Some(p) => resolve(p),
            None => resolve(&node["additionalProperties"]),
        };
    }
    node
}

/// The keys the checker takes at a place, read from its own diagnostic: an unknown key far from
/// every known one gets the hint `expected one of ...`, listing them.
fn checker_keys(probe: &Probe, place: &Place) -> BTreeSet<String> {
    const ODD: &str = "zzzzzzzzzzzzzzzzzzzzzzzzzzzz";
    let mut p = probe.clone();
    p.set(
        place.file,
        &[&place.path[..], &[ODD]].concat(),
        Yaml::Bool(true),
    );
    let diags = p.diagnostics();
    let d = diags
        .iter()
        .find(|d| d.message.starts_with(&format!("unknown key `{ODD}`")))
        .unwrap_or_else(|| panic!("{:?}: no unknown-key diagnostic in {diags:#?}", place.path));
    assert_eq!(d.kind, DiagnosticKind::Shape, "{d}");
    let hint = d.hint.as_deref().unwrap_or_default();
    let listed = hint
        .strip_prefix("expected one of ")
        .unwrap_or_else(|| panic!("{:?}: unexpected hint {hint}", place.path));
    // Every other piece between backticks is a key: "expected one of `a`, `b` and `c`".
    listed
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_schemas_take_exactly_the_keys_the_checker_takes() {
    let probe = Probe::every_key();
    let mut seen = BTreeSet::new();
    for place in places() {
        let doc = schema(file_schema(place.file));
        let node = schema_at(&doc, &place.path);
        let in_schema: BTreeSet<String> = node["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{:?}: no properties in the schema", place.path))
            .keys()
            .cloned()
            .collect();
        assert_eq!(
            node["additionalProperties"],
            Json::Bool(false),
            "{:?}: the schema must refuse other keys, as the checker does",
            place.path
        );
        let in_checker = checker_keys(&probe, &place);
        assert_eq!(
            in_schema, in_checker,
            "{:?}: the schema's keys differ from the checker's",
            place.path
        );
        let in_table: BTreeSet<String> = place
            .section
            .key_names()
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(in_table, in_checker, "{:?}", place.path);
        seen.insert(place.section.name);
    }
    let all: BTreeSet<&str> = Section::all().iter().map(|s| s.name).collect();
    assert_eq!(seen, all, "every section is probed");
}

/// Leaves out each key present anywhere in the probe spec in turn: the schema rejects the file
/// exactly when the checker reports a mistake of its shape. This proves the required keys, and
/// the keys of which exactly one is present, the same in both.
#[test]
fn leaving_out_a_key_is_a_mistake_for_both_or_for_neither() {
    let validators = Validators::new();
    let probe = Probe::every_key();
    let mut required_seen = BTreeSet::new();
    let mut failures = Vec::new();
    for place in places() {
        let Yaml::Mapping(m) = probe.get(place.file, &place.path) else {
            panic!("{:?} is not a mapping", place.path)
        };
        for key in m.keys().filter_map(Yaml::as_str) {
            let mut p = probe.clone();
            p.remove(place.file, &[&place.path[..], &[key]].concat());
            match p.verdicts(&validators).agree() {
                Ok(rejected) => {
                    let required = place.section.key(key).is_some_and(|k| k.required);
                    if required {
                        required_seen.insert((place.section.name, key.to_string()));
                        if !rejected {
                            failures.push(format!(
                                "{:?}: `{key}` is required, but neither rejects its absence",
                                place.path
                            ));
                        }
                    }
                }
                Err(e) => failures.push(format!("{:?} without `{key}`:\n{e}", place.path)),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for s in Section::all() {
        for k in s.keys.iter().filter(|k| k.required) {
            assert!(
                required_seen.contains(&(s.name, k.name.to_string())),
                "required `{}` of {} was never left out",
                k.name,
                s.title
            );
        }
    }
}

/// Values of each form, good and bad: the schema's patterns and closed sets agree with the
/// checker's own rules on every one.
#[test]
fn the_schemas_judge_values_as_the_checker_does() {
    let validators = Validators::new();
    let probe = Probe::every_key();
    let y = |text: &str| -> Yaml { serde_yaml::from_str(text).unwrap() };
    let field = |key: &'static str| vec!["types", "Widget", "fields", "tags", key];
    let cases: Vec<(&str, Vec<&str>, Vec<&str>)> = vec![
        (
            "spec.yaml",
            vec!["package", "version"],
            vec![
                "\"1.2.0\"",
                "\"1.2.10\"",
                "1.2",
                "\"01.2.0\"",
                "\"1.2\"",
                "\"1.2.0.0\"",
                "\"v1.2.0\"",
                "\"1.2.0-beta\"",
                "\"\"",
            ],
        ),
        (
            "spec.yaml",
            vec!["package", "name"],
            vec![
                "mini-events",
                "mini_events2",
                "Mini",
                "9lives",
                "mini events",
                "\"\"",
                "-mini",
            ],
        ),
        (
            "spec.yaml",
            vec!["package", "schema_base_url"],
            vec![
                "https://x.test/",
                "http://ab",
                "https://a",
                "http://a",
                "https://",
                "ftp://x.test/",
                "https://a b",
                "x.test",
            ],
        ),
        (
            "spec.yaml",
            vec!["package", "signing"],
            vec![
                "none",
                "standard_webhooks",
                "standard-webhooks",
                "hmac",
                "true",
                "\"\"",
            ],
        ),
        (
            "spec.yaml",
            vec!["package", "title"],
            vec!["Mini", "2024", "[a]", "{ a: b }"],
        ),
        (
            "widgets.yaml",
            vec!["types", "WidgetId", "id"],
            vec!["wid_", "W1_", "\"\"", "wid-", "\"wid \""],
        ),
        (
            "widgets.yaml",
            field("type"),
            vec![
                "string",
                "\"array<string>\"",
                "\"map<array<Widget>>\"",
                "\" array< string > \"",
                "Widget",
                "Nope",
                "\"array<string\"",
                "\"array<>\"",
                "\"array<string>>\"",
                "\"list<string>\"",
                "\"map<json\"",
                "\"a b\"",
            ],
        ),
        (
            "widgets.yaml",
            field("optional"),
            vec!["true", "false", "\"true\"", "yes", "1"],
        ),
        (
            "widgets.yaml",
            field("deprecated"),
            vec!["true", "false", "use labels", "1", "[a]"],
        ),
        (
            "widgets.yaml",
            field("description"),
            vec!["Tags.", "42", "\"\"", "\"   \"", "[a]"],
        ),
        (
            "widgets.yaml",
            field("since"),
            vec!["\"1.0.0\"", "1.0", "\"1.0\"", "\"01.0.0\""],
        ),
        (
            "widgets.yaml",
            vec!["types", "Widget", "fields", "status", "values", "active"],
            vec![
                "In use.",
                "42",
                "null",
                "\"\"",
                "true",
                "{ description: In use. }",
            ],
        ),
        (
            "widgets.yaml",
            vec!["types", "WidgetColor", "values"],
            vec!["{ red: Red. }", "{}", "null", "[red]"],
        ),
        (
            "widgets.yaml",
            vec!["events", "widget.created", "examples"],
            vec!["[]", "null", "{ a: b }"],
        ),
    ];
    let mut failures = Vec::new();
    let mut rejected = 0;
    for (file, path, samples) in &cases {
        for sample in samples {
            let mut p = probe.clone();
            p.set(file, path, y(sample));
            match p.verdicts(&validators).agree() {
                Ok(r) => rejected += usize::from(r),
                Err(e) => failures.push(format!("{path:?} = {sample}:\n{e}")),
            }
        }
    }
    let renames: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["types", "WidgetColor"],
            vec!["Colour", "HTTPColour", "colour", "Widget_Colour", "W1"],
        ),
        (
            vec!["events", "widget.deleted"],
            vec![
                "widget.removed",
                "widget.removed2",
                "widget.Removed",
                "Widget.removed",
                "widget_removed",
                "widget.removed.soft",
                "widget.re__moved",
                "widget.removed_",
            ],
        ),
    ];
    for (path, names) in &renames {
        for name in names {
            let mut p = probe.clone();
            p.rename("widgets.yaml", path, name);
            match p.verdicts(&validators).agree() {
                Ok(r) => rejected += usize::from(r),
                Err(e) => failures.push(format!("{path:?} renamed {name}:\n{e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(rejected >= 30, "only {rejected} samples were mistakes");
}

#[test]
fn every_spec_file_names_its_schema_on_its_first_line() {
    let spec = repo_dir().join("spec");
    for (name, text) in yaml_files(&spec) {
        let schema_path = if is_root(&name) {
            spec_format::ROOT_SCHEMA_PATH
        } else {
            spec_format::INCLUDED_SCHEMA_PATH
        };
        let expected = format!("# yaml-language-server: $schema=../generated/{schema_path}");
        let first = text.lines().next().unwrap_or_default();
        assert_eq!(first, expected, "first line of spec/{name}");
        assert!(
            spec.join(format!("../generated/{schema_path}")).is_file(),
            "{schema_path} is not generated"
        );
    }
}

#[test]
fn the_key_reference_in_the_spec_readme_is_current() {
    let path = repo_dir().join("spec/README.md");
    let readme = fs::read_to_string(&path).unwrap().replace("\r\n", "\n");
    let spliced =
        spec_format::splice_readme(&readme).unwrap_or_else(|e| panic!("spec/README.md: {e}"));
    assert!(
        spliced == readme,
        "spec/README.md's key reference is out of date: run `cargo xtask codegen`"
    );
    // The reference documents every key of every section, with the table's own text.
    let reference = spec_format::readme_reference();
    for s in Section::all() {
        for k in s.keys {
            let row = format!("| `{}` |", k.name);
            assert!(reference.contains(&row), "no row for `{}`", k.name);
            assert!(reference.contains(k.doc), "no text for `{}`", k.name);
        }
    }
}

#[test]
fn splicing_replaces_only_the_reference() {
    let readme = format!(
        "# Spec\n\nBefore.\n\n{}\nstale\n{}\nAfter.\n",
        spec_format::README_START,
        spec_format::README_END
    );
    let spliced = spec_format::splice_readme(&readme).unwrap();
    assert!(spliced.starts_with("# Spec\n\nBefore.\n\n<!-- key-reference:start -->\n"));
    assert!(spliced.ends_with("<!-- key-reference:end -->\nAfter.\n"));
    assert!(!spliced.contains("stale"));
    assert_eq!(spec_format::splice_readme(&spliced).unwrap(), spliced);
    assert!(spec_format::splice_readme("# no markers\n").is_err());
}
