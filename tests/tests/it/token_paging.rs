//! Listings paged by token (`meta.next_token`, Twilio's newer APIs): the
//! stream sends the first request again with `PageToken=<next_token>` until
//! a page has no token, within the walk's bounds (the limit, a token seen
//! before). Exact query strings as a wiremock server on 127.0.0.1 received
//! them.
//!
//! The operation is `tests/cases/list_page_token.yaml`'s `ListItem` (in
//! `request-wire-cases`).

use futures_util::{StreamExt, TryStreamExt};
use integration_tests::{ACCOUNT_SID, AUTH_TOKEN, BASIC_AUTH};
use request_wire_cases::requests::ListItemParams;
use request_wire_cases::{Client, Credentials, Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server answering each request by its `PageToken` (`""` when there is
/// none) from `pages`: the items' sids and the `next_token` (`None`: left
/// out, the last page). An unknown token is a 404.
async fn serve(
    pages: &'static [(&'static str, &'static [&'static str], Option<&'static str>)],
) -> (MockServer, Client) {
    let server = MockServer::start().await;
    assert!(server.uri().starts_with("http://127.0.0.1:"));
    let respond = move |request: &Request| {
        let token = request
            .url
            .query_pairs()
            .find(|(name, _)| name == "PageToken")
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default();
        let Some((_, sids, next)) = pages.iter().find(|(page, ..)| *page == token) else {
            return ResponseTemplate::new(404);
        };
        let results: Vec<_> = sids.iter().map(|sid| json!({"sid": sid})).collect();
        let mut meta = json!({"previous_token": "prev"});
        if let Some(next) = next {
            meta["next_token"] = json!(next);
        }
        ResponseTemplate::new(200).set_body_json(json!({"results": results, "meta": meta}))
    };
    Mock::given(any())
        .respond_with(respond)
        .mount(&server)
        .await;
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    (server, client)
}

/// `GET /path?query` of every request the server received, in order, after
/// checking each carried the credentials.
async fn requested(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|request| {
            assert_eq!(request.headers["authorization"], BASIC_AUTH);
            match request.url.query() {
                Some(query) => format!("{} {}?{query}", request.method, request.url.path()),
                None => format!("{} {}", request.method, request.url.path()),
            }
        })
        .collect()
}

/// Every item sid a `list_item_stream` yields, or the first error.
async fn walk(
    client: &Client,
    params: ListItemParams,
    limit: Option<usize>,
) -> Result<Vec<String>, Error> {
    client
        .list_item_stream(&params, limit)
        .unwrap()
        .map_ok(|item| item.sid.unwrap())
        .try_collect()
        .await
}

#[tokio::test]
async fn a_stream_walks_three_token_pages() {
    let (server, client) = serve(&[
        ("", &["IT1", "IT2"], Some("abc")),
        ("abc", &["IT3", "IT4"], Some("def")),
        ("def", &["IT5"], None),
    ])
    .await;
    let sids = walk(&client, ListItemParams::new().page_size(2), None)
        .await
        .unwrap();
    assert_eq!(sids, ["IT1", "IT2", "IT3", "IT4", "IT5"]);
    assert_eq!(
        requested(&server).await,
        [
            "GET /v2/Items?PageSize=2",
            "GET /v2/Items?PageSize=2&PageToken=abc",
            "GET /v2/Items?PageSize=2&PageToken=def",
        ]
    );
}

#[tokio::test]
async fn a_token_of_the_callers_is_replaced_in_place() {
    let (server, client) = serve(&[
        ("start", &["IT1"], Some("abc")),
        ("abc", &["IT2"], Some("")),
    ])
    .await;
    let params = ListItemParams::new()
        .page_token("start")
        .page_size(1)
        .page(0);
    let sids = walk(&client, params, None).await.unwrap();
    // An empty token ends the walk like an absent one.
    assert_eq!(sids, ["IT1", "IT2"]);
    assert_eq!(
        requested(&server).await,
        [
            "GET /v2/Items?PageSize=1&Page=0&PageToken=start",
            "GET /v2/Items?PageSize=1&Page=0&PageToken=abc",
        ]
    );
}

#[tokio::test]
async fn the_token_is_percent_encoded() {
    let (server, client) = serve(&[
        ("", &["IT1"], Some("a b/c+d&PageSize=9")),
        ("a b/c+d&PageSize=9", &["IT2"], None),
    ])
    .await;
    let sids = walk(&client, ListItemParams::new(), None).await.unwrap();
    assert_eq!(sids, ["IT1", "IT2"]);
    assert_eq!(
        requested(&server).await,
        [
            "GET /v2/Items",
            "GET /v2/Items?PageToken=a+b%2Fc%2Bd%26PageSize%3D9",
        ]
    );
}

/// A server naming a token it named before would be followed in a circle
/// without end: a token seen before ends the walk, without an error, as the
/// last page does, after the items of the page that named it.
#[tokio::test]
async fn a_repeated_token_ends_the_walk() {
    let (server, client) = serve(&[
        ("", &["IT1"], Some("abc")),
        ("abc", &["IT2"], Some("def")),
        ("def", &["IT3"], Some("abc")),
    ])
    .await;
    let sids = walk(&client, ListItemParams::new(), None).await.unwrap();
    assert_eq!(sids, ["IT1", "IT2", "IT3"]);
    assert_eq!(
        requested(&server).await,
        [
            "GET /v2/Items",
            "GET /v2/Items?PageToken=abc",
            "GET /v2/Items?PageToken=def",
        ]
    );
    // The same token as the one the page was asked with.
    let (server, client) =
        serve(&[("", &["IT1"], Some("abc")), ("abc", &["IT2"], Some("abc"))]).await;
    let sids = walk(&client, ListItemParams::new(), None).await.unwrap();
    assert_eq!(sids, ["IT1", "IT2"]);
    assert_eq!(requested(&server).await.len(), 2);
}

/// The limit ends the walk: no page is fetched once `limit` items were
/// yielded, and the limit sets the page size (here below the caller's none).
#[tokio::test]
async fn the_limit_ends_the_walk() {
    let (server, client) = serve(&[
        ("", &["IT1", "IT2"], Some("abc")),
        ("abc", &["IT3", "IT4"], Some("def")),
        ("def", &["IT5"], None),
    ])
    .await;
    let sids = walk(&client, ListItemParams::new(), Some(3)).await.unwrap();
    assert_eq!(sids, ["IT1", "IT2", "IT3"]);
    assert_eq!(
        requested(&server).await,
        [
            "GET /v2/Items?PageSize=3",
            "GET /v2/Items?PageSize=3&PageToken=abc"
        ]
    );
    let (server, client) = serve(&[("", &["IT1", "IT2"], Some("abc"))]).await;
    let sids = walk(&client, ListItemParams::new(), Some(2)).await.unwrap();
    assert_eq!(sids, ["IT1", "IT2"]);
    assert_eq!(requested(&server).await, ["GET /v2/Items?PageSize=2"]);
}

/// An error answer to a next page ends the stream with that error, after
/// the items before it.
#[tokio::test]
async fn an_error_page_ends_the_walk() {
    let (server, client) = serve(&[("", &["IT1"], Some("gone"))]).await;
    let results: Vec<Result<String, Error>> = client
        .list_item_stream(&ListItemParams::new(), None)
        .unwrap()
        .map_ok(|item| item.sid.unwrap())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_deref().unwrap(), "IT1");
    assert!(
        matches!(&results[1], Err(Error::UnexpectedStatus { status, .. }) if status.as_u16() == 404),
        "{:?}",
        results[1]
    );
    assert_eq!(
        requested(&server).await,
        ["GET /v2/Items", "GET /v2/Items?PageToken=gone"]
    );
}
