//! Stage 3, Rust: objects (`src/types.rs`), one `#[non_exhaustive]` struct per `TypeKind::Object`.
//!
//! Fields keep the spec's order. Unknown fields are ignored on input. A field that may be absent
//! is skipped on output when `None`, so an object reads `null` and absent alike and writes absent;
//! `canonical.rs` computes that form for the tests. Producers build values with `new`, because
//! `#[non_exhaustive]` forbids struct literals outside the crate.

use super::{field_ident, field_name, needs_rename, type_ident};
use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{Doc, deprecated_attr};
use super::{decoder, field_type};
use crate::model::{Field, Model, TypeDef, TypeKind};

/// The `types` module: every object of the model.
pub(crate) fn emit_types_module(model: &Model) -> TokenStream {
    let objects = model.types.iter().filter_map(|def| match &def.kind {
        TypeKind::Object { fields, .. } => Some(emit_object(model, def, fields)),
        _ => None,
    });
    quote! {
        #![allow(deprecated)]
        #(#objects)*
    }
}

fn emit_object(model: &Model, def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = type_ident(def);
    let mut doc = Doc::new().markdown(&def.description);
    if let TypeKind::Object {
        resource: Some(resource),
        ..
    } = &def.kind
    {
        let events: Vec<_> = model
            .events_carrying(model_id(model, def))
            .map(|e| format!("`{}`", e.name))
            .collect();
        if !events.is_empty() {
            doc = doc.para(format!(
                "The `{}` resource, carried by {}.",
                resource.object,
                events.join(", ")
            ));
        }
    }
    let doc = doc.markers(&def.markers).to_attrs();
    let deprecated = deprecated_attr(&def.markers);
    let field_defs = fields.iter().map(|f| emit_field(model, f));
    let (constructor, default) = emit_constructor(model, fields, &name);
    quote! {
        #doc
        #deprecated
        #[derive(
            ::std::fmt::Debug,
            ::std::clone::Clone,
            ::std::cmp::PartialEq,
            ::serde::Serialize,
            ::serde::Deserialize
        )]
        #[non_exhaustive]
        pub struct #name {
            #(#field_defs)*
        }

        impl #name {
            #constructor
        }

        #default
    }
}

/// The index of a type definition, found by identity (definitions are unique by name).
fn model_id(model: &Model, def: &TypeDef) -> crate::model::TypeId {
    let index = model
        .types
        .iter()
        .position(|t| t.name == def.name)
        .expect("type is in the model");
    crate::model::TypeId(index)
}

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

fn emit_field(model: &Model, field: &Field) -> TokenStream {
    let name = field_ident(field);
    let ty = field_type(model, field);
    let doc = field_doc(field).to_attrs();
    let deprecated = deprecated_attr(&field.markers);
    let serde = serde_attr(field);
    quote! {
        #doc
        #deprecated
        #serde
        pub #name: #ty,
    }
}

/// The `#[serde(...)]` attribute of a derived field: its wire name, how absence and `null` read,
/// and its own decoder if it has one ([`decoder`]). Every derived struct of the crate uses it, so they all read a
/// field alike.
pub(crate) fn serde_attr(field: &Field) -> Option<TokenStream> {
    let mut serde = Vec::new();
    if needs_rename(&field_name(field), &field.name) {
        let wire = &field.name;
        serde.push(quote!(rename = #wire));
    }
    if field.optional {
        serde.push(quote!(
            default,
            skip_serializing_if = "::std::option::Option::is_none"
        ));
    }
    if let Some(decoder) = decoder(field) {
        let with = if field.always_present() {
            decoder.required
        } else {
            decoder.optional
        };
        serde.push(quote!(deserialize_with = #with));
    } else if field.nullable && !field.optional {
        // A derived `Option` field reads an absent key as `None`; a required one must be there.
        // (`deserialize_with` alone already makes the key required.)
        serde.push(quote!(
            deserialize_with = "crate::unknown::__required_nullable"
        ));
    }
    (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]))
}

/// How `new` fills a field.
pub(crate) enum Init {
    /// From a parameter of the same name.
    Param,
    /// With a fixed expression.
    Value(TokenStream),
}

/// How a constructor fills a field: optional fields start absent, constant ones take their
/// constant, the others come from parameters.
pub(crate) fn init(field: &Field) -> Init {
    if field.optional {
        return Init::Value(quote!(::std::option::Option::None));
    }
    match &field.constant {
        Some(constant) if field.nullable => Init::Value(
            quote!(::std::option::Option::Some(::std::borrow::Cow::Borrowed(#constant))),
        ),
        Some(constant) => Init::Value(quote!(::std::borrow::Cow::Borrowed(#constant))),
        None => Init::Param,
    }
}

/// The `new` constructor, and a `Default` impl when it takes no parameters.
fn emit_constructor(
    model: &Model,
    fields: &[Field],
    name: &proc_macro2::Ident,
) -> (TokenStream, Option<TokenStream>) {
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut param_docs = Vec::new();
    for field in fields {
        let name = field_ident(field);
        match init(field) {
            Init::Param => {
                let ty = field_type(model, field);
                params.push(quote!(#name: #ty));
                inits.push(quote!(#name));
                param_docs.push(format!("`{}`", field.name));
            }
            Init::Value(value) => inits.push(quote!(#name: #value)),
        }
    }
    let allow = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let doc = if params.is_empty() {
        " Builds a value with every optional field absent.".to_owned()
    } else {
        format!(
            " Builds a value from its required fields ({}); optional fields start absent.",
            param_docs.join(", ")
        )
    };
    let default = params.is_empty().then(|| {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let constructor = quote! {
        #[doc = #doc]
        #allow
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits),* }
        }
    };
    (constructor, default)
}
