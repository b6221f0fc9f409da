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

/// The longest title the crates.io one-liner quotes, in characters.
const MAX_TITLE_CHARS: usize = 200;

/// The crates.io one-liner: the document's title (cut to
/// [`MAX_TITLE_CHARS`]) and what the crate holds.
///
/// Cargo gives the description to every compiler run as an environment
/// variable (`CARGO_PKG_DESCRIPTION`), and a single variable of over 128 KiB
/// is refused by Linux (`Argument list too long`): a huge title would make
/// the crate unbuildable.
pub fn description(api: &Api) -> String {
    let title = doc_line(&api.title);
    let title = shortened(&title, MAX_TITLE_CHARS);
    format!("{title}: typed Rust bindings generated from its OpenAPI description (models, sans-IO request builders and an async client)")
}

/// `text` if it has at most `max` characters, else its first words that
/// fit (or its first `max` characters, when one word is longer) and `…`.
fn shortened(text: &str, max: usize) -> String {
    let Some((cut, _)) = text.char_indices().nth(max) else {
        return text.to_owned();
    };
    let head = &text[..cut];
    let head = match head.rfind(' ') {
        Some(space) if space > 0 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end())
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
    fn a_long_title_is_cut_at_a_word() {
        assert_eq!(shortened("Twilio - Api", 200), "Twilio - Api");
        assert_eq!(shortened("one two three", 9), "one two…");
        assert_eq!(shortened("abcdefghij", 4), "abcd…");
        assert_eq!(shortened("ééééé", 2), "éé…");
        let long = "word ".repeat(40_000);
        assert!(shortened(&long, MAX_TITLE_CHARS).chars().count() <= MAX_TITLE_CHARS + 1);
    }

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
