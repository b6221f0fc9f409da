//! The receiver as a process on 127.0.0.1: real HTTP requests, signed the way
//! Twilio signs them (or tampered with), checked by status and by the exact
//! JSON lines on stdout.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
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

/// The receiver with `--public-url PUBLIC_URL --reject-word spam`.
async fn start() -> Receiver {
    start_with(&["--public-url", PUBLIC_URL, "--reject-word", "spam"], None).await
}

/// The receiver listening on a free port with these further arguments,
/// run through `sh -c 'ulimit -n N; exec …'` when given a descriptor limit.
async fn start_with(args: &[&str], fd_limit: Option<u32>) -> Receiver {
    let binary = env!("CARGO_BIN_EXE_webhook-receiver");
    let mut command = match fd_limit {
        Some(limit) => {
            let mut sh = Command::new("sh");
            sh.args([
                "-c",
                &format!("ulimit -n {limit}; exec \"$0\" \"$@\""),
                binary,
            ]);
            sh
        }
        None => Command::new(binary),
    };
    let mut child = command
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
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
    /// POSTs `body` (a form) to the receiver's path, with `signature` or
    /// unsigned.
    async fn post(&self, body: &str, signature: Option<String>) -> u16 {
        let form = Some("application/x-www-form-urlencoded");
        let target = "/twilio/conversations?tenant=7";
        self.send("POST", target, form, body, signature.as_deref())
            .await
            .0
    }

    /// Any request: method, path and query, Content-Type (or none), body,
    /// signature (or none). The status and the body of the answer.
    async fn send(
        &self,
        method: &str,
        target: &str,
        content_type: Option<&str>,
        body: &str,
        signature: Option<&str>,
    ) -> (u16, String) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{target}", self.base))
            .body(body.to_owned());
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        if let Some(signature) = signature {
            request = request.header("X-Twilio-Signature", signature);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    async fn next_line(&mut self) -> Value {
        let line = tokio::time::timeout(Duration::from_secs(10), self.stdout.next_line())
            .await
            .expect("a line on stdout")
            .unwrap()
            .expect("stdout is open");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    }

    /// Kills the receiver and checks it printed nothing more.
    async fn printed_nothing_else(mut self) {
        self.child.kill().await.unwrap();
        assert_eq!(
            self.stdout.next_line().await.unwrap(),
            None,
            "nothing else was printed"
        );
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
            // The configured query (`tenant=7`) is the URL's, not the event's.
            "fields": {"StateFrom": "active", "StateTo": "closed", "Reason": "API"}
        })
    );
    let wrong = SignatureValidator::new(TOKEN).signature(PUBLIC_URL, no_params);
    assert_eq!(get(wrong).await.unwrap().status(), 403);

    receiver.printed_nothing_else().await;
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

const NO_PARAMS: &[(&str, &str)] = &[];
const FORGED: &str = "EventType=onMessageAdd&Body=forged+text&Author=mallory";

/// A body the signature does not cover is never read: each kind is refused
/// with its status, and nothing is printed for it.
#[tokio::test]
async fn bodies_the_signature_does_not_cover_are_refused_unread() {
    let mut receiver = start().await;
    let target = "/twilio/conversations?tenant=7";
    // Each signed as Twilio signs a request without POST parameters: the bare URL.
    let url_only = SignatureValidator::new(TOKEN).signature(PUBLIC_URL, NO_PARAMS);
    let json = r#"{"EventType":"onMessageAdd","Body":"forged text","Author":"mallory"}"#;
    for (content_type, body, status) in [
        (None, FORGED, 415),
        (Some("text/plain"), FORGED, 415),
        (
            Some("multipart/form-data; boundary=x"),
            "--x\r\nContent-Disposition: form-data; name=\"Body\"\r\n\r\nforged text\r\n--x--\r\n",
            415,
        ),
        (Some("application/octet-stream"), FORGED, 415),
        (Some("application/json"), json, 403),
    ] {
        let (got, text) = receiver
            .send("POST", target, content_type, body, Some(&url_only))
            .await;
        assert_eq!(got, status, "{content_type:?}: {text}");
    }
    // The messages say which rule refused it.
    let (_, text) = receiver
        .send("POST", target, Some("text/plain"), FORGED, Some(&url_only))
        .await;
    assert_eq!(text, "the body is neither an application/x-www-form-urlencoded form nor JSON signed by the URL's bodySHA256\n");
    let (_, text) = receiver
        .send(
            "POST",
            target,
            Some("application/json"),
            json,
            Some(&url_only),
        )
        .await;
    assert_eq!(
        text,
        "a JSON body needs the URL's bodySHA256 parameter, which signs it, and this URL has none\n"
    );
    // Not GET or POST; a GET with a body.
    let (status, _) = receiver
        .send(
            "PUT",
            target,
            Some("application/x-www-form-urlencoded"),
            FORGED,
            Some(&sign(PUBLIC_URL, FORGED)),
        )
        .await;
    assert_eq!(status, 405);
    let (status, _) = receiver
        .send("GET", target, None, FORGED, Some(&url_only))
        .await;
    assert_eq!(status, 415);

    // The same form, signed over its fields, is read.
    let (status, _) = receiver
        .send(
            "POST",
            target,
            Some("application/x-www-form-urlencoded"),
            FORGED,
            Some(&sign(PUBLIC_URL, FORGED)),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(receiver.next_line().await["fields"]["Author"], "mallory");
    receiver.printed_nothing_else().await;
}

fn sha256_hex(body: &str) -> String {
    Sha256::digest(body.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A JSON body is read when the URL's bodySHA256 is its hash and it says it
/// is JSON.
#[tokio::test]
async fn a_json_body_is_read_only_under_its_bodysha256() {
    let mut receiver = start().await;
    let json = r#"{"EventType":"onMessageAdded","Body":"from JSON","Index":5}"#;
    let query = format!("tenant=7&bodySHA256={}", sha256_hex(json));
    let target = format!("/twilio/conversations?{query}");
    let signature = SignatureValidator::new(TOKEN).signature(
        &format!("https://bot.example.com/twilio/conversations?{query}"),
        NO_PARAMS,
    );
    let (status, _) = receiver
        .send(
            "POST",
            &target,
            Some("application/json"),
            json,
            Some(&signature),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        receiver.next_line().await,
        json!({"event_type": "onMessageAdded", "answer": "accept", "fields": {"Body": "from JSON", "Index": 5}})
    );
    // The same request saying text/plain; another body under the hash.
    let (status, _) = receiver
        .send("POST", &target, Some("text/plain"), json, Some(&signature))
        .await;
    assert_eq!(status, 415);
    let other = json.replace("from JSON", "forged");
    let (status, text) = receiver
        .send(
            "POST",
            &target,
            Some("application/json"),
            &other,
            Some(&signature),
        )
        .await;
    assert_eq!(
        (status, text.as_str()),
        (
            403,
            "the body's SHA-256 does not match the URL's bodySHA256 parameter\n"
        )
    );
    receiver.printed_nothing_else().await;
}

/// The URL checked is the configured one: another query or another path,
/// signed for itself, is refused.
#[tokio::test]
async fn only_the_configured_urls_are_checked() {
    let alpha = "https://host.example/hook?tenant=alpha";
    let other = "https://host.example/other";
    let mut receiver = start_with(&["--public-url", alpha, "--public-url", other], None).await;
    let form = Some("application/x-www-form-urlencoded");
    for (target, signed_for) in [
        ("/hook?tenant=beta", "https://host.example/hook?tenant=beta"),
        (
            "/hook?tenant=alpha&Body=x",
            "https://host.example/hook?tenant=alpha&Body=x",
        ),
        ("/hook", "https://host.example/hook"),
        (
            "/elsewhere?tenant=alpha",
            "https://host.example/elsewhere?tenant=alpha",
        ),
        (
            "/other?tenant=alpha",
            "https://host.example/other?tenant=alpha",
        ),
    ] {
        let (status, _) = receiver
            .send(
                "POST",
                target,
                form,
                MESSAGE_ADD_OK,
                Some(&sign(signed_for, MESSAGE_ADD_OK)),
            )
            .await;
        assert_eq!(status, 403, "{target}");
    }
    // Both configured URLs are served.
    for (target, url) in [("/hook?tenant=alpha", alpha), ("/other", other)] {
        let (status, _) = receiver
            .send(
                "POST",
                target,
                form,
                MESSAGE_ADD_OK,
                Some(&sign(url, MESSAGE_ADD_OK)),
            )
            .await;
        assert_eq!(status, 200, "{target}");
        assert_eq!(receiver.next_line().await["fields"]["Body"], "Hi");
    }
    // A GET webhook on the URL without a query: its fields follow `?`.
    let query = "EventType=onDeliveryUpdated&Status=read";
    let signature =
        SignatureValidator::new(TOKEN).signature(&format!("{other}?{query}"), NO_PARAMS);
    let (status, _) = receiver
        .send(
            "GET",
            &format!("/other?{query}"),
            None,
            "",
            Some(&signature),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        receiver.next_line().await,
        json!({"event_type": "onDeliveryUpdated", "answer": "accept", "fields": {"Status": "read"}})
    );
    receiver.printed_nothing_else().await;
}

/// A blank auth token is refused at start-up: HMAC with an empty key is a
/// signature anyone can make.
#[tokio::test]
async fn a_blank_auth_token_is_refused_at_start_up() {
    for token in ["", "   "] {
        let output = Command::new(env!("CARGO_BIN_EXE_webhook-receiver"))
            .args(["--listen", "127.0.0.1:0", "--public-url", PUBLIC_URL])
            .env("TWILIO_AUTH_TOKEN", token)
            .output()
            .await
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{token:?}");
        assert_eq!(
            String::from_utf8(output.stderr).unwrap(),
            "webhook-receiver: TWILIO_AUTH_TOKEN is empty or blank; set it to the account's auth token\n"
        );
        assert!(output.stdout.is_empty());
    }
    // A public URL that is not absolute http(s) is refused too.
    let output = Command::new(env!("CARGO_BIN_EXE_webhook-receiver"))
        .args(["--listen", "127.0.0.1:0", "--public-url", "/twilio"])
        .env("TWILIO_AUTH_TOKEN", TOKEN)
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "webhook-receiver: --public-url /twilio: a public URL must be absolute, with a host: https://host/path\n"
    );
}

/// The process's user and system CPU time, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which may hold spaces), from field 3.
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn open_descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

/// With no file descriptor left, accepting fails until one is freed: the
/// receiver waits between tries instead of spinning, and serves again once
/// descriptors are back.
#[tokio::test]
async fn out_of_descriptors_the_accept_loop_backs_off_and_recovers() {
    const LIMIT: usize = 40;
    let mut receiver = start_with(&["--public-url", PUBLIC_URL], Some(LIMIT as u32)).await;
    let pid = receiver.child.id().unwrap();
    let address = receiver.base.strip_prefix("http://").unwrap().to_owned();
    // More connections than descriptors: the rest wait in the listen queue,
    // and the listener stays ready while accept fails.
    let mut connections = Vec::new();
    for _ in 0..LIMIT + 20 {
        connections.push(tokio::net::TcpStream::connect(&address).await.unwrap());
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while open_descriptors(pid) < LIMIT {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the limit is never reached: {} open",
            open_descriptors(pid)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let before = cpu_ticks(pid);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let used = cpu_ticks(pid) - before;
    // (Descriptors inherited above the limit count too, hence `>=`.)
    assert!(
        open_descriptors(pid) >= LIMIT,
        "still at the limit while measured"
    );
    // 100 ticks a second: a busy loop would use about 200.
    assert!(
        used < 50,
        "{used} ticks of CPU in 2 s at the descriptor limit"
    );

    drop(connections);
    let (status, _) = tokio::time::timeout(
        Duration::from_secs(20),
        receiver.send(
            "POST",
            "/twilio/conversations?tenant=7",
            Some("application/x-www-form-urlencoded"),
            MESSAGE_ADD_OK,
            Some(&sign(PUBLIC_URL, MESSAGE_ADD_OK)),
        ),
    )
    .await
    .expect("served once descriptors are back");
    assert_eq!(status, 200);
    assert_eq!(receiver.next_line().await["fields"]["Body"], "Hi");
}
