//! `Api::canonical_page_url`: the one spelling of a next-page link, which
//! `Client::paginate` uses to never fetch a page twice in a walk.

use twilio_codegen_runtime::runtime::{Api, Credentials, Error};

fn api(base_url: &str) -> Api {
    Api::with_base_url(Credentials::auth_token("AC123", "secret"), base_url).unwrap()
}

#[test]
fn spellings_of_one_page_have_one_canonical_url() {
    let api = api("https://runtime.example.com/prefix");
    let page = "https://runtime.example.com/v1/Things?PageSize=2&Page=1";
    for spelling in [
        page,
        // Host-relative, as the 2010 API's `next_page_uri`: on the origin,
        // not under the base URL's path prefix (as `follow` takes it).
        "/v1/Things?PageSize=2&Page=1",
        "https://runtime.example.com/v1/Things?PageSize=2&Page=1#x",
        "https://runtime.example.com/v1/Things?PageSize=2&Page=1#",
        "HTTPS://runtime.example.com/v1/Things?PageSize=2&Page=1",
        "https://RUNTIME.Example.COM/v1/Things?PageSize=2&Page=1",
        "https://runtime.example.com:443/v1/Things?PageSize=2&Page=1",
        "https://runtime.example.com:/v1/Things?PageSize=2&Page=1",
        "/v1/Things?PageSize=2&Page=1#x",
    ] {
        assert_eq!(
            api.canonical_page_url(spelling).unwrap(),
            page,
            "{spelling}"
        );
    }
}

#[test]
fn an_empty_path_is_the_root() {
    let api = api("http://127.0.0.1:8080");
    for spelling in ["http://127.0.0.1:8080", "http://127.0.0.1:8080/"] {
        assert_eq!(
            api.canonical_page_url(spelling).unwrap(),
            "http://127.0.0.1:8080/"
        );
    }
    assert_eq!(
        api.canonical_page_url("http://127.0.0.1:8080?Page=1")
            .unwrap(),
        "http://127.0.0.1:8080/?Page=1"
    );
}

#[test]
fn a_non_default_port_is_kept_and_a_default_one_dropped_for_http() {
    let api = api("http://Localhost:8080");
    assert_eq!(
        api.canonical_page_url("HTTP://LOCALHOST:8080/v1/x")
            .unwrap(),
        "http://localhost:8080/v1/x"
    );
    let api = self::api("http://localhost");
    assert_eq!(
        api.canonical_page_url("http://localhost:80/v1/x").unwrap(),
        "http://localhost/v1/x"
    );
}

/// Only spellings that cannot name another resource are merged: the
/// server decides what its path and query mean.
#[test]
fn path_and_query_are_kept_as_they_are() {
    let api = api("https://runtime.example.com");
    for url in [
        "https://runtime.example.com/v1/Things?Page=1",
        "https://runtime.example.com/V1/things?Page=1",
        "https://runtime.example.com/v1/Things?page=1",
        "https://runtime.example.com/v1/Things/?Page=1",
        "https://runtime.example.com/v1/%54hings?Page=1",
        "https://runtime.example.com/v1/Things?Page=1&PageSize=2",
        "https://runtime.example.com/v1/Things?PageSize=2&Page=1",
        "https://runtime.example.com/v1/Things?Page=1&",
        "https://runtime.example.com/v1/Things?",
        "https://runtime.example.com/v1/Things",
    ] {
        assert_eq!(api.canonical_page_url(url).unwrap(), url);
    }
}

/// What `follow` refuses has no canonical URL either, with the same error.
#[test]
fn links_follow_refuses_have_none() {
    let api = api("https://runtime.example.com");
    for foreign in [
        "https://runtime.example.com:8443/v1/Things",
        "http://runtime.example.com/v1/Things",
        "https://user@runtime.example.com/v1/Things",
        // Scheme-relative: not resolved, so no way to another host.
        "//runtime.example.com/v1/Things",
        "//evil.example/v1/Things",
    ] {
        match api.canonical_page_url(foreign) {
            Err(Error::ForeignPageUrl {
                url,
                expected_origin,
            }) => {
                assert_eq!(url, foreign);
                assert_eq!(expected_origin, "https://runtime.example.com");
            }
            other => panic!("{foreign}: {other:?}"),
        }
        assert!(matches!(
            api.follow(foreign),
            Err(Error::ForeignPageUrl { .. })
        ));
    }
    // Path-relative links are not resolved (against which page?): they are
    // no absolute URL at all.
    for relative in ["Things?Page=1", "./Things?Page=1", "?Page=1", "#x"] {
        assert!(
            matches!(api.canonical_page_url(relative), Err(Error::Http(_))),
            "{relative}"
        );
        assert!(
            matches!(api.follow(relative), Err(Error::Http(_))),
            "{relative}"
        );
    }
}
