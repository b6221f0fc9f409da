//! Encoding of request parameters: `application/x-www-form-urlencoded` forms
//! and query strings ([`Form`]), path parameters ([`path_segment`]) and
//! header parameters ([`set_header`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Display;

use http::header::{HeaderName, HeaderValue};
use http::Request;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

use crate::runtime::error::Error;
use crate::runtime::validate::quote;

/// Ordered key/value pairs sent as a form body or a query string.
///
/// Order is kept and keys may repeat, which is how Twilio receives array
/// parameters (`Filters=a&Filters=b`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form {
    /// Keys are the spec's (static) except those a prefixed map makes.
    pairs: Vec<(Cow<'static, str>, String)>,
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one pair; the value is rendered with `Display`.
    pub fn push(&mut self, key: &'static str, value: impl Display) {
        self.pairs.push((Cow::Borrowed(key), value.to_string()));
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

    /// Appends an object-valued parameter as its JSON text in the one field
    /// (`Data={"a":1}`), as Twilio's helper libraries send such values.
    pub fn push_json(&mut self, key: &'static str, value: &Value) {
        self.push(key, value);
    }

    /// [`Form::push_json`] when the value is present.
    pub fn push_json_opt(&mut self, key: &'static str, value: Option<&Value>) {
        if let Some(value) = value {
            self.push_json(key, value);
        }
    }

    /// [`Form::push_json`] once per value, in order.
    pub fn push_each_json(&mut self, key: &'static str, values: &[Value]) {
        for value in values {
            self.push_json(key, value);
        }
    }

    /// Appends a `prefixed-collapsible-map-<prefix>` parameter: one pair per
    /// leaf, keyed `<prefix>.<key>[.<subkey>…]` (nested objects add a
    /// segment per level). Strings go as they are, numbers and booleans as
    /// their JSON text, each element of an array under the same key, and
    /// `null` not at all. An empty map appends nothing.
    pub fn push_prefixed_map(&mut self, prefix: &'static str, map: &BTreeMap<String, Value>) {
        for (key, value) in map {
            self.push_leaves(format!("{prefix}.{key}"), value);
        }
    }

    fn push_leaves(&mut self, key: String, value: &Value) {
        match value {
            Value::Object(map) => {
                for (sub, value) in map {
                    self.push_leaves(format!("{key}.{sub}"), value);
                }
            }
            Value::Array(values) => {
                for value in values {
                    self.push_leaves(key.clone(), value);
                }
            }
            Value::Null => {}
            Value::String(text) => self.pairs.push((Cow::Owned(key), text.clone())),
            other => self.pairs.push((Cow::Owned(key), other.to_string())),
        }
    }

    /// True when no pair was pushed.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs in the order they were pushed.
    pub fn pairs(&self) -> &[(Cow<'static, str>, String)] {
        &self.pairs
    }

    /// The `application/x-www-form-urlencoded` serialization (also valid as a
    /// query string): `key=value` joined by `&`, keys repeated per array
    /// value in order, spaces as `+`.
    pub fn encode(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                self.pairs
                    .iter()
                    .map(|(key, value)| (key.as_ref(), value.as_str())),
            )
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
