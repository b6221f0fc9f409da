//! Recognising list pages from their schema.
//!
//! Twilio answers list operations in three shapes, told apart by the schema
//! alone (never by which document it is in):
//!
//! - **meta style** (Conversations and most newer APIs): exactly two
//!   properties, `meta` (the runtime's `PageMeta`, with `next_page_url`, an
//!   absolute URL) and one array of records;
//! - **token style** (numbers v2's `PaginationMeta`): the same two
//!   properties, but the `meta` object (inline or `$ref`'d) has a string
//!   `next_token` (or `nextToken`) and no `next_page_url`; the next page is
//!   the first request again with the operation's token query parameter set
//!   to it;
//! - **flat style** (api_v2010): exactly one array of records beside scalar
//!   paging properties, one of which is the string `next_page_uri` (or
//!   `next_page_url`), typically a path relative to the host
//!   (`/2010-04-01/Accounts/AC.../Calls.json?Page=1&...`).
//!
//! Each way the model implements the runtime's `Page`, so the client's
//! `*_stream` methods walk them alike.
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
//!
//! **Token pages.** A meta-style page whose `meta` (followed through `$ref`s) has a string
//! `next_token` (or `nextToken`) and no `next_page_url` is a token page (`NextPage::Token`, naming the
//! meta field and the meta type's token field). Its `meta` keeps the spec's own type, not `PageMeta`;
//! its `Page` impl answers `next_page_token()` (and no `next_page_url()`). Its operation must have a
//! string query parameter `PageToken` (or `pageToken`, `page_token`): `Operation::page_token` records
//! its wire name, and the stream calls `Client::paginate_with(.., Paging::Token { parameter })`, which
//! sends the first request again with that parameter set to each next token (`Api::follow_token`:
//! every other query pair kept byte for byte, the token percent-encoded) and ends at a token it has
//! seen (`tests/cases/list_page_token.yaml`, `tests/tests/it/token_paging.rs`). Without such a
//! parameter no next page can be asked for: rather than a stream that silently stops after the first
//! page, the operation gets no stream (its `page_item` is cleared) and a fallback says why; the call
//! still returns the page.
//!
//! **The limit sets the page size.** A list operation's optional integer query parameter `PageSize`
//! (or `pageSize`, `page_size`) is recorded as `Operation::page_size` with its bounds: the schema's
//! `minimum` (else 1) and `maximum` (else 1000, Twilio's largest page, or the minimum when that is
//! larger). When the stream is given a `limit` and the caller's params have no page size, it sends a
//! copy of them with the page size `limit` clamped to those bounds (`runtime::paging::page_size_for`),
//! so a limit of 3 fetches a page of 3, not Twilio's default 50; an explicit page size wins
//! (`tests/cases/page_size_limit.yaml`, `tests/tests/it/client_page_size.rs`). A required page size
//! is the caller's, always given, and left alone.

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type as OaType};
use serde_json::Value;

use super::Normaliser;
use crate::error::Location;
use crate::model::{
    Encoding, NextPage, PageSizeParam, Param, ParamIn, Response, Struct, Type, TypeDef,
};

/// The spellings of a flat page's next-page link, in order of preference.
const NEXT_PAGE_FIELDS: &[&str] = &["next_page_uri", "next_page_url"];

/// The spellings of a token page's next token in its `meta` object, in order
/// of preference.
const NEXT_TOKEN_FIELDS: &[&str] = &["next_token", "nextToken"];

/// A `meta` object with this property names its next page by URL, whatever
/// else it has.
const NEXT_URL_FIELD: &str = "next_page_url";

/// The wire names of a list operation's page-size query parameter.
const PAGE_SIZE_PARAMS: &[&str] = &["PageSize", "pageSize", "page_size"];

/// The wire names of a list operation's page-token query parameter.
const PAGE_TOKEN_PARAMS: &[&str] = &["PageToken", "pageToken", "page_token"];

/// The largest page asked for when the spec gives no `maximum`: Twilio's
/// largest page size.
const DEFAULT_MAX_PAGE_SIZE: i64 = 1000;

/// How a schema with these properties pages, if it is a list page, before
/// its `meta` is looked into (see [`Normaliser::page_style`]).
fn style(properties: &IndexMap<String, ReferenceOr<Box<Schema>>>) -> Option<Style> {
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

/// The shapes of a list page (see the module docs).
pub(super) enum Style {
    /// `meta` is the runtime's `PageMeta`, with `next_page_url`.
    Meta,
    /// `meta` names the next page by a token: the wire name of the token's
    /// property in the meta object.
    Token(String),
    /// The wire name of the next-page link.
    Flat(String),
}

impl Style {
    /// Whether the page's `meta` property is read as the runtime's
    /// `PageMeta` instead of its own schema.
    pub(super) fn meta_is_page_meta(&self) -> bool {
        matches!(self, Style::Meta)
    }
}

impl Normaliser<'_> {
    /// How the response schema at `at`, with these properties, pages, if it
    /// is a list page: [`style`], and for a meta-style page, whether its
    /// `meta` (followed through `$ref`s) names the next page by token.
    pub(super) fn page_style(
        &self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        at: &Location,
    ) -> Option<Style> {
        match style(properties)? {
            Style::Meta => {
                let meta_at = at.join("properties").join("meta");
                let token = properties
                    .get("meta")
                    .and_then(|meta| self.next_token_field(meta, &meta_at));
                Some(token.map_or(Style::Meta, Style::Token))
            }
            other => Some(other),
        }
    }

    /// The property of a `meta` schema (found at `at`) that holds the next
    /// page's token: a string `next_token` (or `nextToken`), when the object
    /// has no `next_page_url`. `None` for a meta that names its next page by
    /// URL, or that cannot be read (its own errors are reported where the
    /// schema is typed).
    fn next_token_field(&self, meta: &ReferenceOr<Box<Schema>>, at: &Location) -> Option<String> {
        let (meta_at, meta) = match meta {
            ReferenceOr::Reference { reference } => {
                let (target, value) = self.docs.resolve(at, reference).ok()?;
                (target, value.clone())
            }
            ReferenceOr::Item(schema) => (at.clone(), serde_json::to_value(schema).ok()?),
        };
        let properties = meta.get("properties")?.as_object()?;
        if properties.contains_key(NEXT_URL_FIELD) {
            return None;
        }
        let is_string = |key: &str| {
            let property_at = meta_at.join("properties").join(key);
            let schema = match properties.get(key)? {
                Value::Object(object) => match object.get("$ref") {
                    Some(Value::String(reference)) => {
                        self.docs.resolve(&property_at, reference).ok()?.1
                    }
                    _ => properties.get(key)?,
                },
                _ => return None,
            };
            Some(schema.get("type") == Some(&Value::String("string".to_owned())))
        };
        NEXT_TOKEN_FIELDS
            .iter()
            .find(|key| is_string(key) == Some(true))
            .map(|key| (*key).to_owned())
    }

    /// The paging of an operation answering with `response`: its page-size
    /// parameter, and for a token page the wire name of its token
    /// parameter.
    ///
    /// A token page's operation without a token parameter cannot ask for a
    /// next page: rather than a stream that silently stops after the first
    /// page, it gets no stream (`response`'s `page_item` is cleared) and a
    /// fallback says why; the call itself still returns the page.
    pub(super) fn operation_paging(
        &mut self,
        operation: &str,
        at: &Location,
        fields: &[Param],
        response: &mut Response,
    ) -> (Option<PageSizeParam>, Option<String>) {
        let Response::Json { ty, page_item } = response else {
            return (None, None);
        };
        if page_item.is_none() {
            return (None, None);
        }
        let page = ty.named().and_then(|name| match self.types.get(name) {
            Some((TypeDef::Struct(page), _)) => Some(page),
            _ => None,
        });
        let token = match page.map(|page| &page.next_page) {
            Some(NextPage::Token { meta, token }) => {
                let found = token_param(fields);
                if found.is_none() {
                    let what = format!(
                        "the list page `{}` names its next page by `{meta}.{token}`, but the operation has no `PageToken` query parameter (string) to send it back in: no `*_stream` method is generated; the call returns the first page as it is",
                        ty.named().unwrap_or_default()
                    );
                    *page_item = None;
                    self.fallback(operation, at, what);
                    return (None, None);
                }
                found
            }
            _ => None,
        };
        (page_size_param(fields), token)
    }
}

/// The page-size parameter among an operation's parameters: an optional
/// integer query parameter `PageSize` (or `pageSize`, `page_size`) written
/// as its text. Its bounds are the schema's `minimum` (else 1) and
/// `maximum` (else 1000, or the minimum when that is larger), each within
/// the field's integer type.
fn page_size_param(fields: &[Param]) -> Option<PageSizeParam> {
    let param = fields.iter().find(|p| {
        p.location == ParamIn::Query
            && PAGE_SIZE_PARAMS.contains(&p.wire.as_str())
            && matches!(p.ty, Type::I32 | Type::I64)
            && p.encoding == Encoding::Plain
            && !p.required
    })?;
    let (low, high) = match param.ty {
        Type::I32 => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    };
    let minimum = param.checks.minimum.unwrap_or(1).clamp(low, high);
    let maximum = param
        .checks
        .maximum
        .unwrap_or(DEFAULT_MAX_PAGE_SIZE.max(minimum))
        .clamp(low, high);
    Some(PageSizeParam {
        field: param.name.clone(),
        // A maximum below the default minimum of 1 (the schema's checks
        // refuse a minimum above its maximum).
        minimum: minimum.min(maximum),
        maximum,
    })
}

/// The wire name of the page-token parameter among an operation's
/// parameters: a string query parameter `PageToken` (or `pageToken`,
/// `page_token`) written as its text.
fn token_param(fields: &[Param]) -> Option<String> {
    fields
        .iter()
        .find(|p| {
            p.location == ParamIn::Query
                && PAGE_TOKEN_PARAMS.contains(&p.wire.as_str())
                && p.ty == Type::String
                && p.encoding == Encoding::Plain
        })
        .map(|p| p.wire.clone())
}

impl Normaliser<'_> {
    /// Marks `def` (built from properties [`Normaliser::page_style`]
    /// recognised) as a list page; a token page's token field is read from
    /// its (already defined) meta type.
    pub(super) fn mark_page(&self, def: &mut Struct, style: &Style) {
        let meta_field = |ty: &str, wire: &str| match self.types.get(ty) {
            Some((TypeDef::Struct(meta), _)) => meta
                .fields
                .iter()
                .find(|f| f.wire == wire && f.ty == Type::String)
                .map(|f| f.name.clone()),
            _ => None,
        };
        mark(def, style, meta_field);
    }
}

/// Marks `def` as a list page: its one array field holds the records.
/// `meta_field(type, wire)` is the Rust name of the string field `wire` of
/// the struct `type`, for a token page's meta type.
fn mark(def: &mut Struct, style: &Style, meta_field: impl Fn(&str, &str) -> Option<String>) {
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
    let has_meta = def.fields.len() == 2 && def.fields.iter().any(|f| f.wire == "meta");
    match style {
        Style::Meta => {
            if !has_meta {
                return;
            }
            for (i, field) in def.fields.iter_mut().enumerate() {
                field.page_meta = i != items;
            }
            def.next_page = NextPage::Meta;
        }
        Style::Token(wire) => {
            let Some(meta) = def
                .fields
                .iter()
                .find(|f| f.wire == "meta")
                .filter(|_| has_meta)
            else {
                return;
            };
            let Some(token) = meta.ty.named().and_then(|ty| meta_field(ty, wire)) else {
                return;
            };
            def.next_page = NextPage::Token {
                meta: meta.name.clone(),
                token,
            };
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
