//! `src/models.rs`: response models and enums.

use proc_macro2::TokenStream;
use quote::quote;

use std::collections::BTreeMap;

use super::{
    doc, ident, new_fn, rust_type_in, setter, sort_use_list, uses_json, uses_map, uses_timestamp,
    Slot,
};
use crate::model::{Api, Enum, NextPage, Struct, Type, TypeDef};
use crate::names;

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
    let aliases = api.aliases.iter().map(|alias| {
        let name = ident(&alias.name);
        let target = rust_type_in(&Type::Named(alias.target.clone()), None);
        let note = format!(
            "the spec now shares this enum as a component; use `{}`",
            alias.target
        );
        let docs = doc(Some(&format!(
            "The name [`{}`] had while the spec wrote it inline here.",
            alias.target
        )));
        quote! {
            #docs
            #[deprecated(note = #note)]
            pub type #name = #target;
        }
    });
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

/// The imports and items of one module of `models.rs` (`None`: the top).
fn items(defs: &[&TypeDef], module: Option<&str>) -> TokenStream {
    if defs.is_empty() {
        return TokenStream::new();
    }
    let structs: Vec<&Struct> = defs
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) => Some(s),
            TypeDef::Enum(_) => None,
        })
        .collect();
    let enums: Vec<&Enum> = defs
        .iter()
        .filter_map(|t| match t {
            TypeDef::Enum(e) => Some(e),
            TypeDef::Struct(_) => None,
        })
        .collect();
    // Field types, and the types their views read them as.
    let field_types = || {
        structs.iter().flat_map(|s| {
            s.fields
                .iter()
                .filter(|f| !f.page_meta)
                .flat_map(|f| std::iter::once(&f.ty).chain(f.view.as_ref().map(|v| &v.ty)))
        })
    };

    let mut uses = Vec::new();
    if field_types().any(uses_map) {
        uses.push(quote!(
            use std::collections::BTreeMap;
        ));
    }
    if !enums.is_empty() {
        uses.push(quote!(
            use std::convert::Infallible;
        ));
        uses.push(quote!(
            use std::fmt;
        ));
        uses.push(quote!(
            use std::str::FromStr;
        ));
        uses.push(quote!(
            use serde::{Deserialize, Deserializer, Serialize, Serializer};
        ));
    } else {
        uses.push(quote!(
            use serde::{Deserialize, Serialize};
        ));
    }
    let keeps_unknown = structs.iter().any(|s| s.unknown_field.is_some());
    match (keeps_unknown, field_types().any(uses_json)) {
        (true, _) => uses.push(quote!(
            use serde_json::{Map, Value};
        )),
        (false, true) => uses.push(quote!(
            use serde_json::Value;
        )),
        (false, false) => {}
    }
    if field_types().any(uses_timestamp) {
        uses.push(quote!(
            use crate::runtime::dates::Timestamp;
        ));
    }
    if structs.iter().any(|s| s.param_object) {
        uses.push(quote!(
            use crate::runtime::form::ParamObject;
        ));
    }
    if structs.iter().any(|s| s.page_items.is_some()) {
        // Flat pages (api_v2010 style) have no `meta`, so no `PageMeta`.
        let meta = structs
            .iter()
            .any(|s| s.fields.iter().any(|f| f.page_meta))
            .then(|| quote!(PageMeta,));
        uses.push(quote!(
            use crate::runtime::paging::{null_as_default, Page, #meta};
        ));
    }
    if module.is_some() {
        // Names from the top of `models` and from sibling modules.
        let mut outside: Vec<&str> = field_types()
            .filter_map(Type::named)
            .filter_map(|name| match names::split_qualified(name) {
                (Some(m), _) if Some(m) == module => None,
                (Some(m), _) => Some(m),
                (None, own) => Some(own),
            })
            .collect();
        sort_use_list(&mut outside);
        if !outside.is_empty() {
            let outside = outside.into_iter().map(ident);
            uses.push(quote!(use super::{#(#outside),*};));
        }
    }

    let structs = structs.into_iter().map(|s| model_struct(s, module));
    let enums = enums.into_iter().map(model_enum);
    quote! {
        #(#uses)*
        #(#structs)*
        #(#enums)*
    }
}

fn model_struct(def: &Struct, module: Option<&str>) -> TokenStream {
    if def.request {
        return request_struct(def, module);
    }
    let name = ident(names::split_qualified(&def.name).1);
    let rust_type = |ty: &Type| rust_type_in(ty, module);
    let docs = doc(def.doc.as_deref());
    let fields = def.fields.iter().map(|field| {
        let docs = doc(field.doc.as_deref());
        let field_name = ident(&field.name);
        let rename = (field.name != field.wire).then(|| {
            let wire = &field.wire;
            quote!(#[serde(rename = #wire)])
        });
        let ty = rust_type(&field.ty);
        if field.page_items {
            quote! {
                #docs
                #rename
                #[serde(default, deserialize_with = "null_as_default")]
                pub #field_name: #ty,
            }
        } else if field.page_meta {
            quote! {
                #docs
                #rename
                #[serde(default, deserialize_with = "null_as_default")]
                pub #field_name: PageMeta,
            }
        } else {
            quote! {
                #docs
                #rename
                pub #field_name: Option<#ty>,
            }
        }
    });
    let other = def.unknown_field.as_deref().map(|other| {
        let other = ident(other);
        quote! {
            /// Keys the spec does not describe, kept as received.
            #[serde(flatten)]
            pub #other: Map<String, Value>,
        }
    });
    let page_impl = def.page_items.as_ref().map(|items| {
        let items_field = ident(items);
        let item_ty = def
            .fields
            .iter()
            .find(|f| &f.name == items)
            .map(|f| match &f.ty {
                Type::Vec(inner) => rust_type(inner),
                other => rust_type(other),
            })
            .unwrap_or_default();
        let next = match &def.next_page {
            NextPage::Field(field) => {
                let field = ident(field);
                quote!(self.#field.as_deref())
            }
            NextPage::Meta => {
                let meta = def
                    .fields
                    .iter()
                    .find(|f| f.page_meta)
                    .map(|f| ident(&f.name));
                quote!(self.#meta.next_page_url.as_deref())
            }
        };
        quote! {
            impl Page for #name {
                type Item = #item_ty;

                fn next_page_url(&self) -> Option<&str> {
                    #next
                }

                fn into_items(self) -> Vec<Self::Item> {
                    self.#items_field
                }
            }
        }
    });
    let views: Vec<TokenStream> = def
        .fields
        .iter()
        .filter_map(|field| {
            let view = field.view.as_ref()?;
            let docs = doc(Some(&view.doc));
            let method = ident(&view.method);
            let field_name = ident(&field.name);
            let ty = rust_type(&view.ty);
            Some(quote! {
                #docs
                pub fn #method(&self) -> Result<Option<#ty>, serde_json::Error> {
                    self.#field_name.as_ref().map(#ty::deserialize).transpose()
                }
            })
        })
        .collect();
    let views_impl = (!views.is_empty()).then(|| {
        quote! {
            impl #name {
                #(#views)*
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #other
        }
        #views_impl
        #page_impl
    }
}

/// A request body type: required fields are `T` (`Option<T>` when also
/// nullable, written as `null`), optional ones `Option<T>`, left out when
/// `None`. `new` takes the required fields; `Default` only without any.
fn request_struct(def: &Struct, module: Option<&str>) -> TokenStream {
    let name = ident(names::split_qualified(&def.name).1);
    let rust_type = |ty: &Type| rust_type_in(ty, module);
    let docs = doc(def.doc.as_deref());
    let field_type = |field: &crate::model::Field| {
        let ty = rust_type(&field.ty);
        if field.required && !field.nullable {
            ty
        } else {
            quote!(Option<#ty>)
        }
    };
    let fields = def.fields.iter().map(|field| {
        let docs = doc(field.doc.as_deref());
        let field_name = ident(&field.name);
        let rename = (field.name != field.wire).then(|| {
            let wire = &field.wire;
            quote!(rename = #wire,)
        });
        let skip =
            (!field.required).then(|| quote!(default, skip_serializing_if = "Option::is_none",));
        let attrs = (rename.is_some() || skip.is_some()).then(|| quote!(#[serde(#rename #skip)]));
        let ty = field_type(field);
        quote! {
            #docs
            #attrs
            pub #field_name: #ty,
        }
    });
    let required: Vec<&crate::model::Field> = def.fields.iter().filter(|f| f.required).collect();
    let derives = if required.is_empty() {
        quote!(#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)])
    } else {
        quote!(#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)])
    };
    let constructor = if required.is_empty() {
        quote! {
            /// Nothing is required: every field starts as `None` (the same as
            /// `Default`); set the ones to send with the setters.
            pub fn new() -> Self {
                Self::default()
            }
        }
    } else {
        let args = required.iter().map(|f| {
            let field = ident(&f.name);
            let ty = field_type(f);
            quote!(#field: impl Into<#ty>)
        });
        let inits = def.fields.iter().map(|f| {
            let field = ident(&f.name);
            if f.required {
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
    let setters = def
        .fields
        .iter()
        .filter(|f| !f.required)
        .map(|f| setter(&f.name, &f.ty, Slot::Optional, module));
    let param_object = def.param_object.then(|| param_object(def));
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

        #param_object
    }
}

/// `impl ParamObject`: the struct's fields (all scalars) as an object-valued
/// parameter's members, in declaration order, unset ones left out.
fn param_object(def: &Struct) -> TokenStream {
    let name = ident(names::split_qualified(&def.name).1);
    let members = def.fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = &f.wire;
        if f.required && !f.nullable {
            quote!((#wire, Some(self.#field.to_string())),)
        } else {
            quote!((#wire, self.#field.as_ref().map(ToString::to_string)),)
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

fn model_enum(def: &Enum) -> TokenStream {
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
    let from_doc = doc(Some(&format!(
        "Reads any ASCII case; an unknown value becomes [`Self::{}`].",
        def.other_variant
    )));
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
