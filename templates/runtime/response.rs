//! Sans-IO response parsing: turns an [`http::Response`] into the operation's
//! model or an [`Error`], whatever HTTP stack produced it.

use http::Response;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::runtime::error::{body_snippet, ApiError, Error};

/// Decodes a 2xx response's body as `T`; an empty or undecodable body is
/// [`Error::Decode`] (carrying the status and the start of the body). Any
/// other status goes through [`error_from_status`].
pub fn json<T: DeserializeOwned, B: AsRef<[u8]>>(response: &Response<B>) -> Result<T, Error> {
    if !response.status().is_success() {
        return Err(error_from_status(response));
    }
    let body = response.body().as_ref();
    serde_json::from_slice(body).map_err(|source| Error::Decode {
        status: response.status(),
        source,
        body: body_snippet(body),
    })
}

/// Accepts any 2xx response (e.g. a `DELETE`'s `204 No Content`), ignoring
/// its body; any other status goes through [`error_from_status`].
pub fn empty<B: AsRef<[u8]>>(response: &Response<B>) -> Result<(), Error> {
    if response.status().is_success() {
        Ok(())
    } else {
        Err(error_from_status(response))
    }
}

/// Interprets an error response. A JSON error body becomes [`Error::Api`]
/// with the HTTP status: Twilio's (an object with a string `message` and a
/// numeric `code` or `status`), or an RFC 9457 problem (any object sent as
/// `application/problem+json`, or an object with a string `title` or
/// `detail`). Anything else (HTML, empty, other JSON) becomes
/// [`Error::UnexpectedStatus`] with the start of the body.
pub fn error_from_status<B: AsRef<[u8]>>(response: &Response<B>) -> Error {
    let status = response.status();
    let body = response.body().as_ref();
    let parsed = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|json| parse_error_body(&json, is_problem_json(response.headers())));
    match parsed {
        Some(mut api) => {
            api.status = status;
            Error::Api(Box::new(api))
        }
        None => Error::UnexpectedStatus {
            status,
            body: body_snippet(body),
        },
    }
}

// ---------- Error bodies: Twilio's and RFC 9457's ----------
//
// One lenient reader for both formats: every known member is read wherever it
// appears (a server may mix them), a member of the wrong JSON type is ignored
// (RFC 9457 section 3.1), numbers may come as strings of digits (Twilio has
// sent `"status": "429"`). Whether the body counts as an error body at all is
// decided last, so that arbitrary JSON (`{"error": "nope"}`) stays an
// `UnexpectedStatus` with its text.

/// The error body in `body`, if it is one (the HTTP status is left at its
/// default, for the caller to fill in). `problem_media_type`: the response
/// said `Content-Type: application/problem+json`, which makes any JSON object
/// a problem body, even one with no member (all of them are optional).
pub(crate) fn parse_error_body(body: &Value, problem_media_type: bool) -> Option<ApiError> {
    let Value::Object(object) = body else {
        return None;
    };
    let text = |name: &str| object.get(name).and_then(Value::as_str).map(str::to_owned);
    let api = ApiError {
        status: http::StatusCode::default(),
        code: object.get("code").and_then(as_i64),
        message: text("message"),
        more_info: text("more_info"),
        body_status: object
            .get("status")
            .and_then(as_i64)
            .and_then(|status| u16::try_from(status).ok()),
        details: object.get("details").cloned(),
        problem_type: text("type"),
        title: text("title"),
        detail: text("detail"),
        instance: text("instance"),
    };
    let twilio = api.message.is_some() && (api.code.is_some() || api.body_status.is_some());
    let problem = problem_media_type || api.title.is_some() || api.detail.is_some();
    (twilio || problem).then_some(api)
}

/// Whether the `Content-Type` is `application/problem+json` (RFC 9457's
/// media type), parameters and letter case aside.
fn is_problem_json(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| {
            media_type
                .trim()
                .eq_ignore_ascii_case("application/problem+json")
        })
}

/// An integer given as a JSON number or as a string of digits.
fn as_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}
