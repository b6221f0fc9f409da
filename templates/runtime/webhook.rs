//! Receiving Twilio's webhooks, sans-IO: checking a request's
//! `X-Twilio-Signature` and getting back only what it signs
//! ([`SignatureValidator::verify`] → [`Verified`]), and answering a
//! pre-action webhook ([`PreActionResponse`]).
//!
//! Nothing here does I/O: give it the public URL configured at Twilio
//! ([`PublicUrl`]), and the request's method, path and query (as received),
//! headers and body, whatever HTTP server received them.
//!
//! # What is verified, and what is refused
//!
//! [`SignatureValidator::verify`] decides both whether a request comes from
//! Twilio and what may be read from it, so that nothing unsigned is ever
//! parsed. The generated events are read from its [`Verified`] only
//! (`Event::from_verified`). The rule:
//!
//! - **URL.** The URL checked is the configured [`PublicUrl`] (scheme, host,
//!   port, path and query), never one the request names. The request's path
//!   must be the configured path, and its query the configured query, to
//!   which Twilio appends only (a) `bodySHA256=<hex>` for a JSON body and
//!   (b) the event's fields for a GET webhook, after `&` (after `?` when the
//!   configured URL has no query). Anything else is [`WebhookError::UnknownPath`]
//!   or [`WebhookError::QueryMismatch`] (403).
//! - **GET**: the fields are the ones appended to the configured query
//!   ([`Source::Query`]); the signature covers the whole URL. A GET with a
//!   body is [`WebhookError::UnexpectedBody`] (415).
//! - **POST, nothing appended**: the body must be
//!   `application/x-www-form-urlencoded` (or empty, with no `Content-Type`):
//!   the signature covers the URL and each decoded pair ([`Source::Form`]).
//!   A JSON body without `bodySHA256` is [`WebhookError::MissingBodyHash`]
//!   (403: nothing would sign it); any other body (`text/plain`, multipart,
//!   no `Content-Type`) is [`WebhookError::UnsupportedMediaType`] (415).
//! - **POST with `bodySHA256` appended**: the body must say it is JSON
//!   (`application/json` or `…+json`; else 415), the signature covers the
//!   URL, the SHA-256 of the body must be the URL's (403), and the body must
//!   be a JSON object ([`WebhookError::Json`], 400) ([`Source::Json`]).
//! - Other methods are [`WebhookError::UnsupportedMethod`] (405); a missing,
//!   unreadable or wrong signature is [`WebhookError::Signature`] (403).
//!
//! A validator whose auth token is empty or blank refuses every request
//! ([`WebhookError::BlankAuthToken`]) without computing an HMAC;
//! [`SignatureValidator::try_new`] refuses such a token up front.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use http::{header, HeaderMap, Method, Response, StatusCode};
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

/// Why a signature does not match (the low-level checks:
/// [`SignatureValidator::validate`] and its kin).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The request has no `X-Twilio-Signature` header.
    #[error("the request has no X-Twilio-Signature header")]
    MissingSignature,
    /// The header is there but is not text.
    #[error("the X-Twilio-Signature header is not valid text")]
    MalformedSignature,
    /// The signature is not the one the auth token gives for this URL and
    /// these parameters (with or without the default port), or the auth
    /// token is blank.
    #[error("the X-Twilio-Signature does not match the URL and parameters")]
    Mismatch,
    /// The URL's `bodySHA256` is not the SHA-256 of the body.
    #[error("the body's SHA-256 does not match the URL's bodySHA256 parameter")]
    BodyHashMismatch,
}

/// Why a request is refused by [`SignatureValidator::verify`]; answer it
/// with [`WebhookError::status`]. The messages never quote the request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The auth token is empty or only whitespace: no request can be checked.
    #[error("the auth token is empty or blank, so no request can be checked")]
    BlankAuthToken,
    /// No configured public URL has the request's path.
    #[error("the request's path is not the path of a configured public URL")]
    UnknownPath,
    /// The request's query is not the configured query, alone or followed
    /// by what Twilio appends (`bodySHA256`, or a GET webhook's fields).
    #[error("the request's query is not the configured URL's query (plus bodySHA256, or a GET webhook's fields)")]
    QueryMismatch,
    /// Twilio calls webhooks with GET or POST only.
    #[error("only GET and POST webhook requests are accepted")]
    UnsupportedMethod,
    /// A GET request with a body (a GET's fields are in its URL).
    #[error("a GET webhook request has no body, and this one has one")]
    UnexpectedBody,
    /// A body that is not one Twilio signs: neither a form (with nothing
    /// appended to the URL) nor JSON (with the URL's `bodySHA256`).
    #[error("the body is neither an application/x-www-form-urlencoded form nor JSON signed by the URL's bodySHA256")]
    UnsupportedMediaType,
    /// A JSON body without `bodySHA256` in the URL: nothing signs it.
    #[error(
        "a JSON body needs the URL's bodySHA256 parameter, which signs it, and this URL has none"
    )]
    MissingBodyHash,
    /// The signature is missing, unreadable or wrong, or the body's SHA-256
    /// is not the URL's.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// The JSON body is signed but is not a JSON object of fields.
    #[error("the signed JSON body is not an object of fields: {0}")]
    Json(String),
}

impl WebhookError {
    /// The status to answer with: `403` when the request is not shown to
    /// come from Twilio (token, URL, signature, body hash), `405` for a
    /// method other than GET and POST, `415` for a body Twilio does not sign
    /// (so it is never read), `400` for a signed JSON body that is not an
    /// object.
    pub fn status(&self) -> StatusCode {
        match self {
            WebhookError::UnsupportedMethod => StatusCode::METHOD_NOT_ALLOWED,
            WebhookError::UnexpectedBody | WebhookError::UnsupportedMediaType => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            WebhookError::Json(_) => StatusCode::BAD_REQUEST,
            WebhookError::BlankAuthToken
            | WebhookError::UnknownPath
            | WebhookError::QueryMismatch
            | WebhookError::MissingBodyHash
            | WebhookError::Signature(_) => StatusCode::FORBIDDEN,
        }
    }

    /// How far a request got before this refusal: of the configured URLs
    /// sharing a path, the one that got furthest names the refusal.
    fn stage(&self) -> u8 {
        match self {
            WebhookError::BlankAuthToken | WebhookError::UnknownPath => 0,
            WebhookError::QueryMismatch => 1,
            WebhookError::UnsupportedMethod
            | WebhookError::UnexpectedBody
            | WebhookError::UnsupportedMediaType
            | WebhookError::MissingBodyHash => 2,
            WebhookError::Signature(SignatureError::BodyHashMismatch) => 4,
            WebhookError::Signature(_) => 3,
            WebhookError::Json(_) => 5,
        }
    }
}

/// Why a text is not a [`PublicUrl`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PublicUrlError {
    /// Not an absolute URL with a host (`https://host/path`).
    #[error("a public URL must be absolute, with a host: https://host/path")]
    NotAbsolute,
    /// A scheme other than `http` or `https`.
    #[error("a public URL must use http or https")]
    NotHttp,
    /// A `#fragment`, which Twilio never sends.
    #[error("a public URL cannot have a #fragment (Twilio does not send it)")]
    Fragment,
    /// A `?` with no query after it: Twilio's additions would not be told
    /// apart from it.
    #[error("a public URL cannot end in an empty query (`?` with nothing after it)")]
    EmptyQuery,
}

/// A webhook URL as configured at Twilio: the URL Twilio signs, parsed once
/// (absolute `http` or `https`, with a host; no fragment).
///
/// Requests are checked against it, never against the URL they name (see
/// the [module docs](self)). Its `Debug` output hides user information
/// (`https://***@host/…`).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicUrl {
    url: String,
    /// The path as a request line carries it (`/` for a URL without one).
    path: String,
    query: Option<String>,
}

impl PublicUrl {
    /// Parses a URL configured at Twilio.
    pub fn parse(url: &str) -> Result<Self, PublicUrlError> {
        if url.contains('#') {
            return Err(PublicUrlError::Fragment);
        }
        let uri: http::Uri = url.parse().map_err(|_| PublicUrlError::NotAbsolute)?;
        if !matches!(uri.scheme_str(), Some(s) if s.eq_ignore_ascii_case("https") || s.eq_ignore_ascii_case("http"))
        {
            return Err(match uri.scheme_str() {
                Some(_) => PublicUrlError::NotHttp,
                None => PublicUrlError::NotAbsolute,
            });
        }
        if uri.host().is_none_or(str::is_empty) {
            return Err(PublicUrlError::NotAbsolute);
        }
        let rest = url.split_once("://").map_or("", |(_, rest)| rest);
        let after_authority = rest.find(['/', '?']).map_or("", |i| &rest[i..]);
        let (path, query) = match after_authority.split_once('?') {
            Some((_, "")) => return Err(PublicUrlError::EmptyQuery),
            Some((path, query)) => (path, Some(query.to_owned())),
            None => (after_authority, None),
        };
        let path = if path.is_empty() { "/" } else { path };
        Ok(Self {
            url: url.to_owned(),
            path: path.to_owned(),
            query,
        })
    }

    /// The URL as configured (and signed).
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The path a request to this URL carries (`/` when the URL has none).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The configured query, without its `?`.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// What a request's query appends to the configured one (`None` when
    /// nothing), or `QueryMismatch` when it does not start with it.
    fn appended<'q>(&self, received: Option<&'q str>) -> Result<Option<&'q str>, WebhookError> {
        let appended = match (self.query.as_deref(), received) {
            (None, None) => return Ok(None),
            (None, Some(query)) => Some(query),
            (Some(configured), Some(query)) if query == configured => return Ok(None),
            (Some(configured), Some(query)) => query
                .strip_prefix(configured)
                .and_then(|rest| rest.strip_prefix('&')),
            (Some(_), None) => None,
        };
        match appended {
            Some(appended) if !appended.is_empty() => Ok(Some(appended)),
            _ => Err(WebhookError::QueryMismatch),
        }
    }

    /// The URL Twilio signed for a request that appended `appended`.
    fn signed(&self, appended: Option<&str>) -> String {
        match appended {
            None => self.url.clone(),
            Some(appended) => {
                let separator = if self.query.is_some() { '&' } else { '?' };
                format!("{}{separator}{appended}", self.url)
            }
        }
    }
}

impl FromStr for PublicUrl {
    type Err = PublicUrlError;

    fn from_str(url: &str) -> Result<Self, Self::Err> {
        Self::parse(url)
    }
}

impl fmt::Debug for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `user:password@` is a credential: hidden.
        let shown = match self.url.split_once("://") {
            Some((scheme, rest)) => {
                let end = rest.find(['/', '?']).unwrap_or(rest.len());
                match rest[..end].rfind('@') {
                    Some(at) => format!("{scheme}://***{}", &rest[at..]),
                    None => self.url.clone(),
                }
            }
            None => self.url.clone(),
        };
        f.debug_tuple("PublicUrl").field(&shown).finish()
    }
}

/// Where the pairs of a [`Verified`] request came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// An `application/x-www-form-urlencoded` POST body, whose pairs the
    /// signature covers (an empty POST body: no pairs).
    Form,
    /// A JSON POST body, covered by the URL's `bodySHA256` (its fields as
    /// pairs, see [`json_pairs`]).
    Json,
    /// The fields a GET webhook appended to the configured URL's query.
    Query,
}

/// A request [`SignatureValidator::verify`] accepted: the pairs its
/// signature covers, and nothing else. Only `verify` makes one; the
/// generated events are read from it (`Event::from_verified`).
///
/// The pairs are in the order received (a form signature does not cover
/// the order). A form's signature counts each distinct (name, value) pair
/// once, so an exact repeat is dropped here too: a repeat the signature
/// cannot see cannot lengthen a list. A URL query and a JSON body are
/// signed byte for byte, so their pairs are kept as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    source: Source,
    pairs: Vec<(String, String)>,
    public_url: PublicUrl,
}

impl Verified {
    /// Where the pairs came from.
    pub fn source(&self) -> Source {
        self.source
    }

    /// The signed (name, value) pairs, decoded.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The configured URL the request was signed for (of several, the one
    /// that matched).
    pub fn public_url(&self) -> &PublicUrl {
        &self.public_url
    }

    /// The signed pairs, taken.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs
    }
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
    /// A validator for requests signed with `auth_token`. With an empty or
    /// blank token it refuses every request; [`try_new`](Self::try_new)
    /// refuses such a token instead.
    pub fn new(auth_token: impl Into<String>) -> Self {
        Self {
            auth_token: auth_token.into(),
        }
    }

    /// A validator for requests signed with `auth_token`, or
    /// [`WebhookError::BlankAuthToken`] when it is empty or only whitespace.
    pub fn try_new(auth_token: impl Into<String>) -> Result<Self, WebhookError> {
        let validator = Self::new(auth_token);
        if validator.is_blank() {
            Err(WebhookError::BlankAuthToken)
        } else {
            Ok(validator)
        }
    }

    fn is_blank(&self) -> bool {
        self.auth_token.trim().is_empty()
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
    /// configured and proxies differ in which form they pass on. With a
    /// blank auth token, always `Mismatch`. This checks and parses nothing
    /// else: to read a request, use [`verify`](Self::verify).
    pub fn validate<K: AsRef<str>, V: AsRef<str>>(
        &self,
        url: &str,
        params: &[(K, V)],
        signature: &str,
    ) -> Result<(), SignatureError> {
        if self.is_blank() {
            return Err(SignatureError::Mismatch);
        }
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
        check_body_hash(&expected, body)
    }

    /// Checks a request as received against the URL configured at Twilio,
    /// and returns what its signature covers, by the rule of the
    /// [module docs](self). `path_and_query` is the request target as
    /// received (`/hook?tenant=7`; `uri.path_and_query()` of an
    /// `http::Request`).
    pub fn verify(
        &self,
        public_url: &PublicUrl,
        method: &Method,
        path_and_query: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Verified, WebhookError> {
        self.verify_any(
            std::slice::from_ref(public_url),
            method,
            path_and_query,
            headers,
            body,
        )
    }

    /// [`verify`](Self::verify) for a server with several webhook URLs: the
    /// request is checked against each configured URL whose path is its
    /// path, and accepted when one of them verifies it. Refused, the error
    /// is the one of the URL it got furthest with (`UnknownPath` when no
    /// path matches).
    pub fn verify_any(
        &self,
        public_urls: &[PublicUrl],
        method: &Method,
        path_and_query: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Verified, WebhookError> {
        if self.is_blank() {
            return Err(WebhookError::BlankAuthToken);
        }
        let (path, query) = match path_and_query.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path_and_query, None),
        };
        let mut refusal = WebhookError::UnknownPath;
        for public_url in public_urls.iter().filter(|u| u.path == path) {
            match self.verify_at(public_url, method, query, headers, body) {
                Ok(verified) => return Ok(verified),
                Err(e) if e.stage() > refusal.stage() => refusal = e,
                Err(_) => {}
            }
        }
        Err(refusal)
    }

    /// One configured URL whose path is the request's.
    fn verify_at(
        &self,
        public_url: &PublicUrl,
        method: &Method,
        query: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Verified, WebhookError> {
        let appended = public_url.appended(query)?;
        let (source, pairs) = if method == Method::GET {
            if !body.is_empty() {
                return Err(WebhookError::UnexpectedBody);
            }
            let signature = signature_of(headers)?;
            self.validate(&public_url.signed(appended), NO_PARAMS, signature)?;
            let fields = appended.map(|q| form_pairs(q.as_bytes()));
            (Source::Query, fields.unwrap_or_default())
        } else if method == Method::POST {
            self.verify_post(public_url, appended, headers, body)?
        } else {
            return Err(WebhookError::UnsupportedMethod);
        };
        Ok(Verified {
            source,
            pairs,
            public_url: public_url.clone(),
        })
    }

    /// A POST: a form with nothing appended to the URL, or JSON with
    /// `bodySHA256` (and only that) appended.
    fn verify_post(
        &self,
        public_url: &PublicUrl,
        appended: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(Source, Vec<(String, String)>), WebhookError> {
        let kind = body_kind(headers, body);
        let Some(appended) = appended else {
            return match kind {
                BodyKind::Form => {
                    let pairs = distinct(form_pairs(body));
                    let signature = signature_of(headers)?;
                    self.validate(public_url.as_str(), &pairs, signature)?;
                    Ok((Source::Form, pairs))
                }
                BodyKind::Json => Err(WebhookError::MissingBodyHash),
                BodyKind::Other => Err(WebhookError::UnsupportedMediaType),
            };
        };
        let hash = appended
            .strip_prefix(BODY_SHA256_PARAM)
            .and_then(|rest| rest.strip_prefix('='))
            .filter(|hash| !hash.contains('&'))
            .ok_or(WebhookError::QueryMismatch)?;
        if kind != BodyKind::Json {
            return Err(WebhookError::UnsupportedMediaType);
        }
        let signature = signature_of(headers)?;
        self.validate(&public_url.signed(Some(appended)), NO_PARAMS, signature)?;
        check_body_hash(hash, body)?;
        let pairs = json_pairs(body).map_err(|e| WebhookError::Json(e.to_string()))?;
        Ok((Source::Json, pairs))
    }
}

const NO_PARAMS: &[(&str, &str)] = &[];

/// The request's signature header, as text.
fn signature_of(headers: &HeaderMap) -> Result<&str, SignatureError> {
    headers
        .get(SIGNATURE_HEADER)
        .ok_or(SignatureError::MissingSignature)?
        .to_str()
        .map_err(|_| SignatureError::MalformedSignature)
}

/// Is `expected` (hex, any case) the SHA-256 of `body`? In constant time.
fn check_body_hash(expected: &str, body: &[u8]) -> Result<(), SignatureError> {
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

/// What a POST body says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BodyKind {
    /// A form, or an empty body without `Content-Type`.
    Form,
    Json,
    /// Anything else: another media type, a body without `Content-Type`,
    /// several `Content-Type` headers.
    Other,
}

fn body_kind(headers: &HeaderMap, body: &[u8]) -> BodyKind {
    match headers.get_all(header::CONTENT_TYPE).iter().count() {
        0 if body.is_empty() => BodyKind::Form,
        1 if is_form(headers) => BodyKind::Form,
        1 if is_json(headers) => BodyKind::Json,
        _ => BodyKind::Other,
    }
}

/// `pairs` with each exact repeat of a (name, value) pair dropped, as the
/// signature counts it once; otherwise in order.
fn distinct(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut seen = HashSet::new();
    pairs
        .into_iter()
        .filter(|pair| seen.insert(pair.clone()))
        .collect()
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

/// The pairs of one verified webhook request, taken field by field into a
/// typed event. Reading never fails: a value that does not parse as its
/// field's type is left in place, and ends up (as received) in the event's
/// map of other fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields {
    pairs: Vec<(String, String)>,
}

impl Fields {
    /// The signed pairs of `request`.
    pub fn new(request: &Verified) -> Self {
        Self {
            pairs: request.pairs.clone(),
        }
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
