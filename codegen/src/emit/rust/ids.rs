//! Stage 3, Rust: typed IDs (`src/ids.rs`), one string newtype per `TypeKind::Id`.
//!
//! The prefix is documentation and a constant for producers; incoming values are never checked
//! against it, because the API may change prefixes and a consumer must not reject real traffic.
//!
//! The string is a `compact_str::CompactString`, which keeps up to 24 bytes inline: IDs are
//! short, so decoding one allocates nothing. It stays private; the API is `str` and `String`.

use super::docs::Doc;
use super::enums::deprecated_text;
use super::{text, type_name};
use crate::model::{Model, TypeDef, TypeKind};

/// The `ids` module: every typed ID of the model, written as text ([`super::text`]).
pub(crate) fn emit_ids_module(model: &Model) -> String {
    super::text::module(model, |out, _, def| {
        if let TypeKind::Id { prefix } = &def.kind {
            emit_id(out, def, prefix);
        }
    })
}

fn emit_id(out: &mut String, def: &TypeDef, prefix: &str) {
    let name = type_name(def);
    let doc = Doc::new()
        .markdown(&def.description)
        .para(format!(
            "Values usually start with `{prefix}`. The prefix is not checked: any string is accepted, \
             so a new prefix never breaks decoding."
        ))
        .markers(&def.markers);
    let mut item = String::new();
    text::doc(&mut item, 0, doc.lines());
    if let Some(attr) = deprecated_text(&def.markers) {
        item.push_str(&attr);
        item.push('\n');
    }
    let prefix_lit = text::str_lit(prefix);
    item.push_str(&format!(
        r#"#[derive(
    ::std::fmt::Debug,
    ::std::clone::Clone,
    ::std::cmp::PartialEq,
    ::std::cmp::Eq,
    ::std::hash::Hash,
    ::std::cmp::PartialOrd,
    ::std::cmp::Ord,
    ::serde::Serialize,
    ::serde::Deserialize
)]
#[serde(transparent)]
pub struct {name}(::compact_str::CompactString);
impl {name} {{
    /// The documented prefix of these IDs, `{prefix}`.
    pub const PREFIX: &'static str = {prefix_lit};
    /// Wraps an ID. The value is not checked.
    pub fn new(id: impl ::std::convert::Into<::std::string::String>) -> Self {{
        Self(::compact_str::CompactString::from(id.into()))
    }}
    /// The ID as a string slice.
    pub fn as_str(&self) -> &str {{
        self.0.as_str()
    }}
    /// The ID as an owned string.
    pub fn into_inner(self) -> ::std::string::String {{
        self.0.into_string()
    }}
}}
impl ::std::fmt::Display for {name} {{
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{
        f.write_str(self.0.as_str())
    }}
}}
impl ::std::convert::AsRef<str> for {name} {{
    fn as_ref(&self) -> &str {{
        self.0.as_str()
    }}
}}
impl ::std::borrow::Borrow<str> for {name} {{
    fn borrow(&self) -> &str {{
        self.0.as_str()
    }}
}}
impl ::std::str::FromStr for {name} {{
    type Err = ::std::convert::Infallible;
    fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {{
        ::std::result::Result::Ok(Self(::compact_str::CompactString::from(s)))
    }}
}}
impl ::std::convert::From<::std::string::String> for {name} {{
    fn from(id: ::std::string::String) -> Self {{
        Self(::compact_str::CompactString::from(id))
    }}
}}
impl ::std::convert::From<&str> for {name} {{
    fn from(id: &str) -> Self {{
        Self(::compact_str::CompactString::from(id))
    }}
}}
impl ::std::convert::From<{name}> for ::std::string::String {{
    fn from(id: {name}) -> Self {{
        id.0.into_string()
    }}
}}
"#
    ));
    text::push_item(out, &item);
}
