//! The sans-IO configuration every generated request builder uses: where
//! requests go and how they authenticate.
//!
//! # Regions and edges
//!
//! As Twilio's own libraries do, [`ApiBuilder::region`] and
//! [`ApiBuilder::edge`] move a Twilio host (`*.twilio.com`) of the spec's
//! server to `{product}.{edge}.{region}.twilio.com`:
//!
//! | default host | region | edge | host used |
//! |---|---|---|---|
//! | `conversations.twilio.com` | – | – | `conversations.twilio.com` |
//! | `conversations.twilio.com` | `ie1` | – | `conversations.ie1.twilio.com` |
//! | `conversations.twilio.com` | – | `dublin` | `conversations.dublin.us1.twilio.com` |
//! | `conversations.twilio.com` | `ie1` | `dublin` | `conversations.dublin.ie1.twilio.com` |
//! | `conversations.au1.twilio.com` | `ie1` | – | `conversations.ie1.twilio.com` |
//! | `conversations.sydney.au1.twilio.com` | – | `dublin` | `conversations.dublin.au1.twilio.com` |
//! | `api.example.com` (not Twilio's) | any | any | `api.example.com` |
//!
//! A region or edge given replaces the host's own; one not given keeps the
//! host's, and an edge without any region is in `us1`. A base URL of the
//! caller's ([`ApiBuilder::base_url`]) is used as it is, never rewritten.

use std::fmt;

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderValue, Method, Request, Uri};

use crate::runtime::auth::Credentials;
use crate::runtime::error::{redact_url, shown_value, Error};
use crate::runtime::form::Form;
use crate::runtime::spec;

/// The `Content-Type` of form bodies.
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The `Content-Type` of JSON bodies.
const JSON_CONTENT_TYPE: &str = "application/json";

/// Base URL plus credentials: everything needed to turn an operation's
/// parameters into an [`http::Request`], without doing any I/O.
#[derive(Clone, Debug)]
pub struct Api {
    /// `scheme://authority[/prefix]`, no trailing `/`.
    base_url: String,
    credentials: Credentials,
    /// The base URL's origin, normalized for comparisons.
    origin: Origin,
    /// The account requests act for when it is not the credentials' (a
    /// subaccount); see [`Api::account_sid`].
    account_sid: Option<String>,
}

impl Api {
    /// The spec's first server (generated in [`spec::DEFAULT_BASE_URL`]).
    pub const DEFAULT_BASE_URL: &'static str = spec::DEFAULT_BASE_URL;

    /// Talks to [`Api::DEFAULT_BASE_URL`]; page links are followed on its
    /// origin (computed from the spec's server when the crate was generated).
    pub fn new(credentials: Credentials) -> Self {
        Api {
            base_url: Self::DEFAULT_BASE_URL.to_owned(),
            credentials,
            origin: Origin {
                scheme: spec::DEFAULT_ORIGIN_SCHEME.to_owned(),
                host: spec::DEFAULT_ORIGIN_HOST.to_owned(),
                port: spec::DEFAULT_ORIGIN_PORT,
            },
            account_sid: None,
        }
    }

    /// Talks to another endpoint (a mock server, a proxy, a regional edge).
    ///
    /// `base_url` must be an absolute `http` or `https` URL with a host and no
    /// user information, query or fragment. A path prefix is kept (requests
    /// go to `base_url + path`); trailing `/`s are dropped.
    pub fn with_base_url(credentials: Credentials, base_url: &str) -> Result<Self, Error> {
        // The URL is redacted: a rejected base URL may carry credentials
        // (`https://user:token@host`, `?token=...`) that must not reach logs.
        let invalid = |reason: &'static str| Error::InvalidBaseUrl {
            url: redact_url(base_url),
            reason,
        };
        if base_url.contains('#') {
            return Err(invalid("it must not have a fragment"));
        }
        if base_url.contains('?') {
            return Err(invalid("it must not have a query"));
        }
        let uri: Uri = base_url
            .parse()
            .map_err(|_| invalid("it is not a valid absolute URL"))?;
        let origin = Origin::of(&uri).map_err(invalid)?;
        let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
        let prefix = uri.path().trim_end_matches('/');
        Ok(Api {
            base_url: format!("{}://{authority}{prefix}", origin.scheme),
            credentials,
            origin,
            account_sid: None,
        })
    }

    /// Starts configuring an [`Api`]: a region, an edge or a base URL of
    /// one's own (see [`ApiBuilder`]). Reads nothing from the environment.
    pub fn builder(credentials: Credentials) -> ApiBuilder {
        ApiBuilder {
            credentials,
            base_url: None,
            region: None,
            edge: None,
            account_sid: None,
        }
    }

    /// Talks to the spec's server moved to `region` and `edge` (each
    /// already a valid DNS label) when it is a Twilio host; see
    /// [the module docs](self).
    fn regional(
        credentials: Credentials,
        region: Option<&str>,
        edge: Option<&str>,
    ) -> Result<Self, Error> {
        match regional_base_url(Self::DEFAULT_BASE_URL, region, edge) {
            Some(url) => Self::with_base_url(credentials, &url),
            None => Ok(Self::new(credentials)),
        }
    }

    /// The base URL requests are sent to: `scheme://authority[/prefix]`, no
    /// trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The credentials every request carries.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// `scheme://host[:port]` of the base URL, lower-cased, the port shown
    /// only when it is not the scheme's default (443 for https, 80 for http).
    /// Page URLs are followed only on this origin.
    pub fn origin(&self) -> String {
        self.origin.to_string()
    }

    /// Builds a request to `base_url + path` (`path` already percent-encoded,
    /// starting with `/`), with `?` and the encoded `query` when it is
    /// non-empty.
    ///
    /// Headers: `Authorization` (basic, marked sensitive) and `Accept:
    /// application/json`. With a `form` (even an empty one), `Content-Type:
    /// application/x-www-form-urlencoded` and the encoded form as body;
    /// without, an empty body and no content type.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        query: Option<&Form>,
        form: Option<&Form>,
    ) -> Result<Request<Vec<u8>>, Error> {
        let mut url = String::with_capacity(self.base_url.len() + path.len() + 1);
        url.push_str(&self.base_url);
        if !path.starts_with('/') {
            url.push('/');
        }
        url.push_str(path);
        if let Some(query) = query.filter(|query| !query.is_empty()) {
            url.push('?');
            url.push_str(&query.encode());
        }
        let uri: Uri = url.parse().map_err(http::Error::from)?;
        let body = form.map(|form| (FORM_CONTENT_TYPE, form.encode().into_bytes()));
        self.build(method, uri, body)
    }

    /// Like [`Api::request`], with `value` written as the JSON body
    /// (`Content-Type: application/json`).
    ///
    /// A value serde_json cannot write (a map with non-string keys, a
    /// hand-written `Serialize` that fails) is an [`Error::Validation`] of
    /// `body`; nothing is built.
    pub fn request_json<T: serde::Serialize>(
        &self,
        method: Method,
        path: &str,
        query: Option<&Form>,
        value: &T,
    ) -> Result<Request<Vec<u8>>, Error> {
        let bytes = serde_json::to_vec(value).map_err(|e| {
            Error::validation("body", "a value that can be written as JSON", e.to_string())
        })?;
        self.request_with_body(method, path, query, JSON_CONTENT_TYPE, bytes)
    }

    /// Like [`Api::request`], with `body` sent as it is under `content_type`
    /// (for bodies this crate does not type).
    pub fn request_with_body(
        &self,
        method: Method,
        path: &str,
        query: Option<&Form>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<Request<Vec<u8>>, Error> {
        let mut request = self.request(method, path, query, None)?;
        let content_type = HeaderValue::from_str(content_type).map_err(http::Error::from)?;
        request.headers_mut().insert(CONTENT_TYPE, content_type);
        *request.body_mut() = body;
        Ok(request)
    }

    /// A `GET` of an absolute URL returned by the API (`meta.next_page_url`),
    /// with the same headers as [`Api::request`].
    ///
    /// Fails with [`Error::ForeignPageUrl`] unless the URL's origin equals
    /// [`Api::origin`] (same scheme, host compared case-insensitively, same
    /// effective port) and it has no user information, so the credentials
    /// are never sent elsewhere. A path starting with a single `/` is taken
    /// relative to the origin. Other relative forms are not resolved: a
    /// scheme-relative `//host/path` is [`Error::ForeignPageUrl`], and a
    /// path-relative `Webhooks?Page=2`, `?Page=2` or `#x` is no URL
    /// [`http::Uri`] reads ([`Error::Http`]). A fragment is not sent.
    pub fn follow(&self, absolute_url: &str) -> Result<Request<Vec<u8>>, Error> {
        let uri = self.resolve(absolute_url)?;
        self.build(Method::GET, uri, None)
    }

    /// The request for the next page of a listing paged by token: `first`
    /// (the listing's first request, as a generated request builder made it)
    /// again, with the query parameter `parameter` set to `token`.
    ///
    /// The method, headers (credentials included) and body are `first`'s,
    /// and so is the URL but for that one pair: every other query pair is
    /// kept byte for byte and in order; an existing `parameter` pair (its
    /// name compared decoded) gets the new value in its place and any later
    /// ones are dropped, else the pair is appended. `token` is
    /// percent-encoded as a form value (spaces as `+`, everything but
    /// `ALPHA DIGIT * - . _` as `%XX`), as every query value is. The URL
    /// stays on `first`'s origin:
    /// `https://numbers.twilio.com/v2/Items?PageSize=2` with `PageToken` and
    /// `abc/+1` is `…/v2/Items?PageSize=2&PageToken=abc%2F%2B1`.
    pub fn follow_token(
        first: &Request<Vec<u8>>,
        parameter: &str,
        token: &str,
    ) -> Result<Request<Vec<u8>>, Error> {
        let pair = format!(
            "{}={}",
            form_urlencoded::byte_serialize(parameter.as_bytes()).collect::<String>(),
            form_urlencoded::byte_serialize(token.as_bytes()).collect::<String>()
        );
        let mut pairs: Vec<&str> = Vec::new();
        let mut replaced = false;
        for existing in first.uri().query().unwrap_or_default().split('&') {
            let is_token = form_urlencoded::parse(existing.as_bytes())
                .next()
                .is_some_and(|(name, _)| name == parameter);
            match (is_token, replaced) {
                (false, _) => pairs.push(existing),
                (true, false) => {
                    pairs.push(&pair);
                    replaced = true;
                }
                // A later pair of the same name: the one token is sent once.
                (true, true) => {}
            }
        }
        if !replaced {
            pairs.push(&pair);
        }
        let query = pairs
            .into_iter()
            .filter(|pair| !pair.is_empty())
            .collect::<Vec<_>>()
            .join("&");
        let uri = first.uri();
        let mut url = String::new();
        if let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) {
            url.push_str(&format!("{scheme}://{authority}"));
        }
        url.push_str(uri.path());
        url.push('?');
        url.push_str(&query);
        let mut next = copy_request(first);
        *next.uri_mut() = url.parse().map_err(http::Error::from)?;
        Ok(next)
    }

    /// The page a next-page link names, spelled one way: resolved and
    /// refused as [`Api::follow`] does, then put in the form of
    /// one canonical URL (scheme and host lower-cased, default port and
    /// fragment dropped, path and query as they are). Two links with the same canonical URL fetch the
    /// same page; `Client::paginate` (feature `client`) never fetches one
    /// twice in a walk, and a sans-IO pager can do the same with this.
    pub fn canonical_page_url(&self, url: &str) -> Result<String, Error> {
        Ok(canonical_url(&self.resolve(url)?))
    }

    /// The absolute URI a next-page link names (see [`Api::follow`]), if it
    /// is on this API's origin.
    fn resolve(&self, url: &str) -> Result<Uri, Error> {
        let uri: Uri = if url.starts_with('/') && !url.starts_with("//") {
            format!("{}{url}", self.origin)
                .parse()
                .map_err(http::Error::from)?
        } else {
            url.parse().map_err(http::Error::from)?
        };
        match Origin::of(&uri) {
            Ok(origin) if origin == self.origin => Ok(uri),
            _ => Err(Error::ForeignPageUrl {
                url: url.to_owned(),
                expected_origin: self.origin(),
            }),
        }
    }

    /// Assembles a request with the common headers and, if given, a body
    /// with its content type.
    fn build(
        &self,
        method: Method,
        uri: Uri,
        body: Option<(&'static str, Vec<u8>)>,
    ) -> Result<Request<Vec<u8>>, Error> {
        let mut builder = Request::builder()
            .method(method)
            .uri(uri)
            .header(AUTHORIZATION, self.credentials.authorization_header())
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        let body = match body {
            Some((content_type, bytes)) => {
                builder = builder.header(CONTENT_TYPE, HeaderValue::from_static(content_type));
                bytes
            }
            None => Vec::new(),
        };
        Ok(builder.body(body)?)
    }
}

/// Configures an [`Api`]; see [`Api::builder`].
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ApiBuilder {
    credentials: Credentials,
    base_url: Option<String>,
    region: Option<String>,
    edge: Option<String>,
    account_sid: Option<String>,
}

impl ApiBuilder {
    /// Sends requests to this base URL instead of the spec's server
    /// (checked by [`ApiBuilder::build`] as [`Api::with_base_url`] checks
    /// it). It wins over [`ApiBuilder::region`] and [`ApiBuilder::edge`]:
    /// a URL of one's own is never rewritten.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sends requests to a Twilio region (`ie1`, `au1`, `us1`, ...) of the
    /// spec's Twilio host: `{product}.{region}.twilio.com`; see
    /// [the module docs](self) for the whole rule. Checked by
    /// [`ApiBuilder::build`]: one DNS label (letters, digits, `-`), else
    /// [`Error::InvalidRegionOrEdge`]. Letters are lower-cased.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends requests through a Twilio edge location (`dublin`, `sydney`,
    /// ...): `{product}.{edge}.{region}.twilio.com`, in region `us1` unless
    /// a region is given or the host names one. Checked as
    /// [`ApiBuilder::region`] is.
    pub fn edge(mut self, edge: impl Into<String>) -> Self {
        self.edge = Some(edge.into());
        self
    }

    /// The configured [`Api`]. Fails with [`Error::InvalidRegionOrEdge`]
    /// for a region or edge that is not a DNS label (even with a base URL,
    /// which they would not change) and [`Error::InvalidBaseUrl`] for a bad
    /// base URL.
    pub fn build(self) -> Result<Api, Error> {
        let region = self
            .region
            .as_deref()
            .map(|value| host_label("region", value))
            .transpose()?;
        let edge = self
            .edge
            .as_deref()
            .map(|value| host_label("edge", value))
            .transpose()?;
        let api = match &self.base_url {
            Some(url) => Api::with_base_url(self.credentials, url),
            None => Api::regional(self.credentials, region.as_deref(), edge.as_deref()),
        }?;
        Ok(Api {
            account_sid: self.account_sid,
            ..api
        })
    }
}

// ---------- The account requests act for ----------
//
// A path parameter the generator marks as the account's (`AccountSid` by
// default: api_v2010's `/2010-04-01/Accounts/{AccountSid}/...`) is no
// argument of the request builders: they write `Api::account_sid()` there.
// That is the credentials' account unless another is set here, as
// twilio-node's `accountSid` option and twilio-python's `account_sid`
// argument do (a subaccount, with the parent's credentials). The value is
// checked where it is used, by the request builder, against the parameter's
// pattern, so a bad SID fails before anything is built, naming the
// parameter.

impl Api {
    /// The account requests act for: the one set with
    /// [`ApiBuilder::account_sid`] or [`Api::with_account_sid`], else the
    /// credentials' ([`Credentials::account_sid`]). Request builders write
    /// it into the path where the spec has an account parameter
    /// (`{AccountSid}`), so it is not an argument of theirs.
    pub fn account_sid(&self) -> &str {
        self.account_sid
            .as_deref()
            .unwrap_or_else(|| self.credentials.account_sid())
    }

    /// A copy of this configuration acting for `account_sid` (a subaccount
    /// the credentials may act for): the same base URL and credentials,
    /// another [`Api::account_sid`]. Checked by the request builders, not
    /// here: an invalid SID is the [`Error::Validation`] of the path
    /// parameter, and nothing is built.
    pub fn with_account_sid(&self, account_sid: impl Into<String>) -> Api {
        Api {
            account_sid: Some(account_sid.into()),
            ..self.clone()
        }
    }
}

impl ApiBuilder {
    /// Acts for this account instead of the credentials' (a subaccount);
    /// see [`Api::account_sid`]. Checked by the request builders, which
    /// write it into the path.
    pub fn account_sid(mut self, account_sid: impl Into<String>) -> Self {
        self.account_sid = Some(account_sid.into());
        self
    }
}

/// `value` as one lower-case DNS label, or [`Error::InvalidRegionOrEdge`]
/// naming `setting`: hosts are built only from letters, digits and `-`, so
/// no configured text can add a `.`, `@`, `/` or port to a URL.
pub(crate) fn host_label(setting: &'static str, value: &str) -> Result<String, Error> {
    let invalid = |reason: &'static str| Error::InvalidRegionOrEdge {
        setting,
        value: shown_value(value),
        reason,
    };
    if value.is_empty() {
        return Err(invalid("it must not be empty"));
    }
    if value.len() > 63 {
        return Err(invalid("it must be at most 63 characters long"));
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(invalid("it may hold only ASCII letters, digits and `-`"));
    }
    if value.starts_with('-') || value.ends_with('-') {
        return Err(invalid("it must not start or end with `-`"));
    }
    Ok(value.to_ascii_lowercase())
}

/// A copy of `request`: method, URI, version, headers and body
/// (`http::Request` is not `Clone`; the requests this crate builds carry no
/// extensions).
pub(crate) fn copy_request(request: &Request<Vec<u8>>) -> Request<Vec<u8>> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// `base_url` with its host moved by [`regional_host`]; `None` when nothing
/// changes (no region or edge, not a Twilio host, not a URL).
fn regional_base_url(base_url: &str, region: Option<&str>, edge: Option<&str>) -> Option<String> {
    if region.is_none() && edge.is_none() {
        return None;
    }
    let uri: Uri = base_url.parse().ok()?;
    let authority = uri.authority()?.as_str();
    let host = uri.host()?;
    let port = authority.strip_prefix(host)?;
    let moved = regional_host(&host.to_ascii_lowercase(), region, edge)?;
    let prefix = uri.path().trim_end_matches('/');
    Some(format!("{}://{moved}{port}{prefix}", uri.scheme_str()?))
}

/// The rule of Twilio's helper libraries: a host `product.twilio.com`,
/// `product.region.twilio.com` or `product.edge.region.twilio.com`
/// (lower case) becomes `product[.edge][.region].twilio.com`, the given
/// region and edge replacing the host's own, an edge without any region in
/// `us1`. `None` for any other host, which is never rewritten.
pub(crate) fn regional_host(
    host: &str,
    region: Option<&str>,
    edge: Option<&str>,
) -> Option<String> {
    let labels: Vec<&str> = host.strip_suffix(".twilio.com")?.split('.').collect();
    if labels.iter().any(|label| label.is_empty()) {
        return None;
    }
    let (product, own_edge, own_region) = match labels.as_slice() {
        [product] => (*product, None, None),
        [product, region] => (*product, None, Some(*region)),
        [product, edge, region] => (*product, Some(*edge), Some(*region)),
        _ => return None,
    };
    let edge = edge.or(own_edge);
    let region = region.or(own_region).or(edge.map(|_| "us1"));
    let pieces = [Some(product), edge, region, Some("twilio"), Some("com")];
    Some(pieces.into_iter().flatten().collect::<Vec<_>>().join("."))
}

/// `uri` spelled one way, so that two spellings of one page compare equal:
/// `scheme://host[:port]` as [`Api::origin`] shows an origin (scheme and host
/// lower-cased, the scheme's default port, 443 or 80, dropped), then the path
/// (`/` when empty) and the query as they are. [`http::Uri`] has already
/// dropped any fragment. Percent-encoding and query order are not touched: a
/// server may tell `%7E` from `~` or `?a&b` from `?b&a`, so only spellings
/// that cannot name another resource are merged. A URI that is not absolute
/// `http`/`https` is kept as it is.
pub(crate) fn canonical_url(uri: &Uri) -> String {
    match Origin::of(uri) {
        Ok(origin) => match uri.query() {
            Some(query) => format!("{origin}{}?{query}", uri.path()),
            None => format!("{origin}{}", uri.path()),
        },
        Err(_) => uri.to_string(),
    }
}

/// A normalized origin: lower-case scheme and host, explicit port.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of an absolute `http`/`https` URI without user
    /// information, or why there is none.
    fn of(uri: &Uri) -> Result<Origin, &'static str> {
        let scheme = uri
            .scheme_str()
            .ok_or("it must be absolute (start with https:// or http://)")?
            .to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => 443,
            "http" => 80,
            _ => return Err("its scheme must be http or https"),
        };
        let authority = uri.authority().ok_or("it must have a host")?.as_str();
        if authority.contains('@') {
            return Err("it must not contain user information");
        }
        let host = uri.host().unwrap_or_default();
        if host.is_empty() {
            return Err("it must have a host");
        }
        let port = match authority.strip_prefix(host) {
            // `host:` with an empty port means the default port (RFC 3986).
            Some("" | ":") => default_port,
            Some(rest) => rest
                .strip_prefix(':')
                .filter(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|digits| digits.parse::<u16>().ok())
                .ok_or("its port must be a number from 0 to 65535")?,
            None => return Err("it must have a valid host"),
        };
        Ok(Origin {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    fn default_port(&self) -> u16 {
        if self.scheme == "http" {
            80
        } else {
            443
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host)?;
        if self.port != self.default_port() {
            write!(f, ":{}", self.port)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{host_label, regional_base_url, regional_host};

    /// The host rule of Twilio's helper libraries, row by row: `host region
    /// edge result`, `-` for none.
    #[test]
    fn the_host_rule_table() {
        let rows = [
            "conversations.twilio.com - - conversations.twilio.com",
            "conversations.twilio.com ie1 - conversations.ie1.twilio.com",
            "conversations.twilio.com - dublin conversations.dublin.us1.twilio.com",
            "conversations.twilio.com ie1 dublin conversations.dublin.ie1.twilio.com",
            "conversations.au1.twilio.com ie1 - conversations.ie1.twilio.com",
            "conversations.au1.twilio.com - dublin conversations.dublin.au1.twilio.com",
            "conversations.sydney.au1.twilio.com ie1 dublin conversations.dublin.ie1.twilio.com",
            "conversations.sydney.au1.twilio.com ie1 - conversations.sydney.ie1.twilio.com",
            "api.example.com ie1 dublin -",
            "twilio.com ie1 - -",
            "eviltwilio.com ie1 - -",
            "a.b.c.d.twilio.com ie1 - -",
            "a..twilio.com ie1 - -",
            "conversations.twilio.com.evil.test ie1 - -",
        ];
        let given = |piece: &'static str| Some(piece).filter(|piece| *piece != "-");
        for row in rows {
            let pieces: Vec<&'static str> = row.split(' ').collect();
            let [host, region, edge, expected] = pieces[..] else {
                panic!("{row}");
            };
            let moved = regional_host(host, given(region), given(edge));
            assert_eq!(moved.as_deref(), given(expected), "{row}");
        }
    }

    /// The port and path prefix of the base URL stay; nothing changes
    /// without a region or edge.
    #[test]
    fn the_base_url_keeps_its_scheme_port_and_prefix() {
        assert_eq!(
            regional_base_url("https://api.twilio.com:8443/2010-04-01/", Some("ie1"), None)
                .as_deref(),
            Some("https://api.ie1.twilio.com:8443/2010-04-01")
        );
        assert_eq!(
            regional_base_url("https://api.twilio.com", None, None),
            None
        );
        assert_eq!(
            regional_base_url("https://api.example.com", Some("ie1"), None),
            None
        );
    }

    #[test]
    fn only_dns_labels_are_accepted() {
        assert_eq!(host_label("region", "IE1").unwrap(), "ie1");
        assert_eq!(host_label("edge", "us-east-1").unwrap(), "us-east-1");
        for bad in [
            "",
            "ie1.evil.test",
            "ie1/x",
            "ie1@x",
            "ie 1",
            "-ie1",
            "ie1-",
            "ie1:443",
            "é",
        ] {
            assert!(host_label("region", bad).is_err(), "{bad:?}");
        }
        assert!(host_label("region", &"a".repeat(64)).is_err());
    }
}
