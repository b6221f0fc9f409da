//! What the generated code puts on the wire for the request-side constructs
//! of `tests/cases` (JSON bodies, object-valued form fields, prefixed maps,
//! inequality filters, reserved names, parameter styles): exact paths, query
//! strings, headers and body bytes as a wiremock server on 127.0.0.1
//! received them.
//!
//! The code is `request-wire-cases` (`tests/request-wire/`), whose
//! `build.rs` generates it from a document whose paths are `$ref`s to those
//! cases' path items, so these are the snapshots' own operations.

use std::collections::BTreeMap;

use integration_tests::{ACCOUNT_SID, AUTH_TOKEN, BASIC_AUTH};
use request_wire_cases::models::{
    CardAction, CardActionType, CardType, ClientModel, Color, MethodModel, Shade, TemplateCreate,
    TemplateRequest, TextType, Types,
};
use request_wire_cases::requests::{
    CreateDocumentParams, CreateScriptParams, CreateTemplateParams, ExecuteParams,
    FetchPhoneNumberParams, FetchSimpleParams, ListCallParams, ListQueryParams, SendParams,
    UpdateTemplateParams, ValidateParams,
};
use request_wire_cases::{Client, Credentials, Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server answering every request with `status` and `body` (JSON), and
/// the client pointed at it.
async fn serve(status: u16, body: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    assert!(server.uri().starts_with("http://127.0.0.1:"));
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("content-type", "application/json")
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    (server, client)
}

/// The one request the server received.
async fn received(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "expected exactly one request");
    let request = requests.remove(0);
    assert_eq!(header(&request, "authorization"), Some(BASIC_AUTH));
    request
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

fn body(request: &Request) -> &str {
    std::str::from_utf8(&request.body).unwrap()
}

#[tokio::test]
async fn json_body_is_nested_json_with_unset_optionals_left_out() {
    let (server, client) = serve(201, r#"{"sid": "HX1"}"#).await;
    let mut types = Types::new().text_plain(TextType::new("Hello"));
    let mut card = CardType::new("Pick one".to_owned());
    let mut action = CardAction::new(CardActionType::Url);
    action.url = Some("https://example.com/a".to_owned());
    card.actions = Some(vec![action, CardAction::new(CardActionType::PhoneNumber)]);
    types.card = Some(card);
    let mut template = TemplateCreate::new("en".to_owned(), None, types);
    template.variables = Some(BTreeMap::from([("1".to_owned(), "name".to_owned())]));
    let mut params = CreateTemplateParams::new(template);
    params.dry_run = Some(true);

    let created = client.create_template(&params).await.unwrap();
    assert_eq!(created.sid.as_deref(), Some("HX1"));

    let request = received(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/v1/Templates");
    assert_eq!(request.url.query(), Some("DryRun=true"));
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    // `friendly_name` and `tags` are unset, so absent; `note` is required
    // and nullable, so `null`; `text/plain` keeps its spec key.
    assert_eq!(
        body(&request),
        r#"{"language":"en","note":null,"variables":{"1":"name"},"types":{"text/plain":{"body":"Hello"},"card":{"title":"Pick one","actions":[{"type":"URL","url":"https://example.com/a"},{"type":"PHONE_NUMBER"}]}}}"#
    );
}

#[tokio::test]
async fn optional_json_body_unset_sends_no_body_and_set_sends_the_request_shape() {
    let (server, client) = serve(200, r#"{"sid": "HX1"}"#).await;
    client
        .update_template("HX1", &UpdateTemplateParams::default())
        .await
        .unwrap();
    let request = received(&server).await;
    assert_eq!(request.url.path(), "/v1/Templates/HX1");
    assert_eq!(header(&request, "content-type"), None);
    assert!(request.body.is_empty());

    let (server, client) = serve(200, r#"{"sid": "HX1"}"#).await;
    let params = UpdateTemplateParams::new()
        .body(TemplateRequest::new("HX1"))
        .x_request_tag("t1");
    client.update_template("HX1", &params).await.unwrap();
    let request = received(&server).await;
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(header(&request, "x-request-tag"), Some("t1"));
    assert_eq!(body(&request), r#"{"sid":"HX1"}"#);
}

#[tokio::test]
async fn untyped_media_type_sends_the_bytes_with_its_content_type() {
    let (server, client) = serve(204, "").await;
    let mut params = CreateScriptParams::new(b"print('hi')\n".to_vec());
    params.x_request_tag = Some("t2".to_owned());
    client.create_script(&params).await.unwrap();
    let request = received(&server).await;
    assert_eq!(header(&request, "content-type"), Some("text/plain"));
    assert_eq!(header(&request, "x-request-tag"), Some("t2"));
    assert_eq!(request.body, b"print('hi')\n");
}

#[tokio::test]
async fn object_form_fields_are_sent_as_json_text() {
    let (server, client) = serve(204, "").await;
    let mut params = CreateDocumentParams::new(json!({"a": 1, "b": [true, "x y"]}));
    params.unique_name = Some("doc 1".to_owned());
    params.layout = Some(json!({"grid": true}));
    params.rules = vec![json!({"all": true}), json!({"type": "exclude"})];
    client.create_document("IS1", &params).await.unwrap();
    let request = received(&server).await;
    assert_eq!(request.url.path(), "/v1/Services/IS1/Documents");
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    // `Attributes` is unset, so absent; an array of objects repeats the key.
    // (Keys are written in the object's order, sorted here so the bytes are
    // the same with and without serde_json's `preserve_order`.)
    assert_eq!(
        body(&request),
        "UniqueName=doc+1&Data=%7B%22a%22%3A1%2C%22b%22%3A%5Btrue%2C%22x+y%22%5D%7D\
         &Layout=%7B%22grid%22%3Atrue%7D&Rules=%7B%22all%22%3Atrue%7D&Rules=%7B%22type%22%3A%22exclude%22%7D"
    );
}

#[tokio::test]
async fn prefixed_map_is_flattened_to_one_key_per_leaf() {
    let (server, client) = serve(204, "").await;
    let params = FetchPhoneNumberParams::new()
        .add_ons(["lookup_a"])
        .add_ons_data(BTreeMap::from([
            (
                "lookup_a".to_owned(),
                json!({"depth": 2, "mode": "full", "skip": null, "tags": ["x", "y"]}),
            ),
            ("other".to_owned(), json!("on")),
        ]));
    client
        .fetch_phone_number("+15005550006", &params)
        .await
        .unwrap();
    let request = received(&server).await;
    assert_eq!(request.url.path(), "/v1/PhoneNumbers/%2B15005550006");
    assert_eq!(
        request.url.query(),
        Some(
            "AddOns=lookup_a&AddOns.lookup_a.depth=2&AddOns.lookup_a.mode=full\
             &AddOns.lookup_a.tags=x&AddOns.lookup_a.tags=y&AddOns.other=on"
        )
    );

    // An empty map sends nothing at all.
    let (server, client) = serve(204, "").await;
    client
        .fetch_phone_number("+15005550006", &FetchPhoneNumberParams::default())
        .await
        .unwrap();
    assert_eq!(received(&server).await.url.query(), None);
}

#[tokio::test]
async fn inequality_filters_carry_the_spec_keys() {
    let (server, client) = serve(204, "").await;
    let params = ListCallParams::new()
        .start_time("2024-01-01")
        .start_time_before("2024-02-01T00:00:00Z")
        .start_time_after("2023-12-01T00:00:00Z")
        .date_created_on_or_before("2024-01-31")
        .date_created_on_or_after("2024-01-01");
    client.list_call(&params).await.unwrap();
    let request = received(&server).await;
    assert_eq!(
        request.url.path(),
        format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json")
    );
    // `<` and `>` are percent-encoded like every other reserved byte.
    assert_eq!(
        request.url.query(),
        Some(
            "StartTime=2024-01-01&StartTime%3C=2024-02-01T00%3A00%3A00Z\
             &StartTime%3E=2023-12-01T00%3A00%3A00Z&DateCreated%3C%3D=2024-01-31\
             &DateCreated%3E%3D=2024-01-01"
        )
    );
}

#[tokio::test]
async fn reserved_names_still_reach_their_operations() {
    let (server, client) = serve(200, r#"{"value": "ok"}"#).await;
    let params = ExecuteParams::new().api("v2").limit(5);
    let answer = client.execute_("a", "b", "c", &params).await.unwrap();
    assert_eq!(answer.value.as_deref(), Some("ok"));
    let request = received(&server).await;
    assert_eq!(request.url.path(), "/v1/Execute/a/b/c");
    assert_eq!(request.url.query(), Some("api=v2&limit=5"));

    let (server, client) = serve(204, "").await;
    let params = SendParams::new().body(ClientModel::new("n"));
    client.send_(&params).await.unwrap();
    let request = received(&server).await;
    assert_eq!(request.url.path(), "/v1/Send");
    assert_eq!(body(&request), r#"{"name":"n"}"#);
}

/// Fields named like the structs' own methods get a `_` suffix (field and
/// setter alike) and still carry their spec keys; the methods they would
/// shadow (`clone`, `validate`) still work.
#[tokio::test]
async fn setters_named_like_methods_send_their_spec_keys() {
    let (server, client) = serve(204, "").await;
    let params = ValidateParams::new()
        .mode(MethodModel::Post)
        .new_("n")
        .validate_(true)
        .clone_(3);
    params.validate().unwrap();
    client.validate_(&params.clone()).await.unwrap();
    let request = received(&server).await;
    assert_eq!(request.url.path(), "/v1/Validate");
    assert_eq!(
        request.url.query(),
        Some("Mode=POST&New=n&Validate=true&Clone=3")
    );

    let (server, client) = serve(204, "").await;
    let params = SendParams::new().body(ClientModel::new("n").default_("d"));
    client.send_(&params).await.unwrap();
    let request = received(&server).await;
    assert_eq!(body(&request), r#"{"name":"n","default":"d"}"#);
}

// ---------- parameter styles (tests/cases/param_styles.yaml) ----------

/// The path and query of the one request received.
async fn path_and_query(server: &MockServer) -> (String, Option<String>) {
    let request = received(server).await;
    (
        request.url.path().to_owned(),
        request.url.query().map(str::to_owned),
    )
}

/// A refused value: the validation error, and nothing sent.
async fn refused<T: std::fmt::Debug>(server: &MockServer, result: Result<T, Error>) -> String {
    let error = result.unwrap_err();
    assert!(server.received_requests().await.unwrap().is_empty());
    match error {
        Error::Validation { field, found, .. } => format!("{field} {found}"),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn rgb() -> Color {
    Color::new(100).g(200).b(150)
}

#[tokio::test]
async fn simple_path_parameters_join_with_commas_and_encode_them_in_values() {
    let (server, client) = serve(204, "").await;
    let labels = BTreeMap::from([
        ("k=,".to_owned(), "v w".to_owned()),
        ("a".to_owned(), "é".to_owned()),
    ]);
    let color = Color::new(100).g(200).name("a,b=c");
    let params = FetchSimpleParams::new().x_trace("t");
    client
        .fetch_simple("AB.c d", &[1, 20], &color, &labels, &params)
        .await
        .unwrap();
    let (path, query) = path_and_query(&server).await;
    // `Sid` (written `style: simple`) goes as a plain segment; the object's
    // members in declaration order, unset ones left out; the map's in key order.
    assert_eq!(
        path,
        "/v1/Simple/AB.c%20d/1,20/R,100,G,200,Name,a%2Cb%3Dc/a=%C3%A9,k%3D%2C=v%20w"
    );
    assert_eq!(query, None);

    // An empty array or map is an empty segment: refused, nothing sent.
    let (server, client) = serve(204, "").await;
    let result = client
        .fetch_simple("S", &[], &color, &labels, &params)
        .await;
    assert_eq!(refused(&server, result).await, "Ids \"\"");
    let result = client
        .fetch_simple("S", &[1], &color, &BTreeMap::new(), &params)
        .await;
    assert_eq!(refused(&server, result).await, "Labels \"\"");
}

#[tokio::test]
async fn label_path_parameters_put_a_dot_before_each_value() {
    let (server, client) = serve(204, "").await;
    let ids = ["blue".to_owned(), "black.x".to_owned()];
    let exploded = ["é".to_owned(), "a b".to_owned()];
    let named = Color::new(1).name("x.y").shade(Shade::Dark);
    client
        .fetch_label("blue", &ids, &exploded, &rgb(), &named)
        .await
        .unwrap();
    let (path, _) = path_and_query(&server).await;
    assert_eq!(
        path,
        "/v1/Label/.blue/.blue.black%2Ex/.%C3%A9.a%20b/.R.100.G.200.B.150/.R=1.Name=x%2Ey.Shade=dark"
    );

    // `""` is `.` and `"."` is `.%2E`: dot segments a URL parser would
    // collapse, so refused; an empty array writes nothing, refused too.
    let (server, client) = serve(204, "").await;
    let result = client
        .fetch_label("", &ids, &exploded, &rgb(), &named)
        .await;
    assert_eq!(refused(&server, result).await, "Name \".\"");
    let result = client
        .fetch_label(".", &ids, &exploded, &rgb(), &named)
        .await;
    assert_eq!(refused(&server, result).await, "Name \"..\"");
    let result = client
        .fetch_label("n", &[], &exploded, &rgb(), &named)
        .await;
    assert_eq!(refused(&server, result).await, "Ids \"\"");
}

#[tokio::test]
async fn matrix_path_parameters_name_each_value() {
    let (server, client) = serve(204, "").await;
    let ids = ["a;b".to_owned(), "c,d".to_owned()];
    let exploded = ["x".to_owned(), "y=z".to_owned()];
    client
        .fetch_matrix("", &ids, &exploded, &rgb(), &rgb())
        .await
        .unwrap();
    let (path, _) = path_and_query(&server).await;
    assert_eq!(
        path,
        "/v1/Matrix/;Name/;Ids=a%3Bb,c%2Cd/;IdsExploded=x;IdsExploded=y%3Dz\
         /;Color=R,100,G,200,B,150/;R=100;G=200;B=150"
    );

    let (server, client) = serve(204, "").await;
    let result = client.fetch_matrix("n", &ids, &[], &rgb(), &rgb()).await;
    assert_eq!(refused(&server, result).await, "IdsExploded \"\"");
}

#[tokio::test]
async fn query_styles_write_the_table_and_encode_delimiters_in_values() {
    let (server, client) = serve(204, "").await;
    let params = ListQueryParams::new(rgb())
        .plain("x y")
        .tags(["a", "b"])
        .tags_flat(["a,b", "c d", "é"])
        .filter_flat(Color::new(1).name("n,m"))
        .weights([1.5, 2.0])
        .spaced(Color::new(1).name("a b+c"))
        .shades([Shade::Light, Shade::Dark, Shade::from("a|b")])
        .piped(Color::new(3))
        .deep(Color::new(100).g(200).shade(Shade::Dark))
        .labels(BTreeMap::from([
            ("a]b".to_owned(), "x&y".to_owned()),
            ("k".to_owned(), "v".to_owned()),
        ]));
    client.list_query(&params).await.unwrap();
    let (path, query) = path_and_query(&server).await;
    assert_eq!(path, "/v1/Query");
    assert_eq!(
        query.as_deref(),
        Some(
            "Plain=x+y&Tags=a&Tags=b&TagsFlat=a%2Cb,c+d,%C3%A9&R=100&G=200&B=150\
             &FilterFlat=R,1,Name,n%2Cm&Weights=1.5%202&Spaced=R%201%20Name%20a+b%2Bc\
             &Shades=light|dark|a%7Cb&Piped=R|3&Deep[R]=100&Deep[G]=200&Deep[Shade]=dark\
             &Labels[a%5Db]=x%26y&Labels[k]=v"
        )
    );

    // Empty arrays and maps, and unset objects, send nothing.
    let (server, client) = serve(204, "").await;
    client
        .list_query(&ListQueryParams::new(Color::new(0)))
        .await
        .unwrap();
    let (_, query) = path_and_query(&server).await;
    assert_eq!(query.as_deref(), Some("R=0"));
}
