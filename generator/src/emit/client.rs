//! `src/client.rs`: one async method per operation on the runtime's `Client`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, doc_then_own, ident, own_doc};
use crate::model::{Api, NextPage, Operation, Params, Response, Struct, TypeDef};
use crate::rust_type::{Imports, Renderer, Scope};

pub const PATH: &str = "src/client.rs";

pub fn generate(api: &Api) -> TokenStream {
    let module_doc = quote! {
        //! The async client's API methods: each builds the request with
        //! [`crate::requests`], sends it with retries, and parses the answer with
        //! [`crate::responses`].
    };
    if api.operations.is_empty() {
        // Nothing to add to `Client`, and so nothing to import.
        return module_doc;
    }
    let imports = Imports::new();
    let render = Renderer::new(Scope::Crate, &imports);
    let methods: Vec<TokenStream> = api
        .operations
        .iter()
        .map(|op| methods(api, op, &render))
        .collect();
    imports.add("crate::runtime", "Client");
    let uses = [
        "std::collections",
        "serde_json",
        "crate::models",
        "crate::requests",
        "crate::runtime",
        "crate",
    ]
    .map(|path| imports.use_line(path));
    quote! {
        #module_doc
        #(#uses)*

        impl Client {
            #(#methods)*
        }
    }
}

/// The method's doc line on the account parameters, if any: which account
/// is used and how to pick another.
fn account_doc(op: &Operation) -> Option<String> {
    let wires: Vec<String> = op
        .account_params()
        .map(|p| format!("`{}`", p.wire))
        .collect();
    (!wires.is_empty()).then(|| {
        format!(
            "{} is the account this client acts for ([`Api::account_sid`](crate::runtime::Api::account_sid)): the credentials' account unless another is set with [`ClientBuilder::account_sid`](crate::runtime::ClientBuilder::account_sid); for a subaccount in one call, `client.with_account_sid(\"AC…\").{}(..)` ([`Client::with_account_sid`]).",
            wires.join(" and "),
            op.name
        )
    })
}

fn methods(api: &Api, op: &Operation, render: &Renderer<'_>) -> TokenStream {
    let imports = render.imports();
    imports.add("crate::runtime", "Error");
    imports.add("crate", "requests");
    imports.add("crate", "responses");
    let name = ident(&op.name);
    let endpoint = format!("`{} {}`", op.method.as_str(), op.path);
    let endpoint = match account_doc(op) {
        Some(account) => format!("{endpoint}\n\n{account}"),
        None => endpoint,
    };
    // The spec's text made safe; the endpoint and account lines are ours,
    // their links meant.
    let docs = doc_then_own(op.doc.as_deref(), &endpoint);
    let mut args = Vec::new();
    let mut call = Vec::new();
    for p in op.path_args() {
        let arg = ident(&p.name);
        let ty = render.path_arg(api, &p.ty);
        args.push(quote!(#arg: #ty));
        call.push(quote!(#arg));
    }
    if let Some(Params { name: params, .. }) = &op.params {
        imports.add("crate::requests", params);
        let params = ident(params);
        args.push(quote!(params: &#params));
        call.push(quote!(params));
    }
    let output = match &op.response {
        Response::Json { ty, .. } => render.ty(ty),
        Response::Empty => quote!(()),
        Response::Redirect => {
            imports.add("crate::runtime", "Redirect");
            quote!(Redirect)
        }
        Response::Bytes => quote!(Vec<u8>),
    };
    // The client's own reqwest client follows no redirect, so the 3xx reaches
    // the parser, which returns its `Location`.
    let redirect_doc = (op.response == Response::Redirect).then(|| {
        doc(Some(
            "\nThe spec answers this operation only with a redirect: this returns its target (the `Location` header) without following it.",
        ))
    });
    // `&self` + one argument per path parameter + `params` (+ `limit`): a
    // deep resource path can pass clippy's limit of 7, and the arguments
    // mirror the path, so that is allowed rather than bundled.
    let many = |extra: usize| {
        (1 + args.len() + extra > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]))
    };
    let (allow_single, allow_stream) = (many(0), many(1));
    let single = quote! {
        #docs
        #redirect_doc
        #allow_single
        pub async fn #name(&self, #(#args),*) -> Result<#output, Error> {
            let request = requests::#name(self.api(), #(#call),*)?;
            let response = self.execute(request).await?;
            responses::#name(&response)
        }
    };
    let (
        Response::Json {
            ty,
            page_item: Some(item),
        },
        Some(stream),
    ) = (&op.response, &op.stream)
    else {
        return single;
    };
    let stream_name = ident(stream);
    // `futures_util::Stream` is written with its path, not imported: the
    // models may have a `Stream` of their own (Twilio's 2010 API has one).
    let page = render.ty(ty);
    let item = render.ty(item);
    let link = match ty.named().and_then(|name| api.type_named(name)) {
        Some(TypeDef::Struct(Struct {
            next_page: NextPage::Field(field),
            ..
        })) => format!("`{field}` (a path, taken on this client's origin, or a URL)"),
        _ => "`meta.next_page_url`".to_owned(),
    };
    let stream_doc = own_doc(&format!(
        "Every record of [`Self::{}`], page after page: follows {link} lazily, only on this client's origin, and stops after `limit` records when one is given.",
        op.name
    ));
    quote! {
        #single

        #stream_doc
        #allow_stream
        pub fn #stream_name(&self, #(#args,)* limit: Option<usize>) -> Result<impl futures_util::Stream<Item = Result<#item, Error>> + Send + '_, Error> {
            let request = requests::#name(self.api(), #(#call),*)?;
            Ok(self.paginate::<#page>(request, limit))
        }
    }
}
