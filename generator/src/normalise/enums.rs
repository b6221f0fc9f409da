//! String enums: one Rust enum per distinct enum, case variants merged.
//!
//! # Rules
//!
//! **Enums.** One Rust enum per enum schema. Values that differ only in ASCII case (`GET`/`get`) are one
//! variant, which writes the spec's first spelling and reads any case. Values that collide in any other
//! way (`on-message`/`on_message`) are an error. Every enum has a catch-all `Other(String)` that keeps a
//! value this crate does not know, because Twilio adds values and a new one must never break a response.
//! Each enum has `as_str`, `Display`, `FromStr` (infallible), `From<&str>`/`From<String>`, and serde impls
//! through those. Every enum is `#[non_exhaustive]` (a new value is a minor release; a `match` needs a
//! `_` arm).
//! *Identical enums in different resources are not merged*: `ConversationScopedWebhookMethod` and
//! `ServiceConversationScopedWebhookMethod` stay two types. Twilio changes them independently (the
//! conversation-scoped method went from `GET`/`POST` to `get`/`post` in 2025 while the service and account
//! ones did not), and a merge would turn such a change into a breaking change for unrelated resources.

use super::Normaliser;
use crate::error::{Error, Location};
use crate::model::{Enum, Type, TypeDef, Variant};
use crate::names;

/// The catch-all variant's name, unless a spec value takes it.
const OTHER_NAMES: [&str; 3] = ["Other", "Unrecognized", "UnknownValue"];

impl Normaliser<'_> {
    /// Values that differ only in case (`GET`/`get`) become one variant, which
    /// writes the first spelling and reads any case. Values that collide after
    /// normalisation in any other way (`on-message`/`on_message`) are an error:
    /// they may mean different things and the wire needs both.
    pub(super) fn define_enum(
        &mut self,
        name: &str,
        doc: Option<String>,
        values: &[String],
        at: &Location,
    ) -> Result<Type, Error> {
        let name = &names::reserve_type_name(name);
        names::check_type_name(name).map_err(|m| Error::spec(at, m))?;
        if values.is_empty() {
            return Err(Error::spec(
                &at.join("enum"),
                "`enum` has no values, so no value would be valid; list at least one value or remove `enum`",
            ));
        }
        let mut variants: Vec<Variant> = Vec::new();
        for value in values {
            let variant =
                names::variant_name(value).map_err(|m| Error::spec(&at.join("enum"), m))?;
            match variants.iter_mut().find(|v| v.name == variant) {
                Some(existing) if existing.wire == *value || existing.aliases.contains(value) => {}
                Some(existing) if existing.wire.eq_ignore_ascii_case(value) => {
                    existing.aliases.push(value.clone());
                }
                Some(existing) => {
                    return Err(Error::spec(
                        &at.join("enum"),
                        format!(
                            "enum values `{}` and `{value}` both become the Rust variant `{variant}` but differ by more than case; rename one of them",
                            existing.wire
                        ),
                    ))
                }
                None => variants.push(Variant {
                    name: variant,
                    wire: value.clone(),
                    aliases: Vec::new(),
                }),
            }
        }
        let other_variant = OTHER_NAMES
            .iter()
            .find(|candidate| !variants.iter().any(|v| v.name == **candidate))
            .map(|s| (*s).to_owned())
            .ok_or_else(|| {
                Error::spec(
                    at,
                    "enum uses every name the generator has for its catch-all variant",
                )
            })?;
        self.define(
            TypeDef::Enum(Enum {
                name: name.to_owned(),
                doc,
                variants,
                other_variant,
            }),
            at,
        )
    }
}
