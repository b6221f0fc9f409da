//! The account requests act for: the credentials' unless another (a
//! subaccount) is set on the `Api` or the client; the credentials and the
//! `Authorization` header stay the parent's.

#[cfg(feature = "client")]
use twilio_codegen_runtime::runtime::Client;
use twilio_codegen_runtime::runtime::{Api, Credentials};

const PARENT: &str = "AC00000000000000000000000000000001";
const SUBACCOUNT: &str = "AC00000000000000000000000000000002";

fn creds() -> Credentials {
    Credentials::auth_token(PARENT, "secret")
}

#[test]
fn the_account_is_the_credentials_unless_another_is_set() {
    let api = Api::new(creds());
    assert_eq!(api.account_sid(), PARENT);

    let sub = api.with_account_sid(SUBACCOUNT);
    assert_eq!(sub.account_sid(), SUBACCOUNT);
    assert_eq!(sub.credentials().account_sid(), PARENT);
    assert_eq!(sub.base_url(), api.base_url());
    // The original is untouched.
    assert_eq!(api.account_sid(), PARENT);

    let built = Api::builder(creds())
        .account_sid(SUBACCOUNT)
        .base_url("https://example.test/prefix")
        .build()
        .unwrap();
    assert_eq!(built.account_sid(), SUBACCOUNT);
    assert_eq!(built.base_url(), "https://example.test/prefix");
    // The credentials' account still signs the request.
    let request = built.request(http::Method::GET, "/x", None, None).unwrap();
    assert_eq!(
        request.headers()["authorization"],
        Api::new(creds())
            .request(http::Method::GET, "/x", None, None)
            .unwrap()
            .headers()["authorization"]
    );
}

#[test]
fn an_api_key_acts_for_its_account_sid() {
    let api = Api::new(Credentials::api_key(PARENT, "SK1", "key-secret"));
    assert_eq!(api.account_sid(), PARENT);
}

#[test]
fn debug_shows_the_account_and_no_secret() {
    let api = Api::new(creds()).with_account_sid(SUBACCOUNT);
    let shown = format!("{api:?}");
    assert!(shown.contains(SUBACCOUNT), "{shown}");
    assert!(!shown.contains("secret\""), "{shown}");
}

#[cfg(feature = "client")]
#[test]
fn the_client_passes_the_account_on() {
    let client = Client::builder(creds())
        .account_sid(SUBACCOUNT)
        .build()
        .unwrap();
    assert_eq!(client.api().account_sid(), SUBACCOUNT);
    let shown = format!("{client:?}");
    assert!(
        shown.contains(&format!("account_sid: \"{SUBACCOUNT}\"")),
        "{shown}"
    );
    assert!(!shown.contains("\"secret\""), "{shown}");

    let client = Client::new(creds());
    assert_eq!(client.api().account_sid(), PARENT);
    let sub = client.with_account_sid(SUBACCOUNT);
    assert_eq!(sub.api().account_sid(), SUBACCOUNT);
    assert_eq!(sub.api().credentials().account_sid(), PARENT);
    assert_eq!(client.api().account_sid(), PARENT);
}
