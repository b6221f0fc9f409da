//! Keeping colliding type names apart with modules.
//!
//! A component schema's Rust name is the last segment of its key
//! (`conversations.v1.configuration.webhook` → `Webhook`). When two component
//! schemas would get the same name, each goes into a module named after the
//! key segments before it, as few as tell them apart
//! (`configuration::Webhook`, `service_configuration::Webhook`). Twilio builds
//! those segments from the resource's parent chain (the `x-twilio` `parent`
//! paths), so the module says which resource the type belongs to. Names that
//! do not collide stay at the top of `models`, so adding a resource never
//! renames an existing type unless it collides with it.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{escape_pointer, Location};
use crate::load::Documents;
use crate::names;

/// The module of every component schema whose name collides, by location, or
/// why none could be found (reported only if the schema is used).
pub(super) fn colliding_components(docs: &Documents) -> BTreeMap<Location, Result<String, String>> {
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
    let mut modules = BTreeMap::new();
    for (name, group) in by_name.into_iter().filter(|(_, group)| group.len() > 1) {
        match modules_for(&group) {
            Ok(found) => modules.extend(
                group
                    .into_iter()
                    .map(|(at, _)| at)
                    .zip(found.into_iter().map(Ok)),
            ),
            Err(message) => {
                for (at, key) in &group {
                    let others: Vec<String> = group
                        .iter()
                        .filter(|(other, _)| other != at)
                        .map(|(other, k)| format!("`{k}` (at {other})"))
                        .collect();
                    modules.insert(
                        at.clone(),
                        Err(format!(
                            "`{key}` and {} all become the Rust type `{name}`, and {message}; rename one of them",
                            others.join(", ")
                        )),
                    );
                }
            }
        }
    }
    modules
}

/// One module per key of a colliding group: the shortest run of parent
/// segments (counted from the type's own) that tells every key apart.
fn modules_for(group: &[(Location, String)]) -> Result<Vec<String>, String> {
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
        let candidates: Vec<Result<String, String>> = parents
            .iter()
            .map(|segments| names::module_name(&segments[segments.len().saturating_sub(depth)..]))
            .collect();
        if let Some(Err(message)) = candidates.iter().find(|c| c.is_err()) {
            return Err(message.clone());
        }
        let candidates: Vec<String> = candidates.into_iter().flatten().collect();
        let mut unique = candidates.clone();
        unique.sort();
        unique.dedup();
        if unique.len() == candidates.len() {
            return Ok(candidates);
        }
    }
    Err("their keys have no dotted prefix that tells them apart (Twilio-style keys look like `api.v1.parent.resource`)".to_owned())
}
