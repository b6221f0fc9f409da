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

/// One entry of a folder tree: path (relative to the tree's root), what it
/// is, bytes (a symlink's target), mode and mtime.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub path: PathBuf,
    pub kind: &'static str,
    pub bytes: Vec<u8>,
    pub mode: u32,
    pub mtime: (i64, i64),
}

/// The whole tree under `dir`, sorted, not following symlinks, to compare
/// folders exactly. Only regular files are read (a FIFO is an `other`, never
/// opened).
pub fn tree(dir: &Path) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let (kind, bytes) = if meta.is_dir() {
                stack.push(path.clone());
                ("dir", Vec::new())
            } else if meta.file_type().is_symlink() {
                (
                    "symlink",
                    std::fs::read_link(&path)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes(),
                )
            } else if meta.is_file() {
                ("file", std::fs::read(&path).unwrap())
            } else {
                ("other", Vec::new())
            };
            out.push(Entry {
                path: path.strip_prefix(dir).unwrap().to_owned(),
                kind,
                bytes,
                mode: mode(&meta),
                mtime: if meta.is_dir() {
                    (0, 0) // a folder's mtime changes when it is listed into
                } else {
                    let since = meta
                        .modified()
                        .unwrap()
                        .duration_since(std::time::UNIX_EPOCH)
                        .unwrap();
                    (since.as_secs() as i64, i64::from(since.subsec_nanos()))
                },
            });
        }
    }
    out.sort();
    out
}

/// The permission bits (elsewhere than Unix: only whether it is read-only).
fn mode(meta: &std::fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::mode(meta)
    }
    #[cfg(not(unix))]
    {
        u32::from(meta.permissions().readonly())
    }
}
