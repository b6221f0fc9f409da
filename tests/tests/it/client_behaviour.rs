//! The async client runtime: retries, timeouts, paging, Debug, ported from the scratch crate.

use std::time::{Duration, Instant};

use futures_util::{pin_mut, StreamExt, TryStreamExt};
use http::{Method, StatusCode};
use serde::Deserialize;
use twilio_conversations_webhooks::runtime::form::Form;
use twilio_conversations_webhooks::runtime::{
    response, Client, Credentials, Error, Page, PageMeta, RetryPolicy, TimeoutScope,
};
use wiremock::matchers::{basic_auth, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fast(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

fn client(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder(Credentials::auth_token("AC123", "secret"))
        .base_url(server.uri())
        .retry_policy(retry)
        .build()
        .unwrap()
}

async fn hits(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

const WEBHOOK: &str = r#"{"sid":"WH1","method":"POST"}"#;

#[derive(Debug, Deserialize, PartialEq)]
struct Webhook {
    sid: String,
}

#[tokio::test]
async fn retries_503_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/Configuration/Webhooks"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>busy</html>"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/Configuration/Webhooks"))
        .and(basic_auth("AC123", "secret"))
        .and(header("accept", "application/json"))
        .and(header(
            "user-agent",
            format!(
                "twilio-codegen/{} (twilio-conversations-webhooks/0.1.0; {} {}) rust",
                twilio_conversations_webhooks::runtime::spec::GENERATOR_VERSION,
                std::env::consts::OS,
                std::env::consts::ARCH
            )
            .as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string(WEBHOOK))
        .mount(&server)
        .await;
    let client = client(&server, fast(3));
    let req = client
        .api()
        .request(Method::GET, "/v1/Configuration/Webhooks", None, None)
        .unwrap();
    let resp = client.execute(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let hook: Webhook = response::json(&resp).unwrap();
    assert_eq!(hook.sid, "WH1");
    assert_eq!(hits(&server).await, 2);
}

#[tokio::test]
async fn honours_retry_after_seconds_for_429_even_on_post() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(wiremock::matchers::body_string(
            "Method=POST&Filters=a&Filters=b",
        ))
        .respond_with(ResponseTemplate::new(201).set_body_string(WEBHOOK))
        .mount(&server)
        .await;
    let client = client(&server, fast(3));
    let mut form = Form::new();
    form.push("Method", "POST");
    form.push_each("Filters", &["a", "b"]);
    let req = client
        .api()
        .request(
            Method::POST,
            "/v1/Configuration/Webhooks",
            None,
            Some(&form),
        )
        .unwrap();
    let start = Instant::now();
    let resp = client.execute(req).await.unwrap();
    let elapsed = start.elapsed();
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(hits(&server).await, 2);
}

#[tokio::test]
async fn caps_long_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let retry = RetryPolicy {
        max_retry_after: Duration::from_millis(50),
        ..fast(1)
    };
    let client = client(&server, retry);
    let req = client
        .api()
        .request(Method::GET, "/v1/x", None, None)
        .unwrap();
    let start = Instant::now();
    let resp = client.execute(req).await.unwrap();
    assert!(response::empty(&resp).is_ok());
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn gives_up_after_max_retries_with_last_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string(
            r#"{"code":20503,"message":"Service unavailable","more_info":"https://www.twilio.com/docs/errors/20503","status":503}"#,
        ))
        .expect(3)
        .mount(&server)
        .await;
    let client = client(&server, fast(2));
    let req = client
        .api()
        .request(Method::GET, "/v1/x", None, None)
        .unwrap();
    let resp = client.execute(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    let err = response::json::<Webhook, _>(&resp).unwrap_err();
    assert_eq!(err.code(), Some(20503));
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(hits(&server).await, 3);
}

#[tokio::test]
async fn retry_policy_none_sends_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());
    let req = client
        .api()
        .request(Method::GET, "/v1/x", None, None)
        .unwrap();
    assert_eq!(
        client.execute(req).await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn post_not_retried_on_503_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server, fast(3));
    let req = client
        .api()
        .request(Method::POST, "/v1/x", None, Some(&Form::new()))
        .unwrap();
    assert_eq!(
        client.execute(req).await.unwrap().status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn post_retried_on_503_with_opt_in() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_string(WEBHOOK))
        .mount(&server)
        .await;
    let retry = RetryPolicy {
        retry_non_idempotent: true,
        ..fast(3)
    };
    let client = client(&server, retry);
    let req = client
        .api()
        .request(Method::POST, "/v1/x", None, Some(&Form::new()))
        .unwrap();
    assert_eq!(
        client.execute(req).await.unwrap().status(),
        StatusCode::CREATED
    );
    assert_eq!(hits(&server).await, 3);
}

#[tokio::test]
async fn delete_retried_on_500_and_4xx_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/a"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/a"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/b"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = client(&server, fast(3));
    let req = client
        .api()
        .request(Method::DELETE, "/v1/a", None, None)
        .unwrap();
    assert!(response::empty(&client.execute(req).await.unwrap()).is_ok());
    let req = client
        .api()
        .request(Method::GET, "/v1/b", None, None)
        .unwrap();
    assert_eq!(
        client.execute(req).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(hits(&server).await, 3);
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_after_retries() {
    // Reserve a port, then close it so nothing listens there.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder(Credentials::auth_token("AC123", "secret"))
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(fast(2))
        .build()
        .unwrap();
    let req = client
        .api()
        .request(Method::POST, "/v1/x", None, Some(&Form::new()))
        .unwrap();
    let start = Instant::now();
    match client.execute(req).await {
        Err(Error::Transport(err)) => assert!(err.is_connect(), "{err:?}"),
        other => panic!("{other:?}"),
    }
    // Two backoffs of at least 2.5 ms and 5 ms were slept.
    assert!(start.elapsed() >= Duration::from_millis(7));
}

#[tokio::test]
async fn timeout_applies_per_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder(Credentials::auth_token("AC123", "secret"))
        .base_url(server.uri())
        .retry_policy(fast(1))
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let req = client
        .api()
        .request(Method::GET, "/v1/x", None, None)
        .unwrap();
    let start = Instant::now();
    // The client's own timeout (not reqwest's), so that it bounds every
    // attempt whatever reqwest client is used.
    match client.execute(req).await {
        Err(
            err @ Error::Timeout {
                scope: TimeoutScope::Attempt,
                ..
            },
        ) => {
            assert_eq!(
                err.to_string(),
                "an attempt of the request (the per-attempt timeout) took longer than 100ms"
            );
            assert!(err.is_timeout());
        }
        other => panic!("{other:?}"),
    }
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_eq!(hits(&server).await, 2, "a GET timeout is retried");
}

// ---------- pagination ----------

#[derive(Debug, Deserialize)]
struct WebhookPage {
    webhooks: Vec<Webhook>,
    meta: PageMeta,
}

impl Page for WebhookPage {
    type Item = Webhook;
    fn next_page_url(&self) -> Option<&str> {
        self.meta.next_page_url.as_deref()
    }
    fn into_items(self) -> Vec<Webhook> {
        self.webhooks
    }
}

fn page_body(sids: &[&str], next: Option<String>) -> String {
    let hooks: Vec<_> = sids
        .iter()
        .map(|sid| serde_json::json!({ "sid": sid }))
        .collect();
    serde_json::json!({
        "webhooks": hooks,
        "meta": { "page": 0, "page_size": 2, "key": "webhooks", "next_page_url": next },
    })
    .to_string()
}

async fn three_pages(server: &MockServer, third_expected: u64) {
    let base = format!("{}/v1/Configuration/Webhooks", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1/Configuration/Webhooks"))
        .and(query_param_is_missing("Page"))
        .respond_with(ResponseTemplate::new(200).set_body_string(page_body(
            &["WH1", "WH2"],
            Some(format!("{base}?PageSize=2&Page=1&PageToken=PA1")),
        )))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/Configuration/Webhooks"))
        .and(query_param("Page", "1"))
        .and(basic_auth("AC123", "secret"))
        .respond_with(ResponseTemplate::new(200).set_body_string(page_body(
            &["WH3", "WH4"],
            Some(format!("{base}?PageSize=2&Page=2&PageToken=PA2")),
        )))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/Configuration/Webhooks"))
        .and(query_param("Page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_string(page_body(&["WH5"], None)))
        .expect(third_expected)
        .mount(server)
        .await;
}

fn first_request(client: &Client) -> http::Request<Vec<u8>> {
    let mut query = Form::new();
    query.push("PageSize", 2);
    client
        .api()
        .request(
            Method::GET,
            "/v1/Configuration/Webhooks",
            Some(&query),
            None,
        )
        .unwrap()
}

#[tokio::test]
async fn paginates_all_pages() {
    let server = MockServer::start().await;
    three_pages(&server, 1).await;
    let client = client(&server, fast(0));
    let sids: Vec<String> = client
        .paginate::<WebhookPage>(first_request(&client), None)
        .map_ok(|hook| hook.sid)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sids, ["WH1", "WH2", "WH3", "WH4", "WH5"]);
    assert_eq!(hits(&server).await, 3);
}

#[tokio::test]
async fn paginates_lazily_with_a_limit() {
    let server = MockServer::start().await;
    three_pages(&server, 0).await;
    let client = client(&server, fast(0));
    let stream = client.paginate::<WebhookPage>(first_request(&client), Some(3));
    pin_mut!(stream);
    // Nothing is fetched before the first poll.
    assert_eq!(hits(&server).await, 0);
    assert_eq!(stream.next().await.unwrap().unwrap().sid, "WH1");
    assert_eq!(hits(&server).await, 1);
    assert_eq!(stream.next().await.unwrap().unwrap().sid, "WH2");
    assert_eq!(
        hits(&server).await,
        1,
        "page 2 not fetched before page 1 is consumed"
    );
    assert_eq!(stream.next().await.unwrap().unwrap().sid, "WH3");
    assert_eq!(hits(&server).await, 2);
    assert!(stream.next().await.is_none(), "limit reached");
    assert_eq!(hits(&server).await, 2, "page 3 never fetched");

    // A limit of 0 sends nothing.
    let none: Vec<_> = client
        .paginate::<WebhookPage>(first_request(&client), Some(0))
        .collect()
        .await;
    assert!(none.is_empty());
    assert_eq!(hits(&server).await, 2);
}

#[tokio::test]
async fn foreign_next_page_url_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(page_body(
            &["WH1"],
            Some("https://attacker.example.com/v1/Configuration/Webhooks?Page=1".to_owned()),
        )))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, fast(0));
    let results: Vec<_> = client
        .paginate::<WebhookPage>(first_request(&client), None)
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().sid, "WH1");
    match &results[1] {
        Err(Error::ForeignPageUrl {
            url,
            expected_origin,
        }) => {
            assert_eq!(
                url,
                "https://attacker.example.com/v1/Configuration/Webhooks?Page=1"
            );
            assert_eq!(expected_origin, &server.uri());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn paging_errors_end_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_string(
            r#"{"code":20404,"message":"The requested resource was not found","status":404}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, fast(2));
    let results: Vec<_> = client
        .paginate::<WebhookPage>(first_request(&client), None)
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].as_ref().unwrap_err().code(), Some(20404));
}

#[tokio::test]
async fn self_referencing_next_page_stops() {
    let server = MockServer::start().await;
    let same = format!("{}/v1/Configuration/Webhooks?PageSize=2", server.uri());
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(page_body(&["WH1"], Some(same))))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, fast(0));
    let results: Vec<_> = client
        .paginate::<WebhookPage>(first_request(&client), None)
        .collect()
        .await;
    assert_eq!(results.len(), 1);
}

#[test]
fn debug_hides_secrets_and_builder_checks_base_url() {
    let creds = Credentials::api_key("AC123", "SK456", "topsecret");
    let client = Client::new(creds.clone());
    let dbg = format!("{client:?}");
    assert!(!dbg.contains("topsecret") && dbg.contains("SK456"), "{dbg}");
    assert_eq!(client.api().base_url(), "https://conversations.twilio.com");
    assert_eq!(client.retry_policy(), &RetryPolicy::default());
    let builder = Client::builder(creds.clone()).base_url("ftp://nope");
    assert!(!format!("{builder:?}").contains("topsecret"));
    assert!(matches!(builder.build(), Err(Error::InvalidBaseUrl { .. })));
    let custom = Client::builder(creds)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    assert_eq!(custom.api().origin(), "https://conversations.twilio.com");
    assert_eq!(RetryPolicy::none().max_retries, 0);
    let d = RetryPolicy::default();
    assert_eq!(
        (
            d.max_retries,
            d.initial_backoff,
            d.max_backoff,
            d.max_retry_after,
            d.retry_non_idempotent
        ),
        (
            3,
            Duration::from_millis(500),
            Duration::from_secs(10),
            Duration::from_secs(60),
            false
        )
    );
}

#[test]
fn paginate_stream_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(Credentials::auth_token("AC1", "t"));
    let stream = client.paginate::<WebhookPage>(first_request(&client), None);
    assert_send(&stream);
    let fut = client.execute(first_request(&client));
    assert_send(&fut);
}

#[tokio::test]
async fn encoded_path_segments_survive_reqwest() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder(Credentials::auth_token("AC123", "secret"))
        .base_url(format!("{}/prefix/", server.uri()))
        .build()
        .unwrap();
    let sid =
        twilio_conversations_webhooks::runtime::form::path_segment("Sid", "../x y?#%2e").unwrap();
    let req = client
        .api()
        .request(
            Method::DELETE,
            &format!("/v1/Conversations/{sid}/Webhooks"),
            None,
            None,
        )
        .unwrap();
    assert!(response::empty(&client.execute(req).await.unwrap()).is_ok());
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].url.path(),
        "/prefix/v1/Conversations/..%2Fx%20y%3F%23%252e/Webhooks"
    );
    assert_eq!(received[0].url.query(), None);
}

#[test]
fn client_debug_never_shows_the_auth_token_or_key_secret() {
    use integration_tests::{ACCOUNT_SID, AUTH_TOKEN};
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    for dbg in [format!("{client:?}"), format!("{client:#?}")] {
        assert!(!dbg.contains(AUTH_TOKEN), "{dbg}");
        assert!(dbg.contains(ACCOUNT_SID), "{dbg}");
    }
    let client = Client::new(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN));
    assert!(!format!("{client:?}").contains(AUTH_TOKEN));

    let secret = "key_secret_value_123";
    let client = Client::builder(Credentials::api_key(ACCOUNT_SID, "SKbbbb", secret))
        .build()
        .unwrap();
    for dbg in [format!("{client:?}"), format!("{client:#?}")] {
        assert!(!dbg.contains(secret), "{dbg}");
        assert!(dbg.contains("SKbbbb") && dbg.contains(ACCOUNT_SID), "{dbg}");
    }
    let builder = Client::builder(Credentials::api_key(ACCOUNT_SID, "SKbbbb", secret));
    assert!(!format!("{builder:?}").contains(secret));
}
