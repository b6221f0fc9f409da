//! `src/lib.rs`: the crate root, its docs from the document's `info`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Api;

pub const PATH: &str = "src/lib.rs";

pub fn generate(api: &Api) -> TokenStream {
    let title = format!(
        " {}: typed Rust bindings generated from its OpenAPI description.",
        one_line(&api.title)
    );
    let description = api
        .identity
        .description
        .as_deref()
        .map(|text| {
            let text = markdown_without_code(text);
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
        //! - [`runtime`]: the support code all of the above use.

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

        #[cfg(feature = "client")]
        #[rustfmt::skip]
        mod client;

        pub use runtime::{Api, ApiError, Credentials, Error, Page, PageMeta};
        #[cfg(feature = "client")]
        pub use runtime::{Client, ClientBuilder, RetryPolicy};

        pub use runtime::spec::DEFAULT_BASE_URL;

        // The README's examples, compiled and run by `cargo test --doc`.
        #[cfg(doctest)]
        #[doc = include_str!("../README.md")]
        struct ReadmeDoctests;
    }
}

/// `text` with its whitespace runs (newlines included) made single spaces.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A document's Markdown made safe to put in crate docs and the README,
/// where rustdoc would compile any code block as a doctest: fenced blocks
/// are marked `text`, and lines lose their leading whitespace (an indented
/// line would be an indented code block). Trailing whitespace goes too.
pub(crate) fn markdown_without_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // The fence character and length of the block we are in.
    let mut open: Option<(char, usize)> = None;
    for line in text.trim().lines() {
        let line = line.trim();
        let fence = ['`', '~'].into_iter().find_map(|c| {
            let run = line.len() - line.trim_start_matches(c).len();
            (run >= 3).then_some((c, run))
        });
        match (fence, open) {
            // A closing fence: the same character, at least as long, nothing after.
            (Some((c, run)), Some((open_c, open_run)))
                if c == open_c && run >= open_run && line[run..].trim().is_empty() =>
            {
                open = None;
                out.push_str(line);
            }
            (Some((c, run)), None) => {
                open = Some((c, run));
                out.push_str(&line[..run]);
                out.push_str("text");
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    if let Some((c, run)) = open {
        // An unclosed block would swallow whatever follows it.
        out.extend(std::iter::repeat_n(c, run));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_in_a_description_never_becomes_a_doctest() {
        let text = "Intro.\n\n    indented code\n```\nbare();\n```\n~~~~rust\nlet x = 1;\n~~~~\n```json\n{}\n";
        assert_eq!(
            markdown_without_code(text),
            "Intro.\n\nindented code\n```text\nbare();\n```\n~~~~text\nlet x = 1;\n~~~~\n```text\n{}\n```\n"
        );
    }
}
