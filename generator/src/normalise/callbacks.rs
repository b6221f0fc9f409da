//! OpenAPI `callbacks` → [`Callbacks`]: the requests an API sends to the
//! user's server, one [`Event`] per distinct body schema and one
//! [`EventUnion`] per discriminating field.
//!
//! A callback body is a schema, or a `oneOf` of schemas with a
//! `discriminator` whose `propertyName` names the field that tells them apart
//! (Twilio's `EventType`). A member's value of that field comes from the
//! discriminator's `mapping`, else from a one-value `enum` on the member's
//! own property, else (as OpenAPI says) from the member's component name.
//! Bodies sent as a form or as JSON are typed; other media types are a
//! fallback (not typed).
//!
//! # Rules
//!
//! **Reading never fails, and reads only what is signed.** `Event::from_verified(&verified)` (and each
//! event's `from_verified`) is the only way in: it reads a `Verified`, which only
//! `SignatureValidator::verify` makes (the runtime's `webhook` module; see `docs/webhooks.md`), whatever the request carried it in (a form
//! body, a JSON body under `bodySHA256`, a GET webhook's query). A form value is text; how it becomes the
//! field's type:
//!
//! | schema | field | read as |
//! |---|---|---|
//! | string (any format, dates included), integer, number, boolean, enum | `Option<T>` | `FromStr` (`true`/`false`; enums keep unknown values in `Other`) |
//! | array of those | `Vec<T>` | one value per repeated key |
//! | object, untyped, array of objects (Twilio's `Attributes`, `Media`) | `Option<T>` | JSON text |
//!
//! A value that does not parse (`Index=abc`, `Attributes=not json`) leaves its field `None` and is kept,
//! as received, in the struct's `other: BTreeMap<String, String>`, with every field the spec does not name
//! (the first value of a repeated name). A JSON body is read as the same pairs: strings as they are,
//! numbers, booleans and objects as their JSON text, an array of scalars as one pair per element (an
//! array holding objects as its JSON text), `null` left out.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::context::Ctx;
use super::schemas::Node;
use super::{non_empty, Normaliser};
use crate::error::{Error, Location};
use crate::model::{Callbacks, Event, EventField, EventFieldKind, EventUnion, Operation, Type};
use crate::names;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// A body schema found under some callback, before it is typed.
struct Found {
    at: Location,
    tag: Option<(String, String)>,
    json: bool,
}

impl<'a> Normaliser<'a> {
    /// The callbacks of the selected `operations`.
    pub(super) fn callbacks(&mut self, root: &Location, operations: &[Operation]) -> Callbacks {
        let selected: BTreeSet<&str> = operations.iter().map(|o| o.id.as_str()).collect();
        let mut found = Vec::new();
        for (operation, at, op) in self.selected_operations(root, &selected) {
            let Some(callbacks) = op.get("callbacks") else {
                continue;
            };
            let callbacks_at = at.join("callbacks");
            let Some(callbacks) = callbacks.as_object() else {
                self.errors.push(Error::spec(
                    &callbacks_at,
                    "`callbacks` must be an object mapping callback names to callback objects",
                ));
                continue;
            };
            for (name, callback) in callbacks {
                let Some((callback_at, callback)) = self.follow(callbacks_at.join(name), callback)
                else {
                    continue;
                };
                self.callback(&operation, &callback_at, callback, &mut found);
            }
        }
        self.events(found)
    }

    /// (operationId, location, raw operation) of every selected operation.
    fn selected_operations(
        &mut self,
        root: &Location,
        selected: &BTreeSet<&str>,
    ) -> Vec<(String, Location, &'a Value)> {
        let docs = self.docs;
        let paths_at = root.join("paths");
        let Some(Value::Object(paths)) = docs.get(&paths_at) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (path, item) in paths {
            // Dangling `$ref`s are already reported by `operations`.
            let (item_at, item) = match item.get("$ref").and_then(Value::as_str) {
                Some(reference) => match docs.resolve(&paths_at.join(path), reference) {
                    Ok(found) => found,
                    Err(_) => continue,
                },
                None => (paths_at.join(path), item),
            };
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let id = op.get("operationId").and_then(Value::as_str);
                if let Some(id) = id.filter(|id| selected.contains(id)) {
                    out.push((id.to_owned(), item_at.join(method), op));
                }
            }
        }
        out
    }

    /// Follows a `$ref` (recording a dangling one) to the value it names.
    fn follow(&mut self, at: Location, value: &'a Value) -> Option<(Location, &'a Value)> {
        let docs = self.docs;
        match value.get("$ref") {
            Some(Value::String(reference)) => match docs.resolve(&at, reference) {
                Ok((target, value)) => Some((target, value)),
                Err(e) => {
                    self.errors.push(e);
                    None
                }
            },
            _ => Some((at, value)),
        }
    }

    /// One callback object: runtime expression → path item.
    fn callback(
        &mut self,
        operation: &str,
        at: &Location,
        callback: &'a Value,
        found: &mut Vec<Found>,
    ) {
        let Some(expressions) = callback.as_object() else {
            self.errors.push(Error::spec(
                at,
                "a callback must be an object mapping URL expressions (such as `{$request.body#/Url}`) to path items",
            ));
            return;
        };
        for (expression, item) in expressions {
            let Some((item_at, item)) = self.follow(at.join(expression), item) else {
                continue;
            };
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let Some(body) = op.get("requestBody") else {
                    continue;
                };
                let Some((body_at, body)) =
                    self.follow(item_at.join(method).join("requestBody"), body)
                else {
                    continue;
                };
                let Some(content) = body.get("content").and_then(Value::as_object) else {
                    self.errors.push(Error::spec(
                        &body_at,
                        "a callback's request body needs `content` naming its media type and schema",
                    ));
                    continue;
                };
                for (media, media_object) in content {
                    let media_at = body_at.join("content").join(media);
                    let essence = media
                        .split(';')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_ascii_lowercase();
                    let json = essence == "application/json" || essence.ends_with("+json");
                    if !json && essence != "application/x-www-form-urlencoded" {
                        self.fallback(
                            operation,
                            &media_at,
                            format!(
                                "callback body `{media}` is not typed (only forms and JSON are)"
                            ),
                        );
                        continue;
                    }
                    let Some(schema) = media_object.get("schema") else {
                        self.errors.push(Error::spec(
                            &media_at,
                            "this callback body has no `schema`; add one (each event type becomes a struct)",
                        ));
                        continue;
                    };
                    self.body(media_at.join("schema"), schema, json, found);
                }
            }
        }
    }

    /// A body schema: one event, or a `oneOf` of events with a discriminator.
    fn body(&mut self, at: Location, schema: &'a Value, json: bool, found: &mut Vec<Found>) {
        let Some((at, schema)) = self.follow(at, schema) else {
            return;
        };
        let discriminator = schema.get("discriminator");
        let property = match discriminator.map(|d| d.get("propertyName")) {
            Some(Some(Value::String(p))) => Some(p.clone()),
            Some(_) => {
                self.errors.push(Error::spec(
                    &at.join("discriminator"),
                    "a discriminator needs `propertyName`: the field whose value tells the events apart",
                ));
                return;
            }
            None => None,
        };
        let mapping = self.mapping(&at, discriminator);
        let members = schema.get("oneOf").or_else(|| schema.get("anyOf"));
        let Some(members) = members else {
            let tag =
                property.and_then(|p| self.tag_value(&at, schema, &p, &mapping).map(|v| (p, v)));
            found.push(Found { at, tag, json });
            return;
        };
        let key = if schema.get("oneOf").is_some() {
            "oneOf"
        } else {
            "anyOf"
        };
        let Some(property) = property else {
            self.errors.push(Error::spec(
                &at,
                format!("a callback body with `{key}` needs `discriminator: {{propertyName: ...}}` naming the field that tells its members apart (Twilio's `EventType`)"),
            ));
            return;
        };
        let Some(members) = members.as_array() else {
            self.errors.push(Error::spec(
                &at.join(key),
                format!("`{key}` must be a list of schemas"),
            ));
            return;
        };
        for (i, member) in members.iter().enumerate() {
            let Some((member_at, member)) = self.follow(at.join(key).join(&i.to_string()), member)
            else {
                continue;
            };
            let Some(value) = self.tag_value(&member_at, member, &property, &mapping) else {
                continue;
            };
            found.push(Found {
                at: member_at,
                tag: Some((property.clone(), value)),
                json,
            });
        }
    }

    /// The discriminator's `mapping`, by the location each value names.
    fn mapping(
        &mut self,
        at: &Location,
        discriminator: Option<&Value>,
    ) -> BTreeMap<Location, String> {
        let mut by_target = BTreeMap::new();
        let Some(mapping) = discriminator.and_then(|d| d.get("mapping")) else {
            return by_target;
        };
        let mapping_at = at.join("discriminator").join("mapping");
        let Some(mapping) = mapping.as_object() else {
            self.errors.push(Error::spec(
                &mapping_at,
                "`mapping` must map values to `$ref` strings",
            ));
            return by_target;
        };
        let docs = self.docs;
        for (value, reference) in mapping {
            let Some(reference) = reference.as_str() else {
                self.errors.push(Error::spec(&mapping_at.join(value), "a mapping value must be a `$ref` string such as `#/components/schemas/on_message_added`"));
                continue;
            };
            match docs.resolve(&mapping_at.join(value), reference) {
                Ok((target, _)) => {
                    by_target.insert(target, value.clone());
                }
                Err(e) => self.errors.push(e),
            }
        }
        by_target
    }

    /// A member's value of the discriminating field.
    fn tag_value(
        &mut self,
        at: &Location,
        schema: &Value,
        property: &str,
        mapping: &BTreeMap<Location, String>,
    ) -> Option<String> {
        if let Some(value) = mapping.get(at) {
            return Some(value.clone());
        }
        let own = schema.pointer(&format!(
            "/properties/{}/enum",
            crate::error::escape_pointer(property)
        ));
        if let Some(Value::Array(values)) = own {
            if let [Value::String(value)] = values.as_slice() {
                return Some(value.clone());
            }
        }
        if let Some(component) = component_name(at) {
            return Some(component);
        }
        self.errors.push(Error::spec(
            at,
            format!("no value of `{property}` names this event: add it to the discriminator's `mapping`, or give the property a one-value `enum`"),
        ));
        None
    }

    /// Types every body found, once per location, and groups them.
    fn events(&mut self, found: Vec<Found>) -> Callbacks {
        let mut events: Vec<(Location, Event)> = Vec::new();
        for item in found {
            if let Some((_, existing)) = events.iter_mut().find(|(at, _)| *at == item.at) {
                existing.json |= item.json;
                if existing.tag.is_none() {
                    existing.tag = item.tag;
                }
                continue;
            }
            let Some(event) = self.event(&item) else {
                continue;
            };
            if let Some((first, _)) = events.iter().find(|(_, e)| e.name == event.name) {
                self.errors.push(Error::spec(
                    &item.at,
                    format!("two different callback bodies both become the event `{}` (the other is at {first}); give one a distinct `title`", event.name),
                ));
                continue;
            }
            events.push((item.at, event));
        }
        let mut unions: BTreeMap<String, Vec<(String, String, Location)>> = BTreeMap::new();
        for (at, event) in &events {
            if let Some((property, value)) = &event.tag {
                unions.entry(property.clone()).or_default().push((
                    value.clone(),
                    event.name.clone(),
                    at.clone(),
                ));
            }
        }
        let single = unions.len() == 1;
        let mut out = Vec::new();
        for (property, mut members) in unions {
            members.sort();
            for pair in members.windows(2) {
                if pair[0].0 == pair[1].0 {
                    self.errors.push(Error::spec(
                        &pair[1].2,
                        format!("`{property}: {}` names two different callback bodies (the other is at {}); each value must name one event", pair[0].0, pair[0].2),
                    ));
                }
            }
            let name = if single {
                "Event".to_owned()
            } else {
                format!("{}Event", names::type_name(&property))
            };
            if let Err(m) = names::check_type_name(&name) {
                self.errors.push(Error::spec(
                    &members[0].2,
                    format!("the discriminator `{property}` names the enum over its events, and {m}; rename the property"),
                ));
                continue;
            }
            if let Some((at, _)) = events.iter().find(|(_, e)| e.name == name) {
                self.errors.push(Error::spec(
                    at,
                    format!("this callback body becomes `{name}`, the name of the enum over the events; give it another `title`"),
                ));
            }
            let other_variant = ["Other", "Unknown", "OtherEvent"]
                .into_iter()
                .find(|v| !members.iter().any(|(_, n, _)| n == v))
                .unwrap_or("UnknownEvent")
                .to_owned();
            let json = members
                .iter()
                .any(|(_, n, _)| events.iter().any(|(_, e)| e.name == *n && e.json));
            out.push(EventUnion {
                name,
                property,
                variants: members.into_iter().map(|(v, n, _)| (v, n)).collect(),
                other_variant,
                json,
            });
        }
        let mut events: Vec<Event> = events.into_iter().map(|(_, e)| e).collect();
        events.sort_by(|a, b| a.name.cmp(&b.name));
        Callbacks {
            events,
            unions: out,
        }
    }

    /// One body schema → an [`Event`] (errors recorded, `None` returned).
    fn event(&mut self, found: &Found) -> Option<Event> {
        let at = &found.at;
        let docs = self.docs;
        let schema = docs.get(at)?;
        let name = match (
            component_name(at),
            schema.get("title").and_then(Value::as_str),
        ) {
            (_, Some(title)) => names::type_name(title),
            (Some(component), None) => names::component_type_name(&component),
            (None, None) => {
                self.errors.push(Error::spec(
                    at,
                    "an inline callback body needs a `title` (it names the event's struct)",
                ));
                return None;
            }
        };
        if let Err(m) = names::check_type_name(&name) {
            self.errors.push(Error::spec(at, m));
            return None;
        }
        // A name the generated code already uses (`Fields`, `Value`,
        // `Into`, …) gets a suffix, as models get `Model`.
        let name = if crate::reserved::is_reserved_type(&name) {
            format!("{name}Event")
        } else {
            name
        };
        let kind = schema.get("type").and_then(Value::as_str);
        let properties = schema.get("properties").and_then(Value::as_object);
        if kind.is_some_and(|k| k != "object") || (kind.is_none() && properties.is_none()) {
            self.errors.push(Error::spec(
                at,
                "a callback body must be an object schema with `properties` (one per field of the request)",
            ));
            return None;
        }
        let tag_property = found.tag.as_ref().map(|(p, _)| p.as_str());
        let mut fields: Vec<EventField> = Vec::new();
        for (wire, property) in properties.into_iter().flatten() {
            if Some(wire.as_str()) == tag_property {
                continue;
            }
            let prop_at = at.join("properties").join(wire);
            let field_name = match names::field_name(wire) {
                Ok(n) if n == "other" => {
                    self.errors.push(Error::spec(&prop_at, format!("`{wire}` would be the field `other`, which holds the fields the spec does not name; rename it")));
                    continue;
                }
                Ok(n) => n,
                Err(m) => {
                    self.errors.push(Error::spec(&prop_at, m));
                    continue;
                }
            };
            let taken = fields.iter().map(|f| (f.name.as_str(), f.wire.as_str()));
            if let Some(error) = super::field_name_taken(taken, wire, &field_name, &prop_at) {
                self.errors.push(error);
                continue;
            }
            let hint = format!("{name}{}", names::type_name(wire));
            let (ty, info) = match property.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    self.schema_type(Ctx::webhook(), Node::Ref(reference), &prop_at, &hint)
                }
                None => match self.read_schema(&prop_at) {
                    Ok(schema) => {
                        self.schema_type(Ctx::webhook(), Node::Inline(&schema), &prop_at, &hint)
                    }
                    Err(e) => {
                        self.errors.push(e);
                        continue;
                    }
                },
            };
            let (ty, kind) = self.field_kind(ty);
            fields.push(EventField {
                name: field_name,
                wire: wire.clone(),
                doc: info.description,
                ty,
                kind,
                pii: self.pii_schema(&prop_at),
            });
        }
        self.origins.events.insert(name.clone(), at.to_string());
        Some(Event {
            name,
            doc: non_empty(schema.get("description").and_then(Value::as_str)),
            tag: found.tag.clone(),
            fields,
            json: found.json,
        })
    }

    /// How a field's text becomes its type: scalars and enums with
    /// `FromStr`, arrays of them as a repeated key, anything else (objects,
    /// arrays of objects, untyped) as JSON text.
    fn field_kind(&self, ty: Type) -> (Type, EventFieldKind) {
        let scalar = |ty: &Type| match ty {
            Type::String | Type::I32 | Type::I64 | Type::F64 | Type::Bool => true,
            Type::Named(name) => self.names_enum(name),
            _ => false,
        };
        match ty {
            ref t if scalar(t) => (ty, EventFieldKind::Scalar),
            Type::Vec(inner) if scalar(&inner) => (*inner, EventFieldKind::Repeated),
            other => (other, EventFieldKind::JsonText),
        }
    }
}

/// `X` for a location `…#/components/schemas/X`.
fn component_name(at: &Location) -> Option<String> {
    let rest = at.pointer.strip_prefix("/components/schemas/")?;
    (!rest.contains('/')).then(|| rest.replace("~1", "/").replace("~0", "~"))
}

#[cfg(test)]
mod tests {

    use crate::model::{Api, EventFieldKind, Type};
    use crate::Selection;

    /// Two operations whose callbacks share one event; one callback body is
    /// plain text.
    const SPEC: &str = r#"
openapi: 3.0.1
info: {title: T, version: '1'}
servers: [{url: https://api.example.com}]
paths:
  /a:
    post:
      operationId: CreateA
      responses: {'204': {description: ok}}
      callbacks:
        hook:
          '{$request.query.url}':
            post:
              requestBody:
                content:
                  application/x-www-form-urlencoded:
                    schema: {$ref: '#/components/schemas/pinged'}
                  text/plain:
                    schema: {type: string}
              responses: {'200': {description: ok}}
  /b:
    post:
      operationId: CreateB
      responses: {'204': {description: ok}}
      callbacks:
        hook:
          '{$request.query.url}':
            post:
              requestBody:
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/pinged'}
              responses: {'200': {description: ok}}
components:
  schemas:
    pinged:
      type: object
      properties:
        At: {type: string, format: date-time}
        Ids: {type: array, items: {type: integer}}
"#;

    fn api(selection: Selection) -> Api {
        normalise(SPEC, selection).unwrap()
    }

    fn normalise(spec: &str, selection: Selection) -> Result<Api, String> {
        super::super::normalise_text("spec.yaml", spec, &selection).map_err(|e| e.to_string())
    }

    #[test]
    fn an_event_named_like_a_runtime_type_gets_the_suffix_event() {
        // `Verified` is what every event is read from (read from the
        // runtime's source by `reserved`, like every runtime type).
        let spec = SPEC.replace(
            "    pinged:\n      type: object",
            "    pinged:\n      title: Verified\n      type: object",
        );
        let api = normalise(&spec, Selection::default()).unwrap();
        let names: Vec<&str> = api
            .callbacks
            .events
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(names, ["VerifiedEvent"]);
    }

    #[test]
    fn one_schema_under_several_callbacks_is_one_event_with_both_media_types() {
        let api = api(Selection::default());
        let [event] = api.callbacks.events.as_slice() else {
            panic!("{:?}", api.callbacks.events);
        };
        assert_eq!(event.name, "Pinged");
        assert!(event.json, "CreateB sends it as JSON");
        assert_eq!(event.tag, None);
        assert!(api.callbacks.unions.is_empty(), "no discriminator, no enum");
        let kinds: Vec<_> = event
            .fields
            .iter()
            .map(|f| (f.wire.as_str(), &f.ty, f.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("At", &Type::String, EventFieldKind::Scalar),
                ("Ids", &Type::I64, EventFieldKind::Repeated),
            ]
        );
    }

    #[test]
    fn a_body_neither_form_nor_json_is_a_fallback() {
        let api = api(Selection::default());
        let [fallback] = api.fallbacks.as_slice() else {
            panic!("{:?}", api.fallbacks);
        };
        assert_eq!(fallback.operation, "CreateA");
        assert_eq!(
            fallback.at,
            "spec.yaml#/paths/~1a/post/callbacks/hook/{$request.query.url}/post/requestBody/content/text~1plain"
        );
        assert_eq!(
            fallback.what,
            "callback body `text/plain` is not typed (only forms and JSON are)"
        );
    }

    #[test]
    fn only_selected_operations_bring_their_callbacks() {
        let only_b = api(Selection {
            include_operations: vec!["CreateB".into()],
            ..Selection::default()
        });
        assert!(only_b.callbacks.events[0].json);
        assert!(only_b.fallbacks.is_empty());
        let none = api(Selection {
            include_paths: vec!["/none*".into(), "/a".into()],
            exclude_operations: vec!["CreateA".into()],
            ..Selection::default()
        });
        assert!(none.callbacks.is_empty());
    }
}
