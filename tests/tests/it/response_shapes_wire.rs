//! Response shapes our `spec/` does not have, on the wire against wiremock:
//! flat list pages whose `next_page_uri` is a path relative to the host
//! (Twilio's 2010 API), and operations answered only with a redirect. The
//! generated code comes from `tests/cases/list_page_flat.yaml` and
//! `tests/cases/redirect_only.yaml`, built by the `tests/wire-crates/*`
//! build scripts (their snapshots show the same code).

use futures_util::TryStreamExt;
use http::StatusCode;
use integration_tests::{ACCOUNT_SID, AUTH_TOKEN, BASIC_AUTH};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use case_list_page_flat as flat;
use case_redirect_only as redirect;

const QUEUES: &str = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Queues.json";

/// `METHOD /path?query` of a received request, after checking it was sent
/// to the configured origin (its `Host`; wiremock rebuilds `url` from other
/// parts).
fn sent_to(server: &MockServer, request: &wiremock::Request) -> String {
    let origin = server.uri();
    let host = origin.strip_prefix("http://").unwrap();
    assert_eq!(request.headers["host"], host);
    match request.url.query() {
        Some(query) => format!("{} {}?{query}", request.method, request.url.path()),
        None => format!("{} {}", request.method, request.url.path()),
    }
}

fn ok_json(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-type", "application/json")
        .set_body_json(body)
}

/// One flat page: the queues named by `sids`, and `next` as `next_page_uri`.
fn flat_page(page: i64, sids: &[&str], next: Option<&str>) -> serde_json::Value {
    let queues: Vec<_> = sids
        .iter()
        .map(|sid| json!({"sid": sid, "friendly_name": format!("queue {sid}"), "current_size": 0}))
        .collect();
    json!({
        "queues": queues,
        "end": page * 2 + sids.len() as i64 - 1,
        "first_page_uri": format!("{QUEUES}?PageSize=2&Page=0"),
        "next_page_uri": next,
        "page": page,
        "page_size": 2,
        "previous_page_uri": null,
        "start": page * 2,
        "uri": format!("{QUEUES}?PageSize=2&Page={page}"),
    })
}

fn flat_client(server: &MockServer) -> flat::runtime::Client {
    flat::runtime::Client::builder(flat::runtime::Credentials::auth_token(
        ACCOUNT_SID,
        AUTH_TOKEN,
    ))
    .base_url(server.uri())
    .retry_policy(flat::runtime::RetryPolicy::none())
    .build()
    .unwrap()
}

/// The three-page walk: the first request is built from the parameters, the
/// next two are exactly the relative `next_page_uri`s, sent to the
/// configured origin with the credentials; the walk ends on a `null` link.
#[tokio::test]
async fn a_stream_walks_three_pages_over_relative_next_page_uris() {
    let server = MockServer::start().await;
    let page1_next = format!("{QUEUES}?PageSize=2&Page=1&PageToken=PAQU1");
    let page2_next = format!("{QUEUES}?PageSize=2&Page=2&PageToken=PAQU2");
    Mock::given(method("GET"))
        .and(path(QUEUES))
        .and(query_param("PageSize", "2"))
        .and(header("authorization", BASIC_AUTH))
        .respond_with(ok_json(flat_page(0, &["QU1", "QU2"], Some(&page1_next))))
        .up_to_n_times(1)
        .with_priority(3)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(QUEUES))
        .and(query_param("PageToken", "PAQU1"))
        .and(header("authorization", BASIC_AUTH))
        .respond_with(ok_json(flat_page(1, &["QU3", "QU4"], Some(&page2_next))))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(QUEUES))
        .and(query_param("PageToken", "PAQU2"))
        .and(header("authorization", BASIC_AUTH))
        .respond_with(ok_json(flat_page(2, &["QU5"], None)))
        .with_priority(1)
        .mount(&server)
        .await;

    let client = flat_client(&server);
    let params = flat::requests::ListQueueParams::new().page_size(2);
    let queues: Vec<flat::models::Queue> = client
        .list_queue_stream(&params, None)
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let sids: Vec<_> = queues.iter().map(|q| q.sid.as_deref().unwrap()).collect();
    assert_eq!(sids, ["QU1", "QU2", "QU3", "QU4", "QU5"]);

    let requests = server.received_requests().await.unwrap();
    let sent: Vec<String> = requests.iter().map(|r| sent_to(&server, r)).collect();
    assert_eq!(
        sent,
        [
            format!("GET {QUEUES}?PageSize=2"),
            format!("GET {page1_next}"),
            format!("GET {page2_next}"),
        ]
    );
    for request in &requests {
        assert_eq!(request.headers["authorization"], BASIC_AUTH);
        assert_eq!(request.headers["accept"], "application/json");
        assert!(request.body.is_empty());
    }
}

/// The existing origin rule holds for flat pages too: an absolute
/// `next_page_uri` on another host ends the stream with `ForeignPageUrl`
/// after the first page's records, and nothing is sent there.
#[tokio::test]
async fn a_next_page_uri_on_another_origin_is_refused() {
    let server = MockServer::start().await;
    let foreign = format!("http://evil.example{QUEUES}?Page=1");
    Mock::given(method("GET"))
        .and(path(QUEUES))
        .respond_with(ok_json(flat_page(0, &["QU1"], Some(&foreign))))
        .expect(1)
        .mount(&server)
        .await;
    let client = flat_client(&server);
    let params = flat::requests::ListQueueParams::default();
    let results: Vec<_> = futures_util::StreamExt::collect::<Vec<_>>(
        client.list_queue_stream(&params, None).unwrap(),
    )
    .await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().sid.as_deref(), Some("QU1"));
    match &results[1] {
        Err(flat::runtime::Error::ForeignPageUrl {
            url,
            expected_origin,
        }) => {
            assert_eq!(url, &foreign);
            assert_eq!(expected_origin, &server.uri());
        }
        other => panic!("expected ForeignPageUrl, got {other:?}"),
    }
}

/// Sans-IO: the parsed page implements `Page`, its link is the relative
/// `next_page_uri`, and `Api::follow` turns it into a request on the
/// configured origin.
#[test]
fn a_flat_page_is_a_page_for_sans_io_callers() {
    use flat::runtime::Page;
    let next = format!("{QUEUES}?PageSize=2&Page=1&PageToken=PAQU1");
    let body = serde_json::to_vec(&flat_page(0, &["QU1", "QU2"], Some(&next))).unwrap();
    let response = http::Response::builder().status(200).body(body).unwrap();
    let page = flat::responses::list_queue(&response).unwrap();
    assert_eq!(page.next_page_url(), Some(next.as_str()));
    assert_eq!(page.page_size, Some(2));
    let api = flat::runtime::Api::with_base_url(
        flat::runtime::Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN),
        "http://127.0.0.1:9",
    )
    .unwrap();
    let request = api.follow(page.next_page_url().unwrap()).unwrap();
    assert_eq!(
        request.uri().to_string(),
        format!("http://127.0.0.1:9{next}")
    );
    let items = page.into_items();
    assert_eq!(items.len(), 2);

    let last = serde_json::to_vec(&flat_page(2, &["QU5"], None)).unwrap();
    let response = http::Response::builder().status(200).body(last).unwrap();
    assert_eq!(
        flat::responses::list_queue(&response)
            .unwrap()
            .next_page_url(),
        None
    );
}

fn redirect_client(server: &MockServer) -> redirect::runtime::Client {
    redirect::runtime::Client::builder(redirect::runtime::Credentials::auth_token(
        ACCOUNT_SID,
        AUTH_TOKEN,
    ))
    .base_url(server.uri())
    .retry_policy(redirect::runtime::RetryPolicy::none())
    .build()
    .unwrap()
}

/// A redirect-only operation returns the `Location` of the 307 and the
/// client does not follow it: the target (on the same server here, where a
/// follow would be allowed and would succeed) is never requested.
#[tokio::test]
async fn a_redirect_answer_is_returned_not_followed() {
    let server = MockServer::start().await;
    let target = format!("{}/files/export-EX1.csv", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1/Exports/EX1/Download"))
        .and(header("authorization", BASIC_AUTH))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", target.as_str())
                .insert_header("content-type", "application/json")
                .set_body_json(json!({"redirect_to": target})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/files/export-EX1.csv"))
        .respond_with(ResponseTemplate::new(200).set_body_string("sid,name\n"))
        .expect(0)
        .mount(&server)
        .await;

    let answer = redirect_client(&server)
        .fetch_export_download("EX1")
        .await
        .unwrap();
    assert_eq!(
        answer,
        redirect::runtime::Redirect {
            status: StatusCode::TEMPORARY_REDIRECT,
            location: target,
        }
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        sent_to(&server, &requests[0]),
        "GET /v1/Exports/EX1/Download"
    );
}

/// The OAuth-style 302 with its query parameter on the wire; the
/// `Location` may point anywhere (it is returned, not requested).
#[tokio::test]
async fn a_302_to_another_host_is_returned_with_its_query_sent() {
    let server = MockServer::start().await;
    let target = "https://www.example.com/authorize?client_id=OQ1&state=xyz";
    Mock::given(method("GET"))
        .and(path("/v1/authorize"))
        .and(query_param("ClientId", "OQ1"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", target))
        .expect(1)
        .mount(&server)
        .await;
    let params = redirect::requests::FetchAuthorizeParams::new().client_id("OQ1");
    let answer = redirect_client(&server)
        .fetch_authorize(&params)
        .await
        .unwrap();
    assert_eq!(answer.status, StatusCode::FOUND);
    assert_eq!(answer.location, target);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        sent_to(&server, &requests[0]),
        "GET /v1/authorize?ClientId=OQ1"
    );
}

/// What else a redirect-only parser can be given: a 3xx without `Location`,
/// a 2xx (the spec promises none; an HTTP stack that followed the redirect
/// produces one) and Twilio's error JSON.
#[test]
fn a_redirect_parser_refuses_what_is_not_a_redirect() {
    let answer = |status: u16, location: Option<&str>, body: &str| {
        let mut builder = http::Response::builder().status(status);
        if let Some(location) = location {
            builder = builder.header("location", location);
        }
        redirect::responses::fetch_elsewhere(&builder.body(body.as_bytes().to_vec()).unwrap())
    };
    match answer(303, None, "") {
        Err(redirect::runtime::Error::MissingLocation { status }) => {
            assert_eq!(status, StatusCode::SEE_OTHER)
        }
        other => panic!("expected MissingLocation, got {other:?}"),
    }
    assert_eq!(
        answer(303, None, "").unwrap_err().to_string(),
        "HTTP 303 See Other redirect without a usable Location header"
    );
    match answer(200, None, "sid,name\n") {
        Err(redirect::runtime::Error::UnexpectedStatus { status, body }) => {
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body, "sid,name\n");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    let error = answer(
        404,
        None,
        r#"{"code": 20404, "message": "The requested resource was not found", "status": 404}"#,
    )
    .unwrap_err();
    assert_eq!(error.code(), Some(20404));
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    // A relative `Location` is returned as sent.
    assert_eq!(
        answer(301, Some("/v2/Elsewhere"), "").unwrap(),
        redirect::runtime::Redirect {
            status: StatusCode::MOVED_PERMANENTLY,
            location: "/v2/Elsewhere".to_owned(),
        }
    );
}
