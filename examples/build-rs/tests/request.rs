//! The code `build.rs` generated is the whole API: build a request with it
//! and check every byte that would go on the wire, then read an answer.

use build_rs_example::models::{ConversationScopedWebhookMethod, ConversationScopedWebhookTarget};
use build_rs_example::requests::{
    create_conversation_scoped_webhook, CreateConversationScopedWebhookParams,
};
use build_rs_example::{responses, Api, Credentials, DEFAULT_BASE_URL};

const ACCOUNT_SID: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const CONVERSATION_SID: &str = "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// `Basic ` + base64("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:your_auth_token").
const BASIC_AUTH: &str =
    "Basic QUNhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYTp5b3VyX2F1dGhfdG9rZW4=";

#[test]
fn create_conversation_scoped_webhook_builds_the_exact_request() {
    let api = Api::new(Credentials::auth_token(ACCOUNT_SID, "your_auth_token"));
    let params =
        CreateConversationScopedWebhookParams::new(ConversationScopedWebhookTarget::Webhook)
            .configuration_url("https://example.com/hook?a=1")
            .configuration_method(ConversationScopedWebhookMethod::Post)
            .configuration_filters(["onMessageAdded", "onConversationRemoved"]);

    let request = create_conversation_scoped_webhook(&api, CONVERSATION_SID, &params).unwrap();

    assert_eq!(request.method(), "POST");
    assert_eq!(
        request.uri(),
        "https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks"
    );
    let headers: Vec<(&str, &str)> = request
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str(), value.to_str().unwrap()))
        .collect();
    assert_eq!(
        headers,
        [
            ("authorization", BASIC_AUTH),
            ("accept", "application/json"),
            ("content-type", "application/x-www-form-urlencoded"),
        ]
    );
    assert_eq!(
        std::str::from_utf8(request.body()).unwrap(),
        "Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2Fhook%3Fa%3D1\
         &Configuration.Method=post\
         &Configuration.Filters=onMessageAdded&Configuration.Filters=onConversationRemoved"
    );
}

#[test]
fn the_answer_parses_into_the_generated_model() {
    let body = r#"{"sid": "WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "target": "webhook",
                   "configuration": {"url": "https://example.com/hook", "method": "post"}}"#;
    let response = http::Response::builder()
        .status(201)
        .header("content-type", "application/json")
        .body(body)
        .unwrap();
    let webhook = responses::create_conversation_scoped_webhook(&response).unwrap();
    assert_eq!(
        webhook.sid.as_deref(),
        Some("WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    let configuration = webhook.typed_configuration().unwrap().unwrap();
    assert_eq!(
        configuration.method,
        Some(ConversationScopedWebhookMethod::Post)
    );
    assert_eq!(DEFAULT_BASE_URL, "https://conversations.twilio.com");
}

#[cfg(feature = "client")]
#[test]
fn the_client_is_there_with_the_client_feature() {
    let client = build_rs_example::Client::new(Credentials::auth_token(ACCOUNT_SID, "token"));
    assert_eq!(client.api().base_url(), DEFAULT_BASE_URL);
}
