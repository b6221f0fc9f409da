//! `src/lib.rs`: the crate root, its docs from the document's `info`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{doc_line, doc_text};
use crate::model::{Api, Operation};

pub const PATH: &str = "src/lib.rs";

pub fn generate(api: &Api) -> TokenStream {
    let title = format!(
        " {}: typed Rust bindings generated from its OpenAPI description.",
        doc_line(&api.title)
    );
    let description = api
        .identity
        .description
        .as_deref()
        .map(|text| {
            let text = doc_text::neutralise(text);
            let lines = std::iter::once(String::new()).chain(text.lines().map(|line| {
                if line.is_empty() {
                    String::new()
                } else {
                    format!(" {line}")
                }
            }));
            quote!(#(#![doc = #lines])*)
        })
        .unwrap_or_default();
    let server = format!(
        " Requests go to <{}> unless a client is given another base URL.",
        api.base_url
    );
    // Only an API with callbacks has a `webhooks` module.
    let (webhooks_doc, webhooks_mod) = if api.callbacks.is_empty() {
        (TokenStream::new(), TokenStream::new())
    } else {
        (
            quote! {
                //! - [`webhooks`]: the requests the API sends to your server, one struct per
                //!   event type and an enum over them (signature checks: [`runtime::webhook`]).
            },
            quote! {
                #[rustfmt::skip]
                pub mod webhooks;
            },
        )
    };
    let operations = operation_lines(&api.operations);
    quote! {
        #![doc = #title]
        #description
        //!
        #![doc = #server]
        //!
        //! - [`models`]: response models and enums (every field optional; unknown enum values kept).
        //! - [`requests`]: parameter structs and sans-IO builders of `http::Request`s.
        //! - [`responses`]: parsers of `http::Response`s into models or typed errors.
        //! - [`Client`] (feature `client`, on by default): an async reqwest client with
        //!   retries and auto-paging, one method per operation.
        #webhooks_doc
        //! - [`runtime`]: the support code all of the above use.
        #operations

        // The modules are printed by prettyplease; `rustfmt::skip` keeps a
        // workspace-wide `cargo fmt` from rewriting them (and so from making
        // generated/ differ from what the generator writes).
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod requests;
        #[rustfmt::skip]
        pub mod responses;
        #[rustfmt::skip]
        pub mod runtime;
        #webhooks_mod

        #[cfg(feature = "client")]
        #[rustfmt::skip]
        mod client;

        pub use runtime::{Api, ApiError, Credentials, Error, Page, PageMeta};
        #[cfg(feature = "client")]
        pub use runtime::{Client, ClientBuilder, Limits, RetryPolicy};

        pub use runtime::spec::DEFAULT_BASE_URL;

        // The README's examples, compiled and run by `cargo test --doc`.
        #[cfg(doctest)]
        #[doc = include_str!("../README.md")]
        struct ReadmeDoctests;
    }
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
    quote! {
        //!
        //! # Operations
        //!
        //! Each has a request builder in [`requests`] and, with the `client`
        //! feature, a [`Client`] method of the same name.
        //!
        #(#![doc = #lines])*
    }
}
