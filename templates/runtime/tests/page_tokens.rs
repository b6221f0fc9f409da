//! `Api::follow_token`: the next page of a listing paged by token is the
//! first request again with the token in its query; and `page_size_for`,
//! the page size a stream asks for from its `limit`.

use http::header::{ACCEPT, AUTHORIZATION};
use http::{Method, Request};
use twilio_codegen_runtime::runtime::paging::page_size_for;
use twilio_codegen_runtime::runtime::{Api, Credentials};

/// A first page's request as a generated request builder makes it.
fn first(query: &str) -> Request<Vec<u8>> {
    let api = Api::with_base_url(
        Credentials::auth_token("AC123", "secret"),
        "https://numbers.example.com",
    )
    .unwrap();
    let mut request = api.request(Method::GET, "/v2/Items", None, None).unwrap();
    let uri = format!("https://numbers.example.com/v2/Items{query}");
    *request.uri_mut() = uri.parse().unwrap();
    request
}

fn next_uri(query: &str, token: &str) -> String {
    Api::follow_token(&first(query), "PageToken", token)
        .unwrap()
        .uri()
        .to_string()
}

#[test]
fn the_token_is_appended_after_every_other_pair_kept_byte_for_byte() {
    assert_eq!(
        next_uri("?PageSize=2", "abc"),
        "https://numbers.example.com/v2/Items?PageSize=2&PageToken=abc"
    );
    // Other pairs keep their spelling and order, encoded or not, with or
    // without a value.
    assert_eq!(
        next_uri("?b=%7E&a=x+y&flag&Page=0", "abc"),
        "https://numbers.example.com/v2/Items?b=%7E&a=x+y&flag&Page=0&PageToken=abc"
    );
    assert_eq!(
        next_uri("", "abc"),
        "https://numbers.example.com/v2/Items?PageToken=abc"
    );
}

#[test]
fn an_existing_token_is_replaced_in_place_and_repeats_dropped() {
    assert_eq!(
        next_uri("?PageToken=old&PageSize=2", "new"),
        "https://numbers.example.com/v2/Items?PageToken=new&PageSize=2"
    );
    // The name is compared decoded: `Page%54oken` is `PageToken`.
    assert_eq!(
        next_uri("?Page%54oken=old&PageSize=2&PageToken=again", "new"),
        "https://numbers.example.com/v2/Items?PageToken=new&PageSize=2"
    );
    // Other names that merely start alike are other parameters.
    assert_eq!(
        next_uri("?PageTokens=x&pagetoken=y", "new"),
        "https://numbers.example.com/v2/Items?PageTokens=x&pagetoken=y&PageToken=new"
    );
}

#[test]
fn the_token_is_percent_encoded_as_a_form_value() {
    assert_eq!(
        next_uri("?PageSize=2", "a b/c+d&e=f#g%"),
        "https://numbers.example.com/v2/Items?PageSize=2&PageToken=a+b%2Fc%2Bd%26e%3Df%23g%25"
    );
}

#[test]
fn method_headers_and_body_are_the_first_requests() {
    let mut request = first("?PageSize=2");
    *request.method_mut() = Method::POST;
    *request.body_mut() = b"Name=x".to_vec();
    request
        .headers_mut()
        .insert("x-twilio-webhook-enabled", "true".parse().unwrap());
    let next = Api::follow_token(&request, "PageToken", "abc").unwrap();
    assert_eq!(next.method(), Method::POST);
    assert_eq!(next.body(), b"Name=x");
    assert_eq!(next.headers(), request.headers());
    assert!(next.headers()[AUTHORIZATION].is_sensitive());
    assert_eq!(next.headers()[ACCEPT], "application/json");
}

#[test]
fn the_page_size_is_the_limit_within_the_bounds() {
    assert_eq!(page_size_for(3, 1i64, 5), 3);
    assert_eq!(page_size_for(5, 1i64, 5), 5);
    assert_eq!(page_size_for(6, 1i64, 5), 5);
    assert_eq!(page_size_for(1, 2i64, 1000), 2);
    assert_eq!(page_size_for(usize::MAX, 1i64, 1000), 1000);
    // Too large for an `i32` field: the maximum.
    assert_eq!(page_size_for(usize::MAX, 1i32, 50), 50);
    // Crossed bounds never panic: the maximum wins.
    assert_eq!(page_size_for(3, 10i64, 5), 5);
}
