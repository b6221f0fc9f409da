//! The receiver as a process on 127.0.0.1: real HTTP requests, signed the way
//! Twilio signs them (or tampered with), checked by status and by the exact
//! JSON lines on stdout.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};
use twilio_conversations_webhooks::runtime::webhook::{form_pairs, SignatureValidator};

const TOKEN: &str = "a-test-auth-token";
const PUBLIC_URL: &str = "https://bot.example.com/twilio/conversations?tenant=7";

struct Receiver {
    child: Child,
    stdout: Lines<BufReader<ChildStdout>>,
    base: String,
}

async fn start() -> Receiver {
    let mut child = Command::new(env!("CARGO_BIN_EXE_webhook-receiver"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--public-url",
            PUBLIC_URL,
            "--reject-word",
            "spam",
        ])
        .env("TWILIO_AUTH_TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the receiver starts");
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), stderr.next_line())
        .await
        .expect("the receiver says where it listens")
        .unwrap()
        .unwrap();
    let address = first
        .strip_prefix("listening on ")
        .expect(&first)
        .to_owned();
    let stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    Receiver {
        child,
        stdout,
        base: format!("http://{address}"),
    }
}

impl Receiver {
    /// POSTs `body` (a form) to the receiver's path, signed for `signed_url`
    /// over `signed_body`'s parameters, or unsigned.
    async fn post(&self, body: &str, signature: Option<String>) -> u16 {
        let mut request = reqwest::Client::new()
            .post(format!("{}/twilio/conversations?tenant=7", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.to_owned());
        if let Some(signature) = signature {
            request = request.header("X-Twilio-Signature", signature);
        }
        request.send().await.unwrap().status().as_u16()
    }

    async fn next_line(&mut self) -> Value {
        let line = tokio::time::timeout(Duration::from_secs(10), self.stdout.next_line())
            .await
            .expect("a line on stdout")
            .unwrap()
            .expect("stdout is open");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    }
}

fn sign(url: &str, body: &str) -> String {
    SignatureValidator::new(TOKEN).signature(url, &form_pairs(body.as_bytes()))
}

/// An `onMessageAdded` as Twilio sends it (form-encoded; `+` and `%20` are
/// both spaces; Attributes and Media are JSON text).
const MESSAGE_ADDED: &str = "EventType=onMessageAdded&AccountSid=ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
&ChatServiceSid=ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&ConversationSid=CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
&MessageSid=IMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&Index=3&Body=Hello+there%20%E2%9C%93&Author=alice\
&ParticipantSid=MBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&Attributes=%7B%22priority%22%3A1%7D\
&Media=%5B%7B%22Sid%22%3A%22MEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%22%2C%22Size%22%3A1024%7D%5D\
&DateCreated=2026-12-01T06%3A00%3A00Z&Source=SDK&ClientIdentity=alice&RetryCount=0&Brand+New=yes";

const MESSAGE_ADD_SPAM: &str = "EventType=onMessageAdd&AccountSid=ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
&ConversationSid=CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&Body=Buy+SPAM+now&Author=%2B15555550100&Source=SMS";

const MESSAGE_ADD_OK: &str = "EventType=onMessageAdd&AccountSid=ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
&ConversationSid=CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&Body=Hi&Author=bob&Index=not-a-number";

const UNKNOWN: &str =
    "EventType=onSomethingNew&AccountSid=ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&X=1&X=2";

#[tokio::test]
async fn signed_events_are_printed_and_tampered_requests_get_403() {
    let mut receiver = start().await;

    // A signed post-action event: 200 and every field, typed.
    assert_eq!(
        receiver
            .post(MESSAGE_ADDED, Some(sign(PUBLIC_URL, MESSAGE_ADDED)))
            .await,
        200
    );
    assert_eq!(
        receiver.next_line().await,
        json!({
            "event_type": "onMessageAdded",
            "answer": "accept",
            "fields": {
                "AccountSid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "ChatServiceSid": "ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "ConversationSid": "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "MessageSid": "IMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "Index": 3,
                "Body": "Hello there \u{2713}",
                "Author": "alice",
                "ParticipantSid": "MBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "Attributes": {"priority": 1},
                // The media model writes its absent fields as null.
                "Media": [{
                    "Sid": "MEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                    "Size": 1024,
                    "Filename": null,
                    "ContentType": null,
                    "Category": null
                }],
                "DateCreated": "2026-12-01T06:00:00Z",
                "Source": "SDK",
                "ClientIdentity": "alice",
                "RetryCount": 0,
                "Brand New": "yes"
            }
        })
    );

    // The documented pre-action rule: a new message containing the word is rejected.
    assert_eq!(
        receiver
            .post(MESSAGE_ADD_SPAM, Some(sign(PUBLIC_URL, MESSAGE_ADD_SPAM)))
            .await,
        422
    );
    assert_eq!(
        receiver.next_line().await,
        json!({
            "event_type": "onMessageAdd",
            "answer": "reject",
            "fields": {
                "AccountSid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "ConversationSid": "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "Body": "Buy SPAM now",
                "Author": "+15555550100",
                "Source": "SMS"
            }
        })
    );

    // Any other pre-action event is accepted; a value that does not parse is kept as text.
    assert_eq!(
        receiver
            .post(MESSAGE_ADD_OK, Some(sign(PUBLIC_URL, MESSAGE_ADD_OK)))
            .await,
        200
    );
    assert_eq!(
        receiver.next_line().await,
        json!({
            "event_type": "onMessageAdd",
            "answer": "accept",
            "fields": {
                "AccountSid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "ConversationSid": "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "Body": "Hi",
                "Author": "bob",
                "Index": "not-a-number"
            }
        })
    );

    // An event type the crate does not know: every field as received.
    assert_eq!(
        receiver
            .post(UNKNOWN, Some(sign(PUBLIC_URL, UNKNOWN)))
            .await,
        200
    );
    let unknown = receiver.next_line().await;
    assert_eq!(unknown["event_type"], "onSomethingNew");
    assert_eq!(unknown["answer"], "accept");

    // Tampered: a changed parameter, a signature for another URL, no signature,
    // a signature for the right request under another token.
    let changed = MESSAGE_ADDED.replace("Body=Hello", "Body=Goodbye");
    assert_eq!(
        receiver
            .post(&changed, Some(sign(PUBLIC_URL, MESSAGE_ADDED)))
            .await,
        403
    );
    let other_url = "https://bot.example.com/twilio/conversations?tenant=8";
    assert_eq!(
        receiver
            .post(MESSAGE_ADDED, Some(sign(other_url, MESSAGE_ADDED)))
            .await,
        403
    );
    assert_eq!(receiver.post(MESSAGE_ADDED, None).await, 403);
    let forged = SignatureValidator::new("another-token")
        .signature(PUBLIC_URL, &form_pairs(MESSAGE_ADDED.as_bytes()));
    assert_eq!(receiver.post(MESSAGE_ADDED, Some(forged)).await, 403);

    // A body over the limit is refused before anything is parsed.
    let huge = format!("EventType=onMessageAdded&Body={}", "a".repeat(70 * 1024));
    assert_eq!(
        receiver.post(&huge, Some(sign(PUBLIC_URL, &huge))).await,
        413
    );

    // None of the refused requests printed anything: the next line is the
    // one after them.
    assert_eq!(
        receiver
            .post(MESSAGE_ADD_OK, Some(sign(PUBLIC_URL, MESSAGE_ADD_OK)))
            .await,
        200
    );
    assert_eq!(receiver.next_line().await["fields"]["Body"], "Hi");

    // A webhook configured with GET: the fields are in the query string,
    // which Twilio appends to the URL it signs (with no POST parameters).
    let query =
        "tenant=7&EventType=onConversationStateUpdated&StateFrom=active&StateTo=closed&Reason=API";
    let signed = format!("https://bot.example.com/twilio/conversations?{query}");
    let no_params: &[(&str, &str)] = &[];
    let signature = SignatureValidator::new(TOKEN).signature(&signed, no_params);
    let url = format!("{}/twilio/conversations?{query}", receiver.base);
    let get = |signature: String| {
        reqwest::Client::new()
            .get(url.clone())
            .header("X-Twilio-Signature", signature)
            .send()
    };
    assert_eq!(get(signature).await.unwrap().status(), 200);
    assert_eq!(
        receiver.next_line().await,
        json!({
            "event_type": "onConversationStateUpdated",
            "answer": "accept",
            "fields": {"tenant": "7", "StateFrom": "active", "StateTo": "closed", "Reason": "API"}
        })
    );
    let wrong = SignatureValidator::new(TOKEN).signature(PUBLIC_URL, no_params);
    assert_eq!(get(wrong).await.unwrap().status(), 403);

    receiver.child.kill().await.unwrap();
    assert_eq!(
        receiver.stdout.next_line().await.unwrap(),
        None,
        "nothing else was printed"
    );
}

/// The unknown event keeps every pair, repeats included, in order.
#[tokio::test]
async fn an_unknown_event_keeps_every_raw_field() {
    let mut receiver = start().await;
    assert_eq!(
        receiver
            .post(UNKNOWN, Some(sign(PUBLIC_URL, UNKNOWN)))
            .await,
        200
    );
    let line = tokio::time::timeout(Duration::from_secs(10), receiver.stdout.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    // The exact line: parsing it as JSON would keep only the last `X`.
    assert!(
        line == r#"{"event_type":"onSomethingNew","answer":"accept","fields":{"EventType":"onSomethingNew","AccountSid":"ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","X":"1","X":"2"}}"#,
        "{line}"
    );
}
