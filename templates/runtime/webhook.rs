//! Receiving Twilio's webhooks, sans-IO: checking the `X-Twilio-Signature`
//! of a request ([`SignatureValidator`]), reading its parameters
//! ([`form_pairs`], [`json_pairs`], [`Fields`], [`RawEvent`]) and answering a
//! pre-action webhook ([`PreActionResponse`]).
//!
//! Nothing here does I/O: give it the URL Twilio called, the request's body
//! and its headers, whatever HTTP server received them.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use http::{header, HeaderMap, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The header carrying Twilio's signature of a request.
pub const SIGNATURE_HEADER: &str = "X-Twilio-Signature";

/// The query parameter Twilio adds to the URL of a request with a JSON body:
/// the hex SHA-256 of the body (the signature then covers the URL only).
pub const BODY_SHA256_PARAM: &str = "bodySHA256";

/// Why a request is not accepted as coming from Twilio.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The request has no `X-Twilio-Signature` header.
    #[error("the request has no X-Twilio-Signature header")]
    MissingSignature,
    /// The header is there but is not text.
    #[error("the X-Twilio-Signature header is not valid text")]
    MalformedSignature,
    /// The signature is not the one the auth token gives for this URL and
    /// these parameters (with or without the default port).
    #[error("the X-Twilio-Signature does not match the URL and parameters")]
    Mismatch,
    /// The URL's `bodySHA256` is not the SHA-256 of the body.
    #[error("the body's SHA-256 does not match the URL's bodySHA256 parameter")]
    BodyHashMismatch,
}

/// Checks `X-Twilio-Signature` headers with an account's auth token.
///
/// Twilio signs a request with HMAC-SHA1, keyed by the auth token, over the
/// full URL it called followed by every POST parameter's name and value,
/// sorted by name (see [`SignatureValidator::signature`]). The comparison
/// runs in constant time. The token never appears in `Debug` output.
#[derive(Clone)]
pub struct SignatureValidator {
    auth_token: String,
}

impl fmt::Debug for SignatureValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureValidator")
            .field("auth_token", &"<redacted>")
            .finish()
    }
}

impl SignatureValidator {
    /// A validator for requests signed with `auth_token`.
    pub fn new(auth_token: impl Into<String>) -> Self {
        Self {
            auth_token: auth_token.into(),
        }
    }

    /// The signature Twilio sends for a request to `url` with these
    /// (decoded) POST parameters: base64 of HMAC-SHA1 over the URL followed
    /// by each name and value. Parameters are sorted by name (by code point);
    /// the values of a repeated name are sorted too and each distinct value
    /// counted once, as Twilio's own libraries do.
    pub fn signature<K: AsRef<str>, V: AsRef<str>>(&self, url: &str, params: &[(K, V)]) -> String {
        let mut sorted: Vec<(&str, &str)> = params
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut mac = Hmac::<Sha1>::new_from_slice(self.auth_token.as_bytes())
            .expect("HMAC takes a key of any length");
        mac.update(url.as_bytes());
        for (name, value) in sorted {
            mac.update(name.as_bytes());
            mac.update(value.as_bytes());
        }
        BASE64.encode(mac.finalize().into_bytes())
    }

    /// Checks `signature` for a request to `url` with these decoded POST
    /// parameters (none for a GET, whose parameters are in the URL). The URL
    /// is tried as given and with its default port added or removed
    /// (`:443` for https, `:80` for http), because Twilio signs the URL as
    /// configured and proxies differ in which form they pass on.
    pub fn validate<K: AsRef<str>, V: AsRef<str>>(
        &self,
        url: &str,
        params: &[(K, V)],
        signature: &str,
    ) -> Result<(), SignatureError> {
        let given = signature.as_bytes();
        let mut ok = subtle::Choice::from(0);
        for candidate in url_variants(url) {
            ok |= self.signature(&candidate, params).as_bytes().ct_eq(given);
        }
        if bool::from(ok) {
            Ok(())
        } else {
            Err(SignatureError::Mismatch)
        }
    }

    /// Checks a request with an `application/x-www-form-urlencoded` body.
    pub fn validate_form(
        &self,
        url: &str,
        body: &[u8],
        signature: &str,
    ) -> Result<(), SignatureError> {
        self.validate(url, &form_pairs(body), signature)
    }

    /// Checks a request with a JSON (or any non-form) body: the signature
    /// covers the URL alone, and the URL's `bodySHA256` query parameter must
    /// be the lowercase hex SHA-256 of the body.
    pub fn validate_body(
        &self,
        url: &str,
        body: &[u8],
        signature: &str,
    ) -> Result<(), SignatureError> {
        let no_params: &[(&str, &str)] = &[];
        self.validate(url, no_params, signature)?;
        let expected = body_sha256(url).ok_or(SignatureError::BodyHashMismatch)?;
        let actual = hex_sha256(body);
        if bool::from(
            actual
                .as_bytes()
                .ct_eq(expected.to_ascii_lowercase().as_bytes()),
        ) {
            Ok(())
        } else {
            Err(SignatureError::BodyHashMismatch)
        }
    }

    /// Checks a whole request as received: the signature from `headers`,
    /// `url` as Twilio called it. A URL with `bodySHA256` is checked with
    /// [`validate_body`](Self::validate_body); a form body with
    /// [`validate_form`](Self::validate_form); anything else (a GET) as a URL
    /// with no POST parameters.
    pub fn validate_request(
        &self,
        url: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), SignatureError> {
        let signature = headers
            .get(SIGNATURE_HEADER)
            .ok_or(SignatureError::MissingSignature)?
            .to_str()
            .map_err(|_| SignatureError::MalformedSignature)?;
        if body_sha256(url).is_some() {
            return self.validate_body(url, body, signature);
        }
        if is_form(headers) {
            self.validate_form(url, body, signature)
        } else {
            let no_params: &[(&str, &str)] = &[];
            self.validate(url, no_params, signature)
        }
    }
}

/// Does the request say its body is a form?
pub fn is_form(headers: &HeaderMap) -> bool {
    media_type(headers).is_some_and(|m| m.eq_ignore_ascii_case("application/x-www-form-urlencoded"))
}

/// Does the request say its body is JSON?
pub fn is_json(headers: &HeaderMap) -> bool {
    media_type(headers).is_some_and(|m| {
        let m = m.to_ascii_lowercase();
        m == "application/json" || m.ends_with("+json")
    })
}

fn media_type(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or("").trim())
}

/// Lowercase hex SHA-256 of `body`.
fn hex_sha256(body: &[u8]) -> String {
    Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The value of the URL's `bodySHA256` query parameter.
fn body_sha256(url: &str) -> Option<String> {
    let query = url.split('#').next()?.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == BODY_SHA256_PARAM)
        .map(|(_, v)| v.into_owned())
}

/// The URL as given, then with its default port added or removed.
fn url_variants(url: &str) -> Vec<String> {
    let mut variants = vec![url.to_owned()];
    let Some((scheme, rest)) = url.split_once("://") else {
        return variants;
    };
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "https" => "443",
        "http" => "80",
        _ => return variants,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, host_port) = match authority.rfind('@') {
        Some(at) => authority.split_at(at + 1),
        None => ("", authority),
    };
    // The port follows the last `:` outside an IPv6 literal's brackets.
    let host_end = host_port.rfind(']').map_or(0, |i| i + 1);
    let (host, port) = match host_port[host_end..].rfind(':') {
        Some(i) => host_port.split_at(host_end + i),
        None => (host_port, ""),
    };
    let other = match port {
        "" => format!("{scheme}://{userinfo}{host}:{default_port}{tail}"),
        p if p[1..] == *default_port => format!("{scheme}://{userinfo}{host}{tail}"),
        _ => return variants,
    };
    variants.push(other);
    variants
}

/// The decoded pairs of a form body, in order, repeats kept (`+` and `%20`
/// are spaces; invalid UTF-8 becomes U+FFFD).
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Why a JSON webhook body could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// The body is not JSON.
    #[error("the webhook body is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The body is JSON but not an object of fields.
    #[error("the webhook body is JSON but not an object")]
    NotAnObject,
}

/// The fields of a JSON object body as pairs, the way a form would carry
/// them: strings as they are, an array of scalars as one pair per element,
/// `null` left out, anything else (numbers, booleans, objects, arrays
/// holding objects or arrays) as its JSON text.
pub fn json_pairs(body: &[u8]) -> Result<Vec<(String, String)>, EventError> {
    let Value::Object(object) = serde_json::from_slice::<Value>(body)? else {
        return Err(EventError::NotAnObject);
    };
    let mut pairs = Vec::new();
    for (key, value) in object {
        match value {
            Value::Array(items) if items.iter().all(is_scalar) => pairs.extend(
                items
                    .into_iter()
                    .filter_map(|v| Some((key.clone(), json_text(v)?))),
            ),
            other => pairs.extend(json_text(other).map(|v| (key, v))),
        }
    }
    Ok(pairs)
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

fn json_text(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text),
        other => Some(other.to_string()),
    }
}

/// The pairs of one webhook request, taken field by field into a typed
/// event. Reading never fails: a value that does not parse as its field's
/// type is left in place, and ends up (as received) in the event's map of
/// other fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields {
    pairs: Vec<(String, String)>,
}

impl Fields {
    /// The pairs as received.
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        Self { pairs }
    }

    /// Drops every pair named `name` (the field that told the event apart).
    pub fn remove_all(&mut self, name: &str) {
        self.pairs.retain(|(k, _)| k != name);
    }

    /// The first value of `name`, parsed; `None` when absent or when it does
    /// not parse (the text is then kept for [`Fields::rest`]).
    pub fn parse<T: FromStr>(&mut self, name: &str) -> Option<T> {
        let index = self.pairs.iter().position(|(k, _)| k == name)?;
        let value = self.pairs[index].1.parse().ok()?;
        self.pairs.remove(index);
        Some(value)
    }

    /// The first value of `name` read as JSON text (Twilio's `Attributes`,
    /// say); kept as text when it is not such JSON.
    pub fn json<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        let index = self.pairs.iter().position(|(k, _)| k == name)?;
        let value = serde_json::from_str(&self.pairs[index].1).ok()?;
        self.pairs.remove(index);
        Some(value)
    }

    /// Every value of `name` (a repeated key), each parsed; values that do
    /// not parse are kept as text.
    pub fn list<T: FromStr>(&mut self, name: &str) -> Vec<T> {
        let mut values = Vec::new();
        self.pairs.retain(|(k, v)| {
            if k != name {
                return true;
            }
            match v.parse() {
                Ok(value) => {
                    values.push(value);
                    false
                }
                Err(_) => true,
            }
        });
        values
    }

    /// What no field took, by name; for a name given more than once, its
    /// first value.
    pub fn rest(self) -> std::collections::BTreeMap<String, String> {
        let mut rest = std::collections::BTreeMap::new();
        for (k, v) in self.pairs {
            rest.entry(k).or_insert(v);
        }
        rest
    }
}

/// An event this crate has no type for: every pair as received, in order
/// (repeats kept). It serializes as a JSON object of those pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawEvent {
    /// The value of the field that names the event type, if there was one.
    pub event_type: Option<String>,
    /// Every pair of the request, in order.
    pub fields: Vec<(String, String)>,
}

impl RawEvent {
    /// The pairs of a request; `tag` names the field holding the event type.
    pub fn new(tag: &str, fields: Vec<(String, String)>) -> Self {
        let event_type = fields
            .iter()
            .find(|(k, _)| k == tag)
            .map(|(_, v)| v.clone());
        Self { event_type, fields }
    }
}

impl Serialize for RawEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.fields.len()))?;
        for (k, v) in &self.fields {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The answer to a pre-action webhook (`onMessageAdd`, `onConversationAdd`,
/// …): Twilio waits for it before it carries out the action.
///
/// A `200` lets the action go ahead, with the changes of a JSON body applied
/// when there is one; any other status stops it. Render it with
/// [`PreActionResponse::into_response`].
#[derive(Clone, Debug, PartialEq)]
pub enum PreActionResponse {
    /// Let the action go ahead as it is (`200`, empty body).
    Accept,
    /// Stop the action. Rendered as `422 Unprocessable Entity`, so a
    /// rejection is told apart from a failed signature check (`403`) in logs.
    Reject,
    /// Let the action go ahead with these changes (`200`, JSON body).
    Modify(Changes),
}

/// The changes a pre-action answer can make, by the kind of action.
#[derive(Clone, Debug, PartialEq)]
pub enum Changes {
    /// For `onMessageAdd` and `onMessageUpdate`.
    Message(MessageChanges),
    /// For `onConversationAdd` and `onConversationUpdate`.
    Conversation(ConversationChanges),
    /// Any other JSON object of changes, sent as it is.
    Other(Map<String, Value>),
}

/// A message's body, author or attributes, replaced before it is posted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageChanges {
    /// The message text to post instead.
    pub body: Option<String>,
    /// The author to post as instead.
    pub author: Option<String>,
    /// The attributes (JSON text) to post instead.
    pub attributes: Option<String>,
}

/// A conversation's names or attributes, replaced before it is created or
/// updated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationChanges {
    /// The friendly name to use instead.
    pub friendly_name: Option<String>,
    /// The unique name to use instead.
    pub unique_name: Option<String>,
    /// The attributes (JSON text) to use instead.
    pub attributes: Option<String>,
}

impl Changes {
    /// The JSON body Twilio reads: snake_case keys in name order, unset ones
    /// left out (`Other` as given).
    pub fn to_body(&self) -> Vec<u8> {
        let mut map = std::collections::BTreeMap::new();
        let mut put = |key: &'static str, value: &Option<String>| {
            if let Some(value) = value {
                map.insert(key, value.clone());
            }
        };
        match self {
            Changes::Message(m) => {
                put("body", &m.body);
                put("author", &m.author);
                put("attributes", &m.attributes);
            }
            Changes::Conversation(c) => {
                put("friendly_name", &c.friendly_name);
                put("unique_name", &c.unique_name);
                put("attributes", &c.attributes);
            }
            Changes::Other(other) => return Value::Object(other.clone()).to_string().into_bytes(),
        }
        serde_json::to_vec(&map).unwrap_or_default()
    }
}

impl PreActionResponse {
    /// The status this answer is sent with.
    pub fn status(&self) -> StatusCode {
        match self {
            PreActionResponse::Accept | PreActionResponse::Modify(_) => StatusCode::OK,
            PreActionResponse::Reject => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// The HTTP response to send back to Twilio.
    pub fn into_response(self) -> Response<Vec<u8>> {
        let status = self.status();
        let builder = Response::builder().status(status);
        let response = match &self {
            PreActionResponse::Modify(changes) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(changes.to_body()),
            PreActionResponse::Accept | PreActionResponse::Reject => builder.body(Vec::new()),
        };
        response.expect("a status and a fixed header always make a response")
    }
}
