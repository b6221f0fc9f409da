//! Client-side checks derived from the spec (patterns, lengths, bounds,
//! formats), so a request that Twilio would refuse fails early with a precise
//! [`Error::Validation`] and nothing is sent.

use std::fmt;
use std::sync::OnceLock;

use crate::runtime::error::Error;

/// How many characters of a string value [`quote`] keeps.
const QUOTE_LIMIT: usize = 128;

/// A regular expression from the spec, compiled on first use so unused
/// patterns cost nothing.
///
/// Meant for statics: `static SID: Pattern = Pattern::new("^WH[0-9a-fA-F]{32}$");`.
pub struct Pattern {
    source: &'static str,
    /// `None` if the source does not compile; see [`Pattern::is_match`].
    compiled: OnceLock<Option<regex_lite::Regex>>,
}

impl Pattern {
    /// Wraps a pattern's source; nothing is compiled yet.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern's source, as written in the spec.
    pub fn as_str(&self) -> &'static str {
        self.source
    }

    /// Whether `value` matches (anywhere, as in JSON Schema; spec patterns
    /// anchor themselves with `^...$`).
    ///
    /// The generator only emits patterns that compile with `regex-lite`; if
    /// one nevertheless did not, every value is accepted and Twilio's own
    /// validation decides, rather than making the operation unusable.
    pub fn is_match(&self, value: &str) -> bool {
        self.compiled
            .get_or_init(|| regex_lite::Regex::new(self.source).ok())
            .as_ref()
            .is_none_or(|regex| regex.is_match(value))
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// Checks that `value` matches the spec's `pattern`.
pub fn pattern(field: &'static str, value: &str, pattern: &Pattern) -> Result<(), Error> {
    if pattern.is_match(value) {
        Ok(())
    } else {
        Err(Error::validation(
            field,
            format!("a value matching {}", pattern.as_str()),
            quote(value),
        ))
    }
}

/// Checks the spec's `minLength`/`maxLength`, counted in characters (Unicode
/// scalar values), not bytes.
pub fn length(
    field: &'static str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), Error> {
    let count = value.chars().count();
    if min.is_some_and(|min| count < min) || max.is_some_and(|max| count > max) {
        let expected = match (min, max) {
            (Some(min), Some(max)) if min == max => format!("exactly {min} {}", characters(min)),
            (Some(min), Some(max)) => format!("between {min} and {max} characters"),
            (Some(min), None) => format!("at least {min} {}", characters(min)),
            (None, Some(max)) => format!("at most {max} {}", characters(max)),
            // Unreachable: with no bound the check above cannot fail.
            (None, None) => "any length".to_owned(),
        };
        return Err(Error::validation(
            field,
            expected,
            format!("{} ({count} {})", quote(value), characters(count)),
        ));
    }
    Ok(())
}

/// Checks the spec's `minimum`/`maximum` (inclusive).
pub fn range(
    field: &'static str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), Error> {
    if min.is_some_and(|min| value < min) || max.is_some_and(|max| value > max) {
        let expected = match (min, max) {
            (Some(min), Some(max)) => format!("between {min} and {max}"),
            (Some(min), None) => format!("at least {min}"),
            (None, Some(max)) => format!("at most {max}"),
            // Unreachable: with no bound the check above cannot fail.
            (None, None) => "any number".to_owned(),
        };
        return Err(Error::validation(field, expected, value.to_string()));
    }
    Ok(())
}

/// Checks the spec's `format: uri`: an absolute URI, i.e. a scheme (RFC 3986:
/// a letter, then letters, digits, `+`, `-` or `.`), a `:` and a non-empty
/// rest, without whitespace or control characters. For `http` and `https`
/// the rest must also name a host (`//host...`), since Twilio has to reach
/// it.
pub fn uri(field: &'static str, value: &str) -> Result<(), Error> {
    if is_absolute_uri(value) {
        Ok(())
    } else {
        Err(Error::validation(field, "an absolute URI", quote(value)))
    }
}

fn is_absolute_uri(value: &str) -> bool {
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let mut scheme_chars = scheme.chars();
    let scheme_ok = scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() {
        return false;
    }
    if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
        let Some(after_slashes) = rest.strip_prefix("//") else {
            return false;
        };
        let authority = after_slashes
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default();
        let host_port = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        let host = if host_port.starts_with('[') {
            host_port.split_inclusive(']').next().unwrap_or_default()
        } else {
            host_port.split(':').next().unwrap_or_default()
        };
        if host.is_empty() {
            return false;
        }
    }
    true
}

/// Renders a string value for [`Error::Validation`]'s `found`: quoted and
/// escaped like `Debug`, shortened to 128 characters (`...` marks a cut) so a
/// huge value cannot flood logs.
pub fn quote(value: &str) -> String {
    let mut chars = value.char_indices();
    match chars.nth(QUOTE_LIMIT) {
        Some((cut, _)) => format!("{:?}...", &value[..cut]),
        None => format!("{value:?}"),
    }
}

fn characters(count: usize) -> &'static str {
    if count == 1 {
        "character"
    } else {
        "characters"
    }
}
