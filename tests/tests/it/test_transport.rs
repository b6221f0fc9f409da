//! The test transport (feature `test-util`), used as a downstream crate would:
//! code written against the generated `Client` is tested without a server,
//! replaying recorded Twilio responses, and the requests it sent are checked.
//! Limits, retries and paging run as they do over the network.

use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use http::{Method, StatusCode};
use integration_tests::{ACCOUNT_SID, AUTH_TOKEN, BASIC_AUTH, CONVERSATION_SID, WEBHOOK_SID};
use twilio_conversations_webhooks::models::ConversationScopedWebhookTarget;
use twilio_conversations_webhooks::requests::{
    CreateConversationScopedWebhookParams, ListConversationScopedWebhookParams,
};
use twilio_conversations_webhooks::runtime::test_util::{Replay, ReplayResponse};
use twilio_conversations_webhooks::{Client, Credentials, Error, Limits, RetryPolicy};

const BASE: &str =
    "https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks";

// ---------- "downstream" code under test ----------

/// The configured URL of every webhook of a conversation, all pages read.
async fn webhook_urls(client: &Client, conversation: &str) -> Result<Vec<String>, Error> {
    let params = ListConversationScopedWebhookParams::new().page_size(2);
    client
        .list_conversation_scoped_webhook_stream(conversation, &params, None)?
        .map_ok(|webhook| {
            webhook
                .typed_configuration()
                .ok()
                .flatten()
                .and_then(|configuration| configuration.url)
                .unwrap_or_default()
        })
        .try_collect()
        .await
}

/// Removes a webhook; one already gone is fine.
async fn remove_webhook(client: &Client, conversation: &str, sid: &str) -> Result<bool, Error> {
    match client
        .delete_conversation_scoped_webhook(conversation, sid)
        .await
    {
        Ok(()) => Ok(true),
        Err(err) if err.is_not_found() => Ok(false),
        Err(err) => Err(err),
    }
}

// ---------- recordings ----------

fn client(replay: &Replay) -> Client {
    Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .test_transport(replay.clone())
        .build()
        .unwrap()
}

fn webhook(sid_digit: char, url: &str) -> String {
    let sid = format!("WH{}", sid_digit.to_string().repeat(32));
    format!(
        r#"{{"sid": "{sid}", "account_sid": "{ACCOUNT_SID}", "conversation_sid": "{CONVERSATION_SID}",
            "target": "webhook", "url": "{BASE}/{sid}",
            "configuration": {{"url": "{url}", "method": "POST", "filters": ["onMessageAdded"]}},
            "date_created": "2026-01-05T10:00:00Z", "date_updated": "2026-01-05T10:00:00Z"}}"#
    )
}

/// A page as Twilio sends it: absolute URLs on its own host in `meta`.
fn page(number: u32, webhooks: &[String], next: Option<&str>) -> ReplayResponse {
    let url = format!("{BASE}?PageSize=2&Page={number}");
    let next = next.map_or("null".to_owned(), |next| format!("\"{next}\""));
    ReplayResponse::json(
        200,
        format!(
            r#"{{"webhooks": [{}], "meta": {{"page": {number}, "page_size": 2,
                "first_page_url": "{BASE}?PageSize=2&Page=0", "previous_page_url": null,
                "url": "{url}", "next_page_url": {next}, "key": "webhooks"}}}}"#,
            webhooks.join(",")
        ),
    )
}

const SECOND_PAGE: &str = "https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks?PageSize=2&Page=1&PageToken=PAWHbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

const TWILIO_404: &str = r#"{"code": 20404, "message": "The requested resource /Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks/WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}"#;

// ---------- tests ----------

#[tokio::test]
async fn lists_every_webhook_across_two_recorded_pages() {
    let replay = Replay::new();
    replay
        .route(
            Method::GET,
            &format!("{BASE}?PageSize=2"),
            page(
                0,
                &[
                    webhook('a', "https://example.com/one"),
                    webhook('b', "https://example.com/two"),
                ],
                Some(SECOND_PAGE),
            ),
        )
        .route(
            Method::GET,
            SECOND_PAGE,
            page(1, &[webhook('c', "https://example.com/three")], None),
        );

    let urls = webhook_urls(&client(&replay), CONVERSATION_SID)
        .await
        .unwrap();
    assert_eq!(
        urls,
        [
            "https://example.com/one",
            "https://example.com/two",
            "https://example.com/three"
        ]
    );

    // Exactly two requests, the second to the recorded absolute URL.
    let requests = replay.requests();
    let sent: Vec<String> = requests
        .iter()
        .map(|request| format!("{} {}", request.method(), request.uri()))
        .collect();
    assert_eq!(
        sent,
        [
            format!("GET {BASE}?PageSize=2"),
            format!("GET {SECOND_PAGE}")
        ]
    );
    for request in &requests {
        assert_eq!(request.header("authorization"), Some(BASIC_AUTH));
        assert_eq!(request.header("accept"), Some("application/json"));
        assert!(request.body().is_empty());
    }
    assert_eq!(
        requests[1].query_pairs(),
        [
            ("PageSize".to_owned(), "2".to_owned()),
            ("Page".to_owned(), "1".to_owned()),
            (
                "PageToken".to_owned(),
                "PAWHbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb".to_owned()
            ),
        ]
    );
}

#[tokio::test]
async fn a_recorded_twilio_404_is_not_found() {
    let replay = Replay::new();
    replay.push(ReplayResponse::json(404, TWILIO_404));
    let client = client(&replay);

    // The downstream code treats "already gone" as success...
    assert!(!remove_webhook(&client, CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap());
    // ...which it can tell from the error itself:
    replay.push(ReplayResponse::json(404, TWILIO_404));
    let err = client
        .fetch_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(!err.is_server_error() && !err.is_rate_limited());
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.code(), Some(20404));
    let api = err.api_error().unwrap();
    assert_eq!(
        api.more_info(),
        Some("https://www.twilio.com/docs/errors/20404")
    );
    assert!(
        api.message().ends_with("was not found"),
        "{}",
        api.message()
    );

    // One request each: a 404 is never retried.
    let sent: Vec<String> = replay
        .requests()
        .iter()
        .map(|request| format!("{} {}", request.method(), request.path()))
        .collect();
    let path = "/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks/WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    assert_eq!(sent, [format!("DELETE {path}"), format!("GET {path}")]);
    assert_eq!(replay.remaining(), 0);
}

#[tokio::test]
async fn a_recorded_rfc_9457_problem_is_an_api_error() {
    let replay = Replay::new();
    replay.push(
        ReplayResponse::new(429)
            .header("content-type", "application/problem+json")
            .body(
                r#"{"type": "https://www.twilio.com/docs/errors/20429", "title": "Too Many Requests",
                    "detail": "Slow down: 100 requests per second at most", "status": 429,
                    "code": 20429, "instance": "/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks"}"#,
            ),
    );
    let client = client(&replay).with_retry_policy(RetryPolicy::none());
    let err = client
        .fetch_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(err.code(), Some(20429));
    let api = err.api_error().unwrap();
    assert_eq!(
        api.problem_type(),
        Some("https://www.twilio.com/docs/errors/20429")
    );
    assert_eq!(api.title(), Some("Too Many Requests"));
    assert_eq!(
        api.detail(),
        Some("Slow down: 100 requests per second at most")
    );
    assert_eq!(
        api.instance(),
        Some("/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks")
    );
    assert_eq!(api.body_status(), Some(429));
    assert_eq!(
        err.to_string(),
        "Twilio API error 20429 (HTTP 429 Too Many Requests): Too Many Requests: \
         Slow down: 100 requests per second at most"
    );
}

#[tokio::test]
async fn routes_match_by_method_path_and_query_before_the_queue() {
    let replay = Replay::new();
    let path = format!("/v1/Conversations/{CONVERSATION_SID}/Webhooks");
    replay
        .route(
            Method::GET,
            &path,
            page(0, &[webhook('a', "https://x/any")], None),
        )
        .route(
            Method::GET,
            &format!("{path}?Page=3"),
            page(3, &[webhook('d', "https://x/page-3")], None),
        )
        .push(ReplayResponse::new(204));
    let client = client(&replay);
    let list = |page: Option<i64>| {
        let client = client.clone();
        async move {
            let mut params = ListConversationScopedWebhookParams::new().page_size(2);
            params.page = page;
            client
                .list_conversation_scoped_webhook(CONVERSATION_SID, &params)
                .await
                .unwrap()
                .webhooks[0]
                .typed_configuration()
                .unwrap()
                .unwrap()
                .url
                .unwrap()
        }
    };
    // The route with more query parameters wins; a route answers each time.
    assert_eq!(list(Some(3)).await, "https://x/page-3");
    assert_eq!(list(Some(1)).await, "https://x/any");
    assert_eq!(list(None).await, "https://x/any");
    // No route for DELETE: the queue answers, once.
    client
        .delete_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap();
    assert_eq!(replay.remaining(), 0);
    // Then nothing is left: a clear error, and the request is still recorded.
    let err = client
        .delete_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotReplayed { ref method, .. } if *method == Method::DELETE));
    assert_eq!(
        err.to_string(),
        format!(
            "the test transport has no response for DELETE \"{BASE}/{WEBHOOK_SID}\": \
             no route matches and the queue is empty"
        )
    );
    assert_eq!(replay.requests().len(), 5);
}

#[tokio::test]
async fn sent_forms_can_be_checked_and_debug_hides_the_credentials() {
    let replay = Replay::new();
    replay.push(ReplayResponse::json(
        201,
        webhook('a', "https://example.com/hook"),
    ));
    let client = client(&replay);
    let mut params =
        CreateConversationScopedWebhookParams::new(ConversationScopedWebhookTarget::Webhook);
    params.configuration_url = Some("https://example.com/hook".into());
    params.configuration_filters = vec!["onMessageAdded".into(), "onMessageRemoved".into()];
    let created = client
        .create_conversation_scoped_webhook(CONVERSATION_SID, &params)
        .await
        .unwrap();
    assert_eq!(created.target.as_deref(), Some("webhook"));

    let request = &replay.requests()[0];
    assert_eq!(request.method(), Method::POST);
    assert_eq!(request.uri().to_string(), BASE);
    let form = request.form_pairs();
    let form: Vec<(&str, &str)> = form
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    assert_eq!(
        form,
        [
            ("Target", "webhook"),
            ("Configuration.Url", "https://example.com/hook"),
            ("Configuration.Filters", "onMessageAdded"),
            ("Configuration.Filters", "onMessageRemoved"),
        ]
    );
    let shown = format!("{request:?} {replay:?} {client:?}");
    assert!(!shown.contains(AUTH_TOKEN), "{shown}");
    assert!(!shown.contains(&BASIC_AUTH[6..]), "{shown}");
    assert!(shown.contains("Sensitive"), "{shown}");
    assert!(shown.contains("test_transport: true"), "{shown}");
}

#[tokio::test]
async fn limits_and_retries_run_over_the_test_transport() {
    tokio::time::pause();
    let replay = Replay::new();
    let client = client(&replay);

    // A 503 is retried (idempotent GET), then the recorded success is used.
    replay
        .push(ReplayResponse::new(503).body("upstream busy"))
        .push(ReplayResponse::json(
            200,
            webhook('a', "https://example.com/hook"),
        ));
    let webhook = client
        .fetch_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap();
    assert_eq!(
        webhook
            .typed_configuration()
            .unwrap()
            .unwrap()
            .url
            .as_deref(),
        Some("https://example.com/hook")
    );
    assert_eq!(replay.requests().len(), 2);

    // A body over the limit is refused: declared, or as it is read.
    let small = client.with_limits(Limits {
        max_response_bytes: 16,
        ..Limits::default()
    });
    replay.push(ReplayResponse::json(200, vec![b' '; 17]));
    replay.push(ReplayResponse::json(200, "{}").header("content-length", "1000000"));
    for declared in [None, Some(1_000_000)] {
        match small.fetch_configuration_webhook().await {
            Err(Error::BodyTooLarge {
                status,
                limit: 16,
                content_length,
            }) => {
                assert_eq!(status, StatusCode::OK);
                assert_eq!(content_length, declared);
            }
            other => panic!("{other:?}"),
        }
    }

    // A slow recording counts against the attempt timeout.
    replay.push(ReplayResponse::json(200, "{}").delay(Duration::from_secs(60)));
    let err = client
        .with_timeout(Duration::from_secs(1))
        .with_retry_policy(RetryPolicy::none())
        .fetch_configuration_webhook()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(replay.remaining(), 0);
}

#[tokio::test]
async fn a_recorded_page_on_another_host_is_still_refused() {
    let replay = Replay::new();
    replay.push(page(
        0,
        &[webhook('a', "https://example.com/one")],
        Some("https://evil.example/v1/Conversations?Page=1"),
    ));
    let results: Vec<Result<_, Error>> = client(&replay)
        .list_conversation_scoped_webhook_stream(
            CONVERSATION_SID,
            &ListConversationScopedWebhookParams::default(),
            None,
        )
        .unwrap()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(
        matches!(&results[1], Err(Error::ForeignPageUrl { url, .. }) if url.starts_with("https://evil.example/")),
        "{:?}",
        results[1]
    );
    assert_eq!(replay.requests().len(), 1);
}

/// On Twilio's own origin (which a 127.0.0.1 server cannot be), a next page
/// spelled with the explicit default port `:443` is a page already fetched:
/// the listing ends there, the recording queued after it is never asked for.
#[tokio::test]
async fn a_next_page_naming_a_fetched_page_with_port_443_ends_the_listing() {
    let with_port = |url: &str| {
        url.replacen(
            "https://conversations.twilio.com/",
            "https://conversations.twilio.com:443/",
            1,
        )
    };
    let first_page = format!("{BASE}?PageSize=2");
    for (what, again) in [
        ("the page just read", with_port(SECOND_PAGE)),
        ("the first page", with_port(&first_page)),
    ] {
        let replay = Replay::new();
        replay
            .push(page(
                0,
                &[
                    webhook('a', "https://example.com/one"),
                    webhook('b', "https://example.com/two"),
                ],
                Some(SECOND_PAGE),
            ))
            .push(page(
                1,
                &[webhook('c', "https://example.com/three")],
                Some(&again),
            ))
            .push(page(2, &[webhook('d', "https://example.com/four")], None));

        let urls = webhook_urls(&client(&replay), CONVERSATION_SID)
            .await
            .unwrap();
        assert_eq!(
            urls,
            [
                "https://example.com/one",
                "https://example.com/two",
                "https://example.com/three"
            ],
            "{what}"
        );
        let sent: Vec<String> = replay
            .requests()
            .iter()
            .map(|request| format!("{} {}", request.method(), request.uri()))
            .collect();
        assert_eq!(
            sent,
            [format!("GET {first_page}"), format!("GET {SECOND_PAGE}")],
            "{what}"
        );
        assert_eq!(replay.remaining(), 1, "{what}");
    }
}
