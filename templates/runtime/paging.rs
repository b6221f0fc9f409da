//! Twilio's list pagination: the `meta` object of list responses and the
//! [`Page`] trait generated list models implement (both page styles: `meta`
//! with `next_page_url`, and flat pages with `next_page_uri`).

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

    /// The items of this page, in the order the API returned them.
    fn into_items(self) -> Vec<Self::Item>;
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
