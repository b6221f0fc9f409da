//! The generated client against Prism (`@stoplight/prism-cli` 5.14) mocking
//! our own `spec/openapi.yaml`: every operation is accepted by Prism's
//! request validation and its example answer parses; a create without
//! `Target` is rejected with 422. (Prism serves the spec without its
//! `callbacks`: see `spec_without_callbacks`.)
//!
//! Prism is found through `PRISM_CLI` (the path of
//! `node_modules/@stoplight/prism-cli/dist/index.js`) or under
//! `<repo>/target/prism` (see `integration_tests::prism`). Without it the test
//! is ignored, with the reason in `cargo test`'s output; with `CI` set it runs
//! and fails.

use std::time::Instant;

use futures_util::TryStreamExt;
use integration_tests::prism::Prism;
use integration_tests::{
    repo_root, ACCOUNT_SID, AUTH_TOKEN, CONVERSATION_SID, SERVICE_SID, WEBHOOK_SID,
};
use twilio_conversations_webhooks::models::{
    ConfigurationWebhookMethod, ConfigurationWebhookTarget, ConversationScopedWebhookMethod,
    ConversationScopedWebhookTarget, ServiceConversationScopedWebhookMethod,
    ServiceConversationScopedWebhookTarget,
};
use twilio_conversations_webhooks::requests::{
    self, CreateConversationScopedWebhookParams, CreateServiceConversationScopedWebhookParams,
    ListConversationScopedWebhookParams, ListServiceConversationScopedWebhookParams,
    UpdateConfigurationWebhookParams, UpdateConversationScopedWebhookParams,
    UpdateServiceConversationScopedWebhookParams, UpdateServiceWebhookConfigurationParams,
};
use twilio_conversations_webhooks::{Client, Credentials, RetryPolicy};

const FLOW_SID: &str = "FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// `spec/` copied into `dir` without the operations' `callbacks`: Prism's
/// mock would otherwise send the callback requests (to the URLs in our
/// requests' bodies), and 5.14 crashes on form-encoded callback bodies.
/// Each file is written as JSON (which YAML readers take), `$ref`s unchanged.
fn spec_without_callbacks(dir: &std::path::Path) -> std::path::PathBuf {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("callbacks");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let docs = twilio_codegen::load::Documents::load(&repo_root().join("spec")).unwrap();
    for file in docs.files() {
        let mut value = docs
            .get(&twilio_codegen::Location::new(file, ""))
            .unwrap()
            .clone();
        strip(&mut value);
        let name = file.file_name().unwrap();
        std::fs::write(dir.join(name), serde_json::to_vec_pretty(&value).unwrap()).unwrap();
    }
    dir.join("openapi.yaml")
}

#[tokio::test]
#[cfg_attr(
    not(prism),
    ignore = "needs Prism: `npm install --prefix target/prism @stoplight/prism-cli@5.14`, then `touch tests/build.rs` (or set PRISM_CLI to its dist/index.js)"
)]
async fn every_operation_against_prism() {
    let started = Instant::now();
    let (prism, _spec_dir) = tokio::task::spawn_blocking(|| {
        let spec_dir = tempfile::tempdir().unwrap();
        let prism = Prism::start(&spec_without_callbacks(spec_dir.path()));
        (prism, spec_dir)
    })
    .await
    .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    let base_url = prism.base_url().to_owned();
    let ready = started.elapsed();
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(&base_url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let ctx = |op: &str| format!("{op} against Prism; its log:\n{}", prism.log());

    // 1. GET /v1/Configuration/Webhooks
    let got = client
        .fetch_configuration_webhook()
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("fetch_configuration_webhook")));
    assert_eq!(got.account_sid.as_deref(), Some(ACCOUNT_SID));
    assert_eq!(got.method, Some(ConfigurationWebhookMethod::Get));
    assert_eq!(got.target, Some(ConfigurationWebhookTarget::Webhook));

    // 2. POST /v1/Configuration/Webhooks
    let params = UpdateConfigurationWebhookParams::new()
        .method("GET")
        .filters(["onConversationUpdated", "onMessageAdded"])
        .pre_webhook_url("https://example.com/pre")
        .post_webhook_url("https://example.com/post")
        .target(ConfigurationWebhookTarget::Webhook);
    let got = client
        .update_configuration_webhook(&params)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("update_configuration_webhook")));
    assert_eq!(got.account_sid.as_deref(), Some(ACCOUNT_SID));
    assert_eq!(got.filters, Some(vec!["onConversationUpdated".to_owned()]));

    // 3. GET /v1/Conversations/{ConversationSid}/Webhooks
    let params = ListConversationScopedWebhookParams::new()
        .page_size(5)
        .page(0);
    let page = client
        .list_conversation_scoped_webhook(CONVERSATION_SID, &params)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("list_conversation_scoped_webhook")));
    assert!(!page.webhooks.is_empty());
    assert_eq!(page.webhooks[0].sid.as_deref(), Some(WEBHOOK_SID));
    assert_eq!(page.meta.key.as_deref(), Some("webhooks"));
    // The stream: the example's next_page_url is null (or on another origin),
    // so the first page is all there is, or the stream ends with an error.
    let streamed: Vec<_> = client
        .list_conversation_scoped_webhook_stream(CONVERSATION_SID, &params, Some(1))
        .unwrap()
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("list_conversation_scoped_webhook_stream")));
    assert_eq!(streamed.len(), 1);
    assert_eq!(streamed[0].sid.as_deref(), Some(WEBHOOK_SID));

    // 4. POST /v1/Conversations/{ConversationSid}/Webhooks
    let mut params =
        CreateConversationScopedWebhookParams::new(ConversationScopedWebhookTarget::Webhook);
    params.configuration_url = Some("https://example.com".into());
    params.configuration_method = Some(ConversationScopedWebhookMethod::Get);
    params.configuration_filters = vec!["onMessageAdded".into(), "onConversationUpdated".into()];
    params.configuration_triggers = vec!["keyword1".into(), "keyword2".into()];
    params.configuration_replay_after = Some(1);
    let got = client
        .create_conversation_scoped_webhook(CONVERSATION_SID, &params)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("create_conversation_scoped_webhook")));
    assert_eq!(got.sid.as_deref(), Some(WEBHOOK_SID));
    assert_eq!(got.account_sid.as_deref(), Some(ACCOUNT_SID));

    // 5. GET /v1/Conversations/{ConversationSid}/Webhooks/{Sid}
    let got = client
        .fetch_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("fetch_conversation_scoped_webhook")));
    assert_eq!(got.sid.as_deref(), Some(WEBHOOK_SID));

    // 6. POST /v1/Conversations/{ConversationSid}/Webhooks/{Sid}
    let params = UpdateConversationScopedWebhookParams::new()
        .configuration_url("https://example.com")
        .configuration_method(ConversationScopedWebhookMethod::Post)
        .configuration_filters(["keyword1", "keyword2"])
        .configuration_triggers(["keyword1"])
        .configuration_flow_sid(FLOW_SID);
    let got = client
        .update_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID, &params)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("update_conversation_scoped_webhook")));
    assert_eq!(got.sid.as_deref(), Some(WEBHOOK_SID));

    // 7. DELETE /v1/Conversations/{ConversationSid}/Webhooks/{Sid}
    client
        .delete_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("delete_conversation_scoped_webhook")));

    // 8. GET /v1/Services/{ChatServiceSid}/Configuration/Webhooks
    let got = client
        .fetch_service_webhook_configuration(SERVICE_SID)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("fetch_service_webhook_configuration")));
    assert_eq!(got.chat_service_sid.as_deref(), Some(SERVICE_SID));
    assert_eq!(got.account_sid.as_deref(), Some(ACCOUNT_SID));

    // 9. POST /v1/Services/{ChatServiceSid}/Configuration/Webhooks
    let params = UpdateServiceWebhookConfigurationParams::new()
        .pre_webhook_url("https://example.com/pre")
        .post_webhook_url("https://example.com/post")
        .filters(["onMessageRemove", "onParticipantAdd"])
        .method("POST");
    let got = client
        .update_service_webhook_configuration(SERVICE_SID, &params)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("update_service_webhook_configuration")));
    assert_eq!(got.chat_service_sid.as_deref(), Some(SERVICE_SID));

    // 10. GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks
    let params = ListServiceConversationScopedWebhookParams::new().page_size(5);
    let page = client
        .list_service_conversation_scoped_webhook(SERVICE_SID, CONVERSATION_SID, &params)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("list_service_conversation_scoped_webhook")));
    assert!(!page.webhooks.is_empty());
    assert_eq!(page.webhooks[0].sid.as_deref(), Some(WEBHOOK_SID));
    assert_eq!(
        page.webhooks[0].chat_service_sid.as_deref(),
        Some(SERVICE_SID)
    );

    // 11. POST /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks
    let mut params = CreateServiceConversationScopedWebhookParams::new(
        ServiceConversationScopedWebhookTarget::Trigger,
    );
    params.configuration_url = Some("https://example.com".into());
    params.configuration_method = Some(ServiceConversationScopedWebhookMethod::Post);
    params.configuration_triggers = vec!["keyword1".into(), "keyword2".into()];
    let got = client
        .create_service_conversation_scoped_webhook(SERVICE_SID, CONVERSATION_SID, &params)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("create_service_conversation_scoped_webhook")));
    assert_eq!(got.sid.as_deref(), Some(WEBHOOK_SID));
    assert_eq!(got.chat_service_sid.as_deref(), Some(SERVICE_SID));

    // 12. GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks/{Sid}
    let got = client
        .fetch_service_conversation_scoped_webhook(SERVICE_SID, CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("fetch_service_conversation_scoped_webhook")));
    assert_eq!(got.sid.as_deref(), Some(WEBHOOK_SID));
    assert_eq!(got.chat_service_sid.as_deref(), Some(SERVICE_SID));

    // 13. POST /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks/{Sid}
    let params = UpdateServiceConversationScopedWebhookParams::new()
        .configuration_method(ServiceConversationScopedWebhookMethod::Post)
        .configuration_filters(["keyword1", "keyword2"]);
    let got = client
        .update_service_conversation_scoped_webhook(
            SERVICE_SID,
            CONVERSATION_SID,
            WEBHOOK_SID,
            &params,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("update_service_conversation_scoped_webhook")));
    assert_eq!(got.sid.as_deref(), Some(WEBHOOK_SID));

    // 14. DELETE /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks/{Sid}
    client
        .delete_service_conversation_scoped_webhook(SERVICE_SID, CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("delete_service_conversation_scoped_webhook")));

    // Negative: a create body without Target (built by the sans-IO builder,
    // then stripped of Target) is rejected by Prism's validation.
    let mut params =
        CreateConversationScopedWebhookParams::new(ConversationScopedWebhookTarget::Webhook);
    params.configuration_url = Some("https://example.com".into());
    let request =
        requests::create_conversation_scoped_webhook(client.api(), CONVERSATION_SID, &params)
            .unwrap();
    assert_eq!(
        request.body().as_slice(),
        b"Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com"
    );
    let (parts, _) = request.into_parts();
    let request = http::Request::from_parts(
        parts,
        b"Configuration.Url=https%3A%2F%2Fexample.com".to_vec(),
    );
    let response = reqwest::Client::new()
        .execute(reqwest::Request::try_from(request).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("'Target'"), "{body}");

    drop(prism);
    eprintln!(
        "Prism: ready after {ready:?}, whole test {:?}",
        started.elapsed()
    );
}
