//! How a model [`Type`] is spelt in Rust, for every consumer: the emitters
//! print these tokens and `diff` shows their text, so the crate and the
//! report on it cannot disagree.
//!
//! A [`Renderer`] writes a type for one place of the generated crate (a
//! [`Scope`]: which names need a path there) and records in its [`Imports`]
//! every name it writes that a `use` line must bring in. Each emitter prints
//! its `use` lines from that set once its body is built, so an import is
//! there exactly when the code names it.
//!
//! Beside the plain type it renders what [`Shape`] makes of it: a field's
//! declared type, a setter's and a path argument's parameter type.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, EventField, EventFieldKind, Shape, Type, TypeDef};
use crate::names;

/// The names a piece of generated code uses from elsewhere, by the path they
/// are imported from (`std::collections` → `BTreeMap`).
///
/// Recording takes `&self`: the emitters build their tokens in closures
/// (iterator adapters, one per item), each of which renders types, and a
/// shared reference lets every one of them record.
#[derive(Debug, Default)]
pub struct Imports {
    items: RefCell<BTreeMap<&'static str, BTreeSet<String>>>,
}

impl Imports {
    pub fn new() -> Imports {
        Imports::default()
    }

    /// Records that the code names `name` from `path` (`self` for the
    /// module `path` itself).
    pub fn add(&self, path: &'static str, name: &str) {
        self.items
            .borrow_mut()
            .entry(path)
            .or_default()
            .insert(name.to_owned());
    }

    /// `use path::{names..};` for every name recorded under `path`, in the
    /// order rustfmt writes them (`self`, then modules, then types);
    /// nothing when none was.
    pub fn use_line(&self, path: &str) -> TokenStream {
        let items = self.items.borrow();
        let Some(names) = items.get(path).filter(|names| !names.is_empty()) else {
            return TokenStream::new();
        };
        let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
        sort_use_list(&mut names);
        let path = path.split("::").map(ident);
        if names == ["self"] {
            return quote!(use #(#path)::*;);
        }
        let names = names.into_iter().map(|name| match name {
            "self" => quote!(self),
            name => {
                let name = ident(name);
                quote!(#name)
            }
        });
        quote!(use #(#path)::*::{#(#names),*};)
    }
}

/// Sorts and dedups the names of a `use` list the way rustfmt orders them:
/// `self`, modules (lowercase), then types.
fn sort_use_list(names: &mut Vec<&str>) {
    names.sort_unstable_by_key(|name| {
        (
            *name != "self",
            name.starts_with(|c: char| c.is_ascii_uppercase()),
            *name,
        )
    });
    names.dedup();
}

/// Where the rendered code sits, which decides how a model type is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope<'a> {
    /// Outside `models` (requests, responses, client; `diff`'s text): a
    /// model is `Name`, imported from `crate::models`; a type kept in a
    /// module is `module::Name`, the module imported.
    Crate,
    /// Inside `models`: at its top (`None`), where every name is declared,
    /// or in its module `module`, where that module's types need no path
    /// and the others come from `super`.
    Models(Option<&'a str>),
    /// `webhooks`: every model written `models::Name` (`models::module::Name`),
    /// with `crate::models` imported.
    ModelsPath,
}

/// Renders model types for one [`Scope`], recording their imports.
#[derive(Clone, Copy, Debug)]
pub struct Renderer<'a> {
    scope: Scope<'a>,
    imports: &'a Imports,
}

impl<'a> Renderer<'a> {
    pub fn new(scope: Scope<'a>, imports: &'a Imports) -> Renderer<'a> {
        Renderer { scope, imports }
    }

    /// The records of this renderer's imports.
    pub fn imports(&self) -> &'a Imports {
        self.imports
    }

    /// The plain type, `T`.
    pub fn ty(&self, ty: &Type) -> TokenStream {
        match ty {
            Type::String => quote!(String),
            Type::I32 => quote!(i32),
            Type::I64 => quote!(i64),
            Type::F64 => quote!(f64),
            Type::Bool => quote!(bool),
            Type::Vec(inner) => {
                let inner = self.ty(inner);
                quote!(Vec<#inner>)
            }
            Type::Map(inner) => {
                self.imports.add("std::collections", "BTreeMap");
                let inner = self.ty(inner);
                quote!(BTreeMap<String, #inner>)
            }
            Type::Named(name) => self.named(name),
            Type::Json => {
                self.imports.add("serde_json", "Value");
                quote!(Value)
            }
            Type::Bytes => quote!(Vec<u8>),
            Type::Timestamp => {
                self.imports.add("crate::runtime::dates", "Timestamp");
                quote!(Timestamp)
            }
        }
    }

    fn named(&self, name: &str) -> TokenStream {
        if self.scope == Scope::ModelsPath {
            self.imports.add("crate", "models");
            let path = name.split("::").map(ident);
            return quote!(models::#(#path)::*);
        }
        let (module, own_name) = names::split_qualified(name);
        let own = ident(own_name);
        let Some(module) = module else {
            match self.scope {
                Scope::Crate => self.imports.add("crate::models", own_name),
                Scope::Models(Some(_)) => self.imports.add("super", own_name),
                // At the top of `models` every type is declared.
                Scope::Models(None) | Scope::ModelsPath => {}
            }
            return quote!(#own);
        };
        match self.scope {
            // A type of the module the code is in.
            Scope::Models(here) if here == Some(module) => return quote!(#own),
            // A type kept in a module is written with it; the module is
            // what is imported.
            Scope::Crate => self.imports.add("crate::models", module),
            Scope::Models(Some(_)) => self.imports.add("super", module),
            // Modules are declared at the top of `models`.
            Scope::Models(None) | Scope::ModelsPath => {}
        }
        let module = ident(module);
        quote!(#module::#own)
    }

    /// The type a field or parameter of this shape is declared with:
    /// `Option<T>` for the optional ones, `T` otherwise, the runtime's
    /// `PageMeta` for a page's meta.
    pub fn declared(&self, ty: &Type, shape: Shape) -> TokenStream {
        match shape {
            Shape::PageMeta => {
                self.imports.add("crate::runtime::paging", "PageMeta");
                quote!(PageMeta)
            }
            shape if shape.is_option() => {
                let ty = self.ty(ty);
                quote!(Option<#ty>)
            }
            _ => self.ty(ty),
        }
    }

    /// The argument type of a setter: `impl Into<T>` for a value (a map
    /// too), `impl IntoIterator<Item = impl Into<T>>` for a list. (`new(..)`
    /// takes `impl Into<D>` of the declared type `D`.)
    pub fn setter_arg(&self, ty: &Type) -> TokenStream {
        match ty {
            Type::Vec(item) => {
                let item = self.ty(item);
                quote!(impl IntoIterator<Item = impl Into<#item>>)
            }
            other => {
                let other = self.ty(other);
                quote!(impl Into<#other>)
            }
        }
    }

    /// The type of a path parameter's argument (request builder and client
    /// method): `&str` for a string, a slice or reference for an array, map
    /// or struct (sent with a style), the value for other scalars and enums.
    pub fn path_arg(&self, api: &Api, ty: &Type) -> TokenStream {
        let is_struct = |name: &str| matches!(api.type_named(name), Some(TypeDef::Struct(_)));
        match ty {
            Type::String => quote!(&str),
            Type::Vec(inner) => {
                let inner = self.ty(inner);
                quote!(&[#inner])
            }
            Type::Map(_) => {
                let ty = self.ty(ty);
                quote!(&#ty)
            }
            Type::Named(name) if is_struct(name) => {
                let ty = self.ty(ty);
                quote!(&#ty)
            }
            _ => self.ty(ty),
        }
    }

    /// A webhook event field's type: `Vec<T>` for a repeated key (`ty` is
    /// the element), `Option<T>` for one value.
    pub fn event_field(&self, field: &EventField) -> TokenStream {
        let ty = self.ty(&field.ty);
        match field.kind {
            EventFieldKind::Repeated => quote!(Vec<#ty>),
            EventFieldKind::Scalar | EventFieldKind::JsonText => quote!(Option<#ty>),
        }
    }
}

/// Rendered tokens as a user writes them, without spaces
/// (`Option<Vec<Pet>>`): `diff`'s spelling.
pub fn text(tokens: &TokenStream) -> String {
    tokens.to_string().replace(' ', "")
}

/// [`text`] of what `render` makes with a [`Scope::Crate`] renderer whose
/// imports nobody prints.
pub fn crate_text(render: impl FnOnce(&Renderer<'_>) -> TokenStream) -> String {
    let imports = Imports::new();
    text(&render(&Renderer::new(Scope::Crate, &imports)))
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_use_line_lists_self_then_modules_then_types() {
        let imports = Imports::new();
        for name in ["Pattern", "self", "Form", "path_segment"] {
            imports.add("crate::runtime::form", name);
        }
        imports.add("crate::runtime::validate", "self");
        assert_eq!(
            imports.use_line("crate::runtime::form").to_string(),
            quote!(
                use crate::runtime::form::{self, path_segment, Form, Pattern};
            )
            .to_string()
        );
        assert_eq!(
            imports.use_line("crate::runtime::validate").to_string(),
            quote!(
                use crate::runtime::validate;
            )
            .to_string()
        );
        assert!(imports.use_line("serde").is_empty());
    }

    #[test]
    fn a_model_is_imported_where_it_is_written_without_a_path() {
        let ty = Type::Vec(Box::new(Type::Map(Box::new(Type::Named(
            "calls::Event".into(),
        )))));
        let imports = Imports::new();
        let crate_ty = Renderer::new(Scope::Crate, &imports).ty(&ty);
        assert_eq!(text(&crate_ty), "Vec<BTreeMap<String,calls::Event>>");
        assert_eq!(
            imports.use_line("crate::models").to_string(),
            quote!(
                use crate::models::{calls};
            )
            .to_string()
        );
        let imports = Imports::new();
        let own = Renderer::new(Scope::Models(Some("calls")), &imports).ty(&ty);
        assert_eq!(text(&own), "Vec<BTreeMap<String,Event>>");
        assert!(imports.use_line("super").is_empty());
        let imports = Imports::new();
        let hooks = Renderer::new(Scope::ModelsPath, &imports).ty(&ty);
        assert_eq!(text(&hooks), "Vec<BTreeMap<String,models::calls::Event>>");
        assert_eq!(
            imports.use_line("crate").to_string(),
            quote!(
                use crate::{models};
            )
            .to_string()
        );
    }

    #[test]
    fn the_declared_type_follows_the_shape() {
        let list = Type::Vec(Box::new(Type::String));
        let declared = |shape| crate_text(|r| r.declared(&list, shape));
        assert_eq!(declared(Shape::Required), "Vec<String>");
        assert_eq!(declared(Shape::Collection), "Vec<String>");
        assert_eq!(declared(Shape::Optional), "Option<Vec<String>>");
        assert_eq!(declared(Shape::RequiredNullable), "Option<Vec<String>>");
        assert_eq!(declared(Shape::PageMeta), "PageMeta");
    }
}
