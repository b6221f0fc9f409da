//! The hand-written runtime support (`templates/runtime/`), stamped as it is.
//!
//! `templates/runtime/` is also a crate of its own (`twilio-codegen-runtime`,
//! tested on its own); its root `lib.rs` and its stand-in `spec.rs` are not
//! stamped: a generated crate has its own root, and its `src/runtime/spec.rs`
//! comes from [`super::runtime_spec`].

/// (path in the generated crate, contents)
pub const FILES: &[(&str, &str)] = &[
    (
        "src/runtime/mod.rs",
        include_str!("../../../templates/runtime/mod.rs"),
    ),
    (
        "src/runtime/api.rs",
        include_str!("../../../templates/runtime/api.rs"),
    ),
    (
        "src/runtime/auth.rs",
        include_str!("../../../templates/runtime/auth.rs"),
    ),
    (
        "src/runtime/client.rs",
        include_str!("../../../templates/runtime/client.rs"),
    ),
    (
        "src/runtime/dates.rs",
        include_str!("../../../templates/runtime/dates.rs"),
    ),
    (
        "src/runtime/endpoint.rs",
        include_str!("../../../templates/runtime/endpoint.rs"),
    ),
    (
        "src/runtime/error.rs",
        include_str!("../../../templates/runtime/error.rs"),
    ),
    (
        "src/runtime/error_body.rs",
        include_str!("../../../templates/runtime/error_body.rs"),
    ),
    (
        "src/runtime/form.rs",
        include_str!("../../../templates/runtime/form.rs"),
    ),
    (
        "src/runtime/paging.rs",
        include_str!("../../../templates/runtime/paging.rs"),
    ),
    (
        "src/runtime/redact.rs",
        include_str!("../../../templates/runtime/redact.rs"),
    ),
    (
        "src/runtime/response.rs",
        include_str!("../../../templates/runtime/response.rs"),
    ),
    (
        "src/runtime/test_util.rs",
        include_str!("../../../templates/runtime/test_util.rs"),
    ),
    (
        "src/runtime/validate.rs",
        include_str!("../../../templates/runtime/validate.rs"),
    ),
    (
        "src/runtime/webhook.rs",
        include_str!("../../../templates/runtime/webhook.rs"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    const RUNTIME_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../templates/runtime");

    /// A module added to the runtime crate is stamped too (or the generated
    /// crates would not compile).
    #[test]
    fn every_runtime_module_is_stamped() {
        let mut on_disk: Vec<String> = std::fs::read_dir(RUNTIME_DIR)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".rs") && name != "lib.rs" && name != "spec.rs")
            .map(|name| format!("src/runtime/{name}"))
            .collect();
        on_disk.sort();
        let mut stamped: Vec<String> = FILES.iter().map(|(path, _)| path.to_string()).collect();
        stamped.sort();
        assert_eq!(
            stamped, on_disk,
            "list each file of templates/runtime/ in FILES"
        );
    }

    /// The `[features]` and `[dependencies]` of a TOML file, comments and
    /// blank lines left out.
    fn sections(toml: &str) -> Vec<&str> {
        let mut keep = false;
        toml.lines()
            .filter(|line| {
                if line.starts_with('[') {
                    keep = *line == "[features]" || *line == "[dependencies]";
                }
                keep && !line.trim().is_empty() && !line.starts_with('#')
            })
            .collect()
    }

    /// The runtime crate is built with exactly the generated crate's
    /// dependencies and features, so what compiles there compiles here.
    #[test]
    fn the_runtime_crate_has_the_generated_crates_dependencies() {
        let runtime = std::fs::read_to_string(format!("{RUNTIME_DIR}/Cargo.toml")).unwrap();
        let template = include_str!("../../../templates/Cargo.toml");
        assert!(sections(template).contains(&"[dependencies]"));
        assert_eq!(
            sections(&runtime),
            sections(template),
            "templates/runtime/Cargo.toml's [features] and [dependencies] must be templates/Cargo.toml's: copy them over"
        );
    }
}
