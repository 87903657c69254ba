//! Breaking-change classification: a table of spec edits, each a pair of small specs, with the
//! classification a maintainer should see.

use std::collections::BTreeMap;
use std::path::Path;

use codegen::diff::{Bump, Change, Impact, Report, diff};
use codegen::model::Version;

fn fixture() -> BTreeMap<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    ["spec.yaml", "widgets.yaml"]
        .into_iter()
        .map(|f| (f.to_string(), std::fs::read_to_string(dir.join(f)).unwrap()))
        .collect()
}

/// Applies `from → to` replacements to one file of the fixture; each must match exactly once, so
/// a fixture edit that silently stops applying fails the test.
fn edited(file: &str, edits: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut files = fixture();
    let text = files.get_mut(file).unwrap();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "edit {from:?} must match exactly once in {file}"
        );
        *text = text.replacen(from, to, 1);
    }
    files
}

fn report(new: BTreeMap<String, String>) -> Report {
    let old = codegen::load_files(&fixture()).expect("fixture loads");
    let new = codegen::load_files(&new).unwrap_or_else(|d| panic!("edited spec must load:\n{d}"));
    diff(Some(&old), Some(&new))
}

fn find<'a>(r: &'a Report, subject: &str) -> &'a Change {
    r.changes
        .iter()
        .find(|c| c.subject == subject)
        .unwrap_or_else(|| panic!("no change for {subject}; changes: {:#?}", r.changes))
}

/// (impact, breaks wire, breaks Rust)
fn class(c: &Change) -> (Impact, bool, bool) {
    (c.impact, c.wire, c.rust)
}

const B: Impact = Impact::Breaking;
const C: Impact = Impact::Compatible;
const D: Impact = Impact::Docs;

#[test]
fn unchanged_spec_has_no_changes() {
    let r = report(fixture());
    assert!(r.changes.is_empty(), "{:#?}", r.changes);
    assert_eq!(
        r.required_bump(Version {
            major: 1,
            minor: 2,
            patch: 0
        }),
        Bump::None
    );
}

#[test]
fn table_of_edits() {
    // (edit, file, replacements, subject, expected classification)
    type Case<'a> = (
        &'a str,
        &'a str,
        Vec<(&'a str, &'a str)>,
        &'a str,
        (Impact, bool, bool),
    );
    let cases: Vec<Case> = vec![
        (
            "adding an event type",
            "widgets.yaml",
            vec![(
                "  widget.deleted:\n",
                "  widget.archived:\n    description: A widget is archived.\n    examples:\n      - { id: evt_3, object: event, type: widget.archived, data: { id: wid_1, object: widget, status: active, created_at: \"2025-01-15T09:30:00Z\" }, created_at: \"2025-01-15T09:30:00Z\" }\n  widget.deleted:\n",
            )],
            "event widget.archived",
            (C, false, false),
        ),
        (
            "removing an event type",
            "widgets.yaml",
            vec![(
                "  widget.deleted:\n    description: A widget is deleted.\n    examples:\n      - { id: evt_2, object: event, type: widget.deleted, data: { id: wid_1, object: widget, status: active, created_at: \"2025-01-15T09:30:00Z\" }, created_at: \"2025-01-15T09:30:00Z\" }\n",
                "",
            )],
            "event widget.deleted",
            (B, true, true),
        ),
        (
            "adding an enum value",
            "widgets.yaml",
            vec![(
                "          active: In use.\n",
                "          active: In use.\n          retired: No longer in use.\n",
            )],
            "value WidgetStatus.retired",
            (C, false, false),
        ),
        (
            "removing an enum value",
            "widgets.yaml",
            vec![
                ("          active: In use.\n", ""),
                (
                    "status: active, created_at",
                    "status: in_progress, created_at",
                ),
            ],
            "value WidgetStatus.active",
            (B, true, true),
        ),
        (
            "adding an optional field",
            "widgets.yaml",
            vec![(
                "      ratio:",
                "      color: { type: string, optional: true, description: Colour. }\n      ratio:",
            )],
            "field Widget.color",
            (C, false, false),
        ),
        (
            "adding a required field",
            "widgets.yaml",
            vec![
                (
                    "      ratio:",
                    "      color: { type: string, description: Colour. }\n      ratio:",
                ),
                (
                    "          status: in_progress\n",
                    "          status: in_progress\n          color: red\n",
                ),
                (
                    "status: active, created_at",
                    "status: active, color: red, created_at",
                ),
            ],
            "field Widget.color",
            (B, true, true),
        ),
        (
            "renaming a field (seen as a removal and an addition)",
            "widgets.yaml",
            vec![(
                "      size: { type: integer,",
                "      byte_size: { type: integer,",
            )],
            "field Widget.size",
            (B, true, true),
        ),
        (
            "making an optional field nullable keeps its Rust type",
            "widgets.yaml",
            vec![(
                "size: { type: integer, optional: true,",
                "size: { type: integer, optional: true, nullable: true,",
            )],
            "field Widget.size",
            (B, true, false),
        ),
        (
            "making a required field nullable changes T to Option<T>",
            "widgets.yaml",
            vec![(
                "      created_at: { type: datetime, description: Creation time. }",
                "      created_at: { type: datetime, nullable: true, description: Creation time. }",
            )],
            "field Widget.created_at",
            (B, true, true),
        ),
        (
            "making a field required",
            "widgets.yaml",
            vec![
                (
                    "size: { type: integer, optional: true,",
                    "size: { type: integer,",
                ),
                (
                    "          status: in_progress\n",
                    "          status: in_progress\n          size: 3\n",
                ),
                (
                    "status: active, created_at",
                    "status: active, size: 1, created_at",
                ),
            ],
            "field Widget.size",
            (B, true, true),
        ),
        (
            "changing a field's type",
            "widgets.yaml",
            vec![("size: { type: integer,", "size: { type: number,")],
            "field Widget.size",
            (B, true, true),
        ),
        (
            "string to url changes the wire but not the Rust type",
            "widgets.yaml",
            vec![("home: { type: url,", "home: { type: string,")],
            "field Widget.home",
            (B, true, false),
        ),
        (
            "changing a description",
            "widgets.yaml",
            vec![("Size in bytes.", "Size of the widget in bytes.")],
            "field Widget.size",
            (D, false, false),
        ),
        (
            "changing an event description",
            "widgets.yaml",
            vec![("A widget is created.", "A widget was created.")],
            "event widget.created",
            (D, false, false),
        ),
        (
            "changing an example",
            "widgets.yaml",
            vec![("tags: [a, b]", "tags: [a, b, c]")],
            "event widget.created",
            (D, false, false),
        ),
        (
            "deprecating an event",
            "widgets.yaml",
            vec![(
                "    description: A widget is deleted.\n",
                "    description: A widget is deleted.\n    deprecated: use widget.archived\n",
            )],
            "event widget.deleted",
            (C, false, false),
        ),
        (
            "changing an ID prefix (the crate never rejects by prefix)",
            "spec.yaml",
            vec![("RequestId: { id: req_,", "RequestId: { id: rq_,")],
            "type RequestId",
            (C, false, false),
        ),
        (
            "making an envelope field optional",
            "spec.yaml",
            vec![(
                "created_at: { type: datetime, description: When it happened. }",
                "created_at: { type: datetime, optional: true, description: When it happened. }",
            )],
            "envelope field created_at",
            (B, true, true),
        ),
        (
            "changing the schema base URL",
            "spec.yaml",
            vec![(
                "https://schemas.example.com/mini/",
                "https://schemas.example.com/mini/v2/",
            )],
            "package",
            (B, true, false),
        ),
        (
            "adding a license to the registry metadata",
            "spec.yaml",
            vec![(
                "  schema_base_url: https://schemas.example.com/mini/\n",
                "  schema_base_url: https://schemas.example.com/mini/\n  license: MIT\n",
            )],
            "package",
            (D, false, false),
        ),
    ];
    let mut failures = Vec::new();
    for (name, file, edits, subject, expected) in cases {
        let r = report(edited(file, &edits));
        let got = class(find(&r, subject));
        if got != expected {
            failures.push(format!(
                "{name}: {subject} classified {got:?}, expected {expected:?}\n  changes: {:?}",
                r.changes
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn removing_an_event_group_breaks_every_event_and_the_resource() {
    // Replace the whole widgets file with an empty group-less file: every event and type goes.
    let mut files = fixture();
    files.insert(
        "widgets.yaml".into(),
        "types:\n  Gadget: { id: gad_, description: A gadget ID. }\n".into(),
    );
    let old = codegen::load_files(&fixture()).unwrap();
    // A spec with no events still loads; it is the removal that is reported.
    let new = codegen::load_files(&files).unwrap_or_else(|d| panic!("{d}"));
    let r = diff(Some(&old), Some(&new));
    for subject in ["event widget.created", "event widget.deleted"] {
        let c = find(&r, subject);
        assert_eq!(class(c), (B, true, true), "{subject}");
        assert!(
            c.removed_without_deprecation,
            "{subject} was not deprecated first"
        );
    }
    assert_eq!(find(&r, "type Widget").impact, B);
    assert_eq!(
        r.required_bump(Version {
            major: 1,
            minor: 2,
            patch: 0
        }),
        Bump::Major
    );
    assert_eq!(
        r.required_bump(Version {
            major: 0,
            minor: 4,
            patch: 1
        }),
        Bump::Minor
    );
}

#[test]
fn removing_a_deprecated_item_is_not_flagged_as_undeprecated() {
    let deprecated = edited(
        "widgets.yaml",
        &[(
            "          active: In use.\n",
            "          active: { description: In use., deprecated: true }\n",
        )],
    );
    let old = codegen::load_files(&deprecated).unwrap();
    let removed = edited(
        "widgets.yaml",
        &[
            ("          active: In use.\n", ""),
            (
                "status: active, created_at",
                "status: in_progress, created_at",
            ),
        ],
    );
    let new = codegen::load_files(&removed).unwrap();
    let r = diff(Some(&old), Some(&new));
    let c = find(&r, "value WidgetStatus.active");
    assert_eq!(c.impact, B);
    assert!(!c.removed_without_deprecation);
}

#[test]
fn version_check() {
    let v = |s: &str| Version::parse(s).unwrap();
    let breaking = report(edited(
        "widgets.yaml",
        &[("size: { type: integer,", "size: { type: number,")],
    ));
    assert!(breaking.check_version(v("1.2.0"), v("1.3.0")).is_err());
    assert!(breaking.check_version(v("1.2.0"), v("2.0.0")).is_ok());
    assert!(breaking.check_version(v("0.2.0"), v("0.2.1")).is_err());
    assert!(breaking.check_version(v("0.2.0"), v("0.3.0")).is_ok());
    let msg = breaking.check_version(v("1.2.0"), v("1.2.1")).unwrap_err();
    assert!(
        msg.contains("at least 2.0.0") && msg.contains("breaking"),
        "{msg}"
    );

    let additive = report(edited(
        "widgets.yaml",
        &[(
            "          active: In use.\n",
            "          active: In use.\n          retired: Gone.\n",
        )],
    ));
    assert!(additive.check_version(v("1.2.0"), v("1.2.1")).is_err());
    assert!(additive.check_version(v("1.2.0"), v("1.3.0")).is_ok());
    assert!(additive.check_version(v("0.2.0"), v("0.2.1")).is_err());
    assert!(additive.check_version(v("0.2.0"), v("0.3.0")).is_ok());

    let docs = report(edited("widgets.yaml", &[("Size in bytes.", "Bytes.")]));
    assert!(docs.check_version(v("1.2.0"), v("1.2.0")).is_err());
    assert!(docs.check_version(v("1.2.0"), v("1.2.1")).is_ok());
    assert!(
        docs.check_version(v("1.2.0"), v("1.1.0")).is_err(),
        "versions never go down"
    );
}

#[test]
fn changelog_section_groups_by_impact() {
    let r = report(edited(
        "widgets.yaml",
        &[
            ("size: { type: integer,", "size: { type: number,"),
            (
                "          active: In use.\n",
                "          active: In use.\n          retired: Gone.\n",
            ),
        ],
    ));
    let s = codegen::diff::changelog_section(&r, Version::parse("2.0.0").unwrap());
    let breaking = s.find("### Breaking changes").expect("breaking section");
    let additions = s.find("### Additions").expect("additions section");
    assert!(breaking < additions);
    assert!(
        s.contains(
            "field Widget.size: type changed from `integer` to `number` [breaks wire and Rust API]"
        ),
        "{s}"
    );
    assert!(s.contains("value WidgetStatus.retired: added"), "{s}");
}

/// The fixture with `edits` (file, from, to) applied, each matching exactly once, loaded.
fn revision(edits: &[(&str, &str, &str)]) -> codegen::Model {
    let mut files = fixture();
    for (file, from, to) in edits {
        let text = files.get_mut(*file).unwrap();
        assert_eq!(text.matches(from).count(), 1, "edit {from:?} in {file}");
        *text = text.replacen(from, to, 1);
    }
    codegen::load_files(&files).unwrap_or_else(|d| panic!("revision must load:\n{d}"))
}

#[test]
fn history_credits_each_change_to_the_release_that_made_it() {
    use codegen::diff::history::history;
    use codegen::history::{Status, Step, Target};

    const V1: (&str, &str, &str) = ("spec.yaml", "version: 1.2.0", "version: 1.0.0");
    const V2: (&str, &str, &str) = ("spec.yaml", "version: 1.2.0", "version: 2.0.0");
    const V3: (&str, &str, &str) = ("spec.yaml", "version: 1.2.0", "version: 3.0.0");
    let optional = (
        "widgets.yaml",
        "created_at: { type: datetime, description: Creation time. }",
        "created_at: { type: datetime, optional: true, description: Creation time. }",
    );
    let added = (
        "widgets.yaml",
        "      ratio:",
        "      weight: { type: number, optional: true, description: W. }\n      ratio:",
    );
    let retyped = (
        "widgets.yaml",
        "size: { type: integer,",
        "size: { type: number,",
    );
    let first = revision(&[V1]);
    let second = revision(&[V2, optional, added]);
    let current = revision(&[V3, optional, added, retyped]);
    let field = |name: &str| Target::Field {
        owner: Some("Widget".into()),
        name: name.into(),
    };
    let v = |s: &str| Version::parse(s).unwrap();

    let h = history(&[&first, &second], &current, Status::Unreleased);
    assert_eq!(
        h.latest(&field("created_at"), Step::MadeOptional),
        Some(v("2.0.0"))
    );
    assert_eq!(h.latest(&field("weight"), Step::Added), Some(v("2.0.0")));
    assert_eq!(
        h.latest(&field("size"), Step::TypeChanged),
        Some(v("3.0.0"))
    );
    assert_eq!(
        h.latest(&field("id"), Step::Added),
        None,
        "predates the records"
    );

    // Released: the spec is the newest record, so nothing is credited past it.
    let h = history(&[&first, &second], &second, Status::Released);
    assert_eq!(h.latest(&field("size"), Step::TypeChanged), None);
    assert_eq!(h.latest(&field("weight"), Step::Added), Some(v("2.0.0")));

    // An older release, rendered beside newer ones: nothing after it is credited.
    let h = history(&[&first, &second], &first, Status::Released);
    assert!(h.notes.is_empty(), "{:?}", h.notes);
}
