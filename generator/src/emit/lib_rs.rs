//! `src/lib.rs`: the crate root. Its docs come from the document's `info`;
//! its modules, and their lines on the front page, are given to it (the
//! table of outputs, [`super::outputs`], says which there are), so this
//! module decides only how a module is declared and listed.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{doc_line, doc_text, ident};
use crate::model::{Api, Operation};

pub const PATH: &str = "src/lib.rs";

/// A module the crate root declares, with its item in the front page's
/// list of modules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Module {
    pub name: &'static str,
    pub access: Access,
    /// The list item, Markdown: `- [`name`]: …`, further lines indented
    /// two spaces (each becomes one `//!` line).
    pub bullet: &'static str,
}

/// How the crate root declares a [`Module`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// `pub mod x;`
    Public,
    /// `#[cfg(feature = "client")] mod x;`: compiled with the `client`
    /// feature only, its items reached through the root's re-exports.
    Client,
}

/// The crate root declaring `modules`, listed on its front page in the
/// order given.
pub fn generate(api: &Api, modules: &[Module]) -> TokenStream {
    let title = format!(
        " {}: typed Rust bindings generated from its OpenAPI description.",
        doc_line(&api.title)
    );
    let description = description(api);
    let server = format!(
        " Requests go to <{}> unless a client is given another base URL.",
        api.base_url
    );
    let bullets = modules
        .iter()
        .flat_map(|module| module.bullet.lines())
        .map(|line| inner_doc(&format!(" {line}")));
    let operations = operation_lines(&api.operations);
    let declarations = declarations(modules);
    quote! {
        #![doc = #title]
        #description
        //!
        #![doc = #server]
        //!
        #(#bullets)*
        #operations

        #declarations

        pub use runtime::{Api, ApiError, Credentials, Endpoint, Error, Page, PageMeta};
        #[cfg(feature = "client")]
        pub use runtime::{Client, ClientBuilder, Limits, RetryPolicy};

        pub use runtime::spec::DEFAULT_BASE_URL;

        // What the public API makes users name, so that they need not depend
        // on the crates themselves (and keep their versions in step): the
        // requests and responses are `http` types, untyped JSON is
        // `serde_json::Value`, and the `*_stream` methods return a stream
        // whose `try_collect`/`try_next` come from `TryStreamExt`.
        pub use http;
        pub use serde_json::Value;
        #[cfg(feature = "client")]
        pub use futures_util::{StreamExt, TryStreamExt};

        // The README's examples, compiled and run by `cargo test --doc`.
        #[cfg(doctest)]
        #[doc = include_str!("../README.md")]
        struct ReadmeDoctests;
    }
}

/// `info.description` as `//!` lines after a blank one, code in it made
/// plain text.
fn description(api: &Api) -> TokenStream {
    let Some(text) = api.identity.description.as_deref() else {
        return TokenStream::new();
    };
    let text = doc_text::neutralise(text);
    let lines = std::iter::once(String::new()).chain(text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    }));
    quote!(#(#![doc = #lines])*)
}

/// `mod` declarations: the public modules, then those behind the `client`
/// feature, each group in name order (whatever the front page's order).
fn declarations(modules: &[Module]) -> TokenStream {
    let mut sorted = modules.to_vec();
    sorted.sort_by_key(|module| (module.access, module.name));
    // The modules are printed by prettyplease; `rustfmt::skip` keeps a
    // workspace-wide `cargo fmt` from rewriting them (and so from making
    // generated/ differ from what the generator writes).
    let items = sorted.iter().map(|module| {
        let name = ident(module.name);
        match module.access {
            Access::Public => quote! {
                #[rustfmt::skip]
                pub mod #name;
            },
            Access::Client => quote! {
                #[cfg(feature = "client")]
                #[rustfmt::skip]
                mod #name;
            },
        }
    });
    quote!(#(#items)*)
}

/// The front page's list of operations: one line each, the request builder
/// (linked), the `Client` method of the same name, and `METHOD /path`.
fn operation_lines(operations: &[Operation]) -> TokenStream {
    if operations.is_empty() {
        return TokenStream::new();
    }
    let lines = operations.iter().map(|op| {
        format!(
            " - [`requests::{name}`] (`Client::{name}`): `{} {}`",
            op.method.as_str(),
            op.path,
            name = op.name
        )
    });
    let intro = inner_doc(
        " Each has a request builder in [`requests`] and, with the `client` feature, a [`Client`] method of the same name.",
    );
    quote! {
        //!
        //! # Operations
        //!
        #intro
        //!
        #(#![doc = #lines])*
    }
}

/// One `//!` line. A line linking to `Client` (or its methods), which exists
/// only with the `client` feature, is written twice: with its links under
/// the feature, and with them as plain code without it, so rustdoc finds
/// every link with any feature set.
fn inner_doc(line: &str) -> TokenStream {
    const LINK: &str = "[`Client";
    if !line.contains(LINK) {
        return quote!(#![doc = #line]);
    }
    let mut plain = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(LINK) {
        plain.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match after[1..].find("`]") {
            Some(end) => {
                plain.push_str(&after[..end + 2]);
                rest = &after[end + 3..];
            }
            None => {
                plain.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    plain.push_str(rest);
    quote! {
        #![cfg_attr(feature = "client", doc = #line)]
        #![cfg_attr(not(feature = "client"), doc = #plain)]
    }
}
