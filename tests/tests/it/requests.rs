//! The sans-IO request builders, used as a downstream crate would: for each of
//! the 14 operations, the exact method, URL, headers and body bytes.

use http::Request;
use integration_tests::*;
use twilio_conversations_webhooks::models::*;
use twilio_conversations_webhooks::requests::*;
use twilio_conversations_webhooks::{Api, Credentials, Endpoint, Error};

fn api() -> Api {
    Api::new(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
}

const FORM: &str = "application/x-www-form-urlencoded";

/// Asserts everything that goes on the wire.
fn assert_wire(request: &Request<Vec<u8>>, method: &str, url: &str, form: Option<&str>) {
    assert_eq!(request.method().as_str(), method);
    assert_eq!(request.uri().to_string(), url);
    assert_eq!(request.headers()["authorization"], BASIC_AUTH);
    assert_eq!(request.headers()["accept"], "application/json");
    match form {
        Some(body) => {
            assert_eq!(request.headers()["content-type"], FORM);
            assert_eq!(String::from_utf8(request.body().clone()).unwrap(), body);
        }
        None => {
            assert!(request.headers().get("content-type").is_none());
            assert!(request.body().is_empty());
        }
    }
}

const BASE: &str = "https://conversations.twilio.com";

#[test]
fn create_conversation_scoped_webhook_request() {
    let mut params =
        CreateConversationScopedWebhookParams::new(ConversationScopedWebhookTarget::Webhook);
    params.configuration_method = Some(ConversationScopedWebhookMethod::Get);
    params.configuration_filters = vec!["onMessageAdded".into(), "onConversationRemoved".into()];
    params.configuration_url = Some("https://example.com".into());
    params.configuration_replay_after = Some(7);
    let request = create_conversation_scoped_webhook(&api(), "ConversationSid", &params).unwrap();
    assert_wire(
        &request,
        "POST",
        &format!("{BASE}/v1/Conversations/ConversationSid/Webhooks"),
        Some("Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Method=get&Configuration.Filters=onMessageAdded&Configuration.Filters=onConversationRemoved&Configuration.ReplayAfter=7"),
    );
}

#[test]
fn list_conversation_scoped_webhook_request() {
    let params = ListConversationScopedWebhookParams::new().page_size(5);
    let request = list_conversation_scoped_webhook(&api(), CONVERSATION_SID, &params).unwrap();
    assert_wire(
        &request,
        "GET",
        &format!("{BASE}/v1/Conversations/{CONVERSATION_SID}/Webhooks?PageSize=5"),
        None,
    );
    let all = ListConversationScopedWebhookParams::new()
        .page_size(2)
        .page(1)
        .page_token("PT a&b");
    let request = list_conversation_scoped_webhook(&api(), CONVERSATION_SID, &all).unwrap();
    assert_wire(&request, "GET", &format!("{BASE}/v1/Conversations/{CONVERSATION_SID}/Webhooks?PageSize=2&Page=1&PageToken=PT+a%26b"), None);
    // The operation and its path template travel with the request, for
    // middleware and the client's tracing; the SID sent is not in them.
    assert_eq!(
        request.extensions().get::<Endpoint>(),
        Some(&Endpoint::new(
            "ListConversationScopedWebhook",
            "/v1/Conversations/{ConversationSid}/Webhooks"
        ))
    );
    let none =
        list_conversation_scoped_webhook(&api(), CONVERSATION_SID, &Default::default()).unwrap();
    assert_wire(
        &none,
        "GET",
        &format!("{BASE}/v1/Conversations/{CONVERSATION_SID}/Webhooks"),
        None,
    );
}

#[test]
fn fetch_and_delete_conversation_scoped_webhook_requests() {
    let fetch = fetch_conversation_scoped_webhook(&api(), "ConversationSid", WEBHOOK_SID).unwrap();
    assert_wire(
        &fetch,
        "GET",
        &format!("{BASE}/v1/Conversations/ConversationSid/Webhooks/{WEBHOOK_SID}"),
        None,
    );
    let delete =
        delete_conversation_scoped_webhook(&api(), "ConversationSid", WEBHOOK_SID).unwrap();
    assert_wire(
        &delete,
        "DELETE",
        &format!("{BASE}/v1/Conversations/ConversationSid/Webhooks/{WEBHOOK_SID}"),
        None,
    );
}

#[test]
fn update_conversation_scoped_webhook_request() {
    let params = UpdateConversationScopedWebhookParams::new()
        .configuration_filters(["keyword1", "keyword2"]);
    let request =
        update_conversation_scoped_webhook(&api(), "ConversationSid", WEBHOOK_SID, &params)
            .unwrap();
    assert_wire(
        &request,
        "POST",
        &format!("{BASE}/v1/Conversations/ConversationSid/Webhooks/{WEBHOOK_SID}"),
        Some("Configuration.Filters=keyword1&Configuration.Filters=keyword2"),
    );
}

#[test]
fn service_scoped_requests() {
    let create = CreateServiceConversationScopedWebhookParams::new(
        ServiceConversationScopedWebhookTarget::Webhook,
    );
    let request =
        create_service_conversation_scoped_webhook(&api(), SERVICE_SID, "ConversationSid", &create)
            .unwrap();
    assert_wire(
        &request,
        "POST",
        &format!("{BASE}/v1/Services/{SERVICE_SID}/Conversations/ConversationSid/Webhooks"),
        Some("Target=webhook"),
    );

    let list = list_service_conversation_scoped_webhook(
        &api(),
        SERVICE_SID,
        CONVERSATION_SID,
        &ListServiceConversationScopedWebhookParams::new().page_size(5),
    )
    .unwrap();
    assert_wire(
        &list,
        "GET",
        &format!(
            "{BASE}/v1/Services/{SERVICE_SID}/Conversations/{CONVERSATION_SID}/Webhooks?PageSize=5"
        ),
        None,
    );

    let fetch = fetch_service_conversation_scoped_webhook(
        &api(),
        SERVICE_SID,
        "ConversationSid",
        WEBHOOK_SID,
    )
    .unwrap();
    assert_wire(
        &fetch,
        "GET",
        &format!(
            "{BASE}/v1/Services/{SERVICE_SID}/Conversations/ConversationSid/Webhooks/{WEBHOOK_SID}"
        ),
        None,
    );

    // The update example of the seed page (its curl --data line, byte for byte).
    let update = UpdateServiceConversationScopedWebhookParams::new()
        .configuration_url("https://example.com")
        .configuration_method(ServiceConversationScopedWebhookMethod::Post)
        .configuration_triggers(["keyword1", "keyword2"]);
    let request = update_service_conversation_scoped_webhook(
        &api(),
        SERVICE_SID,
        CONVERSATION_SID,
        WEBHOOK_SID,
        &update,
    )
    .unwrap();
    assert_wire(
        &request,
        "POST",
        &format!("{BASE}/v1/Services/{SERVICE_SID}/Conversations/{CONVERSATION_SID}/Webhooks/{WEBHOOK_SID}"),
        Some("Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Method=post&Configuration.Triggers=keyword1&Configuration.Triggers=keyword2"),
    );

    let delete = delete_service_conversation_scoped_webhook(
        &api(),
        SERVICE_SID,
        "ConversationSid",
        WEBHOOK_SID,
    )
    .unwrap();
    assert_wire(
        &delete,
        "DELETE",
        &format!(
            "{BASE}/v1/Services/{SERVICE_SID}/Conversations/ConversationSid/Webhooks/{WEBHOOK_SID}"
        ),
        None,
    );
}

#[test]
fn configuration_requests() {
    let fetch = fetch_service_webhook_configuration(&api(), SERVICE_SID).unwrap();
    assert_wire(
        &fetch,
        "GET",
        &format!("{BASE}/v1/Services/{SERVICE_SID}/Configuration/Webhooks"),
        None,
    );
    let update = UpdateServiceWebhookConfigurationParams::new()
        .pre_webhook_url("https://www.example.com/pre")
        .post_webhook_url("https://www.example.com/post")
        .filters(["onMessageRemoved", "onParticipantAdded"])
        .method("GET");
    let request = update_service_webhook_configuration(&api(), SERVICE_SID, &update).unwrap();
    assert_wire(
        &request,
        "POST",
        &format!("{BASE}/v1/Services/{SERVICE_SID}/Configuration/Webhooks"),
        Some("PreWebhookUrl=https%3A%2F%2Fwww.example.com%2Fpre&PostWebhookUrl=https%3A%2F%2Fwww.example.com%2Fpost&Filters=onMessageRemoved&Filters=onParticipantAdded&Method=GET"),
    );

    let fetch = fetch_configuration_webhook(&api()).unwrap();
    assert_wire(
        &fetch,
        "GET",
        &format!("{BASE}/v1/Configuration/Webhooks"),
        None,
    );
    let update = UpdateConfigurationWebhookParams::new()
        .method("GET")
        .filters(["onConversationUpdated"])
        .pre_webhook_url("https://example.com/pre")
        .post_webhook_url("https://example.com/post")
        .target(ConfigurationWebhookTarget::Webhook);
    let request = update_configuration_webhook(&api(), &update).unwrap();
    assert_wire(
        &request,
        "POST",
        &format!("{BASE}/v1/Configuration/Webhooks"),
        Some("Method=GET&Filters=onConversationUpdated&PreWebhookUrl=https%3A%2F%2Fexample.com%2Fpre&PostWebhookUrl=https%3A%2F%2Fexample.com%2Fpost&Target=webhook"),
    );
}

#[test]
fn unique_names_stay_inside_their_path_segment() {
    let fetch = fetch_conversation_scoped_webhook(&api(), "my conv/../x?y#z", WEBHOOK_SID).unwrap();
    assert_eq!(
        fetch.uri().path(),
        format!("/v1/Conversations/my%20conv%2F..%2Fx%3Fy%23z/Webhooks/{WEBHOOK_SID}")
    );
    let error = fetch_conversation_scoped_webhook(&api(), "..", WEBHOOK_SID).unwrap_err();
    assert!(
        matches!(
            error,
            Error::Validation {
                field: "ConversationSid",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn invalid_parameters_are_refused_before_anything_is_built() {
    let error = fetch_conversation_scoped_webhook(&api(), CONVERSATION_SID, "WH123").unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"invalid Sid: expected a value matching ^WH[0-9a-fA-F]{32}$, found "WH123""#
    );
    let mut params =
        CreateConversationScopedWebhookParams::new(ConversationScopedWebhookTarget::Studio);
    params.configuration_flow_sid = Some("FWnope".into());
    let error = create_conversation_scoped_webhook(&api(), CONVERSATION_SID, &params).unwrap_err();
    assert!(
        matches!(
            error,
            Error::Validation {
                field: "Configuration.FlowSid",
                ..
            }
        ),
        "{error:?}"
    );
    let params = ListConversationScopedWebhookParams::new().page_size(6);
    let error = list_conversation_scoped_webhook(&api(), CONVERSATION_SID, &params).unwrap_err();
    assert!(
        matches!(
            error,
            Error::Validation {
                field: "PageSize",
                ..
            }
        ),
        "{error:?}"
    );
    let error = fetch_service_webhook_configuration(&api(), "IS-not-a-sid").unwrap_err();
    assert!(
        matches!(
            error,
            Error::Validation {
                field: "ChatServiceSid",
                ..
            }
        ),
        "{error:?}"
    );
}
