//! Helpers shared by the generator's integration tests (each test binary
//! uses some of them, hence `dead_code` is allowed).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the workspace).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Runs the `twilio-codegen` CLI from the repository root.
pub fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_twilio-codegen"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
