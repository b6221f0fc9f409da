//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

pub mod prism;

/// The repository root (the workspace).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_owned()
}

/// `../shared` beside the repository, when it is there (a fresh clone of the
/// repository alone does not have it). `TWILIO_SHARED_DIR` overrides.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("TWILIO_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared"));
    dir.is_dir().then_some(dir)
}

/// A response body from `tests/fixtures/responses/`.
pub fn response_fixture(name: &str) -> Vec<u8> {
    let path = repo_root().join("tests/fixtures/responses").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The build output folder (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"))
}

pub const ACCOUNT_SID: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const AUTH_TOKEN: &str = "your_auth_token";
/// `Basic ` + base64("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:your_auth_token"), computed independently.
pub const BASIC_AUTH: &str =
    "Basic QUNhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYTp5b3VyX2F1dGhfdG9rZW4=";
pub const CONVERSATION_SID: &str = "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const SERVICE_SID: &str = "ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const WEBHOOK_SID: &str = "WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
