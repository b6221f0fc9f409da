//! `README.md` of the generated crate (its crates.io page), stamped from
//! `templates/README.md` with the crate's identity from the document: its
//! package name, `info.title`, `info.description`, server, and examples that
//! call the operation `normalise::identity::example_operation` picks. The
//! crate's `src/lib.rs` compiles and runs the examples as doctests.

use crate::emit::{doc_line, doc_text};
use crate::model::{Api, Operation, ParamSource, PathPart};

pub const PATH: &str = "README.md";

const TEMPLATE: &str = include_str!("../../../templates/README.md");

/// The template filled in (the `@generated` header is
/// [`crate::output`]'s, for Markdown). The package is `crate_name` when one
/// is given, else the document's.
pub fn generate(api: &Api, crate_name: Option<&str>) -> String {
    let package = crate_name.unwrap_or(&api.identity.package);
    let krate = package.replace('-', "_");
    let example = api
        .identity
        .example_operation
        .as_deref()
        .and_then(|id| api.operations.iter().find(|op| op.id == id));
    let description = api
        .identity
        .description
        .as_deref()
        .map(doc_text::neutralise)
        .filter(|text| !text.trim().is_empty());
    let mut text = TEMPLATE.to_owned();
    text = match description {
        Some(description) => text.replace(
            "{{description}}\n",
            &format!("{}\n", description.trim_end()),
        ),
        None => text.replace("{{description}}\n\n", ""),
    };
    text.replace("{{client_example}}", &client_example(&krate, example))
        .replace("{{webhooks_example}}", &webhooks_example(api, &krate))
        .replace("{{webhooks_item}}", &webhooks_item(api))
        .replace(
            "{{test_util_example}}",
            &test_util_example(api, &krate, example),
        )
        .replace(
            "{{sans_io_example}}",
            &sans_io_example(api, &krate, example),
        )
        .replace("{{package}}", package)
        .replace("{{crate}}", &krate)
        .replace("{{title}}", &doc_line(&api.title))
        .replace("{{base_url}}", &api.base_url)
}

/// The value the examples pass for a path parameter: only unreserved
/// characters, so it is sent as it is written.
fn example_value(param: &crate::model::Param) -> String {
    format!(
        "example-{}",
        param.name.trim_end_matches('_').replace('_', "-")
    )
}

/// `("example-a", &XParams::new())`-style arguments after `api`/`self`,
/// and the `use` of the params struct.
fn call_args(krate: &str, op: &Operation) -> (String, Option<String>) {
    let mut args: Vec<String> = op
        .path_args()
        .map(|p| format!("\"{}\"", example_value(p)))
        .collect();
    let import = op.params.as_ref().map(|params| {
        args.push(format!("&{}::new()", params.name));
        format!("use {krate}::requests::{};\n", params.name)
    });
    (args.join(", "), import)
}

fn client_example(krate: &str, op: Option<&Operation>) -> String {
    let Some(op) = op else {
        return format!(
            "```rust,no_run\nuse {krate}::{{Client, Credentials}};\n\n\
             let client = Client::new(Credentials::auth_token(\"ACxxx\", \"auth-token\"));\n\
             // One async method per operation, named after its operationId.\n# drop(client);\n```"
        );
    };
    let name = &op.name;
    let (args, import) = call_args(krate, op);
    let stream = op.stream.as_deref();
    let mut out = String::from("```rust,no_run\n");
    out.push_str(&import.unwrap_or_default());
    // The stream's `try_collect` is the crate's re-exported `TryStreamExt`.
    let names = if stream.is_some() {
        "Client, Credentials, Error, TryStreamExt"
    } else {
        "Client, Credentials, Error"
    };
    out.push_str(&format!("use {krate}::{{{names}}};\n\n"));
    out.push_str("async fn example() -> Result<(), Error> {\n");
    out.push_str(
        "    let client = Client::new(Credentials::auth_token(\"ACxxx\", \"auth-token\"));\n\n",
    );
    out.push_str(&format!("    let answer = client.{name}({args}).await?;\n"));
    out.push_str("    println!(\"{answer:?}\");\n");
    if let Some(stream) = stream {
        let stream_args = if args.is_empty() {
            "None".to_owned()
        } else {
            format!("{args}, None")
        };
        out.push_str(&format!(
            "\n    // Every record, page after page: further pages are fetched as the stream is read.\n    \
             let all: Vec<_> = client\n        .{stream}({stream_args})?\n        .try_collect()\n        .await?;\n    \
             println!(\"{{}} records\", all.len());\n"
        ));
    }
    out.push_str("    Ok(())\n}\n```");
    out
}

/// The `webhooks` module's line in the list of modules, when there is one.
fn webhooks_item(api: &Api) -> String {
    let Some(union) = api.callbacks.unions.first() else {
        return String::new();
    };
    format!(
        "- `webhooks`: the requests the API sends to the webhooks you configure (its `callbacks`), one struct\n  \
         per event type and the enum `{}` over them, read from a verified request (`from_verified`).\n",
        union.name
    )
}

/// Verifying a webhook request (every crate has the validator) and, when
/// the document describes its webhooks as `callbacks`, reading the event
/// from what the signature covers.
fn webhooks_example(api: &Api, krate: &str) -> String {
    let union = api.callbacks.unions.first();
    let (events_intro, read_event, body) = match union.and_then(|u| Some((u, u.variants.first()?))) {
        Some((union, (value, _))) => (
            format!(
                "Verify the request against the URL configured at Twilio, then read the event from what the \
                 signature covers (`webhooks::{}`, told apart by `{}`):\n\n",
                union.name, union.property
            ),
            format!(
                "    let event = {krate}::webhooks::{}::from_verified(&verified);\n    println!(\"{{event:?}}\");\n",
                union.name
            ),
            format!("{}={value}", union.property),
        ),
        None => (
            "Verify a request Twilio sent against the URL configured at Twilio, and read what its signature \
             covers:\n\n"
                .to_owned(),
            "    println!(\"{:?}\", verified.pairs());\n".to_owned(),
            "AccountSid=ACxxx".to_owned(),
        ),
    };
    format!(
        r#"{events_intro}```rust
use {krate}::runtime::webhook::{{form_pairs, PreActionResponse, PublicUrl, SignatureValidator}};

fn receive(public_url: &PublicUrl, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {{
    let validator = SignatureValidator::try_new("auth-token").expect("a non-blank token");
    let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let verified = match validator.verify(
        public_url,
        request.method(),
        target,
        request.headers(),
        request.body(),
    ) {{
        Ok(verified) => verified,
        // 403 (not signed for this URL), 415 (a body Twilio does not sign), ...
        Err(e) => return http::Response::builder().status(e.status()).body(Vec::new()).unwrap(),
    }};
{read_event}    PreActionResponse::Accept.into_response()
}}

let public_url = PublicUrl::parse("https://example.com/twilio").unwrap();
let body = b"{body}";
let signature = SignatureValidator::new("auth-token").signature(public_url.as_str(), &form_pairs(body));
let request = |signature: &str, content_type: &str| {{
    http::Request::post("/twilio")
        .header("X-Twilio-Signature", signature)
        .header("Content-Type", content_type)
        .body(body.to_vec())
        .unwrap()
}};
let form = "application/x-www-form-urlencoded";
assert_eq!(receive(&public_url, &request(&signature, form)).status(), 200);
assert_eq!(receive(&public_url, &request("forged", form)).status(), 403);
assert_eq!(receive(&public_url, &request(&signature, "text/plain")).status(), 415);
```

Only the signed parameters are read: a form body's pairs, a JSON body whose SHA-256 the URL's
`bodySHA256` gives, or the fields a GET webhook appends to the configured URL; any other body is
refused unread. Reading an event never fails: unknown fields, and values that do not parse as their
field's type, are kept as received, and an unknown event type is kept with every pair."#
    )
}

/// The path the examples' request goes to, with [`example_value`]s.
fn example_path(op: &Operation) -> String {
    op.segments
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text.clone(),
            PathPart::Param(i) => match &op.path_params[*i] {
                // Filled from the examples' credentials.
                p if p.source == ParamSource::Account => "ACxxx".to_owned(),
                p => example_value(p),
            },
        })
        .collect()
}

/// A test of code using the client over a recorded answer (feature
/// `test-util`; without it the doctest is an empty `main`).
fn test_util_example(api: &Api, krate: &str, op: Option<&Operation>) -> String {
    let (import, call) = match op {
        Some(op) => {
            let (args, import) = call_args(krate, op);
            let call = format!(
                "    let err = client.{name}({args}).await.unwrap_err();\n    \
                 assert!(err.is_not_found());\n    \
                 assert_eq!(err.code(), Some(20404));\n    \
                 assert_eq!(replay.requests()[0].uri(), \"{base_url}{path}\");\n",
                name = op.name,
                base_url = api.base_url,
                path = example_path(op),
            );
            (import.map(|i| format!("    {i}")).unwrap_or_default(), call)
        }
        None => (
            String::new(),
            "    // Call the client's methods here: each answer comes from `replay`.\n    drop(client);\n"
                .to_owned(),
        ),
    };
    format!(
        r##"```rust
# #[cfg(feature = "test-util")]
#[tokio::main(flavor = "current_thread")]
async fn main() {{
    use {krate}::runtime::test_util::{{Replay, ReplayResponse}};
    use {krate}::{{Client, Credentials}};
{import}
    let replay = Replay::new();
    replay.push(ReplayResponse::json(
        404,
        r#"{{"code": 20404, "message": "The requested resource was not found", "status": 404}}"#,
    ));
    let client = Client::builder(Credentials::auth_token("ACxxx", "auth-token"))
        .test_transport(replay.clone())
        .build()
        .unwrap();

{call}}}
# #[cfg(not(feature = "test-util"))]
# fn main() {{}}
```"##
    )
}

fn sans_io_example(api: &Api, krate: &str, op: Option<&Operation>) -> String {
    let base_url = &api.base_url;
    let Some(op) = op else {
        return format!(
            "Build a request with the function of `requests` named after its operation, send it with any \
             HTTP stack, and parse the answer with the same-named function of `responses`:\n\n\
             ```rust\nuse {krate}::{{Api, Credentials}};\n\n\
             let api = Api::new(Credentials::auth_token(\"ACxxx\", \"auth-token\"));\n\
             assert_eq!(api.base_url(), \"{base_url}\");\n```"
        );
    };
    let name = &op.name;
    let (args, import) = call_args(krate, op);
    let args = if args.is_empty() {
        "&api".to_owned()
    } else {
        format!("&api, {args}")
    };
    let path = example_path(op);
    let mut out = String::from(
        "Build the request, send it with any HTTP stack, and parse the answer:\n\n```rust\n",
    );
    out.push_str(&import.unwrap_or_default());
    out.push_str(&format!(
        "use {krate}::{{requests, responses, Api, Credentials}};\n\n"
    ));
    out.push_str("fn main() -> Result<(), Box<dyn std::error::Error>> {\n");
    out.push_str("    let api = Api::new(Credentials::auth_token(\"ACxxx\", \"auth-token\"));\n");
    out.push_str(&format!("    let request = requests::{name}({args})?;\n"));
    out.push_str("    assert_eq!(request.method(), \"GET\");\n");
    out.push_str(&format!(
        "    assert_eq!(request.uri(), \"{base_url}{path}\");\n\n"
    ));
    out.push_str("    // ... send it with your HTTP stack, then read the answer:\n");
    out.push_str("    let response = http::Response::builder().status(200).body(\"{}\")?;\n");
    out.push_str(&format!(
        "    let answer = responses::{name}(&response)?;\n"
    ));
    out.push_str("    println!(\"{answer:?}\");\n    Ok(())\n}\n```");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filled_in_and_renamed_with_the_crate() {
        let mut api = Api {
            title: "Example\nAPI".to_owned(),
            base_url: "https://api.example.com".to_owned(),
            ..Api::default()
        };
        api.identity.package = "example-v1".to_owned();
        api.identity.description = Some("What it is.\n\n    not code\n".to_owned());
        let text = generate(&api, Some("case-list-page"));
        assert!(text.contains("# case-list-page\n"));
        assert!(text.contains("**Example API** (`https://api.example.com`)"));
        assert!(
            text.contains("\n\n```text\nWhat it is.\n\n    not code\n```\n"),
            "{}",
            text
        );
        assert!(text.contains("use case_list_page::"));
        assert!(!text.contains("{{"), "{}", text);
        assert!(!text.contains("example-v1"));
        assert!(!text.contains("onversation"));

        api.identity.description = None;
        let text = generate(&api, None);
        assert!(text.contains("# example-v1\n"));
        assert!(
            text.contains("description by\n`twilio-codegen`.\n\n- `models`"),
            "{}",
            text
        );
    }
}
