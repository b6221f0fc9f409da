//! The README's code is real: each fenced block after a `<!-- snippet: PATH -->`
//! line is, verbatim, part of that file of the repository (the example crates,
//! which are built and tested).

use integration_tests::repo_root;

/// (path, block text) for every marked snippet, in README order.
fn snippets(readme: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let Some(path) = line
            .strip_prefix("<!-- snippet: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = lines.next().unwrap_or_default();
        assert!(fence.starts_with("```"), "no code block after {line}");
        let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        out.push((path.to_owned(), block.join("\n") + "\n"));
    }
    out
}

#[test]
fn readme_snippets_are_the_example_crates_code() {
    let root = repo_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let snippets = snippets(&readme);
    let paths: Vec<&str> = snippets.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "examples/build-rs/build.rs",
            "examples/build-rs/src/lib.rs",
            "examples/build-rs/Cargo.toml",
            "examples/webhook-receiver/src/main.rs",
            "examples/webhook-admin/Cargo.toml",
            "examples/webhook-admin/src/main.rs",
        ]
    );
    for (path, block) in &snippets {
        let file = std::fs::read_to_string(root.join(path)).unwrap();
        assert!(
            file.contains(block.as_str()),
            "the README's snippet of {path} is not in that file; copy it again:\n{block}"
        );
    }
}
