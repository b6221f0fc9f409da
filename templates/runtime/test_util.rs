//! A test transport for the [`Client`](crate::runtime::client::Client)
//! (feature `test-util`): code that uses the client is unit-tested without a
//! server, against recorded Twilio responses.
//!
//! A [`Replay`] answers each request from its routes (matched by method, path
//! and query) or, failing those, from its queue, and records every request it
//! got. Give it to [`ClientBuilder::test_transport`]; the client then sends
//! nothing over the network, and everything else runs as with a real server:
//! the [`Limits`](crate::runtime::client::Limits) (a recorded body over
//! `max_response_bytes` is refused, a [`ReplayResponse::delay`] counts
//! against the timeouts), the [`RetryPolicy`](crate::runtime::client::RetryPolicy)
//! (a recorded 503 is retried) and paging. The client's base URL stays
//! Twilio's own, so recorded pages whose absolute `next_page_url` points at
//! `https://conversations.twilio.com/...` are followed as in production.
//!
//! [`ClientBuilder::test_transport`]: crate::runtime::client::ClientBuilder::test_transport

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use http::header::{HeaderName, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};

use crate::runtime::error::Error;

/// Recorded responses to replay, and the requests received.
///
/// Cheap to clone; clones share the same routes, queue and requests, so a
/// test keeps one clone to make assertions with after giving another to the
/// client.
///
/// # Which response answers a request
///
/// 1. The [`route`](Replay::route) that matches it: same method, same path
///    (and, when the route's URL is absolute, same scheme and host), and
///    every query parameter of the route's URL present in the request with
///    the same value. When several match, the one with the most query
///    parameters wins, then the first added. A route answers every request
///    it matches, as often as it is asked.
/// 2. Otherwise the front of the [`queue`](Replay::push), which it leaves.
/// 3. Otherwise the call fails with [`Error::NotReplayed`].
#[derive(Clone, Default)]
pub struct Replay {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    routes: Vec<Route>,
    queue: VecDeque<ReplayResponse>,
    requests: Vec<ReplayedRequest>,
}

/// A response kept for every request that matches.
struct Route {
    method: Method,
    /// `scheme://authority`, lower-cased, when the route's URL is absolute.
    origin: Option<String>,
    path: String,
    query: Vec<(String, String)>,
    response: ReplayResponse,
}

impl Route {
    /// How specific the route is if it matches `request`, else `None`.
    fn matches(&self, request: &ReplayedRequest) -> Option<usize> {
        let uri = request.uri();
        let same_origin = self
            .origin
            .as_ref()
            .is_none_or(|origin| *origin == origin_of(uri));
        let query = request.query_pairs();
        let all_params = self.query.iter().all(|pair| query.contains(pair));
        (self.method == request.method && same_origin && self.path == uri.path() && all_params)
            .then_some(self.query.len())
    }
}

impl Replay {
    /// A transport with no route and an empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers every `method` request to `url` with `response`; see
    /// [`Replay`] for how requests are matched. `url` is a path with an
    /// optional query (`/v1/Conversations/CH.../Webhooks?PageSize=50`) or an
    /// absolute URL (`https://conversations.twilio.com/v1/...`), with its
    /// query percent-encoded as on the wire (form encoding, `+` for space).
    ///
    /// # Panics
    ///
    /// When `url` is not a valid URL or path.
    pub fn route(&self, method: Method, url: &str, response: impl Into<ReplayResponse>) -> &Self {
        let uri: Uri = url
            .parse()
            .unwrap_or_else(|err| panic!("Replay::route: invalid URL {url:?}: {err}"));
        let route = Route {
            method,
            origin: uri.scheme().map(|_| origin_of(&uri)),
            path: uri.path().to_owned(),
            query: decode_pairs(uri.query().unwrap_or_default().as_bytes()),
            response: response.into(),
        };
        self.lock().routes.push(route);
        self
    }

    /// Adds `response` to the back of the queue: it answers one request that
    /// no route matches, after those queued before it.
    pub fn push(&self, response: impl Into<ReplayResponse>) -> &Self {
        self.lock().queue.push_back(response.into());
        self
    }

    /// Every request received so far, in order (including those answered
    /// with [`Error::NotReplayed`]). Each retry is a request of its own.
    pub fn requests(&self) -> Vec<ReplayedRequest> {
        self.lock().requests.clone()
    }

    /// How many queued responses were not asked for yet.
    pub fn remaining(&self) -> usize {
        self.lock().queue.len()
    }

    /// Records `request` and picks its response.
    pub(crate) fn answer(&self, request: Request<Vec<u8>>) -> Result<ReplayResponse, Error> {
        let (parts, body) = request.into_parts();
        let request = ReplayedRequest {
            method: parts.method,
            uri: parts.uri,
            headers: parts.headers,
            body,
        };
        let mut state = self.lock();
        let routed = state
            .routes
            .iter()
            .enumerate()
            .filter_map(|(at, route)| Some((route.matches(&request)?, at)))
            // Most query parameters first, then the earliest added.
            .min_by_key(|&(specificity, at)| (std::cmp::Reverse(specificity), at))
            .map(|(_, at)| state.routes[at].response.clone());
        let answer = routed
            .or_else(|| state.queue.pop_front())
            .ok_or_else(|| Error::NotReplayed {
                method: request.method.clone(),
                url: request.uri.to_string(),
            });
        state.requests.push(request);
        answer
    }

    /// The state; a test that panicked while holding it leaves it usable.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Shows the counts only.
impl fmt::Debug for Replay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Replay")
            .field("routes", &state.routes.len())
            .field("queued", &state.queue.len())
            .field("requests", &state.requests.len())
            .finish()
    }
}

/// One recorded response: status, headers, body and how long the "server"
/// takes to send it.
#[derive(Clone, Debug)]
pub struct ReplayResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) delay: Duration,
}

impl ReplayResponse {
    /// A response with `status`, no header and an empty body.
    ///
    /// # Panics
    ///
    /// When `status` is not from 100 to 999.
    pub fn new(status: u16) -> Self {
        ReplayResponse {
            status: StatusCode::from_u16(status)
                .unwrap_or_else(|_| panic!("ReplayResponse: invalid HTTP status {status}")),
            headers: HeaderMap::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// A response with `status`, `Content-Type: application/json` and `body`
    /// (as Twilio sends its resources, pages and error bodies).
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::new(status)
            .header("content-type", "application/json")
            .body(body)
    }

    /// Adds a header (a repeated name adds a value).
    ///
    /// # Panics
    ///
    /// When `name` or `value` is not valid in HTTP.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::try_from(name)
            .unwrap_or_else(|err| panic!("ReplayResponse: invalid header name {name:?}: {err}"));
        let value = HeaderValue::try_from(value)
            .unwrap_or_else(|err| panic!("ReplayResponse: invalid header value {value:?}: {err}"));
        self.headers.append(name, value);
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Waits `delay` before answering, as a slow server would; counts
    /// against [`Limits::timeout`](crate::runtime::client::Limits::timeout)
    /// and the deadline (under `tokio::time::pause` no real time passes).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The declared body length, from a recorded `Content-Length` header
    /// (the client refuses a body over its limit from it before reading).
    pub(crate) fn content_length(&self) -> Option<u64> {
        self.headers
            .get(http::header::CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()
    }
}

/// A recorded `http::Response`: its status, headers and body.
impl<B: Into<Vec<u8>>> From<http::Response<B>> for ReplayResponse {
    fn from(response: http::Response<B>) -> Self {
        let (parts, body) = response.into_parts();
        ReplayResponse {
            status: parts.status,
            headers: parts.headers,
            body: body.into(),
            delay: Duration::ZERO,
        }
    }
}

/// A request the test transport received, as the client sent it.
///
/// Its `Debug` output shows the `Authorization` header as `Sensitive` (the
/// client marks it so), never the credentials.
#[derive(Clone)]
pub struct ReplayedRequest {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl ReplayedRequest {
    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The whole URL, e.g. `https://conversations.twilio.com/v1/...?PageSize=50`.
    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// The URL's path, percent-encoded as sent.
    pub fn path(&self) -> &str {
        self.uri.path()
    }

    /// The query parameters, decoded, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        decode_pairs(self.uri.query().unwrap_or_default().as_bytes())
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The first value of header `name`, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The body as sent.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The form fields of a form body (`application/x-www-form-urlencoded`),
    /// decoded, in order; empty for any other body.
    pub fn form_pairs(&self) -> Vec<(String, String)> {
        let is_form = self
            .headers
            .get(CONTENT_TYPE)
            .is_some_and(|value| value == "application/x-www-form-urlencoded");
        if is_form {
            decode_pairs(&self.body)
        } else {
            Vec::new()
        }
    }
}

/// Method, URL, headers (sensitive ones hidden) and body length.
impl fmt::Debug for ReplayedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplayedRequest")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// `scheme://authority`, lower-cased.
fn origin_of(uri: &Uri) -> String {
    format!(
        "{}://{}",
        uri.scheme_str().unwrap_or_default(),
        uri.authority().map(|a| a.as_str()).unwrap_or_default()
    )
    .to_ascii_lowercase()
}

/// Form-decoded `name=value` pairs.
fn decode_pairs(encoded: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(encoded).into_owned().collect()
}
