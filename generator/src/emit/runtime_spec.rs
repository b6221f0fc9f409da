//! `src/runtime/spec.rs`: every value the runtime takes from the spec, in
//! one generated module. The rest of `src/runtime/` is stamped from
//! `templates/runtime/` as it is; the runtime crate (`templates/runtime/`
//! built on its own) has a hand-written stand-in, `templates/runtime/spec.rs`,
//! with the same items.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Api;

pub const PATH: &str = "src/runtime/spec.rs";

pub fn generate(api: &Api) -> TokenStream {
    let base_url = &api.base_url;
    let origin = &api.identity.origin;
    let (scheme, host) = (&origin.scheme, &origin.host);
    let port = proc_macro2::Literal::u16_unsuffixed(origin.port);
    let generator_version = env!("CARGO_PKG_VERSION");
    quote! {
        //! What the runtime takes from the spec (generated; the rest of the
        //! runtime is the same in every generated crate).

        /// Where requests go unless a client is given another base URL (the
        /// spec's first server).
        pub const DEFAULT_BASE_URL: &str = #base_url;

        /// The scheme of [`DEFAULT_BASE_URL`], lower case.
        pub const DEFAULT_ORIGIN_SCHEME: &str = #scheme;

        /// The host of [`DEFAULT_BASE_URL`], lower case.
        pub const DEFAULT_ORIGIN_HOST: &str = #host;

        /// The port of [`DEFAULT_BASE_URL`] (the scheme's default when it names none).
        pub const DEFAULT_ORIGIN_PORT: u16 = #port;

        /// The version of twilio-codegen that generated this crate, for the
        /// `User-Agent`.
        pub const GENERATOR_VERSION: &str = #generator_version;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    /// The stand-in the runtime crate compiles against declares the same
    /// items as the generated module, so code that builds there builds here.
    #[test]
    fn the_stand_in_declares_the_generated_items() {
        let mut api = Api {
            base_url: "https://example.com".to_owned(),
            ..Api::default()
        };
        api.identity.origin = Origin {
            scheme: "https".to_owned(),
            host: "example.com".to_owned(),
            port: 443,
        };
        let generated = syn::parse2::<syn::File>(generate(&api)).unwrap();
        let stand_in = syn::parse_file(include_str!("../../../templates/runtime/spec.rs")).unwrap();
        let signatures = |file: &syn::File| -> Vec<String> {
            file.items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Const(c) => Some(format!(
                        "{}: {}",
                        c.ident,
                        quote::ToTokens::to_token_stream(&c.ty)
                    )),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(signatures(&stand_in), signatures(&generated));
    }
}
