//! `webhook-receiver --listen 127.0.0.1:8080 --public-url https://example.com/twilio [--public-url URL…] [--reject-word WORD]`
//!
//! Receives Twilio Conversations webhooks. Every request must carry a valid
//! `X-Twilio-Signature` (made with the auth token in `TWILIO_AUTH_TOKEN`,
//! which must not be blank) for one of the `--public-url`s, and only what
//! that signature covers is read (`SignatureValidator::verify_any`). Each
//! accepted event is printed on stdout as one JSON line:
//! `{"event_type":…,"answer":…,"fields":{…}}`.
//!
//! The pre-action rule: with `--reject-word WORD`, an `onMessageAdd` whose
//! body contains WORD (ignoring ASCII case) is rejected (`422`), so Twilio
//! does not post the message; every other event is accepted (`200`).
//!
//! The URL checked is a `--public-url` as given (scheme, host, port, path and
//! query as configured at Twilio), never the URL the request names: the
//! request's path must be its path, and its query its query, followed only
//! by what Twilio appends (`bodySHA256` for a JSON body, a GET webhook's
//! fields). Refusals: `403` (not signed for a configured URL: path, query,
//! signature, body hash), `405` (not GET or POST), `415` (a body Twilio does
//! not sign: not a form, or JSON without `bodySHA256`), `400` (signed JSON
//! that is not an object). Bodies are limited to 64 KiB and each request to
//! 10 seconds; when accepting a connection fails (no file descriptors left)
//! the receiver waits, from 10 ms doubling to 1 s, before it tries again.

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;
use tokio::net::TcpListener;
use twilio_conversations_webhooks::runtime::webhook::{
    PreActionResponse, PublicUrl, SignatureValidator,
};
use twilio_conversations_webhooks::webhooks::Event;

/// The largest body read; Conversations events are a few KiB at most.
const MAX_BODY: usize = 64 * 1024;
/// How long one request (headers and body) may take.
const REQUEST_TIME: Duration = Duration::from_secs(10);
/// The first and the longest wait after a failed accept.
const ACCEPT_BACKOFF: (Duration, Duration) = (Duration::from_millis(10), Duration::from_secs(1));

struct Config {
    listen: SocketAddr,
    public_urls: Vec<PublicUrl>,
    reject_word: Option<String>,
}

struct Receiver {
    validator: SignatureValidator,
    public_urls: Vec<PublicUrl>,
    reject_word: Option<String>,
}

fn usage() -> ! {
    eprintln!("usage: webhook-receiver --listen ADDR:PORT --public-url URL [--public-url URL...] [--reject-word WORD]");
    eprintln!("       (the auth token comes from TWILIO_AUTH_TOKEN)");
    std::process::exit(2);
}

fn fail(message: &str) -> ! {
    eprintln!("webhook-receiver: {message}");
    std::process::exit(2);
}

fn config() -> Config {
    let mut args = std::env::args().skip(1);
    let (mut listen, mut public_urls, mut reject_word) = (None, Vec::new(), None);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--listen" => listen = Some(value.parse().unwrap_or_else(|_| usage())),
            "--public-url" => match PublicUrl::parse(&value) {
                Ok(url) => public_urls.push(url),
                Err(e) => fail(&format!("--public-url {value}: {e}")),
            },
            "--reject-word" => reject_word = Some(value),
            _ => usage(),
        }
    }
    match listen {
        Some(listen) if !public_urls.is_empty() => Config {
            listen,
            public_urls,
            reject_word,
        },
        _ => usage(),
    }
}

/// The validator for `TWILIO_AUTH_TOKEN`, which must be set and not blank
/// (an empty key would accept requests anyone can sign).
fn validator() -> SignatureValidator {
    let Ok(token) = std::env::var("TWILIO_AUTH_TOKEN") else {
        fail("set TWILIO_AUTH_TOKEN to the account's auth token");
    };
    SignatureValidator::try_new(token).unwrap_or_else(|_| {
        fail("TWILIO_AUTH_TOKEN is empty or blank; set it to the account's auth token")
    })
}

#[tokio::main]
async fn main() {
    let config = config();
    let validator = validator();
    let listener = match TcpListener::bind(config.listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on {}: {e}", config.listen);
            std::process::exit(1);
        }
    };
    let address = listener
        .local_addr()
        .expect("a bound socket has an address");
    eprintln!("listening on {address}");
    let receiver = Arc::new(Receiver {
        validator,
        public_urls: config.public_urls,
        reject_word: config.reject_word.map(|w| w.to_ascii_lowercase()),
    });
    let mut backoff = ACCEPT_BACKOFF.0;
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors (or another passing failure): trying
            // again at once would spin until one is free.
            Err(_) => {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(ACCEPT_BACKOFF.1);
                continue;
            }
        };
        backoff = ACCEPT_BACKOFF.0;
        let receiver = Arc::clone(&receiver);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let receiver = Arc::clone(&receiver);
                async move { Ok::<_, Infallible>(receiver.answer(request).await) }
            });
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(REQUEST_TIME)
                .serve_connection(TokioIo::new(stream), service);
            // A connection kept open longer than a few requests' time is dropped.
            let _ = tokio::time::timeout(REQUEST_TIME * 6, connection).await;
        });
    }
}

fn plain(status: StatusCode, text: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(format!("{text}\n"))));
    *response.status_mut() = status;
    response
}

impl Receiver {
    async fn answer(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let (parts, body) = request.into_parts();
        let body = match tokio::time::timeout(REQUEST_TIME, Limited::new(body, MAX_BODY).collect())
            .await
        {
            Err(_) => return plain(StatusCode::REQUEST_TIMEOUT, "the body took too long"),
            Ok(Err(_)) => {
                return plain(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "the body is too large or broken",
                )
            }
            Ok(Ok(collected)) => collected.to_bytes(),
        };
        let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let verified = match self.validator.verify_any(
            &self.public_urls,
            &parts.method,
            target,
            &parts.headers,
            &body,
        ) {
            Ok(verified) => verified,
            Err(e) => return plain(e.status(), &e.to_string()),
        };
        // Only what the signature covers is read.
        let event = Event::from_verified(&verified);
        let answer = self.pre_action(&event);
        // Written by hand rather than through `serde_json::Value`, which
        // would merge the repeated fields of an unknown event.
        let verdict = if answer == PreActionResponse::Reject {
            "reject"
        } else {
            "accept"
        };
        let line = format!(
            r#"{{"event_type":{},"answer":"{verdict}","fields":{}}}"#,
            json!(event.event_type()),
            serde_json::to_string(&event).unwrap_or_else(|_| "null".to_owned()),
        );
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
        answer
            .into_response()
            .map(|bytes| Full::new(Bytes::from(bytes)))
    }

    /// The documented rule: reject a new message containing the reject word.
    fn pre_action(&self, event: &Event) -> PreActionResponse {
        match (event, &self.reject_word) {
            (Event::OnMessageAdd(message), Some(word))
                if message
                    .body
                    .as_deref()
                    .is_some_and(|body| body.to_ascii_lowercase().contains(word.as_str())) =>
            {
                PreActionResponse::Reject
            }
            _ => PreActionResponse::Accept,
        }
    }
}
