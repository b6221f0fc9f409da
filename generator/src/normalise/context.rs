//! Where a schema is being read: the context every function that types a
//! schema takes as an argument (as prost-build passes its `Context`), instead
//! of flags set on the normaliser before a call and reset after it.
//!
//! One schema can become different Rust depending on where it is used: a
//! component read for a JSON request body is a request type (required fields
//! `T`), the same component read for a response is a model with every field
//! optional, and only responses parse dates. [`Side`] says which; the rest
//! of [`Ctx`] says which operation a fallback belongs to and how deep the
//! reading is, so recursion and runaway nesting are caught.

use crate::error::Location;

/// Where the value a schema describes goes, which decides how the schema
/// becomes Rust (see [`Side::request_types`] and [`Side::timestamps`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Side {
    /// A value the user sends as a whole typed value: a JSON request body,
    /// an object path or query parameter. Its structs are request types
    /// ([`crate::model::Struct::request`]); dates stay text.
    Request,
    /// A success response's JSON body: structs are response models (every
    /// field optional, list pages recognised); dates and times are the
    /// runtime's `Timestamp`.
    Response,
    /// One value among the pairs of a request: a scalar path, query or
    /// header parameter, or a form field. Objects there are sent as JSON
    /// text, untyped (an object path or query parameter is
    /// [`Side::Request`]), so a struct is only reached by a spec mistake
    /// that is reported; it is read like a response's. Dates stay text.
    Param,
    /// A field of a webhook event (a callback body): structs are read like
    /// a response's, dates stay text (events keep the text as sent).
    Webhook,
}

impl Side {
    /// Structs read here are request types: required fields are plain `T`,
    /// fields get setters, no list page is recognised.
    pub(super) fn request_types(self) -> bool {
        self == Side::Request
    }

    /// Dates and times (`format: date-time`, `date`, `date-time-rfc-2822`)
    /// become the runtime's `Timestamp` rather than `String`.
    pub(super) fn timestamps(self) -> bool {
        self == Side::Response
    }
}

/// The context of one schema being read. Cheap to copy: each nested schema
/// gets its own, one level deeper ([`Ctx::deeper`]) or inside one more
/// component ([`Ctx::within`]); the caller's is untouched.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ctx<'a> {
    pub(super) side: Side,
    /// The `operationId` whose parameters, body or response is read (the
    /// fallbacks found in the schemas it reaches are recorded under it);
    /// `None` for webhook events, which belong to no one operation.
    pub(super) operation: Option<&'a str>,
    /// How many schemas deep the reading is, counting every property, item
    /// and `$ref` followed (see [`super::MAX_SCHEMA_DEPTH`]).
    pub(super) depth: usize,
    /// The component schemas being converted around this one, innermost
    /// first: a `$ref` back to one of them is a recursive schema.
    enclosing: Option<&'a Enclosing<'a>>,
}

/// One component schema being converted, and the ones around it.
#[derive(Debug)]
pub(super) struct Enclosing<'a> {
    at: &'a Location,
    outer: Option<&'a Enclosing<'a>>,
}

impl<'a> Ctx<'a> {
    /// The context of a top-level schema of `operation` (a parameter, a
    /// body, a response) on `side`.
    pub(super) fn operation(operation: &'a str, side: Side) -> Ctx<'a> {
        Ctx {
            side,
            operation: Some(operation),
            depth: 0,
            enclosing: None,
        }
    }

    /// The context of a webhook event's field.
    pub(super) fn webhook() -> Ctx<'a> {
        Ctx {
            side: Side::Webhook,
            operation: None,
            depth: 0,
            enclosing: None,
        }
    }

    /// The context one schema further in.
    pub(super) fn deeper(self) -> Ctx<'a> {
        Ctx {
            depth: self.depth + 1,
            ..self
        }
    }

    /// The link that puts the component at `at` around this context; pass
    /// it to [`Ctx::within`].
    pub(super) fn enclose<'b>(self, at: &'b Location) -> Enclosing<'b>
    where
        'a: 'b,
    {
        Enclosing {
            at,
            outer: self.enclosing,
        }
    }

    /// The context inside the component `link` names (made by
    /// [`Ctx::enclose`]).
    pub(super) fn within<'b>(self, link: &'b Enclosing<'b>) -> Ctx<'b>
    where
        'a: 'b,
    {
        Ctx {
            enclosing: Some(link),
            ..self
        }
    }

    /// Is the component at `at` being converted around this schema?
    pub(super) fn is_within(&self, at: &Location) -> bool {
        let mut link = self.enclosing;
        while let Some(current) = link {
            if current.at == at {
                return true;
            }
            link = current.outer;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_requests_have_request_types_and_only_responses_timestamps() {
        let sides = [Side::Request, Side::Response, Side::Param, Side::Webhook];
        let request: Vec<bool> = sides.iter().map(|s| s.request_types()).collect();
        let dates: Vec<bool> = sides.iter().map(|s| s.timestamps()).collect();
        assert_eq!(request, [true, false, false, false]);
        assert_eq!(dates, [false, true, false, false]);
    }

    #[test]
    fn a_nested_context_leaves_its_parent_as_it_was() {
        let outer_at = Location::new("spec.yaml", "/components/schemas/A");
        let inner_at = Location::new("spec.yaml", "/components/schemas/B");
        let top = Ctx::operation("CreateA", Side::Request);
        let link = top.enclose(&outer_at);
        let in_a = top.within(&link).deeper();
        let link_b = in_a.enclose(&inner_at);
        let in_b = in_a.within(&link_b).deeper();
        assert!(in_b.is_within(&outer_at) && in_b.is_within(&inner_at));
        assert!(in_a.is_within(&outer_at) && !in_a.is_within(&inner_at));
        assert!(!top.is_within(&outer_at));
        assert_eq!((top.depth, in_a.depth, in_b.depth), (0, 1, 2));
        assert_eq!(in_b.operation, Some("CreateA"));
        assert_eq!(Ctx::webhook().operation, None);
    }
}
