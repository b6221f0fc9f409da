//! `src/webhooks.rs`: the typed bodies of the requests the API sends to the
//! user's server (the spec's `callbacks`), with their parsers.
//!
//! Generated only when some selected operation has callbacks.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, uses_json};
use crate::model::{Api, Event, EventField, EventFieldKind, EventUnion, Type};

pub const PATH: &str = "src/webhooks.rs";

pub fn generate(api: &Api) -> TokenStream {
    let callbacks = &api.callbacks;
    let events = callbacks.events.iter().map(event);
    let unions = callbacks.unions.iter().map(union);
    let any_json = callbacks.events.iter().any(|e| e.json);
    let field_types = || {
        callbacks
            .events
            .iter()
            .flat_map(|e| &e.fields)
            .map(|f| &f.ty)
    };
    let use_value = field_types().any(uses_json).then(|| {
        quote!(
            use serde_json::Value;
        )
    });
    let use_models = field_types().any(|t| t.named().is_some()).then(|| {
        quote!(
            use crate::models;
        )
    });
    let mut runtime = vec!["Fields", "form_pairs"];
    if any_json {
        runtime.extend(["EventError", "json_pairs"]);
    }
    if !callbacks.unions.is_empty() {
        runtime.push("RawEvent");
    }
    runtime
        .sort_unstable_by_key(|name| (name.starts_with(|c: char| c.is_ascii_uppercase()), *name));
    let runtime = runtime.into_iter().map(ident);
    quote! {
        //! The requests the API sends to your server (its webhooks, the spec's
        //! `callbacks`): one struct per event type and an enum over them.
        //!
        //! Reading never fails: a field this crate does not know, and a value
        //! that does not parse as its field's type, are kept as received in the
        //! event's `other` map; an event type it does not know is kept whole.
        //! Check the request's signature first, with
        //! [`crate::runtime::webhook::SignatureValidator`].

        use std::collections::BTreeMap;

        use serde::Serialize;
        #use_value

        #use_models
        use crate::runtime::webhook::{#(#runtime),*};

        #(#unions)*
        #(#events)*
    }
}

/// The Rust type of a field (model types written `models::Name`).
fn field_type(ty: &Type) -> TokenStream {
    match ty {
        Type::Named(name) => {
            let path = name.split("::").map(ident);
            quote!(models::#(#path)::*)
        }
        Type::Vec(inner) => {
            let inner = field_type(inner);
            quote!(Vec<#inner>)
        }
        Type::Map(inner) => {
            let inner = field_type(inner);
            quote!(BTreeMap<String, #inner>)
        }
        other => super::rust_type(other),
    }
}

fn event(event: &Event) -> TokenStream {
    let name = ident(&event.name);
    let struct_doc = doc(event.doc.as_deref());
    let fields = event.fields.iter().map(struct_field);
    let reads = event.fields.iter().map(read_field);
    let (tag_const, drop_tag) = match &event.tag {
        Some((property, value)) => {
            let const_doc = format!(" The `{property}` of this event.");
            (
                quote! {
                    #[doc = #const_doc]
                    pub const EVENT_TYPE: &'static str = #value;
                },
                quote!(fields.remove_all(#property);),
            )
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let from_json = event.json.then(|| {
        quote! {
            /// Reads the event from a JSON object body (see
            /// [`json_pairs`] for how its values become text).
            pub fn from_json(body: &[u8]) -> Result<Self, EventError> {
                Ok(Self::from_pairs(json_pairs(body)?))
            }
        }
    });
    quote! {
        #struct_doc
        #[derive(Clone, Debug, Default, PartialEq, Serialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// Fields the spec does not name, and values that did not parse as
            /// their field's type, as received (the first value of a name).
            #[serde(flatten)]
            pub other: BTreeMap<String, String>,
        }

        impl #name {
            #tag_const

            /// Reads the event from decoded pairs (a form body's, or the query
            /// string's when the webhook uses GET). Never fails.
            pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
                let mut fields = Fields::new(pairs);
                #drop_tag
                Self {
                    #(#reads)*
                    other: fields.rest(),
                }
            }

            /// Reads the event from an `application/x-www-form-urlencoded` body.
            pub fn from_form(body: &[u8]) -> Self {
                Self::from_pairs(form_pairs(body))
            }

            #from_json
        }
    }
}

fn struct_field(field: &EventField) -> TokenStream {
    let name = ident(&field.name);
    let wire = &field.wire;
    let field_doc = doc(field.doc.as_deref());
    let ty = field_type(&field.ty);
    match field.kind {
        EventFieldKind::Repeated => quote! {
            #field_doc
            #[serde(rename = #wire, skip_serializing_if = "Vec::is_empty")]
            pub #name: Vec<#ty>,
        },
        EventFieldKind::Scalar | EventFieldKind::JsonText => quote! {
            #field_doc
            #[serde(rename = #wire, skip_serializing_if = "Option::is_none")]
            pub #name: Option<#ty>,
        },
    }
}

fn read_field(field: &EventField) -> TokenStream {
    let name = ident(&field.name);
    let wire = &field.wire;
    match field.kind {
        EventFieldKind::Scalar => quote!(#name: fields.parse(#wire),),
        EventFieldKind::JsonText => quote!(#name: fields.json(#wire),),
        EventFieldKind::Repeated => quote!(#name: fields.list(#wire),),
    }
}

fn union(union: &EventUnion) -> TokenStream {
    let name = ident(&union.name);
    let property = &union.property;
    let other = ident(&union.other_variant);
    let enum_doc = format!(" A request to a webhook, told apart by its `{property}` field.");
    let other_doc = format!(
        " An event of a type this crate does not know (or a request without `{property}`): every field as received."
    );
    let variants = union.variants.iter().map(|(value, event)| {
        let variant = ident(event);
        let variant_doc = format!(" `{property}: {value}`");
        quote! {
            #[doc = #variant_doc]
            #variant(#variant),
        }
    });
    let arms = union.variants.iter().map(|(value, event)| {
        let variant = ident(event);
        quote!(Some(#value) => Self::#variant(#variant::from_pairs(pairs)),)
    });
    let type_arms = union.variants.iter().map(|(value, event)| {
        let variant = ident(event);
        quote!(Self::#variant(_) => Some(#value),)
    });
    let from_json = union.json.then(|| {
        quote! {
            /// Reads the event from a JSON object body.
            pub fn from_json(body: &[u8]) -> Result<Self, EventError> {
                Ok(Self::from_pairs(json_pairs(body)?))
            }
        }
    });
    quote! {
        #[doc = #enum_doc]
        ///
        /// It serializes as the event's fields (without the event type).
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #other_doc]
            #other(RawEvent),
        }

        impl #name {
            /// Reads the event from decoded pairs, by the value of its
            /// event-type field. Never fails.
            pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
                let event_type = pairs
                    .iter()
                    .find(|(key, _)| key == #property)
                    .map(|(_, value)| value.clone());
                match event_type.as_deref() {
                    #(#arms)*
                    _ => Self::#other(RawEvent::new(#property, pairs)),
                }
            }

            /// Reads the event from an `application/x-www-form-urlencoded` body.
            pub fn from_form(body: &[u8]) -> Self {
                Self::from_pairs(form_pairs(body))
            }

            #from_json

            /// The event type as received.
            pub fn event_type(&self) -> Option<&str> {
                match self {
                    #(#type_arms)*
                    Self::#other(raw) => raw.event_type.as_deref(),
                }
            }
        }
    }
}
