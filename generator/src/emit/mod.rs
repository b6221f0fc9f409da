//! The normalised model → the files of the generated crate.
//!
//! One module per output file, each with its `PATH` and `generate`;
//! [`outputs`] is the table of them all (the recipe for a new file is
//! there), and [`crate::output`] adds the headers and writes the files.

pub mod cargo_toml;
pub mod client;
pub(crate) mod doc_text;
pub mod lib_rs;
pub mod models;
pub mod outputs;
pub mod readme;
pub mod requests;
pub mod responses;
pub mod runtime;
pub mod runtime_spec;
pub mod webhooks;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::Type;
use crate::names;

/// An identifier from a name the normaliser already checked.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `///` lines from a spec description. Every piece of spec text that
/// becomes documentation passes through here (or [`doc_line`]): code in it is
/// relabelled `text`, so it never runs as a doctest, and control and
/// bidirectional characters are made visible (see [`doc_text`]).
pub(crate) fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let text = doc_text::neutralise(text);
    let lines = text.lines().map(|line| {
        let line = line.trim_end();
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Spec text (a title) for a one-line doc attribute written by hand: made
/// safe like [`doc`], line breaks as spaces.
pub(crate) fn doc_line(text: &str) -> String {
    // In one line, code is plain text: fence lines go, and the line does not
    // start with a fence character (which could open a block).
    let text = doc_text::neutralise(text);
    let line = text
        .lines()
        .filter(|l| !(l.starts_with("```") || l.starts_with("~~~")))
        .collect::<Vec<_>>()
        .join(" ");
    line.trim_start_matches(['`', '~', ' ']).to_owned()
}

/// The Rust spelling of a type (names are imported by each file; a name kept
/// in a module is written `module::Name`).
pub(crate) fn rust_type(ty: &Type) -> TokenStream {
    rust_type_in(ty, None)
}

/// [`rust_type`] as written inside `models`' module `module`, where that
/// module's own types need no prefix.
pub(crate) fn rust_type_in(ty: &Type, module: Option<&str>) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::F64 => quote!(f64),
        Type::Bool => quote!(bool),
        Type::Vec(inner) => {
            let inner = rust_type_in(inner, module);
            quote!(Vec<#inner>)
        }
        Type::Map(inner) => {
            let inner = rust_type_in(inner, module);
            quote!(BTreeMap<String, #inner>)
        }
        Type::Named(name) => match names::split_qualified(name) {
            (Some(m), own) if Some(m) != module => {
                let (m, own) = (ident(m), ident(own));
                quote!(#m::#own)
            }
            (_, own) => {
                let own = ident(own);
                quote!(#own)
            }
        },
        Type::Json => quote!(Value),
        Type::Bytes => quote!(Vec<u8>),
        Type::Timestamp => quote!(Timestamp),
    }
}

/// The type of a path parameter's argument (request builder and client
/// method): `&str` for a string, a slice or reference for an array, map or
/// struct (sent with a style), the value for other scalars and enums.
pub(crate) fn path_arg_type(api: &crate::model::Api, ty: &Type) -> TokenStream {
    let is_struct =
        |name: &str| matches!(api.type_named(name), Some(crate::model::TypeDef::Struct(_)));
    match ty {
        Type::String => quote!(&str),
        Type::Vec(inner) => {
            let inner = rust_type(inner);
            quote!(&[#inner])
        }
        Type::Map(_) => {
            let ty = rust_type(ty);
            quote!(&#ty)
        }
        Type::Named(name) if is_struct(name) => {
            let ty = rust_type(ty);
            quote!(&#ty)
        }
        _ => rust_type(ty),
    }
}

/// Does the type mention `serde_json::Value`?
pub(crate) fn uses_json(ty: &Type) -> bool {
    match ty {
        Type::Json => true,
        Type::Vec(inner) | Type::Map(inner) => uses_json(inner),
        _ => false,
    }
}

/// Does the type mention the runtime's `Timestamp`?
pub(crate) fn uses_timestamp(ty: &Type) -> bool {
    match ty {
        Type::Timestamp => true,
        Type::Vec(inner) | Type::Map(inner) => uses_timestamp(inner),
        _ => false,
    }
}

/// Does the type mention `BTreeMap`?
pub(crate) fn uses_map(ty: &Type) -> bool {
    match ty {
        Type::Map(_) => true,
        Type::Vec(inner) => uses_map(inner),
        _ => false,
    }
}

/// `use serde_json::Value;` when some operation's response type mentions it
/// (with `page_items`, also when the records of a paged list do, for the
/// client's `*_stream` methods).
pub(crate) fn use_json_for_responses(
    api: &crate::model::Api,
    page_items: bool,
) -> Option<TokenStream> {
    let needed = api.operations.iter().any(|op| {
        matches!(&op.response, crate::model::Response::Json { ty, page_item }
            if uses_json(ty) || (page_items && page_item.as_ref().is_some_and(uses_json)))
    });
    needed.then(|| {
        quote!(
            use serde_json::Value;
        )
    })
}

/// `use crate::models::{A, B};` for the named types in `names` (sorted,
/// unique); for a type kept in a module, the module is imported.
pub(crate) fn use_models<'a>(names: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let mut names: Vec<&str> = names
        .into_iter()
        .map(|name| match names::split_qualified(name) {
            (Some(module), _) => module,
            (None, own) => own,
        })
        .collect();
    sort_use_list(&mut names);
    if names.is_empty() {
        return TokenStream::new();
    }
    let names = names.into_iter().map(ident);
    quote!(use crate::models::{#(#names),*};)
}

/// Sorts and dedups the names of a `use` list the way rustfmt orders them:
/// modules (lowercase) before types.
pub(crate) fn sort_use_list(names: &mut Vec<&str>) {
    names.sort_unstable_by_key(|name| (name.starts_with(|c: char| c.is_ascii_uppercase()), *name));
    names.dedup();
}

/// Whether a settable field holds `Option<T>` or is a collection that is
/// empty when unset.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// `Option<ty>`: the setter stores `Some(..)`.
    Optional,
    /// `ty` itself (a `Vec` or map, empty when not sent).
    Collection,
}

/// `pub fn new(args..) -> Self { Self { inits.. } }` under `docs`: the
/// constructor of a type with required fields (`args` are theirs, `inits`
/// give every field its start). Past clippy's limit of 7 arguments the lint
/// is allowed: the spec decides how many fields are required.
pub(crate) fn new_fn(
    docs: TokenStream,
    args: Vec<TokenStream>,
    inits: impl Iterator<Item = TokenStream>,
) -> TokenStream {
    let allow = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #docs
        #allow
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits),* }
        }
    }
}

/// The chainable setter of one optional field, named like the field:
/// `impl Into<T>` for a value, `impl IntoIterator<Item = impl Into<T>>` for a
/// list, `impl Into<BTreeMap<String, T>>` for a map. (Names clashing with the
/// types' other methods were made unique in `normalise`.)
pub(crate) fn setter(field: &str, ty: &Type, slot: Slot, module: Option<&str>) -> TokenStream {
    let name = ident(field);
    let docs = doc(Some(&format!("Sets `{field}`.")));
    let (arg, value) = match ty {
        Type::Vec(item) => {
            let item = rust_type_in(item, module);
            (
                quote!(impl IntoIterator<Item = impl Into<#item>>),
                quote!(value.into_iter().map(Into::into).collect()),
            )
        }
        other => {
            let other = rust_type_in(other, module);
            (quote!(impl Into<#other>), quote!(value.into()))
        }
    };
    let value = match slot {
        Slot::Optional => quote!(Some(#value)),
        Slot::Collection => value,
    };
    quote! {
        #docs
        #[must_use]
        pub fn #name(mut self, value: #arg) -> Self {
            self.#name = #value;
            self
        }
    }
}
