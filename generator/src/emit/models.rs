//! `src/models.rs`: response models and enums.

use proc_macro2::TokenStream;
use quote::quote;

use std::collections::BTreeMap;

use super::{doc, ident, new_fn, own_doc, setter};
use crate::model::{Api, Enum, Field, NextPage, Shape, Struct, Type, TypeAlias, TypeDef};
use crate::names;
use crate::rust_type::{Imports, Renderer, Scope};

pub const PATH: &str = "src/models.rs";

pub fn generate(api: &Api) -> TokenStream {
    // Types whose names collide elsewhere live in modules (see
    // `normalise::modules`); the rest are at the top.
    let mut root: Vec<&TypeDef> = Vec::new();
    let mut modules: BTreeMap<&str, Vec<&TypeDef>> = BTreeMap::new();
    for def in &api.types {
        match names::split_qualified(def.name()) {
            (Some(module), _) => modules.entry(module).or_default().push(def),
            (None, _) => root.push(def),
        }
    }
    let root_items = items(&root, None);
    let aliases = api.aliases.iter().map(alias);
    let any_requests = api
        .types
        .iter()
        .any(|t| matches!(t, TypeDef::Struct(s) if s.request));
    let request_doc = any_requests.then(|| {
        quote! {
            //!
            //! Request body types (sent as JSON) are the exception: their required
            //! fields are plain values, and optional ones left unset are not sent.
        }
    });
    let modules = modules.into_iter().map(|(module, defs)| {
        let body = items(&defs, Some(module));
        let module_doc = format!(
            " Types of the `{module}` resources, kept apart from types elsewhere that have the same names."
        );
        let module = ident(module);
        quote! {
            #[doc = #module_doc]
            pub mod #module {
                #body
            }
        }
    });
    quote! {
        //! Response models and enums.
        //!
        //! Every field is an `Option`: Twilio sends `null` for, or leaves out, fields
        //! whatever the spec says, and a response must never fail to parse because
        //! of it. Enums keep values this crate does not know yet.
        #request_doc
        #root_items
        #(#aliases)*
        #(#modules)*
    }
}

/// `#[deprecated] pub type Old = New;`, at the top of `models`.
fn alias(alias: &TypeAlias) -> TokenStream {
    let name = ident(&alias.name);
    // At the top of `models` every type is declared: nothing to import.
    let imports = Imports::new();
    let target =
        Renderer::new(Scope::Models(None), &imports).ty(&Type::Named(alias.target.clone()));
    let note = format!(
        "the spec now shares this enum as a component; use `{}`",
        alias.target
    );
    let docs = own_doc(&format!(
        "The name [`{}`] had while the spec wrote it inline here.",
        alias.target
    ));
    quote! {
        #docs
        #[deprecated(note = #note)]
        pub type #name = #target;
    }
}

/// The imports and items of one module of `models.rs` (`None`: the top).
fn items(defs: &[&TypeDef], module: Option<&str>) -> TokenStream {
    if defs.is_empty() {
        return TokenStream::new();
    }
    let imports = Imports::new();
    let render = Renderer::new(Scope::Models(module), &imports);
    let structs: Vec<TokenStream> = defs
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) => Some(model_struct(s, &render)),
            TypeDef::Enum(_) => None,
        })
        .collect();
    let enums: Vec<TokenStream> = defs
        .iter()
        .filter_map(|t| match t {
            TypeDef::Enum(e) => Some(model_enum(e, &imports)),
            TypeDef::Struct(_) => None,
        })
        .collect();
    let uses = [
        "std::collections",
        "std::convert",
        "std",
        "std::str",
        "serde",
        "serde_json",
        "crate::runtime::dates",
        "crate::runtime::form",
        "crate::runtime::paging",
        "crate::runtime::redact",
        // Names from the top of `models` and from sibling modules.
        "super",
    ]
    .map(|path| imports.use_line(path));
    quote! {
        #(#uses)*
        #(#structs)*
        #(#enums)*
    }
}

fn model_struct(def: &Struct, render: &Renderer<'_>) -> TokenStream {
    if def.request {
        return request_struct(def, render);
    }
    let imports = render.imports();
    imports.add("serde", "Deserialize");
    imports.add("serde", "Serialize");
    let name = ident(names::split_qualified(&def.name).1);
    let docs = doc(def.doc.as_deref());
    let fields: Vec<TokenStream> = def
        .fields
        .iter()
        .map(|field| response_field(field, render))
        .collect();
    let other = def.unknown_field.as_deref().map(|other| {
        let other = ident(other);
        imports.add("serde_json", "Map");
        imports.add("serde_json", "Value");
        quote! {
            /// Keys the spec does not describe, kept as received.
            #[serde(flatten)]
            pub #other: Map<String, Value>,
        }
    });
    let page_impl = page_impl(def, render);
    let views_impl = views_impl(def, render);
    let debug = struct_debug(def, imports);
    let derives = if debug.is_some() {
        quote!(#[derive(Clone, Default, PartialEq, Serialize, Deserialize)])
    } else {
        quote!(#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)])
    };
    quote! {
        #docs
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #other
        }
        #debug
        #views_impl
        #page_impl
    }
}

/// A response model's field: `Option<T>`, or for a list page's records and
/// meta the value itself, `null` read as empty.
fn response_field(field: &Field, render: &Renderer<'_>) -> TokenStream {
    let docs = doc(field.doc.as_deref());
    let field_name = ident(&field.name);
    let rename = (field.name != field.wire).then(|| {
        let wire = &field.wire;
        quote!(#[serde(rename = #wire)])
    });
    let ty = render.declared(&field.ty, field.shape);
    let default = matches!(field.shape, Shape::Collection | Shape::PageMeta).then(|| {
        render
            .imports()
            .add("crate::runtime::paging", "null_as_default");
        quote!(#[serde(default, deserialize_with = "null_as_default")])
    });
    quote! {
        #docs
        #rename
        #default
        pub #field_name: #ty,
    }
}

/// `impl Page` of a list page: its records and where the next page is.
fn page_impl(def: &Struct, render: &Renderer<'_>) -> Option<TokenStream> {
    let items = def.page_items.as_ref()?;
    render.imports().add("crate::runtime::paging", "Page");
    let name = ident(names::split_qualified(&def.name).1);
    let items_field = ident(items);
    let item_ty = def
        .fields
        .iter()
        .find(|f| &f.name == items)
        .map(|f| match &f.ty {
            Type::Vec(inner) => render.ty(inner),
            other => render.ty(other),
        })
        .unwrap_or_default();
    let url = |next: TokenStream| {
        quote! {
            fn next_page_url(&self) -> Option<&str> {
                #next
            }
        }
    };
    let next = match &def.next_page {
        NextPage::Field(field) => {
            let field = ident(field);
            url(quote!(self.#field.as_deref()))
        }
        NextPage::Meta => {
            let meta = def
                .fields
                .iter()
                .find(|f| f.shape == Shape::PageMeta)
                .map(|f| ident(&f.name));
            url(quote!(self.#meta.next_page_url.as_deref()))
        }
        NextPage::Token { meta, token } => {
            let (meta, token) = (ident(meta), ident(token));
            let none = url(quote!(None));
            quote! {
                /// Pages of this listing name the next one by token, never by URL.
                #none

                fn next_page_token(&self) -> Option<&str> {
                    self.#meta.as_ref().and_then(|meta| meta.#token.as_deref())
                }
            }
        }
    };
    Some(quote! {
        impl Page for #name {
            type Item = #item_ty;

            #next

            fn into_items(self) -> Vec<Self::Item> {
                self.#items_field
            }
        }
    })
}

/// The `typed_<field>()` methods reading untyped fields as structs.
fn views_impl(def: &Struct, render: &Renderer<'_>) -> Option<TokenStream> {
    let views: Vec<TokenStream> = def
        .fields
        .iter()
        .filter_map(|field| {
            let view = field.view.as_ref()?;
            let docs = doc(Some(&view.doc));
            let method = ident(&view.method);
            let field_name = ident(&field.name);
            let ty = render.ty(&view.ty);
            Some(quote! {
                #docs
                pub fn #method(&self) -> Result<Option<#ty>, serde_json::Error> {
                    self.#field_name.as_ref().map(#ty::deserialize).transpose()
                }
            })
        })
        .collect();
    let name = ident(names::split_qualified(&def.name).1);
    (!views.is_empty()).then(|| {
        quote! {
            impl #name {
                #(#views)*
            }
        }
    })
}

/// A request body type: required fields are `T` (`Option<T>` when also
/// nullable, written as `null`), optional ones `Option<T>`, left out when
/// `None`. `new` takes the required fields; `Default` only without any.
fn request_struct(def: &Struct, render: &Renderer<'_>) -> TokenStream {
    render.imports().add("serde", "Deserialize");
    render.imports().add("serde", "Serialize");
    let name = ident(names::split_qualified(&def.name).1);
    let docs = doc(def.doc.as_deref());
    let fields: Vec<TokenStream> = def
        .fields
        .iter()
        .map(|field| request_field(field, render))
        .collect();
    let arguments: Vec<&Field> = def
        .fields
        .iter()
        .filter(|f| f.shape.is_argument())
        .collect();
    let debug = struct_debug(def, render.imports());
    let derives = match (arguments.is_empty(), debug.is_some()) {
        (true, false) => {
            quote!(#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)])
        }
        (true, true) => quote!(#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]),
        (false, false) => quote!(#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]),
        (false, true) => quote!(#[derive(Clone, PartialEq, Serialize, Deserialize)]),
    };
    let constructor = if arguments.is_empty() {
        quote! {
            /// Nothing is required: every field starts as `None` (the same as
            /// `Default`); set the ones to send with the setters.
            pub fn new() -> Self {
                Self::default()
            }
        }
    } else {
        let args = arguments.iter().map(|f| {
            let field = ident(&f.name);
            let ty = render.declared(&f.ty, f.shape);
            quote!(#field: impl Into<#ty>)
        });
        let inits = def.fields.iter().map(|f| {
            let field = ident(&f.name);
            if f.shape.is_argument() {
                quote!(#field: #field.into())
            } else {
                quote!(#field: None)
            }
        });
        let docs = quote! {
            /// The required fields; the optional ones start as `None` (set
            /// them with the setters).
        };
        new_fn(docs, args.collect(), inits)
    };
    let setters: Vec<TokenStream> = def
        .fields
        .iter()
        .filter(|f| !f.shape.is_argument())
        .map(|f| setter(render, &f.name, &f.ty, f.shape))
        .collect();
    let param_object = def
        .param_object
        .then(|| param_object(def, render.imports()));
    quote! {
        #docs
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #constructor

            #(#setters)*
        }

        #debug
        #param_object
    }
}

/// A request body field; an optional one is left out when `None`.
fn request_field(field: &Field, render: &Renderer<'_>) -> TokenStream {
    let docs = doc(field.doc.as_deref());
    let field_name = ident(&field.name);
    let rename = (field.name != field.wire).then(|| {
        let wire = &field.wire;
        quote!(rename = #wire,)
    });
    let skip = (field.shape == Shape::Optional)
        .then(|| quote!(default, skip_serializing_if = "Option::is_none",));
    let attrs = (rename.is_some() || skip.is_some()).then(|| quote!(#[serde(#rename #skip)]));
    let ty = render.declared(&field.ty, field.shape);
    quote! {
        #docs
        #attrs
        pub #field_name: #ty,
    }
}

/// `impl ParamObject`: the struct's fields (all scalars) as an object-valued
/// parameter's members, in declaration order, unset ones left out.
fn param_object(def: &Struct, imports: &Imports) -> TokenStream {
    imports.add("crate::runtime::form", "ParamObject");
    let name = ident(names::split_qualified(&def.name).1);
    let members = def.fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = &f.wire;
        if f.shape.is_option() {
            quote!((#wire, self.#field.as_ref().map(ToString::to_string)),)
        } else {
            quote!((#wire, Some(self.#field.to_string())),)
        }
    });
    quote! {
        /// Sent as a path or query parameter: the fields in declaration
        /// order, unset ones left out.
        impl ParamObject for #name {
            fn members(&self) -> Vec<(String, String)> {
                [#(#members)*]
                    .into_iter()
                    .filter_map(|(name, value)| Some((name.to_owned(), value?)))
                    .collect()
            }
        }
    }
}

/// The `Debug` of a model with personal data (see [`redacting_debug`]);
/// `None` when no field is marked, and the struct derives it.
fn struct_debug(def: &Struct, imports: &Imports) -> Option<TokenStream> {
    let mut fields: Vec<DebugField<'_>> = def
        .fields
        .iter()
        .map(|f| DebugField {
            name: &f.name,
            pii: f.pii,
            shape: f.shape,
        })
        .collect();
    if let Some(other) = &def.unknown_field {
        fields.push(DebugField {
            name: other,
            pii: false,
            shape: Shape::Collection,
        });
    }
    redacting_debug(names::split_qualified(&def.name).1, &fields, imports)
}

/// A field as a hand-written `Debug` prints it.
pub(crate) struct DebugField<'a> {
    /// The Rust field name.
    pub name: &'a str,
    /// Marked as personal data: printed as the runtime's `Redacted`.
    pub pii: bool,
    /// How the field holds its value (a plain `T` is always set).
    pub shape: Shape,
}

/// `impl fmt::Debug` for the struct `name` when one of its `fields` is
/// personal data (else `None`: the struct derives `Debug`). It prints what
/// the derive would (`Name { a: .., b: .. }`, every field in order), a
/// marked field as `<redacted>` when set and as `None`, `[]` or `{}` when
/// not (see `runtime::redact`).
pub(crate) fn redacting_debug(
    name: &str,
    fields: &[DebugField<'_>],
    imports: &Imports,
) -> Option<TokenStream> {
    if !fields.iter().any(|f| f.pii) {
        return None;
    }
    imports.add("std", "fmt");
    imports.add("crate::runtime::redact", "Redacted");
    let entries = fields.iter().map(|f| {
        let label = f.name;
        let field = ident(f.name);
        match (f.pii, f.shape) {
            (false, _) => quote!(.field(#label, &self.#field)),
            (true, Shape::Required) => quote!(.field(#label, &Redacted::SET)),
            (true, _) => quote!(.field(#label, &Redacted::of(&self.#field))),
        }
    });
    let type_name = ident(name);
    Some(quote! {
        /// Personal data (`x-twilio.pii` in the spec) prints as `<redacted>`.
        impl fmt::Debug for #type_name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(#name)
                    #(#entries)*
                    .finish()
            }
        }
    })
}

/// What every enum's impls below name.
const ENUM_IMPORTS: [(&str, &str); 7] = [
    ("std::convert", "Infallible"),
    ("std", "fmt"),
    ("std::str", "FromStr"),
    ("serde", "Deserialize"),
    ("serde", "Deserializer"),
    ("serde", "Serialize"),
    ("serde", "Serializer"),
];

fn model_enum(def: &Enum, imports: &Imports) -> TokenStream {
    for (path, name) in ENUM_IMPORTS {
        imports.add(path, name);
    }
    let name = ident(names::split_qualified(&def.name).1);
    let docs = doc(def.doc.as_deref());
    let other = ident(&def.other_variant);
    let variants = def.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let mut spellings = format!("`{}`", v.wire);
        for alias in &v.aliases {
            spellings.push_str(&format!(" (also `{alias}`)"));
        }
        let docs = doc(Some(&spellings));
        quote!(#docs #variant,)
    });
    let as_str = def.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        quote!(Self::#variant => #wire,)
    });
    let from_doc = own_doc(&format!(
        "Reads any ASCII case; an unknown value becomes [`Self::{}`].",
        def.other_variant
    ));
    let from_str = def.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let lower = v.wire.to_ascii_lowercase();
        quote!(#lower => Self::#variant,)
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as received.
            #other(String),
        }

        impl #name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#other(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            #from_doc
            fn from(value: &str) -> Self {
                match value.to_ascii_lowercase().as_str() {
                    #(#from_str)*
                    _ => Self::#other(value.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::#other(_) => Self::#other(value),
                    known => known,
                }
            }
        }

        impl FromStr for #name {
            type Err = Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    }
}
