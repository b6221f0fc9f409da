//! Encoding of request parameters: `application/x-www-form-urlencoded` forms
//! and query strings ([`Form`]), path parameters ([`path_segment`]) and
//! header parameters ([`set_header`]).
//!
//! Parameters with an OpenAPI `style` other than the default go through
//! [`StyleValue`]: one function per style writes it as OpenAPI 3.0.3's style
//! table does ([`path_simple`], [`path_label`], [`path_matrix`] for the path;
//! [`Form::push_form`], [`Form::push_space_delimited`],
//! [`Form::push_pipe_delimited`], [`Form::push_deep_object`] for the query).
//! The delimiters are written as they are; every delimiter character inside
//! a name or value is percent-encoded, so a value cannot change the
//! structure.

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
    /// Keys are the spec's (static) except those a prefixed map or a style
    /// makes.
    pairs: Vec<(Cow<'static, str>, String)>,
    /// Beside each pair: its text on the wire when a style wrote it with
    /// literal delimiters (`ids=a,b`), already encoded; `None` for a pair
    /// encoded as a form field.
    written: Vec<Option<String>>,
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one pair; the value is rendered with `Display`.
    pub fn push(&mut self, key: &'static str, value: impl Display) {
        self.push_pair(Cow::Borrowed(key), value.to_string());
    }

    fn push_pair(&mut self, key: Cow<'static, str>, value: String) {
        self.pairs.push((key, value));
        self.written.push(None);
    }

    /// One pair whose wire text `written` (already encoded) keeps its
    /// delimiters; `value` is the same value decoded, for [`Form::pairs`].
    fn push_written(&mut self, key: Cow<'static, str>, value: String, written: String) {
        self.pairs.push((key, value));
        self.written.push(Some(written));
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
            Value::String(text) => self.push_pair(Cow::Owned(key), text.clone()),
            other => self.push_pair(Cow::Owned(key), other.to_string()),
        }
    }

    /// True when no pair was pushed.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs in the order they were pushed (a styled value joined with
    /// its delimiters, decoded: `("ids", "a,b")`).
    pub fn pairs(&self) -> &[(Cow<'static, str>, String)] {
        &self.pairs
    }

    /// The `application/x-www-form-urlencoded` serialization (also valid as a
    /// query string): `key=value` joined by `&`, keys repeated per array
    /// value in order, spaces as `+`. A styled pair goes as its style wrote
    /// it (`ids=a,b`, `color[R]=100`).
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for ((key, value), written) in self.pairs.iter().zip(&self.written) {
            if !out.is_empty() {
                out.push('&');
            }
            match written {
                Some(text) => out.push_str(text),
                None => {
                    out.push_str(&query_encode(key));
                    out.push('=');
                    out.push_str(&query_encode(value));
                }
            }
        }
        out
    }

    /// A query parameter of `style: form` (the query's default style):
    /// `explode: true` sends an array as one pair per value
    /// (`color=blue&color=black`) and an object as one pair per member
    /// (`R=100&G=200`); `explode: false` sends one pair with the values, or
    /// the members' names and values, joined by `,` (`color=blue,black`,
    /// `color=R,100,G,200`). A scalar is one pair either way. An empty array
    /// or object sends nothing.
    pub fn push_form(&mut self, key: &'static str, value: &StyleValue, explode: bool) {
        match (value, explode) {
            (StyleValue::Scalar(text), _) => self.push_pair(Cow::Borrowed(key), text.clone()),
            (StyleValue::Array(values), true) => {
                for text in values {
                    self.push_pair(Cow::Borrowed(key), text.clone());
                }
            }
            (StyleValue::Object(members), true) => {
                for (name, text) in members {
                    self.push_pair(Cow::Owned(name.clone()), text.clone());
                }
            }
            (_, false) => self.push_joined(key, value, ","),
        }
    }

    /// `style: spaceDelimited` (arrays and objects, `explode: false`): one
    /// pair with the values, or the members' names and values, joined by an
    /// encoded space (`color=blue%20black`). A space inside a value is sent
    /// as `+`, so it is not the delimiter. A scalar (which the style does not
    /// define) is one pair; an empty array or object sends nothing.
    pub fn push_space_delimited(&mut self, key: &'static str, value: &StyleValue) {
        self.push_joined(key, value, "%20");
    }

    /// `style: pipeDelimited` (arrays and objects, `explode: false`): one pair
    /// with the values, or the members' names and values, joined by `|`
    /// (`color=blue|black`); a `|` inside a value is sent as `%7C`. A scalar
    /// (which the style does not define) is one pair; an empty array or
    /// object sends nothing.
    pub fn push_pipe_delimited(&mut self, key: &'static str, value: &StyleValue) {
        self.push_joined(key, value, "|");
    }

    /// `style: deepObject` (objects, `explode: true`): one pair per member,
    /// keyed `<key>[<name>]` with literal brackets (`color[R]=100&color[G]=200`);
    /// a bracket inside the key or a name is percent-encoded. Anything but an
    /// object (which the style does not define) goes as [`Form::push_form`]
    /// with `explode: true`; an empty object sends nothing.
    pub fn push_deep_object(&mut self, key: &'static str, value: &StyleValue) {
        let StyleValue::Object(members) = value else {
            return self.push_form(key, value, true);
        };
        for (name, text) in members {
            let written = format!(
                "{}[{}]={}",
                query_encode(key),
                query_encode(name),
                query_encode(text)
            );
            self.push_written(Cow::Owned(format!("{key}[{name}]")), text.clone(), written);
        }
    }

    /// One pair `key=<parts joined by delimiter>`, the parts encoded and the
    /// delimiter (already in its wire form) as it is. Nothing for an empty
    /// array or object.
    fn push_joined(&mut self, key: &'static str, value: &StyleValue, delimiter: &str) {
        if value.is_undefined() {
            return;
        }
        let parts = value.parts();
        let encoded: Vec<String> = parts.iter().map(|part| query_encode(part)).collect();
        let written = format!("{}={}", query_encode(key), encoded.join(delimiter));
        let shown = if delimiter == "%20" { " " } else { delimiter };
        self.push_written(Cow::Borrowed(key), parts.join(shown), written);
    }
}

/// One name or value of a query string, as `application/x-www-form-urlencoded`
/// writes it: everything but `ALPHA DIGIT * - . _` percent-encoded, spaces as
/// `+` (so `,`, `|`, `[`, `]`, `=`, `&` and `+` inside a value are encoded).
fn query_encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A parameter's value as OpenAPI's style table sees it: a scalar, an array
/// or an object, each value already written as text (`Display`). The
/// request builders make one with [`StyleValue::scalar`],
/// [`StyleValue::array`] or [`StyleValue::object`] and hand it to the
/// function of the parameter's style.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StyleValue {
    /// A string, number, boolean or enum value.
    Scalar(String),
    /// An array's values, in order.
    Array(Vec<String>),
    /// An object's members (name, value), in the order
    /// [`ParamObject::members`] gives; unset members are left out.
    Object(Vec<(String, String)>),
}

impl StyleValue {
    /// A scalar, as its `Display` text.
    pub fn scalar(value: impl Display) -> Self {
        StyleValue::Scalar(value.to_string())
    }

    /// An array, each value as its `Display` text.
    pub fn array<T: Display>(values: &[T]) -> Self {
        StyleValue::Array(values.iter().map(ToString::to_string).collect())
    }

    /// An object, as its [`ParamObject::members`].
    pub fn object(value: &impl ParamObject) -> Self {
        StyleValue::Object(value.members())
    }

    /// An empty array or object: "undefined" in RFC 6570, so a query sends
    /// nothing and a path gets the empty text.
    fn is_undefined(&self) -> bool {
        match self {
            StyleValue::Scalar(_) => false,
            StyleValue::Array(values) => values.is_empty(),
            StyleValue::Object(members) => members.is_empty(),
        }
    }

    /// The texts a non-exploded style joins: the value, the array's values,
    /// or each member's name and value in turn (`R, 100, G, 200`).
    fn parts(&self) -> Vec<&str> {
        match self {
            StyleValue::Scalar(text) => vec![text.as_str()],
            StyleValue::Array(values) => values.iter().map(String::as_str).collect(),
            StyleValue::Object(members) => members
                .iter()
                .flat_map(|(name, text)| [name.as_str(), text.as_str()])
                .collect(),
        }
    }

    /// The texts an exploded style joins, each already encoded: the values,
    /// or each member as `name=value` (`=` as it is).
    fn exploded(&self, encode: impl Fn(&str) -> String) -> Vec<String> {
        match self {
            StyleValue::Object(members) => members
                .iter()
                .map(|(name, text)| format!("{}={}", encode(name), encode(text)))
                .collect(),
            _ => self.parts().into_iter().map(encode).collect(),
        }
    }
}

/// An object sent as a path or query parameter with a style: its members as
/// (name on the wire, value as text), in a fixed order. Generated request
/// types implement it with their fields in declaration order, leaving unset
/// ones out; maps give their keys in sorted order.
pub trait ParamObject {
    /// The members to send, in order.
    fn members(&self) -> Vec<(String, String)>;
}

impl<T: Display> ParamObject for BTreeMap<String, T> {
    fn members(&self) -> Vec<(String, String)> {
        self.iter()
            .map(|(name, value)| (name.clone(), value.to_string()))
            .collect()
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
        return Err(empty_or_dots(field, value));
    }
    Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string())
}

fn empty_or_dots(field: &'static str, found: &str) -> Error {
    Error::validation(field, "a non-empty value other than . or ..", quote(found))
}

/// [`PATH_SEGMENT`] and `.`, label style's delimiter.
const LABEL_PART: &AsciiSet = &PATH_SEGMENT.add(b'.');

/// The written path text, refused when it is empty or a dot segment (`.`,
/// `..`, also with `%2E` for a dot), which would change the route: URL
/// parsers collapse dot segments even when they are percent-encoded.
fn checked_path(field: &'static str, written: String) -> Result<String, Error> {
    let dots = written.replace("%2E", ".").replace("%2e", ".");
    if matches!(dots.as_str(), "" | "." | "..") {
        return Err(empty_or_dots(field, &dots));
    }
    Ok(written)
}

fn path_encode(text: &str) -> String {
    utf8_percent_encode(text, PATH_SEGMENT).to_string()
}

/// A path parameter of `style: simple` (the path's default): a scalar as
/// it is, an array's values joined by `,` (`blue,black`), an object's names
/// and values joined by `,` (`R,100,G,200`) or, with `explode: true`, its
/// members as `name=value` joined by `,` (`R=100,G=200`). Names and values
/// are encoded as [`path_segment`] encodes them (so `,` and `=` inside them
/// are too). An empty result (an empty string, array or object) and a dot
/// segment are refused with [`Error::Validation`].
pub fn path_simple(
    field: &'static str,
    value: &StyleValue,
    explode: bool,
) -> Result<String, Error> {
    let parts = if explode {
        value.exploded(path_encode)
    } else {
        value.parts().into_iter().map(path_encode).collect()
    };
    checked_path(field, parts.join(","))
}

/// A path parameter of `style: label`: `.` before each value (`.blue`,
/// `.blue.black`), before each name and value of an object (`.R.100.G.200`)
/// or, with `explode: true`, before each member `name=value`
/// (`.R=100.G=200`). Both `explode` values write arrays the same way, as
/// OpenAPI 3.0.3's table does. A `.` inside a name or value is sent as `%2E`.
/// An empty array or object writes nothing; an empty result or a dot segment
/// (an empty string gives `.`) is refused with [`Error::Validation`].
pub fn path_label(field: &'static str, value: &StyleValue, explode: bool) -> Result<String, Error> {
    let encode = |text: &str| utf8_percent_encode(text, LABEL_PART).to_string();
    let parts = if explode {
        value.exploded(encode)
    } else {
        value.parts().into_iter().map(encode).collect()
    };
    let written: String = parts.iter().map(|part| format!(".{part}")).collect();
    checked_path(field, written)
}

/// A path parameter of `style: matrix`: `;<name>=<value>` (`;color=blue`,
/// `;color` for an empty string); an array's values joined by `,`
/// (`;color=blue,black`) or, with `explode: true`, one `;<name>=<value>` per
/// value (`;color=blue;color=black`); an object's names and values joined by
/// `,` (`;color=R,100,G,200`) or, with `explode: true`, one `;<member>=<value>`
/// per member (`;R=100;G=200`). `;`, `=` and `,` inside names and values are
/// encoded. An empty array or object writes nothing, which is refused with
/// [`Error::Validation`] like any empty path parameter.
pub fn path_matrix(
    field: &'static str,
    value: &StyleValue,
    explode: bool,
) -> Result<String, Error> {
    let pair = |name: &str, text: &str| match text {
        "" => format!(";{name}"),
        text => format!(";{name}={text}"),
    };
    let name = path_encode(field);
    let written = match (value, explode) {
        _ if value.is_undefined() => String::new(),
        (StyleValue::Array(values), true) => values
            .iter()
            .map(|text| pair(&name, &path_encode(text)))
            .collect(),
        (StyleValue::Object(members), true) => members
            .iter()
            .map(|(member, text)| pair(&path_encode(member), &path_encode(text)))
            .collect(),
        _ => {
            let parts: Vec<String> = value.parts().into_iter().map(path_encode).collect();
            pair(&name, &parts.join(","))
        }
    };
    checked_path(field, written)
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
