//! Stage 3, Rust: open string enums (`src/enums.rs`) and the opaque catch-all value they share
//! (`src/unknown.rs`).
//!
//! Every enum keeps values the spec does not list in `Unknown(UnknownValue)`. `UnknownValue` has no
//! public constructor, so a consumer cannot write `Unknown(x)` in a pattern and silently stop
//! matching once `x` becomes a known variant; it compares `as_str()` instead. Decoding goes through
//! one shared visitor in `unknown.rs` (no allocation for known values), which keeps the crate small.

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::Doc;
use super::text;
use super::{type_name, variant_name};
use crate::model::{EnumValue, Model, TypeDef, TypeKind};

/// The `unknown` module: `UnknownValue` and the visitor every open string enum decodes with.
pub(crate) fn emit_unknown_module() -> TokenStream {
    quote! {

        /// A string value this version of the crate does not know, kept as received.
        ///
        /// It is opaque on purpose: it cannot be built or matched by content, so code that handles
        /// a value this crate does not know yet keeps working when a later version adds it as a
        /// variant. Compare [`UnknownValue::as_str`] with a guard instead:
        /// `other if other.as_str() == "new_value" => ...`.
        #[derive(
            ::std::fmt::Debug,
            ::std::clone::Clone,
            ::std::cmp::PartialEq,
            ::std::cmp::Eq,
            ::std::hash::Hash,
            ::std::cmp::PartialOrd,
            ::std::cmp::Ord
        )]
        pub struct UnknownValue(::std::string::String);

        impl UnknownValue {
            pub(crate) fn __new(value: ::std::string::String) -> Self {
                Self(value)
            }

            /// The value as received.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for UnknownValue {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Decodes an open string enum: a known value through `known`, anything else kept whole.
        pub(crate) fn __deserialize_open<'de, __D, __T>(
            deserializer: __D,
            expecting: &'static str,
            known: fn(&str) -> ::std::option::Option<__T>,
            unknown: fn(UnknownValue) -> __T,
        ) -> ::std::result::Result<__T, __D::Error>
        where
            __D: ::serde::Deserializer<'de>,
        {
            deserializer.deserialize_str(__OpenVisitor { expecting, known, unknown })
        }

        struct __OpenVisitor<__T> {
            expecting: &'static str,
            known: fn(&str) -> ::std::option::Option<__T>,
            unknown: fn(UnknownValue) -> __T,
        }

        impl<'de, __T> ::serde::de::Visitor<'de> for __OpenVisitor<__T> {
            type Value = __T;

            fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.expecting)
            }

            fn visit_str<__E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<__T, __E> {
                ::std::result::Result::Ok(match (self.known)(v) {
                    ::std::option::Option::Some(value) => value,
                    ::std::option::Option::None => (self.unknown)(UnknownValue(v.into())),
                })
            }

            fn visit_string<__E: ::serde::de::Error>(
                self,
                v: ::std::string::String,
            ) -> ::std::result::Result<__T, __E> {
                ::std::result::Result::Ok(match (self.known)(&v) {
                    ::std::option::Option::Some(value) => value,
                    ::std::option::Option::None => (self.unknown)(UnknownValue(v)),
                })
            }
        }
    }
}

/// The `enums` module: every string enum of the model, written as text ([`super::text`]).
pub(crate) fn emit_enums_module(model: &Model) -> String {
    super::text::module(model, |out, _, def| {
        if let TypeKind::Enum { values } = &def.kind {
            emit_enum(out, def, values);
        }
    })
}

fn emit_enum(out: &mut String, def: &TypeDef, values: &[EnumValue]) {
    let doc = Doc::new()
        .markdown(&def.description)
        .para("Values this version does not know decode into `Unknown` and encode back unchanged.")
        .markers(&def.markers);
    let variants = values
        .iter()
        .map(|value| {
            let EnumValue {
                name,
                description,
                markers,
            } = value;
            let doc = Doc::new()
                .para(format!("`{name}`"))
                .markdown(description)
                .markers(markers);
            OpenVariant {
                ident: variant_name(value),
                wire: name,
                doc,
                deprecated: deprecated_text(markers),
            }
        })
        .collect();
    emit_open_enum(
        out,
        &OpenEnum {
            name: type_name(def),
            doc,
            deprecated: deprecated_text(&def.markers),
            variants,
            unknown_doc: "A value this version of the crate does not know, kept as received.",
            all_doc: "Every value this version knows, in spec order.",
            as_str_doc: "The value as sent on the wire.",
            is_unknown_doc: "Whether the value is one this version does not know.",
            methods: String::new(),
            expecting: format!("a {} string", def.name),
        },
    );
}

/// An open string enum: its known variants, a catch-all `Unknown(UnknownValue)`, and the impls
/// every such enum has. Spec enums and `EventType` are both written from one.
pub(crate) struct OpenEnum<'a> {
    pub name: String,
    pub doc: Doc,
    pub deprecated: Option<String>,
    pub variants: Vec<OpenVariant<'a>>,
    pub unknown_doc: &'a str,
    pub all_doc: &'a str,
    pub as_str_doc: &'a str,
    pub is_unknown_doc: &'a str,
    /// Further inherent methods, as text at the indentation of the `impl` block's items.
    pub methods: String,
    /// What a decoding error says it expected.
    pub expecting: String,
}

/// A known variant of an [`OpenEnum`].
pub(crate) struct OpenVariant<'a> {
    pub ident: String,
    pub wire: &'a str,
    pub doc: Doc,
    pub deprecated: Option<String>,
}

/// The `#[deprecated]` attribute of an item as text, if it has one (the text of
/// [`deprecated_attr`]; a long note overflows the line, and [`text::push_item`] then lets
/// prettyplease lay it out).
pub(crate) fn deprecated_text(markers: &crate::model::Markers) -> Option<String> {
    markers.deprecated.as_ref().map(|reason| {
        if reason.is_empty() {
            "#[deprecated]".to_owned()
        } else {
            let note = reason.split_whitespace().collect::<Vec<_>>().join(" ");
            format!("#[deprecated(note = {})]", text::str_lit(&note))
        }
    })
}

pub(crate) fn emit_open_enum(out: &mut String, e: &OpenEnum<'_>) {
    let OpenEnum {
        name,
        doc,
        deprecated,
        variants,
        unknown_doc,
        all_doc,
        as_str_doc,
        is_unknown_doc,
        methods,
        expecting,
    } = e;
    let mut item = String::new();
    text::doc(&mut item, 0, doc.lines());
    if let Some(attr) = deprecated {
        let _ = writeln!(item, "{attr}");
    }
    item.push_str(DERIVES);
    let _ = writeln!(item, "pub enum {name} {{");
    for v in variants {
        text::doc(&mut item, 4, v.doc.lines());
        if let Some(attr) = &v.deprecated {
            let _ = writeln!(item, "    {attr}");
        }
        let _ = writeln!(item, "    {},", v.ident);
    }
    let _ = writeln!(
        item,
        "    /// {unknown_doc}\n    Unknown(crate::unknown::UnknownValue),\n}}"
    );
    text::push_item(out, &item);

    let mut item = String::new();
    let _ = writeln!(item, "impl {name} {{\n    /// {all_doc}");
    let all: Vec<String> = variants
        .iter()
        .map(|v| format!("Self::{}", v.ident))
        .collect();
    text::list(
        &mut item,
        4,
        "pub const ALL: &'static [Self] = &[",
        &all,
        "];",
    );
    let _ = writeln!(
        item,
        "    /// {as_str_doc}\n    pub fn as_str(&self) -> &str {{\n        match self {{"
    );
    for v in variants {
        text::arm(
            &mut item,
            12,
            &format!("Self::{}", v.ident),
            &text::str_lit(v.wire),
        );
    }
    item.push_str("            Self::Unknown(value) => value.as_str(),\n        }\n    }\n");
    item.push_str(methods);
    let _ = writeln!(
        item,
        "    /// {is_unknown_doc}\n    pub fn is_unknown(&self) -> bool {{\n        ::std::matches!(self, Self::Unknown(_))\n    }}"
    );
    item.push_str(
        "    fn __known(value: &str) -> ::std::option::Option<Self> {\n        ::std::option::Option::Some(\n            match value {\n",
    );
    for v in variants {
        text::arm(
            &mut item,
            16,
            &text::str_lit(v.wire),
            &format!("Self::{}", v.ident),
        );
    }
    item.push_str(
        "                _ => return ::std::option::Option::None,\n            },\n        )\n    }\n}\n",
    );
    text::push_item(out, &item);

    let expecting = text::str_lit(expecting);
    let item = format!(
        r#"impl ::std::fmt::Display for {name} {{
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{
        f.write_str(self.as_str())
    }}
}}
impl ::std::str::FromStr for {name} {{
    type Err = ::std::convert::Infallible;
    fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {{
        ::std::result::Result::Ok(
            Self::__known(s)
                .unwrap_or_else(|| {{
                    Self::Unknown(crate::unknown::UnknownValue::__new(s.into()))
                }}),
        )
    }}
}}
impl ::serde::Serialize for {name} {{
    fn serialize<__S: ::serde::Serializer>(
        &self,
        serializer: __S,
    ) -> ::std::result::Result<__S::Ok, __S::Error> {{
        serializer.serialize_str(self.as_str())
    }}
}}
impl<'de> ::serde::Deserialize<'de> for {name} {{
    fn deserialize<__D: ::serde::Deserializer<'de>>(
        deserializer: __D,
    ) -> ::std::result::Result<Self, __D::Error> {{
        crate::unknown::__deserialize_open(
            deserializer,
            {expecting},
            Self::__known,
            Self::Unknown,
        )
    }}
}}
"#
    );
    text::push_item(out, &item);
}

/// The derives and attributes of every open enum, as prettyplease prints them.
const DERIVES: &str = "#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::hash::Hash
)]
#[non_exhaustive]
#[allow(clippy::enum_variant_names)]
";
