//! `README.md` of the generated crate (its crates.io page), stamped from
//! `templates/README.md`. The crate's `src/lib.rs` compiles its examples as
//! doctests.

use crate::output::{GeneratedFile, MARKER};

pub const PATH: &str = "README.md";

const TEMPLATE: &str = include_str!("../../../templates/README.md");

/// The package name the template is written for.
const TEMPLATE_NAME: &str = "twilio-conversations-webhooks";

/// The template with the `@generated` marker on its first line (an HTML
/// comment, which crates.io does not show), and the crate's name in place of
/// the template's when one is given.
pub fn generate(crate_name: Option<&str>) -> GeneratedFile {
    let mut text = TEMPLATE.to_owned();
    if let Some(name) = crate_name {
        text = text
            .replace(TEMPLATE_NAME, name)
            .replace(&TEMPLATE_NAME.replace('-', "_"), &name.replace('-', "_"));
    }
    GeneratedFile {
        path: PATH.to_owned(),
        contents: format!(
            "<!-- {MARKER}. Do not edit: change templates/README.md and run `cargo run -p twilio-codegen`. -->\n\n{text}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_as_ours_and_renamed_with_the_crate() {
        let file = generate(Some("case-list-page"));
        assert_eq!(file.path, "README.md");
        let first = file.contents.lines().next().unwrap();
        assert!(
            first.starts_with("<!-- ") && first.contains(MARKER),
            "{first}"
        );
        assert!(file.contents.contains("# case-list-page\n"));
        assert!(file.contents.contains("use case_list_page::"));
        assert!(!file.contents.contains("twilio-conversations-webhooks"));
        assert!(!file.contents.contains("twilio_conversations_webhooks"));
    }
}
