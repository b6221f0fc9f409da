//! The receiving side: `runtime::webhook`'s signature checks against Twilio's
//! published examples and property tests, the generated `webhooks` events
//! read from verified (signed) form, JSON and GET requests, and pre-action
//! answers as responses.

use http::{HeaderMap, HeaderValue, Method};
use proptest::prelude::*;
use twilio_conversations_webhooks::models::{
    WebhookEventConversationState, WebhookEventDeliveryStatus,
};
use twilio_conversations_webhooks::runtime::webhook::{
    form_pairs, json_pairs, Changes, ConversationChanges, EventError, MessageChanges,
    PreActionResponse, PublicUrl, RawEvent, SignatureError, SignatureValidator, Source, Verified,
    WebhookError,
};
use twilio_conversations_webhooks::webhooks::{
    Event, OnConversationStateUpdated, OnDeliveryUpdated, OnMessageAdded,
};

// The worked example of Twilio's webhook-security documentation (the one its
// helper libraries test against): auth token, URL, the POST parameters of a
// <Gather>, and the signature Twilio sends for them.
const TOKEN: &str = "12345";
const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS: [(&str, &str); 5] = [
    ("CallSid", "CA1234567890ABCDE"),
    ("Caller", "+14158675309"),
    ("Digits", "1234"),
    ("From", "+14158675309"),
    ("To", "+18005551212"),
];
const SIGNATURE: &str = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
// The JSON variant: the body, its SHA-256 in the URL, the URL-only signature.
const JSON_BODY: &str = r#"{"property": "value", "boolean": true}"#;
const JSON_BODY_SHA256: &str = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
const JSON_SIGNATURE: &str = "a9nBmqA0ju/hNViExpshrM61xv4=";

fn validator() -> SignatureValidator {
    SignatureValidator::new(TOKEN)
}

fn public_url() -> PublicUrl {
    PublicUrl::parse(URL).unwrap()
}

/// The request target of `URL`, with `appended` after its query.
fn target(appended: &str) -> String {
    let base = "/myapp.php?foo=1&bar=2";
    if appended.is_empty() {
        base.to_owned()
    } else {
        format!("{base}&{appended}")
    }
}

fn headers(content_type: &str, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("Content-Type", HeaderValue::from_str(content_type).unwrap());
    headers.insert(
        "X-Twilio-Signature",
        HeaderValue::from_str(signature).unwrap(),
    );
    headers
}

/// `body` POSTed as a form to `URL`, signed as Twilio signs it, and verified.
fn verified_form(body: &[u8]) -> Verified {
    let signature = validator().signature(URL, &form_pairs(body));
    let headers = headers("application/x-www-form-urlencoded", &signature);
    validator()
        .verify(&public_url(), &Method::POST, &target(""), &headers, body)
        .unwrap()
}

/// `body` POSTed as JSON to `URL` with its `bodySHA256`, signed, verified.
fn verified_json(body: &[u8]) -> Verified {
    use sha2::Digest as _;
    let hash: String = sha2::Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let appended = format!("bodySHA256={hash}");
    let signature = validator().signature::<&str, &str>(&format!("{URL}&{appended}"), &[]);
    let headers = headers("application/json", &signature);
    validator()
        .verify(
            &public_url(),
            &Method::POST,
            &target(&appended),
            &headers,
            body,
        )
        .unwrap()
}

#[test]
fn the_documented_example_gives_the_documented_signature() {
    assert_eq!(validator().signature(URL, &PARAMS), SIGNATURE);
    assert_eq!(validator().validate(URL, &PARAMS, SIGNATURE), Ok(()));
}

#[test]
fn any_change_to_the_documented_example_is_refused() {
    let mut changed = PARAMS;
    changed[2].1 = "9999";
    assert_eq!(
        validator().validate(URL, &changed, SIGNATURE),
        Err(SignatureError::Mismatch)
    );
    let url = "https://mycompany.com/myapp.php?foo=1&bar=3";
    assert_eq!(
        validator().validate(url, &PARAMS, SIGNATURE),
        Err(SignatureError::Mismatch)
    );
    let other_token = SignatureValidator::new("54321");
    assert_eq!(
        other_token.validate(URL, &PARAMS, SIGNATURE),
        Err(SignatureError::Mismatch)
    );
    let mut extra = PARAMS.to_vec();
    extra.push(("Extra", ""));
    assert_eq!(
        validator().validate(URL, &extra, SIGNATURE),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        validator().validate(URL, &PARAMS, ""),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn the_default_port_may_be_there_or_not() {
    // Signed without the port, received with it, and the other way round.
    let with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
    assert_eq!(validator().validate(with_port, &PARAMS, SIGNATURE), Ok(()));
    let signed_with_port = validator().signature(with_port, &PARAMS);
    assert_eq!(
        validator().validate(URL, &PARAMS, &signed_with_port),
        Ok(())
    );
    // Twilio's libraries' http example: the signature of the URL with `:80`.
    let http = "http://mycompany.com/myapp.php?foo=1&bar=2";
    assert_eq!(
        validator().validate(http, &PARAMS, "0ZXoZLH/DfblKGATFgpif+LLRf4="),
        Ok(())
    );
    // Another port is another URL, and the port of one scheme is not the other's.
    let port_1234 = "https://mycompany.com:1234/myapp.php?foo=1&bar=2";
    assert_eq!(
        validator().validate(port_1234, &PARAMS, SIGNATURE),
        Err(SignatureError::Mismatch)
    );
    let http_443 = "http://mycompany.com:443/myapp.php?foo=1&bar=2";
    let http_signature = validator().signature(http, &PARAMS);
    assert_eq!(
        validator().validate(http_443, &PARAMS, &http_signature),
        Err(SignatureError::Mismatch)
    );
    // Credentials in the URL and IPv6 hosts keep their place.
    let userinfo = "https://user:pa:ss@[::1]/hook";
    let signed = validator().signature("https://user:pa:ss@[::1]:443/hook", &PARAMS);
    assert_eq!(validator().validate(userinfo, &PARAMS, &signed), Ok(()));
}

#[test]
fn a_json_body_is_checked_by_its_sha256() {
    let url = format!("{URL}&bodySHA256={JSON_BODY_SHA256}");
    assert_eq!(
        validator().validate_body(&url, JSON_BODY.as_bytes(), JSON_SIGNATURE),
        Ok(())
    );
    assert_eq!(
        validator().validate_body(
            &url,
            br#"{"property": "evil", "boolean": true}"#,
            JSON_SIGNATURE
        ),
        Err(SignatureError::BodyHashMismatch)
    );
    // Without the hash in the URL the body is not covered at all: refused.
    assert_eq!(
        validator().validate_body(
            URL,
            JSON_BODY.as_bytes(),
            &validator().signature::<&str, &str>(URL, &[])
        ),
        Err(SignatureError::BodyHashMismatch)
    );
    // The whole request: verified, its JSON read as pairs.
    let headers = headers("application/json", JSON_SIGNATURE);
    let target = target(&format!("bodySHA256={JSON_BODY_SHA256}"));
    let verified = validator()
        .verify(
            &public_url(),
            &Method::POST,
            &target,
            &headers,
            JSON_BODY.as_bytes(),
        )
        .unwrap();
    assert_eq!(verified.source(), Source::Json);
    assert_eq!(verified.pairs(), json_pairs(JSON_BODY.as_bytes()).unwrap());
    assert_eq!(verified, verified_json(JSON_BODY.as_bytes()));
}

#[test]
fn a_request_is_checked_with_its_header_and_body() {
    let body = "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";
    let verify = |headers: &HeaderMap, body: &str| {
        validator().verify(
            &public_url(),
            &Method::POST,
            &target(""),
            headers,
            body.as_bytes(),
        )
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        "Content-Type",
        HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"),
    );
    assert_eq!(
        verify(&headers, body),
        Err(WebhookError::Signature(SignatureError::MissingSignature))
    );
    headers.insert("x-twilio-signature", HeaderValue::from_static(SIGNATURE));
    // Twilio's documented request: exactly its parameters come back.
    let verified = verify(&headers, body).unwrap();
    assert_eq!(verified.source(), Source::Form);
    assert_eq!(
        verified.pairs(),
        PARAMS.map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    let tampered = body.replace("Digits=1234", "Digits=1235");
    assert_eq!(
        verify(&headers, &tampered),
        Err(WebhookError::Signature(SignatureError::Mismatch))
    );
    headers.insert(
        "X-Twilio-Signature",
        HeaderValue::from_bytes(b"\xff").unwrap(),
    );
    assert_eq!(
        verify(&headers, body),
        Err(WebhookError::Signature(SignatureError::MalformedSignature))
    );
    assert_eq!(
        SignatureError::Mismatch.to_string(),
        "the X-Twilio-Signature does not match the URL and parameters"
    );
}

#[test]
fn the_auth_token_is_not_in_debug_output() {
    let shown = format!("{:?}", SignatureValidator::new("super-secret-token"));
    assert_eq!(shown, r#"SignatureValidator { auth_token: "<redacted>" }"#);
}

/// The signature as Twilio documents it, written out again independently:
/// the URL, then each name and value sorted by name (a repeated name's
/// distinct values sorted too, as Twilio's libraries do).
fn oracle(url: &str, params: &[(String, String)]) -> String {
    use base64::Engine as _;
    use hmac::Mac as _;
    let mut names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    names.sort();
    names.dedup();
    let mut data = url.to_owned();
    for name in names {
        let mut values: Vec<&str> = params
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect();
        values.sort();
        values.dedup();
        for value in values {
            data.push_str(name);
            data.push_str(value);
        }
    }
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(TOKEN.as_bytes()).unwrap();
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Names and values with repeats, unicode, spaces, `+`, `%`, `&` and `=`.
fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    let text = prop_oneof![
        "[A-Za-z]{1,8}",
        "[a-c]{1,2}",
        "[ +%&=a\u{e9}\u{2713}\u{1f600}]{0,6}",
        any::<String>(),
    ];
    let names = prop_oneof!["[A-Z][a-z]{0,5}", "[a-c]{1,2}", "[\u{e9}\u{1f600} +]{1,3}"];
    proptest::collection::vec((names, text), 0..12)
}

/// A form body for `pairs`, spaces written as `+` or as `%20` as `plus` says.
fn encode(pairs: &[(String, String)], plus: bool) -> String {
    let mut body = form_urlencoded::Serializer::new(String::new());
    body.extend_pairs(pairs);
    let body = body.finish();
    if plus {
        body
    } else {
        body.replace('+', "%20")
    }
}

proptest! {
    #[test]
    fn the_signature_is_the_documented_one_in_any_parameter_order(
        pairs in params(),
        order in any::<proptest::sample::Index>(),
        seed in any::<u64>(),
    ) {
        let expected = oracle(URL, &pairs);
        prop_assert_eq!(validator().signature(URL, &pairs), expected.clone());
        // Any other order of the same pairs: a rotation and a shuffle.
        let mut rotated = pairs.clone();
        if !rotated.is_empty() {
            let by = order.index(rotated.len());
            rotated.rotate_left(by);
        }
        prop_assert_eq!(validator().validate(URL, &rotated, &expected), Ok(()));
        let mut shuffled = pairs.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(validator().validate(URL, &shuffled, &expected), Ok(()));
    }

    #[test]
    fn a_form_body_is_checked_by_its_decoded_values(pairs in params(), plus in any::<bool>()) {
        let body = encode(&pairs, plus);
        prop_assert_eq!(form_pairs(body.as_bytes()), pairs.clone());
        let signature = oracle(URL, &pairs);
        prop_assert_eq!(validator().validate_form(URL, body.as_bytes(), &signature), Ok(()));
        // The same body with one more pair is another request.
        let longer = format!("{body}&Zz=1");
        prop_assert_eq!(
            validator().validate_form(URL, longer.as_bytes(), &signature),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn any_signed_form_body_reads_as_some_event(body in proptest::collection::vec(any::<u8>(), 0..200)) {
        // Never fails, whatever the bytes; an unknown type keeps every
        // signed pair (each distinct pair once, in order).
        let verified = verified_form(&body);
        let mut distinct = Vec::new();
        for pair in form_pairs(&body) {
            if !distinct.contains(&pair) {
                distinct.push(pair);
            }
        }
        prop_assert_eq!(verified.pairs(), &distinct[..]);
        match Event::from_verified(&verified) {
            Event::Other(raw) => prop_assert_eq!(raw.fields, distinct),
            known => prop_assert!(known.event_type().is_some()),
        }
    }

    #[test]
    fn verify_returns_exactly_the_signed_pairs(pairs in params(), plus in any::<bool>(), repeat in any::<proptest::sample::Index>()) {
        let body = encode(&pairs, plus);
        let verified = verified_form(body.as_bytes());
        let mut distinct: Vec<(String, String)> = Vec::new();
        for pair in &pairs {
            if !distinct.contains(pair) {
                distinct.push(pair.clone());
            }
        }
        prop_assert_eq!(verified.pairs(), &distinct[..]);
        // An exact repeat of a signed pair, which the same signature covers,
        // changes nothing that is read.
        if !pairs.is_empty() {
            let extra = &pairs[repeat.index(pairs.len())];
            let longer = format!("{body}&{}", encode(std::slice::from_ref(extra), plus));
            let signature = validator().signature(URL, &pairs);
            let headers = headers("application/x-www-form-urlencoded", &signature);
            let again = validator()
                .verify(&public_url(), &Method::POST, &target(""), &headers, longer.as_bytes())
                .unwrap();
            prop_assert_eq!(again.pairs(), &distinct[..]);
        }
    }
}

#[test]
fn a_form_body_becomes_a_typed_event() {
    let body = "EventType=onDeliveryUpdated&AccountSid=ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
&MessageSid=IMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&Status=read&ErrorCode=0&Unexpected=kept\
&RetryCount=twice";
    let Event::OnDeliveryUpdated(event) = Event::from_verified(&verified_form(body.as_bytes()))
    else {
        panic!("not a delivery update");
    };
    assert_eq!(event, {
        let mut expected = OnDeliveryUpdated::default();
        expected.account_sid = Some("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into());
        expected.message_sid = Some("IMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into());
        expected.status = Some(WebhookEventDeliveryStatus::Read);
        expected.error_code = Some(0);
        // Unknown fields, and a value that is not its field's type, as received.
        expected.other = [("RetryCount", "twice"), ("Unexpected", "kept")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into();
        expected
    });
    assert_eq!(OnDeliveryUpdated::EVENT_TYPE, "onDeliveryUpdated");
}

#[test]
fn enums_keep_unknown_values_and_json_text_that_is_not_json_is_kept() {
    let body =
        "EventType=onConversationStateUpdated&StateFrom=active&StateTo=archived&Reason=TIMER";
    let event = OnConversationStateUpdated::from_verified(&verified_form(body.as_bytes()));
    assert_eq!(
        event.state_from,
        Some(WebhookEventConversationState::Active)
    );
    assert_eq!(
        event.state_to,
        Some(WebhookEventConversationState::Other("archived".into()))
    );
    let body = "EventType=onMessageAdded&Attributes=not+json&Index=7";
    let event = OnMessageAdded::from_verified(&verified_form(body.as_bytes()));
    assert_eq!(event.attributes, None);
    assert_eq!(event.index, Some(7));
    assert_eq!(
        event.other.get("Attributes").map(String::as_str),
        Some("not json")
    );
}

#[test]
fn an_unknown_event_type_keeps_every_pair() {
    // `A=1` twice is one signed pair: it is read once.
    let body = "EventType=onTomorrow&A=1&A=2&A=1&B=%E2%9C%93";
    let event = Event::from_verified(&verified_form(body.as_bytes()));
    assert_eq!(event.event_type(), Some("onTomorrow"));
    assert_eq!(
        event,
        Event::Other(RawEvent {
            event_type: Some("onTomorrow".into()),
            fields: [
                ("EventType", "onTomorrow"),
                ("A", "1"),
                ("A", "2"),
                ("B", "\u{2713}")
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into(),
        })
    );
    // Without any EventType too.
    assert_eq!(Event::from_verified(&verified_form(b"")).event_type(), None);
}

#[test]
fn a_json_body_reads_like_a_form() {
    let body = br#"{"EventType": "onMessageAdded", "Index": 4, "Attributes": {"a": [1]}, "Body": null, "Media": [{"Sid": "ME1", "Size": 2}]}"#;
    let Event::OnMessageAdded(event) = Event::from_verified(&verified_json(body)) else {
        panic!("not a message");
    };
    assert_eq!(event.index, Some(4));
    assert_eq!(event.attributes, Some(serde_json::json!({"a": [1]})));
    assert_eq!(event.body, None);
    let media = event.media.unwrap();
    assert_eq!(
        (media[0].sid.as_deref(), media[0].size),
        (Some("ME1"), Some(2))
    );
    // An array of scalars is a repeated key, as in a form.
    assert_eq!(
        json_pairs(br#"{"Tags": ["a", 1, true, null]}"#).unwrap(),
        [("Tags", "a"), ("Tags", "1"), ("Tags", "true")].map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert!(matches!(json_pairs(b"[1]"), Err(EventError::NotAnObject)));
    assert!(matches!(json_pairs(b"{"), Err(EventError::Json(_))));
}

#[test]
fn pre_action_answers_render_as_responses() {
    let accept = PreActionResponse::Accept.into_response();
    assert_eq!(accept.status(), 200);
    assert!(accept.body().is_empty());
    let reject = PreActionResponse::Reject.into_response();
    assert_eq!(reject.status(), 422);
    assert!(reject.body().is_empty());
    let modify = PreActionResponse::Modify(Changes::Message(MessageChanges {
        body: Some("[redacted]".into()),
        author: None,
        attributes: Some(r#"{"checked":true}"#.into()),
    }))
    .into_response();
    assert_eq!(modify.status(), 200);
    assert_eq!(modify.headers()["content-type"], "application/json");
    assert_eq!(
        String::from_utf8(modify.into_body()).unwrap(),
        r#"{"attributes":"{\"checked\":true}","body":"[redacted]"}"#
    );
    let conversation = Changes::Conversation(ConversationChanges {
        friendly_name: Some("Support".into()),
        ..ConversationChanges::default()
    });
    assert_eq!(
        String::from_utf8(
            PreActionResponse::Modify(conversation)
                .into_response()
                .into_body()
        )
        .unwrap(),
        r#"{"friendly_name":"Support"}"#
    );
}

#[test]
fn repeated_names_are_signed_as_twilios_libraries_sign_them() {
    // The array-parameter example of Twilio's helper libraries' tests: values
    // sorted, each distinct one counted once.
    let params = [
        ("Sid", "CA123"),
        ("SidAccount", "AC123"),
        ("Digits", "5678"),
        ("Digits", "1234"),
        ("Digits", "1234"),
    ];
    assert_eq!(
        validator().signature(URL, &params),
        "IK+Dwps556ElfBT0I3Rgjkr1wJU="
    );
}
