//! The generated crate's identity comes from the document (name, description,
//! README, crate docs, default server and origin), not from Conversations.

use std::path::{Path, PathBuf};

use integration_tests::{repo_root, shared_dir, target_dir};
use twilio_codegen::load::Documents;
use twilio_codegen::normalise::identity::{check_package_name, package_name};
use twilio_codegen::scratch::ScratchWorkspace;
use twilio_codegen::{Generated, Generator};

/// A folder holding `openapi.yaml` with `text`.
fn spec(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openapi.yaml"), text).unwrap();
    dir
}

/// A one-operation document with this `info` body and `servers` line.
fn document(info: &str, servers: &str) -> String {
    format!(
        "openapi: 3.0.1\ninfo: {{{info}}}\n{servers}\npaths:\n  /v2/Things:\n    get:\n      operationId: ListThing\n\
         \x20     responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n\
         \x20             schema: {{type: object, title: Thing, properties: {{sid: {{type: string}}}}}}\n"
    )
}

fn generate(dir: &Path) -> Generated {
    Generator::new(dir)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_package_is_derived_from_the_server_or_set_by_x_crate_name() {
    let derived = spec(&document(
        "title: Things, version: '1'",
        "servers: [{url: 'https://things.example.com'}]",
    ));
    let generated = generate(derived.path());
    let cargo = generated.file("Cargo.toml").unwrap();
    assert!(
        cargo.contains("\nname = \"example-things-v2\"\n"),
        "{cargo}"
    );
    assert!(cargo.contains("\ndescription = \"Things: typed Rust bindings generated from its OpenAPI description (models, sans-IO request builders and an async client)\"\n"));
    assert!(cargo.contains("\nkeywords = [\"example\", \"things\", \"openapi\", \"client\"]\n"));
    let spec_rs = generated.file("src/runtime/spec.rs").unwrap();
    assert!(spec_rs.contains("pub const DEFAULT_BASE_URL: &str = \"https://things.example.com\";"));
    assert!(spec_rs.contains("pub const DEFAULT_ORIGIN_HOST: &str = \"things.example.com\";"));

    let declared = spec(&document(
        "title: Things, version: '1', x-crate-name: my_things",
        "servers: [{url: 'https://things.example.com'}]",
    ));
    let generated = generate(declared.path());
    assert!(generated
        .file("Cargo.toml")
        .unwrap()
        .contains("\nname = \"my_things\"\n"));
    assert!(generated
        .file("README.md")
        .unwrap()
        .contains("\n# my_things\n"));
    // `--crate-name` wins over both.
    let renamed = Generator::new(declared.path())
        .crate_name("mine")
        .generate()
        .unwrap();
    assert!(renamed
        .file("Cargo.toml")
        .unwrap()
        .contains("\nname = \"mine\"\n"));
}

#[test]
fn a_bad_x_crate_name_is_an_error_at_its_key() {
    let dir = spec(&document(
        "title: Things, version: '1', x-crate-name: 'my things'",
        "servers: [{url: 'https://things.example.com'}]",
    ));
    let errors = Generator::new(dir.path()).generate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        format!(
            "error: {}#/info/x-crate-name: `my things` is not a valid package name: ` ` is not allowed (only ASCII letters, digits, `-` and `_`)\n1 error",
            dir.path().join("openapi.yaml").display()
        )
    );
}

#[test]
fn without_a_usable_server_the_client_goes_nowhere_and_the_cli_says_so() {
    for (servers, at, reason) in [
        (
            "",
            "#/servers",
            "the document names no server (no `servers: [{url: https://...}]`)",
        ),
        (
            "servers: [{url: /api}]",
            "#/servers/0/url",
            "the server `/api` is not absolute (it must start with https:// or http://)",
        ),
    ] {
        let dir = spec(&document("title: Local Things, version: '1'", servers));
        let generated = generate(dir.path());
        let spec_rs = generated.file("src/runtime/spec.rs").unwrap();
        assert!(
            spec_rs.contains("pub const DEFAULT_BASE_URL: &str = \"https://example.invalid\";"),
            "{spec_rs}"
        );
        assert_eq!(
            generated
                .api
                .fallbacks
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [format!(
                "fallback: (every operation): {}{at}: {reason}; the default base URL is `https://example.invalid`, which never resolves: give the client yours with `Api::with_base_url` or `Client::builder`",
                dir.path().join("openapi.yaml").display()
            )]
        );
        // No host to name the crate after: the title does.
        assert!(generated
            .file("Cargo.toml")
            .unwrap()
            .contains("\nname = \"local-things-v2\"\n"));
    }
}

#[test]
fn server_variables_take_their_defaults_and_ports_are_kept() {
    let dir = spec(&document(
        "title: Things, version: '1'",
        "servers: [{url: 'HTTP://{region}.Things.example.com:8080/base/', variables: {region: {default: eu}}}]",
    ));
    let spec_rs = generate(dir.path()).files;
    let spec_rs = &spec_rs
        .iter()
        .find(|f| f.path == "src/runtime/spec.rs")
        .unwrap()
        .contents;
    for line in [
        "pub const DEFAULT_BASE_URL: &str = \"http://eu.Things.example.com:8080/base\";",
        "pub const DEFAULT_ORIGIN_SCHEME: &str = \"http\";",
        "pub const DEFAULT_ORIGIN_HOST: &str = \"eu.things.example.com\";",
        "pub const DEFAULT_ORIGIN_PORT: u16 = 8080;",
    ] {
        assert!(spec_rs.contains(line), "{line}\n{spec_rs}");
    }
}

/// Every Twilio document beside the repository gets a valid, distinct-enough
/// package name by the rule (whether or not it generates yet).
#[test]
fn every_shared_document_gets_a_valid_package_name() {
    let Some(shared) = shared_or_skip("the package name of every Twilio document") else {
        return;
    };
    let mut seen = Vec::new();
    for folder in ["twilio-oai", "twilio-corpus", "twilio-oai-history"] {
        let Ok(entries) = std::fs::read_dir(shared.join(folder)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let docs = Documents::load(&path).unwrap_or_else(|e| panic!("{e}"));
            let name = package_name(&docs).unwrap();
            assert_eq!(
                check_package_name(&name),
                Ok(()),
                "{}: {name}",
                path.display()
            );
            seen.push((
                path.file_name().unwrap().to_string_lossy().into_owned(),
                name,
            ));
        }
    }
    let name_of = |file: &str| {
        seen.iter()
            .find(|(f, _)| f == file)
            .map(|(_, name)| name.as_str())
            .unwrap_or_else(|| panic!("{file} is not in ../shared"))
    };
    assert_eq!(name_of("twilio_messaging_v1.json"), "twilio-messaging-v1");
    assert_eq!(name_of("twilio_messaging_v2.json"), "twilio-messaging-v2");
    assert_eq!(name_of("twilio_api_v2010.json"), "twilio-api-v2010");
    assert_eq!(
        name_of("twilio_conversations_v1.json"),
        "twilio-conversations-v1"
    );
    assert_eq!(name_of("twilio_flex_v1.json"), "twilio-flex-api-v1");
    assert!(seen.len() >= 25, "{seen:?}");
}

/// Each Twilio document that generates (today; more as issue 10 lands) gets
/// a README and crate docs about itself, not about Conversations.
#[test]
fn every_shared_document_that_generates_describes_itself() {
    let Some(shared) = shared_or_skip("the README of every Twilio document") else {
        return;
    };
    let mut described = 0;
    for entry in std::fs::read_dir(shared.join("twilio-corpus")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let Ok(generated) = Generator::new(&path).generate() else {
            continue; // not yet: the corpus check reports it
        };
        let readme = generated.file("README.md").unwrap();
        let package = &generated.api.identity.package;
        assert!(
            readme.contains(&format!("\n# {package}\n")),
            "{}",
            path.display()
        );
        assert!(readme.contains(&format!(
            "**{}** (`{}`)",
            generated.api.title, generated.api.base_url
        )));
        assert!(
            !readme.to_lowercase().contains("conversation"),
            "{}: {readme}",
            path.display()
        );
        let lib = generated.file("src/lib.rs").unwrap();
        assert!(lib.contains(&format!("//! {}: typed Rust bindings", generated.api.title)));
        described += 1;
    }
    assert!(described > 0, "no document of twilio-corpus generates");
    eprintln!("{described} documents of twilio-corpus generate, each describing itself");
}

/// `../shared`, or `None` after saying why; under CI its absence fails.
fn shared_or_skip(what: &str) -> Option<PathBuf> {
    match shared_dir() {
        Some(dir) => Some(dir),
        None if std::env::var_os("CI").is_some() => {
            panic!("{what}: ../shared is not beside the repository, and CI is set")
        }
        None => {
            eprintln!("skipped: {what}: ../shared is not beside the repository");
            None
        }
    }
}

/// A scratch workspace of generated crates (`(name, crate)`), built beside
/// the snapshot crates (their dependencies are built once for all). Returns
/// the first crate's folder.
fn scratch(workspace: &str, crates: &[(&str, &Generated)]) -> (ScratchWorkspace, PathBuf) {
    let mut scratch = ScratchWorkspace::new(target_dir().join("identity-crates").join(workspace))
        .target_dir(target_dir().join("case-crates/target"))
        .lock_file(repo_root().join("Cargo.lock"));
    let dirs: Vec<PathBuf> = crates
        .iter()
        .map(|(name, generated)| scratch.add_crate(name, &generated.files).unwrap())
        .collect();
    scratch.write().unwrap();
    (scratch, dirs[0].clone())
}

fn run(workspace: &ScratchWorkspace, args: &[&str]) -> String {
    let output = workspace.cargo(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "cargo {args:?} in {} failed:\n{stdout}\n{}",
        workspace.dir().display(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// A crate for another server pages on that server only: the default
/// client's origin comes from the spec, not from Conversations.
#[test]
fn a_crate_for_another_server_follows_its_own_next_pages_only() {
    let generated = Generator::new(repo_root().join("tests/cases/list_page.yaml"))
        .crate_name("identity-list-page")
        .generate()
        .unwrap();
    // And a crate with no operation the README examples can call: its
    // README's fallback examples must pass too.
    let delete_only = spec(
        "openapi: 3.0.1\ninfo: {title: Deletions, version: '1'}\nservers: [{url: 'https://api.example.com'}]\n\
         paths:\n  /v1/Things/{Sid}:\n    delete:\n      operationId: DeleteThing\n      parameters:\n\
         \x20       - {name: Sid, in: path, required: true, schema: {type: string}}\n      responses:\n\
         \x20       '204': {description: Deleted}\n",
    );
    let delete_only = Generator::new(delete_only.path())
        .crate_name("identity-no-example")
        .generate()
        .unwrap();
    assert_eq!(delete_only.api.identity.example_operation, None);
    let (workspace, dir) = scratch(
        "another-server",
        &[
            ("identity-list-page", &generated),
            ("identity-no-example", &delete_only),
        ],
    );
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    std::fs::write(
        dir.join("tests/origin.rs"),
        r#"use identity_list_page::{Api, Credentials, Error, DEFAULT_BASE_URL};

#[test]
fn the_default_origin_is_the_spec_server() {
    let api = Api::new(Credentials::auth_token("AC123", "secret"));
    assert_eq!(DEFAULT_BASE_URL, "https://api.example.com");
    assert_eq!(api.origin(), "https://api.example.com");
    let parsed = Api::with_base_url(Credentials::auth_token("AC123", "secret"), DEFAULT_BASE_URL).unwrap();
    assert_eq!(parsed.origin(), api.origin());

    let next = api.follow("https://api.example.com/v1/Roles?PageSize=50&Page=1").unwrap();
    assert_eq!(next.uri(), "https://api.example.com/v1/Roles?PageSize=50&Page=1");
    let relative = api.follow("/v1/Roles?Page=2").unwrap();
    assert_eq!(relative.uri(), "https://api.example.com/v1/Roles?Page=2");
    for foreign in [
        "https://conversations.twilio.com/v1/Roles?Page=1",
        "http://api.example.com/v1/Roles?Page=1",
        "https://api.example.com.evil.test/v1/Roles?Page=1",
    ] {
        assert!(
            matches!(api.follow(foreign), Err(Error::ForeignPageUrl { .. })),
            "{foreign}"
        );
    }
}
"#,
    )
    .unwrap();
    // The origin test, and the README's examples as doctests.
    let stdout = run(
        &workspace,
        &["test", "--offline", "-p", "identity-list-page"],
    );
    assert!(
        stdout.contains("test the_default_origin_is_the_spec_server ... ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("src/lib.rs - ReadmeDoctests (line ") && doctests_passed(&stdout),
        "{stdout}"
    );
}

/// Twilio's Messaging v1: a README about Messaging whose examples call one
/// of Messaging's own operations, compiled and run.
#[test]
fn messaging_v1_gets_a_messaging_readme_whose_doctests_pass() {
    let Some(shared) = shared_or_skip("the Messaging v1 crate's README") else {
        return;
    };
    let path = shared.join("twilio-corpus/twilio_messaging_v1.json");
    let generated = Generator::new(&path)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let readme = generated.file("README.md").unwrap();
    assert!(readme.contains("\n# twilio-messaging-v1\n"), "{readme}");
    assert!(readme.contains("**Twilio - Messaging** (`https://messaging.twilio.com`)"));
    assert!(!readme.to_lowercase().contains("conversation"), "{readme}");
    let example = generated.api.identity.example_operation.as_deref().unwrap();
    let op = generated
        .api
        .operations
        .iter()
        .find(|op| op.id == example)
        .unwrap();
    assert!(
        readme.contains(&format!("requests::{}(&api", op.name)),
        "{readme}"
    );
    let lib = generated.file("src/lib.rs").unwrap();
    assert!(lib.starts_with("// @generated"), "{lib}");
    assert!(
        lib.contains("//! Twilio - Messaging: typed Rust bindings"),
        "{lib}"
    );
    assert!(
        lib.contains("//! Requests go to <https://messaging.twilio.com>"),
        "{lib}"
    );

    let (workspace, _) = scratch("messaging", &[("twilio-messaging-v1", &generated)]);
    let stdout = run(
        &workspace,
        &["test", "--offline", "--doc", "-p", "twilio-messaging-v1"],
    );
    assert!(doctests_passed(&stdout), "{stdout}");
}

/// `cargo test --doc` ran the README's examples (at least the client and
/// sans-IO ones) and none failed.
fn doctests_passed(stdout: &str) -> bool {
    stdout.lines().any(|line| {
        line.strip_prefix("test result: ok. ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n >= 2)
            && line.contains(" passed; 0 failed;")
    })
}
