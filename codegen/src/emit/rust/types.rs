//! Stage 3, Rust: objects (`src/types.rs`), one `#[non_exhaustive]` struct per `TypeKind::Object`.
//!
//! Fields keep the spec's order. Unknown fields are ignored on input. A field that may be absent
//! is skipped on output when `None`, so an object reads `null` and absent alike and writes absent;
//! `canonical.rs` computes that form for the tests. Producers build values with `new`, because
//! `#[non_exhaustive]` forbids struct literals outside the crate.

use std::fmt::Write as _;

use super::decode::{Slot, emit_struct_decoder};
use super::docs::Doc;
use super::enums::deprecated_text;
use super::{field_name, field_type_text, needs_rename, text, type_name};
use crate::model::{Field, Model, TypeDef, TypeKind};

/// The `types` module: every object of the model, written as text ([`super::text`]).
pub(crate) fn emit_types_module(model: &Model) -> String {
    // The events carrying each type, gathered in one pass.
    let mut carried: Vec<Vec<&str>> = vec![Vec::new(); model.types.len()];
    for event in &model.events {
        carried[event.data.0].push(&event.name);
    }
    super::text::module(model, |out, id, def| {
        if let TypeKind::Object { fields, resource } = &def.kind {
            emit_object(out, model, def, fields, resource.as_ref(), &carried[id.0]);
        }
    })
}

fn emit_object(
    out: &mut String,
    model: &Model,
    def: &TypeDef,
    fields: &[Field],
    resource: Option<&crate::model::Resource>,
    carried: &[&str],
) {
    let name = type_name(def);
    let mut doc = Doc::new().markdown(&def.description);
    if let Some(resource) = resource {
        if !carried.is_empty() {
            let events: Vec<_> = carried.iter().map(|e| format!("`{e}`")).collect();
            doc = doc.para(format!(
                "The `{}` resource, carried by {}.",
                resource.object,
                events.join(", ")
            ));
        }
    }
    let doc = doc.markers(&def.markers);
    let mut item = String::new();
    text::doc(&mut item, 0, doc.lines());
    if let Some(attr) = deprecated_text(&def.markers) {
        let _ = writeln!(item, "{attr}");
    }
    item.push_str(DERIVES);
    if fields.is_empty() {
        let _ = writeln!(item, "pub struct {name} {{}}");
    } else {
        let _ = writeln!(item, "pub struct {name} {{");
        for field in fields {
            text::doc(&mut item, 4, field_doc(field).lines());
            if let Some(attr) = deprecated_text(&field.markers) {
                let _ = writeln!(item, "    {attr}");
            }
            let args = serde_args(field);
            if !args.is_empty() {
                text::attr(&mut item, 4, "serde", &args);
            }
            let ty = field_type_text(model, field);
            text::typed(
                &mut item,
                4,
                &format!("pub {}: ", field_name(field)),
                &ty,
                ",",
            );
        }
        item.push_str("}\n");
    }
    text::push_item(out, &item);
    let slots: Vec<_> = fields.iter().map(Slot::of).collect();
    emit_struct_decoder(out, &name, &name, &slots);

    let fields: Vec<_> = fields.iter().map(|f| (f, None)).collect();
    let new = constructor(model, &fields);
    let mut item = format!("impl {name} {{\n");
    new.write(&mut item, &new.doc_for_value());
    item.push_str("}\n");
    if new.params.is_empty() {
        let _ = writeln!(
            item,
            "impl ::std::default::Default for {name} {{\n    fn default() -> Self {{\n        Self::new()\n    }}\n}}"
        );
    }
    text::push_item(out, &item);
}

/// The derives and attributes of every object, as prettyplease prints them.
const DERIVES: &str = "#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::serde::Serialize
)]
#[non_exhaustive]
";

/// The docs of a field: its description and what its presence means.
pub(crate) fn field_doc(field: &Field) -> Doc {
    let presence = match (field.optional, field.nullable) {
        (false, false) => None,
        (true, false) => Some("Absent when not set (`None`)."),
        (false, true) => Some("Always present, and may be `null` (`None`)."),
        (true, true) => {
            Some("May be absent or `null` (both read as `None`; `None` is written as absent).")
        }
    };
    let mut doc = Doc::new().markdown(&field.description);
    if let Some(constant) = &field.constant {
        // Specs usually say it already ("Always `task_run`."); say it once.
        if !field.description.contains(&format!("`{constant}`")) {
            doc = doc.para(format!("Always `{constant}`."));
        }
    }
    if let Some(presence) = presence {
        doc = doc.para(presence);
    }
    doc.markers(&field.markers)
}

/// The arguments of the `#[serde(...)]` attribute of a field for the derived `Serialize`: its wire
/// name, and that `None` is written as absent when the field may be absent.
pub(crate) fn serde_args(field: &Field) -> Vec<String> {
    let mut serde = Vec::new();
    if needs_rename(&field_name(field), &field.name) {
        serde.push(format!("rename = {}", text::str_lit(&field.name)));
    }
    if field.optional {
        serde.push("skip_serializing_if = \"::std::option::Option::is_none\"".to_owned());
    }
    serde
}

/// A `new` constructor: its parameters (`name: Type`) and the fields it fills (`name` or
/// `name: value`), as text. Objects and the envelope are built by the same one.
pub(crate) struct Constructor {
    pub params: Vec<String>,
    pub inits: Vec<String>,
    /// The wire names of the parameters, for the doc.
    param_wires: Vec<String>,
}

/// How a constructor fills each field: optional fields start absent, constant ones take their
/// constant, the others come from parameters of the field's type, or of the type given beside it.
pub(crate) fn constructor(model: &Model, fields: &[(&Field, Option<&str>)]) -> Constructor {
    let mut new = Constructor {
        params: Vec::new(),
        inits: Vec::new(),
        param_wires: Vec::new(),
    };
    for (field, ty) in fields {
        let name = field_name(field);
        let value = if field.optional {
            Some("::std::option::Option::None".to_owned())
        } else {
            field.constant.as_ref().map(|constant| {
                let value = format!("::std::string::String::from({})", text::str_lit(constant));
                if field.nullable {
                    format!("::std::option::Option::Some({value})")
                } else {
                    value
                }
            })
        };
        match value {
            Some(value) => new.inits.push(format!("{name}: {value}")),
            None => {
                let ty = ty.map_or_else(|| field_type_text(model, field), str::to_owned);
                new.params.push(format!("{name}: {ty}"));
                new.inits.push(name);
                new.param_wires.push(format!("`{}`", field.name));
            }
        }
    }
    new
}

impl Constructor {
    /// The doc of an object's constructor.
    fn doc_for_value(&self) -> String {
        if self.params.is_empty() {
            "Builds a value with every optional field absent.".to_owned()
        } else {
            format!(
                "Builds a value from its required fields ({}); optional fields start absent.",
                self.param_wires.join(", ")
            )
        }
    }

    /// Whether clippy would find too many parameters.
    pub(crate) fn too_many(&self) -> bool {
        self.params.len() > 7
    }

    /// The constructor, as an item of an `impl` block.
    pub(crate) fn write(&self, out: &mut String, doc: &str) {
        let _ = writeln!(out, "    /// {doc}");
        if self.too_many() {
            out.push_str("    #[allow(clippy::too_many_arguments)]\n");
        }
        text::list(out, 4, "pub fn new(", &self.params, ") -> Self {");
        text::struct_literal(out, 8, "Self", &self.inits);
        out.push_str("    }\n");
    }
}
