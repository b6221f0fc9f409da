//! `webhook-receiver --listen 127.0.0.1:8080 --public-url https://example.com/twilio [--reject-word WORD]`
//!
//! Receives Twilio Conversations webhooks. Every request must carry a valid
//! `X-Twilio-Signature` (made with the auth token in `TWILIO_AUTH_TOKEN`) for
//! the URL Twilio called, or it is answered `403`. Each accepted event is
//! printed on stdout as one JSON line: `{"event_type":…,"fields":{…},"answer":…}`.
//!
//! The pre-action rule: with `--reject-word WORD`, an `onMessageAdd` whose
//! body contains WORD (ignoring ASCII case) is rejected (`422`), so Twilio
//! does not post the message; every other event is accepted (`200`).
//!
//! The URL checked is `--public-url` as given (scheme, host, path and query as
//! configured at Twilio); when the request has a query string of its own (a
//! GET webhook's fields, or the `bodySHA256` of a JSON body), that query
//! replaces the public URL's. Bodies are limited to 64 KiB and each request to
//! 10 seconds.

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
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;
use tokio::net::TcpListener;
use twilio_conversations_webhooks::runtime::webhook::{
    form_pairs, is_json, json_pairs, PreActionResponse, SignatureValidator,
};
use twilio_conversations_webhooks::webhooks::Event;

/// The largest body read; Conversations events are a few KiB at most.
const MAX_BODY: usize = 64 * 1024;
/// How long one request (headers and body) may take.
const REQUEST_TIME: Duration = Duration::from_secs(10);

struct Config {
    listen: SocketAddr,
    public_url: String,
    reject_word: Option<String>,
}

struct Receiver {
    validator: SignatureValidator,
    public_url: String,
    reject_word: Option<String>,
}

fn usage() -> ! {
    eprintln!("usage: webhook-receiver --listen ADDR:PORT --public-url URL [--reject-word WORD]");
    eprintln!("       (the auth token comes from TWILIO_AUTH_TOKEN)");
    std::process::exit(2);
}

fn config() -> Config {
    let mut args = std::env::args().skip(1);
    let (mut listen, mut public_url, mut reject_word) = (None, None, None);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--listen" => listen = Some(value.parse().unwrap_or_else(|_| usage())),
            "--public-url" => public_url = Some(value),
            "--reject-word" => reject_word = Some(value),
            _ => usage(),
        }
    }
    match (listen, public_url) {
        (Some(listen), Some(public_url)) => Config {
            listen,
            public_url,
            reject_word,
        },
        _ => usage(),
    }
}

#[tokio::main]
async fn main() {
    let config = config();
    let Ok(token) = std::env::var("TWILIO_AUTH_TOKEN") else {
        eprintln!("set TWILIO_AUTH_TOKEN to the account's auth token");
        std::process::exit(2);
    };
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
        validator: SignatureValidator::new(token),
        public_url: config.public_url,
        reject_word: config.reject_word.map(|w| w.to_ascii_lowercase()),
    });
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
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
        let url = self.signed_url(parts.uri.query());
        if let Err(e) = self.validator.validate_request(&url, &parts.headers, &body) {
            return plain(StatusCode::FORBIDDEN, &e.to_string());
        }
        let pairs = if is_json(&parts.headers) {
            match json_pairs(&body) {
                Ok(pairs) => pairs,
                Err(e) => return plain(StatusCode::BAD_REQUEST, &e.to_string()),
            }
        } else if parts.method == Method::GET {
            form_pairs(parts.uri.query().unwrap_or("").as_bytes())
        } else {
            form_pairs(&body)
        };
        let event = Event::from_pairs(pairs);
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

    /// The URL Twilio signed: the public URL, with the request's own query
    /// string when it has one.
    fn signed_url(&self, query: Option<&str>) -> String {
        match query {
            Some(query) => {
                let base = self.public_url.split('?').next().unwrap_or_default();
                format!("{base}?{query}")
            }
            None => self.public_url.clone(),
        }
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
