//! `SignatureValidator::verify`: a request is accepted only as Twilio signs
//! it, and what comes back is exactly what the signature covers. Each
//! refusal is checked by its exact error and status.

use http::{HeaderMap, HeaderValue, Method, StatusCode};
use twilio_codegen_runtime::runtime::webhook::{
    form_pairs, PublicUrl, PublicUrlError, SignatureError, SignatureValidator, Source, Verified,
    WebhookError,
};

// Twilio's documented example (webhook security page): token, URL, JSON
// body, its SHA-256 and the URL-only signature Twilio sends for it.
const TOKEN: &str = "12345";
const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
const JSON_BODY: &str = r#"{"property": "value", "boolean": true}"#;
const JSON_BODY_SHA256: &str = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
const JSON_SIGNATURE: &str = "a9nBmqA0ju/hNViExpshrM61xv4=";

const HOOK: &str = "https://bot.example.com/hook?tenant=alpha";

fn validator() -> SignatureValidator {
    SignatureValidator::new(TOKEN)
}

fn url(text: &str) -> PublicUrl {
    PublicUrl::parse(text).unwrap()
}

fn headers(content_type: Option<&str>, signature: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(content_type) = content_type {
        headers.insert("Content-Type", HeaderValue::from_str(content_type).unwrap());
    }
    if let Some(signature) = signature {
        headers.insert(
            "X-Twilio-Signature",
            HeaderValue::from_str(signature).unwrap(),
        );
    }
    headers
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

const FORM: &str = "application/x-www-form-urlencoded";
const NONE: &[(&str, &str)] = &[];

/// POSTs `body` with `content_type` to `target` with `signature`.
fn post(
    public: &PublicUrl,
    target: &str,
    content_type: Option<&str>,
    body: &str,
    signature: &str,
) -> Result<Verified, WebhookError> {
    validator().verify(
        public,
        &Method::POST,
        target,
        &headers(content_type, Some(signature)),
        body.as_bytes(),
    )
}

#[test]
fn a_signed_form_gives_back_exactly_its_signed_pairs() {
    let public = url(HOOK);
    let body = "EventType=onMessageAdded&Body=hi+there&Author=alice";
    let signature = validator().signature(HOOK, &form_pairs(body.as_bytes()));
    let verified = post(&public, "/hook?tenant=alpha", Some(FORM), body, &signature).unwrap();
    assert_eq!(verified.source(), Source::Form);
    assert_eq!(
        verified.pairs(),
        pairs(&[
            ("EventType", "onMessageAdded"),
            ("Body", "hi there"),
            ("Author", "alice")
        ])
    );
    assert_eq!(verified.get("Body"), Some("hi there"));
    assert_eq!(verified.get("Missing"), None);
    assert_eq!(verified.public_url(), &public);
    // A charset parameter is still a form.
    let with_charset = "application/x-www-form-urlencoded; charset=utf-8";
    assert!(post(
        &public,
        "/hook?tenant=alpha",
        Some(with_charset),
        body,
        &signature
    )
    .is_ok());
    // A change to any pair is refused.
    let changed = body.replace("alice", "mallory");
    assert_eq!(
        post(
            &public,
            "/hook?tenant=alpha",
            Some(FORM),
            &changed,
            &signature
        ),
        Err(WebhookError::Signature(SignatureError::Mismatch))
    );
}

#[test]
fn an_exact_repeat_the_signature_cannot_see_is_collapsed() {
    let public = url(HOOK);
    let body = "Tag=a&Tag=b&Other=1";
    let signature = validator().signature(HOOK, &form_pairs(body.as_bytes()));
    // The same signature covers the body with `Tag=a` repeated.
    let repeated = "Tag=a&Tag=b&Tag=a&Other=1&Tag=a";
    let verified = post(
        &public,
        "/hook?tenant=alpha",
        Some(FORM),
        repeated,
        &signature,
    )
    .unwrap();
    assert_eq!(
        verified.pairs(),
        pairs(&[("Tag", "a"), ("Tag", "b"), ("Other", "1")])
    );
    // A repeated name with distinct values is kept (the signature covers each).
    let verified = post(&public, "/hook?tenant=alpha", Some(FORM), body, &signature).unwrap();
    assert_eq!(verified.into_pairs(), form_pairs(body.as_bytes()));
}

#[test]
fn a_json_body_is_read_only_when_bodysha256_signs_it() {
    let public = url(URL);
    let target = format!("/myapp.php?foo=1&bar=2&bodySHA256={JSON_BODY_SHA256}");
    let json = Some("application/json");
    let verified = post(&public, &target, json, JSON_BODY, JSON_SIGNATURE).unwrap();
    assert_eq!(verified.source(), Source::Json);
    // The object's fields; their order is serde_json's map order, which
    // depends on its `preserve_order` feature (on in this workspace's
    // unified build, off in the crate alone), so compared sorted.
    let mut got = verified.pairs().to_vec();
    got.sort();
    assert_eq!(got, pairs(&[("boolean", "true"), ("property", "value")]));
    // `+json` media types and upper-case hex are JSON too.
    let upper = target.to_ascii_uppercase().replace(
        "/MYAPP.PHP?FOO=1&BAR=2&BODYSHA256=",
        "/myapp.php?foo=1&bar=2&bodySHA256=",
    );
    let signature = validator().signature(&format!("https://mycompany.com{upper}"), NONE);
    let problem = Some("application/problem+json");
    assert!(post(&public, &upper, problem, JSON_BODY, &signature).is_ok());

    // Another body under the same hash, and a signed hash of a non-object.
    let evil = r#"{"property": "evil", "boolean": true}"#;
    assert_eq!(
        post(&public, &target, json, evil, JSON_SIGNATURE),
        Err(WebhookError::Signature(SignatureError::BodyHashMismatch))
    );
    let array = "[1]";
    let array_target = format!("/myapp.php?foo=1&bar=2&bodySHA256={}", sha256_hex(array));
    let signature = validator().signature(&format!("https://mycompany.com{array_target}"), NONE);
    let refused = post(&public, &array_target, json, array, &signature).unwrap_err();
    assert_eq!(
        refused,
        WebhookError::Json("the webhook body is JSON but not an object".into())
    );
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);

    // JSON without bodySHA256: nothing signs the body.
    let url_only = validator().signature(URL, NONE);
    let refused = post(
        &public,
        "/myapp.php?foo=1&bar=2",
        json,
        JSON_BODY,
        &url_only,
    )
    .unwrap_err();
    assert_eq!(refused, WebhookError::MissingBodyHash);
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // A bodySHA256 URL whose body does not say it is JSON is never read.
    for content_type in [Some("text/plain"), Some(FORM), None] {
        let refused = post(&public, &target, content_type, JSON_BODY, JSON_SIGNATURE).unwrap_err();
        assert_eq!(
            refused,
            WebhookError::UnsupportedMediaType,
            "{content_type:?}"
        );
        assert_eq!(refused.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    // bodySHA256 and anything more appended: not what Twilio sends.
    let more = format!("{target}&extra=1");
    assert_eq!(
        post(&public, &more, json, JSON_BODY, JSON_SIGNATURE),
        Err(WebhookError::QueryMismatch)
    );
}

fn sha256_hex(body: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(body.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_body_twilio_does_not_sign_is_refused_before_any_signature() {
    let public = url(HOOK);
    let target = "/hook?tenant=alpha";
    let url_only = validator().signature(HOOK, NONE);
    let forged = "Body=forged+text&Author=mallory";
    for content_type in [
        None,
        Some("text/plain"),
        Some("multipart/form-data; boundary=x"),
        Some("application/octet-stream"),
    ] {
        let refused = post(&public, target, content_type, forged, &url_only).unwrap_err();
        assert_eq!(
            refused,
            WebhookError::UnsupportedMediaType,
            "{content_type:?}"
        );
        assert_eq!(refused.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    // Two Content-Type headers: which one is meant is unknown.
    let mut two = headers(Some(FORM), Some(&url_only));
    two.append("Content-Type", HeaderValue::from_static("text/plain"));
    assert_eq!(
        validator().verify(&public, &Method::POST, target, &two, forged.as_bytes()),
        Err(WebhookError::UnsupportedMediaType)
    );
    // An empty POST without Content-Type has no fields, and is signed as such.
    let empty = validator()
        .verify(
            &public,
            &Method::POST,
            target,
            &headers(None, Some(&url_only)),
            b"",
        )
        .unwrap();
    assert_eq!((empty.source(), empty.pairs()), (Source::Form, &[][..]));
}

#[test]
fn the_url_checked_is_the_configured_one() {
    let public = url(HOOK);
    let body = "EventType=onMessageAdded";
    let params = form_pairs(body.as_bytes());
    // Signed for the URL the request names: the configured one decides.
    for (target, signed_for) in [
        (
            "/hook?tenant=beta",
            "https://bot.example.com/hook?tenant=beta",
        ),
        (
            "/other?tenant=alpha",
            "https://bot.example.com/other?tenant=alpha",
        ),
        ("/hook", "https://bot.example.com/hook"),
        (
            "/hook?tenant=alphabet",
            "https://bot.example.com/hook?tenant=alphabet",
        ),
        (
            "/hook?tenant=alpha&x=1",
            "https://bot.example.com/hook?tenant=alpha&x=1",
        ),
        (
            "/hook?tenant=alpha&",
            "https://bot.example.com/hook?tenant=alpha&",
        ),
        (
            "/hook/?tenant=alpha",
            "https://bot.example.com/hook/?tenant=alpha",
        ),
    ] {
        let signature = validator().signature(signed_for, &params);
        let refused = post(&public, target, Some(FORM), body, &signature).unwrap_err();
        let expected = if target == "/hook" || target.starts_with("/hook?") {
            WebhookError::QueryMismatch
        } else {
            WebhookError::UnknownPath
        };
        assert_eq!(refused, expected, "{target}");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
    // The default port may be there or not, as with `validate`.
    let with_port = url("https://bot.example.com:443/hook?tenant=alpha");
    let signature = validator().signature(HOOK, &params);
    assert!(post(
        &with_port,
        "/hook?tenant=alpha",
        Some(FORM),
        body,
        &signature
    )
    .is_ok());
}

#[test]
fn a_get_webhook_reads_only_the_fields_appended_to_the_configured_query() {
    let public = url(HOOK);
    let target = "/hook?tenant=alpha&EventType=onConversationStateUpdated&StateTo=closed";
    let signature = validator().signature(&format!("https://bot.example.com{target}"), NONE);
    let get = |target: &str, signature: &str, body: &[u8]| {
        validator().verify(
            &public,
            &Method::GET,
            target,
            &headers(None, Some(signature)),
            body,
        )
    };
    let verified = get(target, &signature, b"").unwrap();
    assert_eq!(verified.source(), Source::Query);
    assert_eq!(
        verified.pairs(),
        pairs(&[
            ("EventType", "onConversationStateUpdated"),
            ("StateTo", "closed")
        ])
    );
    // The configured query alone: no fields.
    let bare = validator().signature(HOOK, NONE);
    assert_eq!(
        get("/hook?tenant=alpha", &bare, b"").unwrap().pairs(),
        &[][..]
    );
    // A field changed, a body, another method.
    assert_eq!(
        get(&target.replace("closed", "active"), &signature, b""),
        Err(WebhookError::Signature(SignatureError::Mismatch))
    );
    assert_eq!(
        get(target, &signature, b"x=1"),
        Err(WebhookError::UnexpectedBody)
    );
    let put = validator().verify(
        &public,
        &Method::PUT,
        target,
        &headers(Some(FORM), Some(&signature)),
        b"",
    );
    assert_eq!(put, Err(WebhookError::UnsupportedMethod));
    assert_eq!(
        WebhookError::UnsupportedMethod.status(),
        StatusCode::METHOD_NOT_ALLOWED
    );
    // A URL without a query: the fields follow `?`.
    let plain = url("https://bot.example.com/plain");
    let signed = validator().signature("https://bot.example.com/plain?A=1", NONE);
    let verified = validator()
        .verify(
            &plain,
            &Method::GET,
            "/plain?A=1",
            &headers(None, Some(&signed)),
            b"",
        )
        .unwrap();
    assert_eq!(verified.pairs(), pairs(&[("A", "1")]));
}

#[test]
fn several_urls_each_verify_their_own_requests() {
    let urls = [
        url("https://bot.example.com/hook?tenant=alpha"),
        url("https://bot.example.com/hook?tenant=beta"),
        url("https://bot.example.com/other"),
    ];
    let body = "EventType=onMessageAdded";
    let params = form_pairs(body.as_bytes());
    let verify = |target: &str, signature: &str| {
        validator().verify_any(
            &urls,
            &Method::POST,
            target,
            &headers(Some(FORM), Some(signature)),
            body.as_bytes(),
        )
    };
    let beta = validator().signature("https://bot.example.com/hook?tenant=beta", &params);
    assert_eq!(
        verify("/hook?tenant=beta", &beta).unwrap().public_url(),
        &urls[1]
    );
    let other = validator().signature("https://bot.example.com/other", &params);
    assert_eq!(verify("/other", &other).unwrap().public_url(), &urls[2]);
    // Beta's signature on alpha's URL: the URL that got furthest names the refusal.
    assert_eq!(
        verify("/hook?tenant=alpha", &beta),
        Err(WebhookError::Signature(SignatureError::Mismatch))
    );
    assert_eq!(
        verify("/hook?tenant=gamma", &beta),
        Err(WebhookError::QueryMismatch)
    );
    assert_eq!(verify("/nowhere", &beta), Err(WebhookError::UnknownPath));
    assert_eq!(
        validator().verify_any(&[], &Method::POST, "/hook", &HeaderMap::new(), b""),
        Err(WebhookError::UnknownPath)
    );
}

#[test]
fn a_missing_or_unreadable_signature_is_refused() {
    let public = url(HOOK);
    let body = "EventType=onMessageAdded";
    let refused = validator()
        .verify(
            &public,
            &Method::POST,
            "/hook?tenant=alpha",
            &headers(Some(FORM), None),
            body.as_bytes(),
        )
        .unwrap_err();
    assert_eq!(
        refused,
        WebhookError::Signature(SignatureError::MissingSignature)
    );
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let mut bad = headers(Some(FORM), None);
    bad.insert(
        "X-Twilio-Signature",
        HeaderValue::from_bytes(b"\xff").unwrap(),
    );
    assert_eq!(
        validator().verify(
            &public,
            &Method::POST,
            "/hook?tenant=alpha",
            &bad,
            body.as_bytes()
        ),
        Err(WebhookError::Signature(SignatureError::MalformedSignature))
    );
}

#[test]
fn a_blank_auth_token_is_refused_and_never_used_as_a_key() {
    for token in ["", "   ", "\t\n"] {
        assert_eq!(
            SignatureValidator::try_new(token).unwrap_err(),
            WebhookError::BlankAuthToken
        );
        // Made anyway: every request is refused, even one signed with that key.
        let blank = SignatureValidator::new(token);
        let body = "EventType=onMessageAdded";
        let signature = blank.signature(HOOK, &form_pairs(body.as_bytes()));
        let refused = blank
            .verify(
                &url(HOOK),
                &Method::POST,
                "/hook?tenant=alpha",
                &headers(Some(FORM), Some(&signature)),
                body.as_bytes(),
            )
            .unwrap_err();
        assert_eq!(refused, WebhookError::BlankAuthToken);
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            blank.validate_form(HOOK, body.as_bytes(), &signature),
            Err(SignatureError::Mismatch)
        );
    }
    assert!(SignatureValidator::try_new(" x ").is_ok());
    assert_eq!(
        WebhookError::BlankAuthToken.to_string(),
        "the auth token is empty or blank, so no request can be checked"
    );
}

#[test]
fn a_public_url_is_absolute_http_without_fragment() {
    let parsed = url("https://bot.example.com:8443/a/b?x=1&y=2");
    assert_eq!(parsed.as_str(), "https://bot.example.com:8443/a/b?x=1&y=2");
    assert_eq!((parsed.path(), parsed.query()), ("/a/b", Some("x=1&y=2")));
    let bare = url("http://bot.example.com");
    assert_eq!((bare.path(), bare.query()), ("/", None));
    let query_only: PublicUrl = "https://bot.example.com?x=1".parse().unwrap();
    assert_eq!((query_only.path(), query_only.query()), ("/", Some("x=1")));
    for (text, error) in [
        ("/hook", PublicUrlError::NotAbsolute),
        ("bot.example.com/hook", PublicUrlError::NotAbsolute),
        ("https:///hook", PublicUrlError::NotAbsolute),
        ("https://", PublicUrlError::NotAbsolute),
        ("https://bot.example.com/a b", PublicUrlError::NotAbsolute),
        ("ftp://bot.example.com/hook", PublicUrlError::NotHttp),
        ("https://bot.example.com/hook#top", PublicUrlError::Fragment),
        ("https://bot.example.com/hook?", PublicUrlError::EmptyQuery),
    ] {
        assert_eq!(PublicUrl::parse(text), Err(error), "{text}");
    }
    // Credentials in the URL are signed, but not shown.
    let secret = url("https://user:secret@bot.example.com/hook");
    assert_eq!(
        format!("{secret:?}"),
        r#"PublicUrl("https://***@bot.example.com/hook")"#
    );
}
