//! The crate's single error type, covering every way a call can fail: before
//! sending (validation, configuration), while sending (transport) and after
//! receiving (Twilio error bodies, unexpected statuses, undecodable bodies).

use std::fmt;
#[cfg(feature = "client")]
use std::time::Duration;

use http::StatusCode;

/// How much of a response body is kept in [`Error::UnexpectedStatus`] and
/// [`Error::Decode`]: enough to diagnose, bounded so a huge body cannot bloat
/// the error.
pub const BODY_SNIPPET_LIMIT: usize = 1024;

/// Everything that can go wrong when building a request, sending it or
/// interpreting its response.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter failed a check derived from the spec; nothing was sent.
    #[error("invalid {field}: expected {expected}, found {found}")]
    Validation {
        /// The parameter's wire name, e.g. `Sid` or `Configuration.FlowSid`.
        field: &'static str,
        /// What the spec requires, e.g. `a value matching ^WH[0-9a-fA-F]{32}$`,
        /// `at least 1` or `an absolute URI`.
        expected: String,
        /// What was given, rendered for humans: strings quoted and escaped
        /// (and shortened when very long), numbers as they are.
        found: String,
    },

    /// An error status with an error body in JSON: Twilio's
    /// (`code`, `message`, ...) or an RFC 9457 problem (`type`, `title`,
    /// `detail`, ...); see [`ApiError`].
    #[error("{0}")]
    Api(Box<ApiError>),

    /// An error status whose body is not an error JSON [`ApiError`] reads
    /// (e.g. an HTML 502 from a proxy).
    #[error("unexpected HTTP status {status}{}", body_suffix(.body))]
    UnexpectedStatus {
        /// The response's status.
        status: StatusCode,
        /// At most the first 1 KiB of the body, lossily decoded as UTF-8.
        body: String,
    },

    /// A success status whose body could not be decoded into the expected
    /// model (not JSON, truncated, wrong types, empty).
    #[error(
        "could not decode the body of an HTTP {status} response: {}",
        Escaped(&source.to_string())
    )]
    Decode {
        /// The response's (successful) status.
        status: StatusCode,
        /// Why decoding failed.
        source: serde_json::Error,
        /// At most the first 1 KiB of the body, lossily decoded as UTF-8.
        body: String,
    },

    /// A redirect-only operation was answered with a 3xx that has no usable
    /// `Location` header (absent, empty or not visible ASCII), so there is no
    /// target to return.
    #[error("HTTP {status} redirect without a usable Location header")]
    MissingLocation {
        /// The response's (3xx) status.
        status: StatusCode,
    },

    /// The configured base URL is not an absolute http(s) URL without query
    /// or fragment.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL as given, with secrets it may hold replaced by `***`: user
        /// information (`https://***@host`), every query value (`?token=***`)
        /// and the fragment. So neither `Display` nor `Debug` repeats them.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A region or edge (`ClientBuilder::region`, [`ApiBuilder::region`],
    /// `TWILIO_REGION`, ...) is not one DNS label: 1 to 63 ASCII letters,
    /// digits and `-`, not starting or ending with `-`. No URL is built from
    /// it.
    ///
    /// [`ApiBuilder::region`]: crate::runtime::api::ApiBuilder::region
    #[error("invalid {setting} \"{}\": {reason}", Escaped(.value))]
    InvalidRegionOrEdge {
        /// What was set: `region`, `edge`, `TWILIO_REGION` or `TWILIO_EDGE`.
        setting: &'static str,
        /// The value as given (at most its first 64 characters).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A variable [`Credentials::from_env`](crate::runtime::auth::Credentials::from_env)
    /// (or `Client::from_env`) needs is not set, is empty or is not Unicode.
    /// Its value is never shown (it may be a secret).
    #[error("environment variable {variable} {reason}")]
    EnvVar {
        /// The variable, e.g. `TWILIO_AUTH_TOKEN`.
        variable: &'static str,
        /// What is wrong, e.g. `is not set (or is empty)`.
        reason: &'static str,
    },

    /// An extension given to `ClientBuilder::user_agent_extension` is empty
    /// or holds a character other than visible ASCII (`!` to `~`): spaces
    /// separate extensions, and control characters would corrupt the header.
    #[error(
        "invalid user agent extension \"{}\": it must be one or more visible ASCII characters (no spaces or control characters)",
        Escaped(.extension)
    )]
    InvalidUserAgentExtension {
        /// The extension as given (at most its first 64 characters).
        extension: String,
    },

    /// `meta.next_page_url` points outside the configured base URL's origin;
    /// it is not followed so credentials never leave that origin.
    #[error(
        "refusing to follow page URL {url:?}: it is not on the configured origin {expected_origin}"
    )]
    ForeignPageUrl {
        /// The URL the API returned.
        url: String,
        /// The origin (`scheme://host[:port]`) of the configured base URL.
        expected_origin: String,
    },

    /// Building an [`http::Request`] failed.
    #[error("could not build the HTTP request: {0}")]
    Http(#[from] http::Error),

    /// The request could not be sent or its response could not be read
    /// (connection refused, timeout, TLS failure, ...).
    #[cfg(feature = "client")]
    #[error("HTTP transport error: {0}")]
    Transport(#[from] reqwest::Error),

    /// A call took longer than the client's [`Limits`](crate::runtime::client::Limits)
    /// allow: one attempt longer than `timeout`, or the whole call (every
    /// attempt and every wait between them) longer than `deadline`.
    #[cfg(feature = "client")]
    #[error("{scope} took longer than {limit:?}")]
    Timeout {
        /// Which limit was reached.
        scope: TimeoutScope,
        /// That limit's configured value.
        limit: Duration,
    },

    /// A response body was larger than
    /// [`Limits::max_response_bytes`](crate::runtime::client::Limits::max_response_bytes);
    /// reading stopped there (or did not start, when `Content-Length` already
    /// said so) and the rest of the body was never read.
    #[cfg(feature = "client")]
    #[error(
        "the body of an HTTP {status} response is larger than the limit of {limit} bytes{}",
        content_length_suffix(*.content_length)
    )]
    BodyTooLarge {
        /// The response's status.
        status: StatusCode,
        /// The configured limit in bytes.
        limit: usize,
        /// The response's `Content-Length`, when it declared one.
        content_length: Option<u64>,
    },

    /// The reqwest client followed a redirect on its own (one given to
    /// `ClientBuilder::http_client` without `redirect::Policy::none()`); the
    /// answer from the redirect's target is not used.
    #[cfg(feature = "client")]
    #[error(
        "the HTTP client followed a redirect to {url:?}; its answer is not used \
         (build the reqwest client with `redirect(reqwest::redirect::Policy::none())`)"
    )]
    Redirected {
        /// Where the redirect led.
        url: String,
    },

    /// A listing returned more empty pages in a row, each naming a next page,
    /// than [`Limits::max_empty_pages`](crate::runtime::client::Limits::max_empty_pages)
    /// allows; the stream stops instead of following them without end.
    #[cfg(feature = "client")]
    #[error(
        "the listing kept answering empty pages that name a next page ({pages} in a row); stopped following them"
    )]
    TooManyEmptyPages {
        /// How many empty pages in a row were fetched.
        pages: u32,
    },

    /// The client's test transport (feature `test-util`) got a request that
    /// none of its routes matches while its queue of responses was empty; see
    /// [`Replay`](crate::runtime::test_util::Replay). Never retried.
    #[cfg(feature = "test-util")]
    #[error("the test transport has no response for {method} {url:?}: no route matches and the queue is empty")]
    NotReplayed {
        /// The request's method.
        method: http::Method,
        /// The request's URL.
        url: String,
    },
}

/// Which limit an [`Error::Timeout`] reached.
#[cfg(feature = "client")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutScope {
    /// One attempt (connect, send, read the whole response): retried like a
    /// transport error, if the retry policy allows and the deadline leaves
    /// time.
    Attempt,
    /// The whole call, retries and waits included: never retried.
    Deadline,
}

#[cfg(feature = "client")]
impl fmt::Display for TimeoutScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutScope::Attempt => "an attempt of the request (the per-attempt timeout)",
            TimeoutScope::Deadline => "the call, retries and waits included (the deadline)",
        })
    }
}

/// The tail of [`Error::BodyTooLarge`]'s message.
#[cfg(feature = "client")]
fn content_length_suffix(content_length: Option<u64>) -> String {
    match content_length {
        Some(length) => format!(" (its Content-Length is {length})"),
        None => String::new(),
    }
}

/// # Asking what went wrong
///
/// [`Error::status`] and [`Error::code`] give the HTTP status and Twilio's
/// error code; [`Error::api_error`] the whole error body. The `is_*`
/// predicates look at the HTTP status of the response, whatever its body
/// (Twilio's JSON, a problem body, HTML from a proxy), so they are false when
/// no response was received (a transport error, a timeout, a validation
/// error).
impl Error {
    /// The HTTP status of the response that caused this error, if a response
    /// was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::MissingLocation { status } => Some(*status),
            #[cfg(feature = "client")]
            Error::BodyTooLarge { status, .. } => Some(*status),
            #[cfg(feature = "client")]
            Error::Transport(err) => err.status(),
            _ => None,
        }
    }

    /// True when a time limit ended the call: [`Error::Timeout`], or a
    /// timeout of the reqwest client itself (e.g. its connect timeout).
    #[cfg(feature = "client")]
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Transport(err) => err.is_timeout(),
            _ => false,
        }
    }

    /// True when the server answered `404 Not Found`: the resource (or its
    /// parent) does not exist. Twilio's error 20404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// True when the server answered `401 Unauthorized`: it refused the
    /// credentials (Twilio's error 20003).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// True when the server answered `403 Forbidden`: the credentials may not
    /// do this.
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(StatusCode::FORBIDDEN)
    }

    /// True when the server answered `429 Too Many Requests` (Twilio's error
    /// 20429), after the client's own retries of it.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// True when the server answered a `5xx` status (after the client's own
    /// retries, where its policy allows them).
    pub fn is_server_error(&self) -> bool {
        self.status().is_some_and(|status| status.is_server_error())
    }

    /// True when a parameter was rejected before anything was sent.
    pub fn is_validation(&self) -> bool {
        matches!(self, Error::Validation { .. })
    }

    /// The error body, when the server answered with Twilio's error JSON or a
    /// problem body.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Twilio's numeric error code (see <https://www.twilio.com/docs/api/errors>),
    /// when the error body has one.
    pub fn code(&self) -> Option<i64> {
        self.api_error().and_then(ApiError::code)
    }

    /// Builds [`Error::Validation`]; used by the validators and generated code.
    pub fn validation(
        field: &'static str,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        Error::Validation {
            field,
            expected: expected.into(),
            found: found.into(),
        }
    }
}

impl From<ApiError> for Error {
    fn from(err: ApiError) -> Self {
        Error::Api(Box::new(err))
    }
}

/// An error answer the server explained in JSON, with the HTTP status it came
/// with. Two body formats are read into it (by
/// [`response::error_from_status`](crate::runtime::response::error_from_status)):
///
/// - **Twilio's error body**: `{"code": 20404, "message": "...", "more_info":
///   "https://www.twilio.com/docs/errors/20404", "status": 404, "details":
///   {...}}`: [`code`](Self::code), [`message`](Self::message),
///   [`more_info`](Self::more_info), [`body_status`](Self::body_status) and
///   [`details`](Self::details), kept as the JSON it came as.
/// - **An RFC 9457 problem body** (`application/problem+json`, or any JSON
///   object with a string `title` or `detail`): `type`, `title`, `detail`,
///   `instance` and `status` as [`problem_type`](Self::problem_type),
///   [`title`](Self::title), [`detail`](Self::detail),
///   [`instance`](Self::instance) and [`body_status`](Self::body_status); a
///   `code` or `details` member is read as in Twilio's body.
///
/// A body may mix both; every member is read wherever it appears. Members of
/// the wrong JSON type are ignored, as RFC 9457 asks.
///
/// The fields are private and read through methods, so that fields can be
/// added without breaking code that uses this type (it is also
/// `#[non_exhaustive]`). To build one in a test, parse a response with
/// [`response::error_from_status`](crate::runtime::response::error_from_status),
/// or deserialize a body (the HTTP status is then `200 OK`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: Option<i64>,
    pub(crate) message: Option<String>,
    pub(crate) more_info: Option<String>,
    pub(crate) body_status: Option<u16>,
    pub(crate) details: Option<serde_json::Value>,
    pub(crate) problem_type: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) detail: Option<String>,
    pub(crate) instance: Option<String>,
}

impl ApiError {
    /// The HTTP status of the response (not the body's `status`; see
    /// [`ApiError::body_status`]).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Twilio's numeric error code, e.g. `20404` (see
    /// <https://www.twilio.com/docs/api/errors>), when the body has one.
    pub fn code(&self) -> Option<i64> {
        self.code
    }

    /// The human-readable explanation: Twilio's `message`; for a problem body
    /// without one, its `detail`, else its `title`; else `""`.
    pub fn message(&self) -> &str {
        self.message
            .as_deref()
            .or(self.detail.as_deref())
            .or(self.title.as_deref())
            .unwrap_or_default()
    }

    /// Twilio's link to the documentation of the error code.
    pub fn more_info(&self) -> Option<&str> {
        self.more_info.as_deref()
    }

    /// The body's own `status` member, which normally repeats the HTTP
    /// status.
    pub fn body_status(&self) -> Option<u16> {
        self.body_status
    }

    /// Twilio's `details` member as it came (any JSON value, `null`
    /// included); `None` when the body has none.
    pub fn details(&self) -> Option<&serde_json::Value> {
        self.details.as_ref()
    }

    /// A problem body's `type`: a URI reference naming the kind of problem.
    /// `None` when absent, which RFC 9457 says means `about:blank` (the
    /// problem is just what the HTTP status says).
    pub fn problem_type(&self) -> Option<&str> {
        self.problem_type.as_deref()
    }

    /// A problem body's `title`: a short summary of the problem type.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// A problem body's `detail`: an explanation of this occurrence.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// A problem body's `instance`: a URI reference naming this occurrence.
    pub fn instance(&self) -> Option<&str> {
        self.instance.as_deref()
    }

    /// True for `404 Not Found` (Twilio's error 20404).
    pub fn is_not_found(&self) -> bool {
        self.status == StatusCode::NOT_FOUND
    }

    /// True for `401 Unauthorized`: the credentials were refused (Twilio's
    /// error 20003).
    pub fn is_unauthorized(&self) -> bool {
        self.status == StatusCode::UNAUTHORIZED
    }

    /// True for `403 Forbidden`: the credentials may not do this.
    pub fn is_forbidden(&self) -> bool {
        self.status == StatusCode::FORBIDDEN
    }

    /// True for `429 Too Many Requests` (Twilio's error 20429).
    pub fn is_rate_limited(&self) -> bool {
        self.status == StatusCode::TOO_MANY_REQUESTS
    }

    /// True for a `5xx` status.
    pub fn is_server_error(&self) -> bool {
        self.status.is_server_error()
    }
}

/// Reads an error body on its own, with the HTTP status `200 OK`: any JSON
/// object with a string `message` (Twilio's format; every other member
/// optional), `title` or `detail` (a problem), its members read as the
/// response parser reads them. Fails on other JSON.
impl<'de> serde::Deserialize<'de> for ApiError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let body = serde_json::Value::deserialize(deserializer)?;
        crate::runtime::error_body::read_alone(&body).ok_or_else(|| {
            serde::de::Error::custom(
                "not an API error body: expected an object with a string `message` \
                 (Twilio's error JSON), `title` or `detail` (an RFC 9457 problem)",
            )
        })
    }
}

/// The server's text is shown with control and bidirectional-override
/// characters escaped (as Rust escapes them: `\u{1b}`), so an error body
/// cannot move the cursor, recolour a terminal or forge further log lines.
///
/// Twilio's body: `Twilio API error 20404 (HTTP 404 Not Found): {message}`.
/// A problem body without `message`: `{title}: {detail}`, or whichever of
/// them it has, after the same prefix.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(f, "Twilio API error {code} (HTTP {})", self.status)?,
            None => write!(f, "Twilio API error (HTTP {})", self.status)?,
        }
        match (&self.message, &self.title, &self.detail) {
            (Some(message), _, _) => write!(f, ": {}", Escaped(message)),
            (None, Some(title), Some(detail)) => {
                write!(f, ": {}: {}", Escaped(title), Escaped(detail))
            }
            (None, Some(text), None) | (None, None, Some(text)) => {
                write!(f, ": {}", Escaped(text))
            }
            (None, None, None) => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

/// At most the first [`BODY_SNIPPET_LIMIT`] bytes of `body`, lossily decoded
/// as UTF-8 (a character cut at the limit becomes U+FFFD).
pub fn body_snippet(body: &[u8]) -> String {
    let end = body.len().min(BODY_SNIPPET_LIMIT);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

/// How many characters of the body [`Error::UnexpectedStatus`]'s message
/// shows; the full snippet stays available in its `body` field.
const DISPLAY_BODY_CHARS: usize = 200;

/// The tail of [`Error::UnexpectedStatus`]'s message.
fn body_suffix(body: &str) -> String {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return " with an empty body".to_owned();
    }
    let shown: String = trimmed.chars().take(DISPLAY_BODY_CHARS).collect();
    let ellipsis = if shown.len() < trimmed.len() {
        "..."
    } else {
        ""
    };
    format!(" with body {shown:?}{ellipsis}")
}

/// Shows server-supplied text in a message: every character as it is except
/// control characters (`\n`, ESC, ...), bidirectional controls (U+202E and
/// friends) and the Unicode line separators, which are written as Rust
/// escapes (`\n`, `\u{1b}`, `\u{202e}`). So a hostile body can neither
/// inject terminal escape sequences nor start a fake log line.
pub(crate) struct Escaped<'a>(pub(crate) &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        for c in self.0.chars() {
            if needs_escape(c) {
                write!(f, "{}", c.escape_default())?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// Characters that change how surrounding text is displayed.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `url` with the parts that may carry secrets replaced by `***`: the user
/// information (`https://user:pw@host` becomes `https://***@host`), each
/// query value (`?token=abc&x` becomes `?token=***&***`) and the fragment.
/// Works on any text, parseable or not, since it is used to report URLs that
/// failed to parse.
pub(crate) fn redact_url(url: &str) -> String {
    let (rest, fragment) = match url.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (url, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (rest, None),
    };
    // The authority runs from after `scheme://` (or the start) to the first `/`.
    let authority_start = rest.find("://").map_or(0, |at| at + 3);
    let authority_end = rest[authority_start..]
        .find('/')
        .map_or(rest.len(), |at| authority_start + at);
    let mut out = String::with_capacity(url.len());
    match rest[authority_start..authority_end].rfind('@') {
        Some(at) => {
            out.push_str(&rest[..authority_start]);
            out.push_str("***");
            out.push_str(&rest[authority_start + at..]);
        }
        None => out.push_str(rest),
    }
    if let Some(query) = query {
        out.push('?');
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) => format!("{key}=***"),
                None if pair.is_empty() => String::new(),
                // A bare `?abc` may be the secret itself.
                None => "***".to_owned(),
            })
            .collect();
        out.push_str(&pairs.join("&"));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        if !fragment.is_empty() {
            out.push_str("***");
        }
    }
    out
}

/// At most the first 64 characters of a value a caller configured, for an
/// error that repeats it: enough to recognise it, bounded whatever its size.
pub(crate) fn shown_value(value: &str) -> String {
    value.chars().take(64).collect()
}
