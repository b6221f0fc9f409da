//! `src/lib.rs`: the crate root. Its docs come from the document's `info`;
//! its modules, and their lines on the front page, are given to it (the
//! table of outputs, [`super::outputs`], says which there are), so this
//! module decides only how a module is declared and listed.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{doc_line, doc_text, ident};
use crate::model::Api;

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
        .map(|line| format!(" {line}"));
    let operations = operation_lines(api);
    let declarations = declarations(modules);
    // The front page links `Client` and its methods, which exist only with
    // the `client` feature: without it those links are text, not warnings
    // (the builds with the feature check every link, so none is lost).
    quote! {
        #![doc = #title]
        #description
        //!
        #![doc = #server]
        //!
        #(#![doc = #bullets])*
        #operations
        #![cfg_attr(not(feature = "client"), allow(rustdoc::broken_intra_doc_links))]

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

/// The front page's list of operations, by resource (`## Calls`): one line
/// each, the request builder and the `Client` method (both linked), and
/// `METHOD /path`.
fn operation_lines(api: &Api) -> TokenStream {
    if api.operations.is_empty() {
        return TokenStream::new();
    }
    let mut lines = Vec::new();
    for resource in &api.resources {
        lines.push(String::new());
        lines.push(format!(" ## {}", resource.title));
        lines.push(String::new());
        for op in resource
            .operations
            .iter()
            .filter_map(|id| api.operations.iter().find(|op| &op.id == id))
        {
            lines.push(format!(
                " - [`requests::{name}`], [`Client::{name}`]: `{} {}`",
                op.method.as_str(),
                op.path,
                name = op.name
            ));
        }
    }
    quote! {
        //!
        //! # Operations
        //!
        //! Each has a request builder in [`requests`] and, with the `client`
        //! feature, a [`Client`] method of the same name; here they are grouped
        //! by the resource they act on.
        #(#![doc = #lines])*
    }
}
