//! The documentation's code is real: each fenced block of the README or of
//! `docs/*.md` after a `<!-- snippet: PATH -->` line is, verbatim, part of
//! that file of the repository (the example crates, which are built and
//! tested).

use integration_tests::repo_root;

/// (path, block text) for every marked snippet, in document order.
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

/// The README and every document in `docs/`, README first, then by name.
fn documents(root: &std::path::Path) -> Vec<(String, String)> {
    let mut docs: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    docs.sort();
    std::iter::once(root.join("README.md"))
        .chain(docs)
        .map(|path| {
            let name = path.strip_prefix(root).unwrap().display().to_string();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

#[test]
fn readme_snippets_are_the_example_crates_code() {
    let root = repo_root();
    let mut paths = Vec::new();
    for (doc, text) in documents(&root) {
        for (path, block) in snippets(&text) {
            let file = std::fs::read_to_string(root.join(&path)).unwrap();
            assert!(
                file.contains(block.as_str()),
                "{doc}'s snippet of {path} is not in that file; copy it again:\n{block}"
            );
            paths.push(format!("{doc}: {path}"));
        }
    }
    assert_eq!(
        paths,
        [
            "README.md: examples/webhook-admin/Cargo.toml",
            "README.md: examples/build-rs/build.rs",
            "README.md: examples/build-rs/src/lib.rs",
            "README.md: examples/build-rs/Cargo.toml",
            "docs/client.md: examples/webhook-admin/src/main.rs",
            "docs/webhooks.md: examples/webhook-receiver/src/main.rs",
        ]
    );
}
