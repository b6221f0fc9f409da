//! The generator used from `build.rs`, as `examples/build-rs/` uses it: the
//! example and the spec are copied into a folder of their own, built, the spec
//! is changed, and the regenerated code is checked. Also: changes to files the
//! generator does not read do not rerun the build script, and a broken spec
//! fails the build with one line naming the file and JSON pointer.
//!
//! The copies share one target folder (`target/build-rs-regen/target`), so
//! the dependencies build once; they build with `--no-default-features`
//! (the sans-IO core) to keep that short. Cargo names a package's build
//! folder by its path relative to its workspace, which is the same for every
//! copy, so the tests take turns (see [`one_at_a_time`]).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};
use std::time::SystemTime;

use integration_tests::{repo_root, target_dir};

const PACKAGE: &str = "build-rs-example";
const FILE: &str = "twilio_conversations.rs";

/// Every copy has the same build folder in the shared target folder (cargo
/// hashes a package's path relative to its workspace root); two copies built
/// at once would see each other's fingerprints.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `<target>/build-rs-regen/<name>/{examples/build-rs, spec}`, fresh copies;
/// returns the crate's folder.
fn copy_project(name: &str) -> PathBuf {
    let root = repo_root();
    let project = target_dir().join("build-rs-regen").join(name);
    let _ = std::fs::remove_dir_all(&project);
    let krate = project.join("examples/build-rs");
    copy_dir(&root.join("examples/build-rs"), &krate);
    copy_dir(&root.join("spec"), &project.join("spec"));
    // The build-dependency on the generator, by absolute path; and a
    // workspace of its own (the copy sits inside this repository's target/).
    let manifest = krate.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let relative = r#"path = "../../generator""#;
    assert!(text.contains(relative), "{text}");
    let absolute = format!("path = {:?}", root.join("generator").display().to_string());
    let text = text.replace(relative, &absolute) + "\n[workspace]\n";
    std::fs::write(&manifest, text).unwrap();
    // Same dependency versions as the repository, and no network needed.
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    krate
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&path, &to.join(entry.file_name()));
            }
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}

/// One `cargo check -v` of the copied crate.
struct Build {
    output: Output,
    stderr: String,
}

impl Build {
    fn run(krate: &Path) -> Build {
        let output = Command::new(env!("CARGO"))
            .args([
                "check",
                "--offline",
                "--no-default-features",
                "-v",
                "--message-format=json",
            ])
            .current_dir(krate)
            .env(
                "CARGO_TARGET_DIR",
                target_dir().join("build-rs-regen/target"),
            )
            .env("CARGO_TERM_COLOR", "never")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        Build { output, stderr }
    }

    fn assert_success(&self) -> &Self {
        assert!(
            self.output.status.success(),
            "cargo check failed:\n{}",
            self.stderr
        );
        self
    }

    /// Did the example's build script run (rather than being fresh)?
    fn ran_build_script(&self) -> bool {
        self.stderr.lines().any(|line| {
            line.trim_start().starts_with("Running `")
                && line.contains(&format!("/build/{PACKAGE}-"))
                && line.contains("build-script-build")
        })
    }

    /// The generated file in the example's `OUT_DIR`, from cargo's
    /// `build-script-executed` message.
    fn generated_file(&self) -> PathBuf {
        let stdout = String::from_utf8_lossy(&self.output.stdout);
        let out_dirs: Vec<PathBuf> = stdout
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|message| {
                message["reason"] == "build-script-executed"
                    && message["package_id"]
                        .as_str()
                        .is_some_and(|id| id.contains(&format!("{PACKAGE}@")))
            })
            .filter_map(|message| message["out_dir"].as_str().map(PathBuf::from))
            .collect();
        assert_eq!(out_dirs.len(), 1, "{stdout}");
        out_dirs[0].join(FILE)
    }
}

/// The declaration of `ConversationScopedWebhookTarget` in the generated code.
fn target_enum(code: &str) -> &str {
    let start = code
        .find("pub enum ConversationScopedWebhookTarget {")
        .expect("the target enum");
    let len = code[start..].find("\n    }\n").unwrap();
    &code[start..start + len]
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from:?} in {}",
        path.display()
    );
    std::fs::write(path, text.replace(from, to)).unwrap();
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn editing_a_spec_fragment_regenerates_and_nothing_else_does() {
    let _turn = one_at_a_time();
    let krate = copy_project("regen");
    let spec = krate.join("../../spec");
    let fragment = spec.join("conversation_scoped_webhooks.yaml");

    let first = Build::run(&krate);
    first.assert_success();
    assert!(first.ran_build_script(), "{}", first.stderr);
    let generated = first.generated_file();
    let before = std::fs::read_to_string(&generated).unwrap();
    assert!(before.contains("/// Create a new webhook scoped to the conversation\n"));
    assert!(!target_enum(&before).contains("Flex"));

    // A description and an enum value change in one fragment.
    edit(
        &fragment,
        "    description: Create a new webhook scoped to the conversation\n",
        "    description: Create a webhook on this conversation (edited by the regeneration test)\n",
    );
    edit(
        &fragment,
        "        - studio\n      description: 'The target of this webhook",
        "        - studio\n        - flex\n      description: 'The target of this webhook",
    );
    let second = Build::run(&krate);
    second.assert_success();
    assert!(second.ran_build_script(), "{}", second.stderr);
    assert_eq!(second.generated_file(), generated);
    let after = std::fs::read_to_string(&generated).unwrap();
    assert!(
        after.contains(
            "/// Create a webhook on this conversation (edited by the regeneration test)\n"
        ),
        "the new description is not in {}",
        generated.display()
    );
    assert!(!after.contains("Create a new webhook scoped to the conversation\n"));
    assert!(
        target_enum(&after).contains("/// `flex`\n        Flex,\n"),
        "no Flex variant:\n{}",
        target_enum(&after)
    );
    let written_at = modified(&generated);

    // Files the generator does not read: the crate's own source, a new file
    // beside the spec. The build script stays fresh; the crate recompiles.
    std::fs::write(
        krate.join("src/lib.rs"),
        std::fs::read_to_string(krate.join("src/lib.rs")).unwrap() + "\n// edited\n",
    )
    .unwrap();
    std::fs::write(spec.join("NOTES.md"), "not a spec file\n").unwrap();
    let third = Build::run(&krate);
    third.assert_success();
    assert!(!third.ran_build_script(), "{}", third.stderr);
    assert!(
        third.stderr.lines().any(|line| line
            .trim_start()
            .starts_with(&format!("Dirty {PACKAGE} "))
            && line.contains("src/lib.rs")),
        "{}",
        third.stderr
    );
    assert_eq!(modified(&generated), written_at);

    // A read fragment changed without changing the output (a YAML comment):
    // the script reruns but leaves the file, and its time, alone.
    std::fs::write(
        spec.join("common.yaml"),
        std::fs::read_to_string(spec.join("common.yaml")).unwrap() + "# a comment\n",
    )
    .unwrap();
    let fourth = Build::run(&krate);
    fourth.assert_success();
    assert!(fourth.ran_build_script(), "{}", fourth.stderr);
    assert_eq!(std::fs::read_to_string(&generated).unwrap(), after);
    assert_eq!(modified(&generated), written_at);
}

#[test]
fn a_broken_spec_fails_the_build_with_one_line_per_error() {
    let _turn = one_at_a_time();
    let krate = copy_project("broken");
    let fragment = krate.join("../../spec/conversation_scoped_webhooks.yaml");
    edit(
        &fragment,
        "operationId: CreateConversationScopedWebhook\n",
        "operationId: ListConversationScopedWebhook\n",
    );
    let build = Build::run(&krate);
    assert!(!build.output.status.success(), "{}", build.stderr);
    let errors: Vec<&str> = build
        .stderr
        .lines()
        .filter(|line| line.starts_with(&format!("error: {PACKAGE}@")))
        .collect();
    assert_eq!(
        errors,
        [format!(
            "error: {PACKAGE}@0.0.0: ../../spec/conversation_scoped_webhooks.yaml#/collection/post/operationId: \
             operationId `ListConversationScopedWebhook` is also used at \
             ../../spec/conversation_scoped_webhooks.yaml#/collection/get/operationId; operation ids must be unique"
        )],
        "{}",
        build.stderr
    );
    assert!(
        build.stderr.contains("error: build script logged errors"),
        "{}",
        build.stderr
    );
    assert!(!build.stderr.contains("panicked"), "{}", build.stderr);
    assert!(!build.stderr.contains("RUST_BACKTRACE"), "{}", build.stderr);
}
