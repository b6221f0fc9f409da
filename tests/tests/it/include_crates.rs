//! Crates that `include!` generated code (`examples/build-rs`, the wire-test
//! crates) cannot take the generated crate's `Cargo.toml`, so they repeat
//! `templates/Cargo.toml`'s dependencies and features by hand. This keeps
//! the copies true: a dependency added to the template and not to them would
//! only show as a build failure of code generated later.

use std::path::{Path, PathBuf};

use integration_tests::repo_root;

/// The lines of `[section]`, comments and blank lines left out.
fn section<'a>(toml: &'a str, name: &str) -> Vec<&'a str> {
    let mut keep = false;
    toml.lines()
        .filter(|line| {
            if line.starts_with('[') {
                keep = line.trim() == name;
                return false;
            }
            keep && !line.trim().is_empty() && !line.trim_start().starts_with('#')
        })
        .collect()
}

/// Every `Cargo.toml` under `dir` (not in build folders) whose build script
/// runs the generator: the crates that `include!` its output.
fn including_crates(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if !matches!(
                name.to_str(),
                Some("target" | "node_modules" | ".git" | "generated")
            ) {
                including_crates(&path, out);
            }
        } else if name == "Cargo.toml" {
            let text = std::fs::read_to_string(&path).unwrap();
            if section(&text, "[build-dependencies]")
                .iter()
                .any(|l| l.starts_with("twilio-codegen "))
            {
                out.push(path);
            }
        }
    }
}

#[test]
fn crates_that_include_generated_code_have_the_template_dependencies_and_features() {
    let root = repo_root();
    let template = std::fs::read_to_string(root.join("templates/Cargo.toml")).unwrap();
    // The template picks the TLS backend through its `rustls`/`native-tls`
    // features; an including crate has no such features and names rustls on
    // reqwest itself. That is the one difference allowed.
    let dependencies: Vec<String> = section(&template, "[dependencies]")
        .into_iter()
        .map(|line| {
            if line.starts_with("reqwest ") {
                line.replace(
                    "default-features = false, optional",
                    "default-features = false, features = [\"rustls-tls\"], optional",
                )
            } else {
                line.to_owned()
            }
        })
        .collect();
    let tls = |line: &&str| {
        ["default ", "rustls ", "native-tls "]
            .iter()
            .any(|f| line.starts_with(f))
    };
    let features: Vec<&str> = section(&template, "[features]")
        .into_iter()
        .filter(|l| !tls(l))
        .collect();

    let mut crates = Vec::new();
    including_crates(&root, &mut crates);
    crates.sort();
    let names: Vec<String> = crates
        .iter()
        .map(|p| {
            p.parent()
                .unwrap()
                .strip_prefix(&root)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    for expected in [
        "examples/build-rs",
        "tests/request-wire",
        "tests/wire-crates/list-page-flat",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} was not found among {names:?}"
        );
    }
    for (path, name) in crates.iter().zip(&names) {
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            section(&text, "[dependencies]"),
            dependencies,
            "{name}/Cargo.toml: [dependencies] must be templates/Cargo.toml's (reqwest with features = [\"rustls-tls\"])"
        );
        let own: Vec<&str> = section(&text, "[features]")
            .into_iter()
            .filter(|l| !tls(l))
            .collect();
        assert_eq!(
            own, features,
            "{name}/Cargo.toml: [features] must be templates/Cargo.toml's but for default, rustls and native-tls"
        );
        assert!(
            section(&text, "[features]").contains(&"default = [\"client\"]"),
            "{name}/Cargo.toml: the client is on by default, as in the generated crate"
        );
    }
}
