//! `src/responses.rs`: one parser per operation, `http::Response` → model.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, rust_type, use_models};
use crate::model::{Api, Operation, Response};

pub const PATH: &str = "src/responses.rs";

pub fn generate(api: &Api) -> TokenStream {
    let models = use_models(api.operations.iter().filter_map(|op| match &op.response {
        Response::Json { ty, .. } => ty.named(),
        Response::Empty => None,
    }));
    let json = super::use_json_for_responses(api, false);
    let parsers = api.operations.iter().map(parser);
    quote! {
        //! Response parsers: each reads the answer to the request of the same name
        //! in [`crate::requests`]. A 2xx body becomes the model; Twilio's error
        //! body becomes [`Error::Api`]; anything else is a typed error, never a panic.
        use http::Response;
        #json
        #models
        use crate::runtime::response as parse;
        use crate::runtime::Error;
        #(#parsers)*
    }
}

fn parser(op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let doc = super::doc(Some(&format!(
        "Reads the answer to [`requests::{0}`](crate::requests::{0}).",
        op.name
    )));
    match &op.response {
        Response::Json { ty, .. } => {
            let ty = rust_type(ty);
            quote! {
                #doc
                pub fn #name<B: AsRef<[u8]>>(response: &Response<B>) -> Result<#ty, Error> {
                    parse::json(response)
                }
            }
        }
        Response::Empty => quote! {
            #doc
            pub fn #name<B: AsRef<[u8]>>(response: &Response<B>) -> Result<(), Error> {
                parse::empty(response)
            }
        },
    }
}
