//! Twilio's `x-twilio` extension: which values are personal data
//! (`x-twilio.pii`) and which parameters an operation needs one of
//! (`x-twilio.conditional`). Both are read from the raw document, since
//! openapiv3 keeps extensions only as untyped JSON, and only where Twilio
//! writes them.
//!
//! # Rules
//!
//! **Personal data.** A value is marked when its schema (or, for a path,
//! query or header parameter, the parameter object or its `schema`) has an
//! `x-twilio` object with a `pii` member that is neither `false` nor `null`
//! (Twilio writes `pii: {handling: standard, deleteSla: 30}`; the handling
//! and the retention do not change what is printed). The mark is found
//! through what says what the value *is*: a `$ref` (the referenced schema
//! marked), an `allOf` (any member marked, so `allOf: [{$ref}]` with the mark
//! beside or inside it) and an array's `items` (a list of marked values is
//! marked). `oneOf`/`anyOf` and the properties of an object are not looked
//! into: those values are typed by their own fields, each with its own mark.
//! A `$ref` is followed at most [`super::MAX_SCHEMA_DEPTH`] times, so a cycle
//! is not marked.
//!
//! The rule applies wherever a struct of the generated crate holds a value:
//! response models and JSON request bodies ([`crate::model::Field::pii`]),
//! webhook events ([`crate::model::EventField::pii`]) and the `*Params`
//! structs ([`crate::model::Param::pii`]; path parameters are function
//! arguments, held by no struct). A struct with a marked field gets a
//! hand-written `Debug` that prints `<redacted>` for a marked value that is
//! set and `None`, `[]` or `{}` for one that is not, so a log still shows
//! what was present; `Serialize` and `Deserialize` are unchanged (the value
//! goes on the wire and into JSON as it is). Case `pii_fields`.
//!
//! **One of a group.** `x-twilio: {conditional: [[from, messaging_service_sid],
//! [body, media_url, content_sid]]}` on an operation lists groups of its
//! parameters. Twilio means *at least one of each group*: its own
//! CreateMessage accepts `Body` with `MediaUrl` (a captioned picture) and
//! `From` with `MessagingServiceSid`, so refusing two set members would refuse
//! valid requests. A name is matched against the operation's parameters by
//! the wire name as written (`MessagingServiceSid`) or its snake_case
//! (`messaging_service_sid`, heck's, so `Configuration.Url` is
//! `configuration_url`); the `*Params` fields are tried before path
//! parameters, and a JSON body's own fields are not parameters. A name that
//! matches nothing, a member listed twice and a value that is not a list of
//! non-empty lists of strings are errors at their pointer
//! (`…/post/x-twilio/conditional/0/1`). A group that always holds is not
//! kept: one with a path parameter (always given) or, once shapes are
//! decided, a `new(..)` argument ([`met_groups_dropped`]). A group of one is
//! kept: that field must be set, without becoming a `new(..)` argument (which
//! would break every existing `new(..)` call when a spec adds the group).
//!
//! Each kept group becomes [`crate::model::OneOf`]: a check at the start of
//! `Params::validate()` (so before any request is built) failing with
//! `Error::Validation` (`invalid From or MessagingServiceSid: expected at
//! least one of them set (the fields `from`, `messaging_service_sid`), found
//! none set`), and a line of the struct's docs (`Set at least one of `from`,
//! `messaging_service_sid`.`). A set value is `Some(_)`, or a non-empty
//! collection. Cases `conditional_params` and `error_conditional_unknown_param`.

use heck::ToSnakeCase;
use serde_json::Value;

use super::{lint, Normaliser, MAX_SCHEMA_DEPTH};
use crate::error::{Error, Location};
use crate::model::{Api, OneOf, Param, ParamIn};

impl Normaliser<'_> {
    /// Is the parameter object at `at` (a path, query or header parameter)
    /// personal data: marked itself or in its `schema`.
    pub(super) fn pii_param(&self, at: &Location) -> bool {
        let Some(value) = self.docs.get(at) else {
            return false;
        };
        marks(value)
            || value
                .get("schema")
                .is_some_and(|schema| self.pii_value(&at.join("schema"), schema, 0))
    }

    /// Is the schema at `at` personal data (see the module docs for where
    /// the mark is looked for).
    pub(super) fn pii_schema(&self, at: &Location) -> bool {
        self.docs
            .get(at)
            .is_some_and(|value| self.pii_value(at, value, 0))
    }

    fn pii_value(&self, at: &Location, value: &Value, depth: usize) -> bool {
        if depth > MAX_SCHEMA_DEPTH {
            return false;
        }
        if marks(value) {
            return true;
        }
        if let Some(Value::String(reference)) = value.get("$ref") {
            if let Ok((target, next)) = self.docs.resolve(at, reference) {
                if self.pii_value(&target, next, depth + 1) {
                    return true;
                }
            }
        }
        if let Some(items) = value.get("items") {
            if self.pii_value(&at.join("items"), items, depth + 1) {
                return true;
            }
        }
        let members = value.get("allOf").and_then(Value::as_array);
        members
            .into_iter()
            .flatten()
            .enumerate()
            .any(|(i, member)| {
                let member_at = at.join("allOf").join(&i.to_string());
                self.pii_value(&member_at, member, depth + 1)
            })
    }

    /// The `x-twilio.conditional` groups of the operation at `op_at`, its
    /// names matched against `fields` (the `*Params` fields) and `path`;
    /// the errors are recorded.
    pub(super) fn one_of(
        &mut self,
        op_at: &Location,
        path: &[Param],
        fields: &[Param],
    ) -> Vec<OneOf> {
        let Some(conditional) = self
            .docs
            .get(op_at)
            .and_then(|op| op.get("x-twilio"))
            .and_then(|ext| ext.get("conditional"))
        else {
            return Vec::new();
        };
        let at = op_at.join("x-twilio").join("conditional");
        let Some(groups) = conditional.as_array() else {
            self.errors.push(Error::spec(&at, format!("`x-twilio.conditional` must be a list of groups, each a list of parameter names (`[[from, messaging_service_sid]]`), found {}", lint::kind(conditional))));
            return Vec::new();
        };
        let mut kept = Vec::new();
        for (i, group) in groups.iter().enumerate() {
            let group_at = at.join(&i.to_string());
            match group_members(&group_at, group, path, fields) {
                Ok(Some(fields)) => kept.push(OneOf { fields }),
                Ok(None) => {}
                Err(errors) => self.errors.0.extend(errors),
            }
        }
        kept
    }
}

/// `value` has `x-twilio.pii` itself.
fn marks(value: &Value) -> bool {
    value
        .get("x-twilio")
        .and_then(|ext| ext.get("pii"))
        .is_some_and(|pii| !matches!(pii, Value::Null | Value::Bool(false)))
}

/// Does the spec's `name` stand for the parameter sent as `wire`?
fn names_param(name: &str, wire: &str) -> bool {
    name == wire || name == wire.to_snake_case()
}

/// The Rust names of one group's fields; `None` when a member is a path
/// parameter (always given, so the group always holds).
fn group_members(
    at: &Location,
    group: &Value,
    path: &[Param],
    fields: &[Param],
) -> Result<Option<Vec<String>>, Vec<Error>> {
    let names = match group.as_array() {
        Some(names) if !names.is_empty() => names,
        Some(_) => {
            return Err(vec![Error::spec(at, "a group of `x-twilio.conditional` must name at least one parameter, found an empty list; remove the group or list its parameters")]);
        }
        None => {
            return Err(vec![Error::spec(
                at,
                format!(
                    "a group of `x-twilio.conditional` must be a list of parameter names, found {}",
                    lint::kind(group)
                ),
            )]);
        }
    };
    let fields: Vec<&Param> = fields
        .iter()
        .filter(|p| p.location != ParamIn::Body)
        .collect();
    let mut members: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    let mut always = false;
    for (j, name) in names.iter().enumerate() {
        let name_at = at.join(&j.to_string());
        let Some(name) = name.as_str() else {
            errors.push(Error::spec(&name_at, format!("a member of `x-twilio.conditional` must be a parameter name (a string), found {}", lint::kind(name))));
            continue;
        };
        if let Some(field) = fields.iter().find(|p| names_param(name, &p.wire)) {
            if members.contains(&field.name) {
                errors.push(Error::spec(
                    &name_at,
                    format!("`{name}` is listed twice in this group; list each parameter once"),
                ));
            } else {
                members.push(field.name.clone());
            }
        } else if path.iter().any(|p| names_param(name, &p.wire)) {
            always = true;
        } else {
            let known: Vec<String> = fields
                .iter()
                .copied()
                .chain(path)
                .map(|p| format!("`{}`", p.wire.to_snake_case()))
                .collect();
            let known = if known.is_empty() {
                "it has none".to_owned()
            } else {
                format!("they are {}", known.join(", "))
            };
            errors.push(Error::spec(&name_at, format!("`{name}` names no parameter of this operation; a name is a parameter's wire name or its snake_case, and {known}")));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((!always).then_some(members))
}

/// Once shapes are decided: a group with a `new(..)` argument among its
/// fields always holds, so it is no check and no doc line.
pub(super) fn met_groups_dropped(api: &mut Api) {
    for params in api
        .operations
        .iter_mut()
        .filter_map(|op| op.params.as_mut())
    {
        let groups = std::mem::take(&mut params.one_of);
        params.one_of = groups
            .into_iter()
            .filter(|group| !params.members(group).any(|p| p.shape.is_argument()))
            .collect();
    }
}
