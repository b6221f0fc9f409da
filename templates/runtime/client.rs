//! The async client (feature `client`): sends the sans-IO core's requests
//! with reqwest within time and size [`Limits`], retries what is safe to
//! retry and walks paginated listings lazily.

use std::collections::HashSet;
use std::env::VarError;
use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher, Hash, Hasher};
use std::time::Duration;

use futures_util::stream::{self, Stream};
use http::header::{RETRY_AFTER, USER_AGENT};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, Uri};
use tokio::time::Instant;
#[cfg(feature = "tracing")]
use tracing::Instrument as _;

use crate::runtime::api::{canonical_url, copy_request, host_label, Api, ApiBuilder};
use crate::runtime::auth::{env_optional, Credentials};
use crate::runtime::endpoint::Endpoint;
use crate::runtime::error::{shown_value, Error, TimeoutScope};
use crate::runtime::paging::{Page, Paging};
use crate::runtime::response;
use crate::runtime::spec;
#[cfg(feature = "test-util")]
use crate::runtime::test_util::{Replay, ReplayResponse};

/// The `User-Agent` of every request a [`Client`] sends, before any
/// extension: `twilio-codegen/<generator version> (<crate>/<version>; <os>
/// <arch>) rust`, in the shape of Twilio's own libraries'
/// (`twilio-node/5.0.0 (linux x64) node/v20.0.0`), so Twilio can tell which
/// generator and which generated crate called it.
fn base_user_agent() -> String {
    format!(
        "twilio-codegen/{} ({}/{}; {} {}) rust",
        spec::GENERATOR_VERSION,
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
    )
}

/// [`base_user_agent`] followed by `extensions`, each after a space, as
/// twilio-node appends its `userAgentExtensions`; or
/// [`Error::InvalidUserAgentExtension`] for one that is empty or not
/// visible ASCII.
fn user_agent(extensions: &[String]) -> Result<HeaderValue, Error> {
    let mut agent = base_user_agent();
    for extension in extensions {
        if extension.is_empty() || !extension.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::InvalidUserAgentExtension {
                extension: shown_value(extension),
            });
        }
        agent.push(' ');
        agent.push_str(extension);
    }
    // Visible ASCII and spaces only (the crate name and OS/ARCH constants
    // are ASCII identifiers), so always a valid header value.
    Ok(HeaderValue::from_str(&agent).map_err(http::Error::from)?)
}

/// How long the default reqwest client waits for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What bounds every call of a [`Client`], so that no server, however it
/// misbehaves, can make a call wait, read or page without end.
///
/// Set for all calls with [`ClientBuilder::limits`] (or
/// [`ClientBuilder::timeout`], [`ClientBuilder::deadline`]); for some calls
/// with [`Client::with_limits`] (or [`Client::with_timeout`],
/// [`Client::with_deadline`]), which return a configured copy of the client
/// sharing its connection pool:
/// `client.with_deadline(Duration::from_secs(5)).fetch_..(..).await`.
///
/// A value too large to add to the current time (e.g. `Duration::MAX`)
/// means "no limit".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The longest one attempt may take: connecting, sending the request and
    /// reading the whole response. A timed-out attempt is
    /// [`Error::Timeout`] with [`TimeoutScope::Attempt`], retried like a
    /// transport error (see [`RetryPolicy`]). Default 30 s, as in Twilio's
    /// own libraries.
    pub timeout: Duration,
    /// The longest a whole call may take: every attempt and every wait
    /// between them (backoff, `Retry-After`). When it passes during an
    /// attempt the call ends with [`Error::Timeout`] and
    /// [`TimeoutScope::Deadline`]; a wait that would end after it is not
    /// started (the last response or error is returned at once). For a
    /// listing stream it bounds each page's request. Default 120 s.
    pub deadline: Duration,
    /// The largest response body read, in bytes. A larger one is
    /// [`Error::BodyTooLarge`]: refused from its `Content-Length` before
    /// reading, or as soon as the bytes read pass the limit; the rest is
    /// never read. Default 10 MiB (a page of 1,000 Twilio records is well
    /// under that).
    pub max_response_bytes: usize,
    /// How many empty pages in a row that still name a next page a listing
    /// stream follows; the next such page ends the stream with
    /// [`Error::TooManyEmptyPages`]. (Empty pages yield no item, so the
    /// stream's `limit` alone cannot end such a walk.) An empty page without
    /// a next page is the normal end of a listing. Default 5.
    pub max_empty_pages: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(120),
            max_response_bytes: 10 * 1024 * 1024,
            max_empty_pages: 5,
        }
    }
}

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
///   are retried for every method; other failures (an attempt timing out,
///   see [`Limits::timeout`], a reset mid-request, an unreadable response
///   body) only for the idempotent methods above, or for all with
///   `retry_non_idempotent`. Errors in building the request, redirects
///   (3xx) and bodies over [`Limits::max_response_bytes`] are never
///   retried.
///
/// # Delays
///
/// Retry `n` (from 0) waits a random duration in `[b/2, b]`, where
/// `b = min(initial_backoff * 2^n, max_backoff)`. A `Retry-After` header in
/// integer seconds replaces that delay, capped at `max_retry_after`.
///
/// # Bounds
///
/// At most `max_retries` retries, and none past the call's
/// [`Limits::deadline`]: a wait that would end after the deadline is not
/// started, so a huge `Retry-After` ends the call at once. Then, as after
/// the last allowed retry, the last response (whatever its status) or the
/// last error is returned.
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

    /// Whether a failed attempt of a `method` request may be retried.
    fn retries_failure(&self, method: &Method, failure: &Error) -> bool {
        let may_have_reached_the_server = match failure {
            Error::Transport(err) if err.is_builder() || err.is_redirect() || err.is_status() => {
                return false
            }
            Error::Transport(err) => !err.is_connect(),
            Error::Timeout {
                scope: TimeoutScope::Attempt,
                ..
            } => true,
            _ => return false,
        };
        !may_have_reached_the_server || is_idempotent(method) || self.retry_non_idempotent
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

/// The async client: an [`Api`] (base URL and credentials), a reqwest client,
/// a [`RetryPolicy`] and [`Limits`]. Cheap to clone; clones share the
/// connection pool.
///
/// It follows no redirect (see [`Client::execute`]).
#[derive(Clone)]
pub struct Client {
    api: Api,
    transport: Transport,
    retry: RetryPolicy,
    limits: Limits,
    /// Sent on every request that has no `User-Agent` of its own.
    user_agent: HeaderValue,
}

/// What carries one attempt to a server and back. Everything around an
/// attempt (limits, retries, redirect policy, paging) is the client's and
/// runs unchanged over either.
#[derive(Clone)]
enum Transport {
    /// The network, through reqwest.
    Reqwest(reqwest::Client),
    /// Recorded responses (feature `test-util`); nothing leaves the process.
    #[cfg(feature = "test-util")]
    Replay(Replay),
}

/// A response whose headers have arrived and whose body is still to be read
/// (within [`Limits::max_response_bytes`]).
enum Incoming {
    Reqwest(reqwest::Response),
    /// The recorded body is handed over in one chunk, then `None`.
    #[cfg(feature = "test-util")]
    Replay(ReplayResponse),
}

impl Incoming {
    fn status(&self) -> StatusCode {
        match self {
            Incoming::Reqwest(response) => response.status(),
            #[cfg(feature = "test-util")]
            Incoming::Replay(response) => response.status,
        }
    }

    fn headers(&self) -> &HeaderMap {
        match self {
            Incoming::Reqwest(response) => response.headers(),
            #[cfg(feature = "test-util")]
            Incoming::Replay(response) => &response.headers,
        }
    }

    /// The body length the response declared (`Content-Length`).
    fn content_length(&self) -> Option<u64> {
        match self {
            Incoming::Reqwest(response) => response.content_length(),
            #[cfg(feature = "test-util")]
            Incoming::Replay(response) => response.content_length(),
        }
    }

    /// The next piece of the body; `None` at its end.
    async fn chunk(&mut self) -> Result<Option<Vec<u8>>, Error> {
        match self {
            Incoming::Reqwest(response) => Ok(response.chunk().await?.map(Vec::from)),
            #[cfg(feature = "test-util")]
            Incoming::Replay(response) => {
                Ok(Some(std::mem::take(&mut response.body)).filter(|body| !body.is_empty()))
            }
        }
    }

    /// The status line and headers, once the body is read.
    fn into_head(self) -> (StatusCode, http::Version, HeaderMap) {
        match self {
            Incoming::Reqwest(mut response) => (
                response.status(),
                response.version(),
                std::mem::take(response.headers_mut()),
            ),
            #[cfg(feature = "test-util")]
            Incoming::Replay(response) => {
                (response.status, http::Version::HTTP_11, response.headers)
            }
        }
    }
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
            transport: Transport::Reqwest(default_http_client().expect(
                "reqwest could not initialize (TLS backend or DNS configuration); \
                 `Client::builder(..).build()` returns this as an error",
            )),
            retry: RetryPolicy::default(),
            limits: Limits::default(),
            // No extension to refuse; the fallback is for a crate name
            // that is not ASCII, which Cargo does not allow.
            user_agent: user_agent(&[])
                .unwrap_or_else(|_| HeaderValue::from_static("twilio-codegen")),
        }
    }

    /// Starts configuring a client (base URL, region, edge, retries, limits,
    /// user agent, own reqwest client).
    ///
    /// It reads nothing from the environment: `TWILIO_REGION` and the like
    /// apply only through [`Client::from_env`] / [`ClientBuilder::from_env`],
    /// so a client built here does the same wherever it runs.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            api: Api::builder(credentials),
            retry: RetryPolicy::default(),
            limits: Limits::default(),
            transport: None,
            user_agent_extensions: Vec::new(),
        }
    }

    /// A client configured from the process environment, as Twilio's
    /// libraries configure theirs: the credentials of
    /// [`Credentials::from_env`], and `TWILIO_REGION` and `TWILIO_EDGE`
    /// when set (see [`ClientBuilder::from_env`]). Fails with
    /// [`Error::EnvVar`] naming a missing variable, or as
    /// [`ClientBuilder::build`] does.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The sans-IO configuration, for building requests.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// The retry policy [`Client::execute`] follows.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The limits every call of this client keeps to.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A copy of this client with other [`Limits`], for the calls made
    /// through it: `client.with_limits(..).fetch_..(..)`. Shares the
    /// connection pool.
    pub fn with_limits(&self, limits: Limits) -> Client {
        Client {
            limits,
            ..self.clone()
        }
    }

    /// A copy of this client whose attempts may each take up to `timeout`
    /// (see [`Limits::timeout`]).
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        self.with_limits(Limits {
            timeout,
            ..self.limits
        })
    }

    /// A copy of this client whose calls may each take up to `deadline`,
    /// retries and waits included (see [`Limits::deadline`]).
    pub fn with_deadline(&self, deadline: Duration) -> Client {
        self.with_limits(Limits {
            deadline,
            ..self.limits
        })
    }

    /// A copy of this client retrying by `policy` (e.g.
    /// [`RetryPolicy::none`] for one call).
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Client {
        Client {
            retry: policy,
            ..self.clone()
        }
    }

    /// Sends one request, retrying according to the [`RetryPolicy`], within
    /// the [`Limits`], and returns the final response whatever its status
    /// (the generated parsers turn error statuses into [`Error::Api`]).
    ///
    /// Fails with [`Error::Transport`] when no response could be had,
    /// [`Error::Timeout`] when an attempt or the whole call took too long,
    /// [`Error::BodyTooLarge`] for a body over the limit, and
    /// [`Error::Redirected`] when a supplied reqwest client followed a
    /// redirect.
    ///
    /// # Redirects
    ///
    /// The client follows none: a 3xx is the final response like any other,
    /// never followed and never retried, so nothing (a request body least of
    /// all) is ever sent to its `Location`, on this origin or another. The
    /// operation's generated parser decides what it means: an error
    /// ([`Error::UnexpectedStatus`]) unless the operation's spec answers
    /// with that redirect. A reqwest client given to
    /// [`ClientBuilder::http_client`] that follows a redirect itself gets
    /// [`Error::Redirected`] instead of its answer.
    pub async fn execute(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, Error> {
        #[cfg(feature = "tracing")]
        let span = trace::call_span(&request);
        let call = self.execute_untraced(request);
        #[cfg(feature = "tracing")]
        let call = call.instrument(span.clone());
        let result = call.await;
        #[cfg(feature = "tracing")]
        trace::answered(&span, &result);
        result
    }

    /// [`Client::execute`] without its span.
    async fn execute_untraced(
        &self,
        mut request: Request<Vec<u8>>,
    ) -> Result<Response<Vec<u8>>, Error> {
        if !request.headers().contains_key(USER_AGENT) {
            request
                .headers_mut()
                .insert(USER_AGENT, self.user_agent.clone());
        }
        let deadline = Deadline::start(self.limits.deadline);
        // `http::Request` is not `Clone`; its parts and `Vec<u8>` body are, so
        // each attempt is rebuilt from them.
        let (parts, body) = request.into_parts();
        let mut retries: u32 = 0;
        loop {
            let may_retry = retries < self.retry.max_retries;
            let attempt = Request::from_parts(parts.clone(), body.clone());
            // Both halves of the attempt (sending, reading the body) must end
            // by the same instant.
            let cutoff = deadline.cutoff(self.limits.timeout);
            #[cfg(feature = "tracing")]
            let attempt_span = trace::attempt_span(retries);
            let sent = self.send(attempt, &cutoff);
            #[cfg(feature = "tracing")]
            let sent = sent.instrument(attempt_span.clone());
            let failure = match sent.await {
                Ok(response) => {
                    if may_retry && self.retry.retries_status(&parts.method, response.status()) {
                        let delay = self
                            .retry
                            .retry_after(response.headers())
                            .unwrap_or_else(|| self.retry.backoff(retries));
                        if deadline.allows_wait(delay) {
                            #[cfg(feature = "tracing")]
                            trace::retry_after_status(retries, response.status(), delay);
                            drop(response);
                            tokio::time::sleep(delay).await;
                            retries += 1;
                            continue;
                        }
                        // The wait would outlast the deadline: this response
                        // is the answer, now.
                    }
                    let limit = self.limits.max_response_bytes;
                    let read = cutoff.run(read_response(response, limit));
                    #[cfg(feature = "tracing")]
                    let read = read.instrument(attempt_span);
                    match read.await {
                        Ok(Ok(response)) => return Ok(response),
                        Ok(Err(err)) | Err(err) => err,
                    }
                }
                Err(err) => err,
            };
            if may_retry && self.retry.retries_failure(&parts.method, &failure) {
                let delay = self.retry.backoff(retries);
                if deadline.allows_wait(delay) {
                    #[cfg(feature = "tracing")]
                    trace::retry_after_failure(retries, &failure, delay);
                    tokio::time::sleep(delay).await;
                    retries += 1;
                    continue;
                }
            }
            return Err(failure);
        }
    }

    /// Walks a listing lazily: yields the items of the first page (requested
    /// with `first`, built by a generated list request builder), then follows
    /// the page's [`Page::next_page_url`] (`meta.next_page_url`, or a flat
    /// page's host-relative `next_page_uri`) until it is absent or `limit`
    /// items were yielded.
    ///
    /// A page is fetched only once the previous one is consumed, and none once
    /// `limit` items were yielded (a limit of 1 fetches one page when it
    /// holds an item). Each page's request is one [`Client::execute`] call,
    /// bounded by the [`Limits`]. After an error the stream ends.
    ///
    /// # A walk always ends
    ///
    /// - Next-page URLs go through [`Api::follow`], so one on another origin
    ///   (or a relative form it does not resolve) ends the stream with that
    ///   error, after the items of the page that named it.
    /// - A next-page URL naming a page this walk already fetched, the last
    ///   one or any before it, ends the stream without an error, as the last
    ///   page does. URLs are compared in the one spelling of
    ///   [`Api::canonical_page_url`]: a host-relative path, a `#fragment`, an
    ///   upper-case scheme or host or an explicit default port name the same
    ///   page; a different path or query is another page.
    /// - A page holding the same records as the page before it (a server
    ///   ignoring `Page=`, under a new URL each time) ends the stream without
    ///   an error, and its items are not yielded again. Records are compared
    ///   as the JSON the server sent: the body's top-level arrays (a
    ///   generated list page has exactly one, its records), by a hash, so
    ///   only that hash of the previous page is kept. Empty pages are not
    ///   compared: more than [`Limits::max_empty_pages`] of them in a row
    ///   that name a next page end the stream with
    ///   [`Error::TooManyEmptyPages`].
    ///
    /// This follows links ([`Paging::Links`]); [`Client::paginate_with`]
    /// walks listings paged by token too.
    pub fn paginate<P: Page + Send + 'static>(
        &self,
        first: Request<Vec<u8>>,
        limit: Option<usize>,
    ) -> impl Stream<Item = Result<P::Item, Error>> + Send + '_
    where
        P::Item: Send,
    {
        self.paginate_with::<P>(first, limit, Paging::Links)
    }

    /// [`Client::paginate`], asking for each next page as `paging` says:
    /// by the page's link ([`Paging::Links`]), or by its
    /// [`Page::next_page_token`] sent back in the first request's query
    /// ([`Paging::Token`], built by [`Api::follow_token`]). A token page
    /// without a token is the last.
    ///
    /// Every bound of [`Client::paginate`] holds alike: the `limit`, one
    /// [`Client::execute`] per page, [`Limits::max_empty_pages`], a page
    /// repeating the records of the one before it, and a next page this walk
    /// has already fetched, which for token pages is a token seen before
    /// (the first request's own included): the walk then ends without an
    /// error.
    pub fn paginate_with<P: Page + Send + 'static>(
        &self,
        first: Request<Vec<u8>>,
        limit: Option<usize>,
        paging: Paging,
    ) -> impl Stream<Item = Result<P::Item, Error>> + Send + '_
    where
        P::Item: Send,
    {
        let template = match paging {
            Paging::Token { .. } => Some(copy_request(&first)),
            Paging::Links => None,
        };
        let pager = Pager {
            endpoint: first.extensions().get::<Endpoint>().copied(),
            paging,
            template,
            next: Next::Request(Box::new(first)),
            items: Vec::new().into_iter(),
            fetched: HashSet::new(),
            previous_records: None,
            remaining: limit,
            empty_pages: 0,
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
                Next::Refused(err) => return Some(Err(err)),
            };
            let key = pager.url_key(request.uri());
            pager.fetched.insert(key);
            #[cfg(feature = "tracing")]
            trace::page(pager.fetched.len());
            let (page, records) = match self.execute(request).await {
                Ok(response) => match response::json::<P, _>(&response) {
                    Ok(page) => (page, pager.records_key(response.body())),
                    Err(err) => return Some(Err(err)),
                },
                Err(err) => return Some(Err(err)),
            };
            pager.next = self.next_page(&page, pager);
            let items = page.into_items();
            let previous = std::mem::replace(&mut pager.previous_records, records);
            if !items.is_empty() && records.is_some() && records == previous {
                // The same records again: a server that ignores the page
                // asked for would answer them under new URLs without end.
                pager.next = Next::Done;
                return None;
            }
            pager.items = items.into_iter();
            if let Some(err) = self.count_empty_page(pager) {
                return Some(Err(err));
            }
        }
    }

    /// Where a listing continues after `page`: at the page its link or token
    /// names (as the pager's [`Paging`] says); nowhere without one, or when
    /// this walk has fetched that page already.
    fn next_page<P: Page>(&self, page: &P, pager: &Pager<P::Item>) -> Next {
        let next = match (pager.paging, &pager.template) {
            (Paging::Token { parameter }, Some(first)) => page
                .next_page_token()
                .filter(|token| !token.is_empty())
                .map(|token| Api::follow_token(first, parameter, token)),
            _ => page
                .next_page_url()
                .filter(|url| !url.is_empty())
                .map(|url| self.api.follow(url)),
        };
        match next {
            None => Next::Done,
            Some(Ok(request)) if pager.fetched.contains(&pager.url_key(request.uri())) => {
                Next::Done
            }
            Some(Ok(mut request)) => {
                if let Some(endpoint) = pager.endpoint {
                    request.extensions_mut().insert(endpoint);
                }
                Next::Request(Box::new(request))
            }
            // Reported once the page's items are yielded.
            Some(Err(err)) => Next::Refused(err),
        }
    }

    /// Counts the page just read if it is empty and names a next page; the
    /// error once there were more than [`Limits::max_empty_pages`] in a row.
    ///
    /// This bounds the walk where `remaining` and the page comparisons
    /// cannot: an empty page yields no item, and empty pages are all alike,
    /// so a server answering empty pages that always name a new next page
    /// would be followed without end, whatever the limit.
    fn count_empty_page<T>(&self, pager: &mut Pager<T>) -> Option<Error> {
        if pager.items.as_slice().is_empty() && !matches!(pager.next, Next::Done) {
            pager.empty_pages += 1;
            if pager.empty_pages > self.limits.max_empty_pages {
                pager.next = Next::Done;
                return Some(Error::TooManyEmptyPages {
                    pages: pager.empty_pages,
                });
            }
        } else {
            pager.empty_pages = 0;
        }
        None
    }

    /// One attempt up to the response's headers, ending at `cutoff`: with
    /// reqwest, converts the request and sends it; with the test transport,
    /// records it and takes its recorded response (after its delay).
    async fn send(&self, request: Request<Vec<u8>>, cutoff: &Cutoff) -> Result<Incoming, Error> {
        match &self.transport {
            Transport::Reqwest(http) => {
                let request = reqwest::Request::try_from(request)?;
                let requested = request.url().clone();
                let response = cutoff.run(http.execute(request)).await??;
                refuse_followed_redirect(&requested, &response)?;
                Ok(Incoming::Reqwest(response))
            }
            #[cfg(feature = "test-util")]
            Transport::Replay(replay) => {
                let response = replay.answer(request)?;
                cutoff.run(tokio::time::sleep(response.delay)).await?;
                Ok(Incoming::Replay(response))
            }
        }
    }
}

// ---------- Redirects: the client's whole policy ----------
//
// - The reqwest client this crate builds follows no redirect
//   (`redirect_policy`), so a 3xx reaches `Client::execute` as the final
//   response: it is never followed or retried, and no request (nor its body)
//   is sent to its `Location`, whatever the origin or status (307/308 too).
// - The operation's generated parser decides what the 3xx means: an error
//   unless the spec gives the operation that redirect as an answer
//   (redirect-only operations, such as an OAuth authorize step, return the
//   `Location` through `runtime::response::redirect`).
// - A reqwest client given to `ClientBuilder::http_client` may follow
//   redirects itself; that cannot be prevented from here, only detected
//   (`refuse_followed_redirect`): its answer is then never used.

/// The redirect policy of the reqwest client this crate builds: follow none.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::none()
}

/// Refuses a response that came from somewhere other than the URL requested,
/// i.e. after the reqwest client followed a redirect on its own.
fn refuse_followed_redirect(
    requested: &reqwest::Url,
    response: &reqwest::Response,
) -> Result<(), Error> {
    if response.url() == requested {
        Ok(())
    } else {
        Err(Error::Redirected {
            url: response.url().to_string(),
        })
    }
}

/// When the current attempt must end, and which limit that is.
struct Cutoff {
    /// `None`: no limit (one too large to add to the current time).
    at: Option<Instant>,
    scope: TimeoutScope,
    limit: Duration,
}

impl Cutoff {
    /// Runs `future` until it completes or the cutoff passes.
    async fn run<F: Future>(&self, future: F) -> Result<F::Output, Error> {
        match self.at {
            Some(at) => tokio::time::timeout_at(at, future)
                .await
                .map_err(|_| Error::Timeout {
                    scope: self.scope,
                    limit: self.limit,
                }),
            None => Ok(future.await),
        }
    }
}

/// The end of a whole call ([`Limits::deadline`]), fixed when it starts.
struct Deadline {
    /// `None`: no deadline.
    at: Option<Instant>,
    limit: Duration,
}

impl Deadline {
    fn start(limit: Duration) -> Self {
        Deadline {
            at: Instant::now().checked_add(limit),
            limit,
        }
    }

    /// When an attempt starting now and limited to `timeout` must end: at
    /// its own timeout, or at the deadline if that comes first.
    fn cutoff(&self, timeout: Duration) -> Cutoff {
        let attempt_end = Instant::now().checked_add(timeout);
        match (attempt_end, self.at) {
            (Some(end), Some(deadline)) if end >= deadline => self.as_cutoff(deadline),
            (None, Some(deadline)) => self.as_cutoff(deadline),
            (end, _) => Cutoff {
                at: end,
                scope: TimeoutScope::Attempt,
                limit: timeout,
            },
        }
    }

    fn as_cutoff(&self, deadline: Instant) -> Cutoff {
        Cutoff {
            at: Some(deadline),
            scope: TimeoutScope::Deadline,
            limit: self.limit,
        }
    }

    /// Whether a wait of `delay` starting now ends before the deadline.
    fn allows_wait(&self, delay: Duration) -> bool {
        match self.at {
            Some(deadline) => Instant::now()
                .checked_add(delay)
                .is_some_and(|end| end < deadline),
            None => true,
        }
    }
}

/// Reads a response into an [`http::Response`], refusing a body of more than
/// `limit` bytes without reading the rest of it: from the `Content-Length`
/// before reading, else as soon as the chunks read pass it.
async fn read_response(mut response: Incoming, limit: usize) -> Result<Response<Vec<u8>>, Error> {
    let status = response.status();
    let declared = response.content_length();
    let too_large = || Error::BodyTooLarge {
        status,
        limit,
        content_length: declared,
    };
    if declared.is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Err(too_large());
    }
    // Reserve what was declared (now at most `limit`), but not more than a
    // little up front: the body may still stop short.
    let reserve = declared.map_or(0, |length| usize::try_from(length).unwrap_or(0));
    let mut body = Vec::with_capacity(reserve.min(64 * 1024));
    while let Some(chunk) = response.chunk().await? {
        if chunk.len() > limit - body.len() {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    let (status, version, headers) = response.into_head();
    let mut out = Response::new(body);
    *out.status_mut() = status;
    *out.version_mut() = version;
    *out.headers_mut() = headers;
    Ok(out)
}

/// The reqwest client built when none is supplied.
fn default_http_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(redirect_policy())
        .build()
}

/// Shows the base URL, account SID, retry policy and limits; never secrets.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Client");
        out.field("base_url", &self.api.base_url())
            .field("credentials", self.api.credentials())
            .field("account_sid", &self.api.account_sid())
            .field("retry", &self.retry)
            .field("limits", &self.limits)
            .field("user_agent", &self.user_agent);
        #[cfg(feature = "test-util")]
        out.field(
            "test_transport",
            &matches!(self.transport, Transport::Replay(_)),
        );
        out.finish_non_exhaustive()
    }
}

/// Where a listing continues.
enum Next {
    /// The next page's request (the first page's, built by the caller, a
    /// followed `next_page_url` or the first again with the next token), not
    /// sent yet.
    Request(Box<Request<Vec<u8>>>),
    /// A `next_page_url` that [`Api::follow`] refused (or a token
    /// [`Api::follow_token`] could not put in a URL).
    Refused(Error),
    /// No further page.
    Done,
}

/// The state of a [`Client::paginate_with`] stream.
struct Pager<T> {
    /// The first request's, given to each followed page's request: a page
    /// belongs to the listing's operation.
    endpoint: Option<Endpoint>,
    /// How the next page is asked for.
    paging: Paging,
    /// For [`Paging::Token`], a copy of the first page's request, which each
    /// later request repeats with the token in its query.
    template: Option<Request<Vec<u8>>>,
    next: Next,
    items: std::vec::IntoIter<T>,
    remaining: Option<usize>,
    /// Empty pages naming a next page fetched in a row (see
    /// [`Limits::max_empty_pages`]).
    empty_pages: u32,
    /// The pages fetched, by [`Pager::url_key`] (for token pages the URL
    /// holds the token, so a repeated token is a page fetched before).
    ///
    /// Hashes, not the URLs, keep the set small: 8 bytes a page, whatever
    /// the length of the URLs a server sends (up to
    /// [`Limits::max_response_bytes`] each). It grows by one per page
    /// fetched, and the pages are bounded by what the caller takes: each
    /// yields an item (a page repeating the one before it ends the walk) or
    /// is one of at most [`Limits::max_empty_pages`] empty ones in a row.
    fetched: HashSet<u64>,
    /// The [`Pager::records_key`] of the last page read.
    previous_records: Option<u64>,
}

impl<T> Pager<T> {
    /// A hash of the page `uri` names, in the one spelling of
    /// [`canonical_url`].
    ///
    /// The hasher (the set's) has random keys, fixed for the walk. Two
    /// different pages colliding (odds about n²/2⁶⁵ after n pages) would
    /// only end the walk early, which a server can do anyway.
    fn url_key(&self, uri: &Uri) -> u64 {
        self.fetched.hasher().hash_one(canonical_url(uri))
    }

    /// A hash of a page's records as the server sent them: the JSON values
    /// of the body's top-level arrays with their names (a generated list
    /// page has exactly one array, its records; `meta` and the flat style's
    /// paging fields, which change from page to page, are not arrays).
    /// `None` for a body that is not a JSON object.
    ///
    /// The values are hashed as parsed and written again, so a change of
    /// whitespace alone does not hide a repeat.
    fn records_key(&self, body: &[u8]) -> Option<u64> {
        let page: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body).ok()?;
        let mut hasher = self.fetched.hasher().build_hasher();
        for (name, value) in page.iter().filter(|(_, value)| value.is_array()) {
            name.hash(&mut hasher);
            value.to_string().hash(&mut hasher);
        }
        Some(hasher.finish())
    }
}

/// Configures a [`Client`]; see [`Client::builder`].
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    /// Credentials, base URL, region and edge.
    api: ApiBuilder,
    retry: RetryPolicy,
    limits: Limits,
    /// Given with `http_client` or `test_transport` (the last call wins);
    /// `None`: build a reqwest client.
    transport: Option<Transport>,
    /// Appended to the `User-Agent`, in order.
    user_agent_extensions: Vec<String>,
}

impl ClientBuilder {
    /// A builder configured from the process environment: the credentials
    /// of [`Credentials::from_env`], then `TWILIO_REGION` and `TWILIO_EDGE`
    /// as [`ClientBuilder::region`] and [`ClientBuilder::edge`] when set and
    /// not empty. Everything else is the default, to be configured further.
    ///
    /// Fails with [`Error::EnvVar`] naming a missing variable and with
    /// [`Error::InvalidRegionOrEdge`] naming `TWILIO_REGION` or
    /// `TWILIO_EDGE` for a value that is not a DNS label.
    pub fn from_env() -> Result<ClientBuilder, Error> {
        Self::from_env_with(|name| std::env::var(name))
    }

    /// Like [`ClientBuilder::from_env`], with each variable looked up
    /// through `lookup` instead of the process environment (see
    /// [`Credentials::from_env_with`]).
    pub fn from_env_with(
        mut lookup: impl FnMut(&str) -> Result<String, VarError>,
    ) -> Result<ClientBuilder, Error> {
        let mut builder = Client::builder(Credentials::from_env_with(&mut lookup)?);
        if let Some(region) = env_optional(&mut lookup, "TWILIO_REGION")? {
            builder = builder.region(host_label("TWILIO_REGION", &region)?);
        }
        if let Some(edge) = env_optional(&mut lookup, "TWILIO_EDGE")? {
            builder = builder.edge(host_label("TWILIO_EDGE", &edge)?);
        }
        Ok(builder)
    }

    /// Sends requests to another endpoint instead of
    /// [`Api::DEFAULT_BASE_URL`]; checked by [`ClientBuilder::build`] (see
    /// [`Api::with_base_url`]). It wins over [`ClientBuilder::region`] and
    /// [`ClientBuilder::edge`]: a URL of one's own is never rewritten.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.api = self.api.base_url(url);
        self
    }

    /// Sends requests to a Twilio region (`ie1`, `au1`, ...):
    /// `{product}.{region}.twilio.com` instead of `{product}.twilio.com`;
    /// next pages are then followed on that host only. See
    /// [`ApiBuilder::region`] for the rule and its checks (done by
    /// [`ClientBuilder::build`]); without effect on a host that is not
    /// Twilio's or with a [`ClientBuilder::base_url`].
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.api = self.api.region(region);
        self
    }

    /// Sends requests through a Twilio edge location (`dublin`, `sydney`,
    /// ...): `{product}.{edge}.{region}.twilio.com`, region `us1` unless
    /// one is given; see [`ApiBuilder::edge`].
    pub fn edge(mut self, edge: impl Into<String>) -> Self {
        self.api = self.api.edge(edge);
        self
    }

    /// Appends `extension` (e.g. `my-app/1.2.0`) to the `User-Agent` every
    /// request carries, after a space, as twilio-node's
    /// `userAgentExtensions` do; call once per extension. Checked by
    /// [`ClientBuilder::build`]: visible ASCII (`!` to `~`) only, else
    /// [`Error::InvalidUserAgentExtension`].
    pub fn user_agent_extension(mut self, extension: impl Into<String>) -> Self {
        self.user_agent_extensions.push(extension.into());
        self
    }

    /// Replaces the default [`RetryPolicy`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Replaces the default [`Limits`] (timeouts, body size, empty pages).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Limits each attempt (connect, send, read the whole response) to
    /// `timeout` instead of the default 30 s ([`Limits::timeout`]), also
    /// with a client given to [`ClientBuilder::http_client`]. A timed-out
    /// attempt is [`Error::Timeout`], retried per the [`RetryPolicy`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.limits.timeout = timeout;
        self
    }

    /// Limits each call, retries and waits included, to `deadline` instead
    /// of the default 120 s ([`Limits::deadline`]).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.limits.deadline = deadline;
        self
    }

    /// Uses this reqwest client (proxies, TLS roots, pool settings) instead
    /// of building one.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`:
    /// reqwest follows redirects by default, re-sending `POST` bodies on
    /// 307/308, and this client can only detect that afterwards (the answer
    /// is then refused with [`Error::Redirected`]). The [`Limits`] apply to
    /// it as to the built-in client.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.transport = Some(Transport::Reqwest(client));
        self
    }

    /// Answers every request from `replay`'s recorded responses instead of
    /// the network (feature `test-util`), for unit tests of code that uses
    /// the client; see [`Replay`]. It replaces a client given to
    /// [`ClientBuilder::http_client`] (and the other way round: the last of
    /// the two called wins); the base URL, [`Limits`] and [`RetryPolicy`]
    /// apply as usual.
    ///
    /// Keep the default base URL to replay Twilio's recordings as they are:
    /// their absolute `next_page_url`s are on Twilio's origin, the only one
    /// the client follows.
    #[cfg(feature = "test-util")]
    pub fn test_transport(mut self, replay: Replay) -> Self {
        self.transport = Some(Transport::Replay(replay));
        self
    }

    /// Builds the client; fails on an invalid base URL, region, edge or
    /// user agent extension, or when reqwest cannot initialize (e.g. its TLS
    /// backend).
    pub fn build(self) -> Result<Client, Error> {
        let api = self.api.build()?;
        let user_agent = user_agent(&self.user_agent_extensions)?;
        let transport = match self.transport {
            Some(transport) => transport,
            None => Transport::Reqwest(default_http_client()?),
        };
        Ok(Client {
            api,
            transport,
            retry: self.retry,
            limits: self.limits,
            user_agent,
        })
    }
}

// ---------- The account calls act for (see `Api::account_sid`) ----------

impl Client {
    /// A copy of this client acting for `account_sid` (a subaccount) in the
    /// calls made through it, as [`Client::with_timeout`] sets a timeout:
    /// `client.with_account_sid("AC…").fetch_..(..)`. The credentials stay
    /// the same; shares the connection pool. See [`Api::account_sid`]: the
    /// request builders check the SID and write it where the path has the
    /// account (`{AccountSid}`).
    pub fn with_account_sid(&self, account_sid: impl Into<String>) -> Client {
        Client {
            api: self.api.with_account_sid(account_sid),
            ..self.clone()
        }
    }
}

impl ClientBuilder {
    /// Acts for this account instead of the credentials' (a subaccount) in
    /// every call; see [`Api::account_sid`]. Checked by the request
    /// builders, which write it into the path.
    pub fn account_sid(mut self, account_sid: impl Into<String>) -> Self {
        self.api = self.api.account_sid(account_sid);
        self
    }
}

/// Shows the settings; never secrets.
impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("ClientBuilder");
        out.field("api", &self.api)
            .field("user_agent_extensions", &self.user_agent_extensions)
            .field("retry", &self.retry)
            .field("limits", &self.limits)
            .field(
                "http_client",
                &matches!(self.transport, Some(Transport::Reqwest(_))),
            );
        #[cfg(feature = "test-util")]
        out.field(
            "test_transport",
            &matches!(self.transport, Some(Transport::Replay(_))),
        );
        out.finish()
    }
}

/// What the client tells `tracing` (feature `tracing`; without it none of
/// this is compiled).
///
/// - A span `twilio.call` (INFO) per [`Client::execute`], with `method`,
///   `host`, the `operation` (its `operationId`) and `path` (its template,
///   `/v1/Roles/{Sid}`) of the request's [`Endpoint`] when it has one, and,
///   once answered, the final `status`.
/// - Inside it a span `twilio.attempt` (DEBUG) per attempt, with `attempt`
///   (1 for the first).
/// - An event `retrying` (INFO) before each wait for a retry, with the
///   `attempt` that failed, its `status` or error `kind` (`timeout`,
///   `connect`, `transport`; never the error's text, which may name the
///   URL and its query) and the `delay_ms`.
/// - An event `following the next page` (DEBUG) per page of a listing after
///   the first, with its `page` number.
///
/// Never recorded: any header (the `Authorization` header least of all),
/// the path sent (its segments hold SIDs, phone numbers, unique names), the
/// query, the body, the credentials.
#[cfg(feature = "tracing")]
mod trace {
    use std::time::Duration;

    use http::{Request, Response, StatusCode};

    use crate::runtime::endpoint::Endpoint;
    use crate::runtime::error::Error;

    /// The span of one call. The path is the operation's template from the
    /// request's [`Endpoint`] (`/v1/Roles/{Sid}`), never the path sent, whose
    /// segments hold values (SIDs, phone numbers, unique names); a request
    /// without one (built by hand) records no path and no operation.
    pub(super) fn call_span(request: &Request<Vec<u8>>) -> tracing::Span {
        let endpoint = request.extensions().get::<Endpoint>();
        tracing::info_span!(
            "twilio.call",
            method = %request.method(),
            host = request.uri().host().unwrap_or_default(),
            operation = endpoint.map(Endpoint::operation_id),
            path = endpoint.map(Endpoint::path_template),
            status = tracing::field::Empty,
        )
    }

    /// The span of attempt `retries + 1`.
    pub(super) fn attempt_span(retries: u32) -> tracing::Span {
        tracing::debug_span!("twilio.attempt", attempt = retries.saturating_add(1))
    }

    /// Records the final status, if any, on the call's span.
    pub(super) fn answered(span: &tracing::Span, result: &Result<Response<Vec<u8>>, Error>) {
        if let Ok(response) = result {
            span.record("status", response.status().as_u16());
        }
    }

    /// A retry after a response with a retried status.
    pub(super) fn retry_after_status(retries: u32, status: StatusCode, delay: Duration) {
        tracing::info!(
            attempt = retries.saturating_add(1),
            status = status.as_u16(),
            delay_ms = delay_ms(delay),
            "retrying"
        );
    }

    /// A retry after a failed attempt.
    pub(super) fn retry_after_failure(retries: u32, failure: &Error, delay: Duration) {
        tracing::info!(
            attempt = retries.saturating_add(1),
            kind = failure_kind(failure),
            delay_ms = delay_ms(delay),
            "retrying"
        );
    }

    /// A listing fetching its `pages`-th page; the first is no following.
    pub(super) fn page(pages: usize) {
        if pages > 1 {
            tracing::debug!(page = pages, "following the next page");
        }
    }

    fn delay_ms(delay: Duration) -> u64 {
        u64::try_from(delay.as_millis()).unwrap_or(u64::MAX)
    }

    /// A retried failure's kind, without its text.
    fn failure_kind(failure: &Error) -> &'static str {
        match failure {
            Error::Timeout { .. } => "timeout",
            Error::Transport(err) if err.is_connect() => "connect",
            Error::Transport(err) if err.is_timeout() => "timeout",
            _ => "transport",
        }
    }
}
