//! Stage 3, Rust: writing the regular parts of the crate as text, laid out as prettyplease lays
//! them out.
//!
//! Most of the crate repeats a few shapes once per ID, enum, object and event type. Building each
//! as tokens, parsing them with syn and printing them with prettyplease costs seconds at 10,000
//! event types, so these parts are written as text directly, in the layout prettyplease gives
//! them: the generated files read exactly as before, and the test `text_is_prettypleases_layout`
//! holds every generated file to it. The layout of a few constructs depends on the width of a
//! line: a match arm, a list of arguments or fields, an attribute's arguments stay on one line
//! when it fits within [`MARGIN`] and break otherwise, as the helpers below do. Items written
//! on the assumption that their lines fit go through [`push_item`], which hands any item with a
//! longer line to prettyplease, so an unusually long name still gets prettyplease's layout.
//! Irregular, fixed code stays with `quote!` and prettyplease ([`super::render_items`]).

use std::fmt::Write as _;

use crate::model::{Model, TypeDef, TypeId};

/// A module with one item (or none) per named type, in spec order, each written by `item`; its
/// items may be deprecated.
pub(crate) fn module(model: &Model, mut item: impl FnMut(&mut String, TypeId, &TypeDef)) -> String {
    let mut out = String::from(super::HEADER);
    out.push_str("#![allow(deprecated)]\n");
    for (i, def) in model.types.iter().enumerate() {
        item(&mut out, TypeId(i), def);
    }
    out
}

/// prettyplease's line width: a line this long or shorter fits.
pub(crate) const MARGIN: usize = 89;

/// prettyplease's indentation step.
const INDENT: usize = 4;

/// Appends one item whose text was written on the assumption that every line fits. An item with
/// a longer line (other than a doc comment, which is never broken) is parsed and printed by
/// prettyplease instead.
pub(crate) fn push_item(out: &mut String, item: &str) {
    // The comma that ends a match arm is not counted: prettyplease lets it pass the margin.
    let fits = item.lines().all(|line| {
        let arm = line.contains(" => ") && line.ends_with(',');
        let width = if arm { line.len() - 1 } else { line.len() };
        width <= MARGIN || line.trim_start().starts_with("///")
    });
    if fits {
        out.push_str(item);
    } else {
        out.push_str(&super::render_text_items(item));
    }
}

/// `pat => body,` on one line at `indent` when it fits (the comma may pass the margin), else
/// `body` in a block, as prettyplease writes a match arm.
pub(crate) fn arm(out: &mut String, indent: usize, pat: &str, body: &str) {
    let pad = " ".repeat(indent);
    if indent + pat.len() + 4 + body.len() <= MARGIN {
        let _ = writeln!(out, "{pad}{pat} => {body},");
    } else {
        let inner = " ".repeat(indent + INDENT);
        let _ = writeln!(out, "{pad}{pat} => {{\n{inner}{body}\n{pad}}}");
    }
}

/// A comma-separated list opened by `open` (which ends with its delimiter, such as `fn new(`) and
/// closed by `close` (which starts with the closing delimiter, such as `) -> Self {`): on one line
/// at `indent` when it fits, else one item a line with a trailing comma, as prettyplease breaks
/// argument lists, parameters and arrays.
pub(crate) fn list(out: &mut String, indent: usize, open: &str, items: &[String], close: &str) {
    let pad = " ".repeat(indent);
    let flat = items.join(", ");
    if !flat.contains('\n') && indent + open.len() + flat.len() + close.len() <= MARGIN {
        let _ = writeln!(out, "{pad}{open}{flat}{close}");
        return;
    }
    let inner = " ".repeat(indent + INDENT);
    let _ = writeln!(out, "{pad}{open}");
    for item in items {
        let _ = writeln!(out, "{inner}{item},");
    }
    let _ = writeln!(out, "{pad}{close}");
}

/// `{before}{ty}{after}` on one line at `indent` when it fits, else with the outermost generic
/// arguments of `ty` one a line, as prettyplease breaks a long type (`Option<\n    BTreeMap<..>,\n>`).
/// A type that still does not fit is left to [`push_item`]'s fallback.
pub(crate) fn typed(out: &mut String, indent: usize, before: &str, ty: &str, after: &str) {
    let pad = " ".repeat(indent);
    let open = ty.find('<');
    if indent + before.len() + ty.len() + after.len() <= MARGIN || open.is_none() {
        let _ = writeln!(out, "{pad}{before}{ty}{after}");
        return;
    }
    let open = open.unwrap_or_default();
    let inner = " ".repeat(indent + INDENT);
    let _ = writeln!(out, "{pad}{before}{}", &ty[..=open]);
    for arg in top_level_args(&ty[open + 1..ty.len() - 1]) {
        let _ = writeln!(out, "{inner}{arg},");
    }
    let _ = writeln!(out, "{pad}>{after}");
}

/// The comma-separated arguments of a generic argument list, split at its own commas only.
fn top_level_args(args: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in args.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(args[start..].trim());
    parts
}

/// A struct literal `open { fields }` (`open` such as `Self`) at `indent`: on one line only when
/// it is at most 35 characters wide and fits, else one field a line with a trailing comma, as
/// prettyplease breaks struct literals.
pub(crate) fn struct_literal(out: &mut String, indent: usize, open: &str, fields: &[String]) {
    let pad = " ".repeat(indent);
    let flat = if fields.is_empty() {
        format!("{open} {{}}")
    } else {
        format!("{open} {{ {} }}", fields.join(", "))
    };
    if flat.len() <= 35 && indent + flat.len() <= MARGIN {
        let _ = writeln!(out, "{pad}{flat}");
        return;
    }
    let inner = " ".repeat(indent + INDENT);
    let _ = writeln!(out, "{pad}{open} {{");
    for field in fields {
        let _ = writeln!(out, "{inner}{field},");
    }
    let _ = writeln!(out, "{pad}}}");
}

/// An outer attribute with arguments, `#[name(a, b)]`: on one line at `indent` when it fits, else
/// one argument a line with no trailing comma, as prettyplease prints attribute arguments.
pub(crate) fn attr(out: &mut String, indent: usize, name: &str, args: &[String]) {
    let pad = " ".repeat(indent);
    let flat = args.join(", ");
    if indent + name.len() + flat.len() + 5 <= MARGIN {
        let _ = writeln!(out, "{pad}#[{name}({flat})]");
        return;
    }
    let inner = " ".repeat(indent + INDENT);
    let _ = writeln!(out, "{pad}#[{name}(");
    let _ = writeln!(out, "{inner}{}", args.join(&format!(",\n{inner}")));
    let _ = writeln!(out, "{pad})]");
}

/// `///` doc lines at `indent`, from the lines of a [`super::docs::Doc`], as prettyplease prints
/// `#[doc]` attributes (trailing spaces trimmed).
pub(crate) fn doc(out: &mut String, indent: usize, lines: &[String]) {
    let pad = " ".repeat(indent);
    for line in lines {
        let line = line.trim_end();
        if line.is_empty() {
            let _ = writeln!(out, "{pad}///");
        } else {
            let _ = writeln!(out, "{pad}/// {line}");
        }
    }
}

/// A Rust string literal of `text`, as prettyplease prints a literal built by `quote!`.
pub(crate) fn str_lit(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    use std::path::Path;

    /// A spec whose names, wire values and descriptions take every length around the widths at
    /// which prettyplease breaks a line, so both layouts of every construct are produced.
    pub(crate) fn spec_of_every_width() -> BTreeMap<String, String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal/spec.yaml");
        let root = std::fs::read_to_string(root)
            .expect("the minimal fixture")
            .replace("  - widgets.yaml\n", "  - widths.yaml\n");
        let mut types = String::from("types:\n");
        let mut events = String::from("events:\n");
        for k in (1..=64).step_by(3) {
            let object = format!("o{}", "b".repeat(k));
            let ty = format!("O{}", "b".repeat(k));
            let value = format!("v{}", "c".repeat(k));
            let field = format!("f{}", "d".repeat(k));
            let _ = write!(
                types,
                "  {ty}Id: {{ id: p{k}_, description: An ID. }}
  {ty}:
    resource: {object}
    description: A resource.
    fields:
      id: {{ type: {ty}Id, description: Identifier. }}
      object: {{ type: string, const: {object}, description: Always `{object}`. }}
      status:
        description: State.
        values:
          {value}: A long value.
          short: A short one.
      {field}: {{ type: \"array<{ty}Id>\", optional: true, description: A list. }}
      nested_{field}: {{ type: {ty}, optional: true, nullable: true, description: Itself. }}
      at_{field}: {{ type: datetime, optional: true, nullable: true, description: When. }}
      type: {{ type: string, optional: true, description: A keyword. }}
      labels_{field}: {{ type: \"map<string>\", optional: true, description: Labels. }}
      map_{field}: {{ type: \"map<{ty}Id>\", description: A map. }}
      created_at: {{ type: datetime, description: When. }}
"
            );
            for action in [format!("a{}", "e".repeat(k)), "made".to_string()] {
                let _ = write!(
                    events,
                    "  {object}.{action}:
    description: Something happened.
    examples:
      - {{ id: evt_{k}, object: event, type: {object}.{action}, data: {{ id: p{k}_1, object: {object}, status: {value}, map_{field}: {{}}, created_at: \"2025-01-15T09:30:00Z\" }}, created_at: \"2025-01-15T09:30:00+01:00\" }}
"
                );
            }
        }
        BTreeMap::from([
            ("spec.yaml".to_string(), root),
            ("widths.yaml".to_string(), format!("{types}{events}")),
        ])
    }

    /// Every generated Rust file that is not hand-written is exactly what prettyplease prints for
    /// it: the parts written as text read as they would if printed from tokens.
    #[test]
    fn text_is_prettypleases_layout() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut specs = vec![(
            "spec of every width".to_string(),
            crate::load_files(&spec_of_every_width()).unwrap_or_else(|d| panic!("{d}")),
        )];
        for dir in ["minimal", "keywords", "features"] {
            let model = crate::load_dir(&fixtures.join(dir)).unwrap_or_else(|d| panic!("{d}"));
            specs.push((dir.to_string(), model));
        }
        let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        specs.push((
            "the real spec".to_string(),
            crate::load_dir(&real).unwrap_or_else(|d| panic!("{d}")),
        ));
        for (name, model) in specs {
            let mut out = crate::Outputs::new();
            super::super::emit(&model, &mut out);
            for (path, text) in out.files() {
                let hand_written = [
                    "src/lib.rs",
                    "src/signing.rs",
                    "src/axum.rs",
                    "src/timestamp.rs",
                    "src/decode.rs",
                    "src/fixtures.rs",
                    "src/json.rs",
                ];
                if !path.ends_with(".rs")
                    || path.ends_with("/main.rs")
                    || hand_written.contains(&path.as_str())
                {
                    continue;
                }
                let body = text.strip_prefix(super::super::HEADER).expect("the header");
                let printed = super::super::render_text_items(body);
                if printed != body {
                    let (line, (ours, theirs)) = body
                        .lines()
                        .zip(printed.lines())
                        .enumerate()
                        .find(|(_, (a, b))| a != b)
                        .unwrap_or((0, ("(length)", "(length)")));
                    panic!(
                        "{name}: {path} line {}:\n written: {ours}\n printed: {theirs}",
                        line + 1
                    );
                }
            }
        }
    }
}
