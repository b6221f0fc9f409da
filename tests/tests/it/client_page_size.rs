//! A listing stream's `limit` sets its page size: with a limit and no
//! `page_size` of the caller's, the first request asks for
//! `min(limit, the spec's maximum)` records (at least the spec's minimum),
//! so `limit = 3` fetches a 3-record page, not Twilio's default 50. Exact
//! query strings as a wiremock server on 127.0.0.1 received them.
//!
//! The operations are `tests/cases/page_size_limit.yaml`'s (in
//! `request-wire-cases`): `ListGadget`'s `PageSize` allows 1 to 5;
//! `ListWidget`'s `pageSize` (an `i32`) only a minimum of 2, so its maximum
//! is 1000.

use futures_util::TryStreamExt;
use integration_tests::{ACCOUNT_SID, AUTH_TOKEN};
use request_wire_cases::requests::{ListGadgetParams, ListWidgetParams};
use request_wire_cases::{Client, Credentials, RetryPolicy};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering every request with one last page of three gadgets
/// (under `key`), and the client pointed at it.
async fn serve(key: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    assert!(server.uri().starts_with("http://127.0.0.1:"));
    let body = json!({
        key: [{"sid": "GA1"}, {"sid": "GA2"}, {"sid": "GA3"}],
        "meta": {"page": 0, "key": key, "next_page_url": null},
    });
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    (server, client)
}

/// The path and query of every request the server received, in order.
async fn requested(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|request| match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_owned(),
        })
        .collect()
}

/// The gadgets' sids a `list_gadget_stream` with `params` and `limit`
/// yields, and the requests it sent.
async fn gadgets(params: ListGadgetParams, limit: Option<usize>) -> (Vec<String>, Vec<String>) {
    let (server, client) = serve("gadgets").await;
    let sids: Vec<String> = client
        .list_gadget_stream(&params, limit)
        .unwrap()
        .map_ok(|gadget| gadget.sid.unwrap())
        .try_collect()
        .await
        .unwrap();
    (sids, requested(&server).await)
}

#[tokio::test]
async fn a_limit_asks_for_a_page_of_that_size() {
    let (sids, requests) = gadgets(ListGadgetParams::new(), Some(3)).await;
    assert_eq!(sids, ["GA1", "GA2", "GA3"]);
    assert_eq!(requests, ["/v1/Gadgets?PageSize=3"]);
    let (sids, requests) = gadgets(ListGadgetParams::new(), Some(1)).await;
    assert_eq!(sids, ["GA1"]);
    assert_eq!(requests, ["/v1/Gadgets?PageSize=1"]);
}

#[tokio::test]
async fn a_limit_above_the_maximum_asks_for_the_maximum() {
    for limit in [5, 6, 1000, usize::MAX] {
        let (_, requests) = gadgets(ListGadgetParams::new(), Some(limit)).await;
        assert_eq!(requests, ["/v1/Gadgets?PageSize=5"], "limit {limit}");
    }
}

#[tokio::test]
async fn an_explicit_page_size_wins_over_the_limit() {
    let (sids, requests) = gadgets(ListGadgetParams::new().page_size(2), Some(3)).await;
    // The whole page is read; the limit still ends the stream.
    assert_eq!(sids, ["GA1", "GA2", "GA3"]);
    assert_eq!(requests, ["/v1/Gadgets?PageSize=2"]);
    // Even one outside the spec's bounds is the caller's to send.
    let (_, requests) = gadgets(ListGadgetParams::new().page_size(5), Some(1)).await;
    assert_eq!(requests, ["/v1/Gadgets?PageSize=5"]);
}

#[tokio::test]
async fn without_a_limit_no_page_size_is_sent() {
    let (sids, requests) = gadgets(ListGadgetParams::new(), None).await;
    assert_eq!(sids, ["GA1", "GA2", "GA3"]);
    assert_eq!(requests, ["/v1/Gadgets"]);
    // The other parameters are sent as before, in the spec's order.
    let (_, requests) = gadgets(ListGadgetParams::new().page(0), Some(2)).await;
    assert_eq!(requests, ["/v1/Gadgets?PageSize=2&Page=0"]);
}

#[tokio::test]
async fn the_spec_minimum_and_default_maximum_bound_the_page_size() {
    for (limit, query) in [
        (1, "pageSize=2"),
        (7, "pageSize=7"),
        (5000, "pageSize=1000"),
    ] {
        let (server, client) = serve("widgets").await;
        // A path parameter `{Params}` (the argument `params_`) beside the
        // stream's own `params`.
        let _: Vec<_> = client
            .list_widget_stream("SH1", &ListWidgetParams::new(), Some(limit))
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            requested(&server).await,
            [format!("/v1/Shelves/SH1/Widgets?{query}")],
            "limit {limit}"
        );
    }
}
