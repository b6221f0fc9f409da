//! `Cargo.toml` of the generated crate, stamped from `templates/Cargo.toml`.

pub const PATH: &str = "Cargo.toml";

const TEMPLATE: &str = include_str!("../../../templates/Cargo.toml");

/// The template, with the package name replaced when one is given.
pub fn generate(crate_name: Option<&str>) -> String {
    let mut out = String::with_capacity(TEMPLATE.len());
    for line in TEMPLATE.lines() {
        match crate_name {
            Some(name) if line.starts_with("name = ") => {
                out.push_str(&format!("name = \"{name}\""))
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}
