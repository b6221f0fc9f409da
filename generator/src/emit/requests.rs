//! `src/requests.rs`: parameter structs and the sans-IO request builders.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::models::{redacting_debug, DebugField};
use super::{doc, doc_then_own, ident, new_fn, own_doc, setter};
use crate::model::{
    Api, Body, Checks, Encoding, OneOf, Operation, Param, ParamIn, Params, PathPart, Shape, Style,
    Type,
};
use crate::rust_type::{Imports, Renderer, Scope};

pub const PATH: &str = "src/requests.rs";

pub fn generate(api: &Api) -> TokenStream {
    let patterns = Patterns::collect(api);
    let imports = Imports::new();
    let render = Renderer::new(Scope::Crate, &imports);
    let statics: Vec<TokenStream> = patterns
        .by_regex
        .iter()
        .map(|(regex, name)| {
            imports.add("crate::runtime::validate", "Pattern");
            let name = ident(name);
            quote!(static #name: Pattern = Pattern::new(#regex);)
        })
        .collect();
    let operations: Vec<TokenStream> = api
        .operations
        .iter()
        .map(|op| {
            let params = op
                .params
                .as_ref()
                .map(|p| params_struct(op, p, &patterns, &render));
            let builder = request_fn(api, op, &patterns, &render);
            quote!(#params #builder)
        })
        .collect();
    let uses = [
        "std::collections",
        "std",
        "http",
        "serde_json",
        "crate::models",
        "crate::runtime::endpoint",
        "crate::runtime::form",
        "crate::runtime::redact",
        "crate::runtime::validate",
        "crate::runtime",
    ]
    .map(|path| imports.use_line(path));
    quote! {
        //! Request builders: each turns its arguments into an `http::Request`
        //! (method, URL with percent-encoded path parameters, form or JSON body, basic
        //! auth) after checking them against the spec. Nothing is sent here; see
        //! [`crate::responses`] for reading the answer.
        #(#uses)*
        #(#statics)*
        #(#operations)*
    }
}

/// One `static Pattern` per distinct regex, named after the first field using it.
struct Patterns {
    by_regex: BTreeMap<String, String>,
}

impl Patterns {
    fn collect(api: &Api) -> Patterns {
        let mut by_regex: BTreeMap<String, String> = BTreeMap::new();
        for op in &api.operations {
            for param in op
                .path_params
                .iter()
                .chain(op.params.iter().flat_map(Params::all))
            {
                // Named (one name per regex) in `normalise::namespace`.
                if let (Some(regex), Some(name)) = (&param.checks.pattern, &param.pattern_const) {
                    by_regex
                        .entry(regex.clone())
                        .or_insert_with(|| name.clone());
                }
            }
        }
        Patterns { by_regex }
    }
}

/// `validate::…` calls for one value (`value` is a `&str` for strings, an integer otherwise).
fn checks(
    wire: &str,
    checks: &Checks,
    value: TokenStream,
    ty: &Type,
    patterns: &Patterns,
    imports: &Imports,
) -> TokenStream {
    if !checks.is_empty() {
        imports.add("crate::runtime::validate", "self");
    }
    let mut out = Vec::new();
    if let Some(regex) = &checks.pattern {
        let name = ident(&patterns.by_regex[regex]);
        out.push(quote!(validate::pattern(#wire, #value, &#name)?;));
    }
    if checks.min_length.is_some() || checks.max_length.is_some() {
        let min = option(checks.min_length.map(|n| unsuffixed(n as u64)));
        let max = option(checks.max_length.map(|n| unsuffixed(n as u64)));
        out.push(quote!(validate::length(#wire, #value, #min, #max)?;));
    }
    if checks.minimum.is_some() || checks.maximum.is_some() {
        let min = option(checks.minimum.map(signed));
        let max = option(checks.maximum.map(signed));
        let value = if *ty == Type::I64 {
            value.clone()
        } else {
            quote!(i64::from(#value))
        };
        out.push(quote!(validate::range(#wire, #value, #min, #max)?;));
    }
    if checks.uri {
        out.push(quote!(validate::uri(#wire, #value)?;));
    }
    quote!(#(#out)*)
}

fn unsuffixed(n: u64) -> TokenStream {
    let literal = proc_macro2::Literal::u64_unsuffixed(n);
    quote!(#literal)
}

fn signed(n: i64) -> TokenStream {
    let literal = proc_macro2::Literal::u64_unsuffixed(n.unsigned_abs());
    if n < 0 {
        quote!(-#literal)
    } else {
        quote!(#literal)
    }
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// Are these checks applicable to the value's type? (Patterns and lengths only
/// mean something for strings, bounds for integers.)
fn applicable(param: &Param) -> Checks {
    let mut c = param.checks.clone();
    let scalar = match &param.ty {
        Type::Vec(inner) => (**inner).clone(),
        other => other.clone(),
    };
    if scalar != Type::String {
        c.pattern = None;
        c.min_length = None;
        c.max_length = None;
        c.uri = false;
    }
    if !matches!(scalar, Type::I32 | Type::I64) {
        c.minimum = None;
        c.maximum = None;
    }
    c
}

fn params_struct(
    op: &Operation,
    params: &Params,
    patterns: &Patterns,
    render: &Renderer<'_>,
) -> TokenStream {
    let name = ident(&params.name);
    let struct_doc = own_doc(&struct_doc_text(op, params));
    let fields: Vec<TokenStream> = params.all().map(|p| param_field(p, render)).collect();
    let debug_fields: Vec<DebugField<'_>> = params
        .all()
        .map(|p| DebugField {
            name: &p.name,
            pii: p.pii,
            shape: p.shape,
        })
        .collect();
    let debug = redacting_debug(&params.name, &debug_fields, render.imports());
    let derive_default = !params.all().any(|p| p.shape.is_argument());
    let derives = match (derive_default, debug.is_some()) {
        (true, false) => quote!(#[derive(Clone, Debug, Default, PartialEq)]),
        (true, true) => quote!(#[derive(Clone, Default, PartialEq)]),
        (false, false) => quote!(#[derive(Clone, Debug, PartialEq)]),
        (false, true) => quote!(#[derive(Clone, PartialEq)]),
    };
    let groups: Vec<TokenStream> = params
        .one_of
        .iter()
        .map(|g| group_check(params, g))
        .collect();
    let constructor = constructor(params, render);
    let setters: Vec<TokenStream> = params
        .all()
        .filter(|p| !p.shape.is_argument())
        .map(|p| setter(render, &p.name, &p.ty, p.shape))
        .collect();
    let validations: Vec<TokenStream> = params
        .all()
        .filter_map(|p| validation(p, patterns, render.imports()))
        .collect();
    render.imports().add("crate::runtime", "Error");
    quote! {
        #struct_doc
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #constructor

            #(#setters)*

            /// Checks every field against the spec's patterns, lengths, bounds and
            /// formats. The request builder calls this before building anything.
            pub fn validate(&self) -> Result<(), Error> {
                #(#groups)*
                #(#validations)*
                Ok(())
            }
        }

        #debug
    }
}

/// The struct's doc: whose parameters these are, then one line per group
/// of which at least one field must be set.
fn struct_doc_text(op: &Operation, params: &Params) -> String {
    let mut text = format!("Parameters of [`{}`].", op.name);
    for group in &params.one_of {
        let names: Vec<String> = params
            .members(group)
            .map(|p| format!("`{}`", p.name))
            .collect();
        match names.as_slice() {
            [one] => text.push_str(&format!(
                "\n\nSet {one}: the spec requires it (checked by `validate`)."
            )),
            _ => text.push_str(&format!(
                "\n\nSet at least one of {} (checked by `validate`).",
                names.join(", ")
            )),
        }
    }
    text
}

/// The check of one `x-twilio.conditional` group in `validate`: an error
/// when none of its fields is set (`Some(_)`, or a non-empty collection).
fn group_check(params: &Params, group: &OneOf) -> TokenStream {
    let members: Vec<&Param> = params.members(group).collect();
    let unset = members.iter().map(|p| {
        let field = ident(&p.name);
        if p.shape.is_option() {
            quote!(self.#field.is_none())
        } else {
            quote!(self.#field.is_empty())
        }
    });
    let wires: Vec<&str> = members.iter().map(|p| p.wire.as_str()).collect();
    let rust: Vec<String> = members.iter().map(|p| format!("`{}`", p.name)).collect();
    let (field, expected) = match (wires.as_slice(), rust.as_slice()) {
        ([wire], [name]) => ((*wire).to_owned(), format!("a value (the field {name})")),
        ([init @ .., last], _) => (
            format!("{} or {last}", init.join(", ")),
            format!("at least one of them set (the fields {})", rust.join(", ")),
        ),
        ([], _) => return TokenStream::new(),
    };
    quote! {
        if #(#unset)&&* {
            return Err(Error::validation(#field, #expected, "none set"));
        }
    }
}

/// One field of a `*Params` struct, its doc saying how it is sent.
fn param_field(p: &Param, render: &Renderer<'_>) -> TokenStream {
    let field = ident(&p.name);
    let ty = render.declared(&p.ty, p.shape);
    let wire = match (p.location, &p.encoding) {
        (ParamIn::Header, _) => format!("Sent as the `{}` header.", p.wire),
        (ParamIn::Body, Encoding::Json) => "Sent as the JSON body.".to_owned(),
        (ParamIn::Body, _) => "Sent as the body, as it is.".to_owned(),
        (_, Encoding::JsonText) => format!("Sent as `{}`, as its JSON text.", p.wire),
        (_, Encoding::PrefixedMap { prefix }) => format!(
            "Sent as one `{prefix}.<key>[.<subkey>]` pair per leaf (an empty map sends nothing)."
        ),
        (_, Encoding::Styled(style)) => {
            format!("Sent as `{}` with {}.", p.wire, style.spec_text())
        }
        _ => format!("Sent as `{}`.", p.wire),
    };
    let docs = match &p.doc {
        Some(d) => doc(Some(&format!("{d}\n\n{wire}"))),
        None => doc(Some(&wire)),
    };
    quote!(#docs pub #field: #ty,)
}

/// `new(..)`: the required parameters as arguments, every other field
/// starting empty; without required ones, the same as `Default`.
fn constructor(params: &Params, render: &Renderer<'_>) -> TokenStream {
    if !params.all().any(|p| p.shape.is_argument()) {
        return quote! {
            /// Nothing is required: every field starts empty (the same as
            /// `Default`); set the ones to send with the setters.
            pub fn new() -> Self {
                Self::default()
            }
        };
    }
    let args: Vec<TokenStream> = params
        .all()
        .filter(|p| p.shape.is_argument())
        .map(|p| {
            let field = ident(&p.name);
            let ty = render.declared(&p.ty, p.shape);
            quote!(#field: impl Into<#ty>)
        })
        .collect();
    let inits = params.all().map(|p| {
        let field = ident(&p.name);
        match (p.shape, &p.ty) {
            (shape, _) if shape.is_argument() => quote!(#field: #field.into()),
            (Shape::Collection, Type::Vec(_)) => quote!(#field: Vec::new()),
            (Shape::Collection, _) => quote!(#field: BTreeMap::new()),
            _ => quote!(#field: None),
        }
    });
    let docs = quote! {
        /// The required fields; the optional ones start empty (set them
        /// with the setters).
    };
    new_fn(docs, args, inits)
}

/// The checks of one field in `validate`, if the spec gives any that apply
/// to its type (every element of a list; an optional value when set).
fn validation(p: &Param, patterns: &Patterns, imports: &Imports) -> Option<TokenStream> {
    let c = applicable(p);
    if c.is_empty() {
        return None;
    }
    let field = ident(&p.name);
    let wire = &p.wire;
    let scalar = match &p.ty {
        Type::Vec(inner) => (**inner).clone(),
        other => other.clone(),
    };
    let by_ref = scalar == Type::String;
    let value = if by_ref {
        quote!(value)
    } else {
        quote!(*value)
    };
    let body = checks(wire, &c, value, &scalar, patterns, imports);
    Some(match (&p.ty, p.shape) {
        (Type::Vec(_), _) => quote!(for value in &self.#field { #body }),
        (_, shape) if !shape.is_option() => {
            let value = if by_ref {
                quote!(&self.#field)
            } else {
                quote!(self.#field)
            };
            checks(wire, &c, value, &scalar, patterns, imports)
        }
        _ => quote!(if let Some(value) = &self.#field { #body }),
    })
}

/// Scalars passed by value (clippy: no needless borrows of `Copy` values).
fn is_copy(ty: &Type) -> bool {
    matches!(ty, Type::I32 | Type::I64 | Type::F64 | Type::Bool)
}

fn request_fn(
    api: &Api,
    op: &Operation,
    patterns: &Patterns,
    render: &Renderer<'_>,
) -> TokenStream {
    let imports = render.imports();
    let name = ident(&op.name);
    let endpoint = format!("`{} {}`", op.method.as_str(), op.path);
    let endpoint = match account_doc(op) {
        Some(account) => format!("{endpoint}\n\n{account}"),
        None => endpoint,
    };
    // The spec's text made safe; the endpoint and account lines are ours,
    // their links meant.
    let docs = doc_then_own(op.doc.as_deref(), &endpoint);
    let accounts = account_bindings(op);
    let path_args = op.path_args().map(|p| {
        let arg = ident(&p.name);
        let ty = render.path_arg(api, &p.ty);
        quote!(#arg: #ty)
    });
    let params_arg = op.params.as_ref().map(|p| {
        let ty = ident(&p.name);
        quote!(params: &#ty)
    });
    let args: Vec<TokenStream> = path_args.chain(params_arg).collect();
    let path_checks: Vec<TokenStream> = op
        .path_params
        .iter()
        .map(|p| path_check(p, patterns, imports))
        .collect();
    let validate = op.params.as_ref().map(|_| quote!(params.validate()?;));
    let (path_expr, path_ref) = path(op, imports);
    let located = |location: ParamIn| -> Vec<&Param> {
        op.params.iter().flat_map(|p| p.located(location)).collect()
    };
    let query_params = located(ParamIn::Query);
    let form_params = located(ParamIn::Form);
    let query = (!query_params.is_empty()).then(|| pushes(quote!(query), &query_params, imports));
    let form = (op.body == Body::Form && !form_params.is_empty())
        .then(|| pushes(quote!(form), &form_params, imports));
    let mut finish = header_sets(&located(ParamIn::Header), imports);
    finish.push(endpoint_mark(op, imports));
    let send = send(op, &path_ref, query.is_some(), form.is_some(), &finish);
    imports.add("http", "Method");
    imports.add("http", "Request");
    imports.add("crate::runtime", "Api");
    imports.add("crate::runtime", "Error");
    quote! {
        #docs
        pub fn #name(api: &Api, #(#args),*) -> Result<Request<Vec<u8>>, Error> {
            #(#accounts)*
            #(#path_checks)*
            #validate
            #path_expr
            #query
            #form
            #send
        }
    }
}

/// `let account_sid = api.account_sid();` for each account parameter (see
/// `ParamSource::Account`): from there on it is checked and written into the
/// path as an argument of that name would be.
fn account_bindings(op: &Operation) -> Vec<TokenStream> {
    op.account_params()
        .map(|p| {
            let arg = ident(&p.name);
            quote!(let #arg = api.account_sid();)
        })
        .collect()
}

/// The request builder's doc line on the account parameters, if any: which
/// account is used and how to pick another.
fn account_doc(op: &Operation) -> Option<String> {
    let wires: Vec<String> = op
        .account_params()
        .map(|p| format!("`{}`", p.wire))
        .collect();
    (!wires.is_empty()).then(|| {
        format!(
            "{} is the account `api` acts for, [`Api::account_sid`]: the credentials' account unless another (a subaccount) is set with [`Api::with_account_sid`] or [`ApiBuilder::account_sid`](crate::runtime::api::ApiBuilder::account_sid); it is checked like an argument.",
            wires.join(" and ")
        )
    })
}

/// The checks of one path argument (every element of a list).
fn path_check(p: &Param, patterns: &Patterns, imports: &Imports) -> TokenStream {
    let arg = ident(&p.name);
    match &p.ty {
        Type::Vec(inner) => {
            let c = applicable(p);
            if c.is_empty() {
                return TokenStream::new();
            }
            let value = if **inner == Type::String {
                quote!(value)
            } else {
                quote!(*value)
            };
            let body = checks(&p.wire, &c, value, inner, patterns, imports);
            quote!(for value in #arg { #body })
        }
        ty => checks(&p.wire, &applicable(p), quote!(#arg), ty, patterns, imports),
    }
}

/// The end of a request builder: the runtime call with the body (`None`
/// of an optional one sends none), then the `finish` statements on the
/// built `request` (its headers, its endpoint).
fn send(
    op: &Operation,
    path_ref: &TokenStream,
    query: bool,
    form: bool,
    finish: &[TokenStream],
) -> TokenStream {
    let method = ident(op.method.as_str());
    let query_arg = if query {
        quote!(Some(&query))
    } else {
        quote!(None)
    };
    let form_arg = if form {
        quote!(Some(&form))
    } else {
        quote!(None)
    };
    let body_param = op
        .params
        .iter()
        .flat_map(|p| p.located(ParamIn::Body))
        .next();
    let no_body = quote!(api.request(Method::#method, #path_ref, #query_arg, None));
    // The call with the body in `body`, and whether the body is optional.
    let (with_body, optional) = match (&op.body, body_param) {
        (Body::Json, Some(p)) => (
            quote!(api.request_json(Method::#method, #path_ref, #query_arg, body)),
            p.shape.is_option(),
        ),
        (Body::Raw { content_type }, Some(p)) => (
            quote!(api.request_with_body(Method::#method, #path_ref, #query_arg, #content_type, body.clone())),
            p.shape.is_option(),
        ),
        _ => (
            quote!(api.request(Method::#method, #path_ref, #query_arg, #form_arg)),
            false,
        ),
    };
    let has_body = body_param.is_some() && matches!(op.body, Body::Json | Body::Raw { .. });
    let build = match (has_body, optional) {
        (false, _) => quote!(let mut request = #with_body?;),
        (true, false) => quote! {
            let body = &params.body;
            let mut request = #with_body?;
        },
        // An optional body: `None` sends none.
        (true, true) => quote! {
            let mut request = match &params.body {
                Some(body) => #with_body?,
                None => #no_body?,
            };
        },
    };
    quote! {
        #build
        #(#finish)*
        Ok(request)
    }
}

/// Puts the runtime's `Endpoint` (the `operationId` and path template) in
/// the request's extensions, for middleware and the client's tracing.
fn endpoint_mark(op: &Operation, imports: &Imports) -> TokenStream {
    imports.add("crate::runtime::endpoint", "mark_endpoint");
    let (id, template) = (&op.id, &op.path);
    quote!(mark_endpoint(&mut request, #id, #template);)
}

/// `set_header` calls, one per header parameter (optional ones only when set).
fn header_sets(params: &[&Param], imports: &Imports) -> Vec<TokenStream> {
    params
        .iter()
        .map(|p| {
            imports.add("crate::runtime::form", "set_header");
            let field = ident(&p.name);
            let wire = &p.wire;
            let set = !p.shape.is_option();
            if set && is_copy(&p.ty) {
                quote!(set_header(&mut request, #wire, params.#field)?;)
            } else if set {
                quote!(set_header(&mut request, #wire, &params.#field)?;)
            } else {
                quote! {
                    if let Some(value) = &params.#field {
                        set_header(&mut request, #wire, value)?;
                    }
                }
            }
        })
        .collect()
}

/// The path: a literal, or the literal parts and encoded parameters joined
/// with `concat()` (a plain expression prettyplease can lay out, unlike `format!`).
fn path(op: &Operation, imports: &Imports) -> (TokenStream, TokenStream) {
    if op.path_params.is_empty() {
        let literal = &op.path;
        return (TokenStream::new(), quote!(#literal));
    }
    let parts = op.segments.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(#text),
        PathPart::Param(i) => {
            let p = &op.path_params[*i];
            let arg = ident(&p.name);
            let wire = &p.wire;
            match &p.encoding {
                Encoding::Styled(style) => {
                    let value = style_value(&p.ty, quote!(#arg), imports);
                    let (function, explode) = match style {
                        Style::Label { explode } => ("path_label", *explode),
                        Style::Matrix { explode } => ("path_matrix", *explode),
                        Style::Simple { explode } => ("path_simple", *explode),
                        // normalise gives a path only its three styles
                        _ => ("path_simple", false),
                    };
                    imports.add("crate::runtime::form", function);
                    let function = ident(function);
                    quote!(&#function(#wire, &#value, #explode)?)
                }
                _ => {
                    imports.add("crate::runtime::form", "path_segment");
                    if p.ty == Type::String {
                        quote!(&path_segment(#wire, #arg)?)
                    } else {
                        quote!(&path_segment(#wire, &#arg.to_string())?)
                    }
                }
            }
        }
    });
    (quote!(let path = [#(#parts),*].concat();), quote!(&path))
}

/// One `Form` call per query or form parameter, by its encoding (see
/// `runtime::form`).
fn pushes(target: TokenStream, params: &[&Param], imports: &Imports) -> TokenStream {
    imports.add("crate::runtime::form", "Form");
    let pushes = params.iter().map(|p| {
        let field = ident(&p.name);
        let wire = &p.wire;
        // Set values (required ones, collections) are pushed as they are.
        let set = !p.shape.is_option();
        match (&p.encoding, &p.ty, set) {
            (Encoding::Styled(style), _, _) => styled_push(&target, p, *style, imports),
            (Encoding::PrefixedMap { prefix }, _, _) => {
                quote!(#target.push_prefixed_map(#prefix, &params.#field);)
            }
            (Encoding::JsonText, Type::Vec(_), _) => {
                quote!(#target.push_each_json(#wire, &params.#field);)
            }
            (Encoding::JsonText, _, true) => quote!(#target.push_json(#wire, &params.#field);),
            (Encoding::JsonText, _, false) => {
                quote!(#target.push_json_opt(#wire, params.#field.as_ref());)
            }
            (_, Type::Vec(_), _) => quote!(#target.push_each(#wire, &params.#field);),
            (_, ty, true) if is_copy(ty) => quote!(#target.push(#wire, params.#field);),
            (_, _, true) => quote!(#target.push(#wire, &params.#field);),
            (_, _, false) => quote!(#target.push_opt(#wire, params.#field.as_ref());),
        }
    });
    let mutability = if params.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    quote! {
        let #mutability #target = Form::new();
        #(#pushes)*
    }
}

/// The runtime's `StyleValue` of `value` (a reference, or a `&str`/scalar for
/// a scalar), by the parameter's type.
fn style_value(ty: &Type, value: TokenStream, imports: &Imports) -> TokenStream {
    imports.add("crate::runtime::form", "StyleValue");
    match ty {
        Type::Vec(_) => quote!(StyleValue::array(#value)),
        Type::Map(_) => quote!(StyleValue::object(#value)),
        Type::Named(_) => quote!(StyleValue::object(#value)),
        _ => quote!(StyleValue::scalar(#value)),
    }
}

/// The `Form` call of a query parameter with a style (arrays and maps are
/// never `Option`: empty sends nothing; an optional struct only when set).
fn styled_push(target: &TokenStream, p: &Param, style: Style, imports: &Imports) -> TokenStream {
    let field = ident(&p.name);
    let wire = &p.wire;
    let push = |value: TokenStream| {
        let value = style_value(&p.ty, value, imports);
        match style {
            Style::Form { explode } => quote!(#target.push_form(#wire, &#value, #explode);),
            Style::SpaceDelimited => quote!(#target.push_space_delimited(#wire, &#value);),
            Style::PipeDelimited => quote!(#target.push_pipe_delimited(#wire, &#value);),
            Style::DeepObject => quote!(#target.push_deep_object(#wire, &#value);),
            // normalise gives a query only its four styles
            _ => quote!(#target.push_form(#wire, &#value, true);),
        }
    };
    if !p.shape.is_option() {
        push(quote!(&params.#field))
    } else {
        let push = push(quote!(value));
        quote! {
            if let Some(value) = &params.#field {
                #push
            }
        }
    }
}
