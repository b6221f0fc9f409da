//! The generated client against Prism (`@stoplight/prism-cli` 5.14) mocking
//! our own `spec/openapi.yaml`: every operation is accepted by Prism's
//! request validation and its example answer parses; a create without
//! `Target` is rejected with 422.
//!
//! Prism is found through `PRISM_CLI` (the path of
//! `node_modules/@stoplight/prism-cli/dist/index.js`) or under
//! `<repo>/target/prism`; without it the test prints one line and passes.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
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

const STARTUP_LIMIT: Duration = Duration::from_secs(60);
const FLOW_SID: &str = "FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// The Prism CLI entry point, or why none was found.
pub(crate) fn prism_cli() -> Result<PathBuf, String> {
    let mut looked = Vec::new();
    if let Some(path) = std::env::var_os("PRISM_CLI") {
        let path = PathBuf::from(path);
        if path.is_file() {
            return Ok(path);
        }
        looked.push(format!("PRISM_CLI={} does not exist", path.display()));
    }
    let local = repo_root().join("target/prism/node_modules/@stoplight/prism-cli/dist/index.js");
    if local.is_file() {
        return Ok(local);
    }
    looked.push(format!("{} does not exist", local.display()));
    Err(looked.join(", "))
}

/// The Prism process; killed (and reaped) when dropped, also on panic.
struct PrismGuard {
    child: Child,
    log: tempfile::NamedTempFile,
}

impl PrismGuard {
    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }
}

impl Drop for PrismGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts Prism on a free port and waits until it accepts connections.
async fn start_prism(cli: &PathBuf) -> (PrismGuard, String) {
    let port = free_port();
    let spec = repo_root().join("spec/openapi.yaml");
    let log = tempfile::NamedTempFile::new().unwrap();
    let child = Command::new("node")
        .arg(cli)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(&spec)
        .stdin(Stdio::null())
        .stdout(log.reopen().unwrap())
        .stderr(log.reopen().unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start `node {}`: {e}", cli.display()));
    let mut guard = PrismGuard { child, log };
    let start = Instant::now();
    loop {
        if let Some(status) = guard.child.try_wait().unwrap() {
            panic!("Prism exited early ({status}):\n{}", guard.log());
        }
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        assert!(
            start.elapsed() < STARTUP_LIMIT,
            "Prism did not listen on port {port} within {STARTUP_LIMIT:?}:\n{}",
            guard.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    (guard, format!("http://127.0.0.1:{port}"))
}

#[tokio::test]
async fn every_operation_against_prism() {
    let cli = match prism_cli() {
        Ok(cli) => cli,
        // Asked for explicitly (CI sets it): a missing Prism is a failure, not a skip.
        Err(why) if std::env::var_os("PRISM_CLI").is_some() => panic!("Prism was required: {why}"),
        Err(why) => {
            eprintln!(
                "skipping Prism tests: @stoplight/prism-cli not found ({why}); set PRISM_CLI or \
                 run `npm install --prefix target/prism @stoplight/prism-cli@5.14`"
            );
            return;
        }
    };
    let started = Instant::now();
    let (prism, base_url) = start_prism(&cli).await;
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
    let params = UpdateConfigurationWebhookParams {
        method: Some("GET".into()),
        filters: vec!["onConversationUpdated".into(), "onMessageAdded".into()],
        pre_webhook_url: Some("https://example.com/pre".into()),
        post_webhook_url: Some("https://example.com/post".into()),
        target: Some(ConfigurationWebhookTarget::Webhook),
    };
    let got = client
        .update_configuration_webhook(&params)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("update_configuration_webhook")));
    assert_eq!(got.account_sid.as_deref(), Some(ACCOUNT_SID));
    assert_eq!(got.filters, Some(vec!["onConversationUpdated".to_owned()]));

    // 3. GET /v1/Conversations/{ConversationSid}/Webhooks
    let params = ListConversationScopedWebhookParams {
        page_size: Some(5),
        page: Some(0),
        page_token: None,
    };
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
    let params = UpdateConversationScopedWebhookParams {
        configuration_url: Some("https://example.com".into()),
        configuration_method: Some(ConversationScopedWebhookMethod::Post),
        configuration_filters: vec!["keyword1".into(), "keyword2".into()],
        configuration_triggers: vec!["keyword1".into()],
        configuration_flow_sid: Some(FLOW_SID.into()),
    };
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
    let params = UpdateServiceWebhookConfigurationParams {
        pre_webhook_url: Some("https://example.com/pre".into()),
        post_webhook_url: Some("https://example.com/post".into()),
        filters: vec!["onMessageRemove".into(), "onParticipantAdd".into()],
        method: Some("POST".into()),
    };
    let got = client
        .update_service_webhook_configuration(SERVICE_SID, &params)
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", ctx("update_service_webhook_configuration")));
    assert_eq!(got.chat_service_sid.as_deref(), Some(SERVICE_SID));

    // 10. GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks
    let params = ListServiceConversationScopedWebhookParams {
        page_size: Some(5),
        ..Default::default()
    };
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
    let params = UpdateServiceConversationScopedWebhookParams {
        configuration_method: Some(ServiceConversationScopedWebhookMethod::Post),
        configuration_filters: vec!["keyword1".into(), "keyword2".into()],
        ..Default::default()
    };
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
