//! Comparing two revisions of a spec: every change, classified by what it does to consumers.
//!
//! Consumers are hurt on two levels, and each change is judged on both:
//!
//! - **wire**: a payload that the old crate or schemas accepted is now rejected, or a payload
//!   the consumer relied on is no longer sent (an event, field or enum value removed, a type
//!   changed, a field made required, optional or nullable);
//! - **Rust API**: code written against the old generated crate no longer compiles (an item
//!   removed or renamed, `Option<T>` becoming `T`, a field's Rust type changed, a constructor
//!   gaining an argument).
//!
//! Additions the generated crate already tolerates are *compatible*: a new event type, a new
//! optional field and a new enum value, because every generated enum has a catch-all and every
//! struct is `#[non_exhaustive]`. Descriptions, examples and titles are *documentation only*.
//! The table of every rule is in `spec/README.md` ("Breaking changes").

use std::collections::BTreeMap;
use std::fmt;

use crate::history::{Step, Target};
use crate::model::{
    EnumValue, EventDef, Field, Markers, Model, Signing, TypeDef, TypeKind, TypeRef, Version,
};

pub mod crate_changes;
pub mod history;

/// How a change affects consumers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// Descriptions, examples, titles.
    Docs,
    /// Additions the generated crate and schemas already tolerate, and deprecations.
    Compatible,
    /// Breaks consumers on the wire, in Rust, or both.
    Breaking,
}

impl Impact {
    /// Lowercase name, as in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Docs => "docs",
            Impact::Compatible => "compatible",
            Impact::Breaking => "breaking",
        }
    }
}

/// One change between two revisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What changed, as a path: `event task_run.completed`, `type TaskRun`, `field TaskRun.status`,
    /// `value TaskRunStatus.queued`, `envelope field request_id`, `package`.
    pub subject: String,
    /// What changed, as a typed address; `subject` is its text.
    pub target: Target,
    /// What happened to it, for the item's history.
    pub step: Step,
    /// What happened to it, in words.
    pub what: String,
    /// Overall impact.
    pub impact: Impact,
    /// Breaks payloads on the wire.
    pub wire: bool,
    /// Breaks Rust code written against the old crate.
    pub rust: bool,
    /// A removal of something that was not deprecated first.
    pub removed_without_deprecation: bool,
}

/// Every change between two revisions, in a stable order (the new spec's order, removals after).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes.
    pub changes: Vec<Change>,
    /// The old spec version.
    pub old_version: Option<Version>,
    /// The new spec version.
    pub new_version: Option<Version>,
}

/// The smallest version bump a set of changes needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing changed.
    None,
    /// `x.y.z+1`.
    Patch,
    /// `x.y+1.0`.
    Minor,
    /// `x+1.0.0`.
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

impl Report {
    /// The highest impact of any change, if there is any change.
    pub fn impact(&self) -> Option<Impact> {
        self.changes.iter().map(|c| c.impact).max()
    }

    /// The bump these changes need from `old`: major for a breaking change (minor before 1.0, as
    /// Cargo reads `0.x` versions), minor for additions, patch for documentation.
    pub fn required_bump(&self, old: Version) -> Bump {
        match self.impact() {
            None => Bump::None,
            Some(Impact::Docs) => Bump::Patch,
            Some(Impact::Compatible) => Bump::Minor,
            Some(Impact::Breaking) if old.major == 0 => Bump::Minor,
            Some(Impact::Breaking) => Bump::Major,
        }
    }

    /// `Err` with a message when `new` is not bumped enough from `old` for these changes.
    pub fn check_version(&self, old: Version, new: Version) -> Result<Bump, String> {
        let need = self.required_bump(old);
        let got = actual_bump(old, new);
        if new < old {
            return Err(format!("the spec version went down from {old} to {new}"));
        }
        if got >= need {
            return Ok(got);
        }
        let want = bumped(old, need);
        let why = match self.impact() {
            Some(Impact::Breaking) => "it has breaking changes",
            Some(Impact::Compatible) => "it adds to the spec",
            _ => "its documentation changed",
        };
        Err(format!(
            "the spec version must go from {old} to at least {want} because {why}, but it is {new}: set `package.version: {want}` in spec/spec.yaml"
        ))
    }
}

/// Which part of the version changed from `old` to `new`.
pub fn actual_bump(old: Version, new: Version) -> Bump {
    if new.major != old.major {
        Bump::Major
    } else if new.minor != old.minor {
        Bump::Minor
    } else if new.patch != old.patch {
        Bump::Patch
    } else {
        Bump::None
    }
}

/// `old` bumped by `bump`.
pub fn bumped(old: Version, bump: Bump) -> Version {
    let Version {
        major,
        minor,
        patch,
    } = old;
    match (bump, major) {
        (Bump::None, _) => old,
        (Bump::Major, _) => Version {
            major: major + 1,
            minor: 0,
            patch: 0,
        },
        (Bump::Minor, _) => Version {
            major,
            minor: minor + 1,
            patch: 0,
        },
        (Bump::Patch, _) => Version {
            major,
            minor,
            patch: patch + 1,
        },
    }
}

/// Compares two models; `None` for a side that does not exist (the spec was added or removed).
pub fn diff(old: Option<&Model>, new: Option<&Model>) -> Report {
    let mut d = Differ { out: Vec::new() };
    match (old, new) {
        (Some(o), Some(n)) => d.models(o, n),
        (None, Some(_)) => d.added(&Target::Spec, "added".into()),
        (Some(o), None) => d.removed(&Target::Spec, &o.package.name, false, true),
        (None, None) => {}
    }
    Report {
        changes: d.out,
        old_version: old.map(|m| m.package.version),
        new_version: new.map(|m| m.package.version),
    }
}

/// [`diff`], followed by the changes of the generated crate that come from the generator
/// ([`crate_changes`]) and ship between the two versions: every change a consumer of the
/// crate meets between them.
pub fn diff_with_crate_changes(old: Option<&Model>, new: Option<&Model>) -> Report {
    let mut report = diff(old, new);
    if let Some(new) = report.new_version {
        report
            .changes
            .extend(crate_changes::between(report.old_version, new));
    }
    report
}

struct Differ {
    out: Vec<Change>,
}

impl Differ {
    fn push(&mut self, target: &Target, what: String, impact: Impact, wire: bool, rust: bool) {
        self.push_step(target, Step::Other, what, impact, wire, rust);
    }

    fn push_step(
        &mut self,
        target: &Target,
        step: Step,
        what: String,
        impact: Impact,
        wire: bool,
        rust: bool,
    ) {
        self.out.push(Change {
            subject: target.to_string(),
            target: target.clone(),
            step,
            what,
            impact,
            wire,
            rust,
            removed_without_deprecation: false,
        });
    }

    fn breaking(&mut self, subject: &Target, what: String, wire: bool, rust: bool) {
        self.push(subject, what, Impact::Breaking, wire, rust);
    }

    fn compatible(&mut self, subject: &Target, what: String) {
        self.push(subject, what, Impact::Compatible, false, false);
    }

    fn docs(&mut self, subject: &Target, what: String) {
        self.push(subject, what, Impact::Docs, false, false);
    }

    fn added(&mut self, subject: &Target, what: String) {
        self.push_step(subject, Step::Added, what, Impact::Compatible, false, false);
    }

    /// Reports every item of `old` that `new` no longer has, addressed by `target`; `wire` says
    /// whether the removal itself breaks the wire.
    fn removals<T: Item>(
        &mut self,
        target: impl Fn(&str) -> Target,
        old: &[T],
        new: &[T],
        wire: bool,
    ) {
        let kept: std::collections::HashSet<&str> = new.iter().map(Item::name).collect();
        for o in old {
            if !kept.contains(o.name()) {
                let deprecated = o.markers().deprecated.is_some();
                self.removed(&target(o.name()), o.name(), deprecated, wire);
            }
        }
    }

    fn removed(&mut self, subject: &Target, name: &str, was_deprecated: bool, wire: bool) {
        let what = if was_deprecated {
            format!("removed `{name}`")
        } else {
            format!("removed `{name}`, which was not deprecated first")
        };
        self.push(subject, what, Impact::Breaking, wire, true);
        if let Some(change) = self.out.last_mut() {
            change.removed_without_deprecation = !was_deprecated;
        }
    }

    fn markers(&mut self, subject: &Target, old: &Markers, new: &Markers) {
        match (&old.deprecated, &new.deprecated) {
            (None, Some(r)) => self.push_step(
                subject,
                Step::Deprecated,
                if r.is_empty() {
                    "deprecated".into()
                } else {
                    format!("deprecated: {r}")
                },
                Impact::Compatible,
                false,
                false,
            ),
            (Some(_), None) => self.compatible(subject, "no longer deprecated".into()),
            (Some(a), Some(b)) if a != b => self.docs(subject, "deprecation note changed".into()),
            _ => {}
        }
        if old.since != new.since {
            self.docs(subject, "`since` changed".into());
        }
    }

    fn text(&mut self, subject: &Target, what: &str, old: &str, new: &str) {
        if old != new {
            self.docs(subject, format!("{what} changed"));
        }
    }

    fn models(&mut self, o: &Model, n: &Model) {
        let (op, np) = (&o.package, &n.package);
        if op.name != np.name {
            self.breaking(
                &Target::Package,
                format!("crate renamed from `{}` to `{}`", op.name, np.name),
                false,
                true,
            );
        }
        if op.schema_base_url != np.schema_base_url {
            self.breaking(
                &Target::Package,
                format!(
                    "schema base URL changed from `{}` to `{}`: every `$id` changes",
                    op.schema_base_url, np.schema_base_url
                ),
                true,
                false,
            );
        }
        if op.signing != np.signing {
            let lost = np.signing == Signing::None;
            let what = format!("signing changed from {:?} to {:?}", op.signing, np.signing);
            if lost {
                self.breaking(&Target::Package, what, true, true)
            } else {
                self.compatible(&Target::Package, what)
            }
        }
        self.text(&Target::Package, "title", &op.title, &np.title);
        self.text(
            &Target::Package,
            "description",
            &op.description,
            &np.description,
        );
        // Registry metadata changes what a registry shows of the crate, never its API.
        let (om, nm) = (&op.metadata, &np.metadata);
        let or_none = |s: &Option<String>| s.clone().unwrap_or_default();
        self.text(
            &Target::Package,
            "license",
            &or_none(&om.license),
            &or_none(&nm.license),
        );
        self.text(
            &Target::Package,
            "repository",
            &or_none(&om.repository),
            &or_none(&nm.repository),
        );
        self.text(
            &Target::Package,
            "keywords",
            &om.keywords.join(" "),
            &nm.keywords.join(" "),
        );
        self.text(
            &Target::Package,
            "categories",
            &om.categories.join(" "),
            &nm.categories.join(" "),
        );

        self.text(
            &Target::Envelope,
            "description",
            &o.envelope.description,
            &n.envelope.description,
        );
        self.fields(None, o, &o.envelope.fields, n, &n.envelope.fields);

        self.events(o, n);
        self.types(o, n);
    }

    fn events(&mut self, o: &Model, n: &Model) {
        let old: BTreeMap<&str, &EventDef> =
            o.events.iter().map(|e| (e.name.as_str(), e)).collect();
        for ne in &n.events {
            let subject = Target::Event(ne.name.clone());
            let Some(oe) = old.get(ne.name.as_str()) else {
                self.added(&subject, "added".into());
                continue;
            };
            let (od, nd) = (&o.ty(oe.data).name, &n.ty(ne.data).name);
            if od != nd {
                self.breaking(
                    &subject,
                    format!("`data` changed from `{od}` to `{nd}`"),
                    true,
                    true,
                );
            }
            self.text(&subject, "description", &oe.description, &ne.description);
            let (ox, nx): (Vec<_>, Vec<_>) = (
                oe.examples.iter().map(|x| &x.json).collect(),
                ne.examples.iter().map(|x| &x.json).collect(),
            );
            if ox != nx {
                self.docs(&subject, "examples changed".into());
            }
            self.markers(&subject, &oe.markers, &ne.markers);
        }
        self.removals(|n| Target::Event(n.into()), &o.events, &n.events, true);
    }

    fn types(&mut self, o: &Model, n: &Model) {
        let old: BTreeMap<&str, &TypeDef> = o.types.iter().map(|t| (t.name.as_str(), t)).collect();
        for nt in &n.types {
            let subject = Target::Type(nt.name.clone());
            let Some(ot) = old.get(nt.name.as_str()) else {
                self.added(&subject, "added".into());
                continue;
            };
            self.text(&subject, "description", &ot.description, &nt.description);
            self.markers(&subject, &ot.markers, &nt.markers);
            match (&ot.kind, &nt.kind) {
                (TypeKind::Id { prefix: a }, TypeKind::Id { prefix: b }) => {
                    if a != b {
                        // The crate never rejects an ID for its prefix, so only docs and examples change.
                        self.compatible(
                            &subject,
                            format!("documented prefix changed from `{a}` to `{b}`"),
                        );
                    }
                }
                (TypeKind::Enum { values: a }, TypeKind::Enum { values: b }) => {
                    self.values(&nt.name, a, b)
                }
                (
                    TypeKind::Object {
                        fields: a,
                        resource: ra,
                    },
                    TypeKind::Object {
                        fields: b,
                        resource: rb,
                    },
                ) => {
                    let (ra, rb) = (
                        ra.as_ref().map(|r| &r.object),
                        rb.as_ref().map(|r| &r.object),
                    );
                    if ra != rb {
                        self.breaking(
                            &subject,
                            format!("resource changed from {ra:?} to {rb:?}"),
                            true,
                            false,
                        );
                    }
                    self.fields(Some(&nt.name), o, a, n, b);
                }
                _ => self.push_step(
                    &subject,
                    Step::TypeChanged,
                    format!(
                        "kind changed from {} to {}",
                        kind_name(&ot.kind),
                        kind_name(&nt.kind)
                    ),
                    Impact::Breaking,
                    true,
                    true,
                ),
            }
        }
        // The Rust type disappears; what it did on the wire is reported on the fields and events
        // that used it.
        self.removals(|n| Target::Type(n.into()), &o.types, &n.types, false);
    }

    fn values(&mut self, owner: &str, old: &[EnumValue], new: &[EnumValue]) {
        for nv in new {
            let subject = Target::Value {
                owner: owner.into(),
                name: nv.name.clone(),
            };
            match old.iter().find(|v| v.name == nv.name) {
                None => self.added(&subject, "added (the generated enums keep unknown values, so old consumers read it as `Unknown`)".into()),
                Some(ov) => {
                    self.text(&subject, "description", &ov.description, &nv.description);
                    self.markers(&subject, &ov.markers, &nv.markers);
                }
            }
        }
        let value = |name: &str| Target::Value {
            owner: owner.into(),
            name: name.into(),
        };
        self.removals(value, old, new, true);
    }

    /// The fields of the object type `owner`, or of the envelope (`None`).
    fn fields(&mut self, owner: Option<&str>, o: &Model, old: &[Field], n: &Model, new: &[Field]) {
        let target = |name: &str| Target::Field {
            owner: owner.map(str::to_owned),
            name: name.into(),
        };
        for nf in new {
            let subject = target(&nf.name);
            let Some(of) = old.iter().find(|f| f.name == nf.name) else {
                if nf.optional {
                    self.added(&subject, "added, optional".into());
                } else {
                    // Old producers do not send it, and the constructor gains an argument.
                    self.push_step(
                        &subject,
                        Step::Added,
                        "added as a required field".into(),
                        Impact::Breaking,
                        true,
                        true,
                    );
                }
                continue;
            };
            self.field(&subject, o, of, n, nf);
        }
        self.removals(target, old, new, true);
    }

    fn field(&mut self, subject: &Target, o: &Model, of: &Field, n: &Model, nf: &Field) {
        let (ot, nt) = (type_name(o, &of.ty), type_name(n, &nf.ty));
        if ot != nt {
            // Rust names follow from wire names, so equal text means the same Rust type.
            let same_rust =
                crate::emit::rust::rust_type(o, &of.ty) == crate::emit::rust::rust_type(n, &nf.ty);
            self.push_step(
                subject,
                Step::TypeChanged,
                format!("type changed from `{ot}` to `{nt}`"),
                Impact::Breaking,
                true,
                !same_rust,
            );
        }
        // Required fields are the constructor's arguments, so a change of `optional` always
        // changes the Rust API; `nullable` changes it when the field is `T` on one side and
        // `Option<T>` on the other, i.e. unless the field is optional on both sides.
        let both_optional = of.optional && nf.optional;
        match (of.optional, nf.optional) {
            (true, false) => self.push_step(
                subject,
                Step::MadeRequired,
                "made required: payloads without it are now rejected".into(),
                Impact::Breaking,
                true,
                true,
            ),
            (false, true) => self.push_step(
                subject,
                Step::MadeOptional,
                "made optional: consumers can no longer rely on it".into(),
                Impact::Breaking,
                true,
                true,
            ),
            _ => {}
        }
        match (of.nullable, nf.nullable) {
            (false, true) => self.breaking(
                subject,
                "made nullable: consumers can no longer rely on a value".into(),
                true,
                !both_optional,
            ),
            (true, false) => self.breaking(
                subject,
                "made non-nullable: payloads with `null` are now rejected".into(),
                true,
                !both_optional,
            ),
            _ => {}
        }
        if of.constant != nf.constant {
            self.breaking(
                subject,
                format!(
                    "constant changed from {:?} to {:?}",
                    of.constant, nf.constant
                ),
                true,
                false,
            );
        }
        self.text(subject, "description", &of.description, &nf.description);
        self.markers(subject, &of.markers, &nf.markers);
    }
}

fn kind_name(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Id { .. } => "ID",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Object { .. } => "object",
    }
}

/// The spec's spelling of a type expression.
pub fn type_name(m: &Model, t: &TypeRef) -> String {
    match t {
        TypeRef::Array(i) => format!("array<{}>", type_name(m, i)),
        TypeRef::Map(i) => format!("map<{}>", type_name(m, i)),
        TypeRef::Named(id) => m.ty(*id).name.clone(),
        other => other
            .keyword()
            .expect("every other type is a keyword")
            .into(),
    }
}

impl Change {
    /// What happened, with what it breaks (`made optional: … [breaks wire and Rust API]`): the
    /// line without its subject, for a list whose heading names the subject.
    pub fn describe(&self) -> String {
        let levels: Vec<&str> = [(self.wire, "wire"), (self.rust, "Rust API")]
            .into_iter()
            .filter(|(b, _)| *b)
            .map(|(_, s)| s)
            .collect();
        if levels.is_empty() {
            self.what.clone()
        } else {
            format!("{} [breaks {}]", self.what, levels.join(" and "))
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.describe())
    }
}

/// The report as JSON, for tools.
pub fn to_json(report: &Report) -> serde_json::Value {
    let changes: Vec<serde_json::Value> = report
        .changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "subject": c.subject,
                "change": c.what,
                "impact": c.impact.as_str(),
                "breaks_wire": c.wire,
                "breaks_rust": c.rust,
                "removed_without_deprecation": c.removed_without_deprecation,
            })
        })
        .collect();
    let bump = report
        .old_version
        .map(|v| report.required_bump(v).to_string());
    serde_json::json!({
        "old_version": report.old_version.map(|v| v.to_string()),
        "new_version": report.new_version.map(|v| v.to_string()),
        "impact": report.impact().map(Impact::as_str),
        "required_bump": bump,
        "changes": changes,
    })
}

/// A changelog section for `version` in Markdown, grouped by impact.
pub fn changelog_section(report: &Report, version: Version) -> String {
    changelog_section_titled(report, &version.to_string())
}

/// A changelog section under the heading `title` (`0.2.0`, `Unreleased (0.2.0)`).
pub fn changelog_section_titled(report: &Report, title: &str) -> String {
    let mut s = format!("## {title}\n");
    let groups = [
        (Impact::Breaking, "Breaking changes"),
        (Impact::Compatible, "Additions and deprecations"),
        (Impact::Docs, "Documentation"),
    ];
    let (of_crate, of_spec): (Vec<&Change>, Vec<&Change>) = report
        .changes
        .iter()
        .partition(|c| c.subject == CRATE_SUBJECT);
    for (impact, title) in groups {
        let items: Vec<&Change> = of_spec
            .iter()
            .copied()
            .filter(|c| c.impact == impact)
            .collect();
        if items.is_empty() {
            continue;
        }
        s.push_str(&format!("\n### {title}\n\n"));
        for c in items {
            s.push_str(&format!("- {c}\n"));
        }
    }
    if of_spec.is_empty() {
        s.push_str("\nNo changes to the spec.\n");
    }
    if !of_crate.is_empty() {
        s.push_str("\n### The generated crate\n\n");
        for c in of_crate {
            s.push_str(&format!("- {}\n", c.describe()));
        }
    }
    s
}

/// The subject of a change of the generated crate that comes from the generator.
pub const CRATE_SUBJECT: &str = "crate";

/// A named item of a spec, with its markers: what a removal is reported for.
trait Item {
    fn name(&self) -> &str;
    fn markers(&self) -> &Markers;
}

// Every item has a spec name and markers in fields of those names.
macro_rules! items {
    ($($ty:ty),*) => {$(
        impl Item for $ty {
            fn name(&self) -> &str {
                &self.name
            }

            fn markers(&self) -> &Markers {
                &self.markers
            }
        }
    )*};
}

items!(Field, EventDef, TypeDef, EnumValue);
