//! The one test that sets real environment variables: alone in its own test
//! binary (each file of `tests/` is one), so no other test reads the
//! environment while it changes.

#[cfg(feature = "client")]
use twilio_codegen_runtime::runtime::Client;
use twilio_codegen_runtime::runtime::{Credentials, Error};

#[test]
fn from_env_reads_the_process_environment() {
    for name in [
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "TWILIO_API_KEY",
        "TWILIO_API_SECRET",
        "TWILIO_REGION",
        "TWILIO_EDGE",
    ] {
        std::env::remove_var(name);
    }
    match Credentials::from_env() {
        Err(Error::EnvVar { variable, .. }) => assert_eq!(variable, "TWILIO_ACCOUNT_SID"),
        other => panic!("{other:?}"),
    }

    std::env::set_var("TWILIO_ACCOUNT_SID", "AC_from_env");
    std::env::set_var("TWILIO_AUTH_TOKEN", "token_from_env");
    let creds = Credentials::from_env().unwrap();
    assert_eq!(creds.account_sid(), "AC_from_env");
    assert!(
        matches!(creds, Credentials::AuthToken { ref auth_token, .. } if auth_token == "token_from_env")
    );

    #[cfg(feature = "client")]
    client_from_env();
}

/// `Client::from_env`, with the credentials set above.
#[cfg(feature = "client")]
fn client_from_env() {
    std::env::set_var("TWILIO_REGION", "ie1");
    // The stand-in's server is not a Twilio host: the region is checked and
    // leaves it as it is.
    let client = Client::from_env().unwrap();
    assert_eq!(client.api().base_url(), "https://runtime.example.com");
    assert_eq!(client.api().credentials().account_sid(), "AC_from_env");

    std::env::set_var("TWILIO_REGION", "ie1/evil");
    let err = Client::from_env().unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid TWILIO_REGION \"ie1/evil\": it may hold only ASCII letters, digits and `-`"
    );
}
