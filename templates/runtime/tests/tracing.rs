//! The `tracing` feature: what a subscriber sees of a call (against wiremock
//! on 127.0.0.1), recorded by a subscriber of this test's own: a span per
//! call and per attempt, the retry and next-page events, and never a
//! credential, header or query value.
#![cfg(feature = "tracing")]

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::TryStreamExt as _;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use twilio_codegen_runtime::runtime::{Client, Credentials, Endpoint, Page, RetryPolicy};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A span or event as recorded: its name (an event's is its message), its
/// parent span's name and its fields as text.
#[derive(Clone, Debug)]
struct Entry {
    name: String,
    parent: Option<String>,
    fields: Vec<(String, String)>,
}

impl Entry {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }
}

#[derive(Default)]
struct Log {
    spans: Vec<Entry>,

    events: Vec<Entry>,
    /// Entered spans (indexes into `spans`), innermost last.
    stack: Vec<usize>,
}

/// Records every span and event (one thread: the test's current-thread
/// runtime).
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Log>>);

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl Recorder {
    fn parent_name(log: &Log, explicit: Option<&Id>) -> Option<String> {
        let index = match explicit {
            Some(id) => Some(id.into_u64() as usize - 1),
            None => log.stack.last().copied(),
        }?;
        Some(log.spans[index].name.clone())
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut log = self.0.lock().unwrap();
        let mut fields = Vec::new();
        span.record(&mut Fields(&mut fields));
        let parent = Self::parent_name(&log, span.parent());
        log.spans.push(Entry {
            name: span.metadata().name().to_owned(),
            parent,
            fields,
        });
        Id::from_u64(log.spans.len() as u64)
    }

    fn record(&self, id: &Id, values: &Record<'_>) {
        let mut log = self.0.lock().unwrap();
        let entry = &mut log.spans[id.into_u64() as usize - 1];
        values.record(&mut Fields(&mut entry.fields));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut log = self.0.lock().unwrap();
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        let name = fields
            .iter()
            .find(|(field, _)| field == "message")
            .map(|(_, value)| value.clone())
            .unwrap_or_default();
        let parent = Self::parent_name(&log, event.parent());
        log.events.push(Entry {
            name,
            parent,
            fields,
        });
    }

    fn enter(&self, id: &Id) {
        self.0
            .lock()
            .unwrap()
            .stack
            .push(id.into_u64() as usize - 1);
    }

    fn exit(&self, id: &Id) {
        let mut log = self.0.lock().unwrap();
        let index = id.into_u64() as usize - 1;
        if let Some(at) = log.stack.iter().rposition(|entered| *entered == index) {
            log.stack.remove(at);
        }
    }
}

#[derive(serde::Deserialize)]
struct ThingPage {
    things: Vec<u32>,
    meta: twilio_codegen_runtime::runtime::PageMeta,
}

impl Page for ThingPage {
    type Item = u32;
    fn next_page_url(&self) -> Option<&str> {
        self.meta.next_page_url.as_deref()
    }
    fn into_items(self) -> Vec<u32> {
        self.things
    }
}

const TOKEN: &str = "s3cr3t-auth-token";

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..RetryPolicy::default()
    }
}

/// Everything recorded, as one text, for the never-recorded checks.
fn everything(log: &Log) -> String {
    format!("{:?} {:?}", log.spans, log.events)
}

#[tokio::test]
async fn calls_attempts_retries_and_pages_are_traced_without_secrets() {
    let server = MockServer::start().await;
    let items = "/v1/Things/CH0123456789abcdef/Items";
    // The first page answers 503 once, then 200 naming a second page.
    Mock::given(method("GET"))
        .and(path(items))
        .and(query_param("Token", "hunter2"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let next = format!("{}{items}?Page=1&PageToken=PT9pagesecret", server.uri());
    Mock::given(method("GET"))
        .and(path(items))
        .and(query_param("Token", "hunter2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "things": [1, 2],
            "meta": {"next_page_url": next},
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(items))
        .and(query_param("Page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "things": [3],
            "meta": {"next_page_url": null},
        })))
        .mount(&server)
        .await;

    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let client = Client::builder(Credentials::auth_token("AC1", TOKEN))
        .base_url(server.uri())
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let mut first = client
        .api()
        .request(
            http::Method::GET,
            &format!("{items}?Token=hunter2"),
            None,
            None,
        )
        .unwrap();
    // As a generated request builder does.
    first.extensions_mut().insert(Endpoint::new(
        "ListThingItem",
        "/v1/Things/{ThingSid}/Items",
    ));
    let all: Vec<u32> = client
        .paginate::<ThingPage>(first, None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, [1, 2, 3]);
    // The requests did carry the secrets that must not be recorded.
    let received = server.received_requests().await.unwrap();
    assert!(received[0].headers.get("authorization").is_some());
    assert_eq!(received[0].url.query(), Some("Token=hunter2"));

    let log = recorder.0.lock().unwrap();
    let calls: Vec<&Entry> = log
        .spans
        .iter()
        .filter(|s| s.name == "twilio.call")
        .collect();
    assert_eq!(calls.len(), 2, "one span per page's call: {:?}", log.spans);
    for call in &calls {
        assert_eq!(call.field("method"), Some("GET"));
        assert_eq!(call.field("host"), Some("127.0.0.1"));
        // The template, for the followed page too: never the SID sent.
        assert_eq!(call.field("operation"), Some("ListThingItem"));
        assert_eq!(call.field("path"), Some("/v1/Things/{ThingSid}/Items"));
        assert_eq!(call.field("status"), Some("200"));
    }
    let attempts: Vec<(Option<&str>, Option<&str>)> = log
        .spans
        .iter()
        .filter(|s| s.name == "twilio.attempt")
        .map(|s| (s.parent.as_deref(), s.field("attempt")))
        .collect();
    assert_eq!(
        attempts,
        [
            (Some("twilio.call"), Some("1")),
            (Some("twilio.call"), Some("2")),
            (Some("twilio.call"), Some("1")),
        ]
    );

    let retries: Vec<&Entry> = log.events.iter().filter(|e| e.name == "retrying").collect();
    assert_eq!(retries.len(), 1, "{:?}", log.events);
    assert_eq!(retries[0].parent.as_deref(), Some("twilio.call"));
    assert_eq!(retries[0].field("attempt"), Some("1"));
    assert_eq!(retries[0].field("status"), Some("503"));
    let delay: u64 = retries[0].field("delay_ms").unwrap().parse().unwrap();
    assert!(delay <= 2);

    let pages: Vec<Option<&str>> = log
        .events
        .iter()
        .filter(|e| e.name == "following the next page")
        .map(|e| e.field("page"))
        .collect();
    assert_eq!(pages, [Some("2")]);

    let text = everything(&log);
    for secret in [
        TOKEN,
        "Basic",
        "hunter2",
        "PT9pagesecret",
        "CH0123456789abcdef",
        "Token",
    ] {
        assert!(!text.contains(secret), "{secret} recorded: {text}");
    }
}

#[tokio::test]
async fn a_retried_failure_is_traced_by_its_kind_alone() {
    // Nothing listens on port 9 (discard) of 127.0.0.1 in the test
    // environment: the connection is refused, which is retried.
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let client = Client::builder(Credentials::auth_token("AC1", TOKEN))
        .base_url("http://127.0.0.1:9")
        .retry_policy(RetryPolicy {
            max_retries: 1,
            ..fast_retries()
        })
        .build()
        .unwrap();
    let request = client
        .api()
        .request(http::Method::GET, "/v1/Things?Secret=hunter2", None, None)
        .unwrap();
    assert!(client.execute(request).await.is_err());

    let log = recorder.0.lock().unwrap();
    let retries: Vec<&Entry> = log.events.iter().filter(|e| e.name == "retrying").collect();
    assert_eq!(retries.len(), 1, "{:?}", log.events);
    assert_eq!(retries[0].field("kind"), Some("connect"));
    assert_eq!(retries[0].field("status"), None);
    let call = log.spans.iter().find(|s| s.name == "twilio.call").unwrap();
    assert_eq!(call.field("status"), None);
    // A request built by hand has no endpoint: its path is not recorded,
    // since any of its segments may be a value.
    assert_eq!(call.field("path"), None);
    assert_eq!(call.field("operation"), None);
    let text = everything(&log);
    for secret in ["hunter2", TOKEN, "Things"] {
        assert!(!text.contains(secret), "{secret} recorded: {text}");
    }
}
