//! Reads the JSON an error response explains itself with into an
//! [`ApiError`]: Twilio's error body or an RFC 9457 problem body.
//!
//! One lenient reader for both formats: every known member is read wherever
//! it appears (a server may mix them), a member of the wrong JSON type is
//! ignored (RFC 9457 section 3.1), and numbers may come as strings of digits
//! (Twilio has sent `"status": "429"`). Whether the body counts as an error
//! body at all is decided last, so that arbitrary JSON (`{"error": "nope"}`)
//! stays an [`Error::UnexpectedStatus`](crate::runtime::error::Error::UnexpectedStatus)
//! with its text.

use http::header::CONTENT_TYPE;
use http::HeaderMap;
use serde_json::{Map, Value};

use crate::runtime::error::ApiError;

/// The error body of a response with these `headers` and `body`, if it is
/// one, with the HTTP status left at its default for the caller to set.
///
/// Twilio's: an object with a string `message` and a numeric `code` or
/// `status`. A problem: any object when the `Content-Type` is
/// `application/problem+json` (all its members are optional), else an object
/// with a string `title` or `detail`.
pub(crate) fn read(headers: &HeaderMap, body: &[u8]) -> Option<ApiError> {
    let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
        return None;
    };
    let api = members(&object);
    let twilio = api.message.is_some() && (api.code.is_some() || api.body_status.is_some());
    let problem = is_problem_json(headers) || api.title.is_some() || api.detail.is_some();
    (twilio || problem).then_some(api)
}

/// What `ApiError`'s `Deserialize` accepts, a body on its own: an object
/// with a string `message` (as when `ApiError` derived `Deserialize`, with
/// every other member optional), `title` or `detail`.
pub(crate) fn read_alone(body: &Value) -> Option<ApiError> {
    let Value::Object(object) = body else {
        return None;
    };
    let api = members(object);
    (api.message.is_some() || api.title.is_some() || api.detail.is_some()).then_some(api)
}

/// Every member either format defines, each `None` when absent or of the
/// wrong type (`details` excepted: any JSON value is kept as it came).
fn members(object: &Map<String, Value>) -> ApiError {
    let text = |name: &str| object.get(name).and_then(Value::as_str).map(str::to_owned);
    ApiError {
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
    }
}

/// Whether the `Content-Type` is `application/problem+json` (RFC 9457's
/// media type), parameters and letter case aside.
fn is_problem_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
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
