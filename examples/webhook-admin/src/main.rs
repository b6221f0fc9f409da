//! `webhook-admin CONVERSATION_SID WEBHOOK_URL`: adds a webhook to a Twilio
//! conversation, lists every webhook of the conversation (all pages), and
//! removes the webhook it added.
//!
//! Credentials come from `TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN`;
//! `TWILIO_BASE_URL` sends the requests somewhere other than
//! `https://conversations.twilio.com` (a mock server, a proxy).
//!
//! Exit status: 0 done, 1 a request failed, 2 bad arguments or environment.

use std::process::ExitCode;

use twilio_conversations_webhooks::models::{
    ConversationScopedWebhook, ConversationScopedWebhookMethod, ConversationScopedWebhookTarget,
};
use twilio_conversations_webhooks::requests::{
    CreateConversationScopedWebhookParams, ListConversationScopedWebhookParams,
};
use twilio_conversations_webhooks::{Client, Credentials, TryStreamExt};

const USAGE: &str = "usage: webhook-admin CONVERSATION_SID WEBHOOK_URL
environment: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, and optionally TWILIO_BASE_URL";

struct Config {
    account_sid: String,
    auth_token: String,
    base_url: Option<String>,
    conversation_sid: String,
    webhook_url: String,
}

impl Config {
    fn from_env() -> Result<Config, String> {
        let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
        let mut args = std::env::args().skip(1);
        let (Some(conversation_sid), Some(webhook_url), None) =
            (args.next(), args.next(), args.next())
        else {
            return Err("expected two arguments".to_owned());
        };
        Ok(Config {
            account_sid: var("TWILIO_ACCOUNT_SID")?,
            auth_token: var("TWILIO_AUTH_TOKEN")?,
            base_url: std::env::var("TWILIO_BASE_URL").ok(),
            conversation_sid,
            webhook_url,
        })
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(problem) => {
            eprintln!("error: {problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
    }
}

async fn run(config: &Config) -> Result<(), Box<dyn std::error::Error>> {
    let credentials = Credentials::auth_token(&config.account_sid, &config.auth_token);
    let mut client = Client::builder(credentials);
    if let Some(base_url) = &config.base_url {
        client = client.base_url(base_url);
    }
    let client = client.build()?;
    let conversation = config.conversation_sid.as_str();

    // Create: a webhook that POSTs each new message to our URL.
    let params =
        CreateConversationScopedWebhookParams::new(ConversationScopedWebhookTarget::Webhook)
            .configuration_url(config.webhook_url.as_str())
            .configuration_method(ConversationScopedWebhookMethod::Post)
            .configuration_filters(["onMessageAdded"]);
    let created = client
        .create_conversation_scoped_webhook(conversation, &params)
        .await?;
    let sid = created
        .sid
        .clone()
        .ok_or("Twilio answered without a webhook sid")?;
    println!("created {}", describe(&created));

    // List all: the stream follows `meta.next_page_url` page after page.
    let all: Vec<ConversationScopedWebhook> = client
        .list_conversation_scoped_webhook_stream(
            conversation,
            &ListConversationScopedWebhookParams::new(),
            None,
        )?
        .try_collect()
        .await?;
    println!("{} webhooks on {conversation}:", all.len());
    for webhook in &all {
        println!("  {}", describe(webhook));
    }

    // Delete the one we created.
    client
        .delete_conversation_scoped_webhook(conversation, &sid)
        .await?;
    println!("deleted {sid}");
    Ok(())
}

/// `WH… webhook https://…` (or the Studio flow a `studio` webhook starts).
fn describe(webhook: &ConversationScopedWebhook) -> String {
    // `configuration` is untyped in the spec; its typed view reads the keys
    // the create and update requests send (a value of another shape reads as none).
    let config = webhook.typed_configuration().ok().flatten();
    let destination = config
        .as_ref()
        .and_then(|c| c.url.as_deref().or(c.flow_sid.as_deref()))
        .unwrap_or("-");
    format!(
        "{} {} {destination}",
        webhook.sid.as_deref().unwrap_or("-"),
        webhook.target.as_deref().unwrap_or("-"),
    )
}
