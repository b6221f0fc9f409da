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

use crate::model::{Shape, Type};
use crate::rust_type::Renderer;

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
    doc_lines(&doc_text::neutralise(text))
}

/// `///` lines from text the generator writes itself, whose intra-doc links
/// (`[`Self::list_role`]`) are meant: not passed through [`doc_text`], which
/// would show them as text. Never give it spec text.
pub(crate) fn own_doc(text: &str) -> TokenStream {
    doc_lines(text)
}

/// `///` lines of a spec description (made safe as [`doc`] does) followed,
/// after a blank line, by the generator's own text (as [`own_doc`]).
pub(crate) fn doc_then_own(spec: Option<&str>, own: &str) -> TokenStream {
    match spec {
        Some(spec) => doc_lines(&format!("{}\n\n{own}", doc_text::neutralise(spec))),
        None => doc_lines(own),
    }
}

fn doc_lines(text: &str) -> TokenStream {
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

/// The chainable setter of one field that is not a `new(..)` argument,
/// named like the field: `impl Into<T>` for a value, `impl IntoIterator<Item
/// = impl Into<T>>` for a list, `impl Into<BTreeMap<String, T>>` for a map;
/// it stores `Some(..)` into an optional field and the value itself into a
/// collection. (Names clashing with the types' other methods were made
/// unique in `normalise`.)
pub(crate) fn setter(render: &Renderer<'_>, field: &str, ty: &Type, shape: Shape) -> TokenStream {
    let name = ident(field);
    let docs = own_doc(&format!("Sets `{field}`."));
    let arg = render.setter_arg(ty);
    let value = match ty {
        Type::Vec(_) => quote!(value.into_iter().map(Into::into).collect()),
        _ => quote!(value.into()),
    };
    let value = if shape.is_option() {
        quote!(Some(#value))
    } else {
        value
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
