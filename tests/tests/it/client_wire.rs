//! What the generated `Client` puts on the wire for each of the 14
//! operations (method, path, query, headers, exact form bytes) and how it
//! reads the answers, against a local wiremock server.

use futures_util::TryStreamExt;
use http::StatusCode;
use integration_tests::{
    response_fixture, ACCOUNT_SID, AUTH_TOKEN, BASIC_AUTH, CONVERSATION_SID, SERVICE_SID,
    WEBHOOK_SID,
};
use twilio_conversations_webhooks::models::{
    ConfigurationWebhookMethod, ConfigurationWebhookTarget, ConversationScopedWebhookMethod,
    ConversationScopedWebhookTarget, ServiceConversationScopedWebhookMethod,
    ServiceConversationScopedWebhookTarget, ServiceWebhookConfigurationMethod,
};
use twilio_conversations_webhooks::requests::{
    CreateConversationScopedWebhookParams, CreateServiceConversationScopedWebhookParams,
    ListConversationScopedWebhookParams, ListServiceConversationScopedWebhookParams,
    UpdateConfigurationWebhookParams, UpdateConversationScopedWebhookParams,
    UpdateServiceConversationScopedWebhookParams, UpdateServiceWebhookConfigurationParams,
};
use twilio_conversations_webhooks::{Client, Credentials, Error, RetryPolicy};
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

const FORM: &str = "application/x-www-form-urlencoded";
const FLOW_SID: &str = "FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// A mock server bound to 127.0.0.1 (wiremock's default).
async fn server() -> MockServer {
    let server = MockServer::start().await;
    assert!(
        server.uri().starts_with("http://127.0.0.1:"),
        "{}",
        server.uri()
    );
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A mock for `verb path` that also requires the basic-auth header.
fn given(verb: &str, p: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(p))
        .and(header("authorization", BASIC_AUTH))
        .and(header("accept", "application/json"))
}

fn json(status: u16, body: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/json")
        .set_body_bytes(body)
}

/// Checks the one request the server received, byte for byte: the mocks'
/// matchers would let extra query parameters or headers through.
async fn assert_sole_request(
    server: &MockServer,
    verb: &str,
    raw_path: &str,
    query: Option<&str>,
    body: Option<&str>,
) {
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "{received:?}");
    let req = &received[0];
    assert_eq!(req.method.as_str(), verb);
    assert_eq!(req.url.path(), raw_path);
    assert_eq!(req.url.query(), query);
    assert_eq!(req.headers["authorization"], BASIC_AUTH);
    match body {
        Some(body) => {
            assert_eq!(req.headers["content-type"], FORM);
            assert_eq!(std::str::from_utf8(&req.body).unwrap(), body);
        }
        None => {
            assert!(req.headers.get("content-type").is_none(), "{req:?}");
            assert!(req.body.is_empty(), "{req:?}");
        }
    }
}

fn conv_path() -> String {
    format!("/v1/Conversations/{CONVERSATION_SID}/Webhooks")
}

fn conv_item_path() -> String {
    format!("/v1/Conversations/{CONVERSATION_SID}/Webhooks/{WEBHOOK_SID}")
}

fn service_conv_path() -> String {
    format!("/v1/Services/{SERVICE_SID}/Conversations/{CONVERSATION_SID}/Webhooks")
}

fn service_conv_item_path() -> String {
    format!("/v1/Services/{SERVICE_SID}/Conversations/{CONVERSATION_SID}/Webhooks/{WEBHOOK_SID}")
}

fn service_config_path() -> String {
    format!("/v1/Services/{SERVICE_SID}/Configuration/Webhooks")
}

const CONFIGURATION_BODY: &str = r#"{
  "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "pre_webhook_url": "https://example.com/pre",
  "post_webhook_url": "https://example.com/post",
  "method": "GET",
  "filters": ["onMessageSend", "onConversationUpdated"],
  "target": "webhook",
  "url": "https://conversations.twilio.com/v1/Configuration/Webhooks"
}"#;

// ---------- /v1/Configuration/Webhooks ----------

#[tokio::test]
async fn fetch_configuration_webhook() {
    let server = server().await;
    given("GET", "/v1/Configuration/Webhooks")
        .respond_with(json(200, CONFIGURATION_BODY.into()))
        .expect(1)
        .mount(&server)
        .await;
    let got = client(&server).fetch_configuration_webhook().await.unwrap();
    assert_eq!(got.account_sid.as_deref(), Some(ACCOUNT_SID));
    assert_eq!(got.method, Some(ConfigurationWebhookMethod::Get));
    assert_eq!(got.target, Some(ConfigurationWebhookTarget::Webhook));
    assert_eq!(
        got.filters,
        Some(vec![
            "onMessageSend".to_owned(),
            "onConversationUpdated".to_owned()
        ])
    );
    assert_eq!(
        got.pre_webhook_url.as_deref(),
        Some("https://example.com/pre")
    );
    assert_eq!(
        got.post_webhook_url.as_deref(),
        Some("https://example.com/post")
    );
    assert_sole_request(&server, "GET", "/v1/Configuration/Webhooks", None, None).await;
}

#[tokio::test]
async fn update_configuration_webhook() {
    let server = server().await;
    let body = "Method=GET&Filters=onConversationUpdated&Filters=onMessageAdded\
                &PreWebhookUrl=https%3A%2F%2Fexample.com%2Fpre\
                &PostWebhookUrl=https%3A%2F%2Fexample.com%2Fpost%3Fa%3D1%26b%3D2&Target=flex";
    given("POST", "/v1/Configuration/Webhooks")
        .and(header("content-type", FORM))
        .and(body_string(body))
        .respond_with(json(200, CONFIGURATION_BODY.into()))
        .expect(1)
        .mount(&server)
        .await;
    let params = UpdateConfigurationWebhookParams::new()
        .method("GET")
        .filters(["onConversationUpdated", "onMessageAdded"])
        .pre_webhook_url("https://example.com/pre")
        .post_webhook_url("https://example.com/post?a=1&b=2")
        .target(ConfigurationWebhookTarget::Flex);
    let got = client(&server)
        .update_configuration_webhook(&params)
        .await
        .unwrap();
    assert_eq!(got.target, Some(ConfigurationWebhookTarget::Webhook));
    assert_eq!(
        got.url.as_deref(),
        Some("https://conversations.twilio.com/v1/Configuration/Webhooks")
    );
    assert_sole_request(
        &server,
        "POST",
        "/v1/Configuration/Webhooks",
        None,
        Some(body),
    )
    .await;
}

#[tokio::test]
async fn update_configuration_webhook_with_nothing_set_sends_an_empty_form() {
    let server = server().await;
    given("POST", "/v1/Configuration/Webhooks")
        .and(header("content-type", FORM))
        .and(body_string(""))
        .respond_with(json(200, CONFIGURATION_BODY.into()))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .update_configuration_webhook(&UpdateConfigurationWebhookParams::default())
        .await
        .unwrap();
    assert_sole_request(
        &server,
        "POST",
        "/v1/Configuration/Webhooks",
        None,
        Some(""),
    )
    .await;
}

// ---------- /v1/Conversations/{ConversationSid}/Webhooks ----------

#[tokio::test]
async fn list_conversation_scoped_webhook() {
    let server = server().await;
    given("GET", &conv_path())
        .and(query_param("PageSize", "5"))
        .and(query_param("Page", "0"))
        .and(query_param("PageToken", "PT1"))
        .respond_with(json(200, response_fixture("list.json")))
        .expect(1)
        .mount(&server)
        .await;
    let params = ListConversationScopedWebhookParams::new()
        .page_size(5)
        .page(0)
        .page_token("PT1");
    let page = client(&server)
        .list_conversation_scoped_webhook(CONVERSATION_SID, &params)
        .await
        .unwrap();
    assert_eq!(page.webhooks.len(), 3);
    let targets: Vec<_> = page
        .webhooks
        .iter()
        .map(|w| w.target.as_deref().unwrap())
        .collect();
    assert_eq!(targets, ["webhook", "trigger", "studio"]);
    assert_eq!(page.webhooks[0].sid.as_deref(), Some(WEBHOOK_SID));
    assert_eq!(
        page.webhooks[2]
            .typed_configuration()
            .unwrap()
            .unwrap()
            .flow_sid
            .as_deref(),
        Some(FLOW_SID)
    );
    assert_eq!(page.meta.key.as_deref(), Some("webhooks"));
    assert_eq!(page.meta.page_size, Some(5));
    assert_eq!(page.meta.next_page_url, None);
    assert_sole_request(
        &server,
        "GET",
        &conv_path(),
        Some("PageSize=5&Page=0&PageToken=PT1"),
        None,
    )
    .await;
}

#[tokio::test]
async fn create_conversation_scoped_webhook() {
    let server = server().await;
    let body = "Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2Fhook%3Fx%3D1+2\
                &Configuration.Method=get\
                &Configuration.Filters=onMessageAdded&Configuration.Filters=onConversationUpdated\
                &Configuration.Triggers=keyword1&Configuration.Triggers=key+word%262\
                &Configuration.ReplayAfter=3";
    given("POST", &conv_path())
        .and(header("content-type", FORM))
        .and(body_string(body))
        .respond_with(json(201, response_fixture("create.json")))
        .expect(1)
        .mount(&server)
        .await;
    let mut params =
        CreateConversationScopedWebhookParams::new(ConversationScopedWebhookTarget::Webhook);
    params.configuration_url = Some("https://example.com/hook?x=1 2".into());
    params.configuration_method = Some(ConversationScopedWebhookMethod::Get);
    params.configuration_filters = vec!["onMessageAdded".into(), "onConversationUpdated".into()];
    params.configuration_triggers = vec!["keyword1".into(), "key word&2".into()];
    params.configuration_replay_after = Some(3);
    let got = client(&server)
        .create_conversation_scoped_webhook(CONVERSATION_SID, &params)
        .await
        .unwrap();
    assert_eq!(got.sid.as_deref(), Some(WEBHOOK_SID));
    assert_eq!(got.target.as_deref(), Some("webhook"));
    let config = got.typed_configuration().unwrap().unwrap();
    assert_eq!(config.url.as_deref(), Some("https://example.com"));
    assert_eq!(config.method, Some(ConversationScopedWebhookMethod::Get));
    assert_eq!(
        config.filters,
        Some(vec![
            "onMessageSent".to_owned(),
            "onConversationDestroyed".to_owned()
        ])
    );
    assert_sole_request(&server, "POST", &conv_path(), None, Some(body)).await;
}

#[tokio::test]
async fn create_conversation_scoped_webhook_studio_target() {
    let server = server().await;
    let body = format!("Target=studio&Configuration.FlowSid={FLOW_SID}");
    given("POST", &conv_path())
        .and(body_string(body.clone()))
        .respond_with(json(201, response_fixture("fetch.json")))
        .expect(1)
        .mount(&server)
        .await;
    let mut params =
        CreateConversationScopedWebhookParams::new(ConversationScopedWebhookTarget::Studio);
    params.configuration_flow_sid = Some(FLOW_SID.into());
    let got = client(&server)
        .create_conversation_scoped_webhook(CONVERSATION_SID, &params)
        .await
        .unwrap();
    assert_eq!(got.target.as_deref(), Some("studio"));
    assert_sole_request(&server, "POST", &conv_path(), None, Some(&body)).await;
}

#[tokio::test]
async fn fetch_conversation_scoped_webhook() {
    let server = server().await;
    given("GET", &conv_item_path())
        .respond_with(json(200, response_fixture("fetch.json")))
        .expect(1)
        .mount(&server)
        .await;
    let got = client(&server)
        .fetch_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap();
    assert_eq!(got.sid.as_deref(), Some(WEBHOOK_SID));
    assert_eq!(got.account_sid.as_deref(), Some(ACCOUNT_SID));
    assert_eq!(got.target.as_deref(), Some("studio"));
    assert_eq!(
        got.typed_configuration()
            .unwrap()
            .unwrap()
            .flow_sid
            .as_deref(),
        Some(FLOW_SID)
    );
    assert_eq!(got.date_created.as_deref(), Some("2016-03-24T21:05:50Z"));
    assert_sole_request(&server, "GET", &conv_item_path(), None, None).await;
}

#[tokio::test]
async fn update_conversation_scoped_webhook() {
    let server = server().await;
    let body = format!(
        "Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Method=post\
         &Configuration.Filters=keyword1&Configuration.Filters=keyword2\
         &Configuration.Triggers=t1&Configuration.FlowSid={FLOW_SID}"
    );
    given("POST", &conv_item_path())
        .and(header("content-type", FORM))
        .and(body_string(body.clone()))
        .respond_with(json(200, response_fixture("update.json")))
        .expect(1)
        .mount(&server)
        .await;
    let params = UpdateConversationScopedWebhookParams::new()
        .configuration_url("https://example.com")
        .configuration_method(ConversationScopedWebhookMethod::Post)
        .configuration_filters(["keyword1", "keyword2"])
        .configuration_triggers(["t1"])
        .configuration_flow_sid(FLOW_SID);
    let got = client(&server)
        .update_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID, &params)
        .await
        .unwrap();
    assert_eq!(got.target.as_deref(), Some("trigger"));
    assert_eq!(got.date_updated.as_deref(), Some("2016-03-24T21:05:51Z"));
    let config = got.typed_configuration().unwrap().unwrap();
    assert_eq!(config.method, Some(ConversationScopedWebhookMethod::Post));
    assert_eq!(
        config.filters,
        Some(vec!["keyword1".to_owned(), "keyword2".to_owned()])
    );
    assert_sole_request(&server, "POST", &conv_item_path(), None, Some(&body)).await;
}

#[tokio::test]
async fn delete_conversation_scoped_webhook_204_is_ok() {
    let server = server().await;
    given("DELETE", &conv_item_path())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .delete_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap();
    assert_sole_request(&server, "DELETE", &conv_item_path(), None, None).await;
}

// ---------- /v1/Services/{ChatServiceSid}/Configuration/Webhooks ----------

#[tokio::test]
async fn fetch_service_webhook_configuration() {
    let server = server().await;
    given("GET", &service_config_path())
        .respond_with(json(
            200,
            response_fixture("service_configuration_fetch.json"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let got = client(&server)
        .fetch_service_webhook_configuration(SERVICE_SID)
        .await
        .unwrap();
    assert_eq!(got.chat_service_sid.as_deref(), Some(SERVICE_SID));
    assert_eq!(got.method, Some(ServiceWebhookConfigurationMethod::Post));
    assert_eq!(
        got.filters,
        Some(vec![
            "onMessageRemove".to_owned(),
            "onParticipantAdd".to_owned()
        ])
    );
    assert_eq!(
        got.pre_webhook_url.as_deref(),
        Some("https://www.example.com/pre")
    );
    assert_sole_request(&server, "GET", &service_config_path(), None, None).await;
}

#[tokio::test]
async fn update_service_webhook_configuration() {
    let server = server().await;
    let body = "PreWebhookUrl=https%3A%2F%2Fwww.example.com%2Fpre\
                &PostWebhookUrl=https%3A%2F%2Fwww.example.com%2Fpost\
                &Filters=onMessageRemove&Filters=onParticipantAdd&Method=POST";
    given("POST", &service_config_path())
        .and(header("content-type", FORM))
        .and(body_string(body))
        .respond_with(json(
            200,
            response_fixture("service_configuration_fetch.json"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let params = UpdateServiceWebhookConfigurationParams::new()
        .pre_webhook_url("https://www.example.com/pre")
        .post_webhook_url("https://www.example.com/post")
        .filters(["onMessageRemove", "onParticipantAdd"])
        .method("POST");
    let got = client(&server)
        .update_service_webhook_configuration(SERVICE_SID, &params)
        .await
        .unwrap();
    assert_eq!(
        got.post_webhook_url.as_deref(),
        Some("https://www.example.com/post")
    );
    assert_sole_request(&server, "POST", &service_config_path(), None, Some(body)).await;
}

// ---------- /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks ----------

#[tokio::test]
async fn list_service_conversation_scoped_webhook() {
    let server = server().await;
    given("GET", &service_conv_path())
        .and(query_param("PageSize", "2"))
        .respond_with(json(200, response_fixture("service_list.json")))
        .expect(1)
        .mount(&server)
        .await;
    let params = ListServiceConversationScopedWebhookParams::new().page_size(2);
    let page = client(&server)
        .list_service_conversation_scoped_webhook(SERVICE_SID, CONVERSATION_SID, &params)
        .await
        .unwrap();
    assert!(!page.webhooks.is_empty());
    for hook in &page.webhooks {
        assert_eq!(hook.chat_service_sid.as_deref(), Some(SERVICE_SID));
        assert_eq!(hook.sid.as_deref(), Some(WEBHOOK_SID));
    }
    assert_eq!(page.webhooks[0].target.as_deref(), Some("webhook"));
    assert_eq!(page.meta.key.as_deref(), Some("webhooks"));
    assert_sole_request(
        &server,
        "GET",
        &service_conv_path(),
        Some("PageSize=2"),
        None,
    )
    .await;
}

#[tokio::test]
async fn list_without_params_sends_no_query() {
    let server = server().await;
    given("GET", &service_conv_path())
        .respond_with(json(200, response_fixture("service_list.json")))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .list_service_conversation_scoped_webhook(
            SERVICE_SID,
            CONVERSATION_SID,
            &Default::default(),
        )
        .await
        .unwrap();
    assert_sole_request(&server, "GET", &service_conv_path(), None, None).await;
}

#[tokio::test]
async fn create_service_conversation_scoped_webhook() {
    let server = server().await;
    let body =
        "Target=trigger&Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Method=post\
                &Configuration.Triggers=keyword1&Configuration.Triggers=keyword2\
                &Configuration.ReplayAfter=0";
    given("POST", &service_conv_path())
        .and(header("content-type", FORM))
        .and(body_string(body))
        .respond_with(json(201, response_fixture("service_create.json")))
        .expect(1)
        .mount(&server)
        .await;
    let mut params = CreateServiceConversationScopedWebhookParams::new(
        ServiceConversationScopedWebhookTarget::Trigger,
    );
    params.configuration_url = Some("https://example.com".into());
    params.configuration_method = Some(ServiceConversationScopedWebhookMethod::Post);
    params.configuration_triggers = vec!["keyword1".into(), "keyword2".into()];
    params.configuration_replay_after = Some(0);
    let got = client(&server)
        .create_service_conversation_scoped_webhook(SERVICE_SID, CONVERSATION_SID, &params)
        .await
        .unwrap();
    assert_eq!(got.sid.as_deref(), Some(WEBHOOK_SID));
    assert_eq!(got.chat_service_sid.as_deref(), Some(SERVICE_SID));
    assert_eq!(
        got.typed_configuration().unwrap().unwrap().method,
        Some(ServiceConversationScopedWebhookMethod::Get)
    );
    assert_sole_request(&server, "POST", &service_conv_path(), None, Some(body)).await;
}

#[tokio::test]
async fn fetch_service_conversation_scoped_webhook() {
    let server = server().await;
    given("GET", &service_conv_item_path())
        .respond_with(json(200, response_fixture("service_fetch.json")))
        .expect(1)
        .mount(&server)
        .await;
    let got = client(&server)
        .fetch_service_conversation_scoped_webhook(SERVICE_SID, CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap();
    assert_eq!(got.sid.as_deref(), Some(WEBHOOK_SID));
    assert_eq!(got.target.as_deref(), Some("studio"));
    assert_eq!(
        got.typed_configuration()
            .unwrap()
            .unwrap()
            .flow_sid
            .as_deref(),
        Some(FLOW_SID)
    );
    assert_sole_request(&server, "GET", &service_conv_item_path(), None, None).await;
}

#[tokio::test]
async fn update_service_conversation_scoped_webhook() {
    let server = server().await;
    let body =
        "Configuration.Method=post&Configuration.Filters=keyword1&Configuration.Filters=keyword2";
    given("POST", &service_conv_item_path())
        .and(header("content-type", FORM))
        .and(body_string(body))
        .respond_with(json(200, response_fixture("service_update.json")))
        .expect(1)
        .mount(&server)
        .await;
    let params = UpdateServiceConversationScopedWebhookParams::new()
        .configuration_method(ServiceConversationScopedWebhookMethod::Post)
        .configuration_filters(["keyword1", "keyword2"]);
    let got = client(&server)
        .update_service_conversation_scoped_webhook(
            SERVICE_SID,
            CONVERSATION_SID,
            WEBHOOK_SID,
            &params,
        )
        .await
        .unwrap();
    assert_eq!(got.target.as_deref(), Some("trigger"));
    assert_eq!(
        got.typed_configuration().unwrap().unwrap().filters,
        Some(vec!["keyword1".to_owned(), "keyword2".to_owned()])
    );
    assert_sole_request(&server, "POST", &service_conv_item_path(), None, Some(body)).await;
}

#[tokio::test]
async fn delete_service_conversation_scoped_webhook_204_is_ok() {
    let server = server().await;
    given("DELETE", &service_conv_item_path())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .delete_service_conversation_scoped_webhook(SERVICE_SID, CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap();
    assert_sole_request(&server, "DELETE", &service_conv_item_path(), None, None).await;
}

// ---------- path encoding, errors, paging ----------

#[tokio::test]
async fn conversation_sid_with_slashes_stays_one_segment() {
    let server = server().await;
    for (sid, encoded) in [("a/b", "a%2Fb"), ("../x", "..%2Fx")] {
        let p = format!("/v1/Conversations/{encoded}/Webhooks");
        given("POST", &p)
            .and(body_string("Target=webhook"))
            .respond_with(json(201, response_fixture("create.json")))
            .expect(1)
            .mount(&server)
            .await;
        given("GET", &p)
            .respond_with(json(200, response_fixture("list.json")))
            .expect(1)
            .mount(&server)
            .await;
        let client = client(&server);
        client
            .create_conversation_scoped_webhook(
                sid,
                &CreateConversationScopedWebhookParams::new(
                    ConversationScopedWebhookTarget::Webhook,
                ),
            )
            .await
            .unwrap();
        client
            .list_conversation_scoped_webhook(sid, &Default::default())
            .await
            .unwrap();
    }
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/v1/Conversations/a%2Fb/Webhooks",
            "/v1/Conversations/a%2Fb/Webhooks",
            "/v1/Conversations/..%2Fx/Webhooks",
            "/v1/Conversations/..%2Fx/Webhooks",
        ]
    );
}

#[tokio::test]
async fn twilio_error_body_becomes_api_error() {
    let server = server().await;
    let body = r#"{"code":20404,"message":"The requested resource /v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks/WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"#;
    given("GET", &conv_item_path())
        .respond_with(json(404, body.into()))
        .expect(1)
        .mount(&server)
        .await;
    given("DELETE", &conv_item_path())
        .respond_with(json(404, body.into()))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client
        .fetch_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap_err();
    match &err {
        Error::Api(api) => {
            assert_eq!(api.status(), StatusCode::NOT_FOUND);
            assert_eq!(api.code(), Some(20404));
            assert_eq!(
                api.more_info(),
                Some("https://www.twilio.com/docs/errors/20404")
            );
            assert_eq!(api.body_status(), Some(404));
            assert!(api.message().contains("was not found"), "{}", api.message());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.code(), Some(20404));
    let err = client
        .delete_conversation_scoped_webhook(CONVERSATION_SID, WEBHOOK_SID)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api(api) if api.code() == Some(20404)),
        "{err:?}"
    );
}

#[tokio::test]
async fn invalid_sid_is_rejected_before_sending() {
    let server = server().await;
    let err = client(&server)
        .fetch_conversation_scoped_webhook(CONVERSATION_SID, "WHnothex")
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn list_stream_follows_next_page_on_the_mock_server() {
    let server = server().await;
    let first = serde_json::json!({
        "meta": {
            "page": 0, "page_size": 2, "key": "webhooks",
            "next_page_url": format!("{}{}?PageSize=2&Page=1&PageToken=PAWH2", server.uri(), conv_path()),
        },
        "webhooks": [
            { "sid": "WH00000000000000000000000000000001", "target": "webhook" },
            { "sid": "WH00000000000000000000000000000002", "target": "trigger" },
        ],
    });
    let second = serde_json::json!({
        "meta": { "page": 1, "page_size": 2, "key": "webhooks", "next_page_url": null },
        "webhooks": [ { "sid": "WH00000000000000000000000000000003", "target": "studio" } ],
    });
    given("GET", &conv_path())
        .and(query_param("PageSize", "2"))
        .and(wiremock::matchers::query_param_is_missing("Page"))
        .respond_with(json(200, first.to_string().into()))
        .expect(1)
        .mount(&server)
        .await;
    given("GET", &conv_path())
        .and(query_param("PageSize", "2"))
        .and(query_param("Page", "1"))
        .and(query_param("PageToken", "PAWH2"))
        .respond_with(json(200, second.to_string().into()))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let params = ListConversationScopedWebhookParams::new().page_size(2);
    let hooks: Vec<_> = client
        .list_conversation_scoped_webhook_stream(CONVERSATION_SID, &params, None)
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let sids: Vec<_> = hooks.iter().map(|h| h.sid.clone().unwrap()).collect();
    assert_eq!(
        sids,
        [
            "WH00000000000000000000000000000001",
            "WH00000000000000000000000000000002",
            "WH00000000000000000000000000000003",
        ]
    );
    assert_eq!(hooks[2].target.as_deref(), Some("studio"));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
