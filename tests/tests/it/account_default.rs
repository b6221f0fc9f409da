//! The account parameter on the wire: a path parameter named `AccountSid`
//! is no argument; the request builders and the client write the account
//! the `Api` acts for (the credentials' unless a subaccount is set) into the
//! path, checked and percent-encoded like an argument. Exact paths and
//! bodies as a wiremock server on 127.0.0.1 received them, and exact errors
//! before any request.
//!
//! The operations are those of `tests/cases/account_param.yaml` and
//! `tests/cases/inequality_filters.yaml`, in `request-wire-cases`
//! (`tests/request_wire.yaml`).

use integration_tests::{ACCOUNT_SID, AUTH_TOKEN, BASIC_AUTH};
use request_wire_cases::requests::{self, ListCallParams, UpdateIncomingPhoneNumberParams};
use request_wire_cases::{Api, Client, Credentials, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SUBACCOUNT: &str = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const RECORDING: &str = "REcccccccccccccccccccccccccccccccc";
const NUMBER: &str = "PNdddddddddddddddddddddddddddddddd";

/// A server answering every request with `status` and an empty JSON object.
async fn server(status: u16) -> MockServer {
    let server = MockServer::start().await;
    assert!(server.uri().starts_with("http://127.0.0.1:"));
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("content-type", "application/json")
                .set_body_string("{}"),
        )
        .mount(&server)
        .await;
    server
}

fn credentials() -> Credentials {
    Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN)
}

fn client(server: &MockServer) -> Client {
    Client::builder(credentials())
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// The requests the server received, each signed with the credentials
/// (the parent's, whichever account the request acts for).
async fn received(server: &MockServer) -> Vec<Request> {
    let requests = server.received_requests().await.unwrap();
    for request in &requests {
        let authorization = request.headers.get("authorization").unwrap();
        assert_eq!(authorization.to_str().unwrap(), BASIC_AUTH);
    }
    requests
}

fn recording_path(account: &str) -> String {
    format!("/2010-04-01/Accounts/{account}/Recordings/{RECORDING}.json")
}

#[tokio::test]
async fn the_client_fills_the_account_of_the_credentials() {
    let server = server(200).await;
    client(&server).fetch_recording(RECORDING).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method.as_str(), "GET");
    assert_eq!(requests[0].url.path(), recording_path(ACCOUNT_SID));
}

#[tokio::test]
async fn a_subaccount_wins_for_one_call_or_every_call() {
    let server = server(200).await;
    let client = client(&server);
    client
        .with_account_sid(SUBACCOUNT)
        .fetch_recording(RECORDING)
        .await
        .unwrap();
    // The client it was made from still acts for the credentials' account.
    client.fetch_recording(RECORDING).await.unwrap();
    let built = Client::builder(credentials())
        .base_url(server.uri())
        .account_sid(SUBACCOUNT)
        .build()
        .unwrap();
    built.fetch_recording(RECORDING).await.unwrap();

    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            recording_path(SUBACCOUNT),
            recording_path(ACCOUNT_SID),
            recording_path(SUBACCOUNT),
        ]
    );
}

#[tokio::test]
async fn an_invalid_account_fails_before_any_request() {
    let server = server(200).await;
    let err = client(&server)
        .with_account_sid("ACnope")
        .fetch_recording(RECORDING)
        .await
        .unwrap_err();
    assert!(err.is_validation());
    assert_eq!(
        err.to_string(),
        r#"invalid AccountSid: expected a value matching ^AC[0-9a-fA-F]{32}$, found "ACnope""#
    );
    // A dot segment is refused by the path encoding where the spec has no
    // pattern (inequality_filters' `AccountSid`).
    let err = client(&server)
        .with_account_sid("..")
        .list_call(&ListCallParams::new())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"invalid AccountSid: expected a non-empty value other than . or .., found "..""#
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn the_account_is_percent_encoded_as_one_segment() {
    let server = server(204).await;
    client(&server)
        .with_account_sid("AC a/b?")
        .list_call(&ListCallParams::new())
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.path(),
        "/2010-04-01/Accounts/AC%20a%2Fb%3F/Calls.json"
    );
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn a_form_field_named_account_sid_is_still_a_field() {
    let server = server(204).await;
    let params = UpdateIncomingPhoneNumberParams::new()
        .account_sid(SUBACCOUNT)
        .friendly_name("moved");
    client(&server)
        .update_incoming_phone_number(NUMBER, &params)
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.path(),
        format!("/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers/{NUMBER}.json")
    );
    assert_eq!(
        std::str::from_utf8(&requests[0].body).unwrap(),
        format!("AccountSid={SUBACCOUNT}&FriendlyName=moved")
    );
}

#[tokio::test]
async fn a_sid_in_the_account_s_own_path_is_an_argument() {
    let server = server(204).await;
    client(&server).fetch_account(SUBACCOUNT).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.path(),
        format!("/2010-04-01/Accounts/{SUBACCOUNT}.json")
    );
}

#[test]
fn the_sans_io_builders_fill_the_account_of_the_api() {
    let base = "https://api.example.com";
    let api = Api::new(credentials());
    let request = requests::fetch_recording(&api, RECORDING).unwrap();
    assert_eq!(
        request.uri().to_string(),
        format!("{base}{}", recording_path(ACCOUNT_SID))
    );

    let request = requests::fetch_recording(&api.with_account_sid(SUBACCOUNT), RECORDING).unwrap();
    assert_eq!(
        request.uri().to_string(),
        format!("{base}{}", recording_path(SUBACCOUNT))
    );
    let built = Api::builder(credentials())
        .account_sid(SUBACCOUNT)
        .build()
        .unwrap();
    let request = requests::fetch_recording(&built, RECORDING).unwrap();
    assert_eq!(request.uri().path(), recording_path(SUBACCOUNT));

    let err = requests::fetch_recording(&api.with_account_sid("ACnope"), RECORDING).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"invalid AccountSid: expected a value matching ^AC[0-9a-fA-F]{32}$, found "ACnope""#
    );
    // The account is checked first, like the first argument it replaces.
    let err = requests::fetch_recording(&api.with_account_sid("ACnope"), "REnope").unwrap_err();
    assert!(err.to_string().starts_with("invalid AccountSid:"), "{err}");
}
