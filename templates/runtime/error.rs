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

    /// Twilio answered with an error status and its JSON error body.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// An error status whose body is not Twilio's error JSON (e.g. an HTML 502
    /// from a proxy).
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
}

/// Which limit an [`Error::Timeout`] reached.
#[cfg(feature = "client")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

    /// True when a parameter was rejected before anything was sent.
    pub fn is_validation(&self) -> bool {
        matches!(self, Error::Validation { .. })
    }

    /// Twilio's error details, when Twilio answered with its error JSON.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Twilio's numeric error code (see <https://www.twilio.com/docs/api/errors>),
    /// when Twilio answered with its error JSON and included one.
    pub fn code(&self) -> Option<i64> {
        self.api_error().and_then(|api| api.code)
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

/// Twilio's JSON error body (`{"code", "message", "more_info", "status"}`)
/// together with the HTTP status it came with.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct ApiError {
    /// The HTTP status of the response (not part of the body; filled in by the
    /// response parser, `200 OK` when deserialized on its own).
    #[serde(skip)]
    pub status: StatusCode,
    /// Twilio's error code, e.g. `20404`.
    #[serde(default)]
    pub code: Option<i64>,
    /// The human-readable explanation.
    pub message: String,
    /// A link to Twilio's documentation of the error code.
    #[serde(default)]
    pub more_info: Option<String>,
    /// The body's own `status` field, which normally repeats the HTTP status.
    #[serde(default, rename = "status")]
    pub body_status: Option<u16>,
}

/// The server's `message` is shown with control and bidirectional-override
/// characters escaped (as Rust escapes them: `\u{1b}`), so an error body
/// cannot move the cursor, recolour a terminal or forge further log lines.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = Escaped(&self.message);
        match self.code {
            Some(code) => write!(
                f,
                "Twilio API error {code} (HTTP {}): {message}",
                self.status
            ),
            None => write!(f, "Twilio API error (HTTP {}): {message}", self.status),
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
