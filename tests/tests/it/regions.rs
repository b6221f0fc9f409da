//! Regions, edges, the environment and the user agent on the generated crate,
//! whose server is Twilio's (`conversations.twilio.com`): where requests go
//! (recorded by the test transport: a regional Twilio host cannot be served
//! from 127.0.0.1 over https), which next pages are followed, and the agent.

use std::env::VarError;

use futures_util::TryStreamExt;
use http::Method;
use integration_tests::{ACCOUNT_SID, AUTH_TOKEN, CONVERSATION_SID};
use twilio_conversations_webhooks::requests::ListConversationScopedWebhookParams;
use twilio_conversations_webhooks::runtime::test_util::{Replay, ReplayResponse};
use twilio_conversations_webhooks::runtime::{spec, Api};
use twilio_conversations_webhooks::{Client, ClientBuilder, Credentials, Error};

const PATH: &str = "/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks";

/// The version in `generator/Cargo.toml`, which generated `generated/`.
fn generator_version() -> String {
    let manifest =
        std::fs::read_to_string(integration_tests::repo_root().join("generator/Cargo.toml"))
            .unwrap();
    let line = manifest
        .lines()
        .find(|line| line.starts_with("version = "))
        .unwrap();
    line.trim_start_matches("version = ")
        .trim_matches('"')
        .to_owned()
}

fn creds() -> Credentials {
    Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN)
}

/// A page of one webhook (`WH` and 32 times `digit`) naming `next`
/// (absolute) as its next page.
fn page(digit: char, next: Option<&str>) -> ReplayResponse {
    let next = next.map_or("null".to_owned(), |next| format!("\"{next}\""));
    ReplayResponse::json(
        200,
        format!(
            r#"{{"webhooks": [{{"sid": "WH{}"}}], "meta": {{"next_page_url": {next}}}}}"#,
            digit.to_string().repeat(32)
        ),
    )
}

/// The URL of the one request a client configured by `configure` sends for
/// a fetch.
async fn fetched_url(configure: impl FnOnce(ClientBuilder) -> ClientBuilder) -> String {
    let replay = Replay::new();
    replay.push(ReplayResponse::json(200, "{}"));
    let client = configure(Client::builder(creds()).test_transport(replay.clone()))
        .build()
        .unwrap();
    let _ = client
        .fetch_conversation_scoped_webhook(CONVERSATION_SID, &format!("WH{}", "a".repeat(32)))
        .await;
    let requests = replay.requests();
    assert_eq!(requests.len(), 1);
    requests[0].uri().to_string()
}

#[tokio::test]
async fn requests_go_to_the_regional_and_edge_host() {
    let webhook = format!("{PATH}/WH{}", "a".repeat(32));
    let cases: [(Option<&str>, Option<&str>, &str); 4] = [
        (None, None, "conversations.twilio.com"),
        (Some("ie1"), None, "conversations.ie1.twilio.com"),
        (None, Some("dublin"), "conversations.dublin.us1.twilio.com"),
        (
            Some("au1"),
            Some("sydney"),
            "conversations.sydney.au1.twilio.com",
        ),
    ];
    for (region, edge, host) in cases {
        let url = fetched_url(|mut builder| {
            if let Some(region) = region {
                builder = builder.region(region);
            }
            if let Some(edge) = edge {
                builder = builder.edge(edge);
            }
            builder
        })
        .await;
        assert_eq!(
            url,
            format!("https://{host}{webhook}"),
            "{region:?} {edge:?}"
        );
    }
}

#[tokio::test]
async fn a_base_url_of_one_s_own_is_never_rewritten() {
    let url = fetched_url(|builder| {
        builder
            .base_url("https://proxy.example.com/twilio")
            .region("ie1")
            .edge("dublin")
    })
    .await;
    assert!(
        url.starts_with("https://proxy.example.com/twilio/v1/"),
        "{url}"
    );
    // Even a Twilio host given as the base URL stays as it is.
    let url = fetched_url(|builder| {
        builder
            .base_url("https://conversations.twilio.com")
            .region("ie1")
    })
    .await;
    assert!(
        url.starts_with("https://conversations.twilio.com/v1/"),
        "{url}"
    );
}

#[test]
fn the_sans_io_core_takes_the_same_region_and_edge() {
    let api = Api::builder(creds())
        .region("IE1")
        .edge("Dublin")
        .build()
        .unwrap();
    assert_eq!(
        api.base_url(),
        "https://conversations.dublin.ie1.twilio.com"
    );
    assert_eq!(api.origin(), "https://conversations.dublin.ie1.twilio.com");
    assert_eq!(Api::new(creds()).base_url(), spec::DEFAULT_BASE_URL);
    // The page pin moves with the host.
    let regional = "https://conversations.dublin.ie1.twilio.com/v1/Things?Page=1";
    assert_eq!(api.canonical_page_url(regional).unwrap(), regional);
    match api.follow("https://conversations.twilio.com/v1/Things?Page=1") {
        Err(Error::ForeignPageUrl {
            expected_origin, ..
        }) => {
            assert_eq!(
                expected_origin,
                "https://conversations.dublin.ie1.twilio.com"
            );
        }
        other => panic!("{other:?}"),
    }
    let err = Api::builder(creds())
        .region("ie1.evil.test")
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid region \"ie1.evil.test\": it may hold only ASCII letters, digits and `-`"
    );
}

/// A next page on the regional host is followed; one on the global host is
/// another origin, refused after the items of the page that named it.
#[tokio::test]
async fn paging_follows_the_regional_host_only() {
    let regional = format!("https://conversations.ie1.twilio.com{PATH}");
    let second = format!("{regional}?PageSize=1&Page=1&PageToken=PT1");
    let global = format!("https://conversations.twilio.com{PATH}?PageSize=1&Page=2&PageToken=PT2");
    let replay = Replay::new();
    replay
        .route(
            Method::GET,
            &format!("{regional}?PageSize=1"),
            page('b', Some(&second)),
        )
        .route(Method::GET, &second, page('c', Some(&global)));
    let client = Client::builder(creds())
        .region("ie1")
        .test_transport(replay.clone())
        .build()
        .unwrap();
    let params = ListConversationScopedWebhookParams::new().page_size(1);
    let mut stream = Box::pin(
        client
            .list_conversation_scoped_webhook_stream(CONVERSATION_SID, &params, None)
            .unwrap(),
    );
    assert!(stream.try_next().await.unwrap().is_some());
    assert!(stream.try_next().await.unwrap().is_some());
    match stream.try_next().await {
        Err(Error::ForeignPageUrl {
            url,
            expected_origin,
        }) => {
            assert_eq!(url, global);
            assert_eq!(expected_origin, "https://conversations.ie1.twilio.com");
        }
        other => panic!("{other:?}"),
    }
    let sent: Vec<String> = replay
        .requests()
        .iter()
        .map(|r| r.uri().to_string())
        .collect();
    assert_eq!(sent, [format!("{regional}?PageSize=1"), second]);
}

/// `ClientBuilder::from_env_with` reads the region and edge as
/// `Client::from_env` does, over a table instead of the environment.
#[tokio::test]
async fn the_environment_s_region_and_edge_move_the_host() {
    let vars = [
        ("TWILIO_ACCOUNT_SID", ACCOUNT_SID),
        ("TWILIO_AUTH_TOKEN", AUTH_TOKEN),
        ("TWILIO_REGION", "au1"),
        ("TWILIO_EDGE", "sydney"),
    ];
    let lookup = |name: &str| {
        vars.iter()
            .find(|(var, _)| *var == name)
            .map(|(_, value)| (*value).to_owned())
            .ok_or(VarError::NotPresent)
    };
    let client = ClientBuilder::from_env_with(lookup)
        .unwrap()
        .test_transport(Replay::new())
        .build()
        .unwrap();
    assert_eq!(
        client.api().base_url(),
        "https://conversations.sydney.au1.twilio.com"
    );
    assert_eq!(client.api().credentials().account_sid(), ACCOUNT_SID);
}

/// The generated crate's agent: this generator's version (from its
/// `runtime::spec`), the generated crate's name and version.
#[tokio::test]
async fn the_user_agent_names_the_generator_and_the_generated_crate() {
    assert_eq!(spec::GENERATOR_VERSION, generator_version());
    let replay = Replay::new();
    replay.push(ReplayResponse::json(200, "{}"));
    let client = Client::builder(creds())
        .user_agent_extension("webhook-admin/1.0")
        .test_transport(replay.clone())
        .build()
        .unwrap();
    let _ = client
        .fetch_conversation_scoped_webhook(CONVERSATION_SID, &format!("WH{}", "a".repeat(32)))
        .await;
    let expected = format!(
        "twilio-codegen/{} (twilio-conversations-webhooks/0.1.0; {} {}) rust webhook-admin/1.0",
        generator_version(),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    assert_eq!(
        replay.requests()[0].header("user-agent"),
        Some(expected.as_str())
    );
}
