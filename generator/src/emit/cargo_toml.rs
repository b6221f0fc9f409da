//! `Cargo.toml` of the generated crate, stamped from `templates/Cargo.toml`
//! with the crate's identity (package name, description, keywords) from the
//! document (see `normalise::identity`).

use crate::emit::doc_line;
use crate::model::Api;

pub const PATH: &str = "Cargo.toml";

const TEMPLATE: &str = include_str!("../../../templates/Cargo.toml");

/// The template, its `name`, `description` and `keywords` lines replaced:
/// the name is `crate_name` when one is given, else the document's.
pub fn generate(api: &Api, crate_name: Option<&str>) -> String {
    let name = crate_name.unwrap_or(&api.identity.package);
    let keywords: Vec<String> = api
        .identity
        .keywords
        .iter()
        .map(|k| toml_string(k))
        .collect();
    let mut out = String::with_capacity(TEMPLATE.len());
    let mut in_package = false;
    for line in TEMPLATE.lines() {
        if line.starts_with('[') {
            in_package = line == "[package]";
        }
        match line.split_once(" = ") {
            Some(("name", _)) if in_package => {
                out.push_str(&format!("name = {}", toml_string(name)))
            }
            Some(("description", _)) if in_package => {
                out.push_str(&format!("description = {}", toml_string(&description(api))))
            }
            Some(("keywords", _)) if in_package => {
                out.push_str(&format!("keywords = [{}]", keywords.join(", ")))
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// The crates.io one-liner: the document's title and what the crate holds.
pub fn description(api: &Api) -> String {
    let title = doc_line(&api.title);
    format!("{title}: typed Rust bindings generated from its OpenAPI description (models, sans-IO request builders and an async client)")
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_comes_from_the_model_and_odd_titles_stay_valid_toml() {
        let mut api = Api {
            title: "Odd \"quoted\" \\ title\nover lines".to_owned(),
            ..Api::default()
        };
        api.identity.package = "odd-api-v1".to_owned();
        api.identity.keywords = vec!["odd".to_owned(), "openapi".to_owned()];
        let text = generate(&api, None);
        assert!(text.contains("\nname = \"odd-api-v1\"\n"), "{text}");
        assert!(text.contains(
            "\ndescription = \"Odd \\\"quoted\\\" \\\\ title over lines: typed Rust bindings"
        ));
        assert!(text.contains("\nkeywords = [\"odd\", \"openapi\"]\n"));
        // Only [package]'s lines change.
        assert_eq!(text.lines().count(), TEMPLATE.lines().count());
        let renamed = generate(&api, Some("mine"));
        assert!(renamed.contains("\nname = \"mine\"\n"));
    }
}
