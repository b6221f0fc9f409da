//! The async client (feature `client`): sends the sans-IO core's requests
//! with reqwest, retries what is safe to retry and walks paginated listings
//! lazily.

use std::fmt;
use std::time::Duration;

use futures_util::stream::{self, Stream};
use http::header::RETRY_AFTER;
use http::{HeaderMap, Method, Request, Response, StatusCode};

use crate::runtime::api::Api;
use crate::runtime::auth::Credentials;
use crate::runtime::error::Error;
use crate::runtime::paging::Page;
use crate::runtime::response;

/// Sent as `User-Agent` by clients whose reqwest client this crate builds.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// How long the default reqwest client waits for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// When and how often [`Client::execute`] retries.
///
/// # Rules
///
/// - **429 Too Many Requests** is retried for every method: the server did
///   not act on the request.
/// - **5xx** is retried for `GET`, `HEAD`, `DELETE`, `PUT`, `OPTIONS` and
///   `TRACE`; for `POST` and `PATCH` only when `retry_non_idempotent` is
///   true, since a create may already have been acted on.
/// - **Transport errors**: connection failures (nothing reached the server)
///   are retried for every method; other failures (a timeout or reset
///   mid-request, an unreadable response body) only for the idempotent
///   methods above, or for all with `retry_non_idempotent`. Errors in
///   building the request are never retried.
///
/// # Delays
///
/// Retry `n` (from 0) waits a random duration in `[b/2, b]`, where
/// `b = min(initial_backoff * 2^n, max_backoff)`. A `Retry-After` header in
/// integer seconds replaces that delay, capped at `max_retry_after`.
///
/// After the last allowed retry the last response (whatever its status) or
/// the last transport error is returned.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying. Default 3.
    pub max_retries: u32,
    /// The backoff before the first retry, doubled for each further one.
    /// Default 500 ms.
    pub initial_backoff: Duration,
    /// The longest computed backoff. Default 10 s.
    pub max_backoff: Duration,
    /// The longest delay a `Retry-After` header may impose; longer values are
    /// capped to it. Default 60 s.
    pub max_retry_after: Duration,
    /// Also retry 5xx and mid-request transport errors for `POST` and
    /// `PATCH`, accepting that the request may be carried out twice. Default
    /// false.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every request is attempted exactly once.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Whether a response with `status` to a `method` request may be retried.
    fn retries_status(&self, method: &Method, status: StatusCode) -> bool {
        status == StatusCode::TOO_MANY_REQUESTS
            || (status.is_server_error() && (is_idempotent(method) || self.retry_non_idempotent))
    }

    /// Whether a transport error of a `method` request may be retried.
    fn retries_transport(&self, method: &Method, err: &reqwest::Error) -> bool {
        if err.is_builder() || err.is_redirect() || err.is_status() {
            return false;
        }
        err.is_connect() || is_idempotent(method) || self.retry_non_idempotent
    }

    /// The jittered exponential backoff before retry `retry` (from 0).
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.checked_pow(retry).unwrap_or(u32::MAX);
        let ceiling = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let high = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(high / 2..=high))
    }

    /// The delay a `Retry-After` header in integer seconds asks for, capped.
    fn retry_after(&self, headers: &HeaderMap) -> Option<Duration> {
        let seconds: u64 = headers
            .get(RETRY_AFTER)?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()?;
        Some(Duration::from_secs(seconds).min(self.max_retry_after))
    }
}

/// Methods whose repetition has the same effect as a single request.
fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::DELETE,
        Method::PUT,
        Method::OPTIONS,
        Method::TRACE,
    ]
    .contains(method)
}

/// The async client: an [`Api`] (base URL and credentials), a reqwest client
/// and a [`RetryPolicy`]. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    api: Api,
    http: reqwest::Client,
    retry: RetryPolicy,
    /// Per-attempt timeout, applied to each request.
    timeout: Option<Duration>,
}

impl Client {
    /// A client for [`Api::DEFAULT_BASE_URL`] with the default
    /// [`RetryPolicy`].
    ///
    /// # Panics
    ///
    /// Only where `reqwest::Client::new` does: when the TLS backend or the
    /// system DNS configuration cannot be loaded. Use
    /// [`Client::builder`]`(..).build()` to get that as an error instead.
    pub fn new(credentials: Credentials) -> Self {
        Client {
            api: Api::new(credentials),
            http: default_http_client().unwrap_or_else(|_| reqwest::Client::new()),
            retry: RetryPolicy::default(),
            timeout: None,
        }
    }

    /// Starts configuring a client (base URL, retries, timeout, own reqwest
    /// client).
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            base_url: None,
            retry: RetryPolicy::default(),
            timeout: None,
            http: None,
        }
    }

    /// The sans-IO configuration, for building requests.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// The retry policy [`Client::execute`] follows.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Sends one request, retrying according to the [`RetryPolicy`], and
    /// returns the final response whatever its status (the generated parsers
    /// turn error statuses into [`Error::Api`]). Fails with
    /// [`Error::Transport`] when no response could be had.
    pub async fn execute(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, Error> {
        // `http::Request` is not `Clone`; its parts and `Vec<u8>` body are, so
        // each attempt is rebuilt from them.
        let (parts, body) = request.into_parts();
        let mut retries: u32 = 0;
        loop {
            let may_retry = retries < self.retry.max_retries;
            let attempt = Request::from_parts(parts.clone(), body.clone());
            let failure = match self.send(attempt).await {
                Ok(response) => {
                    if may_retry && self.retry.retries_status(&parts.method, response.status()) {
                        let delay = self
                            .retry
                            .retry_after(response.headers())
                            .unwrap_or_else(|| self.retry.backoff(retries));
                        drop(response);
                        tokio::time::sleep(delay).await;
                        retries += 1;
                        continue;
                    }
                    match read_response(response).await {
                        Ok(response) => return Ok(response),
                        Err(err) => err,
                    }
                }
                Err(err) => err,
            };
            if may_retry && self.retry.retries_transport(&parts.method, &failure) {
                tokio::time::sleep(self.retry.backoff(retries)).await;
                retries += 1;
                continue;
            }
            return Err(Error::Transport(failure));
        }
    }

    /// Walks a listing lazily: yields the items of the first page (requested
    /// with `first`, built by a generated list request builder), then follows
    /// the page's [`Page::next_page_url`] (`meta.next_page_url`, or a flat
    /// page's host-relative `next_page_uri`) until it is absent or `limit`
    /// items were yielded.
    ///
    /// A page is fetched only once the previous one is consumed. Next-page
    /// URLs go through [`Api::follow`], so one on another origin ends the
    /// stream with [`Error::ForeignPageUrl`]; a next-page URL equal to the
    /// page just fetched ends it too (no endless loop). After an error the
    /// stream ends.
    pub fn paginate<P: Page + Send + 'static>(
        &self,
        first: Request<Vec<u8>>,
        limit: Option<usize>,
    ) -> impl Stream<Item = Result<P::Item, Error>> + Send + '_
    where
        P::Item: Send,
    {
        let pager = Pager {
            next: Next::Request(Box::new(first)),
            items: Vec::new().into_iter(),
            remaining: limit,
        };
        stream::unfold(pager, move |mut pager| async move {
            let item = self.next_item::<P>(&mut pager).await?;
            Some((item, pager))
        })
    }

    /// The next item of a listing, fetching the next page when needed;
    /// `None` at the end.
    async fn next_item<P: Page>(
        &self,
        pager: &mut Pager<P::Item>,
    ) -> Option<Result<P::Item, Error>> {
        loop {
            if pager.remaining == Some(0) {
                return None;
            }
            if let Some(item) = pager.items.next() {
                if let Some(remaining) = pager.remaining.as_mut() {
                    *remaining = remaining.saturating_sub(1);
                }
                return Some(Ok(item));
            }
            let request = match std::mem::replace(&mut pager.next, Next::Done) {
                Next::Done => return None,
                Next::Request(request) => *request,
                Next::Url(url) => match self.api.follow(&url) {
                    Ok(request) => request,
                    Err(err) => return Some(Err(err)),
                },
            };
            let requested = request.uri().to_string();
            let page = match self.execute(request).await {
                Ok(response) => match response::json::<P, _>(&response) {
                    Ok(page) => page,
                    Err(err) => return Some(Err(err)),
                },
                Err(err) => return Some(Err(err)),
            };
            pager.next = match page.next_page_url() {
                Some(url) if !url.is_empty() && url != requested => Next::Url(url.to_owned()),
                _ => Next::Done,
            };
            pager.items = page.into_items().into_iter();
        }
    }

    /// One attempt: converts the request for reqwest and sends it.
    async fn send(&self, request: Request<Vec<u8>>) -> Result<reqwest::Response, reqwest::Error> {
        let mut request = reqwest::Request::try_from(request)?;
        if let Some(timeout) = self.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        self.http.execute(request).await
    }
}

/// Reads a reqwest response fully into an [`http::Response`].
async fn read_response(response: reqwest::Response) -> Result<Response<Vec<u8>>, reqwest::Error> {
    let status = response.status();
    let version = response.version();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    let mut out = Response::new(body.to_vec());
    *out.status_mut() = status;
    *out.version_mut() = version;
    *out.headers_mut() = headers;
    Ok(out)
}

/// The reqwest client built when none is supplied.
fn default_http_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(CONNECT_TIMEOUT)
        // Redirect-only operations (the spec answers them only with a 3xx,
        // such as an OAuth authorize step) return the redirect's `Location`
        // as their result: the 3xx must reach the generated parser
        // (`runtime::response::redirect`) instead of being followed here.
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

/// Shows the base URL, account SID and retry policy; never secrets.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.api.base_url())
            .field("credentials", self.api.credentials())
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Where a listing continues.
enum Next {
    /// The first page's request, not sent yet.
    Request(Box<Request<Vec<u8>>>),
    /// A `next_page_url` not followed yet.
    Url(String),
    /// No further page.
    Done,
}

/// The state of a [`Client::paginate`] stream.
struct Pager<T> {
    next: Next,
    items: std::vec::IntoIter<T>,
    remaining: Option<usize>,
}

/// Configures a [`Client`]; see [`Client::builder`].
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: Option<String>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// Sends requests to another endpoint instead of
    /// [`Api::DEFAULT_BASE_URL`]; checked by [`ClientBuilder::build`] (see
    /// [`Api::with_base_url`]).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Replaces the default [`RetryPolicy`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Limits each attempt (connect, send, read the whole response) to
    /// `timeout`, also with a client given to [`ClientBuilder::http_client`].
    /// Without it only connecting is limited (10 s, with the built-in reqwest
    /// client). A timed-out attempt is a transport error, retried per the
    /// [`RetryPolicy`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Uses this reqwest client (proxies, TLS roots, pool settings) instead
    /// of building one. Build it with
    /// `.redirect(reqwest::redirect::Policy::none())` as the built-in one is:
    /// redirect-only operations return the redirect's `Location`, which they
    /// cannot see if the client has followed it (they then fail with
    /// [`Error::UnexpectedStatus`]).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client; fails on an invalid base URL or when reqwest cannot
    /// initialize (e.g. its TLS backend).
    pub fn build(self) -> Result<Client, Error> {
        let api = match &self.base_url {
            Some(url) => Api::with_base_url(self.credentials, url)?,
            None => Api::new(self.credentials),
        };
        let http = match self.http {
            Some(http) => http,
            None => default_http_client()?,
        };
        Ok(Client {
            api,
            http,
            retry: self.retry,
            timeout: self.timeout,
        })
    }
}

/// Shows the settings; never secrets.
impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("http_client", &self.http.is_some())
            .finish()
    }
}
