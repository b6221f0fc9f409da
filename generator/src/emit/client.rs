//! `src/client.rs`: one async method per operation on the runtime's `Client`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, doc_then_own, ident, own_doc};
use crate::model::{Api, NextPage, Operation, Params, Response, Type, TypeDef};
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
        "crate::runtime::paging",
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
    let stream = Stream {
        name: stream,
        page: ty,
        item,
        args: &args,
        call: &call,
        allow: allow_stream,
    };
    let stream = stream_method(api, op, &stream, render);
    quote! {
        #single

        #stream
    }
}

/// What the `*_stream` method of a list operation is made of.
struct Stream<'a> {
    name: &'a str,
    /// The page type and its records' type.
    page: &'a Type,
    item: &'a Type,
    /// The single call's arguments and the names passed on.
    args: &'a [TokenStream],
    call: &'a [TokenStream],
    allow: Option<TokenStream>,
}

/// The `*_stream` method: the first request as the single call builds it
/// (with the page size set from `limit`), walked by `Client::paginate` or,
/// for token pages, `Client::paginate_with`.
fn stream_method(
    api: &Api,
    op: &Operation,
    stream: &Stream<'_>,
    render: &Renderer<'_>,
) -> TokenStream {
    let imports = render.imports();
    let name = ident(&op.name);
    let stream_name = ident(stream.name);
    // `futures_util::Stream` is written with its path, not imported: the
    // models may have a `Stream` of their own (Twilio's 2010 API has one).
    let page = render.ty(stream.page);
    let item = render.ty(stream.item);
    let next_page = stream
        .page
        .named()
        .and_then(|name| api.type_named(name))
        .and_then(|def| match def {
            TypeDef::Struct(def) => Some(&def.next_page),
            TypeDef::Enum(_) => None,
        });
    let how = match (next_page, &op.page_token) {
        (Some(NextPage::Token { meta, token }), Some(parameter)) => format!(
            "asks for each next page lazily with the page's `{meta}.{token}` (the first request again, with `{parameter}` set to it), ends at a token it has seen before"
        ),
        (Some(NextPage::Field(field)), _) => format!(
            "follows `{field}` (a path, taken on this client's origin, or a URL) lazily, only on this client's origin"
        ),
        _ => "follows `meta.next_page_url` lazily, only on this client's origin".to_owned(),
    };
    let mut text = format!(
        "Every record of [`Self::{}`], page after page: {how}, and stops after `limit` records when one is given.",
        op.name
    );
    let (args, mut call) = (stream.args, stream.call.to_vec());
    let sized = op.page_size.as_ref().map(|size| {
        let wire = op
            .params
            .iter()
            .flat_map(|p| p.fields.iter())
            .find(|p| p.name == size.field)
            .map_or(size.field.as_str(), |p| p.wire.as_str());
        text.push_str(&format!(
            "\n\nWith a `limit` and no `{}` in `params`, the listing asks for pages of `limit` records (`{wire}`), at least {} and at most {}, so a small limit fetches a small page; a `{}` of your own is sent as it is.",
            size.field, size.minimum, size.maximum, size.field
        ));
        imports.add("crate::runtime::paging", "page_size_for");
        // `params` is the last argument (the page size is one of its
        // fields); the copy is passed instead.
        if let Some(params) = call.last_mut() {
            *params = quote!(&params);
        }
        let field = ident(&size.field);
        let (minimum, maximum) = (int_literal(size.minimum), int_literal(size.maximum));
        quote! {
            let mut params = std::borrow::Cow::Borrowed(params);
            if let (Some(limit), None) = (limit, params.#field) {
                params.to_mut().#field = Some(page_size_for(limit, #minimum, #maximum));
            }
        }
    });
    // `paging` is a reserved argument name, so no path parameter is called so.
    let walk = match &op.page_token {
        Some(parameter) => {
            imports.add("crate::runtime::paging", "Paging");
            quote! {
                let paging = Paging::Token { parameter: #parameter };
                Ok(self.paginate_with::<#page>(request, limit, paging))
            }
        }
        None => quote!(Ok(self.paginate::<#page>(request, limit))),
    };
    let stream_doc = own_doc(&text);
    let allow = &stream.allow;
    quote! {
        #stream_doc
        #allow
        pub fn #stream_name(&self, #(#args,)* limit: Option<usize>) -> Result<impl futures_util::Stream<Item = Result<#item, Error>> + Send + '_, Error> {
            #sized
            let request = requests::#name(self.api(), #(#call),*)?;
            #walk
        }
    }
}

/// An integer literal without a suffix (its type is the field's).
fn int_literal(value: i64) -> TokenStream {
    let digits = proc_macro2::Literal::u64_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote!(-#digits)
    } else {
        quote!(#digits)
    }
}
