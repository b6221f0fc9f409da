//! `corpus-check`: one line per document, exit 1 when any fails.

use std::path::PathBuf;
use std::process::Command;

mod common;

use common::repo;

/// "<name>: <n> operations, generated in <t> ms<rest>" → (name and count, rest).
fn split_timing(line: &str) -> (&str, &str) {
    let (head, tail) = line.split_once(", generated in ").expect(line);
    let (millis, rest) = tail.split_once(" ms").expect(line);
    assert!(millis.parse::<u64>().is_ok(), "{line}");
    (head, rest)
}

/// The build folder shared with the snapshot crates' compile test, so the
/// dependencies build once.
fn shared_target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
        .join("case-crates/target")
}

#[test]
fn prints_a_line_per_document_and_fails_when_one_fails() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("a_swagger.json"),
        r#"{"swagger": "2.0", "info": {"title": "old", "version": "1"}, "paths": {}}"#,
    )
    .unwrap();
    std::fs::write(folder.path().join("b_broken.yaml"), "openapi: [3.0.1\n").unwrap();
    std::fs::write(
        folder.path().join("c_tiny.yaml"),
        "openapi: 3.0.1\ninfo: {title: Tiny, version: '1'}\nservers: [{url: 'https://api.example.com'}]\n\
         paths:\n  /v1/Things/{Sid}:\n    delete:\n      operationId: DeleteThing\n      parameters:\n\
         \x20       - {name: Sid, in: path, required: true, schema: {type: string}}\n      responses:\n\
         \x20       '204': {description: Deleted}\n",
    )
    .unwrap();
    std::fs::write(folder.path().join("notes.txt"), "not a document").unwrap();
    let work = tempfile::tempdir().unwrap();
    let target = shared_target();
    let output = Command::new(env!("CARGO_BIN_EXE_corpus-check"))
        .arg(folder.path())
        .arg("--work-dir")
        .arg(work.path())
        .arg("--target-dir")
        .arg(&target)
        .arg("--offline")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        3,
        "one line per document, notes.txt skipped:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let swagger = folder.path().join("a_swagger.json");
    let broken = folder.path().join("b_broken.yaml");
    assert_eq!(
        split_timing(lines[0]),
        (
            "a_swagger.json: 0 operations",
            format!(
                ": FAILED: {}#/swagger: this is a Swagger \"2.0\" document; only OpenAPI 3.0.x is supported. Convert it first (for example with swagger2openapi)",
                swagger.display()
            )
            .as_str()
        )
    );
    assert_eq!(
        split_timing(lines[1]),
        (
            "b_broken.yaml: 0 operations",
            format!(
                ": FAILED: {}:2:1: not valid YAML: did not find expected ',' or ']' (line 2, column 1: fix the YAML syntax there)",
                broken.display()
            )
            .as_str()
        )
    );
    let (head, rest) = split_timing(lines[2]);
    assert_eq!(head, "c_tiny.yaml: 1 operations");
    let seconds = rest
        .strip_prefix(", checked in ")
        .and_then(|r| r.strip_suffix(" s: ok"))
        .unwrap_or_else(|| panic!("{}", lines[2]));
    assert!(seconds.parse::<f64>().is_ok(), "{}", lines[2]);
    assert!(work
        .path()
        .join("crates/corpus-c-tiny/src/requests.rs")
        .is_file());
    assert_eq!(output.status.code(), Some(1));
}

const TINY: &str = "openapi: 3.0.1\ninfo: {title: Tiny, version: '1'}\nservers: [{url: 'https://api.example.com'}]\n\
     paths:\n  /v1/Things/{Sid}:\n    delete:\n      operationId: DeleteThing\n      parameters:\n\
     \x20       - {name: Sid, in: path, required: true, schema: {type: string}}\n      responses:\n\
     \x20       '204': {description: Deleted}\n";

#[test]
fn checks_several_folders_and_documents_together() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::write(first.path().join("tiny.yaml"), TINY).unwrap();
    // The same file name in the second folder, and a document given by itself.
    std::fs::write(second.path().join("tiny.yaml"), TINY).unwrap();
    let single = tempfile::tempdir().unwrap();
    let alone = single.path().join("alone.yaml");
    std::fs::write(&alone, TINY).unwrap();
    let work = tempfile::tempdir().unwrap();
    let target = shared_target();
    let output = Command::new(env!("CARGO_BIN_EXE_corpus-check"))
        .arg(first.path())
        .arg(second.path())
        .arg(&alone)
        .arg("--work-dir")
        .arg(work.path())
        .arg("--target-dir")
        .arg(&target)
        .arg("--offline")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let heads: Vec<&str> = stdout.lines().map(|line| split_timing(line).0).collect();
    assert_eq!(
        heads,
        [
            "tiny.yaml: 1 operations",
            "tiny.yaml: 1 operations",
            "alone.yaml: 1 operations"
        ],
        "{stdout}\n{stderr}"
    );
    assert!(
        stdout.lines().all(|line| line.ends_with(" s: ok")),
        "{stdout}"
    );
    assert_eq!(stderr, "3 of 3 documents ok\n");
    for package in ["corpus-tiny", "corpus-tiny-2", "corpus-alone"] {
        assert!(
            work.path()
                .join("crates")
                .join(package)
                .join("src/lib.rs")
                .is_file(),
            "{package}"
        );
    }
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn an_empty_folder_is_a_usage_error() {
    let folder = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_corpus-check"))
        .arg(folder.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "error: {} holds no *.json, *.yaml or *.yml documents\n",
            folder.path().display()
        )
    );
}
