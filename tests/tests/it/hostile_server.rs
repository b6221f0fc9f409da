//! The generated client against servers that misbehave on purpose: raw
//! tokio listeners on 127.0.0.1 that stall, drip, send huge bodies, redirect
//! elsewhere, page without end or put terminal escapes in their errors.
//! Each test shows one bound of the client (`Limits`, the redirect policy,
//! the retry bounds, escaped error text) holding.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use http::{Method, StatusCode};
use integration_tests::{ACCOUNT_SID, AUTH_TOKEN, CONVERSATION_SID};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;
use twilio_conversations_webhooks::models::ConversationScopedWebhookTarget;
use twilio_conversations_webhooks::requests::{
    CreateConversationScopedWebhookParams, ListConversationScopedWebhookParams,
};
use twilio_conversations_webhooks::runtime::TimeoutScope;
use twilio_conversations_webhooks::{Client, Credentials, Error, Limits, RetryPolicy};

// ---------- a raw HTTP/1.1 server ----------

/// One request as the server read it.
#[derive(Clone, Debug)]
struct Received {
    /// The request line and headers, as sent.
    head: String,
    body: Vec<u8>,
}

impl Received {
    fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or_default()
    }
}

/// A listener on 127.0.0.1 that reads one request per connection, records
/// it, and hands the connection to an answer function.
struct RawServer {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl RawServer {
    /// Starts a server answering the `n`th request (from 0) with `answer`.
    async fn start<F, Fut>(answer: F) -> RawServer
    where
        F: Fn(usize, Received, TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let received = Arc::new(Mutex::new(Vec::new()));
        let server = RawServer {
            addr,
            connections: connections.clone(),
            received: received.clone(),
        };
        let answer = Arc::new(answer);
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                connections.fetch_add(1, Ordering::SeqCst);
                let answer = answer.clone();
                let received = received.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut stream).await else {
                        return;
                    };
                    let n = {
                        let mut received = received.lock().unwrap();
                        received.push(request.clone());
                        received.len() - 1
                    };
                    answer(n, request, stream).await;
                });
            }
        });
        server
    }

    fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Reads a request head and its `Content-Length` body; `None` if the client
/// went away first.
async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, value)| value.trim().parse::<usize>().unwrap());
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Received { head, body })
}

/// Writes a complete response (with `Content-Length` and `Connection:
/// close`, so the client never reuses the connection) and closes it.
async fn respond(mut stream: TcpStream, status: &str, headers: &[(&str, &str)], body: &[u8]) {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    // The client may have gone away already; that is its right.
    let _ = stream.write_all(&bytes).await;
    let _ = stream.shutdown().await;
}

/// Writes `head` and then `unit` over and over until the client stops
/// reading; sends the number of body bytes written through `written`.
async fn write_forever(
    mut stream: TcpStream,
    head: String,
    unit: Vec<u8>,
    written: tokio::sync::oneshot::Sender<usize>,
) {
    let mut total = 0;
    if stream.write_all(head.as_bytes()).await.is_ok() {
        while stream.write_all(&unit).await.is_ok() {
            total += unit.len();
        }
    }
    let _ = written.send(total);
}

fn client_for(server: &RawServer) -> Client {
    Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Retries with backoffs of a few milliseconds.
fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

const WEBHOOK: &str = r#"{"sid":"WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","target":"webhook"}"#;

fn create_params() -> CreateConversationScopedWebhookParams {
    let mut params =
        CreateConversationScopedWebhookParams::new(ConversationScopedWebhookTarget::Webhook);
    params.configuration_url = Some("https://example.com/hook".into());
    params
}

fn get(client: &Client, path: &str) -> http::Request<Vec<u8>> {
    client.api().request(Method::GET, path, None, None).unwrap()
}

// ---------- time ----------

#[test]
fn default_limits_are_the_documented_ones() {
    assert_eq!(
        Limits::default(),
        Limits {
            timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(120),
            max_response_bytes: 10 * 1024 * 1024,
            max_empty_pages: 5,
        }
    );
    let client = Client::new(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN));
    assert_eq!(client.limits(), &Limits::default());
    let built = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .timeout(Duration::from_secs(1))
        .deadline(Duration::from_secs(2))
        .build()
        .unwrap();
    assert_eq!(
        built.limits(),
        &Limits {
            timeout: Duration::from_secs(1),
            deadline: Duration::from_secs(2),
            ..Limits::default()
        }
    );
    // Per-call copies change only what they name, and leave the original be.
    let per_call = built
        .with_timeout(Duration::from_millis(5))
        .with_deadline(Duration::from_millis(6));
    assert_eq!(
        (per_call.limits().timeout, per_call.limits().deadline),
        (Duration::from_millis(5), Duration::from_millis(6))
    );
    assert_eq!(built.limits().timeout, Duration::from_secs(1));
    assert_eq!(
        built.with_retry_policy(RetryPolicy::none()).retry_policy(),
        &RetryPolicy::none()
    );
    let dbg = format!("{per_call:?}");
    assert!(
        dbg.contains("limits: Limits { timeout: 5ms, deadline: 6ms"),
        "{dbg}"
    );
    assert!(!dbg.contains(AUTH_TOKEN), "{dbg}");
}

/// Holds every connection open without answering.
async fn stalling_server() -> RawServer {
    RawServer::start(|_, _, stream| async move {
        std::future::pending::<()>().await;
        drop(stream);
    })
    .await
}

// Virtual time (`start_paused`): the runtime jumps to its next timer
// whenever it has nothing else to do, so the real 30 s and 120 s defaults
// are checked without waiting for them.

#[tokio::test(start_paused = true)]
async fn by_default_a_stalled_post_ends_after_30_s() {
    let server = stalling_server().await;
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(server.uri())
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client
        .create_conversation_scoped_webhook(CONVERSATION_SID, &create_params())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                scope: TimeoutScope::Attempt,
                limit
            } if limit == Duration::from_secs(30)
        ),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert_eq!(
        err.to_string(),
        "an attempt of the request (the per-attempt timeout) took longer than 30s"
    );
    assert_eq!(start.elapsed().as_secs(), 30, "{:?}", start.elapsed());
    // A POST that may have reached the server is not sent again.
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn by_default_a_stalled_get_is_retried_until_the_120_s_deadline() {
    let server = stalling_server().await;
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(server.uri())
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.fetch_configuration_webhook().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                scope: TimeoutScope::Deadline,
                limit
            } if limit == Duration::from_secs(120)
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the call, retries and waits included (the deadline) took longer than 120s"
    );
    assert_eq!(start.elapsed().as_secs(), 120, "{:?}", start.elapsed());
    // Three 30 s attempts and their backoffs (at most 0.5 + 1 + 2 s) leave
    // the fourth attempt cut short by the deadline.
    assert_eq!(server.received().len(), 4);
}

#[tokio::test]
async fn a_stalled_server_is_bounded_by_the_configured_timeout_and_deadline() {
    let server = stalling_server().await;
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(server.uri())
        .retry_policy(fast_retries(u32::MAX))
        .timeout(Duration::from_millis(200))
        .deadline(Duration::from_millis(700))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.fetch_configuration_webhook().await.unwrap_err();
    let elapsed = start.elapsed();
    assert!(
        matches!(
            err,
            Error::Timeout {
                scope: TimeoutScope::Deadline,
                limit
            } if limit == Duration::from_millis(700)
        ),
        "{err:?}"
    );
    assert!(elapsed >= Duration::from_millis(700), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    // Each 200 ms attempt timed out and was retried, however many retries
    // the policy allows, until the deadline.
    let attempts = server.received().len();
    assert!((2..=4).contains(&attempts), "{attempts}");
}

#[tokio::test]
async fn a_per_call_deadline_overrides_the_clients() {
    let server = stalling_server().await;
    let client = client_for(&server);
    let start = Instant::now();
    let err = client
        .with_deadline(Duration::from_millis(150))
        .fetch_configuration_webhook()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                scope: TimeoutScope::Deadline,
                limit
            } if limit == Duration::from_millis(150)
        ),
        "{err:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(5));
    // The client itself keeps its defaults.
    assert_eq!(client.limits(), &Limits::default());
}

#[tokio::test]
async fn a_slowly_dripping_body_is_cut_at_the_attempt_timeout() {
    let server = RawServer::start(|_, _, mut stream| async move {
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        loop {
            if stream.write_all(b" ").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    let client = client_for(&server).with_timeout(Duration::from_millis(300));
    let start = Instant::now();
    let err = client.fetch_configuration_webhook().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                scope: TimeoutScope::Attempt,
                limit
            } if limit == Duration::from_millis(300)
        ),
        "{err:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(server.received().len(), 1);
}

// ---------- retries ----------

#[tokio::test]
async fn a_huge_retry_after_is_not_waited_for_past_the_deadline() {
    let server = RawServer::start(|_, _, stream| async move {
        respond(
            stream,
            "429 Too Many Requests",
            &[
                ("retry-after", "3600"),
                ("content-type", "application/json"),
            ],
            br#"{"code":20429,"message":"Too Many Requests","status":429}"#,
        )
        .await;
    })
    .await;
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(server.uri())
        .deadline(Duration::from_secs(2))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.fetch_configuration_webhook().await.unwrap_err();
    // Even capped at the policy's 60 s, the wait would end after the 2 s
    // deadline: the 429 is the answer, at once.
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(err.code(), Some(20429));
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn unlimited_retries_still_end_at_the_deadline() {
    let server = RawServer::start(|_, _, stream| async move {
        respond(
            stream,
            "503 Service Unavailable",
            &[("retry-after", "2")],
            b"busy",
        )
        .await;
    })
    .await;
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(server.uri())
        .retry_policy(fast_retries(u32::MAX))
        .deadline(Duration::from_secs(3))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.fetch_configuration_webhook().await.unwrap_err();
    let elapsed = start.elapsed();
    // In virtual time: t = 0: 503, wait 2 s (fits in 3 s); t = 2 s: 503, a
    // second 2 s wait would pass the deadline, so that 503 is the answer.
    match &err {
        Error::UnexpectedStatus { status, body } => {
            assert_eq!(*status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(body, "busy");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.received().len(), 2);
    assert_eq!(elapsed.as_secs(), 2, "{elapsed:?}");
}

// ---------- response bodies ----------

const GIB: usize = 1 << 30;

#[tokio::test]
async fn a_declared_huge_body_is_refused_before_reading_it() {
    let (written_tx, written_rx) = tokio::sync::oneshot::channel();
    let written_tx = Mutex::new(Some(written_tx));
    let server = RawServer::start(move |_, _, stream| {
        let written = written_tx.lock().unwrap().take().unwrap();
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {GIB}\r\n\r\n"
        );
        write_forever(stream, head, vec![b' '; 64 * 1024], written)
    })
    .await;
    let client = client_for(&server);
    let err = client.fetch_configuration_webhook().await.unwrap_err();
    match &err {
        Error::BodyTooLarge {
            status,
            limit,
            content_length,
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(*limit, 10 * 1024 * 1024);
            assert_eq!(*content_length, Some(GIB as u64));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "the body of an HTTP 200 OK response is larger than the limit of 10485760 bytes (its Content-Length is 1073741824)"
    );
    assert_eq!(err.status(), Some(StatusCode::OK));
    drop(client);
    // The server could write no more than the sockets' buffers hold before
    // the client hung up: nowhere near the gibibyte.
    let written = written_rx.await.unwrap();
    assert!(written < 64 * 1024 * 1024, "{written}");

    // The refusal comes from the header alone: a server that declares a huge
    // body and then sends none gets it at once (reading would time out).
    let server = RawServer::start(|_, _, mut stream| async move {
        let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {GIB}\r\n\r\n");
        let _ = stream.write_all(head.as_bytes()).await;
        std::future::pending::<()>().await;
    })
    .await;
    let client = client_for(&server).with_timeout(Duration::from_secs(2));
    let err = client.fetch_configuration_webhook().await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { content_length: Some(length), .. } if length == GIB as u64),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_at_the_limit() {
    let (written_tx, written_rx) = tokio::sync::oneshot::channel();
    let written_tx = Mutex::new(Some(written_tx));
    let server = RawServer::start(move |_, _, stream| {
        let written = written_tx.lock().unwrap().take().unwrap();
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_owned();
        // One chunk of 64 KiB of spaces, repeated.
        let mut unit = format!("{:x}\r\n", 64 * 1024).into_bytes();
        unit.extend_from_slice(&[b' '; 64 * 1024]);
        unit.extend_from_slice(b"\r\n");
        write_forever(stream, head, unit, written)
    })
    .await;
    let client = client_for(&server).with_limits(Limits {
        max_response_bytes: 1024 * 1024,
        ..Limits::default()
    });
    let err = client.fetch_configuration_webhook().await.unwrap_err();
    match &err {
        Error::BodyTooLarge {
            status,
            limit,
            content_length,
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(*limit, 1024 * 1024);
            assert_eq!(*content_length, None);
        }
        other => panic!("{other:?}"),
    }
    drop(client);
    let written = written_rx.await.unwrap();
    assert!(written < 64 * 1024 * 1024, "{written}");
}

/// A server answering every request with `body`, in chunks of 10 bytes
/// (`chunked`) or with a `Content-Length`.
async fn body_server(body: &'static [u8], chunked: bool) -> RawServer {
    RawServer::start(move |_, _, mut stream| async move {
        if !chunked {
            return respond(stream, "200 OK", &[], body).await;
        }
        let mut out =
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n".to_vec();
        for piece in body.chunks(10) {
            out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
            out.extend_from_slice(piece);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"0\r\n\r\n");
        let _ = stream.write_all(&out).await;
        let _ = stream.shutdown().await;
    })
    .await
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_refused() {
    const AT_LIMIT: &[u8] = &[b'x'; 64];
    const OVER: &[u8] = &[b'x'; 65];
    let limits = Limits {
        max_response_bytes: 64,
        ..Limits::default()
    };
    for chunked in [false, true] {
        let server = body_server(AT_LIMIT, chunked).await;
        let client = client_for(&server).with_limits(limits);
        let response = client.execute(get(&client, "/v1/x")).await.unwrap();
        assert_eq!(response.body().as_slice(), AT_LIMIT, "chunked: {chunked}");

        let server = body_server(OVER, chunked).await;
        let client = client_for(&server).with_limits(limits);
        match client.execute(get(&client, "/v1/x")).await {
            Err(Error::BodyTooLarge {
                limit: 64,
                content_length,
                ..
            }) => assert_eq!(
                content_length,
                (!chunked).then_some(65),
                "chunked: {chunked}"
            ),
            other => panic!("chunked: {chunked}: {other:?}"),
        }
    }
}

// ---------- redirects ----------

/// A server on another origin that would answer anything with a webhook; it
/// must never be contacted.
async fn foreign_server() -> RawServer {
    RawServer::start(|_, _, stream| async move {
        respond(
            stream,
            "200 OK",
            &[("content-type", "application/json")],
            WEBHOOK.as_bytes(),
        )
        .await;
    })
    .await
}

/// A server answering every request with `status` and `Location: location`.
async fn redirecting_server(status: &'static str, location: String) -> RawServer {
    let location = Arc::new(location);
    RawServer::start(move |_, _, stream| {
        let location = location.clone();
        async move {
            respond(stream, status, &[("location", &location)], b"").await;
        }
    })
    .await
}

#[tokio::test]
async fn a_post_redirected_with_307_or_308_is_not_sent_again_anywhere() {
    for status in ["307 Temporary Redirect", "308 Permanent Redirect"] {
        let foreign = foreign_server().await;
        // Another origin: same host, another port.
        let origin = redirecting_server(status, format!("{}/v1/steal", foreign.uri())).await;
        let client = client_for(&origin).with_retry_policy(fast_retries(3));
        let err = client
            .create_conversation_scoped_webhook(CONVERSATION_SID, &create_params())
            .await
            .unwrap_err();
        match &err {
            Error::UnexpectedStatus { status: got, .. } => {
                assert_eq!(got.as_u16(), status[..3].parse::<u16>().unwrap())
            }
            other => panic!("{status}: {other:?}"),
        }
        let received = origin.received();
        assert_eq!(received.len(), 1, "{status}: the body was sent once");
        assert_eq!(
            received[0].request_line(),
            format!("POST /v1/Conversations/{CONVERSATION_SID}/Webhooks HTTP/1.1")
        );
        assert_eq!(
            received[0].body,
            b"Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com%2Fhook"
        );
        assert_eq!(
            foreign.connections(),
            0,
            "{status}: nothing reached the foreign origin"
        );
    }
}

#[tokio::test]
async fn a_same_origin_redirect_of_a_post_is_not_followed_either() {
    for status in [
        "307 Temporary Redirect",
        "308 Permanent Redirect",
        "303 See Other",
    ] {
        // The redirect points at the server itself.
        let server = RawServer::start(move |n, _, stream| async move {
            if n == 0 {
                respond(stream, status, &[("location", "/v1/elsewhere")], b"").await;
            } else {
                respond(stream, "200 OK", &[], WEBHOOK.as_bytes()).await;
            }
        })
        .await;
        let client = client_for(&server);
        let err = client
            .create_conversation_scoped_webhook(CONVERSATION_SID, &create_params())
            .await
            .unwrap_err();
        assert_eq!(
            err.status().map(|s| s.as_u16()),
            Some(status[..3].parse().unwrap())
        );
        assert_eq!(server.received().len(), 1, "{status}");
    }
}

#[tokio::test]
async fn a_get_redirected_to_another_origin_is_an_error_not_its_answer() {
    for status in [
        "301 Moved Permanently",
        "302 Found",
        "307 Temporary Redirect",
    ] {
        let foreign = foreign_server().await;
        let origin = redirecting_server(
            status,
            format!("{}/v1/Configuration/Webhooks", foreign.uri()),
        )
        .await;
        let err = client_for(&origin)
            .fetch_configuration_webhook()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::UnexpectedStatus { status: got, .. } if got.is_redirection()),
            "{status}: {err:?}"
        );
        assert_eq!(origin.received().len(), 1);
        assert_eq!(foreign.connections(), 0, "{status}");
    }
}

#[tokio::test]
async fn a_redirect_followed_by_a_supplied_reqwest_client_is_refused() {
    let foreign = foreign_server().await;
    let target = format!("{}/v1/Configuration/Webhooks", foreign.uri());
    let origin = redirecting_server("302 Found", target.clone()).await;
    // reqwest's default policy follows up to 10 redirects.
    let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
        .base_url(origin.uri())
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let err = client.fetch_configuration_webhook().await.unwrap_err();
    match &err {
        Error::Redirected { url } => assert_eq!(url, &target),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("its answer is not used"), "{err}");
    // That client did follow (which is why the README says to build it with
    // `Policy::none()`), but its answer was not taken.
    assert_eq!(foreign.received().len(), 1);
}

#[tokio::test]
async fn a_next_page_answered_with_a_redirect_ends_the_listing() {
    let foreign = foreign_server().await;
    let location = Arc::new(format!("{}/v1/steal", foreign.uri()));
    let server = RawServer::start(move |n, request, stream| {
        let location = location.clone();
        async move {
            if n == 0 {
                let next = format!(
                    "http://{}/v1/Conversations/{CONVERSATION_SID}/Webhooks?Page=1",
                    request
                        .head
                        .lines()
                        .filter_map(|line| line.split_once(':'))
                        .find(|(name, _)| name.eq_ignore_ascii_case("host"))
                        .unwrap()
                        .1
                        .trim()
                );
                let body = serde_json::json!({
                    "webhooks": [{ "sid": "WH1" }],
                    "meta": { "next_page_url": next },
                })
                .to_string();
                respond(stream, "200 OK", &[], body.as_bytes()).await;
            } else {
                respond(stream, "302 Found", &[("location", &location)], b"").await;
            }
        }
    })
    .await;
    let results = list_all(&client_for(&server), None).await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap(), "WH1");
    assert_eq!(
        results[1].as_ref().unwrap_err().status(),
        Some(StatusCode::FOUND)
    );
    assert_eq!(server.received().len(), 2);
    assert_eq!(foreign.connections(), 0);
}

// ---------- paging ----------

fn list_page(server_uri: &str, page: usize, items: usize, next: bool) -> String {
    let webhooks: Vec<_> = (0..items)
        .map(|i| serde_json::json!({ "sid": format!("WH{page:016}{i:016}") }))
        .collect();
    let next = next.then(|| {
        format!(
            "{server_uri}/v1/Conversations/{CONVERSATION_SID}/Webhooks?PageSize=5&Page={}&PageToken=PT{}",
            page + 1,
            page + 1
        )
    });
    serde_json::json!({
        "webhooks": webhooks,
        "meta": { "page": page, "page_size": 5, "key": "webhooks", "next_page_url": next },
    })
    .to_string()
}

/// A listing server whose page `n` holds `items(n)` items and always names
/// a next page, unless `items(n)` is `None` (an empty last page).
async fn listing_server(items: fn(usize) -> Option<usize>) -> RawServer {
    let uri = Arc::new(Mutex::new(String::new()));
    let shared = uri.clone();
    let server = RawServer::start(move |n, _, stream| {
        let uri = shared.lock().unwrap().clone();
        async move {
            let body = match items(n) {
                Some(count) => list_page(&uri, n, count, true),
                None => list_page(&uri, n, 0, false),
            };
            respond(
                stream,
                "200 OK",
                &[("content-type", "application/json")],
                body.as_bytes(),
            )
            .await;
        }
    })
    .await;
    *uri.lock().unwrap() = server.uri();
    server
}

async fn list_all(client: &Client, limit: Option<usize>) -> Vec<Result<String, Error>> {
    client
        .list_conversation_scoped_webhook_stream(
            CONVERSATION_SID,
            &ListConversationScopedWebhookParams::default(),
            limit,
        )
        .unwrap()
        .map_ok(|hook| hook.sid.unwrap())
        .collect()
        .await
}

#[tokio::test]
async fn endless_empty_pages_end_after_the_bound_even_with_a_limit_of_one() {
    for limit in [Some(1), None] {
        let server = listing_server(|_| Some(0)).await;
        let results = list_all(&client_for(&server), limit).await;
        match results.as_slice() {
            [Err(Error::TooManyEmptyPages { pages: 6 })] => {}
            other => panic!("{limit:?}: {other:?}"),
        }
        // The default bound of 5: five empty pages followed, the sixth ends it.
        assert_eq!(server.received().len(), 6, "{limit:?}");
    }
    let server = listing_server(|_| Some(0)).await;
    let strict = client_for(&server).with_limits(Limits {
        max_empty_pages: 0,
        ..Limits::default()
    });
    let results = list_all(&strict, None).await;
    assert!(
        matches!(
            results.as_slice(),
            [Err(Error::TooManyEmptyPages { pages: 1 })]
        ),
        "{results:?}"
    );
    assert_eq!(
        results[0].as_ref().unwrap_err().to_string(),
        "the listing kept answering empty pages that name a next page (1 in a row); stopped following them"
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn the_empty_page_bound_counts_pages_in_a_row() {
    // Five empty pages, one item, five empty pages, one item, then an empty
    // last page: every bound is reached but none passed.
    let server = listing_server(|n| match n {
        5 | 11 => Some(1),
        12 => None,
        _ => Some(0),
    })
    .await;
    let results = list_all(&client_for(&server), None).await;
    let sids: Vec<String> = results.into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(
        sids,
        [
            "WH00000000000000050000000000000000",
            "WH00000000000000110000000000000000"
        ]
    );
    assert_eq!(server.received().len(), 13);
}

#[tokio::test]
async fn a_limit_of_one_fetches_one_page_of_an_endless_listing() {
    let server = listing_server(|_| Some(5)).await;
    let client = client_for(&server);
    let results = list_all(&client, Some(1)).await;
    assert_eq!(results.len(), 1);
    assert!(results[0].is_ok());
    assert_eq!(server.received().len(), 1);
    let results = list_all(&client, Some(7)).await;
    assert_eq!(results.len(), 7);
    assert_eq!(
        server.received().len(),
        3,
        "pages of 5: one more for items 6 and 7"
    );
}

// ---------- paging that ends ----------

/// Where the first page of the listing is (the request `list_all` builds).
fn first_page() -> String {
    format!("/v1/Conversations/{CONVERSATION_SID}/Webhooks")
}

/// The path of later page `n`.
fn page_path(n: usize) -> String {
    format!("/v1/Conversations/{CONVERSATION_SID}/Webhooks?PageSize=1&Page={n}")
}

/// From this request on, the test servers answer a last page: a client that
/// does not stop shows as too many requests, not as a test that never ends.
const GIVE_UP_AT: usize = 10;

/// A listing server on 127.0.0.1 whose `n`th answer holds the one record
/// `WH{n}` and names `next(n, origin)` as its next page, where `origin` is
/// `http://{host}:{port}` (`host` being the name the client is given).
async fn linking_server(host: &'static str, next: fn(usize, &str) -> Option<String>) -> RawServer {
    let port = Arc::new(Mutex::new(0u16));
    let shared = port.clone();
    let server = RawServer::start(move |n, _, stream| {
        let origin = format!("http://{host}:{}", shared.lock().unwrap());
        async move {
            let next = if n < GIVE_UP_AT {
                next(n, &origin)
            } else {
                None
            };
            let body = serde_json::json!({
                "webhooks": [{ "sid": format!("WH{n}") }],
                "meta": { "page": n, "page_size": 1, "key": "webhooks", "next_page_url": next },
            })
            .to_string();
            respond(stream, "200 OK", &[], body.as_bytes()).await;
        }
    })
    .await;
    *port.lock().unwrap() = server.addr.port();
    server
}

/// The request lines a server received.
fn request_lines(server: &RawServer) -> Vec<String> {
    server
        .received()
        .iter()
        .map(|request| request.request_line().to_owned())
        .collect()
}

fn get_lines(paths: &[String]) -> Vec<String> {
    paths
        .iter()
        .map(|path| format!("GET {path} HTTP/1.1"))
        .collect()
}

/// The next-page link a test server puts on page `n`, given its origin.
type NextLink = fn(usize, &str) -> Option<String>;

#[tokio::test]
async fn a_next_page_naming_the_page_just_read_in_another_spelling_ends_the_listing() {
    // Page 0 names page 1; page 1 names itself, spelled otherwise.
    let spellings: [(&str, &str, NextLink); 5] = [
        ("byte-equal", "127.0.0.1", |n, origin| {
            Some(format!("{origin}{}", page_path(1))).filter(|_| n <= 1)
        }),
        ("host-relative path", "127.0.0.1", |n, origin| match n {
            0 => Some(format!("{origin}{}", page_path(1))),
            _ => Some(page_path(1)),
        }),
        ("fragment", "127.0.0.1", |n, origin| match n {
            0 => Some(format!("{origin}{}", page_path(1))),
            _ => Some(format!("{origin}{}#x", page_path(1))),
        }),
        ("upper-case scheme", "127.0.0.1", |n, origin| match n {
            0 => Some(format!("{origin}{}", page_path(1))),
            _ => Some(format!("HTTP{}{}", &origin[4..], page_path(1))),
        }),
        ("upper-case host", "localhost", |n, origin| match n {
            0 => Some(format!("{origin}{}", page_path(1))),
            _ => Some(format!(
                "{}{}",
                origin.replace("localhost", "LocalHost"),
                page_path(1)
            )),
        }),
    ];
    for (spelling, host, next) in spellings {
        let server = linking_server(host, next).await;
        let client = Client::builder(Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN))
            .base_url(format!("http://{host}:{}", server.addr.port()))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let sids: Vec<String> = list_all(&client, None)
            .await
            .into_iter()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(sids, ["WH0", "WH1"], "{spelling}");
        assert_eq!(
            request_lines(&server),
            get_lines(&[first_page(), page_path(1)]),
            "{spelling}"
        );
    }
}

#[tokio::test]
async fn a_next_page_naming_an_earlier_page_of_the_walk_ends_the_listing() {
    // Page 2 names the first page (built by the request builder, never
    // named by the server before); page 3 names page 1, two pages back.
    let walks: [(NextLink, &[&str], usize); 2] = [
        (
            |n, origin| match n {
                0 | 1 => Some(format!("{origin}{}", page_path(n + 1))),
                _ => Some(format!("{origin}{}", first_page())),
            },
            &["WH0", "WH1", "WH2"],
            3,
        ),
        (
            |n, origin| match n {
                0..=2 => Some(format!("{origin}{}", page_path(n + 1))),
                _ => Some(format!("{origin}{}", page_path(1))),
            },
            &["WH0", "WH1", "WH2", "WH3"],
            4,
        ),
    ];
    for (next, items, pages) in walks {
        let server = linking_server("127.0.0.1", next).await;
        let sids: Vec<String> = list_all(&client_for(&server), None)
            .await
            .into_iter()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(sids, items);
        let mut paths = vec![first_page()];
        paths.extend((1..pages).map(page_path));
        assert_eq!(request_lines(&server), get_lines(&paths));
    }
}

/// Relative forms other than a host-relative path are not resolved: the
/// listing ends with the error, after the page's items, having sent nothing
/// more.
#[tokio::test]
async fn a_path_relative_or_scheme_relative_next_page_is_refused() {
    let server = linking_server("127.0.0.1", |_, _| Some("Webhooks?Page=1".into())).await;
    let results = list_all(&client_for(&server), None).await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap(), "WH0");
    assert!(matches!(results[1], Err(Error::Http(_))), "{results:?}");
    assert_eq!(request_lines(&server), get_lines(&[first_page()]));

    let server = linking_server("127.0.0.1", |_, origin| {
        Some(format!("//{}{}", &origin[7..], page_path(1)))
    })
    .await;
    let results = list_all(&client_for(&server), None).await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap(), "WH0");
    match &results[1] {
        Err(Error::ForeignPageUrl {
            url,
            expected_origin,
        }) => {
            assert_eq!(
                url,
                &format!("//127.0.0.1:{}{}", server.addr.port(), page_path(1))
            );
            assert_eq!(expected_origin, &server.uri());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(request_lines(&server), get_lines(&[first_page()]));
}

/// A server answering `records(n)` on its `n`th request, each page naming a
/// new next page (`Page=n+1`).
async fn records_server(records: fn(usize) -> &'static [&'static str]) -> RawServer {
    let uri = Arc::new(Mutex::new(String::new()));
    let shared = uri.clone();
    let server = RawServer::start(move |n, _, stream| {
        let uri = shared.lock().unwrap().clone();
        async move {
            let webhooks: Vec<_> = records(n)
                .iter()
                .map(|sid| serde_json::json!({ "sid": sid, "target": "webhook" }))
                .collect();
            let next = (n < GIVE_UP_AT).then(|| format!("{uri}{}", page_path(n + 1)));
            let body = serde_json::json!({
                "webhooks": webhooks,
                "meta": { "page": n, "key": "webhooks", "next_page_url": next },
            })
            .to_string();
            respond(stream, "200 OK", &[], body.as_bytes()).await;
        }
    })
    .await;
    *uri.lock().unwrap() = server.uri();
    server
}

#[tokio::test]
async fn a_page_repeating_the_previous_pages_records_ends_the_listing_without_them() {
    // A server that ignores `Page=`: the same records under new URLs.
    let server = records_server(|_| &["WH1", "WH2"]).await;
    let results = list_all(&client_for(&server), None).await;
    let sids: Vec<String> = results.into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(sids, ["WH1", "WH2"]);
    assert_eq!(
        request_lines(&server),
        get_lines(&[first_page(), page_path(1)])
    );

    // The repeat is told after a walk of distinct pages too.
    let server = records_server(|n| match n {
        0 => &["WH1"],
        1 => &["WH2", "WH3"],
        _ => &["WH2", "WH3"],
    })
    .await;
    let results = list_all(&client_for(&server), None).await;
    let sids: Vec<String> = results.into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(sids, ["WH1", "WH2", "WH3"]);
    assert_eq!(
        request_lines(&server),
        get_lines(&[first_page(), page_path(1), page_path(2)])
    );
}

/// Only a page equal to the one before it is a repeat: pages sharing some
/// records, or repeating an older page, are the server's to send.
#[tokio::test]
async fn pages_sharing_some_records_are_followed() {
    let server = records_server(|n| match n {
        0 => &["WH1", "WH2"],
        1 => &["WH2", "WH3"],
        2 => &["WH1", "WH2"],
        3 => &["WH3"],
        _ => &[],
    })
    .await;
    let results = list_all(&client_for(&server), Some(7)).await;
    let sids: Vec<String> = results.into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(sids, ["WH1", "WH2", "WH2", "WH3", "WH1", "WH2", "WH3"]);
    // The limit of 7 sets the first page's size, to the spec's maximum of 5
    // (spec/common.yaml); the later pages are the server's links.
    let first = format!("{}?PageSize=5", first_page());
    assert_eq!(
        request_lines(&server),
        get_lines(&[first, page_path(1), page_path(2), page_path(3)])
    );
}

// ---------- error text ----------

/// Text a hostile server might send: clear the screen, recolour, fake a log
/// line, reverse the rest of the line.
const HOSTILE: &str = "bad\u{1b}[2J\u{1b}[31m\r\nINFO 2026-01-01 login ok\u{202e}\u{7}";
const HOSTILE_ESCAPED: &str = r"bad\u{1b}[2J\u{1b}[31m\r\nINFO 2026-01-01 login ok\u{202e}\u{7}";

fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() || ('\u{2028}'..='\u{202e}').contains(&c))
}

#[tokio::test]
async fn control_characters_in_a_twilio_error_message_are_escaped() {
    let server = RawServer::start(|_, _, stream| async move {
        let body =
            serde_json::json!({ "code": 20001, "message": HOSTILE, "status": 400 }).to_string();
        respond(
            stream,
            "400 Bad Request",
            &[("content-type", "application/json")],
            body.as_bytes(),
        )
        .await;
    })
    .await;
    let err = client_for(&server)
        .fetch_configuration_webhook()
        .await
        .unwrap_err();
    // The message itself is kept as sent, for programs.
    assert_eq!(err.api_error().unwrap().message(), HOSTILE);
    let shown = err.to_string();
    assert_eq!(
        shown,
        format!("Twilio API error 20001 (HTTP 400 Bad Request): {HOSTILE_ESCAPED}")
    );
    assert!(!has_control(&shown), "{shown:?}");
    assert!(!has_control(&format!("{err:?}")));
}

#[tokio::test]
async fn control_characters_in_other_error_bodies_are_escaped() {
    let server = RawServer::start(|n, _, stream| async move {
        let body = format!("<html>{HOSTILE}</html>");
        if n == 0 {
            respond(stream, "502 Bad Gateway", &[], body.as_bytes()).await;
        } else {
            // A success body that does not decode: a string where a list goes.
            let body = serde_json::json!({ "filters": HOSTILE }).to_string();
            respond(stream, "200 OK", &[], body.as_bytes()).await;
        }
    })
    .await;
    let client = client_for(&server);
    for expected in ["unexpected HTTP status 502", "could not decode"] {
        let err = client.fetch_configuration_webhook().await.unwrap_err();
        let shown = err.to_string();
        assert!(shown.starts_with(expected), "{shown}");
        assert!(!has_control(&shown), "{shown:?}");
    }
}
