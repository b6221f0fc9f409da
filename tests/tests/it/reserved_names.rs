//! Every name a generated file imports is one the generator reserves, so no
//! name taken from a spec can shadow it. The reservations
//! (`twilio_codegen::reserved`) read the runtime's items from its source; the
//! names imported from std, serde and http are a list there, and this test is
//! what keeps that list complete when an emitter starts importing something.

use std::collections::BTreeSet;

use integration_tests::repo_root;
use twilio_codegen::reserved::{is_reserved_constant, is_reserved_function, is_reserved_type};
use twilio_codegen::Generator;

use super::snapshots::{cases, relative};

/// The names `tree` brings into scope, with the path they come from.
fn imported(tree: &syn::UseTree, prefix: &str, out: &mut BTreeSet<(String, String)>) {
    match tree {
        syn::UseTree::Path(p) => imported(&p.tree, &format!("{prefix}{}::", p.ident), out),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| imported(t, prefix, out)),
        syn::UseTree::Name(n) if n.ident == "self" => {
            let module = prefix
                .trim_end_matches("::")
                .rsplit("::")
                .next()
                .unwrap_or("");
            out.insert((module.to_owned(), prefix.to_owned()));
        }
        syn::UseTree::Name(n) => {
            out.insert((n.ident.to_string(), prefix.to_owned()));
        }
        syn::UseTree::Rename(r) => {
            out.insert((r.rename.to_string(), prefix.to_owned()));
        }
        syn::UseTree::Glob(_) => panic!("a glob import from {prefix} hides what it imports"),
    }
}

/// Imports of the generated crate's own types (models, parameter structs)
/// are the generated names themselves, not names they could clash with.
fn is_generated(path: &str) -> bool {
    path.starts_with("crate::models::") || path.starts_with("crate::requests::")
}

#[test]
fn imports_are_reserved() {
    let mut specs = vec![repo_root().join("spec")];
    specs.extend(cases().iter().map(|case| relative(case)));
    let mut checked = 0;
    let mut unreserved = BTreeSet::new();
    for spec in specs {
        let Ok(generated) = Generator::new(&spec).generate() else {
            continue; // an error case
        };
        for file in &generated.files {
            let path = &file.path;
            if !path.ends_with(".rs") || path.starts_with("src/runtime/") {
                continue;
            }
            let syntax = syn::parse_file(&file.contents).unwrap();
            let mut names = BTreeSet::new();
            for item in &syntax.items {
                if let syn::Item::Use(u) = item {
                    imported(&u.tree, "", &mut names);
                }
            }
            for (name, from) in names {
                checked += 1;
                let reserved = is_reserved_type(&name)
                    || is_reserved_function(&name)
                    || is_reserved_constant(&name);
                if !is_generated(&from) && !reserved {
                    unreserved.insert(format!("{name} (from {from}, in {path})"));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} imports seen");
    assert!(
        unreserved.is_empty(),
        "generated files import names a spec could take: add them to generator/src/reserved.rs:\n{}",
        unreserved.into_iter().collect::<Vec<_>>().join("\n")
    );
}
