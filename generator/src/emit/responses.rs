//! `src/responses.rs`: one parser per operation, `http::Response` → model.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, rust_type, use_models};
use crate::model::{Api, Operation, Response};

pub const PATH: &str = "src/responses.rs";

pub fn generate(api: &Api) -> TokenStream {
    let models = use_models(api.operations.iter().filter_map(|op| match &op.response {
        Response::Json { ty, .. } => ty.named(),
        Response::Empty | Response::Redirect | Response::Bytes => None,
    }));
    let json = super::use_json_for_responses(api, false);
    // A document without operations gets a module with nothing to import.
    let uses = (!api.operations.is_empty()).then(|| {
        let redirect = api
            .operations
            .iter()
            .any(|op| op.response == Response::Redirect)
            .then(|| quote!(Redirect,));
        quote! {
            use http::Response;
            #json
            #models
            use crate::runtime::response as parse;
            use crate::runtime::{Error, #redirect};
        }
    });
    let parsers = api.operations.iter().map(parser);
    quote! {
        //! Response parsers: each reads the answer to the request of the same name
        //! in [`crate::requests`]. A 2xx body becomes the model; Twilio's error
        //! body becomes [`Error::Api`]; anything else is a typed error, never a panic.
        #uses
        #(#parsers)*
    }
}

fn parser(op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let doc = super::doc(Some(&format!(
        "Reads the answer to [`requests::{0}`](crate::requests::{0}).",
        op.name
    )));
    let (output, body) = match &op.response {
        Response::Json { ty, .. } => (rust_type(ty), quote!(parse::json(response))),
        Response::Empty => (quote!(()), quote!(parse::empty(response))),
        Response::Redirect => (quote!(Redirect), quote!(parse::redirect(response))),
        Response::Bytes => (quote!(Vec<u8>), quote!(parse::bytes(response))),
    };
    let detail = match &op.response {
        Response::Redirect => Some(super::doc(Some(
            "\nThe spec answers this operation only with a redirect: the result is its target (the `Location` header), not followed.",
        ))),
        Response::Bytes => Some(super::doc(Some(
            "\nThe answer is not JSON: the result is the body's bytes as received.",
        ))),
        _ => None,
    };
    quote! {
        #doc
        #detail
        pub fn #name<B: AsRef<[u8]>>(response: &Response<B>) -> Result<#output, Error> {
            #body
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document with no operations (Twilio publishes one) must not import
    /// what no parser uses: the crate is built with warnings denied.
    #[test]
    fn no_operations_import_nothing() {
        let code = generate(&Api::default()).to_string();
        assert!(!code.contains("use "), "{code}");
        let code = super::super::client::generate(&Api::default()).to_string();
        assert!(!code.contains("use "), "{code}");
        assert!(!code.contains("impl Client"), "{code}");
    }
}
