//! Encoding of request parameters: `application/x-www-form-urlencoded` forms
//! and query strings ([`Form`]), path parameters ([`path_segment`]) and
//! header parameters ([`set_header`]).

use std::fmt::Display;

use http::header::{HeaderName, HeaderValue};
use http::Request;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::runtime::error::Error;
use crate::runtime::validate::quote;

/// Ordered key/value pairs sent as a form body or a query string.
///
/// Order is kept and keys may repeat, which is how Twilio receives array
/// parameters (`Filters=a&Filters=b`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form {
    pairs: Vec<(&'static str, String)>,
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one pair; the value is rendered with `Display`.
    pub fn push(&mut self, key: &'static str, value: impl Display) {
        self.pairs.push((key, value.to_string()));
    }

    /// Appends one pair when the value is present, so unset optional
    /// parameters are not sent at all.
    pub fn push_opt<T: Display>(&mut self, key: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            self.push(key, value);
        }
    }

    /// Appends one pair per value, in order (Twilio's array encoding). An
    /// empty slice appends nothing.
    pub fn push_each<T: Display>(&mut self, key: &'static str, values: &[T]) {
        for value in values {
            self.push(key, value);
        }
    }

    /// True when no pair was pushed.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs in the order they were pushed.
    pub fn pairs(&self) -> &[(&'static str, String)] {
        &self.pairs
    }

    /// The `application/x-www-form-urlencoded` serialization (also valid as a
    /// query string): `key=value` joined by `&`, keys repeated per array
    /// value in order, spaces as `+`.
    pub fn encode(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.pairs.iter().map(|(key, value)| (*key, value.as_str())))
            .finish()
    }
}

/// Everything except RFC 3986 unreserved characters (`ALPHA DIGIT - . _ ~`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path parameter so it stays inside its segment:
/// everything but RFC 3986 unreserved characters (`ALPHA DIGIT - . _ ~`) is
/// encoded, so `/`, `?`, `#`, `%` and spaces cannot change the path.
///
/// `""`, `"."` and `".."` are rejected with [`Error::Validation`]: an empty
/// segment changes the route, and URL parsers (reqwest's included) collapse
/// dot segments even when they are percent-encoded.
pub fn path_segment(field: &'static str, value: &str) -> Result<String, Error> {
    if matches!(value, "" | "." | "..") {
        return Err(Error::validation(
            field,
            "a non-empty value other than . or ..",
            quote(value),
        ));
    }
    Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string())
}

/// Sets the header `name` of `request` to a parameter's value (replacing any
/// earlier value).
///
/// A value that cannot appear in an HTTP header (one with a control character
/// such as CR or LF, which could otherwise smuggle in another header) is
/// rejected with [`Error::Validation`] instead of being sent.
pub fn set_header(
    request: &mut Request<Vec<u8>>,
    name: &'static str,
    value: impl Display,
) -> Result<(), Error> {
    let text = value.to_string();
    let value = HeaderValue::from_str(&text).map_err(|_| {
        Error::validation(
            name,
            "a header value without control characters",
            quote(&text),
        )
    })?;
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(http::Error::from)?;
    request.headers_mut().insert(name, value);
    Ok(())
}
