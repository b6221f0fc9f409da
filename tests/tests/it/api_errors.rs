//! The error API: Twilio's error body (with `details`) and RFC 9457 problem
//! bodies read into `ApiError`, the `is_*` predicates, and `Display`, through
//! the sans-IO response parser.

use http::StatusCode;
use serde_json::json;
use twilio_conversations_webhooks::models::ConversationScopedWebhook;
use twilio_conversations_webhooks::runtime::response;
use twilio_conversations_webhooks::{ApiError, Error};

fn resp(status: u16, content_type: Option<&str>, body: &str) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    if let Some(content_type) = content_type {
        builder = builder.header("content-type", content_type);
    }
    builder.body(body.as_bytes().to_vec()).unwrap()
}

fn api_error(response: &http::Response<Vec<u8>>) -> ApiError {
    match response::json::<ConversationScopedWebhook, _>(response) {
        Err(Error::Api(api)) => *api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[test]
fn twilio_details_are_kept_as_they_came() {
    let body = r#"{"code": 21211, "message": "Invalid 'To' Phone Number",
        "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400,
        "details": {"field": "To", "hints": ["E.164", 1, null]}}"#;
    let api = api_error(&resp(400, Some("application/json"), body));
    assert_eq!(
        api.details(),
        Some(&json!({"field": "To", "hints": ["E.164", 1, null]}))
    );
    assert_eq!(api.code(), Some(21211));
    assert_eq!(api.message(), "Invalid 'To' Phone Number");
    assert_eq!(api.body_status(), Some(400));
    // Any JSON value, `null` included, is kept; absent is `None`.
    let api = api_error(&resp(
        400,
        None,
        r#"{"code": 1, "message": "m", "details": null}"#,
    ));
    assert_eq!(api.details(), Some(&serde_json::Value::Null));
    let api = api_error(&resp(400, None, r#"{"code": 1, "message": "m"}"#));
    assert_eq!(api.details(), None);
    // Display is unchanged by the details.
    assert_eq!(
        Error::from(api).to_string(),
        "Twilio API error 1 (HTTP 400 Bad Request): m"
    );
}

#[test]
fn problem_json_bodies_become_api_errors() {
    let body = r#"{
        "type": "https://example.com/probs/out-of-credit",
        "title": "You do not have enough credit.",
        "detail": "Your current balance is 30, but that costs 50.",
        "instance": "/account/12345/msgs/abc",
        "status": 403,
        "code": 20005,
        "balance": 30
    }"#;
    let response = resp(403, Some("application/problem+json; charset=utf-8"), body);
    let api = api_error(&response);
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        api.problem_type(),
        Some("https://example.com/probs/out-of-credit")
    );
    assert_eq!(api.title(), Some("You do not have enough credit."));
    assert_eq!(
        api.detail(),
        Some("Your current balance is 30, but that costs 50.")
    );
    assert_eq!(api.instance(), Some("/account/12345/msgs/abc"));
    assert_eq!(api.body_status(), Some(403));
    assert_eq!(api.code(), Some(20005));
    assert_eq!(api.more_info(), None);
    assert_eq!(api.details(), None);
    // No `message`: the detail explains this occurrence.
    assert_eq!(
        api.message(),
        "Your current balance is 30, but that costs 50."
    );
    let err = response::error_from_status(&response);
    assert!(err.is_forbidden());
    assert_eq!(err.code(), Some(20005));
    assert_eq!(
        err.to_string(),
        "Twilio API error 20005 (HTTP 403 Forbidden): You do not have enough credit.: \
         Your current balance is 30, but that costs 50."
    );
}

#[test]
fn problem_members_are_recognised_without_the_media_type() {
    // A string `title` or `detail` is enough, whatever the content type.
    let api = api_error(&resp(
        404,
        Some("application/json"),
        r#"{"title": "Not Found", "status": 404}"#,
    ));
    assert_eq!(api.title(), Some("Not Found"));
    assert_eq!(api.detail(), None);
    assert_eq!(api.message(), "Not Found");
    assert_eq!(
        Error::from(api).to_string(),
        "Twilio API error (HTTP 404 Not Found): Not Found"
    );
    let api = api_error(&resp(409, None, r#"{"detail": "Already exists"}"#));
    assert_eq!(
        Error::from(api).to_string(),
        "Twilio API error (HTTP 409 Conflict): Already exists"
    );
    // A `type` alone, or members of the wrong type, do not make an error body
    // of arbitrary JSON: the text stays available as an unexpected status.
    for body in [
        r#"{"type": "about:blank"}"#,
        r#"{"title": 5, "detail": ["x"]}"#,
        r#"{"error": "nope"}"#,
    ] {
        match response::error_from_status(&resp(400, Some("application/json"), body)) {
            Error::UnexpectedStatus { status, body: kept } => {
                assert_eq!(status, StatusCode::BAD_REQUEST);
                assert_eq!(kept, body);
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn the_problem_media_type_makes_any_object_a_problem() {
    // All members are optional in RFC 9457; wrong-typed ones are ignored.
    let api = api_error(&resp(
        503,
        Some("Application/Problem+JSON"),
        r#"{"title": 5, "status": "503", "extension": true}"#,
    ));
    assert_eq!(api.title(), None);
    assert_eq!(api.problem_type(), None, "absent means about:blank");
    assert_eq!(api.body_status(), Some(503));
    assert_eq!(api.message(), "");
    assert_eq!(
        Error::from(api).to_string(),
        "Twilio API error (HTTP 503 Service Unavailable)"
    );
    // Not an object: not a problem, even with the media type.
    assert!(matches!(
        response::error_from_status(&resp(500, Some("application/problem+json"), "[1]")),
        Error::UnexpectedStatus { .. }
    ));
}

#[test]
fn problem_text_is_escaped_in_display_and_kept_as_sent() {
    let body = json!({
        "title": "Bad\u{1b}[2J",
        "detail": "line\nforged: entry \u{202e}gpj.exe",
    })
    .to_string();
    let api = api_error(&resp(400, Some("application/problem+json"), &body));
    assert_eq!(api.title(), Some("Bad\u{1b}[2J"));
    assert_eq!(
        api.to_string(),
        r"Twilio API error (HTTP 400 Bad Request): Bad\u{1b}[2J: line\nforged: entry \u{202e}gpj.exe"
    );
}

#[test]
fn api_error_deserializes_either_format_on_its_own() {
    let api: ApiError =
        serde_json::from_str(r#"{"type": "urn:x", "title": "T", "detail": "D"}"#).unwrap();
    assert_eq!(api.status(), StatusCode::OK);
    assert_eq!(
        (api.problem_type(), api.title(), api.detail()),
        (Some("urn:x"), Some("T"), Some("D"))
    );
    let api: ApiError =
        serde_json::from_str(r#"{"code": 20404, "message": "gone", "details": [1]}"#).unwrap();
    assert_eq!(api.details(), Some(&json!([1])));
    // On its own a `message` is enough, as before; other JSON is refused.
    let api: ApiError = serde_json::from_str(r#"{"message": "no code"}"#).unwrap();
    assert_eq!((api.message(), api.code()), ("no code", None));
    let err = serde_json::from_str::<ApiError>(r#"{"error": "nope"}"#).unwrap_err();
    assert!(
        err.to_string().starts_with("not an API error body"),
        "{err}"
    );
}

#[test]
fn predicates_look_at_the_http_status_whatever_the_body() {
    const TWILIO: &str = r#"{"code": 20000, "message": "m", "status": 400}"#;
    let cases: [(u16, &str); 7] = [
        (404, TWILIO),
        (404, "<html>not found</html>"),
        (401, TWILIO),
        (403, r#"{"title": "Forbidden"}"#),
        (429, TWILIO),
        (503, "upstream down"),
        (400, TWILIO),
    ];
    for (status, body) in cases {
        let err = response::error_from_status(&resp(status, None, body));
        let flags = [
            err.is_not_found(),
            err.is_unauthorized(),
            err.is_forbidden(),
            err.is_rate_limited(),
            err.is_server_error(),
        ];
        let expected = [
            status == 404,
            status == 401,
            status == 403,
            status == 429,
            status >= 500,
        ];
        assert_eq!(flags, expected, "{status} {body}");
        assert_eq!(err.status(), StatusCode::from_u16(status).ok());
        if let Some(api) = err.api_error() {
            let api_flags = [
                api.is_not_found(),
                api.is_unauthorized(),
                api.is_forbidden(),
                api.is_rate_limited(),
                api.is_server_error(),
            ];
            assert_eq!(api_flags, expected, "{status} {body}");
        }
    }
    // The body's own `status` does not count: HTTP says 400.
    let err = response::error_from_status(&resp(
        400,
        None,
        r#"{"code": 20404, "message": "m", "status": 404}"#,
    ));
    assert!(!err.is_not_found());
    // No response at all: every predicate is false.
    let err = Error::validation("Sid", "x", "y");
    assert!(!err.is_not_found() && !err.is_server_error() && !err.is_rate_limited());
    assert_eq!((err.status(), err.code()), (None, None));
}
