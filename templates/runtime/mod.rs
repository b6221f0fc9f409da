//! Hand-written runtime support shared by every generated request builder,
//! response parser and model.
//!
//! The core is sans-IO: [`Api`] turns parameters into [`http::Request`]s and
//! the [`response`] functions turn [`http::Response`]s into models or
//! [`Error`]s, so any HTTP stack can drive it. With the `client` feature,
//! `Client` adds an async reqwest-based transport with retries and lazy
//! pagination on top of that core. [`webhook`] is the receiving side:
//! Twilio's webhook requests verified (only what their signature covers is
//! read) and pre-action answers.

pub mod api;
pub mod auth;
#[cfg(feature = "client")]
pub mod client;
pub mod dates;
pub mod endpoint;
pub mod error;
mod error_body;
// Plumbing of the generated code, public only for it: hidden from the docs.
#[doc(hidden)]
pub mod form;
pub mod paging;
pub mod redact;
pub mod response;
#[doc(hidden)]
pub mod spec;
#[cfg(feature = "test-util")]
pub mod test_util;
#[doc(hidden)]
pub mod validate;
pub mod webhook;

pub use api::Api;
pub use auth::Credentials;
#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder, Limits, RetryPolicy};
pub use dates::Timestamp;
pub use endpoint::Endpoint;
#[cfg(feature = "client")]
pub use error::TimeoutScope;
pub use error::{ApiError, Error};
#[doc(hidden)]
pub use form::Form;
pub use paging::{Page, PageMeta};
pub use response::Redirect;
