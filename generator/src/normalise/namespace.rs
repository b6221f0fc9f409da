//! The names of generated items that share a module with other generated
//! items and can only be chosen once every operation is read: the
//! `*Params` structs and the pattern statics of the requests module, and
//! the client's auto-paging methods.
//!
//! Each is checked against every other name of its module and against the
//! names generated code already uses ([`crate::reserved`]); a name that is
//! taken gets a deterministic suffix, never a compile error. The emitters
//! print the names decided here.

use std::collections::{BTreeMap, BTreeSet};

use super::Normaliser;
use crate::model::{Operation, Param, Response};
use crate::names;
use crate::reserved;

impl Normaliser<'_> {
    /// Names the items of `operations` that other names can take:
    /// parameters structs first (their names join the requests module's),
    /// then streams, then pattern statics.
    pub(super) fn name_module_items(&self, operations: &mut [Operation]) {
        self.name_params_structs(operations);
        name_streams(operations);
        let module = self.requests_module_names(operations);
        name_patterns(operations, &module);
    }

    /// A parameters struct is `<OperationId>Params`; when a model (or an
    /// earlier parameters struct) already has that name, it takes the first
    /// free numbered one (`<OperationId>Params2`), since the spec's names
    /// come first. A reserved name ([`crate::reserved::is_reserved_type`])
    /// counts as taken.
    fn name_params_structs(&self, operations: &mut [Operation]) {
        let mut taken: BTreeSet<String> = self.types.keys().cloned().collect();
        let is_free = |name: &str, taken: &BTreeSet<String>| {
            !taken.contains(name) && !reserved::is_reserved_type(name)
        };
        for params in operations.iter_mut().filter_map(|op| op.params.as_mut()) {
            let mut n = 1;
            while !is_free(&names::numbered(&params.name, n), &taken) {
                n += 1;
            }
            params.name = names::numbered(&params.name, n);
            taken.insert(params.name.clone());
        }
    }

    /// The names the requests module defines or imports besides its pattern
    /// statics: the request builders, the parameters structs and the models
    /// (with the modules that hold some of them). Reserved names are asked
    /// of [`crate::reserved`] separately.
    fn requests_module_names(&self, operations: &[Operation]) -> BTreeSet<String> {
        let builders = operations.iter().map(|op| op.name.clone());
        let params = operations
            .iter()
            .filter_map(|op| op.params.as_ref().map(|p| p.name.clone()));
        let models = self.types.keys().flat_map(|name| {
            let (module, own) = names::split_qualified(name);
            module.into_iter().chain([own]).map(str::to_owned)
        });
        builders.chain(params).chain(models).collect()
    }
}

/// Names the auto-paging `Client` method of every list operation
/// ([`names::stream_name`]), a `_` added while the name is another
/// operation's function, another stream or a reserved name (so
/// `ListThing` beside an operation `ListThingStream` gets
/// `list_thing_stream_`).
fn name_streams(operations: &mut [Operation]) {
    let mut taken: BTreeSet<String> = operations.iter().map(|o| o.name.clone()).collect();
    for op in operations.iter_mut() {
        if !matches!(
            op.response,
            Response::Json {
                page_item: Some(_),
                ..
            }
        ) {
            continue;
        }
        let mut name = names::stream_name(&op.name);
        while taken.contains(&name) || reserved::is_reserved_function(&name) {
            name.push('_');
        }
        taken.insert(name.clone());
        op.stream = Some(name);
    }
}

/// Names the `static` of every parameter's pattern
/// ([`Param::pattern_const`]): one per distinct regex, named after the
/// first parameter that uses it (operations in order, path parameters
/// first), [`names::pattern_const`] with the first `n` whose name is free:
/// not another pattern's, not in `module` (the other names of the requests
/// module) and not reserved (a type, function or constant generated code
/// already uses).
fn name_patterns(operations: &mut [Operation], module: &BTreeSet<String>) {
    let mut by_regex: BTreeMap<String, String> = BTreeMap::new();
    let mut taken = module.clone();
    let is_free = |name: &str, taken: &BTreeSet<String>| {
        !taken.contains(name)
            && !reserved::is_reserved_type(name)
            && !reserved::is_reserved_function(name)
            && !reserved::is_reserved_constant(name)
    };
    for param in operations.iter_mut().flat_map(params_mut) {
        let Some(regex) = &param.checks.pattern else {
            continue;
        };
        let name = by_regex.entry(regex.clone()).or_insert_with(|| {
            let mut n = 1;
            while !is_free(&names::pattern_const(&param.wire, n), &taken) {
                n += 1;
            }
            let name = names::pattern_const(&param.wire, n);
            taken.insert(name.clone());
            name
        });
        param.pattern_const = Some(name.clone());
    }
}

/// An operation's path parameters, then the fields of its parameters struct.
fn params_mut(op: &mut Operation) -> impl Iterator<Item = &mut Param> {
    let fields = op.params.iter_mut().flat_map(|p| p.fields.iter_mut());
    op.path_params.iter_mut().chain(fields)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::model::{Api, Operation};
    use crate::Selection;

    /// `FriendlyName` and `Friendly-Name` both make `FRIENDLY_NAME_PATTERN`;
    /// `Sid` is checked twice with one regex; `ListThing`'s stream would be
    /// the operation `ListThingStream`'s name.
    const SPEC: &str = r#"
openapi: 3.0.1
info: {title: T, version: '1'}
servers: [{url: https://api.example.com}]
paths:
  /things/{Sid}:
    get:
      operationId: ListThing
      parameters:
        - {name: Sid, in: path, required: true, schema: {type: string, pattern: '^TH[0-9a-f]{32}$'}}
        - {name: FriendlyName, in: query, schema: {type: string, pattern: '^[a-z]+$'}}
      responses:
        '200':
          description: OK.
          content:
            application/json:
              schema:
                type: object
                properties:
                  things: {type: array, items: {type: string}}
                  meta:
                    type: object
                    properties:
                      next_page_url: {type: string, nullable: true}
  /other/{Sid}:
    post:
      operationId: ListThingStream
      parameters:
        - {name: Sid, in: path, required: true, schema: {type: string, pattern: '^TH[0-9a-f]{32}$'}}
        - {name: Friendly-Name, in: query, schema: {type: string, pattern: '^[A-Z]+$'}}
      responses: {'204': {description: ok}}
"#;

    fn api() -> Api {
        super::super::normalise_text("spec.yaml", SPEC, &Selection::default()).unwrap()
    }

    /// (wire, pattern static) of every parameter with a pattern.
    fn patterns(operations: &[Operation]) -> Vec<(String, String)> {
        operations
            .iter()
            .flat_map(|op| {
                op.path_params
                    .iter()
                    .chain(op.params.iter().flat_map(|p| p.all()))
            })
            .filter_map(|p| Some((p.wire.clone(), p.pattern_const.clone()?)))
            .collect()
    }

    #[test]
    fn one_static_per_regex_and_clashing_wires_get_numbers() {
        let api = api();
        assert_eq!(
            patterns(&api.operations),
            [
                ("Sid".to_owned(), "SID_PATTERN".to_owned()),
                (
                    "FriendlyName".to_owned(),
                    "FRIENDLY_NAME_PATTERN".to_owned()
                ),
                ("Sid".to_owned(), "SID_PATTERN".to_owned()),
                (
                    "Friendly-Name".to_owned(),
                    "FRIENDLY_NAME_PATTERN_2".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_pattern_named_like_another_item_of_the_module_takes_the_next_number() {
        let mut operations = api().operations;
        for op in &mut operations {
            for param in super::params_mut(op) {
                param.pattern_const = None;
            }
        }
        let module: BTreeSet<String> = ["SID_PATTERN", "FRIENDLY_NAME_PATTERN_2"]
            .map(str::to_owned)
            .into();
        super::name_patterns(&mut operations, &module);
        let names: Vec<String> = patterns(&operations).into_iter().map(|(_, n)| n).collect();
        assert_eq!(
            names,
            [
                "SID_PATTERN_2",
                "FRIENDLY_NAME_PATTERN",
                "SID_PATTERN_2",
                "FRIENDLY_NAME_PATTERN_3"
            ]
        );
    }

    #[test]
    fn a_stream_named_like_an_operation_takes_a_suffix() {
        let api = api();
        let streams: Vec<(&str, Option<&str>)> = api
            .operations
            .iter()
            .map(|op| (op.name.as_str(), op.stream.as_deref()))
            .collect();
        assert_eq!(
            streams,
            [
                ("list_thing", Some("list_thing_stream_")),
                ("list_thing_stream", None)
            ]
        );
    }
}
