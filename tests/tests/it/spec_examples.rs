//! Every response example written in spec/ round-trips through its model: it
//! parses, and serializing the model gives back every key and value of the
//! example.

use http::Response;
use integration_tests::repo_root;
use serde_json::Value;
use twilio_codegen::load::Documents;
use twilio_conversations_webhooks::{responses, Error};

fn json<T: serde::Serialize>(parsed: Result<T, Error>) -> Result<Value, Error> {
    parsed.map(|model| serde_json::to_value(model).unwrap())
}

/// Parses `body` with the parser of `operation_id` and serializes the model back.
fn round_trip(operation_id: &str, status: u16, body: &[u8]) -> Result<Value, Error> {
    let response = Response::builder()
        .status(status)
        .body(body.to_vec())
        .unwrap();
    match operation_id {
        "CreateConversationScopedWebhook" => {
            json(responses::create_conversation_scoped_webhook(&response))
        }
        "ListConversationScopedWebhook" => {
            json(responses::list_conversation_scoped_webhook(&response))
        }
        "FetchConversationScopedWebhook" => {
            json(responses::fetch_conversation_scoped_webhook(&response))
        }
        "UpdateConversationScopedWebhook" => {
            json(responses::update_conversation_scoped_webhook(&response))
        }
        "CreateServiceConversationScopedWebhook" => json(
            responses::create_service_conversation_scoped_webhook(&response),
        ),
        "ListServiceConversationScopedWebhook" => json(
            responses::list_service_conversation_scoped_webhook(&response),
        ),
        "FetchServiceConversationScopedWebhook" => json(
            responses::fetch_service_conversation_scoped_webhook(&response),
        ),
        "UpdateServiceConversationScopedWebhook" => json(
            responses::update_service_conversation_scoped_webhook(&response),
        ),
        "FetchServiceWebhookConfiguration" => {
            json(responses::fetch_service_webhook_configuration(&response))
        }
        "UpdateServiceWebhookConfiguration" => {
            json(responses::update_service_webhook_configuration(&response))
        }
        "FetchConfigurationWebhook" => json(responses::fetch_configuration_webhook(&response)),
        "UpdateConfigurationWebhook" => json(responses::update_configuration_webhook(&response)),
        other => panic!("no parser mapped for {other}"),
    }
}

/// Every key of `expected` is in `actual` with the same value (recursively);
/// `actual` may have more keys (absent fields serialize as null).
fn assert_contains(actual: &Value, expected: &Value, at: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (key, value) in e {
                let got = a.get(key).unwrap_or(&Value::Null);
                assert_contains(got, value, &format!("{at}/{key}"));
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{at}");
            for (i, (a, e)) in a.iter().zip(e).enumerate() {
                assert_contains(a, e, &format!("{at}/{i}"));
            }
        }
        _ => assert_eq!(actual, expected, "{at}"),
    }
}

#[test]
fn every_spec_example_round_trips() {
    let docs = Documents::load(&repo_root().join("spec")).unwrap();
    let mut checked = 0;
    for file in docs.files().map(|p| p.to_owned()).collect::<Vec<_>>() {
        let root = twilio_codegen::Location::new(&file, "");
        let document = docs.get(&root).unwrap();
        for (key, item) in document.as_object().unwrap() {
            let Some(item) = item.as_object() else {
                continue;
            };
            if key == "components" || key == "paths" {
                continue;
            }
            for op in ["get", "post"].iter().filter_map(|m| item.get(*m)) {
                let id = op["operationId"].as_str().unwrap();
                for (status, response) in op["responses"].as_object().unwrap() {
                    let Some(examples) = response.pointer("/content/application~1json/examples")
                    else {
                        continue;
                    };
                    for (name, example) in examples.as_object().unwrap() {
                        let body = serde_json::to_vec(&example["value"]).unwrap();
                        let value = round_trip(id, status.parse().unwrap(), &body)
                            .unwrap_or_else(|e| panic!("{id} example {name}: {e}"));
                        assert_contains(&value, &example["value"], &format!("{id}:{name}"));
                        checked += 1;
                    }
                }
            }
        }
    }
    // Create, list (full + empty), fetch and update for both scoped resources,
    // fetch (+ fetchEmpty) and update for both configurations.
    assert_eq!(checked, 15);
}
