//! Twilio's list pagination: the `meta` object of list responses and the
//! [`Page`] trait generated list models implement (the page styles: `meta`
//! with `next_page_url`, flat pages with `next_page_uri`, and token pages
//! whose `meta.next_token` is sent back as a query parameter, see
//! [`Paging`]).

use serde::{Deserialize, Deserializer};

/// The `meta` object of a Twilio list response. Every field tolerates being
/// absent or `null`.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct PageMeta {
    /// Zero-based index of this page.
    #[serde(default)]
    pub page: Option<i64>,
    /// How many items a page holds at most.
    #[serde(default)]
    pub page_size: Option<i64>,
    /// The first page of the listing.
    #[serde(default)]
    pub first_page_url: Option<String>,
    /// The page before this one, if any.
    #[serde(default)]
    pub previous_page_url: Option<String>,
    /// This page.
    #[serde(default)]
    pub url: Option<String>,
    /// The page after this one; absent or `null` on the last page.
    #[serde(default)]
    pub next_page_url: Option<String>,
    /// The name of the property holding the items, e.g. `"webhooks"`.
    #[serde(default)]
    pub key: Option<String>,
}

/// One page of a list operation; generated list-response models implement it
/// so the client can walk a listing lazily.
pub trait Page: serde::de::DeserializeOwned {
    /// The model of one listed resource.
    type Item;

    /// Where the next page is, or `None` on the last page: an absolute URL
    /// (`meta.next_page_url`) or a path relative to the host (the 2010 API's
    /// `next_page_uri`); [`Api::follow`](crate::runtime::Api::follow) takes
    /// either and refuses other origins.
    fn next_page_url(&self) -> Option<&str>;

    /// The token naming the next page (`meta.next_token`), or `None` on the
    /// last page and for pages that link their next page by URL (the
    /// default). The next page is the first page's request again with the
    /// token in its query ([`Paging::Token`],
    /// [`Api::follow_token`](crate::runtime::Api::follow_token)).
    fn next_page_token(&self) -> Option<&str> {
        None
    }

    /// The items of this page, in the order the API returned them.
    fn into_items(self) -> Vec<Self::Item>;
}

/// How a listing asks for its next page; each generated `*_stream` method
/// passes the one its spec describes to `Client::paginate_with` (feature
/// `client`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Paging {
    /// Follow the link the page names ([`Page::next_page_url`]) with
    /// [`Api::follow`](crate::runtime::Api::follow).
    Links,
    /// Send the first page's request again with the query parameter
    /// `parameter` (`PageToken`) set to the page's
    /// [`Page::next_page_token`], as
    /// [`Api::follow_token`](crate::runtime::Api::follow_token) builds it.
    Token {
        /// The query parameter's name, as the spec writes it.
        parameter: &'static str,
    },
}

/// The page size a listing stream asks for when its caller wants at most
/// `limit` records: `limit` itself, raised to `minimum` and lowered to
/// `maximum` (the page-size parameter's bounds from the spec; `maximum`
/// wins if they cross). Generated `*_stream` methods send it when the
/// caller set no page size. Plumbing of the generated code: hidden from the
/// docs.
#[doc(hidden)]
pub fn page_size_for<T>(limit: usize, minimum: T, maximum: T) -> T
where
    T: TryFrom<usize> + Ord + Copy,
{
    // A limit too large for the type is above any maximum.
    T::try_from(limit).map_or(maximum, |limit| limit.max(minimum).min(maximum))
}

/// serde helper for generated models: `null` becomes `T::default()`.
///
/// Use with `#[serde(default, deserialize_with = "...")]` so that an absent
/// field becomes the default too (`deserialize_with` only runs for present
/// fields). Plumbing of the generated models: hidden from the docs.
#[doc(hidden)]
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
