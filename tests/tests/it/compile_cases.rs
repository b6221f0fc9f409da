//! The snapshots compile: every case that generates is written out as a whole
//! crate and `cargo check`ed (warnings denied), all cases in one temporary
//! workspace so dependencies build once.

use std::process::Command;

use integration_tests::{repo_root, target_dir};
use twilio_codegen::Generator;

use super::snapshots::{cases, relative};

#[test]
fn generated_case_crates_compile_without_warnings() {
    let workspace = target_dir().join("case-crates");
    let _ = std::fs::remove_dir_all(workspace.join("crates"));
    let mut members = Vec::new();
    for case in cases() {
        let Ok(generated) = Generator::new(relative(&case))
            .crate_name(format!(
                "case-{}",
                case.file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .replace('_', "-")
            ))
            .generate()
        else {
            continue; // an error case: its snapshot is the error text
        };
        let stem = case.file_stem().unwrap().to_string_lossy().into_owned();
        generated
            .write_to(&workspace.join("crates").join(&stem))
            .unwrap();
        members.push(format!("\"crates/{stem}\""));
    }
    assert!(!members.is_empty());
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    // Same dependency versions as the main workspace, and no network needed.
    std::fs::copy(repo_root().join("Cargo.lock"), workspace.join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        .args([
            "check",
            "--workspace",
            "--all-targets",
            "--offline",
            "--quiet",
        ])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", workspace.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "generated case crates do not compile cleanly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
