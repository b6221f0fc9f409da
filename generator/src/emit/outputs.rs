//! The table of contents of a generated crate: every file it has, one row
//! each in [`OUTPUTS`], and nothing about a file decided anywhere else.
//!
//! A row says where the file goes, what kind of file it is and which
//! function makes it ([`Body`]; the kind decides its header and whether its
//! code is printed by prettyplease, see [`crate::output::Kind`]), when the
//! crate has it ([`When`]), and, for a module of the crate root, how
//! `src/lib.rs` declares it and lists it on the front page
//! ([`lib_rs::Module`]). Read by:
//!
//! - [`crate::emit_files`], which makes the files of the rows that apply;
//! - `src/lib.rs` (the [`lib_rs`] row): it declares the modules of the rows
//!   that apply, and lists them on the front page in table order;
//! - the snapshot tests (`tests/tests/it/snapshots.rs`): they show the code
//!   of every module row that is printed Rust, in table order.
//!
//! # A new output file
//!
//! One new module under `emit/` (its `pub mod` line in `emit/mod.rs`),
//! with its `PATH` and its `generate`, plus one row here. For a module of
//! the crate root, the row's `module` gives its name, access (`pub`, or
//! behind the `client` feature) and front-page item; `src/lib.rs` then
//! declares it, the snapshots show it and [`crate::emit_files`] writes it,
//! with no other change. A file only some APIs have gets a [`When`] (a new
//! variant decides a new condition, in [`When::holds`] only). When
//! `generate` does not take what [`Body`] passes, the row calls an adapter
//! (a small function here, like the `src/lib.rs` row's `crate_root`), not a
//! changed emitter.
//!
//! A file added to `templates/runtime/` is stamped through the one
//! `src/runtime/` row: list it in [`runtime::FILES`] (a test there fails
//! until it is).

use proc_macro2::TokenStream;

use crate::emit::lib_rs::{Access, Module};
use crate::emit::{
    cargo_toml, client, lib_rs, models, readme, requests, responses, runtime, runtime_spec,
    webhooks,
};
use crate::error::Error;
use crate::model::Api;
use crate::output::{self, GeneratedFile, Kind};

/// One file of the generated crate (a folder of stamped files, for
/// [`Body::Stamped`]).
#[derive(Clone, Copy, Debug)]
pub struct Output {
    /// Relative to the crate's folder, `/`-separated.
    pub path: &'static str,
    /// When the crate has the file.
    pub when: When,
    /// Its kind and the function that makes it.
    pub body: Body,
    /// The module of the crate root this file is, if it is one.
    pub module: Option<Module>,
}

/// What a file is made of: the variant is its kind, the function (or text)
/// makes its contents. Headers are added by [`crate::output`].
#[derive(Clone, Copy, Debug)]
pub enum Body {
    /// Rust code, printed by prettyplease.
    Rust(fn(&Api) -> TokenStream),
    /// TOML from the API and the package name asked for (if any).
    Toml(fn(&Api, Option<&str>) -> String),
    /// Markdown from the API and the package name asked for (if any).
    Markdown(fn(&Api, Option<&str>) -> String),
    /// Hand-written Rust files, `(path, text)`, stamped as they are.
    Stamped(&'static [(&'static str, &'static str)]),
}

/// When a crate has a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Always,
    /// Only when the API sends requests of its own (`callbacks`).
    Callbacks,
}

impl When {
    /// Does a crate for `api` have the file?
    pub fn holds(self, api: &Api) -> bool {
        match self {
            When::Always => true,
            When::Callbacks => !api.callbacks.is_empty(),
        }
    }
}

/// Every file of a generated crate. The module rows are in the order the
/// front page lists them.
pub const OUTPUTS: &[Output] = &[
    Output {
        path: cargo_toml::PATH,
        when: When::Always,
        body: Body::Toml(cargo_toml::generate),
        module: None,
    },
    Output {
        path: readme::PATH,
        when: When::Always,
        body: Body::Markdown(readme::generate),
        module: None,
    },
    Output {
        path: lib_rs::PATH,
        when: When::Always,
        body: Body::Rust(crate_root),
        module: None,
    },
    Output {
        path: models::PATH,
        when: When::Always,
        body: Body::Rust(models::generate),
        module: Some(Module {
            name: "models",
            access: Access::Public,
            bullet: "- [`models`]: response models and enums (every field optional; unknown enum values kept).",
        }),
    },
    Output {
        path: requests::PATH,
        when: When::Always,
        body: Body::Rust(requests::generate),
        module: Some(Module {
            name: "requests",
            access: Access::Public,
            bullet: "- [`requests`]: parameter structs and sans-IO builders of `http::Request`s.",
        }),
    },
    Output {
        path: responses::PATH,
        when: When::Always,
        body: Body::Rust(responses::generate),
        module: Some(Module {
            name: "responses",
            access: Access::Public,
            bullet: "- [`responses`]: parsers of `http::Response`s into models or typed errors.",
        }),
    },
    Output {
        path: client::PATH,
        when: When::Always,
        body: Body::Rust(client::generate),
        module: Some(Module {
            name: "client",
            access: Access::Client,
            bullet: "- [`Client`] (feature `client`, on by default): an async reqwest client with\n  \
                     retries and auto-paging, one method per operation.",
        }),
    },
    Output {
        path: webhooks::PATH,
        when: When::Callbacks,
        body: Body::Rust(webhooks::generate),
        module: Some(Module {
            name: "webhooks",
            access: Access::Public,
            bullet: "- [`webhooks`]: the requests the API sends to your server, one struct per\n  \
                     event type and an enum over them (signature checks: [`runtime::webhook`]).",
        }),
    },
    Output {
        path: "src/runtime/",
        when: When::Always,
        body: Body::Stamped(runtime::FILES),
        module: Some(Module {
            name: "runtime",
            access: Access::Public,
            bullet: "- [`runtime`]: the support code all of the above use.",
        }),
    },
    Output {
        path: runtime_spec::PATH,
        when: When::Always,
        body: Body::Rust(runtime_spec::generate),
        module: None,
    },
];

/// The modules of a crate for `api`, in table order.
pub fn modules(api: &Api) -> Vec<Module> {
    OUTPUTS
        .iter()
        .filter(|output| output.when.holds(api))
        .filter_map(|output| output.module)
        .collect()
}

/// The `src/lib.rs` row's adapter: the crate root declares the modules the
/// table gives.
fn crate_root(api: &Api) -> TokenStream {
    lib_rs::generate(api, &modules(api))
}

impl Output {
    /// The kind of file this row makes.
    pub fn kind(&self) -> Kind {
        match self.body {
            Body::Rust(_) => Kind::Rust,
            Body::Toml(_) => Kind::Toml,
            Body::Markdown(_) => Kind::Markdown,
            Body::Stamped(_) => Kind::StampedRust,
        }
    }

    /// The row's file (files, for [`Body::Stamped`]) for `api`, whether or
    /// not [`Self::when`] holds; `crate_name` overrides the package name.
    pub fn files(&self, api: &Api, crate_name: Option<&str>) -> Result<Vec<GeneratedFile>, Error> {
        let kind = self.kind();
        Ok(match self.body {
            Body::Rust(generate) => vec![output::rust_file(self.path, generate(api))?],
            Body::Toml(generate) | Body::Markdown(generate) => {
                vec![output::text_file(
                    self.path,
                    kind,
                    &generate(api, crate_name),
                )]
            }
            Body::Stamped(files) => files
                .iter()
                .map(|(path, text)| output::text_file(path, kind, text))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_module_names_are_unique() {
        let mut paths: Vec<&str> = OUTPUTS.iter().map(|o| o.path).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), OUTPUTS.len());
        let mut names: Vec<&str> = OUTPUTS
            .iter()
            .filter_map(|o| o.module.map(|m| m.name))
            .collect();
        names.sort();
        names.dedup();
        assert_eq!(
            names.len(),
            OUTPUTS.iter().filter(|o| o.module.is_some()).count()
        );
    }

    /// A module row is the module's file: `src/<name>.rs`, or the folder
    /// `src/<name>/` of stamped files that holds its `mod.rs`.
    #[test]
    fn a_module_row_is_where_its_module_lives() {
        for output in OUTPUTS {
            let Some(module) = output.module else {
                continue;
            };
            match output.body {
                Body::Stamped(files) => {
                    assert_eq!(output.path, format!("src/{}/", module.name));
                    let root = format!("{}mod.rs", output.path);
                    assert!(files.iter().any(|(path, _)| *path == root), "{root}");
                }
                _ => assert_eq!(output.path, format!("src/{}.rs", module.name)),
            }
            assert!(
                module.bullet.starts_with("- [`"),
                "{}: {}",
                module.name,
                module.bullet
            );
        }
        for output in OUTPUTS {
            if let Body::Stamped(files) = output.body {
                for (path, _) in files {
                    assert!(path.starts_with(output.path), "{path}");
                }
            }
        }
    }

    #[test]
    fn only_an_api_with_callbacks_has_webhooks() {
        let api = Api::default();
        let names: Vec<&str> = modules(&api).iter().map(|m| m.name).collect();
        assert_eq!(
            names,
            ["models", "requests", "responses", "client", "runtime"]
        );
    }
}
