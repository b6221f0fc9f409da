//! Keeping colliding component type names apart.
//!
//! A component schema's Rust name is the last segment of its key
//! (`conversations.v1.configuration.webhook` → `Webhook`). When several
//! component schemas would get the same name, the rule is:
//!
//! 1. Keys with a dotted parent chain ("resource keys"): one alone keeps the
//!    plain name; several go each into a module named after the key segments
//!    before its own, as few as tell them apart (`configuration::Webhook`,
//!    `service_configuration::Webhook`). Twilio builds those segments from the
//!    resource's parent chain (the `x-twilio` `parent` paths), so the module
//!    says which resource the type belongs to. When no run of segments tells
//!    them apart, each is named from its whole key instead
//!    (`conversations.v1.foo_bar` → `ConversationsV1FooBar`, see
//!    [`names::whole_key_type_name`]).
//! 2. Keys without a dot ("bare keys", Twilio's `<resource>_enum_<field>`
//!    enums): named from the whole key, `_enum_` kept (`build_enum_status` →
//!    `BuildEnumStatus`), at the top of `models`.
//! 3. A name still taken gets the first free number, in the order above:
//!    within a group here (`account_report` beside
//!    `insights.v2.account_report` → `AccountReport2`), and against every
//!    other type (inline ones, parameter structs) in `Normaliser::define`,
//!    which every named type goes through. So no collision is an error.
//!
//! Names that do not collide stay at the top of `models`, so adding a
//! resource never renames an existing type unless it collides with it.
//!
//! Examples: four resources ending in `webhook` give
//! `models::configuration::Webhook`, `models::conversation::Webhook`,
//! `models::service_configuration::Webhook`, ... (case
//! `colliding_resource_names`); `build_enum_status` beside
//! `serverless.v1.service.build.build_status` gives the enum `BuildEnumStatus`
//! and the struct `BuildStatus`; inline types and parameter structs come after
//! the spec's own names, so a schema called `ListBuildParams` makes the
//! operation's struct `ListBuildParams2` (case `colliding_names_resolved`
//! shows rules 1 to 3). Twilio's current Conversations document needs none of
//! this: its four webhook schemas are already `ConfigurationWebhook`,
//! `ConversationScopedWebhook`, `ServiceConversationScopedWebhook` and
//! `ServiceWebhookConfiguration`.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{escape_pointer, Location};
use crate::load::Documents;
use crate::names;

/// The Rust name (`module::Name` when kept in a module) of every component
/// schema whose plain name collides with another's, by location.
pub(super) fn colliding_components(docs: &Documents) -> BTreeMap<Location, String> {
    let mut by_name: BTreeMap<String, Vec<(Location, String)>> = BTreeMap::new();
    for file in docs.files() {
        let schemas_at = Location::new(file, "/components/schemas");
        let Some(Value::Object(schemas)) = docs.get(&schemas_at) else {
            continue;
        };
        for key in schemas.keys() {
            let at = Location::new(
                file,
                format!("{}/{}", schemas_at.pointer, escape_pointer(key)),
            );
            by_name
                .entry(names::component_type_name(key))
                .or_default()
                .push((at, key.clone()));
        }
    }
    let mut chosen = BTreeMap::new();
    for (name, group) in by_name.into_iter().filter(|(_, group)| group.len() > 1) {
        let (resources, bare): (Vec<_>, Vec<_>) =
            group.into_iter().partition(|(_, key)| key.contains('.'));
        // Resource keys first, so they keep their names when a bare key's
        // whole-key name is the same (`account_report` beside
        // `insights.v2.account_report`).
        let mut names_in_group: Vec<(Location, String)> = match resources.as_slice() {
            [] => Vec::new(),
            [(at, _)] => vec![(at.clone(), name.clone())],
            _ => match modules_for(&resources) {
                Some(modules) => resources
                    .iter()
                    .zip(modules)
                    .map(|((at, _), module)| (at.clone(), format!("{module}::{name}")))
                    .collect(),
                None => resources
                    .iter()
                    .map(|(at, key)| (at.clone(), names::whole_key_type_name(key)))
                    .collect(),
            },
        };
        names_in_group.extend(
            bare.iter()
                .map(|(at, key)| (at.clone(), names::whole_key_type_name(key))),
        );
        let mut taken: Vec<String> = Vec::new();
        for (at, wanted) in names_in_group {
            let free = (1..)
                .map(|n| names::numbered(&wanted, n))
                .find(|candidate| !taken.contains(candidate))
                .unwrap_or(wanted);
            taken.push(free.clone());
            chosen.insert(at, free);
        }
    }
    chosen
}

/// One module per key of a colliding group: the shortest run of parent
/// segments (counted from the type's own) that tells every key apart;
/// `None` if no run does (or one makes no module name).
fn modules_for(group: &[(Location, String)]) -> Option<Vec<String>> {
    let parents: Vec<Vec<&str>> = group
        .iter()
        .map(|(_, key)| {
            let mut segments: Vec<&str> = key.split('.').collect();
            segments.pop();
            segments
        })
        .collect();
    let longest = parents.iter().map(Vec::len).max().unwrap_or(0);
    for depth in 1..=longest {
        let candidates: Vec<String> = parents
            .iter()
            .map(|segments| names::module_name(&segments[segments.len().saturating_sub(depth)..]))
            .collect::<Result<_, _>>()
            .ok()?;
        let mut unique = candidates.clone();
        unique.sort();
        unique.dedup();
        if unique.len() == candidates.len() {
            return Some(candidates);
        }
    }
    None
}
