//! `src/responses.rs`: one parser per operation, `http::Response` → model.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::{Api, Operation, Response};
use crate::rust_type::{Imports, Renderer, Scope};

pub const PATH: &str = "src/responses.rs";

pub fn generate(api: &Api) -> TokenStream {
    let imports = Imports::new();
    let render = Renderer::new(Scope::Crate, &imports);
    let parsers: Vec<TokenStream> = api
        .operations
        .iter()
        .map(|op| parser(op, &render))
        .collect();
    // A document without operations gets a module with nothing to import.
    let parse = (!parsers.is_empty()).then(|| {
        quote!(
            use crate::runtime::response as parse;
        )
    });
    let [http, json, models, runtime] = ["http", "serde_json", "crate::models", "crate::runtime"]
        .map(|path| imports.use_line(path));
    quote! {
        //! Response parsers: each reads the answer to the request of the same name
        //! in [`crate::requests`]. A 2xx body becomes the model; Twilio's error
        //! body becomes [`crate::runtime::Error::Api`]; anything else is a typed error, never a panic.
        #http
        #json
        #models
        #parse
        #runtime
        #(#parsers)*
    }
}

fn parser(op: &Operation, render: &Renderer<'_>) -> TokenStream {
    let imports = render.imports();
    imports.add("http", "Response");
    imports.add("crate::runtime", "Error");
    let name = ident(&op.name);
    let doc = super::own_doc(&format!(
        "Reads the answer to [`requests::{0}`](crate::requests::{0}).",
        op.name
    ));
    let (output, body) = match &op.response {
        Response::Json { ty, .. } => (render.ty(ty), quote!(parse::json(response))),
        Response::Empty => (quote!(()), quote!(parse::empty(response))),
        Response::Redirect => {
            imports.add("crate::runtime", "Redirect");
            (quote!(Redirect), quote!(parse::redirect(response)))
        }
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
