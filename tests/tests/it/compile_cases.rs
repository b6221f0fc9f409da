//! The snapshots compile: every case that generates is written out as a whole
//! crate and `cargo check`ed (warnings denied), all cases in one temporary
//! workspace so dependencies build once.

use integration_tests::{repo_root, target_dir};
use twilio_codegen::scratch::ScratchWorkspace;
use twilio_codegen::Generator;

use super::snapshots::{cases, relative};

#[test]
fn generated_case_crates_compile_without_warnings() {
    let dir = target_dir().join("case-crates");
    let _ = std::fs::remove_dir_all(dir.join("crates"));
    // Same dependency versions as the main workspace, and no network needed.
    let mut workspace = ScratchWorkspace::new(dir).lock_file(repo_root().join("Cargo.lock"));
    let mut compiled = 0;
    for case in cases() {
        let stem = case.file_stem().unwrap().to_string_lossy().into_owned();
        let Ok(generated) = Generator::new(relative(&case))
            .crate_name(format!("case-{}", stem.replace('_', "-")))
            .generate()
        else {
            continue; // an error case: its snapshot is the error text
        };
        workspace
            .add_crate(&format!("crates/{stem}"), &generated.files)
            .unwrap();
        compiled += 1;
    }
    assert!(compiled > 0);
    workspace.write().unwrap();
    let output = workspace
        .cargo(&[
            "check",
            "--workspace",
            "--all-targets",
            "--offline",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "generated case crates do not compile cleanly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
