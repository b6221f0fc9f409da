//! Bad answers from a real HTTP server become typed errors, never panics.

use http::StatusCode;
use integration_tests::{ACCOUNT_SID, AUTH_TOKEN, CONVERSATION_SID, WEBHOOK_SID};
use twilio_conversations_webhooks::models::ConversationScopedWebhookTarget;
use twilio_conversations_webhooks::{Client, Credentials, Error, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn fetch_answered_with(
    answer: ResponseTemplate,
) -> Result<twilio_conversations_webhooks::models::ConversationScopedWebhook, Error> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(answer)
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client
        .fetch_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID)
        .await
}

#[tokio::test]
async fn html_502_from_a_proxy_is_unexpected_status_with_the_body() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let error = fetch_answered_with(ResponseTemplate::new(502).set_body_string(html))
        .await
        .unwrap_err();
    match &error {
        Error::UnexpectedStatus { status, body } => {
            assert_eq!(*status, StatusCode::BAD_GATEWAY);
            assert_eq!(body, html);
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
}

#[tokio::test]
async fn truncated_wrongly_typed_and_empty_success_bodies_are_decode_errors() {
    let cases = [
        (r#"{"sid": "WHaaaa"#, "EOF while parsing"),
        (
            r#"{"sid": 42}"#,
            "invalid type: integer `42`, expected a string",
        ),
        ("", "EOF while parsing a value"),
    ];
    for (body, expected) in cases {
        let error = fetch_answered_with(ResponseTemplate::new(200).set_body_string(body))
            .await
            .unwrap_err();
        match &error {
            Error::Decode {
                status,
                source,
                body: kept,
            } => {
                assert_eq!(*status, StatusCode::OK, "{body}");
                assert!(source.to_string().contains(expected), "{body}: {source}");
                assert_eq!(kept, body);
            }
            other => panic!("{body}: expected Decode, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn unknown_fields_are_ignored_and_unknown_enum_values_kept() {
    let body = r#"{"sid": "WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "new_field": [1, 2], "configuration": {"method": "put", "flow_sid": null}}"#;
    let webhook = fetch_answered_with(ResponseTemplate::new(200).set_body_string(body))
        .await
        .unwrap();
    assert_eq!(webhook.sid.as_deref(), Some(WEBHOOK_SID));
    let configuration = webhook.typed_configuration().unwrap().unwrap();
    assert_eq!(configuration.method.unwrap().as_str(), "put");
    assert_eq!(configuration.flow_sid, None);
}

#[tokio::test]
async fn an_untyped_value_of_another_shape_parses_and_only_its_typed_view_fails() {
    // The spec leaves `configuration` untyped: a response never fails on it.
    // The typed view names the key that does not fit.
    let body = r#"{"sid": "WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "configuration": {"replay_after": "soon"}}"#;
    let webhook = fetch_answered_with(ResponseTemplate::new(200).set_body_string(body))
        .await
        .unwrap();
    assert_eq!(
        webhook.configuration,
        Some(serde_json::json!({"replay_after": "soon"}))
    );
    let error = webhook.typed_configuration().unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: string \"soon\", expected i64"
    );

    let body = r#"{"sid": "WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "configuration": null}"#;
    let webhook = fetch_answered_with(ResponseTemplate::new(200).set_body_string(body))
        .await
        .unwrap();
    assert_eq!(webhook.configuration, None);
    assert_eq!(webhook.typed_configuration().unwrap(), None);
}

#[tokio::test]
async fn required_target_and_page_size_are_checked_before_any_request() {
    let server = MockServer::start().await;
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(server.uri())
        .build()
        .unwrap();
    let params =
        twilio_conversations_webhooks::requests::ListConversationScopedWebhookParams::new()
            .page_size(0);
    let error = client
        .list_conversation_scoped_webhook(CONVERSATION_SID, &params)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid PageSize: expected between 1 and 5, found 0"
    );
    // `Target` is a constructor argument: a create without it does not compile,
    // so the runtime check here is the FlowSid pattern.
    let mut create =
        twilio_conversations_webhooks::requests::CreateConversationScopedWebhookParams::new(
            ConversationScopedWebhookTarget::Studio,
        );
    create.configuration_flow_sid = Some("FW1".into());
    let error = client
        .create_conversation_scoped_webhook(CONVERSATION_SID, &create)
        .await
        .unwrap_err();
    assert!(error.is_validation(), "{error:?}");
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}
