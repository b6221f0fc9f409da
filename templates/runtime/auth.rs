//! Twilio credentials and the HTTP basic authentication they turn into.

use std::fmt;

use base64::Engine as _;
use http::HeaderValue;

/// How requests authenticate: with the account's auth token, or with an API
/// key (recommended for production, since keys can be revoked one by one).
///
/// The `Debug` output never shows the token or secret.
#[derive(Clone)]
pub enum Credentials {
    /// The account SID (`AC...`) and its auth token.
    AuthToken {
        /// The account SID, `AC` followed by 32 hex digits.
        account_sid: String,
        /// The account's auth token (secret).
        auth_token: String,
    },
    /// An API key (`SK...`) and its secret, acting for the account.
    ApiKey {
        /// The account SID, `AC` followed by 32 hex digits.
        account_sid: String,
        /// The API key SID, `SK` followed by 32 hex digits.
        api_key_sid: String,
        /// The API key's secret.
        api_key_secret: String,
    },
}

impl Credentials {
    /// Authenticates as the account itself with its auth token.
    pub fn auth_token(account_sid: impl Into<String>, auth_token: impl Into<String>) -> Self {
        Credentials::AuthToken {
            account_sid: account_sid.into(),
            auth_token: auth_token.into(),
        }
    }

    /// Authenticates with an API key of the account.
    pub fn api_key(
        account_sid: impl Into<String>,
        api_key_sid: impl Into<String>,
        api_key_secret: impl Into<String>,
    ) -> Self {
        Credentials::ApiKey {
            account_sid: account_sid.into(),
            api_key_sid: api_key_sid.into(),
            api_key_secret: api_key_secret.into(),
        }
    }

    /// The account SID the requests act for.
    pub fn account_sid(&self) -> &str {
        match self {
            Credentials::AuthToken { account_sid, .. }
            | Credentials::ApiKey { account_sid, .. } => account_sid,
        }
    }

    /// The `Authorization` header value: `Basic base64(user:password)`, where
    /// the user is the account SID (auth token) or the API key SID (API key).
    ///
    /// The value is marked sensitive so HTTP stacks and loggers that honour
    /// the flag do not print it.
    pub fn authorization_header(&self) -> HeaderValue {
        let (user, password) = match self {
            Credentials::AuthToken {
                account_sid,
                auth_token,
            } => (account_sid, auth_token),
            Credentials::ApiKey {
                api_key_sid,
                api_key_secret,
                ..
            } => (api_key_sid, api_key_secret),
        };
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        // Infallible: "Basic " followed by the base64 alphabet (A-Z a-z 0-9 + / =)
        // is visible ASCII, which is always a valid header value.
        let mut value = HeaderValue::from_str(&format!("Basic {encoded}"))
            .expect("base64 output is a valid header value");
        value.set_sensitive(true);
        value
    }
}

/// The secret fields are shown as `"<redacted>"`.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const REDACTED: &str = "<redacted>";
        match self {
            Credentials::AuthToken { account_sid, .. } => f
                .debug_struct("AuthToken")
                .field("account_sid", account_sid)
                .field("auth_token", &REDACTED)
                .finish(),
            Credentials::ApiKey {
                account_sid,
                api_key_sid,
                ..
            } => f
                .debug_struct("ApiKey")
                .field("account_sid", account_sid)
                .field("api_key_sid", api_key_sid)
                .field("api_key_secret", &REDACTED)
                .finish(),
        }
    }
}
