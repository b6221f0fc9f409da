//! `Debug` output that leaves out personal data: the fields the spec marks
//! with `x-twilio.pii` print [`Redacted`] in place of their value, so logging
//! a model, a webhook event or a request's parameters does not leak it.
//! Only `Debug` changes: `Serialize` and the fields themselves keep the
//! value as it is.

use std::collections::BTreeMap;
use std::fmt;

/// Stands for a field holding personal data in `Debug` output: `<redacted>`
/// when the field is set, and what an unset one prints as it is (`None`,
/// `[]`, `{}`), so a log still shows which fields were present.
///
/// A generated `Debug` writes `.field("to", &Redacted::of(&self.to))` for an
/// optional or collection field and `.field("to", &Redacted::SET)` for a
/// required one.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted {
    /// What to print for an unset value; `None` when the value is set.
    unset: Option<&'static str>,
}

impl Redacted {
    /// A value that is always there (a required field): `<redacted>`.
    pub const SET: Redacted = Redacted { unset: None };

    /// `<redacted>` when `value` is set, else its own `Debug` text.
    pub fn of<T: Personal + ?Sized>(value: &T) -> Redacted {
        Redacted {
            unset: value.unset_text(),
        }
    }
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.unset.unwrap_or("<redacted>"))
    }
}

/// A field that may be unset: an `Option`, or a collection that is empty
/// when nothing was given.
pub trait Personal {
    /// The `Debug` text of the value when it is unset (it holds nothing
    /// personal then); `None` when it holds a value.
    fn unset_text(&self) -> Option<&'static str>;
}

impl<T> Personal for Option<T> {
    fn unset_text(&self) -> Option<&'static str> {
        self.is_none().then_some("None")
    }
}

impl<T> Personal for Vec<T> {
    fn unset_text(&self) -> Option<&'static str> {
        self.is_empty().then_some("[]")
    }
}

impl<K, V> Personal for BTreeMap<K, V> {
    fn unset_text(&self) -> Option<&'static str> {
        self.is_empty().then_some("{}")
    }
}
