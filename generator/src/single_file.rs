//! The generated crate as one Rust file, for `include!` from a build script.
//!
//! `include!` cannot follow `mod x;` declarations (it would look for `x.rs`
//! beside the including file) and an included file may not start with inner
//! attributes (`//!` docs, `#![…]`). So the crate's Rust files are parsed back
//! and nested: each `mod x;` becomes `mod x { … }` holding the items of
//! `x.rs` (or `x/mod.rs`), that file's inner attributes become outer
//! attributes of the module, and the crate root's own inner attributes are
//! dropped. Everything else (`cfg(feature = "client")` included) is kept as
//! the crate has it.
//!
//! The code names itself through `crate::…` paths (`crate::models::…`,
//! `crate::runtime::…`, `crate::DEFAULT_BASE_URL`), so the file must be
//! included at the root of a crate, and that crate must declare a `client`
//! feature (on when the async client is wanted) and the dependencies of the
//! generated crate's `Cargo.toml`.

use std::collections::{BTreeMap, BTreeSet};

use syn::{AttrStyle, Attribute, Item};

use crate::error::Error;
use crate::output::{self, GeneratedFile, Kind};

/// The Rust files among `files` (the generated crate, `src/lib.rs` its root)
/// nested into one file, printed with prettyplease, under the header of
/// [`Kind::SingleFile`].
pub fn single_file(files: &[GeneratedFile]) -> Result<String, Error> {
    let sources: BTreeMap<&str, &str> = files
        .iter()
        .filter(|f| f.path.starts_with("src/") && f.path.ends_with(".rs"))
        .map(|f| (f.path.as_str(), f.contents.as_str()))
        .collect();
    let mut used = BTreeSet::new();
    let root = parse(&sources, "src/lib.rs", &mut used)?;
    let items = inline(&sources, "src", root.items, &mut used)?;
    if let Some(orphan) = sources.keys().find(|path| !used.contains(*path)) {
        return Err(Error::Internal {
            file: (*orphan).to_owned(),
            message: "no `mod` declaration reaches this file".to_owned(),
        });
    }
    let file = syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items,
    };
    Ok(output::stamp(Kind::SingleFile, &output::print(&file)))
}

fn parse<'a>(
    sources: &BTreeMap<&'a str, &str>,
    path: &'a str,
    used: &mut BTreeSet<&'a str>,
) -> Result<syn::File, Error> {
    let text = sources.get(path).ok_or_else(|| Error::Internal {
        file: path.to_owned(),
        message: "a `mod` declaration names this file, which is not generated".to_owned(),
    })?;
    used.insert(path);
    syn::parse_file(text).map_err(|e| Error::Internal {
        file: path.to_owned(),
        message: e.to_string(),
    })
}

/// `items` of a file whose `mod x;` declarations refer to `dir/x.rs` or
/// `dir/x/mod.rs`, with those declarations replaced by inline modules.
fn inline<'a>(
    sources: &BTreeMap<&'a str, &str>,
    dir: &str,
    items: Vec<Item>,
    used: &mut BTreeSet<&'a str>,
) -> Result<Vec<Item>, Error> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Item::Mod(mut module) if module.content.is_none() => {
                let name = module.ident.to_string();
                let child_dir = format!("{dir}/{name}");
                let flat = format!("{child_dir}.rs");
                let nested = format!("{child_dir}/mod.rs");
                let path = [flat.as_str(), nested.as_str()]
                    .into_iter()
                    .find_map(|p| sources.get_key_value(p).map(|(key, _)| *key))
                    .ok_or_else(|| Error::Internal {
                        file: flat.clone(),
                        message: format!("`mod {name};` has no file (nor {nested})"),
                    })?;
                let file = parse(sources, path, used)?;
                // `rustfmt::skip` only keeps `cargo fmt` off the crate's files.
                module.attrs.retain(|attr| {
                    attr.path()
                        .segments
                        .first()
                        .is_none_or(|segment| segment.ident != "rustfmt")
                });
                module.attrs.extend(file.attrs.into_iter().map(outer));
                let items = inline(sources, &child_dir, file.items, used)?;
                module.content = Some((Default::default(), items));
                module.semi = None;
                out.push(Item::Mod(module));
            }
            // Doctests of the crate's README: they need the crate's own files.
            item if is_doctest_only(&item) => {}
            item => out.push(item),
        }
    }
    Ok(out)
}

/// `#![doc = …]` → `#[doc = …]`: the same meaning on the module, and no
/// mixing of inner and outer attributes on one item.
fn outer(mut attr: Attribute) -> Attribute {
    attr.style = AttrStyle::Outer;
    attr
}

fn is_doctest_only(item: &Item) -> bool {
    let attrs: &[Attribute] = match item {
        Item::Struct(item) => &item.attrs,
        Item::Mod(item) => &item.attrs,
        Item::Const(item) => &item.attrs,
        _ => return false,
    };
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Ident>()
                .is_ok_and(|arg| arg == "doctest")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    #[test]
    fn nests_modules_and_drops_crate_attributes() {
        let files = [
            file(
                "src/lib.rs",
                "//! crate docs\n#[rustfmt::skip]\npub mod a;\n#[cfg(feature = \"client\")]\nmod b;\n\
                 #[cfg(doctest)]\n#[doc = include_str!(\"../README.md\")]\nstruct ReadmeDoctests;\n\
                 pub use a::X;\n",
            ),
            file("src/a/mod.rs", "//! a docs\npub mod c;\npub struct X;\n"),
            file("src/a/c.rs", "//! c docs\npub fn f() -> crate::a::X { crate::a::X }\n"),
            file("src/b.rs", "pub fn g() {}\n"),
            file("Cargo.toml", "[package]\n"),
        ];
        let text = single_file(&files).unwrap();
        let body = text.strip_prefix(Kind::SingleFile.header()).unwrap();
        assert_eq!(
            body,
            r#"
/// a docs
pub mod a {
    /// c docs
    pub mod c {
        pub fn f() -> crate::a::X {
            crate::a::X
        }
    }

    pub struct X;
}

#[cfg(feature = "client")]
mod b {
    pub fn g() {}
}

pub use a::X;
"#
        );
        assert!(!text.contains("#!"), "{text}");
        syn::parse_file(&text).unwrap();
    }

    /// The exact first bytes of every single file (the header is
    /// [`crate::output`]'s; build scripts' users see it in `OUT_DIR`).
    #[test]
    fn starts_with_the_build_time_header_and_a_blank_line() {
        let text = single_file(&[file("src/lib.rs", "pub fn f() {}\n")]).unwrap();
        assert_eq!(
            text,
            "// @generated by twilio-codegen at build time from the OpenAPI spec. Do not edit: change the spec.\n\
             // Include it at the root of a crate: include!(concat!(env!(\"OUT_DIR\"), \"/<this file>\"));\n\
             \n\
             pub fn f() {}\n"
        );
    }

    #[test]
    fn a_module_without_a_file_is_an_internal_error() {
        let files = [file("src/lib.rs", "pub mod missing;\n")];
        let error = single_file(&files).unwrap_err().to_string();
        assert!(error.contains("src/missing.rs"), "{error}");
    }

    #[test]
    fn a_file_no_module_reaches_is_an_internal_error() {
        let files = [
            file("src/lib.rs", "pub fn f() {}\n"),
            file("src/stray.rs", "pub fn g() {}\n"),
        ];
        let error = single_file(&files).unwrap_err().to_string();
        assert!(error.contains("src/stray.rs"), "{error}");
    }
}
