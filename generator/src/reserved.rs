//! The names generated code already uses, which a name taken from a spec
//! must not shadow: Rust's prelude, what the emitted files import, and
//! everything the runtime defines.
//!
//! The runtime's part is read from the runtime's own source (the files
//! [`crate::emit::runtime::FILES`] stamps into every crate), not copied
//! into a list, so a type, function or `Client` method added to
//! `templates/runtime/` is reserved without anyone remembering to.
//! [`crate::names`] applies the rules (a `Model` suffix for types, `_` for
//! functions).

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
    "Value",
];

/// Modules and module aliases the emitted files import by name
/// (`use crate::{requests, responses}`, `use crate::runtime::validate::{self, ..}`,
/// `use crate::runtime::response as parse`, `use std::fmt`): a request
/// builder or response parser of that name would clash with them.
const IMPORTED_MODULES: &[&str] = &[
    "fmt",
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

/// The runtime types whose methods generated code calls or adds to: the
/// generated `impl Client` sits beside the runtime's (so any method of the
/// same name, private ones included, is a duplicate definition), and
/// request builders call `Api`'s.
const EXTENDED_TYPES: &[&str] = &["Client", "Api"];

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
    /// Every method of [`EXTENDED_TYPES`], inherent or trait, whatever its
    /// visibility.
    pub methods: BTreeSet<String>,
}

/// The runtime's names, parsed once per process.
pub fn runtime() -> &'static RuntimeNames {
    static NAMES: OnceLock<RuntimeNames> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = RuntimeNames::default();
        // `spec.rs` is generated per crate (`emit::runtime_spec`) with the
        // items of the runtime crate's stand-in.
        let stand_in = (
            "src/runtime/spec.rs",
            include_str!("../../templates/runtime/spec.rs"),
        );
        for (path, source) in crate::emit::runtime::FILES.iter().chain([&stand_in]) {
            // The runtime is our own code, compiled and tested as a crate of
            // its own, so it always parses; a file that did not would only
            // reserve fewer names, never stop a run.
            match syn::parse_file(source) {
                Ok(file) => collect(&file.items, &mut names),
                Err(e) => debug_assert!(false, "{path} does not parse: {e}"),
            }
        }
        names
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

fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// The last segment of a `Client`, `crate::runtime::Client`, … self type.
fn type_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Adds the names `items` define to `names`, nested modules included
/// (`#[cfg(test)] mod tests` too: reserving more than needed never breaks
/// a crate).
fn collect(items: &[syn::Item], names: &mut RuntimeNames) {
    for item in items {
        let types = &mut names.types;
        match item {
            syn::Item::Struct(i) if is_public(&i.vis) => {
                types.insert(i.ident.to_string());
            }
            syn::Item::Enum(i) if is_public(&i.vis) => {
                types.insert(i.ident.to_string());
            }
            syn::Item::Union(i) if is_public(&i.vis) => {
                types.insert(i.ident.to_string());
            }
            syn::Item::Trait(i) if is_public(&i.vis) => {
                types.insert(i.ident.to_string());
            }
            syn::Item::Type(i) if is_public(&i.vis) => {
                types.insert(i.ident.to_string());
            }
            syn::Item::Const(i) if is_public(&i.vis) => {
                names.constants.insert(i.ident.to_string());
            }
            syn::Item::Static(i) if is_public(&i.vis) => {
                names.constants.insert(i.ident.to_string());
            }
            syn::Item::Fn(i) if is_public(&i.vis) => {
                names.functions.insert(i.sig.ident.to_string());
            }
            syn::Item::Use(i) if is_public(&i.vis) => reexported(&i.tree, names),
            syn::Item::Impl(i)
                if type_ident(&i.self_ty).is_some_and(|t| EXTENDED_TYPES.contains(&t.as_str())) =>
            {
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        names.methods.insert(f.sig.ident.to_string());
                    }
                }
            }
            _ => {}
        }
        if let syn::Item::Mod(module) = item {
            if is_public(&module.vis) {
                names.functions.insert(module.ident.to_string());
            }
            if let Some((_, items)) = &module.content {
                collect(items, names);
            }
        }
    }
}

/// A public re-export is usable under its last name (or its alias).
fn reexported(tree: &syn::UseTree, names: &mut RuntimeNames) {
    match tree {
        syn::UseTree::Name(n) => {
            names.types.insert(n.ident.to_string());
        }
        syn::UseTree::Rename(r) => {
            names.types.insert(r.rename.to_string());
        }
        syn::UseTree::Path(p) => reexported(&p.tree, names),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| reexported(t, names)),
        syn::UseTree::Glob(_) => {}
    }
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
