//! The crate's single error type, covering every way a call can fail: before
//! sending (validation, configuration), while sending (transport) and after
//! receiving (Twilio error bodies, unexpected statuses, undecodable bodies).

use std::fmt;

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
    #[error("could not decode the body of an HTTP {status} response: {source}")]
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
        /// The URL as given.
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
            Error::Transport(err) => err.status(),
            _ => None,
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

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(
                f,
                "Twilio API error {code} (HTTP {}): {}",
                self.status, self.message
            ),
            None => write!(
                f,
                "Twilio API error (HTTP {}): {}",
                self.status, self.message
            ),
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
