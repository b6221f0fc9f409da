//! The names generated code already uses, which a name taken from a spec
//! must not shadow: Rust's prelude, what the emitted files import, and
//! everything the runtime defines.
//!
//! The runtime's part is read from the runtime's own source
//! (`templates/runtime/*.rs`, the files [`crate::emit::runtime::FILES`]
//! stamps into every crate, and `spec.rs`, whose items every crate's
//! generated `runtime/spec.rs` has), not copied into a list: the
//! generator's build script (`generator/build.rs`) parses it with syn when
//! the generator is compiled, so a type, function or `Client` method added
//! to `templates/runtime/` is reserved without anyone remembering to, and
//! no generation run spends time parsing it.
//! [`crate::names`] applies the rules (a `Model` suffix for types, `_` for
//! functions).
//!
//! # Rules
//!
//! **Reserved names.** Names the generated code uses itself never come from the spec as they are
//! (`generator/src/reserved.rs` decides, `names.rs` applies). Reserved are Rust's 2021 prelude (`Into`,
//! `From`, `AsRef`, `IntoIterator`, `Option`, `String`, …), what the emitted files import from std, serde,
//! serde_json and http (`Value`, `Map`, `BTreeMap`, `Serialize`, `Method`, `Request`, …), and **every
//! public item of the runtime, read from the runtime's own source** (`templates/runtime/*.rs`, parsed with
//! syn by the generator's build script, `generator/build.rs`, so no run pays for it): its types (`Error`, `Client`, `Api`, `Page`, `Timestamp`, `Limits`, `Fields`, …),
//! functions and modules, constants, and every method of `Client` and `Api`, private ones included
//! (`execute`, `paginate`, `limits`, `with_deadline`, …). So a type, function or `Client` method added to
//! the runtime is reserved without anyone copying it into a list. A schema with such a type name gets the
//! suffix `Model` (`Into` → `IntoModel`, `Timestamp` → `TimestampModel`), a callback body the suffix
//! `Event` (`Fields` → `FieldsEvent`). An operationId whose function would be such a name, or a trait
//! method a same-named inherent method would shadow (`clone`, `fmt`, `eq`, `into`, `to_string`, …), gets a
//! trailing `_` like a keyword (`Execute` → `execute_`, `Limits` → `limits_`); its auto-paging method is
//! `<name>_stream` with that `_` dropped first (`next_item_stream`), and gets a `_` of its own while it is
//! another operation's name or a reserved one. A path parameter, which is a positional argument, named
//! like the emitted functions' own arguments (`api`, `params`, `limit`, `path`, `query`, `form`,
//! `request`, `response`, `body`, `value`, `paging`; `RESERVED_ARGUMENTS`) gets a trailing `_` too (`{Api}` →
//! `api_`). Fields of a `Params` struct or of a JSON request body type get a setter of the same name, so
//! one named like the struct's own methods (`new`, `validate`) or a trait method (as above) gets a
//! trailing `_`, field and setter alike (`New` → `new_`); `from` stays (`From` fields are everywhere in
//! Twilio's APIs, and `From::from` is not called as a method). `tests/cases/reserved_names.yaml` and
//! `reserved_prelude_names.yaml` show it; `compile_cases` also compiles a crate generated from a spec
//! written from the reservation list itself (a schema named after every reserved type, an operation after
//! every reserved function), and the `reserved_names` test checks that every name any generated file
//! imports is reserved. No name of the 25 documents in `../shared` changed when these rules widened.

use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The types and traits of Rust's 2021 prelude (`std::prelude::rust_2021`),
/// plus `Self`: a model named `Into` or `IntoIterator` would shadow the trait
/// every setter's `impl Into<String>` means.
const PRELUDE: &[&str] = &[
    "Self",
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// What the emitted files import from outside the runtime (std, serde,
/// serde_json, http) and use unqualified. The `imports_are_reserved` test
/// of the integration tests checks every `use` of every generated file
/// against [`is_reserved_type`] and [`is_reserved_function`], so an import
/// added to an emitter without a line here fails there.
const IMPORTED_TYPES: &[&str] = &[
    "BTreeMap",
    "Deserialize",
    "Deserializer",
    "FromStr",
    "Infallible",
    "Map",
    "Method",
    "Request",
    "Response",
    "Serialize",
    "Serializer",
    "StreamExt",
    "TryStreamExt",
    "Value",
];

/// Modules and module aliases the emitted files import by name
/// (`use crate::{requests, responses}`, `use crate::runtime::validate::{self, ..}`,
/// `use crate::runtime::response as parse`, `use std::fmt`): a request
/// builder or response parser of that name would clash with them.
const IMPORTED_MODULES: &[&str] = &[
    "fmt",
    "http",
    "models",
    "parse",
    "requests",
    "responses",
    "runtime",
    "validate",
];

/// Methods of the traits generated types and the runtime's `Client`
/// implement or derive (`Clone`, `Debug`, `PartialEq`, `Serialize`, …) and
/// of the blanket impls every type has (`Into`, `ToOwned`, `Any`, …): an
/// inherent method of the same name would shadow the trait's in method calls
/// (`client.clone()` would call the operation). Associated functions
/// (`from`, `try_from`) are not called with a receiver, so they stay free.
pub const TRAIT_METHODS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "default",
    "deserialize",
    "eq",
    "fmt",
    "hash",
    "into",
    "ne",
    "serialize",
    "to_owned",
    "to_string",
    "try_into",
    "type_id",
];

/// Names the runtime defines, read from its source.
#[derive(Debug, Default)]
pub struct RuntimeNames {
    /// Public structs, enums, unions, traits and type aliases, at any depth,
    /// and the names public `use`s re-export them as.
    pub types: BTreeSet<String>,
    /// Public free functions and modules.
    pub functions: BTreeSet<String>,
    /// Public constants and statics (`DEFAULT_BASE_URL` of `runtime::spec`,
    /// which the crate root re-exports).
    pub constants: BTreeSet<String>,
    /// Every method of `Client` and `Api` (the runtime types whose methods
    /// generated code calls or adds to), inherent or trait, whatever its
    /// visibility.
    pub methods: BTreeSet<String>,
}

/// The lists `build.rs` read from the runtime's source when the generator
/// was compiled (so no run pays for parsing it).
mod from_source {
    include!(concat!(env!("OUT_DIR"), "/runtime_names.rs"));
}

/// The runtime's names, as sets.
pub fn runtime() -> &'static RuntimeNames {
    static NAMES: OnceLock<RuntimeNames> = OnceLock::new();
    NAMES.get_or_init(|| {
        let set = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect();
        RuntimeNames {
            types: set(from_source::TYPES),
            functions: set(from_source::FUNCTIONS),
            constants: set(from_source::CONSTANTS),
            methods: set(from_source::METHODS),
        }
    })
}

/// Is `name` a type name generated code already uses (a model, enum,
/// parameter struct or event with it would shadow or clash)?
pub fn is_reserved_type(name: &str) -> bool {
    PRELUDE.contains(&name) || IMPORTED_TYPES.contains(&name) || runtime().types.contains(name)
}

/// Is `name` a function or method name generated code already uses (a
/// request builder, response parser or `Client` method with it would
/// clash)?
pub fn is_reserved_function(name: &str) -> bool {
    IMPORTED_MODULES.contains(&name)
        || TRAIT_METHODS.contains(&name)
        || runtime().functions.contains(name)
        || runtime().methods.contains(name)
}

/// Is `name` a constant of the runtime (the crate root re-exports
/// `DEFAULT_BASE_URL`)?
pub fn is_reserved_constant(name: &str) -> bool {
    runtime().constants.contains(name)
}

/// Every reserved type name (for tests that try each).
pub fn types() -> BTreeSet<&'static str> {
    let runtime = runtime().types.iter().map(String::as_str);
    PRELUDE
        .iter()
        .chain(IMPORTED_TYPES)
        .copied()
        .chain(runtime)
        .collect()
}

/// Every reserved function name (for tests that try each).
pub fn functions() -> BTreeSet<&'static str> {
    let runtime = runtime();
    let from_runtime = runtime
        .functions
        .iter()
        .chain(&runtime.methods)
        .map(String::as_str);
    IMPORTED_MODULES
        .iter()
        .chain(TRAIT_METHODS)
        .copied()
        .chain(from_runtime)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_is_read_from_its_source() {
        let names = runtime();
        for ty in [
            "Client",
            "Api",
            "Timestamp",
            "Fields",
            "RawEvent",
            "Page",
            "Limits",
        ] {
            assert!(names.types.contains(ty), "{ty}: {:?}", names.types);
        }
        for function in [
            "path_segment",
            "set_header",
            "null_as_default",
            "form_pairs",
        ] {
            assert!(names.functions.contains(function), "{function}");
        }
        // Public and private methods of `Client`, inherent or not.
        for method in [
            "execute",
            "paginate",
            "limits",
            "with_deadline",
            "next_item",
            "fmt",
        ] {
            assert!(
                names.methods.contains(method),
                "{method}: {:?}",
                names.methods
            );
        }
        assert!(
            !names.types.contains("Cutoff"),
            "private types are not reserved"
        );
    }

    #[test]
    fn prelude_imports_and_runtime_are_reserved() {
        for ty in [
            "Into",
            "From",
            "AsRef",
            "IntoIterator",
            "Timestamp",
            "Value",
            "Self",
        ] {
            assert!(is_reserved_type(ty), "{ty}");
        }
        assert!(!is_reserved_type("Message"));
        for function in [
            "limits",
            "with_deadline",
            "validate",
            "parse",
            "requests",
            "clone",
        ] {
            assert!(is_reserved_function(function), "{function}");
        }
        assert!(!is_reserved_function("create_message"));
    }
}
