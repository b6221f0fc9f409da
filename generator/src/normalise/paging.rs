//! Recognising list pages from their schema.
//!
//! Twilio answers list operations in two shapes, told apart by the schema
//! alone (never by which document it is in):
//!
//! - **meta style** (Conversations and most newer APIs): exactly two
//!   properties, `meta` (the runtime's `PageMeta`, with `next_page_url`, an
//!   absolute URL) and one array of records;
//! - **flat style** (api_v2010): exactly one array of records beside scalar
//!   paging properties, one of which is the string `next_page_uri` (or
//!   `next_page_url`), typically a path relative to the host
//!   (`/2010-04-01/Accounts/AC.../Calls.json?Page=1&...`).
//!
//! Either way the model implements the runtime's `Page`, so the client's
//! `*_stream` methods walk both alike.
//!
//! # Rules
//!
//! **List pages.** A response schema is a list page when its shape says so, whatever the document
//! (`generator/src/normalise/paging.rs`): exactly one array property (the records) and either
//!
//! - *meta style*: the array and `meta` and nothing else (Conversations and most newer APIs;
//!   `meta.next_page_url` is an absolute URL), or
//! - *flat style*: beside the array only scalar properties, one of them the string `next_page_uri`
//!   (or `next_page_url`): Twilio's 2010 API (`{"calls": [...], "end", "first_page_uri",
//!   "next_page_uri", "page", "page_size", "previous_page_uri", "start", "uri"}`), whose
//!   `next_page_uri` is a path relative to the host (`/2010-04-01/Accounts/AC…/Calls.json?Page=1&…`).
//!   The other paging fields stay ordinary `Option` fields of the model.
//!
//! Both implement the runtime's `Page` (`next_page_url()` and `into_items()`), so the sans-IO caller and
//! the client's `*_stream` methods treat them alike. A link is followed through `Api::follow`: a path
//! starting with one `/` is taken on the configured origin, an absolute URL only when it is on that
//! origin (`Error::ForeignPageUrl` otherwise), so credentials never go elsewhere
//! (`tests/cases/list_page_flat.yaml`; the three-page walk is in
//! `tests/tests/it/response_shapes_wire.rs`). Other relative forms are not resolved: `//host/…` is
//! `Error::ForeignPageUrl`, a path-relative `Webhooks?Page=2` no URL at all (`Error::Http`).
//! `Api::canonical_page_url` spells a link one way (resolved as `follow` does, scheme and host
//! lower-cased, default port and fragment dropped, path and query untouched, since the server decides
//! what they mean): the client's streams never fetch a page twice by it, and a sans-IO pager can do the
//! same (`templates/runtime/tests/page_urls.rs`).

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type as OaType};

use crate::model::{NextPage, Struct, Type};

/// The spellings of a flat page's next-page link, in order of preference.
const NEXT_PAGE_FIELDS: &[&str] = &["next_page_uri", "next_page_url"];

/// How a schema with these properties pages, if it is a list page.
pub(super) fn style(properties: &IndexMap<String, ReferenceOr<Box<Schema>>>) -> Option<Style> {
    let arrays = properties
        .values()
        .filter(|schema| {
            is_inline(schema, |kind| {
                matches!(kind, SchemaKind::Type(OaType::Array(_)))
            })
        })
        .count();
    if arrays != 1 {
        return None;
    }
    if properties.len() == 2 && properties.contains_key("meta") {
        return Some(Style::Meta);
    }
    let next = NEXT_PAGE_FIELDS.iter().find(|key| {
        properties.get(**key).is_some_and(|schema| {
            is_inline(schema, |kind| {
                matches!(kind, SchemaKind::Type(OaType::String(_)))
            })
        })
    })?;
    // Every property but the records must be a scalar: a page envelope, not
    // a resource that happens to hold one list.
    let scalars = properties.values().all(|schema| {
        is_inline(schema, |kind| {
            matches!(
                kind,
                SchemaKind::Type(
                    OaType::Array(_)
                        | OaType::String(_)
                        | OaType::Integer(_)
                        | OaType::Number(_)
                        | OaType::Boolean(_)
                )
            )
        })
    });
    scalars.then(|| Style::Flat((*next).to_owned()))
}

/// The two shapes of a list page (see the module docs).
pub(super) enum Style {
    Meta,
    /// The wire name of the next-page link.
    Flat(String),
}

/// Marks `def` (built from properties [`style`] recognised) as a list page:
/// its one array field holds the records.
pub(super) fn mark(def: &mut Struct, style: &Style) {
    let arrays: Vec<usize> = def
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f.ty, Type::Vec(_)))
        .map(|(i, _)| i)
        .collect();
    let [items] = arrays[..] else {
        return;
    };
    match style {
        Style::Meta => {
            if !(def.fields.len() == 2 && def.fields.iter().any(|f| f.wire == "meta")) {
                return;
            }
            for (i, field) in def.fields.iter_mut().enumerate() {
                field.page_meta = i != items;
            }
            def.next_page = NextPage::Meta;
        }
        Style::Flat(wire) => {
            let Some(next) = def.fields.iter().find(|f| &f.wire == wire) else {
                return;
            };
            def.next_page = NextPage::Field(next.name.clone());
        }
    }
    def.page_items = Some(def.fields[items].name.clone());
    for (i, field) in def.fields.iter_mut().enumerate() {
        field.page_items = i == items;
    }
}

/// Is `schema` written inline (not a `$ref`) with a kind `test` accepts?
fn is_inline(schema: &ReferenceOr<Box<Schema>>, test: impl Fn(&SchemaKind) -> bool) -> bool {
    matches!(schema, ReferenceOr::Item(s) if test(&s.schema_kind))
}
