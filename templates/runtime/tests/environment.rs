//! Credentials, region and edge from environment variables, read through a
//! lookup over a table (the process environment is never touched here; see
//! `process_environment.rs` for the one test that sets real variables).

use std::collections::BTreeMap;
use std::env::VarError;

#[cfg(feature = "client")]
use twilio_codegen_runtime::runtime::ClientBuilder;
use twilio_codegen_runtime::runtime::{Credentials, Error};

/// A lookup over `vars`, as `std::env::var` answers.
fn lookup(vars: &[(&str, &str)]) -> impl FnMut(&str) -> Result<String, VarError> {
    let vars: BTreeMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| vars.get(name).cloned().ok_or(VarError::NotPresent)
}

fn credentials(vars: &[(&str, &str)]) -> Result<Credentials, Error> {
    Credentials::from_env_with(lookup(vars))
}

/// The `Display` of the error, which must name the variable.
fn error(vars: &[(&str, &str)]) -> String {
    credentials(vars).unwrap_err().to_string()
}

#[test]
fn account_sid_and_auth_token() {
    let creds =
        credentials(&[("TWILIO_ACCOUNT_SID", "AC1"), ("TWILIO_AUTH_TOKEN", "tok")]).unwrap();
    assert!(matches!(
        &creds,
        Credentials::AuthToken { account_sid, auth_token } if account_sid == "AC1" && auth_token == "tok"
    ));
}

/// As Twilio's CLI: an API key wins over an auth token set beside it.
#[test]
fn an_api_key_wins_over_an_auth_token() {
    let creds = credentials(&[
        ("TWILIO_ACCOUNT_SID", "AC1"),
        ("TWILIO_AUTH_TOKEN", "tok"),
        ("TWILIO_API_KEY", "SK1"),
        ("TWILIO_API_SECRET", "sec"),
    ])
    .unwrap();
    assert!(matches!(
        &creds,
        Credentials::ApiKey { account_sid, api_key_sid, api_key_secret }
            if account_sid == "AC1" && api_key_sid == "SK1" && api_key_secret == "sec"
    ));
}

#[test]
fn missing_or_empty_variables_are_named() {
    assert_eq!(
        error(&[("TWILIO_AUTH_TOKEN", "tok")]),
        "environment variable TWILIO_ACCOUNT_SID is not set (or is empty)"
    );
    assert_eq!(
        error(&[("TWILIO_ACCOUNT_SID", ""), ("TWILIO_AUTH_TOKEN", "tok")]),
        "environment variable TWILIO_ACCOUNT_SID is not set (or is empty)"
    );
    assert_eq!(
        error(&[("TWILIO_ACCOUNT_SID", "AC1")]),
        "environment variable TWILIO_AUTH_TOKEN is not set (or is empty), nor is TWILIO_API_KEY"
    );
    assert_eq!(
        error(&[("TWILIO_ACCOUNT_SID", "AC1"), ("TWILIO_AUTH_TOKEN", "")]),
        "environment variable TWILIO_AUTH_TOKEN is not set (or is empty), nor is TWILIO_API_KEY"
    );
    // A key without its secret never falls back to the auth token.
    assert_eq!(
        error(&[
            ("TWILIO_ACCOUNT_SID", "AC1"),
            ("TWILIO_AUTH_TOKEN", "tok"),
            ("TWILIO_API_KEY", "SK1"),
        ]),
        "environment variable TWILIO_API_SECRET is not set (or is empty), and TWILIO_API_KEY is set"
    );
    match credentials(&[("TWILIO_AUTH_TOKEN", "tok")]) {
        Err(Error::EnvVar { variable, .. }) => assert_eq!(variable, "TWILIO_ACCOUNT_SID"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_variable_that_is_not_unicode_is_named() {
    let err = Credentials::from_env_with(|name| match name {
        "TWILIO_ACCOUNT_SID" => Ok("AC1".to_owned()),
        _ => Err(VarError::NotUnicode(std::ffi::OsString::from("x"))),
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "environment variable TWILIO_API_KEY is not valid Unicode"
    );
}

/// No error repeats a value it read (it may be a secret).
#[test]
fn errors_never_show_values() {
    let err = credentials(&[
        ("TWILIO_ACCOUNT_SID", "AC1"),
        ("TWILIO_API_KEY", "SKsecretish"),
    ])
    .unwrap_err();
    assert!(!format!("{err} {err:?}").contains("SKsecretish"));
}

#[cfg(feature = "client")]
#[test]
fn the_builder_reads_region_and_edge_and_checks_them() {
    let vars = [
        ("TWILIO_ACCOUNT_SID", "AC1"),
        ("TWILIO_AUTH_TOKEN", "tok"),
        ("TWILIO_REGION", "ie1"),
        ("TWILIO_EDGE", "dublin"),
    ];
    let debug = format!("{:?}", ClientBuilder::from_env_with(lookup(&vars)).unwrap());
    assert!(debug.contains(r#"region: Some("ie1")"#), "{debug}");
    assert!(debug.contains(r#"edge: Some("dublin")"#), "{debug}");
    assert!(!debug.contains("tok\""), "{debug}");

    // Empty means unset, as in Twilio's libraries.
    let vars = [
        ("TWILIO_ACCOUNT_SID", "AC1"),
        ("TWILIO_AUTH_TOKEN", "tok"),
        ("TWILIO_REGION", ""),
    ];
    let debug = format!("{:?}", ClientBuilder::from_env_with(lookup(&vars)).unwrap());
    assert!(debug.contains("region: None"), "{debug}");

    let vars = [
        ("TWILIO_ACCOUNT_SID", "AC1"),
        ("TWILIO_AUTH_TOKEN", "tok"),
        ("TWILIO_EDGE", "dublin.evil.test"),
    ];
    let err = ClientBuilder::from_env_with(lookup(&vars)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid TWILIO_EDGE \"dublin.evil.test\": it may hold only ASCII letters, digits and `-`"
    );
    assert!(matches!(
        err,
        Error::InvalidRegionOrEdge {
            setting: "TWILIO_EDGE",
            ..
        }
    ));

    let err = ClientBuilder::from_env_with(lookup(&[("TWILIO_REGION", "ie1")])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "environment variable TWILIO_ACCOUNT_SID is not set (or is empty)"
    );
}
