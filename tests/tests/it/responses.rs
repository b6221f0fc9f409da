//! Every example response of the seed pages parses into the models, with the
//! values it carries.

use http::Response;
use integration_tests::response_fixture;
use twilio_conversations_webhooks::models::*;
use twilio_conversations_webhooks::responses::*;
use twilio_conversations_webhooks::Page;

fn ok(status: u16, fixture: &str) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .body(response_fixture(fixture))
        .unwrap()
}

#[test]
fn create_example_parses_with_typed_configuration() {
    let webhook = create_conversation_scoped_webhook(&ok(201, "create.json")).unwrap();
    assert_eq!(
        webhook.sid.as_deref(),
        Some("WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(webhook.conversation_sid.as_deref(), Some("ConversationSid"));
    assert_eq!(webhook.target.as_deref(), Some("webhook"));
    assert_eq!(
        webhook.date_created.as_deref(),
        Some("2016-03-24T21:05:50Z")
    );
    // The field keeps the JSON as sent; the typed view reads it.
    assert_eq!(
        webhook.configuration.as_ref().unwrap()["url"],
        "https://example.com"
    );
    let configuration = webhook.typed_configuration().unwrap().unwrap();
    assert_eq!(configuration.url.as_deref(), Some("https://example.com"));
    assert_eq!(
        configuration.method,
        Some(ConversationScopedWebhookMethod::Get)
    );
    assert_eq!(
        configuration.filters,
        Some(vec![
            "onMessageSent".to_owned(),
            "onConversationDestroyed".to_owned()
        ])
    );
    assert_eq!(configuration.flow_sid, None);
    assert!(configuration.other.is_empty());
}

#[test]
fn studio_fetch_example_has_a_flow_sid() {
    let webhook = fetch_conversation_scoped_webhook(&ok(200, "fetch.json")).unwrap();
    assert_eq!(webhook.target.as_deref(), Some("studio"));
    let configuration = webhook.typed_configuration().unwrap().unwrap();
    assert_eq!(
        configuration.flow_sid.as_deref(),
        Some("FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(configuration.method, None);
}

#[test]
fn list_examples_are_pages() {
    {
        let page = list_conversation_scoped_webhook(&ok(200, "list.json")).unwrap();
        assert_eq!(page.meta.page, Some(0));
        assert_eq!(page.meta.page_size, Some(5));
        assert_eq!(page.meta.key.as_deref(), Some("webhooks"));
        assert_eq!(page.next_page_url(), None);
        let targets: Vec<_> = page
            .webhooks
            .iter()
            .map(|w| w.target.clone().unwrap())
            .collect();
        assert_eq!(targets, ["webhook", "trigger", "studio"]);
        assert_eq!(
            page.webhooks[1]
                .typed_configuration()
                .unwrap()
                .unwrap()
                .method,
            Some(ConversationScopedWebhookMethod::Post)
        );
    }
    let page = list_service_conversation_scoped_webhook(&ok(200, "service_list.json")).unwrap();
    assert_eq!(page.webhooks.len(), 3);
    assert_eq!(
        page.webhooks[0].chat_service_sid.as_deref(),
        Some(integration_tests::SERVICE_SID)
    );
    let items = page.into_items();
    assert_eq!(
        items[2]
            .typed_configuration()
            .unwrap()
            .and_then(|c| c.flow_sid)
            .as_deref(),
        Some("FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
}

#[test]
fn update_examples_parse() {
    let webhook = update_conversation_scoped_webhook(&ok(200, "update.json")).unwrap();
    assert_eq!(
        webhook.date_updated.as_deref(),
        Some("2016-03-24T21:05:51Z")
    );
    for fixture in ["service_update.json", "service_update_004.json"] {
        let webhook = update_service_conversation_scoped_webhook(&ok(200, fixture)).unwrap();
        assert_eq!(webhook.target.as_deref(), Some("trigger"));
        let configuration = webhook.typed_configuration().unwrap().unwrap();
        assert_eq!(
            configuration.method,
            Some(ServiceConversationScopedWebhookMethod::Post)
        );
        assert_eq!(
            configuration.filters,
            Some(vec!["keyword1".to_owned(), "keyword2".to_owned()])
        );
    }
}

#[test]
fn service_scoped_create_and_fetch_examples_parse() {
    let created =
        create_service_conversation_scoped_webhook(&ok(201, "service_create.json")).unwrap();
    assert_eq!(
        created.chat_service_sid.as_deref(),
        Some("ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(
        created.typed_configuration().unwrap().unwrap().method,
        Some(ServiceConversationScopedWebhookMethod::Get)
    );
    let fetched =
        fetch_service_conversation_scoped_webhook(&ok(200, "service_fetch.json")).unwrap();
    assert_eq!(
        fetched
            .typed_configuration()
            .unwrap()
            .unwrap()
            .flow_sid
            .as_deref(),
        Some("FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
}

#[test]
fn schema_generated_example_without_configuration_parses() {
    let webhook =
        create_conversation_scoped_webhook(&ok(201, "create_schema_example_001.json")).unwrap();
    assert_eq!(webhook.sid.as_deref(), Some("string"));
    assert_eq!(webhook.configuration, None);
    assert_eq!(
        webhook.date_created.as_deref(),
        Some("2023-05-04T09:42:00+00:00")
    );
}

#[test]
fn service_configuration_examples_parse_including_fetch_empty() {
    let config =
        fetch_service_webhook_configuration(&ok(200, "service_configuration_fetch.json")).unwrap();
    assert_eq!(config.method, Some(ServiceWebhookConfigurationMethod::Post));
    assert_eq!(config.method.as_ref().unwrap().as_str(), "POST");
    assert_eq!(
        config.pre_webhook_url.as_deref(),
        Some("https://www.example.com/pre")
    );
    assert_eq!(
        config.filters,
        Some(vec![
            "onMessageRemove".to_owned(),
            "onParticipantAdd".to_owned()
        ])
    );

    // `method` is a non-nullable enum $ref in the spec, yet Twilio sends null.
    let empty =
        fetch_service_webhook_configuration(&ok(200, "service_configuration_fetch_empty.json"))
            .unwrap();
    assert_eq!(empty.method, None);
    assert_eq!(empty.filters, None);
    assert_eq!(empty.pre_webhook_url, None);
    assert_eq!(
        empty.chat_service_sid.as_deref(),
        Some("ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
}

#[test]
fn enums_read_any_case_write_the_spec_spelling_and_keep_unknown_values() {
    let lower: ConversationScopedWebhookMethod = serde_json::from_str("\"GET\"").unwrap();
    assert_eq!(lower, ConversationScopedWebhookMethod::Get);
    assert_eq!(serde_json::to_string(&lower).unwrap(), "\"get\"");
    let upper: ServiceWebhookConfigurationMethod = "get".parse().unwrap();
    assert_eq!(upper.to_string(), "GET");
    let unknown: ConversationScopedWebhookTarget = serde_json::from_str("\"Flex\"").unwrap();
    assert_eq!(
        unknown,
        ConversationScopedWebhookTarget::Other("Flex".to_owned())
    );
    assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"Flex\"");
}

#[test]
fn unknown_fields_are_ignored_and_unknown_configuration_keys_kept() {
    let body = br#"{"sid":"WH1","brand_new_field":1,"configuration":{"url":"u","method":"patch","future":{"a":1}}}"#;
    let response = Response::builder().status(200).body(body.to_vec()).unwrap();
    let webhook = fetch_conversation_scoped_webhook(&response).unwrap();
    let configuration = webhook.typed_configuration().unwrap().unwrap();
    assert_eq!(
        configuration.method,
        Some(ConversationScopedWebhookMethod::Other("patch".to_owned()))
    );
    assert_eq!(configuration.other["future"], serde_json::json!({"a": 1}));
}

#[test]
fn delete_answers_unit() {
    let response = Response::builder().status(204).body(Vec::new()).unwrap();
    delete_conversation_scoped_webhook(&response).unwrap();
    delete_service_conversation_scoped_webhook(&response).unwrap();
}
