//! Specs written to attack the generator: `$ref`s to files outside the spec's
//! folder, to devices, FIFOs, folders and huge files, symlinks out of the
//! folder, and nesting deep enough to overflow a stack. Each must end in a
//! clear error naming the `$ref` (exit 2, nothing written), never a read of
//! the file, a hang or a crash. The deep-nesting tests run through the library
//! in an ordinary test thread (2 MiB of stack), where an unbounded recursion
//! would overflow.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use twilio_codegen::load::MAX_FILE_BYTES;
use twilio_codegen::Generator;

mod common;

use common::stderr;

/// A root document whose one response schema is `$ref: <reference>`.
fn root_referring_to(reference: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: Hostile, version: '1'}}
servers: [{{url: 'https://example.com'}}]
paths:
  /v1/Things:
    get:
      operationId: FetchThing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '{reference}'
"
    )
}

const SCHEMA_AT: &str = "#/paths/~1v1~1Things/get/responses/200/content/application~1json/schema";

/// A temp folder holding `spec/` (with the root document) and room beside it.
struct Layout {
    dir: tempfile::TempDir,
}

impl Layout {
    fn new(reference: &str) -> Layout {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("spec")).unwrap();
        std::fs::write(
            dir.path().join("spec/openapi.yaml"),
            root_referring_to(reference),
        )
        .unwrap();
        Layout { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn root(&self) -> PathBuf {
        self.path("spec/openapi.yaml")
    }

    /// Runs the CLI on `spec/` into `out/`, killed if it takes over 60 s (a
    /// FIFO that blocked the read would otherwise hang the test).
    fn run(&self) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_twilio-codegen"))
            .arg("--spec")
            .arg(self.path("spec"))
            .arg("--out")
            .arg(self.path("out"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                panic!("the generator hung (killed after 60 s)");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().unwrap()
    }

    /// Runs the CLI and checks: exit 2, exactly the one error `message` at
    /// the `$ref`, and nothing written.
    fn refuses(&self, message: &str) {
        let output = self.run();
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        let expected = format!(
            "error: {}{SCHEMA_AT}: {message}\n1 error\nnothing was written to {}\n",
            self.root().display(),
            self.path("out").display()
        );
        assert_eq!(text, expected);
        assert!(!self.path("out").exists(), "nothing may be written");
    }
}

fn outside_message(reference: &str, target: &str, folder: &Path) -> String {
    format!(
        "`$ref: {reference}` points to {target}, outside the root document's folder ({}); only files in that folder and below it are read (after following `..` and symlinks), so copy the file there",
        folder.display()
    )
}

const SCHEMA_FILE: &str =
    "components:\n  schemas:\n    thing: {type: object, properties: {sid: {type: string}}}\n";

#[test]
fn a_ref_out_of_the_folder_with_dot_dot_is_refused() {
    for reference in [
        "../x.yaml#/components/schemas/thing",
        "sub/../../x.yaml#/components/schemas/thing",
        "./../spec/../x.yaml#/components/schemas/thing",
    ] {
        let layout = Layout::new(reference);
        // The file exists, so only the folder rule can refuse it.
        std::fs::write(layout.path("x.yaml"), SCHEMA_FILE).unwrap();
        std::fs::create_dir(layout.path("spec/sub")).unwrap();
        layout.refuses(&outside_message(
            reference,
            &layout.path("x.yaml").display().to_string(),
            &layout.path("spec"),
        ));
    }
}

#[test]
fn absolute_refs_are_refused_even_to_existing_files() {
    for target in ["/proc/self/environ", "/dev/zero", "/etc/hostname"] {
        let layout = Layout::new(target);
        let spec = layout.path("spec");
        layout.refuses(&outside_message(target, target, &spec));
    }
    // A file beside the spec folder, named by its absolute path.
    let layout = Layout::new("PLACEHOLDER");
    let beside = layout.path("beside.yaml");
    std::fs::write(&beside, SCHEMA_FILE).unwrap();
    let reference = format!("{}#/components/schemas/thing", beside.display());
    std::fs::write(layout.root(), root_referring_to(&reference)).unwrap();
    layout.refuses(&outside_message(
        &reference,
        &beside.display().to_string(),
        &layout.path("spec"),
    ));
}

#[test]
fn a_symlink_inside_the_folder_pointing_out_is_refused() {
    let reference = "link.yaml#/components/schemas/thing";
    let layout = Layout::new(reference);
    std::fs::write(layout.path("secret.yaml"), SCHEMA_FILE).unwrap();
    std::os::unix::fs::symlink("../secret.yaml", layout.path("spec/link.yaml")).unwrap();
    layout.refuses(&outside_message(
        reference,
        &layout.path("spec/link.yaml").display().to_string(),
        &layout.path("spec"),
    ));
    // To /dev/zero: refused before it is opened (it would never end).
    std::fs::remove_file(layout.path("spec/link.yaml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", layout.path("spec/link.yaml")).unwrap();
    layout.refuses(&outside_message(
        reference,
        &layout.path("spec/link.yaml").display().to_string(),
        &layout.path("spec"),
    ));
}

#[test]
fn a_symlink_that_stays_inside_the_folder_is_followed() {
    let layout = Layout::new("link.yaml#/components/schemas/thing");
    std::fs::create_dir(layout.path("spec/schemas")).unwrap();
    std::fs::write(layout.path("spec/schemas/thing.yaml"), SCHEMA_FILE).unwrap();
    std::os::unix::fs::symlink("schemas/thing.yaml", layout.path("spec/link.yaml")).unwrap();
    let output = layout.run();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let models = std::fs::read_to_string(layout.path("out/src/models.rs")).unwrap();
    assert!(models.contains("pub struct Thing"), "{models}");
}

#[test]
fn a_fifo_is_refused_without_blocking() {
    let reference = "pipe.yaml#/components/schemas/thing";
    let layout = Layout::new(reference);
    let made = Command::new("mkfifo")
        .arg(layout.path("spec/pipe.yaml"))
        .status()
        .expect("mkfifo (coreutils) runs");
    assert!(made.success());
    // Nobody ever writes to it: opening it for reading the usual way blocks.
    layout.refuses(&format!(
        "`$ref: {reference}` points to {}, which is a named pipe (FIFO), not a regular file; only regular files are read",
        layout.path("spec/pipe.yaml").display()
    ));
}

#[test]
fn a_folder_is_refused() {
    let reference = "dir.yaml#/components/schemas/thing";
    let layout = Layout::new(reference);
    std::fs::create_dir(layout.path("spec/dir.yaml")).unwrap();
    layout.refuses(&format!(
        "`$ref: {reference}` points to {}, which is a folder, not a regular file; only regular files are read",
        layout.path("spec/dir.yaml").display()
    ));
}

#[test]
fn a_file_over_the_cap_is_refused_unread() {
    let reference = "huge.json#/components/schemas/thing";
    let layout = Layout::new(reference);
    // Sparse: 16 MiB + 1 byte of zeros on disk costs nothing.
    let huge = std::fs::File::create(layout.path("spec/huge.json")).unwrap();
    huge.set_len(MAX_FILE_BYTES + 1).unwrap();
    layout.refuses(&format!(
        "`$ref: {reference}` points to {}, which is larger than 16 MiB, the most the generator reads from one file",
        layout.path("spec/huge.json").display()
    ));
}

#[test]
fn the_root_document_must_be_a_regular_file_under_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let fifo = dir.path().join("openapi.yaml");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let huge = dir.path().join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(MAX_FILE_BYTES + 1)
        .unwrap();
    for (spec, message) in [
        (
            fifo.clone(),
            format!("{}: the root document is a named pipe (FIFO), not a regular file; only regular files are read", fifo.display()),
        ),
        (
            PathBuf::from("/dev/zero"),
            "/dev/zero: the root document is a device, not a regular file; only regular files are read".to_owned(),
        ),
        (
            huge.clone(),
            format!("{}: the document is larger than 16 MiB, the most the generator reads from one file", huge.display()),
        ),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_twilio-codegen"))
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(text.starts_with(&format!("error: {message}: ")), "{text}");
        assert!(text.contains("\n1 error\n"), "{text}");
        assert!(!out.exists());
    }
}

/// A spec in memory-free form: the root document's text, in a temp folder,
/// through the library in this (ordinary, 2 MiB) test thread.
fn generate_text(name: &str, text: &str) -> Result<twilio_codegen::Generated, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    Generator::new(&path).generate().map_err(|errors| {
        errors
            .to_string()
            .replace(&*dir.path().to_string_lossy(), "DIR")
    })
}

fn head() -> String {
    root_referring_to("#/components/schemas/s0") + "components:\n  schemas:\n"
}

/// `n` component schemas, each reaching the next through `link`.
fn chain(n: usize, link: &str) -> String {
    let mut text = head();
    for i in 0..n {
        let next = format!("'#/components/schemas/s{}'", i + 1);
        text.push_str(&match link {
            "property" => format!(
                "    s{i}:\n      type: object\n      properties:\n        next:\n          $ref: {next}\n"
            ),
            "items" => format!("    s{i}:\n      type: array\n      items:\n        $ref: {next}\n"),
            _ => format!("    s{i}:\n      $ref: {next}\n"),
        });
    }
    text.push_str(&format!(
        "    s{n}:\n      type: object\n      properties:\n        end: {{type: string}}\n"
    ));
    text
}

#[test]
fn a_chain_of_2000_refd_components_is_an_error_not_a_crash() {
    for link in ["property", "items"] {
        let message = generate_text("openapi.yaml", &chain(2000, link)).unwrap_err();
        assert!(
            message.contains("schemas nest more than 32 levels deep here"),
            "{link}: {message}"
        );
        assert!(message.ends_with("\n1 error"), "{link}: {message}");
    }
    // A chain of `$ref` to `$ref` is followed without recursion: it generates.
    let generated = generate_text("openapi.yaml", &chain(2000, "ref")).unwrap();
    assert!(generated
        .file("src/models.rs")
        .unwrap()
        .contains("pub end: Option<String>"));
}

#[test]
fn a_chain_within_the_depth_limit_generates_and_formats() {
    // 31 levels of `Vec` in one type (the most the limit lets through):
    // emitted, parsed by syn and printed by prettyplease in this thread.
    let generated = generate_text("openapi.yaml", &chain(30, "items")).unwrap();
    let responses = generated.file("src/responses.rs").unwrap();
    assert!(responses.matches("Vec<").count() >= 30, "{responses}");
    let message = generate_text("openapi.yaml", &chain(32, "items")).unwrap_err();
    assert!(
        message.contains("schemas nest more than 32 levels deep here"),
        "{message}"
    );
}

#[test]
fn ten_thousand_levels_of_inline_nesting_are_an_error_not_a_crash() {
    let n = 10_000;
    // YAML flow style and JSON: objects in objects, and lists in lists.
    let yaml_objects = format!(
        "{}\n",
        root_referring_to("#/components/schemas/deep")
            + "components:\n  schemas:\n    deep: "
            + &"{type: object, properties: {a: ".repeat(n)
            + "{type: string}"
            + &"}}".repeat(n)
    );
    let yaml_lists = format!(
        "{}{}x{}\n",
        head(),
        "    s0: ".to_owned() + &"[".repeat(n),
        "]".repeat(n)
    );
    for (name, text) in [
        ("openapi.yaml", &yaml_objects),
        ("openapi.yaml", &yaml_lists),
    ] {
        let message = generate_text(name, text).unwrap_err();
        assert!(
            message.contains("not valid YAML: the document nests more than 128 levels deep"),
            "{message}"
        );
    }
    let json_objects = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "T", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{"deep": {}{{"type": "string"}}{}}}}}}}"#,
        r#"{"type": "object", "properties": {"a": "#.repeat(n),
        "}}".repeat(n)
    );
    let json_lists = format!(
        r#"{{"openapi": "3.0.3", "x": {}{}}}"#,
        "[".repeat(n),
        "]".repeat(n)
    );
    for text in [&json_objects, &json_lists] {
        let message = generate_text("openapi.json", text).unwrap_err();
        assert!(
            message.contains("not valid JSON: the document nests more than 128 levels deep"),
            "{message}"
        );
    }
}

/// `n` levels of inline `properties` in a component schema.
fn inline_properties(n: usize) -> String {
    root_referring_to("#/components/schemas/deep")
        + "components:\n  schemas:\n    deep: "
        + &"{type: object, properties: {a: ".repeat(n)
        + "{type: string}"
        + &"}}".repeat(n)
        + "\n"
}

#[test]
fn nesting_under_the_parser_limit_ends_in_a_result_or_a_clear_error() {
    // 30 levels of properties inline: 61 levels of YAML in the schema, read.
    let generated = generate_text("openapi.yaml", &inline_properties(30)).unwrap();
    assert!(generated
        .file("src/models.rs")
        .unwrap()
        .contains("pub struct DeepAAAAAAAAAAAAAAAAAAAAAAAAAAAAA {"));
    // 40 levels (81 of YAML): past what is handed to openapiv3 in one piece,
    // whose deserialisers would overflow the stack near 100.
    let message = generate_text("openapi.yaml", &inline_properties(40)).unwrap_err();
    let deep_at = format!(
        "DIR/openapi.yaml#/components/schemas/deep{}/properties: this is nested more than 64 levels deep inside one schema, parameter or operation",
        "/properties/a".repeat(32)
    );
    assert!(
        message.starts_with(&format!("error: {deep_at}")),
        "{message}"
    );
    assert!(message.ends_with("\n1 error"), "{message}");
    // 63 levels: past the parser's own limit.
    let message = generate_text("openapi.yaml", &inline_properties(63)).unwrap_err();
    assert!(
        message.contains("not valid YAML: the document nests more than 128 levels deep"),
        "{message}"
    );
    // Inline in an operation rather than a component: the same limit.
    let deep_response = root_referring_to("#/x").replace(
        "$ref: '#/x'",
        &("{type: object, properties: {a: ".repeat(40) + "{type: string}" + &"}}".repeat(40)),
    );
    let message = generate_text("openapi.yaml", &deep_response).unwrap_err();
    assert!(
        message.contains("this is nested more than 64 levels deep"),
        "{message}"
    );
}

/// The doc comments of a Rust file as rustdoc reads them: each run of
/// `///` (or `//!`) lines, prefix and common indentation removed.
fn doc_blocks(source: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut kind = "";
    for line in source.lines().chain(std::iter::once("")) {
        let trimmed = line.trim_start();
        let this = ["///", "//!"].into_iter().find(|p| trimmed.starts_with(p));
        match this {
            Some(prefix) if prefix == kind || current.is_empty() => {
                kind = prefix;
                current.push(&trimmed[3..]);
            }
            _ => {
                if !current.is_empty() {
                    let indent = current
                        .iter()
                        .filter(|l| !l.trim().is_empty())
                        .map(|l| l.len() - l.trim_start().len())
                        .min()
                        .unwrap_or(0);
                    let text: Vec<&str> = current
                        .iter()
                        .map(|l| {
                            if l.trim().is_empty() {
                                ""
                            } else {
                                &l[indent..]
                            }
                        })
                        .collect();
                    blocks.push(text.join("\n"));
                    current.clear();
                }
                if let Some(prefix) = this {
                    kind = prefix;
                    current.push(&trimmed[3..]);
                }
            }
        }
    }
    blocks
}

#[test]
fn code_in_spec_text_never_becomes_a_doctest() {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    let case = common::repo().join("tests/cases/doc_code_blocks.yaml");
    let generated = Generator::new(&case).generate().unwrap();
    let mut blocks_seen = 0;
    for file in generated.files.iter().filter(|f| f.path.ends_with(".rs")) {
        assert!(!file.contents.contains('\r'), "{}: a bare CR", file.path);
        for c in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}',
        ] {
            assert!(
                !file.contents.contains(c),
                "{}: U+{:04X}",
                file.path,
                c as u32
            );
        }
        for block in doc_blocks(&file.contents) {
            for event in Parser::new(&block) {
                if let Event::Start(Tag::CodeBlock(kind)) = event {
                    blocks_seen += 1;
                    assert!(
                        matches!(&kind, CodeBlockKind::Fenced(info) if info.as_ref() == "text"),
                        "{}: a code block rustdoc would run ({kind:?}) in:\n{block}",
                        file.path
                    );
                }
            }
        }
    }
    // The spec's code is all there, as text: each description in models,
    // requests and client (the blocks are repeated on builder and method).
    assert!(blocks_seen >= 5, "{blocks_seen}");
    let lib = generated.file("src/lib.rs").unwrap();
    assert!(
        lib.contains("//! std::process::exit(3): typed Rust bindings"),
        "{lib}"
    );
    let requests = generated.file("src/requests.rs").unwrap();
    assert!(
        requests.contains("/// ```text\n/// std::fs::remove_dir_all(\"/\").unwrap();"),
        "{requests}"
    );
}
