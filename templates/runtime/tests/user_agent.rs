//! The `User-Agent` every request of the client carries, as the server
//! receives it (wiremock on 127.0.0.1): Twilio's shape, with the generator's
//! version from the spec module, then the extensions in order.
#![cfg(feature = "client")]

use twilio_codegen_runtime::runtime::{spec, Client, Credentials, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The agent without extensions, spelled out.
fn base() -> String {
    format!(
        "twilio-codegen/{} (twilio-codegen-runtime/0.1.0; {} {}) rust",
        spec::GENERATOR_VERSION,
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// The `User-Agent` bytes of the one request `client` sends to `server`.
async fn sent_user_agent(server: &MockServer, client: &Client) -> Vec<u8> {
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(server)
        .await;
    let request = client
        .api()
        .request(http::Method::GET, "/v1/Things", None, None)
        .unwrap();
    client.execute(request).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let agents: Vec<_> = received[0].headers.get_all("user-agent").iter().collect();
    assert_eq!(agents.len(), 1, "exactly one User-Agent header");
    agents[0].as_bytes().to_vec()
}

#[tokio::test]
async fn the_default_agent_names_generator_crate_and_platform() {
    let server = MockServer::start().await;
    let client = Client::builder(Credentials::auth_token("AC1", "secret"))
        .base_url(server.uri())
        .build()
        .unwrap();
    assert_eq!(spec::GENERATOR_VERSION, "0.0.0");
    let expected = format!(
        "twilio-codegen/0.0.0 (twilio-codegen-runtime/0.1.0; {} {}) rust",
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    assert_eq!(
        sent_user_agent(&server, &client).await,
        expected.into_bytes()
    );
}

#[tokio::test]
async fn extensions_follow_after_spaces_in_order() {
    let server = MockServer::start().await;
    let client = Client::builder(Credentials::auth_token("AC1", "secret"))
        .base_url(server.uri())
        .user_agent_extension("my-app/1.2.0")
        .user_agent_extension("twilio-run/2.0.0-test")
        .build()
        .unwrap();
    let expected = format!("{} my-app/1.2.0 twilio-run/2.0.0-test", base());
    assert_eq!(
        sent_user_agent(&server, &client).await,
        expected.into_bytes()
    );
}

/// A request that already names an agent keeps it.
#[tokio::test]
async fn a_request_s_own_agent_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = Client::builder(Credentials::auth_token("AC1", "secret"))
        .base_url(server.uri())
        .build()
        .unwrap();
    let mut request = client
        .api()
        .request(http::Method::GET, "/v1/Things", None, None)
        .unwrap();
    request
        .headers_mut()
        .insert("user-agent", http::HeaderValue::from_static("mine/1"));
    client.execute(request).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].headers.get("user-agent").unwrap(), "mine/1");
}

#[test]
fn extensions_that_are_not_visible_ascii_are_refused() {
    for (extension, shown) in [
        ("", ""),
        ("my app", "my app"),
        ("app/1\r\nX-Injected: 1", "app/1\\r\\nX-Injected: 1"),
        ("app/é", "app/é"),
        ("tab\tbed", "tab\\tbed"),
    ] {
        let err = Client::builder(Credentials::auth_token("AC1", "secret"))
            .user_agent_extension("fine/1")
            .user_agent_extension(extension)
            .build()
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidUserAgentExtension { extension: e } if e == extension),
            "{extension:?}: {err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "invalid user agent extension \"{shown}\": it must be one or more visible ASCII \
                 characters (no spaces or control characters)"
            )
        );
    }
}
