//! The runtime core (form, validate, auth, api, response, paging, error), ported from the scratch crate.

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{Method, Response, StatusCode};
use serde::Deserialize;
use twilio_conversations_webhooks::runtime::form::{path_segment, set_header, Form};
use twilio_conversations_webhooks::runtime::paging::{null_as_default, PageMeta};
use twilio_conversations_webhooks::runtime::validate::{self, Pattern};
use twilio_conversations_webhooks::runtime::{response, Api, ApiError, Credentials, Error};

fn creds() -> Credentials {
    Credentials::auth_token("AC123", "secret")
}

// ---------- form ----------

#[test]
fn form_encodes_repeated_keys_and_special_characters() {
    let mut form = Form::new();
    assert!(form.is_empty());
    form.push("FriendlyName", "a b&c=d/é+%#?");
    form.push_each("Filters", &["onMessageAdded", "onMessage Updated"]);
    form.push_opt::<String>("Target", None);
    form.push_opt("Method", Some(&"POST"));
    form.push("Configuration.ReplayAfter", 5);
    form.push("Enabled", true);
    form.push_each::<&str>("Empty", &[]);
    assert_eq!(
        form.encode(),
        "FriendlyName=a+b%26c%3Dd%2F%C3%A9%2B%25%23%3F&Filters=onMessageAdded&Filters=onMessage+Updated\
         &Method=POST&Configuration.ReplayAfter=5&Enabled=true"
    );
    assert_eq!(form.pairs().len(), 6);
    assert_eq!(form.pairs()[1].0, "Filters");
    assert_eq!(form.pairs()[1].1, "onMessageAdded");
    assert!(!form.is_empty());
    assert_eq!(Form::new().encode(), "");
}

#[test]
fn set_header_sets_the_parameter_and_refuses_header_injection() {
    let api = Api::new(creds());
    let mut request = api
        .request(Method::POST, "/v1/Conversations", None, None)
        .unwrap();
    set_header(&mut request, "X-Twilio-Webhook-Enabled", "true").unwrap();
    assert_eq!(request.headers()["x-twilio-webhook-enabled"], "true");
    // A later value replaces the earlier one rather than adding a second header.
    set_header(&mut request, "X-Twilio-Webhook-Enabled", "false").unwrap();
    let values: Vec<_> = request
        .headers()
        .get_all("x-twilio-webhook-enabled")
        .iter()
        .collect();
    assert_eq!(values, ["false"]);

    let err = set_header(
        &mut request,
        "X-Twilio-Webhook-Enabled",
        "true\r\nX-Evil: 1",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"invalid X-Twilio-Webhook-Enabled: expected a header value without control characters, found "true\r\nX-Evil: 1""#
    );
    assert_eq!(request.headers()["x-twilio-webhook-enabled"], "false");
    assert!(request.headers().get("x-evil").is_none());
}

#[test]
fn path_segment_keeps_values_inside_their_segment() {
    assert_eq!(path_segment("Sid", "a/b").unwrap(), "a%2Fb");
    assert_eq!(path_segment("Sid", "../x").unwrap(), "..%2Fx");
    assert_eq!(path_segment("Sid", "a b").unwrap(), "a%20b");
    assert_eq!(path_segment("Sid", "é☃").unwrap(), "%C3%A9%E2%98%83");
    assert_eq!(
        path_segment("Sid", "?#%+&=;:@").unwrap(),
        "%3F%23%25%2B%26%3D%3B%3A%40"
    );
    assert_eq!(path_segment("Sid", "WHab-._~09").unwrap(), "WHab-._~09");
    assert_eq!(path_segment("Sid", "...").unwrap(), "...");
    for bad in ["", ".", ".."] {
        let err = path_segment("Sid", bad).unwrap_err();
        assert!(err.is_validation(), "{bad:?}");
        match err {
            Error::Validation {
                field, expected, ..
            } => {
                assert_eq!(field, "Sid");
                assert_eq!(expected, "a non-empty value other than . or ..");
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        path_segment("Sid", "..").unwrap_err().to_string(),
        r#"invalid Sid: expected a non-empty value other than . or .., found "..""#
    );
}

// ---------- validate ----------

static WH_SID: Pattern = Pattern::new("^WH[0-9a-fA-F]{32}$");

#[test]
fn pattern_accepts_and_rejects() {
    let good = "WH0123456789abcdef0123456789ABCDEF";
    assert!(validate::pattern("Sid", good, &WH_SID).is_ok());
    assert_eq!(WH_SID.as_str(), "^WH[0-9a-fA-F]{32}$");
    let err = validate::pattern("Sid", "x", &WH_SID).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"invalid Sid: expected a value matching ^WH[0-9a-fA-F]{32}$, found "x""#
    );
    assert!(err.is_validation());
    assert_eq!(err.status(), None);
    // Quote escapes control characters and shortens long values.
    let err = validate::pattern("Sid", "a\nb", &WH_SID).unwrap_err();
    assert!(err.to_string().ends_with(r#"found "a\nb""#), "{err}");
    let long = "y".repeat(1000);
    let msg = validate::pattern("Sid", &long, &WH_SID)
        .unwrap_err()
        .to_string();
    assert!(
        msg.ends_with(&format!("found \"{}\"...", "y".repeat(128))),
        "{msg}"
    );
    // A pattern that does not compile accepts everything (server decides).
    static BROKEN: Pattern = Pattern::new("(unclosed");
    assert!(BROKEN.is_match("anything"));
    assert_eq!(format!("{WH_SID:?}"), r#"Pattern("^WH[0-9a-fA-F]{32}$")"#);
}

#[test]
fn length_counts_characters() {
    assert!(validate::length("FriendlyName", "ééé", Some(1), Some(3)).is_ok());
    assert!(validate::length("FriendlyName", "", None, Some(3)).is_ok());
    assert_eq!(
        validate::length("FriendlyName", "", Some(1), None)
            .unwrap_err()
            .to_string(),
        r#"invalid FriendlyName: expected at least 1 character, found "" (0 characters)"#
    );
    assert_eq!(
        validate::length("FriendlyName", "éééé", Some(1), Some(3))
            .unwrap_err()
            .to_string(),
        r#"invalid FriendlyName: expected between 1 and 3 characters, found "éééé" (4 characters)"#
    );
    assert_eq!(
        validate::length("X", "ab", None, Some(1))
            .unwrap_err()
            .to_string(),
        r#"invalid X: expected at most 1 character, found "ab" (2 characters)"#
    );
    assert_eq!(
        validate::length("X", "a", Some(2), Some(2))
            .unwrap_err()
            .to_string(),
        r#"invalid X: expected exactly 2 characters, found "a" (1 character)"#
    );
    assert!(validate::length("X", "anything", None, None).is_ok());
}

#[test]
fn range_checks_inclusive_bounds() {
    assert!(validate::range("PageSize", 1, Some(1), Some(1000)).is_ok());
    assert!(validate::range("PageSize", 1000, Some(1), Some(1000)).is_ok());
    assert_eq!(
        validate::range("PageSize", 0, Some(1), None)
            .unwrap_err()
            .to_string(),
        "invalid PageSize: expected at least 1, found 0"
    );
    assert_eq!(
        validate::range("PageSize", 1001, Some(1), Some(1000))
            .unwrap_err()
            .to_string(),
        "invalid PageSize: expected between 1 and 1000, found 1001"
    );
    assert_eq!(
        validate::range("X", i64::MAX, None, Some(5))
            .unwrap_err()
            .to_string(),
        format!("invalid X: expected at most 5, found {}", i64::MAX)
    );
    assert!(validate::range("X", i64::MIN, None, None).is_ok());
}

#[test]
fn uri_requires_an_absolute_uri() {
    for good in [
        "https://example.com/hook",
        "http://127.0.0.1:8080",
        "HTTPS://Example.com?x=1#f",
        "https://user:pw@example.com/",
        "https://[::1]/x",
        "mailto:someone@example.com",
        "urn:isbn:0451450523",
        "a+b-c.d:x",
    ] {
        assert!(validate::uri("Target", good).is_ok(), "{good}");
    }
    for bad in [
        "",
        "example.com/hook",
        "/relative",
        "https:",
        "1http://x",
        "ht tp://x",
        "https://exa mple.com",
        "https://example.com/\n",
        "\thttps://example.com",
        "https:example.com",
        "https://",
        "https:///path",
        "https://user@/x",
        "https://:80/x",
        ":nothing",
        "h_t://x",
    ] {
        let err = validate::uri("Configuration.Url", bad).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("invalid Configuration.Url: expected an absolute URI, found "),
            "{bad:?}: {err}"
        );
    }
}

// ---------- auth ----------

#[test]
fn credentials_never_show_secrets() {
    let token = Credentials::auth_token("AC123", "supersecrettoken");
    let dbg = format!("{token:?}");
    assert!(!dbg.contains("supersecrettoken"), "{dbg}");
    assert!(dbg.contains("AC123") && dbg.contains("<redacted>"), "{dbg}");
    let key = Credentials::api_key("AC123", "SK456", "keysecret");
    let dbg = format!("{key:?} {key:#?}");
    assert!(!dbg.contains("keysecret"), "{dbg}");
    assert!(dbg.contains("SK456") && dbg.contains("AC123"), "{dbg}");
    assert_eq!(key.account_sid(), "AC123");
    assert_eq!(token.account_sid(), "AC123");
    let api_dbg = format!("{:?}", Api::new(token));
    assert!(!api_dbg.contains("supersecrettoken"), "{api_dbg}");
}

#[test]
fn authorization_header_is_basic_and_sensitive() {
    let header = creds().authorization_header();
    assert_eq!(header, "Basic QUMxMjM6c2VjcmV0");
    assert!(header.is_sensitive());
    let header = Credentials::api_key("AC123", "SK456", "shh").authorization_header();
    assert_eq!(header, "Basic U0s0NTY6c2ho");
    assert!(header.is_sensitive());
}

// ---------- api ----------

#[test]
fn request_has_exact_url_headers_and_body() {
    let api = Api::new(creds());
    assert_eq!(api.base_url(), "https://conversations.twilio.com");
    assert_eq!(api.origin(), "https://conversations.twilio.com");
    let mut query = Form::new();
    query.push("PageSize", 50);
    query.push("Target", "a b");
    let mut form = Form::new();
    form.push("Method", "POST");
    form.push_each("Filters", &["onMessageAdded", "onConversationAdded"]);
    let req = api
        .request(
            Method::POST,
            "/v1/Configuration/Webhooks",
            Some(&query),
            Some(&form),
        )
        .unwrap();
    assert_eq!(req.method(), Method::POST);
    assert_eq!(
        req.uri().to_string(),
        "https://conversations.twilio.com/v1/Configuration/Webhooks?PageSize=50&Target=a+b"
    );
    let h = req.headers();
    assert_eq!(h.len(), 3);
    assert_eq!(h[AUTHORIZATION], "Basic QUMxMjM6c2VjcmV0");
    assert!(h[AUTHORIZATION].is_sensitive());
    assert_eq!(h[ACCEPT], "application/json");
    assert_eq!(h[CONTENT_TYPE], "application/x-www-form-urlencoded");
    assert_eq!(
        req.body().as_slice(),
        b"Method=POST&Filters=onMessageAdded&Filters=onConversationAdded"
    );

    // No form: no content type, empty body; empty query: no '?'.
    let req = api
        .request(Method::GET, "/v1/Configuration", Some(&Form::new()), None)
        .unwrap();
    assert_eq!(
        req.uri().to_string(),
        "https://conversations.twilio.com/v1/Configuration"
    );
    assert_eq!(req.headers().len(), 2);
    assert!(req.headers().get(CONTENT_TYPE).is_none());
    assert!(req.body().is_empty());

    // Empty form: content type, empty body.
    let req = api
        .request(Method::POST, "/v1/Configuration", None, Some(&Form::new()))
        .unwrap();
    assert_eq!(
        req.headers()[CONTENT_TYPE],
        "application/x-www-form-urlencoded"
    );
    assert!(req.body().is_empty());

    // A path segment built with path_segment stays in place.
    let sid = path_segment("Sid", "../x y").unwrap();
    let req = api
        .request(
            Method::DELETE,
            &format!("/v1/Conversations/{sid}/Webhooks"),
            None,
            None,
        )
        .unwrap();
    assert_eq!(
        req.uri().to_string(),
        "https://conversations.twilio.com/v1/Conversations/..%2Fx%20y/Webhooks"
    );
}

#[test]
fn base_url_is_checked_and_normalized() {
    let api = Api::with_base_url(creds(), "http://127.0.0.1:8080/").unwrap();
    assert_eq!(api.base_url(), "http://127.0.0.1:8080");
    assert_eq!(api.origin(), "http://127.0.0.1:8080");
    let api = Api::with_base_url(creds(), "HTTPS://Proxy.Example.com:443/twilio/api//").unwrap();
    assert_eq!(api.base_url(), "https://Proxy.Example.com:443/twilio/api");
    assert_eq!(api.origin(), "https://proxy.example.com");
    let req = api
        .request(Method::GET, "/v1/Configuration", None, None)
        .unwrap();
    assert_eq!(
        req.uri().to_string(),
        "https://Proxy.Example.com:443/twilio/api/v1/Configuration"
    );
    assert_eq!(
        Api::with_base_url(creds(), "http://[::1]:9000")
            .unwrap()
            .origin(),
        "http://[::1]:9000"
    );
    for (bad, reason) in [
        (
            "conversations.twilio.com",
            "it must be absolute (start with https:// or http://)",
        ),
        ("ftp://example.com", "its scheme must be http or https"),
        ("https://example.com?x=1", "it must not have a query"),
        (
            "https://example.com/v1?token=s3cret&Page=2&bare#frag",
            "it must not have a fragment",
        ),
        ("https://example.com/#top", "it must not have a fragment"),
        (
            "https://user:pw@example.com",
            "it must not contain user information",
        ),
        (
            "https://example.com:99999",
            "its port must be a number from 0 to 65535",
        ),
        (
            "https://example.com:abc",
            "its port must be a number from 0 to 65535",
        ),
        ("https://exa mple.com", "it is not a valid absolute URL"),
        ("", "it is not a valid absolute URL"),
        ("https://", "it is not a valid absolute URL"),
        (
            "/v1",
            "it must be absolute (start with https:// or http://)",
        ),
    ] {
        match Api::with_base_url(creds(), bad) {
            Err(Error::InvalidBaseUrl { url, reason: got }) => {
                // Secrets a URL may hold are redacted (see the next test);
                // only query values, fragments and user information change here.
                assert_eq!(url, redacted(bad), "{bad:?}");
                assert_eq!(got, reason, "{bad:?}");
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    assert_eq!(
        Api::with_base_url(creds(), "ftp://x")
            .unwrap_err()
            .to_string(),
        r#"invalid base URL "ftp://x": its scheme must be http or https"#
    );
}

/// What `InvalidBaseUrl` shows of the test URLs above.
fn redacted(url: &str) -> &str {
    match url {
        "https://example.com?x=1" => "https://example.com?x=***",
        "https://example.com/v1?token=s3cret&Page=2&bare#frag" => {
            "https://example.com/v1?token=***&Page=***&***#***"
        }
        "https://user:pw@example.com" => "https://***@example.com",
        "https://example.com/#top" => "https://example.com/#***",
        other => other,
    }
}

#[test]
fn invalid_base_url_never_repeats_user_information_query_values_or_fragment() {
    for (bad, shown) in [
        (
            "https://AC123:hunter2@api.example.com/v1",
            "https://***@api.example.com/v1",
        ),
        // The last `@` of the authority ends the user information.
        ("http://a@b:hunter2@host:8080", "http://***@host:8080"),
        // Not a URL at all, still redacted.
        ("hunter2@host", "***@host"),
        ("https://host/v1?token=hunter2", "https://host/v1?token=***"),
        ("https://host/v1?hunter2", "https://host/v1?***"),
        (
            "https://host/v1?a=1&&b=hunter2",
            "https://host/v1?a=***&&b=***",
        ),
        ("https://host/#access_token=hunter2", "https://host/#***"),
        (
            "https://u:hunter2@host?k=hunter2#hunter2",
            "https://***@host?k=***#***",
        ),
        // An `@` after the authority is not user information.
        ("https://host/a@b?x", "https://host/a@b?***"),
    ] {
        let err = Api::with_base_url(creds(), bad).unwrap_err();
        match &err {
            Error::InvalidBaseUrl { url, .. } => assert_eq!(url, shown, "{bad:?}"),
            other => panic!("{bad:?}: {other:?}"),
        }
        for text in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
            assert!(!text.contains("hunter2"), "{text}");
        }
    }
    assert_eq!(
        Api::with_base_url(creds(), "https://AC123:hunter2@api.example.com")
            .unwrap_err()
            .to_string(),
        r#"invalid base URL "https://***@api.example.com": it must not contain user information"#
    );
}

#[test]
fn follow_only_same_origin() {
    let api = Api::new(creds());
    let next = "https://conversations.twilio.com/v1/Configuration/Webhooks?PageSize=50&Page=1&PageToken=PT1";
    let req = api.follow(next).unwrap();
    assert_eq!(req.method(), Method::GET);
    assert_eq!(req.uri().to_string(), next);
    assert_eq!(req.headers()[AUTHORIZATION], "Basic QUMxMjM6c2VjcmV0");
    assert_eq!(req.headers()[ACCEPT], "application/json");
    assert!(req.headers().get(CONTENT_TYPE).is_none());
    assert!(req.body().is_empty());
    // Host case and an explicit default port do not matter.
    assert!(api
        .follow("https://Conversations.Twilio.COM:443/v1/x")
        .is_ok());
    assert!(api.follow("HTTPS://conversations.twilio.com:/v1/x").is_ok());
    // A server-relative path resolves against the origin.
    assert_eq!(
        api.follow("/v1/x?Page=2").unwrap().uri().to_string(),
        "https://conversations.twilio.com/v1/x?Page=2"
    );
    for foreign in [
        "https://evil.example.com/v1/x",
        "http://conversations.twilio.com/v1/x",
        "https://conversations.twilio.com:8443/v1/x",
        "https://conversations.twilio.com.evil.com/v1/x",
        "https://user@conversations.twilio.com/v1/x",
        "//evil.example.com/v1/x",
        "ftp://conversations.twilio.com/v1/x",
    ] {
        match api.follow(foreign) {
            Err(Error::ForeignPageUrl {
                url,
                expected_origin,
            }) => {
                assert_eq!(url, foreign);
                assert_eq!(expected_origin, "https://conversations.twilio.com");
            }
            other => panic!("{foreign:?}: {other:?}"),
        }
    }
    assert!(matches!(
        api.follow("https://exa mple.com"),
        Err(Error::Http(_))
    ));
    assert!(matches!(api.follow("v1/x"), Err(Error::Http(_))));
    assert!(matches!(
        api.follow("https://evil.com\\@conversations.twilio.com/"),
        Err(Error::Http(_))
    ));

    let local = Api::with_base_url(creds(), "http://127.0.0.1:8080/prefix").unwrap();
    assert!(local.follow("http://127.0.0.1:8080/v1/x").is_ok());
    assert!(local.follow("http://127.0.0.1:8081/v1/x").is_err());
    assert!(local.follow("http://127.0.0.1/v1/x").is_err());
    assert!(local.follow("http://localhost:8080/v1/x").is_err());
    let http = Api::with_base_url(creds(), "http://example.com").unwrap();
    assert!(http.follow("http://example.com:80/x").is_ok());
    assert!(http.follow("https://example.com:80/x").is_err());
}

// ---------- response ----------

#[derive(Debug, Deserialize, PartialEq)]
struct Webhook {
    sid: String,
    #[serde(default, deserialize_with = "null_as_default")]
    filters: Vec<String>,
}

fn resp(status: u16, body: &[u8]) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .body(body.to_vec())
        .unwrap()
}

#[test]
fn json_decodes_success_bodies() {
    let ok: Webhook = response::json(&resp(200, br#"{"sid":"WH1","filters":["a"]}"#)).unwrap();
    assert_eq!(ok.filters, vec!["a".to_owned()]);
    let ok: Webhook = response::json(&resp(201, br#"{"sid":"WH1","filters":null}"#)).unwrap();
    assert!(ok.filters.is_empty());
    let ok: Webhook = response::json(&resp(200, br#"{"sid":"WH1"}"#)).unwrap();
    assert!(ok.filters.is_empty());
    // Works with borrowed bodies too.
    let borrowed = Response::builder()
        .status(200)
        .body(&br#"{"sid":"WH2"}"#[..])
        .unwrap();
    assert_eq!(response::json::<Webhook, _>(&borrowed).unwrap().sid, "WH2");
}

#[test]
fn json_reports_undecodable_success_bodies() {
    for (status, body) in [
        (200u16, &b""[..]),
        (200, br#"{"sid":"WH1""#),
        (200, br#"{"sid":5}"#),
        (201, b"<html>ok</html>"),
        (200, b"\xff\xfe"),
    ] {
        match response::json::<Webhook, _>(&resp(status, body)) {
            Err(Error::Decode {
                status: got,
                body: snippet,
                source: _,
            }) => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(snippet, String::from_utf8_lossy(body));
            }
            other => panic!("{body:?}: {other:?}"),
        }
    }
    let err = response::json::<Webhook, _>(&resp(200, b"")).unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert!(
        err.to_string()
            .starts_with("could not decode the body of an HTTP 200 OK response: "),
        "{err}"
    );
    // Body kept to 1 KiB.
    let big = vec![b'x'; 5000];
    match response::json::<Webhook, _>(&resp(200, &big)) {
        Err(Error::Decode { body, .. }) => assert_eq!(body.len(), 1024),
        other => panic!("{other:?}"),
    }
}

const TWILIO_404: &[u8] = br#"{"code": 20404, "message": "The requested resource was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}"#;

#[test]
fn twilio_error_bodies_become_api_errors() {
    let err = response::json::<Webhook, _>(&resp(404, TWILIO_404)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Twilio API error 20404 (HTTP 404 Not Found): The requested resource was not found"
    );
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.code(), Some(20404));
    let api = err.api_error().unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.code(), Some(20404));
    assert_eq!(api.message(), "The requested resource was not found");
    assert_eq!(
        api.more_info(),
        Some("https://www.twilio.com/docs/errors/20404")
    );
    assert_eq!(api.body_status(), Some(404));
    assert_eq!(api.details(), None);
    assert_eq!(api.problem_type(), None);
    assert_eq!(api.title(), None);
    assert_eq!(api.detail(), None);
    let err = response::empty(&resp(404, TWILIO_404)).unwrap_err();
    assert!(matches!(err, Error::Api(_)));
    // HTTP status wins over the body's; lenient on missing fields.
    let err = response::error_from_status(&resp(
        429,
        br#"{"message":"Too many requests","status":"429"}"#,
    ));
    let api = err.api_error().unwrap();
    assert_eq!(api.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(api.code(), None);
    assert_eq!(api.body_status(), Some(429));
    assert_eq!(
        err.to_string(),
        "Twilio API error (HTTP 429 Too Many Requests): Too many requests"
    );
    // ApiError deserializes on its own too.
    let api: ApiError = serde_json::from_slice(TWILIO_404).unwrap();
    assert_eq!(api.code(), Some(20404));
    assert_eq!(api.body_status(), Some(404));
    assert_eq!(api.status(), StatusCode::OK);
}

#[test]
fn other_error_bodies_become_unexpected_status() {
    let html = b"<html><body><h1>502 Bad Gateway</h1></body></html>\n";
    for (status, body) in [
        (502u16, &html[..]),
        (500, b""),
        (400, br#"{"error":"nope"}"#),
        (400, br#"{"message":"no code or status"}"#),
        (404, br#"[1,2]"#),
        (503, br#"{"code": 1, "message": "truncated"#),
        (302, b""),
    ] {
        match response::json::<Webhook, _>(&resp(status, body)) {
            Err(Error::UnexpectedStatus {
                status: got,
                body: b,
            }) => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(b, String::from_utf8_lossy(body));
            }
            other => panic!("{status} {body:?}: {other:?}"),
        }
    }
    let err = response::error_from_status(&resp(502, html));
    assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(
        err.to_string(),
        r#"unexpected HTTP status 502 Bad Gateway with body "<html><body><h1>502 Bad Gateway</h1></body></html>""#
    );
    assert_eq!(
        response::empty(&resp(500, b" ")).unwrap_err().to_string(),
        "unexpected HTTP status 500 Internal Server Error with an empty body"
    );
    let big = vec![b'x'; 5000];
    match response::error_from_status(&resp(502, &big)) {
        Error::UnexpectedStatus { body, .. } => assert_eq!(body.len(), 1024),
        other => panic!("{other:?}"),
    }
    let msg = response::error_from_status(&resp(502, &big)).to_string();
    assert!(msg.ends_with(r#"x"..."#) && msg.len() < 300, "{msg}");
}

#[test]
fn empty_accepts_any_success() {
    assert!(response::empty(&resp(204, b"")).is_ok());
    assert!(response::empty(&resp(200, b"whatever")).is_ok());
}

// ---------- paging / error helpers ----------

#[test]
fn page_meta_tolerates_nulls_and_absence() {
    let meta: PageMeta = serde_json::from_str(
        r#"{"page":0,"page_size":50,"first_page_url":"https://x/a","previous_page_url":null,
            "url":"https://x/a","next_page_url":null,"key":"webhooks","extra":1}"#,
    )
    .unwrap();
    assert_eq!(meta.page, Some(0));
    assert_eq!(meta.next_page_url, None);
    assert_eq!(meta.key.as_deref(), Some("webhooks"));
    let meta: PageMeta = serde_json::from_str("{}").unwrap();
    assert_eq!(meta, PageMeta::default());
    let back = serde_json::to_value(PageMeta::default()).unwrap();
    assert!(back.get("next_page_url").is_some());
}

#[test]
fn error_helpers_and_traits() {
    fn assert_send_sync<T: Send + Sync + 'static + std::error::Error>() {}
    assert_send_sync::<Error>();
    assert_send_sync::<ApiError>();
    let err = Error::validation("Sid", "x", "y");
    assert!(err.is_validation());
    assert_eq!(err.code(), None);
    let http_err = http::Request::builder()
        .method("BAD METHOD")
        .body(())
        .unwrap_err();
    let err = Error::from(http_err);
    assert!(err
        .to_string()
        .starts_with("could not build the HTTP request: "));
    assert!(std::error::Error::source(&err).is_some());
    let foreign = Error::ForeignPageUrl {
        url: "https://evil/x".into(),
        expected_origin: "https://conversations.twilio.com".into(),
    };
    assert_eq!(
        foreign.to_string(),
        r#"refusing to follow page URL "https://evil/x": it is not on the configured origin https://conversations.twilio.com"#
    );
    assert!(
        std::mem::size_of::<Error>() <= 80,
        "{}",
        std::mem::size_of::<Error>()
    );
}
