//! `src/webhooks.rs`: the typed bodies of the requests the API sends to the
//! user's server (the spec's `callbacks`), with their parsers.
//!
//! Generated only when some selected operation has callbacks.

use proc_macro2::TokenStream;
use quote::quote;

use super::models::{redacting_debug, DebugField};
use super::{doc, ident};
use crate::model::{Api, Event, EventField, EventFieldKind, EventUnion, Shape};
use crate::rust_type::{Imports, Renderer, Scope};

pub const PATH: &str = "src/webhooks.rs";

pub fn generate(api: &Api) -> TokenStream {
    let callbacks = &api.callbacks;
    let imports = Imports::new();
    let render = Renderer::new(Scope::ModelsPath, &imports);
    let unions: Vec<TokenStream> = callbacks
        .unions
        .iter()
        .map(|u| union(u, &imports))
        .collect();
    let events: Vec<TokenStream> = callbacks.events.iter().map(|e| event(e, &render)).collect();
    let uses = [
        "std::collections",
        "std",
        "serde",
        "serde_json",
        "crate",
        "crate::runtime::redact",
        "crate::runtime::webhook",
    ]
    .map(|path| imports.use_line(path));
    quote! {
        //! The requests the API sends to your server (its webhooks, the spec's
        //! `callbacks`): one struct per event type and an enum over them.
        //!
        //! An event is read only from a request whose signature was checked:
        //! [`SignatureValidator::verify`](crate::runtime::webhook::SignatureValidator::verify)
        //! gives the signed pairs ([`Verified`]), and `from_verified` reads them.
        //! Reading never fails: a field this crate does not know, and a value
        //! that does not parse as its field's type, are kept as received in the
        //! event's `other` map; an event type it does not know is kept whole.

        #(#uses)*

        #(#unions)*
        #(#events)*
    }
}

fn event(event: &Event, render: &Renderer<'_>) -> TokenStream {
    let imports = render.imports();
    imports.add("std::collections", "BTreeMap");
    imports.add("serde", "Serialize");
    imports.add("crate::runtime::webhook", "Fields");
    imports.add("crate::runtime::webhook", "Verified");
    let name = ident(&event.name);
    let struct_doc = doc(event.doc.as_deref());
    let fields: Vec<TokenStream> = event
        .fields
        .iter()
        .map(|f| struct_field(f, render))
        .collect();
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
    let read_doc = format!(" {}", read_doc(event.json));
    let debug = event_debug(event, imports);
    let derives = if debug.is_some() {
        quote!(#[derive(Clone, Default, PartialEq, Serialize)])
    } else {
        quote!(#[derive(Clone, Debug, Default, PartialEq, Serialize)])
    };
    quote! {
        #struct_doc
        #derives
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

            /// Reads the event from the signed pairs of a verified request.
            #[doc = #read_doc]
            pub fn from_verified(request: &Verified) -> Self {
                let mut fields = Fields::new(request);
                #drop_tag
                Self {
                    #(#reads)*
                    other: fields.rest(),
                }
            }
        }

        #debug
    }
}

/// The event's `Debug` when it has personal data (`None`: derived); the
/// `other` map prints as it is.
fn event_debug(event: &Event, imports: &Imports) -> Option<TokenStream> {
    let shape = |kind: EventFieldKind| match kind {
        EventFieldKind::Repeated => Shape::Collection,
        EventFieldKind::Scalar | EventFieldKind::JsonText => Shape::Optional,
    };
    let fields: Vec<DebugField<'_>> = event
        .fields
        .iter()
        .map(|f| DebugField {
            name: &f.name,
            pii: f.pii,
            shape: shape(f.kind),
        })
        .chain(std::iter::once(DebugField {
            name: "other",
            pii: false,
            shape: Shape::Collection,
        }))
        .collect();
    redacting_debug(&event.name, &fields, imports)
}

/// The second line of a `from_verified` doc: how the spec says the event
/// is sent (any verified source reads the same way).
fn read_doc(json: bool) -> &'static str {
    if json {
        "The spec's callbacks send it as a form or as JSON; both read the same way. Never fails."
    } else {
        "The spec's callbacks send it as a form (or, with GET, in the URL). Never fails."
    }
}

fn struct_field(field: &EventField, render: &Renderer<'_>) -> TokenStream {
    let name = ident(&field.name);
    let wire = &field.wire;
    let field_doc = doc(field.doc.as_deref());
    let ty = render.event_field(field);
    let skip = match field.kind {
        EventFieldKind::Repeated => "Vec::is_empty",
        EventFieldKind::Scalar | EventFieldKind::JsonText => "Option::is_none",
    };
    quote! {
        #field_doc
        #[serde(rename = #wire, skip_serializing_if = #skip)]
        pub #name: #ty,
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

fn union(union: &EventUnion, imports: &Imports) -> TokenStream {
    imports.add("serde", "Serialize");
    imports.add("crate::runtime::webhook", "RawEvent");
    imports.add("crate::runtime::webhook", "Verified");
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
        quote!(Some(#value) => Self::#variant(#variant::from_verified(request)),)
    });
    let type_arms = union.variants.iter().map(|(value, event)| {
        let variant = ident(event);
        quote!(Self::#variant(_) => Some(#value),)
    });
    let read_doc = format!(" {}", read_doc(union.json));
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
            /// Reads the event from the signed pairs of a verified request,
            /// by the value of its event-type field.
            #[doc = #read_doc]
            pub fn from_verified(request: &Verified) -> Self {
                match request.get(#property) {
                    #(#arms)*
                    _ => Self::#other(RawEvent::new(#property, request.pairs().to_vec())),
                }
            }

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
