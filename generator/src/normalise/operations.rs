//! Paths and operations → [`Operation`]s with their parameters and responses.
//!
//! # Rules
//!
//! **Request parameters and bodies.** Each operation has its path parameters (positional arguments of
//! the request builder and the client method, in declaration order) and one `<OperationId>Params`
//! struct with everything else. In the model (`generator/src/model.rs`) every `Param` knows its
//! *location* (`ParamIn`: path, query, header, form field, body) and its *encoding* (`Encoding`), and an
//! `Operation` knows its `Body` (none, form, JSON, raw):
//!
//! | spec says | Rust field | on the wire |
//! |---|---|---|
//! | scalar or enum (query, form, header, path) | `T` / `Option<T>` | its text (`Display`) |
//! | array of scalars (query, form) | `Vec<T>`, empty = not sent | the key once per value (`Filters=a&Filters=b`) |
//! | array of scalars (path), or any path or query parameter with a `style`/`explode` that writes differently | see [`super::styles`] | OpenAPI 3.0.3's style table |
//! | object (path, query): a struct with scalar properties, or `additionalProperties` of a scalar | the request-shape struct (`Option<T>` when optional) or `BTreeMap<String, T>` (empty = not sent); a path argument takes `&T` | see [`super::styles`] (`R=100&G=200` by default in a query) |
//! | form field that is an object (`type: object`, no type, a `$ref` to an object, `oneOf`, …) | `serde_json::Value` / `Option<Value>` | its JSON text in the one field (`Data={"a":1}`), as twilio-python's `serialize.object` |
//! | form field that is an array of objects | `Vec<Value>` | the key once per value, each as JSON text |
//! | `format: prefixed-collapsible-map-<Prefix>` (query or form) | `BTreeMap<String, Value>`, empty = not sent | one pair per leaf: `<Prefix>.<key>[.<subkey>…]=value`, nested objects add a segment, arrays repeat the key, `null` is left out |
//! | `application/json` body | `body: T` (`Option<T>` if the body is optional: `None` sends no body) | `serde_json` bytes, `Content-Type: application/json` |
//! | any other media type (`text/plain`, …) | `body: Vec<u8>` | the bytes as they are, `Content-Type` the spec's media type; a *fallback* (the CLI prints it) |
//!
//! A body offering both a form and JSON is sent as the form (Twilio's usual); among JSON media types
//! `application/json` wins over `*+json` (iam's `application/scim+json`). In the URL, untyped
//! parameters, arrays of arrays or of objects, and objects with a non-scalar property stay errors
//! (`error_param_not_scalar`).
//!
//! *Request and response agree on types.* A query or form field that the spec leaves a plain string (or
//! list of strings) takes the enum of the same-named field of the model its operation answers with (a
//! list's item): the account-level `Method` of `UpdateConfigurationWebhookParams` is
//! `ConfigurationWebhookMethod`, as in `ConfigurationWebhook`. The wire is the same (an enum writes the
//! value as given, unknown values too), and the setter still takes a `&str`
//! (`normalise/operations.rs`: `type_like_response`; case `form_enum_from_response`).
//!
//! **Headers.** Header parameters (Twilio's `X-Twilio-Webhook-Enabled`) are fields of the operation's
//! `Params` struct, sent with `runtime::form::set_header`, which refuses values with control characters
//! (no header injection). `Accept`, `Content-Type` and `Authorization` parameters are ignored, as OpenAPI
//! 3.0 says; cookie parameters and array-valued headers are errors.
//!
//! **Checks before sending.** `pattern`, `minLength`/`maxLength`, `minimum`/`maximum` and `format: uri`
//! on parameters become checks in `Params::validate()` and the request builders, so
//! `Sid: "WH123"` fails with `invalid Sid: expected a value matching ^WH[0-9a-fA-F]{32}$, found "WH123"`
//! before anything is built. Patterns are checked to compile (with regex-lite, the same engine the
//! generated crate uses) at generation time.
//!
//! **Paths.** Path parameters are percent-encoded as one segment (everything but RFC 3986 unreserved
//! characters), so a unique name like `a/b` or `../x` cannot change the path; `.` and `..` are refused
//! because URL parsers collapse them even when encoded. A path parameter with a style (`label`,
//! `matrix`, an array or object in `simple`; see *Styles* under *Request parameters and bodies*) is
//! refused the same way when its written text is empty or a dot segment.
//!
//! **The account.** A string path parameter whose wire name is, exactly, one of the run's account
//! parameters (`Options::account_params`: `AccountSid` unless `Generator::account_params` or
//! `--account-param` say otherwise) is marked `ParamSource::Account` (`mark_account_params`): it stays
//! in `path_params` and the path template, with its checks and encoding, but is no argument; the
//! request builder writes `Api::account_sid()` there (the credentials' account unless a subaccount is
//! set). A non-string parameter of that name, and query, header or form fields of that name (api_v2010
//! moves a number with a form field `AccountSid`), are not marked.

use std::collections::BTreeMap;

use openapiv3::{
    Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody,
    Response as OaResponse, Schema, SchemaKind, Type as OaType,
};
use serde_json::Value;

use super::context::{Ctx, Side};
use super::schemas::{Node, SchemaInfo};
use super::{non_empty, Normaliser};
use crate::error::{Error, Location};
use crate::model::{
    Body, Encoding, Method, Operation, Param, ParamIn, ParamSource, Params, PathPart, Response,
    Type, TypeDef,
};
use crate::names;
use crate::Selection;

const FORM: &str = "application/x-www-form-urlencoded";

/// An operation found in the document, before its types are worked out.
struct Draft {
    at: Location,
    path: String,
    method: Method,
    op: openapiv3::Operation,
    /// Parameters declared on the path item, shared by its operations.
    shared_params: Vec<(Location, ReferenceOr<Parameter>)>,
    name: String,
}

impl Draft {
    /// The `operationId` (every draft has one: `drafts` checks it).
    fn id(&self) -> &str {
        self.op.operation_id.as_deref().unwrap_or_default()
    }
}

/// The operation ids and function names met so far while walking `paths`,
/// each with where it was first used.
#[derive(Default)]
struct Seen {
    ids: BTreeMap<String, Location>,
    names: BTreeMap<String, (String, Location)>,
}

/// The parameters of a draft, once read.
struct ParamsDraft {
    path: Vec<Param>,
    /// Query, header, form and body parameters, each knowing its location.
    fields: Vec<Param>,
    body: Body,
}

/// The prefix of `format: prefixed-collapsible-map-<Prefix>`.
const PREFIXED_MAP: &str = "prefixed-collapsible-map-";

impl<'a> Normaliser<'a> {
    pub(super) fn operations(&mut self, root: &Location, selection: &Selection) -> Vec<Operation> {
        let drafts = self.drafts(root, selection);
        self.response_components = self.components_of_responses(&drafts);
        // First every request (which also defines the enums forms use), then every
        // response, so untyped response properties can be typed from the forms.
        let mut with_params = Vec::new();
        for draft in drafts {
            match self.params(&draft) {
                Some(params) => {
                    if let Some(model_at) = self.response_model_location(&draft) {
                        let form = params
                            .fields
                            .iter()
                            .filter(|p| p.location == ParamIn::Form)
                            .cloned()
                            .collect();
                        self.form_hints.entry(model_at).or_default().push(form);
                    }
                    with_params.push((draft, params));
                }
                None => continue,
            }
        }
        let mut operations = Vec::new();
        for (draft, mut params) in with_params {
            let Some(mut response) = self.response(&draft) else {
                continue;
            };
            self.type_like_response(&mut params.fields, &response);
            let (page_size, page_token) =
                self.operation_paging(draft.id(), &draft.at, &params.fields, &mut response);
            let Some(segments) = self.segments(&draft, &params.path) else {
                continue;
            };
            self.mark_account_params(&mut params.path);
            let params_struct = if params.fields.is_empty() {
                None
            } else {
                // Named once every model is known (below).
                let name = format!(
                    "{}Params",
                    names::type_name(&draft.op.operation_id.clone().unwrap_or_default())
                );
                let one_of = self.one_of(&draft.at, &params.path, &params.fields);
                Some(Params {
                    name,
                    fields: params.fields,
                    one_of,
                })
            };
            let id = draft.op.operation_id.clone().unwrap_or_default();
            self.origins
                .operations
                .insert(id.clone(), draft.at.to_string());
            operations.push(Operation {
                id,
                name: draft.name.clone(),
                doc: operation_doc(&draft.op),
                method: draft.method,
                path: draft.path.clone(),
                segments,
                path_params: params.path,
                params: params_struct,
                body: params.body,
                response,
                stream: None,
                page_size,
                page_token,
            });
        }
        self.name_module_items(&mut operations);
        operations
    }

    /// The account's path parameters: a string path parameter whose wire
    /// name is, exactly, one of the options' account parameters
    /// (`AccountSid` by default) takes its value from `Api::account_sid()`
    /// instead of an argument. Only a string can hold an account SID; a
    /// parameter of another type keeps its argument.
    fn mark_account_params(&self, path: &mut [Param]) {
        for param in path
            .iter_mut()
            .filter(|p| p.ty == Type::String && self.options.account_params.contains(&p.wire))
        {
            param.source = ParamSource::Account;
        }
    }

    /// Request and response agree on types: a query or form field that the
    /// spec leaves a plain string (or list of strings), where the model the
    /// operation answers with (a list's item) has an enum field of the same
    /// Rust name, takes that enum (Twilio's account-level `Method`). The wire
    /// is the same: the enum writes the value as given and keeps unknown ones.
    fn type_like_response(&self, fields: &mut [Param], response: &Response) {
        let Response::Json { ty, page_item } = response else {
            return;
        };
        let model = page_item.as_ref().unwrap_or(ty);
        let Some(TypeDef::Struct(model)) = model
            .named()
            .and_then(|n| self.types.get(n))
            .map(|(d, _)| d)
        else {
            return;
        };
        let is_enum = |ty: &Type| ty.named().is_some_and(|n| self.names_enum(n));
        for param in fields.iter_mut().filter(|p| {
            matches!(p.location, ParamIn::Query | ParamIn::Form) && p.encoding == Encoding::Plain
        }) {
            let Some(field) = model.fields.iter().find(|f| f.name == param.name) else {
                continue;
            };
            let enum_ty = match (&param.ty, &field.ty) {
                (Type::String, Type::Named(_)) => field.ty.clone(),
                (Type::Vec(item), Type::Vec(theirs))
                    if **item == Type::String && matches!(**theirs, Type::Named(_)) =>
                {
                    field.ty.clone()
                }
                (Type::Vec(item), Type::Named(_)) if **item == Type::String => {
                    Type::Vec(Box::new(field.ty.clone()))
                }
                _ => continue,
            };
            if is_enum(&enum_ty) {
                param.ty = enum_ty;
            }
        }
    }

    /// Walks `paths`, checks operation ids, applies the selection.
    fn drafts(&mut self, root: &Location, selection: &Selection) -> Vec<Draft> {
        let Some((paths_at, paths)) = self.paths(root) else {
            return Vec::new();
        };
        let mut drafts = Vec::new();
        let mut seen = Seen::default();
        for (path, raw_item) in paths {
            let Some((item_at, item)) =
                self.path_item(&paths_at, path, raw_item, selection, &mut seen)
            else {
                continue;
            };
            drafts.extend(self.item_drafts(&item_at, path, &item, selection, &mut seen));
        }
        drafts
    }

    /// The document's `paths` object and where it is, when it has paths.
    fn paths(&mut self, root: &Location) -> Option<(Location, &'a serde_json::Map<String, Value>)> {
        let docs = self.docs;
        let paths_at = root.join("paths");
        match docs.get(&paths_at) {
            Some(Value::Object(paths)) if !paths.is_empty() => Some((paths_at, paths)),
            Some(Value::Object(_)) => {
                self.errors.push(Error::spec(
                    &paths_at,
                    "`paths` is empty, so there is nothing to generate; add at least one path",
                ));
                None
            }
            Some(_) => {
                self.errors.push(Error::spec(
                    &paths_at,
                    "`paths` must be an object mapping paths to path items",
                ));
                None
            }
            None => {
                self.errors.push(Error::spec(
                    root,
                    "the document has no `paths`, so there is nothing to generate",
                ));
                None
            }
        }
    }

    /// The path item of `path` (its `$ref` followed), read, when the
    /// selection includes any of its operations; `None` when it has none to
    /// generate or is wrong (the errors are recorded). The operation ids of
    /// an item left out are still recorded in `seen`, so duplicates are
    /// found whatever the selection.
    fn path_item(
        &mut self,
        paths_at: &Location,
        path: &str,
        raw_item: &'a Value,
        selection: &Selection,
        seen: &mut Seen,
    ) -> Option<(Location, PathItem)> {
        let docs = self.docs;
        let mut item_at = paths_at.join(path);
        let mut raw_item = raw_item;
        if let Some(Value::String(reference)) = raw_item.get("$ref") {
            match docs.resolve(&item_at, reference) {
                Ok((target, value)) => {
                    item_at = target;
                    raw_item = value;
                }
                Err(e) => {
                    self.errors.push(e);
                    return None;
                }
            }
        }
        if !path.starts_with('/') {
            self.errors.push(Error::spec(
                &paths_at.join(path),
                format!("path `{path}` must start with `/`; write it as `/{path}`"),
            ));
            return None;
        }
        if !any_selected(raw_item, path, selection) {
            // Reading a path item costs a deep copy; one with nothing to
            // generate only needs its operation ids checked for duplicates.
            for method in METHODS {
                let id = raw_item
                    .get(method)
                    .and_then(|op| op.get("operationId"))
                    .and_then(Value::as_str);
                if let Some(id) = id.filter(|id| !id.trim().is_empty()) {
                    let at = item_at.join(method).join("operationId");
                    self.first_use_of_id(&mut seen.ids, id, at);
                }
            }
            return None;
        }
        let problems = super::lint::check(raw_item, &item_at, super::lint::Context::Document);
        if !problems.is_empty() {
            self.errors.0.extend(problems);
            return None;
        }
        let item: PathItem = match self.read_as(&item_at, raw_item) {
            Ok(item) => item,
            Err(e) => {
                self.errors.push(e);
                return None;
            }
        };
        for (method_name, _) in [
            ("options", &item.options),
            ("head", &item.head),
            ("trace", &item.trace),
        ]
        .iter()
        .filter(|(_, op)| op.is_some())
        {
            self.errors.push(Error::spec(
                &item_at.join(method_name),
                format!(
                    "`{method_name}` operations are not supported (only get, post, put, patch and delete are); remove it"
                ),
            ));
        }
        Some((item_at, item))
    }

    /// The drafts of the selected operations of one path item.
    fn item_drafts(
        &mut self,
        item_at: &Location,
        path: &str,
        item: &PathItem,
        selection: &Selection,
        seen: &mut Seen,
    ) -> Vec<Draft> {
        let mut drafts = Vec::new();
        let mut servers_checked = false;
        let shared_params: Vec<_> = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (item_at.join("parameters").join(&i.to_string()), p.clone()))
            .collect();
        let methods = [
            ("get", Method::Get, &item.get),
            ("post", Method::Post, &item.post),
            ("put", Method::Put, &item.put),
            ("patch", Method::Patch, &item.patch),
            ("delete", Method::Delete, &item.delete),
        ];
        for (key, method, op) in methods {
            let Some(op) = op else { continue };
            let at = item_at.join(key);
            let Some(id) = op.operation_id.clone().filter(|id| !id.trim().is_empty()) else {
                self.errors.push(Error::spec(&at, "this operation has no `operationId`; add one (it names the generated function)"));
                continue;
            };
            if !self.first_use_of_id(&mut seen.ids, &id, at.join("operationId")) {
                continue;
            }
            if !selection.includes(&id, path, &op.tags) {
                continue;
            }
            if !servers_checked {
                self.check_servers(item_at, &item.servers);
                servers_checked = true;
            }
            self.check_servers(&at, &op.servers);
            let Some(name) = self.unique_function_name(&id, &at, seen) else {
                continue;
            };
            drafts.push(Draft {
                at,
                path: path.to_owned(),
                method,
                op: op.clone(),
                shared_params: shared_params.clone(),
                name,
            });
        }
        drafts
    }

    /// The function name of operation `id` (at `at`), unless another
    /// operation's already is that name (an error, recorded).
    fn unique_function_name(&mut self, id: &str, at: &Location, seen: &mut Seen) -> Option<String> {
        let name = match names::function_name(id) {
            Ok(name) => name,
            Err(m) => {
                self.errors.push(Error::spec(&at.join("operationId"), m));
                return None;
            }
        };
        if let Some((other, first)) = seen.names.get(&name) {
            self.errors.push(Error::spec(&at.join("operationId"), format!("operationId `{id}` and `{other}` (at {first}) both become the function `{name}`; rename one of them")));
            return None;
        }
        seen.names
            .insert(name.clone(), (id.to_owned(), at.join("operationId")));
        Some(name)
    }

    /// Records where operation id `id` is first used; a second use is an
    /// error naming the first. True for the first use.
    fn first_use_of_id(
        &mut self,
        seen_ids: &mut BTreeMap<String, Location>,
        id: &str,
        at: Location,
    ) -> bool {
        if let Some(first) = seen_ids.get(id) {
            self.errors.push(Error::spec(
                &at,
                format!("operationId `{id}` is also used at {first}; operation ids must be unique"),
            ));
            return false;
        }
        seen_ids.insert(id.to_owned(), at);
        true
    }

    /// Twilio repeats the document's server on every path. One that differs
    /// would need a second base URL per client, which the generated crate does
    /// not have, so it is an error rather than silently ignored.
    fn check_servers(&mut self, at: &Location, servers: &[openapiv3::Server]) {
        let Some(first) = servers.first() else {
            return;
        };
        let url = first.url.trim_end_matches('/');
        if url != self.base_url {
            self.errors.push(Error::spec(
                &at.join("servers").join("0").join("url"),
                format!(
                    "this server `{url}` differs from the document's `{}`; the generated client sends every operation to one base URL, so generate this path separately (exclude it here)",
                    self.base_url
                ),
            ));
        }
    }

    /// Reads path, query, header and body parameters. `None` if any was wrong
    /// (the errors are recorded).
    fn params(&mut self, draft: &Draft) -> Option<ParamsDraft> {
        let before = self.errors.len();
        let mut out = ParamsDraft {
            path: Vec::new(),
            fields: Vec::new(),
            body: Body::None,
        };
        let op_hint = names::type_name(draft.id());
        let mut query = Vec::new();
        let mut header = Vec::new();
        for (at, param) in self.declared_params(draft) {
            let Some(built) = self.declared_param(draft.id(), &op_hint, &at, &param) else {
                continue;
            };
            let name = &param.parameter_data_ref().name;
            match built.location {
                ParamIn::Path => out.path.push(built),
                ParamIn::Header if !header_encodable(&built.ty, self) => {
                    self.errors.push(Error::spec(&at.join("schema"), format!("header parameter `{name}` is an array, an object or has no type; a header carries one value, so give it a `type` of string, integer, number or boolean (or an enum)")));
                }
                ParamIn::Header if !is_header_name(name) => {
                    self.errors.push(Error::spec(
                        &at.join("name"),
                        format!(
                            "`{name}` is not a valid HTTP header name; use letters, digits and `-`"
                        ),
                    ));
                }
                ParamIn::Header => header.push(built),
                _ => query.push(built),
            }
        }
        self.mark_param_objects(&out.path.iter().chain(&query).collect::<Vec<_>>());
        out.fields.extend(query);
        out.fields.extend(header);
        if let Some(body) = &draft.op.request_body {
            self.request_body(draft, body, &op_hint, &mut out);
        }
        self.check_param_names(draft, &out);
        (self.errors.len() == before).then_some(out)
    }

    /// The parameters of a draft's operation, its `$ref`s followed: the path
    /// item's, then the operation's own, which override path-item ones of
    /// the same name and place.
    fn declared_params(&mut self, draft: &Draft) -> Vec<(Location, Parameter)> {
        let own: Vec<_> = draft
            .op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (draft.at.join("parameters").join(&i.to_string()), p.clone()))
            .collect();
        let mut all: Vec<(Location, Parameter)> = Vec::new();
        for (at, param) in draft.shared_params.iter().chain(&own) {
            let (at, param) = match param {
                ReferenceOr::Item(p) => (at.clone(), p.clone()),
                ReferenceOr::Reference { reference } => match self.docs.resolve(at, reference) {
                    Ok((target, value)) => match self.read_as::<Parameter>(&target, value) {
                        Ok(p) => (target, p),
                        Err(e) => {
                            self.errors.push(e);
                            continue;
                        }
                    },
                    Err(e) => {
                        self.errors.push(e);
                        continue;
                    }
                },
            };
            let key = |p: &Parameter| {
                (
                    p.parameter_data_ref().name.clone(),
                    std::mem::discriminant(p),
                )
            };
            all.retain(|(_, existing)| key(existing) != key(&param));
            all.push((at, param));
        }
        all
    }

    /// One path, query or header parameter of operation `operation`,
    /// declared at `at`, typed (new types named from `op_hint`) and, in the
    /// URL, given its encoding. `None` for a header the client sets itself
    /// and for a parameter that is wrong (the errors are recorded).
    fn declared_param(
        &mut self,
        operation: &str,
        op_hint: &str,
        at: &Location,
        param: &Parameter,
    ) -> Option<Param> {
        let data = param.parameter_data_ref();
        let schema_node = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => Node::from(schema),
            ParameterSchemaOrContent::Content(_) => {
                self.errors.push(Error::spec(
                    &at.join("content"),
                    "parameters described with `content` are not supported; use `schema`",
                ));
                return None;
            }
        };
        let location = match param {
            Parameter::Path { .. } => ParamIn::Path,
            Parameter::Query { .. } => ParamIn::Query,
            Parameter::Header { .. } => ParamIn::Header,
            Parameter::Cookie { .. } => {
                self.errors.push(Error::spec(&at.join("in"), format!("parameter `{}` is a cookie parameter, which Twilio APIs do not use and this generator does not support; remove it or exclude this operation", data.name)));
                return None;
            }
        };
        // OpenAPI 3.0: these three "SHALL be ignored"; the client sets them.
        if location == ParamIn::Header
            && ["accept", "content-type", "authorization"]
                .contains(&data.name.to_ascii_lowercase().as_str())
        {
            return None;
        }
        let schema_at = at.join("schema");
        let errors_before = self.errors.len();
        let (ty, info, encoding) = match self.prefixed_map(&schema_at) {
            Some(prefix) if location == ParamIn::Query => {
                let info = self.raw_info(&schema_at);
                (
                    Type::Map(Box::new(Type::Json)),
                    info,
                    Encoding::PrefixedMap { prefix },
                )
            }
            _ => {
                let hint = format!("{op_hint}{}", names::type_name(&data.name));
                // An object in the URL is sent, not received: a request
                // type (required fields `T`), like a JSON body's.
                let object = matches!(location, ParamIn::Path | ParamIn::Query)
                    && self.object_param_schema(&schema_at);
                let side = if object { Side::Request } else { Side::Param };
                let ctx = Ctx::operation(operation, side);
                let (ty, info) = self.schema_type(ctx, schema_node, &schema_at, &hint);
                (ty, info, Encoding::Plain)
            }
        };
        let mut built = self.param(
            at,
            &data.name,
            data.description.as_deref(),
            (ty, info),
            data.required,
            (location, encoding),
        )?;
        built.pii = self.pii_param(at);
        self.record_param_origin(operation, &built.name, at);
        if self.errors.len() != errors_before {
            return None;
        }
        if matches!(location, ParamIn::Path | ParamIn::Query) {
            match self.url_encoding(at, &schema_at, &built) {
                Ok(encoding) => built.encoding = encoding,
                Err(e) => {
                    self.errors.push(e);
                    return None;
                }
            }
        }
        Some(built)
    }

    /// Remembers where parameter `name` of `operation` is declared (see
    /// [`crate::model::Origins::params`]).
    fn record_param_origin(&mut self, operation: &str, name: &str, at: &Location) {
        self.origins
            .params
            .insert((operation.to_owned(), name.to_owned()), at.to_string());
    }

    /// Path parameters are arguments and the rest fields of one struct
    /// (`params.x`), so a path parameter and a form field may share a name
    /// (api_v2010 moves a number to another `AccountSid` that way); within
    /// each group, two parameters with one Rust name are an error.
    fn check_param_names(&mut self, draft: &Draft, out: &ParamsDraft) {
        for group in [&out.path, &out.fields] {
            let mut seen: BTreeMap<String, String> = BTreeMap::new();
            for param in group {
                if let Some(other) = seen.insert(param.name.clone(), param.wire.clone()) {
                    self.errors.push(Error::spec(&draft.at, format!("parameters `{other}` and `{}` both become the Rust name `{}`; rename one of them", param.wire, param.name)));
                }
            }
        }
    }

    /// The request body: form fields, a typed JSON value, or (for any other
    /// media type) raw bytes, a documented fallback.
    fn request_body(
        &mut self,
        draft: &Draft,
        body: &ReferenceOr<RequestBody>,
        op_hint: &str,
        out: &mut ParamsDraft,
    ) {
        let mut at = draft.at.join("requestBody");
        let body: RequestBody = match body {
            ReferenceOr::Item(b) => b.clone(),
            ReferenceOr::Reference { reference } => {
                match self.docs.resolve(&at, reference).and_then(|(t, v)| {
                    let body = self.read_as(&t, v)?;
                    Ok((t, body))
                }) {
                    Ok((target, body)) => {
                        at = target;
                        body
                    }
                    Err(e) => {
                        self.errors.push(e);
                        return;
                    }
                }
            }
        };
        let content_at = at.join("content");
        if let Some(media) = body.content.get(FORM) {
            let media_at = content_at.join(FORM);
            self.form_body(draft.id(), media, &media_at, op_hint, out);
            if out.fields.iter().any(|p| p.location == ParamIn::Form) {
                out.body = Body::Form;
            }
            return;
        }
        let json = body
            .content
            .iter()
            .find(|(k, _)| media_essence(k) == "application/json")
            .or_else(|| body.content.iter().find(|(k, _)| is_json(k)));
        let op_id = draft.op.operation_id.clone().unwrap_or_default();
        let doc = non_empty(body.description.as_deref());
        if let Some((media_type, media)) = json {
            let media_at = content_at.join(media_type);
            let Some(schema) = &media.schema else {
                self.errors.push(Error::spec(
                    &media_at,
                    "the JSON body has no `schema`; describe it",
                ));
                return;
            };
            let hint = format!("{op_hint}Request");
            let ctx = Ctx::operation(draft.id(), Side::Request);
            let (ty, info) = self.schema_type(ctx, schema.into(), &media_at.join("schema"), &hint);
            // A `oneOf`/`anyOf`/`allOf` body is a `Value`, recorded as a
            // fallback where the schema is read (schemas.rs).
            let doc = doc.or(info.description.clone());
            out.fields
                .push(body_param(doc, ty, body.required, Encoding::Json));
            out.body = Body::Json;
            return;
        }
        let Some((media_type, _)) = body.content.iter().next() else {
            return;
        };
        if !is_media_type(media_type) {
            self.errors.push(Error::spec(
                &content_at.join(media_type),
                format!("`{media_type}` is not a media type (`type/subtype`, such as `application/json`); fix the key"),
            ));
            return;
        }
        self.fallback(
            &op_id,
            &content_at.join(media_type),
            format!("request body `{media_type}` is not typed: `body` takes the encoded bytes, sent with `Content-Type: {media_type}`"),
        );
        let doc = Some(format!(
            "{}The encoded `{media_type}` body, sent as it is.",
            doc.map(|d| format!("{d}\n\n")).unwrap_or_default()
        ));
        out.fields
            .push(body_param(doc, Type::Bytes, body.required, Encoding::Raw));
        out.body = Body::Raw {
            content_type: media_type.clone(),
        };
    }

    /// The schema of a form body (its `$ref` followed) and where it is;
    /// `None` when it has none or it is wrong (the error is recorded).
    fn form_schema(
        &mut self,
        media: &openapiv3::MediaType,
        media_at: &Location,
    ) -> Option<(Location, Schema)> {
        let Some(schema) = &media.schema else {
            self.errors.push(Error::spec(
                media_at,
                "the form body has no `schema`; describe its fields",
            ));
            return None;
        };
        let schema_at = media_at.join("schema");
        let reference = match schema {
            ReferenceOr::Item(s) => return Some((schema_at, s.clone())),
            ReferenceOr::Reference { reference } => reference,
        };
        let read = self
            .docs
            .resolve(&schema_at, reference)
            .and_then(|(target, _)| Ok((target.clone(), self.read_schema(&target)?)));
        match read {
            Ok(found) => Some(found),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    /// The fields of a form body, one parameter each (location
    /// [`ParamIn::Form`]), added to `out`.
    fn form_body(
        &mut self,
        operation: &str,
        media: &openapiv3::MediaType,
        media_at: &Location,
        op_hint: &str,
        out: &mut ParamsDraft,
    ) {
        let Some((schema_at, schema)) = self.form_schema(media, media_at) else {
            return;
        };
        let (properties, required) = match &schema.schema_kind {
            SchemaKind::Type(OaType::Object(o)) => (&o.properties, &o.required),
            SchemaKind::Any(a) if a.typ.is_none() => (&a.properties, &a.required),
            _ => {
                self.errors.push(Error::spec(
                    &schema_at,
                    "a form body must be an object with `properties`; list its form fields there",
                ));
                return;
            }
        };
        for name in required {
            if !properties.contains_key(name) {
                self.errors.push(Error::spec(
                    &schema_at.join("required"),
                    format!("`{name}` is listed as required but is not among the properties; fix the name or add the property"),
                ));
            }
        }
        let props_at = schema_at.join("properties");
        for (wire, prop) in properties {
            let prop_at = props_at.join(wire);
            let (ty, info, encoding) =
                match (self.prefixed_map(&prop_at), self.object_field(&prop_at)) {
                    (Some(prefix), _) => (
                        Type::Map(Box::new(Type::Json)),
                        self.raw_info(&prop_at),
                        Encoding::PrefixedMap { prefix },
                    ),
                    // An object (or an array of objects) goes as its JSON text,
                    // like Twilio's helper libraries send it.
                    (None, Some(ty)) => (ty, self.raw_info(&prop_at), Encoding::JsonText),
                    (None, None) => {
                        let hint = format!("{op_hint}{}", names::type_name(wire));
                        let ctx = Ctx::operation(operation, Side::Param);
                        let (ty, info) = self.schema_type(ctx, prop.into(), &prop_at, &hint);
                        (ty, info, Encoding::Plain)
                    }
                };
            // Anything else untyped (`oneOf`, say) goes as JSON text too.
            let encoding = match (&encoding, &ty) {
                (Encoding::Plain, Type::Json) => Encoding::JsonText,
                (Encoding::Plain, Type::Vec(inner)) if **inner == Type::Json => Encoding::JsonText,
                _ => encoding,
            };
            if encoding == Encoding::Plain && !form_encodable(&ty, self) {
                self.errors.push(Error::spec(&prop_at, format!("form field `{wire}` cannot be sent in a form as it is (an array of arrays, say); form bodies carry strings, numbers, booleans, enums, objects (as JSON text) and arrays of those")));
                continue;
            }
            let description = info.description.clone();
            if let Some(mut param) = self.param(
                &prop_at,
                wire,
                description.as_deref(),
                (ty, info),
                required.contains(wire),
                (ParamIn::Form, encoding),
            ) {
                param.pii = self.pii_schema(&prop_at);
                self.record_param_origin(operation, &param.name, &prop_at);
                out.fields.push(param);
            }
        }
    }

    /// The schema at `at` after following `$ref`s (a bounded number).
    pub(super) fn resolved_raw(&self, at: &Location) -> Option<(Location, &Value)> {
        let mut at = at.clone();
        let mut value = self.docs.get(&at)?;
        for _ in 0..32 {
            let Some(Value::String(reference)) = value.get("$ref") else {
                return Some((at, value));
            };
            let (target, next) = self.docs.resolve(&at, reference).ok()?;
            at = target;
            value = next;
        }
        None
    }

    /// `Prefix` when the schema at `at` is an object with
    /// `format: prefixed-collapsible-map-Prefix`.
    fn prefixed_map(&self, at: &Location) -> Option<String> {
        let (_, raw) = self.resolved_raw(at)?;
        let prefix = raw.get("format")?.as_str()?.strip_prefix(PREFIXED_MAP)?;
        (!prefix.is_empty()).then(|| prefix.to_owned())
    }

    /// The type of a form field that is an object (`type: object`, or no
    /// type, no enum and no items): `serde_json::Value`, or a `Vec` of it for
    /// an array of objects. `None` for anything else.
    fn object_field(&self, at: &Location) -> Option<Type> {
        let (items_at, raw) = self.resolved_raw(at)?;
        if is_object_schema(raw) {
            return Some(Type::Json);
        }
        if raw.get("type").and_then(Value::as_str) == Some("array") {
            let (_, items) = self.resolved_raw(&items_at.join("items"))?;
            if is_object_schema(items) {
                return Some(Type::Vec(Box::new(Type::Json)));
            }
        }
        None
    }

    /// Description and checks of a schema read without typing it.
    fn raw_info(&mut self, at: &Location) -> SchemaInfo {
        let description = self
            .resolved_raw(at)
            .and_then(|(_, raw)| raw.get("description")?.as_str().map(str::to_owned));
        SchemaInfo {
            description: non_empty(description.as_deref()),
            ..SchemaInfo::default()
        }
    }

    /// Component schemas reachable from any success or error response of
    /// `drafts` (their `$ref`s followed through other schemas).
    fn components_of_responses(&self, drafts: &[Draft]) -> std::collections::BTreeSet<Location> {
        let mut found = std::collections::BTreeSet::new();
        let mut stack: Vec<(Location, &Value)> = drafts
            .iter()
            .filter_map(|d| {
                let at = d.at.join("responses");
                self.docs.get(&at).map(|v| (at, v))
            })
            .collect();
        while let Some((at, value)) = stack.pop() {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(reference)) = map.get("$ref") {
                        if let Ok((target, next)) = self.docs.resolve(&at, reference) {
                            if found.insert(target.clone()) {
                                stack.push((target, next));
                            }
                        }
                    }
                    for (key, child) in map {
                        if key != "$ref" && key != "example" && key != "examples" {
                            stack.push((at.join(key), child));
                        }
                    }
                }
                Value::Array(items) => {
                    for (i, child) in items.iter().enumerate() {
                        stack.push((at.join(&i.to_string()), child));
                    }
                }
                _ => {}
            }
        }
        found
    }

    fn param(
        &mut self,
        at: &Location,
        wire: &str,
        doc: Option<&str>,
        (ty, info): (Type, SchemaInfo),
        required: bool,
        (location, encoding): (ParamIn, Encoding),
    ) -> Option<Param> {
        let named = if location == ParamIn::Path {
            names::argument_name(wire)
        } else {
            names::param_name(wire).map(names::settable_name)
        };
        let name = match named {
            Ok(name) => name,
            Err(m) => {
                self.errors.push(Error::spec(at, m));
                return None;
            }
        };
        if wire.is_empty() {
            self.errors
                .push(Error::spec(at, "a parameter needs a non-empty `name`"));
            return None;
        }
        Some(Param {
            name,
            wire: wire.to_owned(),
            doc: non_empty(doc).or(info.description),
            ty,
            required,
            shape: crate::model::Shape::Optional, // see normalise::shapes
            checks: info.checks,
            location,
            encoding,
            pattern_const: None,
            source: ParamSource::Argument, // see mark_account_params
            pii: false,                    // set by the caller, which knows what `at` is
        })
    }

    /// Splits the path template, matching `{Name}`s to path parameters both ways.
    fn segments(&mut self, draft: &Draft, params: &[Param]) -> Option<Vec<PathPart>> {
        let mut parts = Vec::new();
        let mut used = vec![false; params.len()];
        let mut rest = draft.path.as_str();
        let path_at = draft.at.clone();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.errors.push(Error::spec(
                    &path_at,
                    format!("path `{}` has a `{{` without a matching `}}`; close the parameter name with `}}`", draft.path),
                ));
                return None;
            };
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            match params.iter().position(|p| p.wire == name) {
                Some(i) => {
                    used[i] = true;
                    parts.push(PathPart::Param(i));
                }
                None => {
                    self.errors.push(Error::spec(&path_at, format!("path `{}` uses `{{{name}}}`, but the operation declares no path parameter `{name}`; add it to `parameters` with `in: path`", draft.path)));
                    return None;
                }
            }
            rest = &rest[close + 1..];
        }
        if rest.contains('}') {
            self.errors.push(Error::spec(
                &path_at,
                format!("path `{}` has a `}}` without a matching `{{`; write path parameters as `{{Name}}`", draft.path),
            ));
            return None;
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        for (param, used) in params.iter().zip(used) {
            if !used {
                self.errors.push(Error::spec(&path_at, format!("path parameter `{}` is declared but the path `{}` has no `{{{}}}`; remove it or use it in the path", param.wire, draft.path, param.wire)));
                return None;
            }
        }
        Some(parts)
    }

    /// The success response's JSON schema location, when it is a named model.
    fn response_model_location(&self, draft: &Draft) -> Option<Location> {
        let (status, _) = success(&draft.op)?;
        let at = draft
            .at
            .join("responses")
            .join(&status)
            .join("content")
            .join("application/json")
            .join("schema");
        let reference = self.docs.get(&at)?.get("$ref")?.as_str()?;
        self.docs
            .resolve(&at, reference)
            .ok()
            .map(|(target, _)| target)
    }

    fn response(&mut self, draft: &Draft) -> Option<Response> {
        let responses_at = draft.at.join("responses");
        let Some((status, response)) = success(&draft.op) else {
            if has_redirect(&draft.op) {
                // Only 3xx answers (an OAuth authorize step, a download
                // link): the target is the answer, whatever body comes with it.
                return Some(Response::Redirect);
            }
            self.errors.push(Error::spec(
                &responses_at,
                "the operation has no 2xx response (nor only 3xx redirects); add the success response",
            ));
            return None;
        };
        let mut at = responses_at.join(&status);
        let response: OaResponse = match response {
            ReferenceOr::Item(r) => r.clone(),
            ReferenceOr::Reference { reference } => match self
                .docs
                .resolve(&at, reference)
                .and_then(|(t, v)| Ok((t.clone(), self.read_as(&t, v)?)))
            {
                Ok((target, r)) => {
                    at = target;
                    r
                }
                Err(e) => {
                    self.errors.push(e);
                    return None;
                }
            },
        };
        if response.content.is_empty() {
            return Some(Response::Empty);
        }
        let content_at = at.join("content");
        let id = draft.op.operation_id.clone().unwrap_or_default();
        let Some((media_type, media)) = response.content.iter().find(|(k, _)| is_json(k)) else {
            let types: Vec<&str> = response.content.keys().map(String::as_str).collect();
            let what = format!(
                "response media type {} is not JSON: the body is returned as raw bytes (`Vec<u8>`)",
                types.join(", ")
            );
            self.fallback(&id, &content_at, what);
            return Some(Response::Bytes);
        };
        let media_at = content_at.join(media_type);
        let Some(schema) = &media.schema else {
            self.fallback(
                &id,
                &media_at,
                "the JSON response has no `schema`: the body is returned as `serde_json::Value`",
            );
            return Some(Response::Json {
                ty: Type::Json,
                page_item: None,
            });
        };
        let hint = format!(
            "{}Response",
            names::type_name(&draft.op.operation_id.clone().unwrap_or_default())
        );
        let ctx = Ctx::operation(draft.id(), Side::Response);
        let (ty, _) = self.schema_type(ctx, schema.into(), &media_at.join("schema"), &hint);
        let page_item = match &ty {
            Type::Named(name) => match self.types.get(name) {
                Some((TypeDef::Struct(s), _)) => s.page_items.as_ref().and_then(|items| {
                    s.fields
                        .iter()
                        .find(|f| &f.name == items)
                        .and_then(|f| match &f.ty {
                            Type::Vec(item) => Some((**item).clone()),
                            _ => None,
                        })
                }),
                _ => None,
            },
            _ => None,
        };
        Some(Response::Json { ty, page_item })
    }
}

/// The methods the generator turns into functions.
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Does the selection include any operation of this (raw) path item? Errs on
/// the side of yes when the item is malformed, so its errors are reported.
fn any_selected(raw_item: &Value, path: &str, selection: &Selection) -> bool {
    if *selection == Selection::default() {
        return true;
    }
    let Some(item) = raw_item.as_object() else {
        return true;
    };
    METHODS.iter().filter_map(|m| item.get(*m)).any(|op| {
        let id = op.get("operationId").and_then(Value::as_str);
        let tags = match op.get("tags") {
            None => Some(Vec::new()),
            Some(Value::Array(tags)) => tags
                .iter()
                .map(|t| t.as_str().map(str::to_owned))
                .collect::<Option<Vec<String>>>(),
            Some(_) => None,
        };
        match (id, tags) {
            (Some(id), Some(tags)) => selection.includes(id, path, &tags),
            _ => true,
        }
    })
}

/// The lowest 2xx response.
fn success(op: &openapiv3::Operation) -> Option<(String, &ReferenceOr<OaResponse>)> {
    let mut found: Vec<(u16, String, &ReferenceOr<OaResponse>)> = op
        .responses
        .responses
        .iter()
        .filter_map(|(code, r)| match code {
            openapiv3::StatusCode::Code(c) if (200..300).contains(c) => {
                Some((*c, c.to_string(), r))
            }
            openapiv3::StatusCode::Range(2) => Some((299, "2XX".to_owned(), r)),
            _ => None,
        })
        .collect();
    found.sort_by_key(|(c, _, _)| *c);
    found.into_iter().next().map(|(_, key, r)| (key, r))
}

/// Does the operation answer with a redirect (3xx, or the `3XX` range)?
/// Only asked when it has no 2xx answer.
fn has_redirect(op: &openapiv3::Operation) -> bool {
    op.responses.responses.keys().any(|code| match code {
        openapiv3::StatusCode::Code(c) => (300..400).contains(c),
        openapiv3::StatusCode::Range(r) => *r == 3,
    })
}

/// An RFC 9110 token, the characters a header name may use.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn is_json(media_type: &str) -> bool {
    let essence = media_essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// The media type without parameters (`application/json; charset=utf-8` →
/// `application/json`).
fn media_essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or_default().trim()
}

/// `type/subtype` of RFC 9110 token characters, optionally with `;` parameters
/// (printable ASCII only).
fn is_media_type(media_type: &str) -> bool {
    let mut parts = media_essence(media_type).splitn(2, '/');
    let (Some(kind), Some(subtype)) = (parts.next(), parts.next()) else {
        return false;
    };
    let parameters_ok = media_type
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
    parameters_ok && is_header_name(kind) && is_header_name(subtype)
}

/// An object schema: `type: object`, or no type with nothing that makes it
/// something else (no `enum`, `items` or composition).
fn is_object_schema(raw: &Value) -> bool {
    match raw.get("type").and_then(Value::as_str) {
        Some("object") => true,
        Some(_) => false,
        None => [
            "enum", "items", "oneOf", "anyOf", "allOf", "not", "format", "pattern",
        ]
        .iter()
        .all(|key| raw.get(key).is_none()),
    }
}

/// The one parameter holding a JSON or raw body: the field `body`.
fn body_param(doc: Option<String>, ty: Type, required: bool, encoding: Encoding) -> Param {
    Param {
        name: "body".to_owned(),
        wire: "body".to_owned(),
        doc,
        ty,
        required,
        shape: crate::model::Shape::Optional, // see normalise::shapes
        checks: crate::model::Checks::default(),
        location: ParamIn::Body,
        encoding,
        pattern_const: None,
        source: ParamSource::Argument,
        pii: false, // a body type marks its own fields
    }
}

fn form_encodable(ty: &Type, normaliser: &Normaliser<'_>) -> bool {
    match ty {
        Type::Vec(inner) => !matches!(**inner, Type::Vec(_)) && form_encodable(inner, normaliser),
        Type::Named(name) => normaliser.names_enum(name),
        Type::Json | Type::Map(_) => false,
        _ => true,
    }
}

/// A header carries one scalar.
fn header_encodable(ty: &Type, normaliser: &Normaliser<'_>) -> bool {
    !matches!(ty, Type::Vec(_)) && form_encodable(ty, normaliser)
}

fn operation_doc(op: &openapiv3::Operation) -> Option<String> {
    non_empty(op.description.as_deref()).or_else(|| non_empty(op.summary.as_deref()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use crate::load::Documents;
    use crate::model::{Api, ParamSource};
    use crate::normalise::{normalise_with, Options};
    use crate::Selection;

    /// `{AccountSid}` as a string, `{Account}` as an integer, `{Sid}`.
    const SPEC: &str = r#"openapi: 3.0.3
info: {title: Accounts, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /v1/Accounts/{AccountSid}/Things/{Sid}:
    get:
      operationId: FetchThing
      parameters:
        - {name: AccountSid, in: path, required: true, schema: {type: string}}
        - {name: Sid, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: OK}}
  /v1/Numbered/{Account}:
    get:
      operationId: FetchNumbered
      parameters:
        - {name: Account, in: path, required: true, schema: {type: integer}}
        - {name: AccountSid, in: query, schema: {type: string}}
      responses: {'204': {description: OK}}
"#;

    fn api(account_params: &[&str]) -> Api {
        let file = Path::new("spec.yaml");
        let files = BTreeMap::from([(PathBuf::from(file), SPEC.to_owned())]);
        let (docs, errors) = Documents::load_from_memory(file, &files).unwrap();
        assert!(errors.is_empty(), "{errors}");
        let options = Options {
            account_params: account_params.iter().map(|n| n.to_string()).collect(),
        };
        normalise_with(&docs, &Selection::default(), &options).unwrap()
    }

    /// (operation, path parameter wire names that are arguments, those
    /// filled from the account).
    fn sources(api: &Api) -> Vec<(String, Vec<String>, Vec<String>)> {
        api.operations
            .iter()
            .map(|op| {
                let wires = |source| {
                    op.path_params
                        .iter()
                        .filter(|p| p.source == source)
                        .map(|p| p.wire.clone())
                        .collect()
                };
                (
                    op.id.clone(),
                    wires(ParamSource::Argument),
                    wires(ParamSource::Account),
                )
            })
            .collect()
    }

    fn row(id: &str, arguments: &[&str], account: &[&str]) -> (String, Vec<String>, Vec<String>) {
        let owned = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
        (id.to_owned(), owned(arguments), owned(account))
    }

    #[test]
    fn account_params_are_matched_by_exact_wire_name_among_string_path_params() {
        assert_eq!(
            sources(&api(&["AccountSid"])),
            [
                row("FetchThing", &["Sid"], &["AccountSid"]),
                row("FetchNumbered", &["Account"], &[]),
            ]
        );
        // An integer can hold no account SID; the query `AccountSid` is a field.
        assert_eq!(
            sources(&api(&["Account", "accountsid", "Sid"])),
            [
                row("FetchThing", &["AccountSid"], &["Sid"]),
                row("FetchNumbered", &["Account"], &[]),
            ]
        );
        assert_eq!(
            sources(&api(&[])),
            [
                row("FetchThing", &["AccountSid", "Sid"], &[]),
                row("FetchNumbered", &["Account"], &[]),
            ]
        );
        // The path and its parts stay whole.
        let api = api(&["AccountSid"]);
        assert_eq!(api.operations[0].path_params.len(), 2);
        assert_eq!(api.operations[0].path_args().count(), 1);
        assert!(api.operations[0].has_account_param());
    }
}
