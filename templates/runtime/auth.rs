//! Twilio credentials and the HTTP basic authentication they turn into.

use std::fmt;

use std::env::VarError;

use base64::Engine as _;
use http::HeaderValue;

use crate::runtime::error::Error;

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

    /// The credentials in the process environment, as Twilio's CLI reads
    /// them:
    ///
    /// - `TWILIO_ACCOUNT_SID` with `TWILIO_API_KEY` and `TWILIO_API_SECRET`
    ///   ([`Credentials::ApiKey`]), when `TWILIO_API_KEY` is set: an API key
    ///   wins over an auth token set beside it (keys are the recommended,
    ///   revocable credential); a key without its secret is an error, never
    ///   a quiet fall back to the auth token;
    /// - else `TWILIO_ACCOUNT_SID` with `TWILIO_AUTH_TOKEN`
    ///   ([`Credentials::AuthToken`]).
    ///
    /// A variable that is needed and not set, empty or not Unicode is
    /// [`Error::EnvVar`] naming it (never showing a value). See
    /// [`Credentials::from_env_with`] to read another source.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_env_with(|name| std::env::var(name))
    }

    /// Like [`Credentials::from_env`], with each variable looked up through
    /// `lookup` (a `.env` map, a test's table) instead of the process
    /// environment; `std::env::var` itself is such a lookup.
    pub fn from_env_with(
        mut lookup: impl FnMut(&str) -> Result<String, VarError>,
    ) -> Result<Self, Error> {
        let account_sid = env_required(
            &mut lookup,
            "TWILIO_ACCOUNT_SID",
            "is not set (or is empty)",
        )?;
        if env_optional(&mut lookup, "TWILIO_API_KEY")?.is_some() {
            let api_key_sid =
                env_required(&mut lookup, "TWILIO_API_KEY", "is not set (or is empty)")?;
            let secret = env_required(
                &mut lookup,
                "TWILIO_API_SECRET",
                "is not set (or is empty), and TWILIO_API_KEY is set",
            )?;
            return Ok(Self::api_key(account_sid, api_key_sid, secret));
        }
        let auth_token = env_required(
            &mut lookup,
            "TWILIO_AUTH_TOKEN",
            "is not set (or is empty), nor is TWILIO_API_KEY",
        )?;
        Ok(Self::auth_token(account_sid, auth_token))
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

/// The value of the environment variable `name`, `None` when it is not set
/// or empty (as Twilio's libraries treat an empty variable); one that is not
/// Unicode is [`Error::EnvVar`].
pub(crate) fn env_optional(
    lookup: &mut impl FnMut(&str) -> Result<String, VarError>,
    name: &'static str,
) -> Result<Option<String>, Error> {
    match lookup(name) {
        Ok(value) if value.is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(VarError::NotPresent) => Ok(None),
        Err(VarError::NotUnicode(_)) => Err(Error::EnvVar {
            variable: name,
            reason: "is not valid Unicode",
        }),
    }
}

/// The value of the environment variable `name`, or [`Error::EnvVar`] with
/// `missing` as its reason.
fn env_required(
    lookup: &mut impl FnMut(&str) -> Result<String, VarError>,
    name: &'static str,
    missing: &'static str,
) -> Result<String, Error> {
    env_optional(lookup, name)?.ok_or(Error::EnvVar {
        variable: name,
        reason: missing,
    })
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
