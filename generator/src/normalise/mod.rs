//! OpenAPI documents → the normalised [`Api`] model.
//!
//! Errors are collected, not returned at the first one, so a user sees every
//! problem of a spec in one run.

mod callbacks;
mod context;
mod enums;
pub mod identity;
mod lint;
mod modules;
mod namespace;
mod operations;
mod paging;
mod resources;
mod schemas;
mod shapes;
mod styles;
mod twilio_ext;

use std::collections::BTreeMap;

use openapiv3::SchemaData;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{escape_pointer, Error, Errors, Location};
use crate::load::Documents;
use crate::model::{Api, Fallback, Identity, Origins, Param, TypeDef};
use crate::Selection;

pub use schemas::{KNOWN_STRING_FORMATS, MAX_SCHEMA_DEPTH};

/// The model of one spec file held in memory (`file` names it in errors):
/// the unit tests' way to normalise a small spec. The file must load.
#[cfg(test)]
pub(crate) fn normalise_text(file: &str, text: &str, selection: &Selection) -> Result<Api, Errors> {
    use std::path::{Path, PathBuf};
    let files = BTreeMap::from([(PathBuf::from(file), text.to_owned())]);
    let (docs, errors) = Documents::load_from_memory(Path::new(file), &files).unwrap();
    assert!(errors.is_empty(), "{errors}");
    normalise(&docs, selection)
}

/// The choices of a run that are not in the spec (see
/// [`crate::Generator`]'s setters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The wire names of the path parameters filled from the account the
    /// `Api` acts for instead of an argument
    /// ([`crate::model::ParamSource::Account`]); default `["AccountSid"]`.
    pub account_params: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            account_params: vec![DEFAULT_ACCOUNT_PARAM.to_owned()],
        }
    }
}

/// The account parameter of Twilio's APIs: api_v2010's
/// `/2010-04-01/Accounts/{AccountSid}/...`.
pub const DEFAULT_ACCOUNT_PARAM: &str = "AccountSid";

/// Builds the model of every selected operation in `docs`, with the default
/// [`Options`].
pub fn normalise(docs: &Documents, selection: &Selection) -> Result<Api, Errors> {
    normalise_with(docs, selection, &Options::default())
}

/// Builds the model of every selected operation in `docs`.
pub fn normalise_with(
    docs: &Documents,
    selection: &Selection,
    options: &Options,
) -> Result<Api, Errors> {
    let mut normaliser = Normaliser {
        docs,
        options,
        errors: Errors::default(),
        types: BTreeMap::new(),
        component_names: BTreeMap::new(),
        component_modules: modules::colliding_components(docs),
        form_hints: BTreeMap::new(),
        base_url: String::new(),
        fallbacks: Vec::new(),
        request_component_names: BTreeMap::new(),
        response_components: std::collections::BTreeSet::new(),
        origins: Origins::default(),
        inline_names: BTreeMap::new(),
    };
    let root_at = Location::new(docs.root_path(), "");
    if let Err(error) = check_version(docs.root(), &root_at) {
        return Err(error.into());
    }
    normaliser
        .errors
        .0
        .extend(check_info(docs.root(), &root_at));
    let title = docs
        .root()
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("API client")
        .to_owned();
    let (base_url, origin) = match identity::default_server(docs, &root_at) {
        Ok(server) => server,
        Err(no_server) => {
            normaliser.fallbacks.push(no_server.fallback());
            identity::NoServer::base_url()
        }
    };
    let package = identity::package_name(docs).unwrap_or_else(|error| {
        normaliser.errors.push(error);
        String::new()
    });
    // Path servers are compared with the document's as written.
    normaliser.base_url = identity::document_server(docs, &root_at)
        .map(|(url, _)| url)
        .unwrap_or_default();
    let operations = normaliser.operations(&root_at, selection);
    let callbacks = normaliser.callbacks(&root_at, &operations);
    if !normaliser.errors.is_empty() {
        return Err(dedupe(normaliser.errors));
    }
    let mut fallbacks = normaliser.fallbacks;
    fallbacks.sort();
    fallbacks.dedup();
    let mut origins = normaliser.origins;
    for (name, (_, at)) in &normaliser.types {
        origins.types.insert(name.clone(), at.to_string());
    }
    let aliases = schemas::aliases(&normaliser.types, &normaliser.inline_names);
    let types = normaliser.types.into_values().map(|(def, _)| def).collect();
    let mut api = Api {
        identity: Identity {
            keywords: identity::keywords(&package),
            package,
            description: docs
                .root()
                .pointer("/info/description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            origin,
            example_operation: None,
        },
        title,
        base_url,
        types,
        operations,
        resources: Vec::new(),
        fallbacks,
        callbacks,
        origins,
        aliases,
    };
    api.identity.example_operation = identity::example_operation(&api);
    api.resources = resources::group(&api.operations);
    shapes::decide(&mut api);
    twilio_ext::met_groups_dropped(&mut api);
    Ok(api)
}

/// Only OpenAPI 3.0.x is read; anything else gets one clear error.
fn check_version(root: &Value, at: &Location) -> Result<(), Error> {
    let Some(object) = root.as_object() else {
        return Err(Error::spec(
            at,
            "the root document must be an object (an OpenAPI 3.0 document)",
        ));
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(Error::spec(
            &at.join("swagger"),
            format!("this is a Swagger {swagger} document; only OpenAPI 3.0.x is supported. Convert it first (for example with swagger2openapi)"),
        ));
    }
    match object.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => Ok(()),
        Some(Value::String(v)) if v.starts_with("3.1") => Err(Error::spec(
            &at.join("openapi"),
            format!("OpenAPI {v} is not supported; only OpenAPI 3.0.x is (3.1 changed how `nullable` and types are written). Use the 3.0 version of the document, or convert it"),
        )),
        Some(Value::String(v)) => Err(Error::spec(
            &at.join("openapi"),
            format!("`openapi: {v}` is not a supported version; only OpenAPI 3.0.x is (write `openapi: 3.0.3`, say, if the document is OpenAPI 3.0)"),
        )),
        Some(other) => Err(Error::spec(
            &at.join("openapi"),
            format!("`openapi` must be the version as a string, found {}; write it quoted, such as `openapi: '3.0.3'` (only OpenAPI 3.0.x is supported)", lint::kind(other)),
        )),
        None => Err(Error::spec(
            at,
            "this is not an OpenAPI document: it has no `openapi` field (expected `openapi: 3.0.x` at the top)",
        )),
    }
}

/// `info` with its `title` and `version`: OpenAPI requires them, and the title
/// becomes the crate's description.
fn check_info(root: &Value, at: &Location) -> Vec<Error> {
    let info_at = at.join("info");
    let Some(info) = root.get("info") else {
        return vec![Error::spec(
            at,
            "the document has no `info`; add `info: {title: ..., version: ...}` at the top (the title becomes the crate's description)",
        )];
    };
    let Some(info) = info.as_object() else {
        return vec![Error::spec(
            &info_at,
            format!(
                "`info` must be an object with `title` and `version`, found {}",
                lint::kind(info)
            ),
        )];
    };
    let mut errors = Vec::new();
    for key in ["title", "version"] {
        match info.get(key) {
            Some(Value::String(_)) => {}
            Some(other) => errors.push(Error::spec(
                &info_at.join(key),
                format!(
                    "`info.{key}` must be a string, found {}; quote it",
                    lint::kind(other)
                ),
            )),
            None => errors.push(Error::spec(
                &info_at,
                format!("`info` has no `{key}`; add one"),
            )),
        }
    }
    errors
}

/// One mistake reached from several places (a shared schema) is reported once.
fn dedupe(errors: Errors) -> Errors {
    let mut seen = std::collections::BTreeSet::new();
    Errors(
        errors
            .0
            .into_iter()
            .filter(|e| seen.insert(e.to_string()))
            .collect(),
    )
}

/// What the normaliser has read and decided so far: the types, the caches
/// of component names, the fallbacks and errors. Where a schema is being
/// read (request or response, which operation, how deep) is not kept here
/// but passed to each call as a [`context::Ctx`], so no call depends on
/// what an earlier one left set.
pub(crate) struct Normaliser<'a> {
    docs: &'a Documents,
    /// The run's choices that are not in the spec.
    options: &'a Options,
    errors: Errors,
    /// Named types by Rust name, with where each was first defined.
    types: BTreeMap<String, (TypeDef, Location)>,
    /// Rust names of component schemas already converted, by location.
    component_names: BTreeMap<Location, String>,
    /// Names of component schemas whose plain names collide, by location
    /// (see `modules`).
    component_modules: BTreeMap<Location, String>,
    /// Form fields of the requests answering with each response model,
    /// used to type untyped properties.
    form_hints: BTreeMap<Location, Vec<Vec<Param>>>,
    /// Where every operation is sent (see [`Api::base_url`]).
    base_url: String,
    /// See [`Api::fallbacks`].
    fallbacks: Vec<Fallback>,
    /// Like `component_names`, for the request shape of component schemas.
    request_component_names: BTreeMap<Location, String>,
    /// Component schemas some response refers to (directly or through other
    /// schemas): their request shape needs a name of its own.
    response_components: std::collections::BTreeSet<Location>,
    /// See [`Api::origins`].
    origins: Origins,
    /// For each place that refers to a `*_enum_*` component: the name an
    /// inline enum there would have had, and the name the component got
    /// (see `schemas::aliases`).
    inline_names: BTreeMap<String, String>,
}

impl Normaliser<'_> {
    /// `name` is a type defined so far, and an enum.
    fn names_enum(&self, name: &str) -> bool {
        matches!(self.types.get(name), Some((TypeDef::Enum(_), _)))
    }

    /// Records that `operation` was generated with a fallback at `at`
    /// (see [`Api::fallbacks`]); `what` says what was done instead.
    pub(crate) fn fallback(&mut self, operation: &str, at: &Location, what: impl Into<String>) {
        self.fallbacks.push(Fallback {
            operation: operation.to_owned(),
            at: at.to_string(),
            what: what.into(),
        });
    }

    /// Deserializes `value` (found at `at`) as an openapiv3 type, naming the exact
    /// place where it does not fit.
    fn read_as<T: DeserializeOwned>(&self, at: &Location, value: &Value) -> Result<T, Error> {
        let what = std::any::type_name::<T>();
        let context = if what == std::any::type_name::<openapiv3::Schema>() {
            lint::Context::Schema
        } else if what == std::any::type_name::<openapiv3::Parameter>() {
            lint::Context::Parameter
        } else {
            lint::Context::Document
        };
        if let Some(error) = lint::too_deep(value, at) {
            return Err(error);
        }
        if let Some(first) = lint::check(value, at, context).into_iter().next() {
            return Err(first);
        }
        serde_path_to_error::deserialize(value.clone()).map_err(|e| {
            let mut pointer = at.pointer.clone();
            for segment in e.path().iter() {
                use serde_path_to_error::Segment;
                match segment {
                    Segment::Map { key } => {
                        pointer.push('/');
                        pointer.push_str(&escape_pointer(key));
                    }
                    Segment::Seq { index } => {
                        pointer.push('/');
                        pointer.push_str(&index.to_string());
                    }
                    Segment::Enum { .. } | Segment::Unknown => {}
                }
            }
            let what = match what.rsplit("::").next().unwrap_or(what) {
                "PathItem" => "path item",
                "RequestBody" => "request body",
                "Parameter" => "parameter",
                "Response" => "response",
                "Schema" => "schema",
                other => other,
            };
            let inner = e.into_inner().to_string();
            let inner = inner
                .replace("data did not match any variant of untagged enum ReferenceOr", "it is neither a `$ref` nor a valid object of this kind")
                .replace("data did not match any variant of untagged enum", "no form of it matches:");
            Error::spec(
                &Location::new(&at.file, pointer),
                format!("this is not a valid OpenAPI {what}: {inner}; compare it with the OpenAPI 3.0 description of {what} objects"),
            )
        })
    }
}

/// The error for a property whose Rust field name `name` an earlier property
/// (`taken`: its Rust name and wire name) already has: one rule for models,
/// request bodies and webhook events.
fn field_name_taken<'a>(
    taken: impl IntoIterator<Item = (&'a str, &'a str)>,
    wire: &str,
    name: &str,
    at: &Location,
) -> Option<Error> {
    let (_, clash) = taken.into_iter().find(|(taken, _)| *taken == name)?;
    Some(Error::spec(
        at,
        format!("`{wire}` and `{clash}` both become the Rust field `{name}`; rename one of them"),
    ))
}

/// A schema's description, trimmed; `None` when empty.
fn description(data: &SchemaData) -> Option<String> {
    non_empty(data.description.as_deref())
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}
