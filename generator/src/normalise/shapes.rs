//! Decides the Rust [`Shape`] of every model field and request parameter:
//! whether the generated code holds `T`, `Option<T>` or a collection that
//! is empty when unset, and so whether `new(..)` takes it.
//!
//! A pass over the built model, after every other decision: the shape
//! follows from what the rest of `normalise` settled (`required`,
//! `nullable`, the paging marks, the parameter's type and location), and
//! the emitters and `diff` only read it.
//!
//! # Rules
//!
//! **Nullability: one shape per case.**
//!
//! | spec says | response model field | request parameter |
//! |---|---|---|
//! | optional | `Option<T>` | `Option<T>` (arrays: `Vec<T>`, empty = not sent) |
//! | required | `Option<T>` | `T` (a `new(..)` argument) |
//! | nullable | `Option<T>` | `Option<T>` |
//! | required + nullable | `Option<T>` | `T` (a form body cannot carry null) |
//!
//! Fields of JSON request body types follow their own table (required `T`, required + nullable
//! `Option<T>` written as `null`, optional `Option<T>` left out when unset): see *JSON body types* in
//! [`super::schemas`]: [`Shape::Required`], [`Shape::RequiredNullable`], [`Shape::Optional`].
//!
//! Response fields are always `Option<T>` because Twilio sends `null` for fields the spec calls
//! non-nullable (the spec's own `fetchEmpty` example returns `"method": null` for a non-nullable enum
//! `$ref`). A `nullable: true` written beside a `$ref`, which openapiv3 drops, is read from the document
//! (as is the OpenAPI 3.0 spelling `allOf: [{$ref}]` + `nullable`). The records of a list page are a plain
//! `Vec<T>` (null or absent read as empty, [`Shape::Collection`]) and its `meta` is the runtime's
//! `PageMeta` ([`Shape::PageMeta`]).

use crate::model::{Api, Field, Param, ParamIn, Shape, Struct, Type, TypeDef};

/// Sets `shape` on every struct field, path parameter and `*Params` field.
pub(super) fn decide(api: &mut Api) {
    for def in &mut api.types {
        if let TypeDef::Struct(def) = def {
            struct_fields(def);
        }
    }
    for op in &mut api.operations {
        for param in &mut op.path_params {
            // A path parameter is always given: a positional argument.
            param.shape = Shape::Required;
        }
        for param in op.params.iter_mut().flat_map(|p| p.fields.iter_mut()) {
            param.shape = param_shape(param);
        }
    }
}

fn struct_fields(def: &mut Struct) {
    let request = def.request;
    for field in &mut def.fields {
        field.shape = field_shape(field, request);
    }
}

/// A request body's required fields are plain values (`Option` when also
/// nullable, to send `null`); response fields are all `Option`, since Twilio
/// sends `null` for, or leaves out, fields whatever the spec says, except a
/// list page's records and meta, which read `null` as empty.
fn field_shape(field: &Field, request: bool) -> Shape {
    match (request, field.required, field.nullable) {
        (true, true, false) => Shape::Required,
        (true, true, true) => Shape::RequiredNullable,
        (true, false, _) => Shape::Optional,
        (false, ..) if field.page_meta => Shape::PageMeta,
        (false, ..) if field.page_items => Shape::Collection,
        (false, ..) => Shape::Optional,
    }
}

/// Array and map parameters are never `Option`: empty means not sent, so a
/// required one is no `new(..)` argument either. The body is not a
/// collection even when it is a JSON array: `None` there is no body, unlike
/// an empty array.
fn param_shape(param: &Param) -> Shape {
    let collection =
        param.location != ParamIn::Body && matches!(param.ty, Type::Vec(_) | Type::Map(_));
    match (collection, param.required) {
        (true, _) => Shape::Collection,
        (false, true) => Shape::Required,
        (false, false) => Shape::Optional,
    }
}
