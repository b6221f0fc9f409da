//! Runs the `webhook-admin` binary against a local wiremock server standing in
//! for Twilio: the exact requests it sends, what it prints, how it exits.

use std::process::{Command, Output};

use wiremock::matchers::{
    basic_auth, body_string, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCOUNT_SID: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const AUTH_TOKEN: &str = "your_auth_token";
/// `Basic ` + base64("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:your_auth_token").
const BASIC_AUTH: &str =
    "Basic QUNhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYTp5b3VyX2F1dGhfdG9rZW4=";
const CONVERSATION: &str = "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const CREATED: &str = "WHbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const WEBHOOKS: &str = "/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks";
const CREATE_BODY: &str =
    "Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2Fhook%3Fsource%3Dtwilio\
                           &Configuration.Method=post&Configuration.Filters=onMessageAdded";

fn webhook(sid: &str, target: &str, configuration: &str) -> String {
    format!(
        r#"{{"account_sid": "{ACCOUNT_SID}", "conversation_sid": "{CONVERSATION}", "sid": "{sid}",
            "target": "{target}", "configuration": {configuration},
            "date_created": "2016-03-24T21:05:50Z", "date_updated": "2016-03-24T21:05:50Z",
            "url": "https://conversations.twilio.com{WEBHOOKS}/{sid}"}}"#
    )
}

fn page(webhooks: &[String], page: u32, next_page_url: Option<String>) -> String {
    let next = next_page_url.map_or("null".to_owned(), |url| format!("{url:?}"));
    format!(
        r#"{{"webhooks": [{}], "meta": {{"page": {page}, "page_size": 2, "key": "webhooks",
            "first_page_url": null, "previous_page_url": null, "url": null,
            "next_page_url": {next}}}}}"#,
        webhooks.join(", ")
    )
}

fn json(status: u16, body: String) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/json")
        .set_body_string(body)
}

/// Twilio's side of one run: create, two pages of list, delete.
async fn twilio() -> MockServer {
    let server = MockServer::start().await;
    assert!(
        server.uri().starts_with("http://127.0.0.1:"),
        "{}",
        server.uri()
    );
    let created = webhook(
        CREATED,
        "webhook",
        r#"{"url": "https://example.com/hook?source=twilio", "method": "post", "filters": ["onMessageAdded"]}"#,
    );
    let existing = webhook(
        "WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "studio",
        r#"{"flow_sid": "FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#,
    );
    let trigger = webhook(
        "WHcccccccccccccccccccccccccccccccc",
        "trigger",
        r#"{"url": "https://example.com/trigger", "method": "get", "filters": ["keyword"]}"#,
    );
    Mock::given(method("POST"))
        .and(path(WEBHOOKS))
        .and(basic_auth(ACCOUNT_SID, AUTH_TOKEN))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(CREATE_BODY))
        .respond_with(json(201, created.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let second_page = format!("{}{WEBHOOKS}?PageSize=2&Page=1&PageToken=PT1", server.uri());
    Mock::given(method("GET"))
        .and(path(WEBHOOKS))
        .and(basic_auth(ACCOUNT_SID, AUTH_TOKEN))
        .and(query_param_is_missing("PageToken"))
        .respond_with(json(200, page(&[existing, created], 0, Some(second_page))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(WEBHOOKS))
        .and(basic_auth(ACCOUNT_SID, AUTH_TOKEN))
        .and(query_param("PageToken", "PT1"))
        .respond_with(json(200, page(&[trigger], 1, None)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{WEBHOOKS}/{CREATED}")))
        .and(basic_auth(ACCOUNT_SID, AUTH_TOKEN))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    server
}

/// Runs the binary (off the runtime's threads: the mock server needs them).
async fn webhook_admin(base_url: Option<String>, args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|&arg| arg.to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_webhook-admin"));
        command
            .args(args)
            .env("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
            .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
            .env_remove("TWILIO_BASE_URL");
        if let Some(url) = base_url {
            command.env("TWILIO_BASE_URL", url);
        }
        command.output().unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_lists_all_pages_and_deletes() {
    let server = twilio().await;
    let output = webhook_admin(
        Some(server.uri()),
        &[CONVERSATION, "https://example.com/hook?source=twilio"],
    )
    .await;

    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "exit status {}",
        output.status
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "created WHbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb webhook https://example.com/hook?source=twilio\n\
         3 webhooks on CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:\n\
         \x20 WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa studio FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n\
         \x20 WHbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb webhook https://example.com/hook?source=twilio\n\
         \x20 WHcccccccccccccccccccccccccccccccc trigger https://example.com/trigger\n\
         deleted WHbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
    );

    // Exactly these requests, in this order, byte for byte.
    let received = server.received_requests().await.unwrap();
    let seen: Vec<(String, String, String)> = received
        .iter()
        .map(|request| {
            assert_eq!(request.headers["authorization"], BASIC_AUTH);
            assert_eq!(request.headers["accept"], "application/json");
            let target = match request.url.query() {
                Some(query) => format!("{}?{query}", request.url.path()),
                None => request.url.path().to_owned(),
            };
            let body = String::from_utf8(request.body.clone()).unwrap();
            (request.method.to_string(), target, body)
        })
        .collect();
    let expected = [
        ("POST", WEBHOOKS.to_owned(), CREATE_BODY),
        ("GET", WEBHOOKS.to_owned(), ""),
        (
            "GET",
            format!("{WEBHOOKS}?PageSize=2&Page=1&PageToken=PT1"),
            "",
        ),
        ("DELETE", format!("{WEBHOOKS}/{CREATED}"), ""),
    ]
    .map(|(verb, target, body)| (verb.to_owned(), target, body.to_owned()));
    assert_eq!(seen, expected);
    // The mocks' `expect(1)`s are checked when `server` drops.
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_twilio_error_is_one_line_and_exit_status_1() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(WEBHOOKS))
        .respond_with(json(
            401,
            r#"{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}"#
                .to_owned(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let output = webhook_admin(
        Some(server.uri()),
        &[CONVERSATION, "https://example.com/hook"],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains("20003") && stderr.contains("Authenticate"),
        "{stderr}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn without_arguments_it_prints_usage_and_exits_2() {
    let output = webhook_admin(None, &[CONVERSATION]).await;
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "");
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "error: expected two arguments\n\
         usage: webhook-admin CONVERSATION_SID WEBHOOK_URL\n\
         environment: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, and optionally TWILIO_BASE_URL\n"
    );
}
