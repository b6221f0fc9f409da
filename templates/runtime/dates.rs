//! Dates and times of responses, as Twilio sends them.
//!
//! A [`Timestamp`] keeps the text as received and serializes back to it, so
//! a response never fails to parse because a date is written in a way the
//! spec did not say (Twilio writes RFC 3339 `2015-12-16T22:18:37Z`, plain
//! dates `2015-12-16`, and on older APIs RFC 2822 `Mon, 16 Aug 2010 03:45:01
//! +0000`). With the crate's `time` feature, `Timestamp::parse` reads any
//! of those into a `time::OffsetDateTime`.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// A date or time as the API wrote it (see the [module docs](self)).
///
/// It derefs to the text, so `model.date_created.as_deref()` is an
/// `Option<&str>`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    /// A timestamp with this text (it is not checked).
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as received.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The instant the text names: RFC 3339 (`2015-12-16T22:18:37Z`), RFC 2822
    /// (`Mon, 16 Aug 2010 03:45:01 +0000`) or a date (`2015-12-16`, read as
    /// midnight UTC). `None` when it is none of those.
    #[cfg(feature = "time")]
    pub fn parse(&self) -> Option<time::OffsetDateTime> {
        use time::format_description::well_known::{Rfc2822, Rfc3339};
        let text = self.0.trim();
        time::OffsetDateTime::parse(text, &Rfc3339)
            .or_else(|_| time::OffsetDateTime::parse(text, &Rfc2822))
            .ok()
            .or_else(|| parse_date(text))
    }

    /// The same as [`Timestamp::parse`].
    #[cfg(feature = "time")]
    pub fn as_offset_date_time(&self) -> Option<time::OffsetDateTime> {
        self.parse()
    }
}

/// `YYYY-MM-DD` as midnight UTC.
#[cfg(feature = "time")]
fn parse_date(text: &str) -> Option<time::OffsetDateTime> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year) && digits(month) && digits(day)) {
        return None;
    }
    let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
    let date = time::Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()?;
    Some(date.midnight().assume_utc())
}

impl Deref for Timestamp {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Timestamp {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Timestamp {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

impl From<String> for Timestamp {
    fn from(text: String) -> Self {
        Self(text)
    }
}

impl From<Timestamp> for String {
    fn from(timestamp: Timestamp) -> Self {
        timestamp.0
    }
}
