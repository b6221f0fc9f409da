//! What the runtime takes from the spec module: the default base URL and the
//! origin page links are followed on (here the stand-in `spec.rs`; in a
//! generated crate, its spec's server).

use twilio_codegen_runtime::runtime::{spec, Api, Credentials, Error};

fn creds() -> Credentials {
    Credentials::auth_token("AC123", "secret")
}

#[test]
fn the_default_client_talks_to_the_spec_server_and_pages_only_there() {
    let api = Api::new(creds());
    assert_eq!(Api::DEFAULT_BASE_URL, spec::DEFAULT_BASE_URL);
    assert_eq!(api.base_url(), "https://runtime.example.com");
    assert_eq!(api.origin(), "https://runtime.example.com");

    let next = api
        .follow("https://Runtime.Example.com:443/v1/Things?PageSize=2&Page=1")
        .unwrap();
    assert_eq!(
        next.uri(),
        "https://Runtime.Example.com:443/v1/Things?PageSize=2&Page=1"
    );
    let relative = api.follow("/v1/Things?Page=2").unwrap();
    assert_eq!(
        relative.uri(),
        "https://runtime.example.com/v1/Things?Page=2"
    );

    for foreign in [
        "https://conversations.twilio.com/v1/Things?Page=1",
        "http://runtime.example.com/v1/Things?Page=1",
        "https://runtime.example.com:8443/v1/Things?Page=1",
        "https://runtime.example.com.evil.test/v1/Things",
    ] {
        match api.follow(foreign) {
            Err(Error::ForeignPageUrl {
                url,
                expected_origin,
            }) => {
                assert_eq!(url, foreign);
                assert_eq!(expected_origin, "https://runtime.example.com");
            }
            other => panic!("{foreign}: {other:?}"),
        }
    }
}

/// The origin constants are what the runtime itself makes of the base URL,
/// so `Api::new` and `Api::with_base_url(DEFAULT_BASE_URL)` agree.
#[test]
fn the_spec_origin_is_the_origin_of_the_spec_base_url() {
    let parsed = Api::with_base_url(creds(), spec::DEFAULT_BASE_URL).unwrap();
    assert_eq!(Api::new(creds()).origin(), parsed.origin());
    assert_eq!(Api::new(creds()).base_url(), parsed.base_url());
    let port = if spec::DEFAULT_ORIGIN_SCHEME == "https" {
        443
    } else {
        80
    };
    assert_eq!(spec::DEFAULT_ORIGIN_PORT, port);
    assert_eq!(
        parsed.origin(),
        format!(
            "{}://{}",
            spec::DEFAULT_ORIGIN_SCHEME,
            spec::DEFAULT_ORIGIN_HOST
        )
    );
}
