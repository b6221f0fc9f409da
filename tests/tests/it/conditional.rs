//! `x-twilio.conditional` groups as generated code checks them: a request
//! with none of a group set fails in `validate()` with the exact error and
//! nothing reaches the server; with one set, the exact body goes out. The
//! code is `request-wire-cases`, generated from `tests/cases/conditional_params.yaml`'s
//! own path items.

use integration_tests::{ACCOUNT_SID, AUTH_TOKEN, BASIC_AUTH};
use request_wire_cases::requests::{CreateMessageParams, CreateNotificationParams};
use request_wire_cases::{Client, Credentials, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server answering every request with `status` and `body`, and the
/// client pointed at it.
async fn serve(status: u16, body: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    assert!(server.uri().starts_with("http://127.0.0.1:"));
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("content-type", "application/json")
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    (server, client)
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

/// The one request the server received: its path with query, and its body.
async fn received(server: &MockServer) -> (String, String) {
    let mut requests = requests(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request");
    let request = requests.remove(0);
    assert_eq!(request.headers["authorization"], BASIC_AUTH);
    let path = match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_owned(),
    };
    (path, String::from_utf8(request.body).unwrap())
}

const SENDER_ERROR: &str = "invalid From or MessagingServiceSid: expected at least one of them set (the fields `from`, `messaging_service_sid`), found none set";
const CONTENT_ERROR: &str = "invalid Body, MediaUrl or ContentSid: expected at least one of them set (the fields `body`, `media_url`, `content_sid`), found none set";

#[tokio::test]
async fn a_message_without_a_sender_fails_before_any_request() {
    let (server, client) = serve(201, r#"{"sid": "SM1"}"#).await;
    let params = CreateMessageParams::new("+15558675310").body("Hello");
    let error = client.create_message(&params).await.unwrap_err();
    assert!(error.is_validation(), "{error:?}");
    assert_eq!(error.to_string(), SENDER_ERROR);
    assert_eq!(params.validate().unwrap_err().to_string(), SENDER_ERROR);
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn a_message_without_content_fails_naming_the_second_group() {
    let (server, client) = serve(201, r#"{"sid": "SM1"}"#).await;
    let params = CreateMessageParams::new("+15558675310").from("+15017122661");
    let error = client.create_message(&params).await.unwrap_err();
    assert_eq!(error.to_string(), CONTENT_ERROR);
    // An empty list is not a value: `media_url` stays unset.
    let error = client
        .create_message(&params.clone().media_url(Vec::<String>::new()))
        .await
        .unwrap_err();
    assert_eq!(error.to_string(), CONTENT_ERROR);
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn one_of_each_group_sends_exactly_the_set_fields() {
    let (server, client) = serve(201, r#"{"sid": "SM1"}"#).await;
    let params = CreateMessageParams::new("+15558675310")
        .from("+15017122661")
        .body("Hello");
    let message = client.create_message(&params).await.unwrap();
    assert_eq!(message.sid.as_deref(), Some("SM1"));
    let (path, body) = received(&server).await;
    assert_eq!(path, "/v1/Messages");
    assert_eq!(body, "To=%2B15558675310&From=%2B15017122661&Body=Hello");
}

#[tokio::test]
async fn several_of_a_group_are_allowed_and_a_list_counts_when_not_empty() {
    // "One of" is at least one: Twilio takes a body with media, and a
    // messaging service beside a `From`.
    let (server, client) = serve(201, r#"{"sid": "SM1"}"#).await;
    let params = CreateMessageParams::new("+15558675310")
        .messaging_service_sid("MG0123456789abcdef0123456789abcdef")
        .from("+15017122661")
        .media_url(["https://example.com/cat.png"]);
    client.create_message(&params).await.unwrap();
    let (_, body) = received(&server).await;
    assert_eq!(
        body,
        "To=%2B15558675310&From=%2B15017122661&MessagingServiceSid=MG0123456789abcdef0123456789abcdef&MediaUrl=https%3A%2F%2Fexample.com%2Fcat.png"
    );
}

#[tokio::test]
async fn groups_of_query_arrays_and_of_one_field_are_checked_and_met_ones_are_not() {
    let (server, client) = serve(204, "").await;
    let none = CreateNotificationParams::new("Hi");
    assert_eq!(
        client.create_notification("IS1", &none).await.unwrap_err().to_string(),
        "invalid Identity or Tag: expected at least one of them set (the fields `identity`, `tag`), found none set"
    );
    let no_priority = none.clone().tag(["vip"]);
    assert_eq!(
        client
            .create_notification("IS1", &no_priority)
            .await
            .unwrap_err()
            .to_string(),
        "invalid Priority: expected a value (the field `priority`), found none set"
    );
    assert!(requests(&server).await.is_empty());
    // `[title, body]` holds through the required `Title`, `[service_sid, ttl]`
    // through the path: neither asks for `body` or `ttl`.
    let params = no_priority.priority("high");
    client.create_notification("IS1", &params).await.unwrap();
    let (path, body) = received(&server).await;
    assert_eq!(path, "/v1/Services/IS1/Notifications?Tag=vip");
    assert_eq!(body, "Title=Hi&Priority=high");
}
