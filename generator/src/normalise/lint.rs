//! Checks on the raw documents, before openapiv3 reads them.
//!
//! openapiv3 reads most objects through untagged enums, so a wrong value deep in
//! an operation comes back as "data did not match any variant" at the operation,
//! or is silently read as something else (`enum: []` as a plain string, `$ref: 42`
//! as an empty schema). These checks walk the JSON and say exactly which key is
//! wrong, where, and what it should be.

use serde_json::Value;

use crate::error::{Error, Location};

/// What the value being checked is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Context {
    /// A path item, operation, parameter, request body, response, … (a schema
    /// is found under `schema`).
    Document,
    /// A schema.
    Schema,
    /// A parameter.
    Parameter,
}

/// Every problem found under `value` (which is at `at`).
pub(super) fn check(value: &Value, at: &Location, context: Context) -> Vec<Error> {
    let mut errors = Vec::new();
    match context {
        Context::Document => document(value, at, &mut errors),
        Context::Schema => schema(value, at, &mut errors),
        Context::Parameter => parameter(value, at, &mut errors),
    }
    errors
}

/// How deep a value handed to openapiv3 may nest (objects and lists inside
/// each other): its deserialisers recurse several frames per level, and past
/// about 100 levels they overflow a 2 MiB thread's stack in a debug build.
/// 64 levels hold a schema nested [`super::MAX_SCHEMA_DEPTH`] levels inline
/// (each level is two: the schema and its `properties` or `items` key);
/// Twilio's whole documents nest at most 22.
pub(super) const MAX_VALUE_DEPTH: usize = 64;

/// An error when `value` (at `at`) nests deeper than [`MAX_VALUE_DEPTH`],
/// naming the first node that is too deep. Iterative, so it cannot overflow.
pub(super) fn too_deep(value: &Value, at: &Location) -> Option<Error> {
    if depth_of(value) <= MAX_VALUE_DEPTH {
        return None;
    }
    // Find the place, following the deepest branch.
    let mut place = at.clone();
    let mut node = value;
    for _ in 0..=MAX_VALUE_DEPTH {
        let next = match node {
            Value::Object(map) => map
                .iter()
                .max_by_key(|(_, v)| depth_of(v))
                .map(|(k, v)| (k.clone(), v)),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .max_by_key(|(_, v)| depth_of(v))
                .map(|(i, v)| (i.to_string(), v)),
            _ => None,
        };
        let Some((key, child)) = next else { break };
        place = place.join(&key);
        node = child;
    }
    Some(Error::spec(
        &place,
        format!("this is nested more than {MAX_VALUE_DEPTH} levels deep inside one schema, parameter or operation (objects and lists inside each other), more than the generator reads; move inner schemas to `components/schemas` and refer to them with `$ref`"),
    ))
}

/// The nesting depth of a value, iteratively.
fn depth_of(value: &Value) -> usize {
    let mut stack = vec![(value, 0usize)];
    let mut deepest = 0;
    while let Some((value, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match value {
            Value::Object(map) => stack.extend(map.values().map(|v| (v, depth + 1))),
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    deepest
}

/// Keys whose values are free-form (examples) or vendor extensions: not checked.
fn free_form(key: &str) -> bool {
    key == "example" || key == "examples" || key == "default" || key.starts_with("x-")
}

fn document(value: &Value, at: &Location, errors: &mut Vec<Error>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                check_ref(reference, at, errors);
                return;
            }
            for (key, child) in map {
                let child_at = at.join(key);
                match key.as_str() {
                    k if free_form(k) => {}
                    "schema" => schema(child, &child_at, errors),
                    "parameters" => match child {
                        Value::Array(items) => {
                            for (i, item) in items.iter().enumerate() {
                                parameter(item, &child_at.join(&i.to_string()), errors);
                            }
                        }
                        other => errors.push(Error::spec(
                            &child_at,
                            format!("`parameters` must be a list of parameters, found {}; write each parameter as a `- name: ...` item", kind(other)),
                        )),
                    },
                    "operationId" | "summary" | "description" => {
                        expect_string(key, child, &child_at, errors)
                    }
                    _ => document(child, &child_at, errors),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                document(item, &at.join(&i.to_string()), errors);
            }
        }
        _ => {}
    }
}

fn parameter(value: &Value, at: &Location, errors: &mut Vec<Error>) {
    let Some(map) = value.as_object() else {
        errors.push(Error::spec(
            at,
            format!(
                "a parameter must be an object with `name`, `in` and `schema`, found {}",
                kind(value)
            ),
        ));
        return;
    };
    if let Some(reference) = map.get("$ref") {
        check_ref(reference, at, errors);
        return;
    }
    match map.get("name") {
        Some(Value::String(_)) => {}
        Some(other) => errors.push(Error::spec(
            &at.join("name"),
            format!(
                "a parameter's `name` must be a string, found {}",
                kind(other)
            ),
        )),
        None => errors.push(Error::spec(
            at,
            "this parameter has no `name`; add the name it has on the wire",
        )),
    }
    match map.get("in") {
        Some(Value::String(place)) if ["path", "query", "header", "cookie"].contains(&place.as_str()) => {}
        Some(Value::String(place)) if place == "body" || place == "formData" => errors.push(Error::spec(
            &at.join("in"),
            format!("`in: {place}` is Swagger 2.0; in OpenAPI 3.0 a body is the operation's `requestBody`"),
        )),
        Some(other) => errors.push(Error::spec(
            &at.join("in"),
            format!("`in` must be one of path, query, header or cookie, found {}", kind(other)),
        )),
        None => errors.push(Error::spec(
            at,
            "this parameter has no `in`; say where it goes: path, query, header or cookie",
        )),
    }
    if let Some(style) = map.get("style") {
        check_style(
            style,
            map.get("in").and_then(Value::as_str),
            &at.join("style"),
            errors,
        );
    }
    if !map.contains_key("schema") && !map.contains_key("content") {
        errors.push(Error::spec(
            at,
            "this parameter has no `schema`; add one (for example `schema: {type: string}`)",
        ));
    }
    for flag in [
        "required",
        "deprecated",
        "allowEmptyValue",
        "explode",
        "allowReserved",
    ] {
        if let Some(v) = map.get(flag) {
            expect_bool(flag, v, &at.join(flag), errors);
        }
    }
    document(value, at, errors);
}

/// The styles OpenAPI 3.0 defines for each parameter location.
const STYLES: [(&str, &[&str]); 4] = [
    ("path", &["simple", "label", "matrix"]),
    (
        "query",
        &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
    ),
    ("header", &["simple"]),
    ("cookie", &["form"]),
];

/// `style` names a style OpenAPI 3.0 defines for the parameter's `in`
/// (openapiv3 would only say the parameter matched no variant).
fn check_style(style: &Value, place: Option<&str>, at: &Location, errors: &mut Vec<Error>) {
    let Value::String(name) = style else {
        errors.push(Error::spec(
            at,
            format!(
                "`style` must be a string naming a style (such as `form` or `simple`), found {}",
                kind(style)
            ),
        ));
        return;
    };
    let known = STYLES
        .iter()
        .any(|(_, names)| names.contains(&name.as_str()));
    if !known {
        errors.push(Error::spec(
            at,
            format!("`style: {name}` is not an OpenAPI 3.0 style; use one of matrix, label, form, simple, spaceDelimited, pipeDelimited or deepObject (names are case-sensitive)"),
        ));
        return;
    }
    let Some((place, names)) = STYLES.iter().find(|(p, _)| Some(*p) == place) else {
        return;
    };
    if !names.contains(&name.as_str()) {
        errors.push(Error::spec(
            at,
            format!("`style: {name}` is not defined for {place} parameters; a {place} parameter takes {}", names.join(", ")),
        ));
    }
}

fn check_ref(reference: &Value, at: &Location, errors: &mut Vec<Error>) {
    if !reference.is_string() {
        errors.push(Error::spec(
            &at.join("$ref"),
            format!("`$ref` must be a string such as '#/components/schemas/name' or 'other.yaml#/name', found {}", kind(reference)),
        ));
    }
}

const SCHEMA_BOOLS: [&str; 7] = [
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "uniqueItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
];
const SCHEMA_STRINGS: [&str; 4] = ["format", "pattern", "title", "description"];
const SCHEMA_NUMBERS: [&str; 3] = ["minimum", "maximum", "multipleOf"];
const SCHEMA_COUNTS: [&str; 6] = [
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

fn schema(value: &Value, at: &Location, errors: &mut Vec<Error>) {
    let Some(map) = value.as_object() else {
        errors.push(Error::spec(
            at,
            format!(
                "a schema must be an object (for example `{{type: string}}`), found {}",
                kind(value)
            ),
        ));
        return;
    };
    if let Some(reference) = map.get("$ref") {
        check_ref(reference, at, errors);
        return;
    }
    type_and_enum(map, at, errors);
    scalar_keys(map, at, errors);
    subschemas(map, at, errors);
}

/// A schema's `type` (one name, not `null`) and `enum` (a non-empty list).
fn type_and_enum(map: &serde_json::Map<String, Value>, at: &Location, errors: &mut Vec<Error>) {
    if let Some(ty) = map.get("type") {
        match ty {
            Value::String(name) if name == "null" => errors.push(Error::spec(
                &at.join("type"),
                "`type: null` is not an OpenAPI 3.0 type; for a value that may be null, write its real type and `nullable: true`",
            )),
            Value::String(_) => {}
            Value::Array(_) => errors.push(Error::spec(
                &at.join("type"),
                format!("`type` must be one type name such as `string` or `object`, found the list {ty}; OpenAPI 3.0 has no type lists (write `nullable: true` for null)"),
            )),
            other => errors.push(Error::spec(
                &at.join("type"),
                format!("`type` must be a string, found {}; write one of string, integer, number, boolean, array, object", kind(other)),
            )),
        }
    }
    if let Some(values) = map.get("enum") {
        match values {
            Value::Array(items) if items.is_empty() => errors.push(Error::spec(
                &at.join("enum"),
                "`enum` is empty, so no value would be valid; list at least one value or remove `enum`",
            )),
            Value::Array(_) => {}
            other => errors.push(Error::spec(
                &at.join("enum"),
                format!("`enum` must be a list of values, found {}; write it as `enum: [a, b]`", kind(other)),
            )),
        }
    }
}

/// The keys whose values are booleans, strings, numbers and counts, and
/// `required`.
fn scalar_keys(map: &serde_json::Map<String, Value>, at: &Location, errors: &mut Vec<Error>) {
    for key in SCHEMA_BOOLS {
        if let Some(v) = map.get(key) {
            expect_bool(key, v, &at.join(key), errors);
        }
    }
    for key in SCHEMA_STRINGS {
        if let Some(v) = map.get(key) {
            expect_string(key, v, &at.join(key), errors);
        }
    }
    for key in SCHEMA_NUMBERS {
        if let Some(v) = map.get(key) {
            if !v.is_number() {
                errors.push(Error::spec(
                    &at.join(key),
                    format!("`{key}` must be a number, found {}", kind(v)),
                ));
            }
        }
    }
    for key in SCHEMA_COUNTS {
        if let Some(v) = map.get(key) {
            if !v.is_u64() {
                errors.push(Error::spec(
                    &at.join(key),
                    format!(
                        "`{key}` must be a whole number of 0 or more, found {}",
                        kind(v)
                    ),
                ));
            }
        }
    }
    if let Some(required) = map.get("required") {
        let ok = required
            .as_array()
            .is_some_and(|names| names.iter().all(Value::is_string));
        if !ok {
            errors.push(Error::spec(
                &at.join("required"),
                format!("a schema's `required` must be a list of property names, found {}; (`required: true` is for parameters)", kind(required)),
            ));
        }
    }
}

/// The schemas inside a schema: `properties`, `items`, `not`,
/// `additionalProperties`, `allOf`, `oneOf` and `anyOf`.
fn subschemas(map: &serde_json::Map<String, Value>, at: &Location, errors: &mut Vec<Error>) {
    if let Some(properties) = map.get("properties") {
        match properties {
            Value::Object(properties) => {
                let props_at = at.join("properties");
                for (name, property) in properties {
                    schema(property, &props_at.join(name), errors);
                }
            }
            other => errors.push(Error::spec(
                &at.join("properties"),
                format!(
                    "`properties` must map property names to schemas, found {}",
                    kind(other)
                ),
            )),
        }
    }
    if let Some(items) = map.get("items") {
        schema(items, &at.join("items"), errors);
    }
    if let Some(not) = map.get("not") {
        schema(not, &at.join("not"), errors);
    }
    match map.get("additionalProperties") {
        None | Some(Value::Bool(_)) => {}
        Some(extra) => schema(extra, &at.join("additionalProperties"), errors),
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        match map.get(key) {
            None => {}
            Some(Value::Array(items)) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    schema(item, &at.join(key).join(&i.to_string()), errors);
                }
            }
            Some(other) => errors.push(Error::spec(
                &at.join(key),
                format!(
                    "`{key}` must be a non-empty list of schemas, found {}",
                    kind(other)
                ),
            )),
        }
    }
}

fn expect_bool(key: &str, value: &Value, at: &Location, errors: &mut Vec<Error>) {
    if !value.is_boolean() {
        errors.push(Error::spec(
            at,
            format!("`{key}` must be `true` or `false`, found {}", kind(value)),
        ));
    }
}

fn expect_string(key: &str, value: &Value, at: &Location, errors: &mut Vec<Error>) {
    if !value.is_string() {
        errors.push(Error::spec(
            at,
            format!("`{key}` must be a string, found {}; quote it", kind(value)),
        ));
    }
}

/// A value described for a message: `the number 5`, `the string "yes"`, `a list`.
pub(super) fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null (nothing)".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => {
            let shown: String = s.chars().take(40).collect();
            let more = if shown.len() < s.len() { "…" } else { "" };
            format!("the string {:?}", format!("{shown}{more}"))
        }
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}
