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
