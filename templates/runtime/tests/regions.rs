//! Regions and edges through the public builders. The stand-in's server
//! (`runtime.example.com`) is not a Twilio host, so it is never rewritten;
//! the rewriting of Twilio hosts is tested in `api.rs` (the host rule table)
//! and in the integration tests (`tests/tests/it/regions.rs`, on a generated
//! crate whose server is `conversations.twilio.com`).

#[cfg(feature = "client")]
use twilio_codegen_runtime::runtime::Client;
use twilio_codegen_runtime::runtime::{Api, Credentials, Error};

fn creds() -> Credentials {
    Credentials::auth_token("AC1", "secret")
}

#[test]
fn a_host_that_is_not_twilio_s_is_left_as_it_is() {
    let api = Api::builder(creds())
        .region("ie1")
        .edge("dublin")
        .build()
        .unwrap();
    assert_eq!(api.base_url(), "https://runtime.example.com");
    assert_eq!(api.origin(), "https://runtime.example.com");
}

#[test]
fn a_base_url_of_one_s_own_wins_over_region_and_edge() {
    let api = Api::builder(creds())
        .region("ie1")
        .edge("dublin")
        .base_url("https://conversations.twilio.com/")
        .build()
        .unwrap();
    assert_eq!(api.base_url(), "https://conversations.twilio.com");
    assert_eq!(api.origin(), "https://conversations.twilio.com");
}

#[cfg(feature = "client")]
#[test]
fn the_client_builder_passes_region_edge_and_base_url_on() {
    let client = Client::builder(creds())
        .base_url("http://127.0.0.1:9")
        .region("au1")
        .build()
        .unwrap();
    assert_eq!(client.api().base_url(), "http://127.0.0.1:9");
    let err = Client::builder(creds())
        .edge("x".repeat(64))
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "invalid edge \"{}\": it must be at most 63 characters long",
            "x".repeat(64)
        )
    );
}

#[test]
fn values_that_are_not_dns_labels_are_refused_at_build() {
    let cases = [
        (
            "region",
            "ie1.evil.test",
            "it may hold only ASCII letters, digits and `-`",
        ),
        ("region", "", "it must not be empty"),
        ("edge", "-dublin", "it must not start or end with `-`"),
        (
            "edge",
            "dub\u{1b}[31mlin",
            "it may hold only ASCII letters, digits and `-`",
        ),
    ];
    for (setting, value, reason) in cases {
        let builder = Api::builder(creds());
        let builder = if setting == "region" {
            builder.region(value)
        } else {
            builder.edge(value)
        };
        let err = builder.build().unwrap_err();
        match &err {
            Error::InvalidRegionOrEdge {
                setting: s,
                value: v,
                reason: r,
            } => assert_eq!((*s, v.as_str(), *r), (setting, value, reason)),
            other => panic!("{other:?}"),
        }
        assert!(!err.to_string().contains('\u{1b}'), "escaped: {err}");
    }
    let err = Api::builder(creds())
        .edge("x".repeat(64))
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "invalid edge \"{}\": it must be at most 63 characters long",
            "x".repeat(64)
        )
    );
    // Checked even beside a base URL, which they would not change.
    assert!(Api::builder(creds())
        .base_url("http://127.0.0.1:9")
        .region("ie 1")
        .build()
        .is_err());
}

#[test]
fn a_long_value_is_shown_shortened() {
    let value = "a".repeat(1000) + ".";
    let err = Api::builder(creds()).region(value).build().unwrap_err();
    match err {
        Error::InvalidRegionOrEdge { value, .. } => assert_eq!(value, "a".repeat(64)),
        other => panic!("{other:?}"),
    }
}
