//! Regenerating across Twilio's published versions: for each consecutive
//! pair of `../shared/twilio-oai-history/*.json` (by date, the current
//! `../shared/twilio-oai` document last), both crates are generated (one
//! package name) into `target/semver-history/`, `cargo semver-checks
//! check-release` judges the step, and its verdict (major or not) must be
//! `twilio-codegen diff`'s. A step may only be major where the spec removed
//! or retyped something; the test prints, per step, which.
//!
//! cargo-semver-checks has no lint for a field, parameter or return type that
//! changed (0.51's lints see items, fields, variants and parameter counts,
//! not types: its issue #149), so where `diff` is major only because of
//! retyped items it names, semver-checks says minor. There rustc judges
//! instead: a probe crate reads each retyped field (or typed view) at its
//! old type, and must compile against the old crate and fail, on that very
//! line, against the new one. A retype the probe cannot express (a response
//! or path argument type) is accepted as semver-checks' blind spot and said
//! so.
//!
//! Skips, saying so, without `../shared` or `cargo-semver-checks`; fails
//! instead when `CI` is set (`.ci/run` installs cargo-semver-checks).

use std::path::{Path, PathBuf};
use std::process::Command;

use integration_tests::{repo_root, shared_dir, target_dir};
use twilio_codegen::diff::{self, Change, Diff, Level};
use twilio_codegen::scratch::ScratchWorkspace;
use twilio_codegen::Generator;

/// The generated crates' one package name (semver-checks compares a package
/// with itself).
const PACKAGE: &str = "conversations-history";

fn skip(why: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("semver history: {why}, and CI is set");
    }
    eprintln!("skipped: semver history: {why}");
}

/// The documents, oldest first, the current one last.
fn documents(shared: &Path) -> Vec<PathBuf> {
    let mut history: Vec<PathBuf> = std::fs::read_dir(shared.join("twilio-oai-history"))
        .map(|dir| {
            dir.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    // `twilio_conversations_v1.<YYYY-MM-DD>.json`: by name is by date.
    history.sort();
    history.push(shared.join("twilio-oai/twilio_conversations_v1.json"));
    history
}

/// What semver-checks said about one step.
struct Verdict {
    major: bool,
    /// `lint: item` per failure, for the messages.
    failures: Vec<String>,
}

fn semver_checks(cargo: &str, old: &Path, new: &Path, target: &Path) -> Verdict {
    let output = Command::new(cargo)
        .args(["semver-checks", "check-release", "--baseline-root"])
        .arg(old)
        .arg("--manifest-path")
        .arg(new.join("Cargo.toml"))
        // Judge the step as if it were released as a minor version: the
        // check fails exactly when it needs a major one.
        .args(["--release-type", "minor", "--color", "never"])
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo semver-checks runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let major = !output.status.success();
    assert!(
        !major || stderr.contains("semver requires new major version"),
        "cargo semver-checks failed without a verdict:\n{stderr}\n{stdout}"
    );
    let mut failures = Vec::new();
    let mut lint = "";
    let mut in_list = false;
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("--- failure ") {
            lint = rest.split(':').next().unwrap_or(rest);
            in_list = false;
        } else if line == "Failed in:" {
            in_list = true;
        } else if in_list && line.starts_with("  ") {
            failures.push(format!("{lint}: {}", line.trim()));
        } else {
            in_list = false;
        }
    }
    Verdict { major, failures }
}

/// A breaking change semver-checks 0.51 has no lint for: a type that changed
/// while the item stayed (field, parameter, response, path argument).
fn invisible_to_semver_checks(change: &Change) -> bool {
    change.change.starts_with("type changed from")
        || change.change.starts_with("response changed from")
        || change.change.starts_with("path arguments changed from")
        || change.change.starts_with("typed view's type changed from")
}

/// The keys of a schema that decide its Rust type (not its docs, examples
/// or nullability: every response field is an `Option` anyway).
const TYPE_KEYS: [&str; 10] = [
    "type",
    "format",
    "items",
    "$ref",
    "properties",
    "enum",
    "additionalProperties",
    "oneOf",
    "anyOf",
    "allOf",
];

/// The schema at `file#/pointer` in `doc`, reduced to [`TYPE_KEYS`].
fn type_keys(doc: &serde_json::Value, pointer: &str) -> Option<serde_json::Value> {
    let schema = doc.pointer(pointer)?.as_object()?;
    Some(
        TYPE_KEYS
            .iter()
            .filter_map(|k| schema.get(*k).map(|v| (k.to_string(), v.clone())))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    )
}

/// Why a breaking change is not the spec's removing or retyping something,
/// if it is not: a rename the generator made, or a type that changed though
/// the schema at the same place in both documents says the same.
fn not_from_the_spec(
    change: &Change,
    old: &serde_json::Value,
    new: &serde_json::Value,
) -> Option<String> {
    if change.change.contains("renamed") {
        return Some("a name the generator changed (same shape)".into());
    }
    if change.change.starts_with("type changed from") {
        let pointer = change.at.split_once('#').map_or("", |(_, p)| p);
        if let (Some(was), Some(now)) = (type_keys(old, pointer), type_keys(new, pointer)) {
            if was == now {
                return Some(format!(
                    "the schema at #{pointer} is the same in both documents ({now}): the generator typed it differently"
                ));
            }
        }
        return None;
    }
    if change.change.contains("removed") || change.change.starts_with("changed between") {
        return None;
    }
    Some("neither a removal nor a retype".into())
}

/// One line of the probe crate that reads `change`'s item at its old type,
/// or `None` for a kind of change the probe does not express.
fn probe_line(change: &Change) -> Option<String> {
    if let Some(types) = change.change.strip_prefix("type changed from ") {
        // `models::X::field` or `requests::XParams::field`.
        let (was, _) = types.split_once(" to ")?;
        let (owner, field) = change.item.rsplit_once("::")?;
        return Some(format!("(x: &api::{owner}) -> &{was} {{ &x.{field} }}"));
    }
    if let Some(types) = change
        .change
        .strip_prefix("typed view's type changed from ")
    {
        // `models::X::field::typed_field()`.
        let (was, _) = types.split_once(" to ")?;
        let (owner, method) = change.item.strip_suffix("()")?.rsplit_once("::")?;
        let (owner, _field) = owner.rsplit_once("::")?;
        return Some(format!(
            "(x: &api::{owner}) -> Result<Option<{was}>, serde_json::Error> {{ x.{method}() }}"
        ));
    }
    None
}

/// `cargo check` of a crate whose `src/lib.rs` holds `probes` (one function
/// per line, from [`probe_first_line`]) against the generated crate
/// in `api`; the lines rustc reports an error on.
fn probe_errors(
    cargo: &str,
    dir: &Path,
    api: &Path,
    probes: &[String],
    target: &Path,
) -> Vec<usize> {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"semver-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\napi = {{ package = \"{PACKAGE}\", path = {:?}, default-features = false }}\nserde_json = \"1\"\n",
            api.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let mut lib = String::from(PROBE_HEADER);
    for (i, probe) in probes.iter().enumerate() {
        lib.push_str(&format!("pub fn probe_{i}{probe}\n"));
    }
    std::fs::write(dir.join("src/lib.rs"), lib).unwrap();
    let output = Command::new(cargo)
        .args(["check", "--quiet", "--message-format", "short"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo check runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<usize> = stderr
        .lines()
        .filter(|l| l.contains(": error"))
        .filter_map(|l| {
            l.strip_prefix("src/lib.rs:")?
                .split(':')
                .next()?
                .parse()
                .ok()
        })
        .collect();
    assert!(
        output.status.success() || !lines.is_empty(),
        "the probe crate failed without an error in src/lib.rs:\n{stderr}"
    );
    lines
}

/// What every probe may name: the models, and the types fields use.
const PROBE_HEADER: &str = "#![allow(unused_imports, deprecated, dead_code)]\nuse api::models::*;\nuse api::runtime::dates::Timestamp;\nuse serde_json::{Map, Value};\nuse std::collections::BTreeMap;\n";

/// The line of `probe_0` (the header's lines come first).
fn probe_first_line() -> usize {
    PROBE_HEADER.lines().count() + 1
}

fn breaking_lines(d: &Diff) -> String {
    d.at_level(Level::Major)
        .map(|c| format!("    {}: {} ({})\n", c.item, c.change, c.at))
        .collect()
}

fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn each_published_step_is_judged_like_cargo_semver_checks_does() {
    let Some(shared) = shared_dir() else {
        return skip("../shared is not beside the repository");
    };
    let documents = documents(&shared);
    if documents.len() < 2 || documents.iter().any(|d| !d.is_file()) {
        return skip("../shared/twilio-oai-history or ../shared/twilio-oai is incomplete");
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let installed = Command::new(&cargo)
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        return skip(
            "cargo-semver-checks is not installed (`cargo install --locked cargo-semver-checks`)",
        );
    }

    let root = target_dir().join("semver-history");
    // One build folder for every crate: dependencies build once.
    let target = std::path::absolute(root.join("target")).unwrap();
    let mut crates = Vec::new();
    let mut apis = Vec::new();
    for (i, document) in documents.iter().enumerate() {
        let generated = Generator::new(document)
            .crate_name(PACKAGE)
            .generate()
            .unwrap_or_else(|e| panic!("{}: {e}", document.display()));
        let mut workspace = ScratchWorkspace::new(root.join(format!("v{i}")))
            .target_dir(&target)
            .lock_file(repo_root().join("Cargo.lock"));
        let dir = workspace.add_crate("crate", &generated.files).unwrap();
        workspace.write().unwrap();
        crates.push(std::path::absolute(dir).unwrap());
        apis.push(generated.api);
    }

    let mut report = String::new();
    let mut wrong = Vec::new();
    for i in 1..documents.len() {
        let name = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
        let step = format!("{} -> {}", name(&documents[i - 1]), name(&documents[i]));
        let d = diff::diff(&apis[i - 1], &apis[i]);
        let verdict = semver_checks(&cargo, &crates[i - 1], &crates[i], &target);
        let diff_major = d.semver() == Level::Major;
        report.push_str(&format!(
            "{step}: diff says {}, cargo semver-checks says {}\n",
            d.semver(),
            if verdict.major { "major" } else { "not major" }
        ));
        for failure in verdict.failures.iter().take(10) {
            report.push_str(&format!("    semver-checks: {failure}\n"));
        }
        if verdict.failures.len() > 10 {
            report.push_str(&format!(
                "    semver-checks: … {} more\n",
                verdict.failures.len() - 10
            ));
        }
        report.push_str(&breaking_lines(&d));

        let breaking: Vec<&Change> = d.at_level(Level::Major).collect();
        if verdict.major && !diff_major {
            wrong.push(format!(
                "{step}: cargo semver-checks finds a major change that diff does not"
            ));
        }
        if diff_major && !verdict.major {
            if !breaking.iter().all(|c| invisible_to_semver_checks(c)) {
                wrong.push(format!(
                    "{step}: diff calls it major for changes cargo semver-checks can see, and it does not"
                ));
            }
            // Where semver-checks is blind, rustc decides.
            let (probed, unprobed): (Vec<_>, Vec<_>) = breaking
                .iter()
                .map(|c| (c, probe_line(c)))
                .partition(|(_, line)| line.is_some());
            let probes: Vec<String> = probed.iter().filter_map(|(_, l)| l.clone()).collect();
            if !probes.is_empty() {
                let dir = root.join(format!("probe{i}"));
                let on_old = probe_errors(&cargo, &dir, &crates[i - 1], &probes, &target);
                let on_new = probe_errors(&cargo, &dir, &crates[i], &probes, &target);
                if !on_old.is_empty() {
                    wrong.push(format!(
                        "{step}: the probe does not compile against the old crate (lines {on_old:?} of {})",
                        dir.join("src/lib.rs").display()
                    ));
                }
                for (n, (change, _)) in probed.iter().enumerate() {
                    if !on_new.contains(&(probe_first_line() + n)) {
                        wrong.push(format!(
                            "{step}: {}: diff says {}, but code reading it at the old type still compiles",
                            change.item, change.change
                        ));
                    }
                }
                report.push_str(&format!(
                    "    rustc: {} of {} retyped item(s) probed: each compiles against the old crate and fails against the new\n",
                    probes.len(),
                    breaking.len()
                ));
            }
            for (change, _) in unprobed
                .iter()
                .filter(|(c, _)| invisible_to_semver_checks(c))
            {
                report.push_str(&format!(
                    "    accepted unprobed (no lint in cargo-semver-checks, no probe here): {}: {}\n",
                    change.item, change.change
                ));
            }
        }
        let (old_doc, new_doc) = (json(&documents[i - 1]), json(&documents[i]));
        let not_spec: Vec<String> = breaking
            .iter()
            .filter_map(|c| {
                let why = not_from_the_spec(c, &old_doc, &new_doc)?;
                Some(format!("    {}: {}: {why}", c.item, c.change))
            })
            .collect();
        if !not_spec.is_empty() {
            wrong.push(format!(
                "{step}: major, though the spec neither removed nor retyped these {} item(s):\n{}{}",
                not_spec.len(),
                not_spec[..not_spec.len().min(5)].join("\n"),
                if not_spec.len() > 5 { "\n    …" } else { "" }
            ));
        }
    }
    eprintln!("{report}");
    assert!(wrong.is_empty(), "{}\n\n{report}", wrong.join("\n"));
}
