//! A throwaway Cargo workspace of generated crates, to compile them the way
//! a user would: the crates are written under one folder, share one lock
//! file (copied in, so no new versions are resolved and no network is
//! needed for what is already cached) and one build folder (dependencies
//! build once), and every cargo run denies warnings.
//!
//! Used by the snapshot cases' compile check, the fuzz test, the identity
//! tests and the `corpus-check` binary.
//!
//! ```no_run
//! use twilio_codegen::scratch::ScratchWorkspace;
//! use twilio_codegen::Generator;
//!
//! let generated = Generator::new("spec").crate_name("scratch-api").generate()?;
//! let mut workspace = ScratchWorkspace::new("target/scratch").lock_file("Cargo.lock");
//! workspace.add_crate("crates/scratch-api", &generated.files)?;
//! workspace.write()?;
//! let output = workspace.cargo(&["check", "--workspace", "--all-targets"]).output()?;
//! assert!(output.status.success());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;
use crate::output::{self, GeneratedFile};

/// See the [module docs](self).
#[derive(Clone, Debug)]
pub struct ScratchWorkspace {
    dir: PathBuf,
    target_dir: PathBuf,
    lock_file: Option<PathBuf>,
    members: Vec<String>,
}

impl ScratchWorkspace {
    /// A workspace in `dir`, built in `dir/target` unless
    /// [`Self::target_dir`] says otherwise.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        ScratchWorkspace {
            target_dir: dir.join("target"),
            dir,
            lock_file: None,
            members: Vec::new(),
        }
    }

    /// Builds in `dir` (share one between workspaces so their dependencies
    /// build once).
    pub fn target_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.target_dir = dir.into();
        self
    }

    /// Copies this `Cargo.lock` in, pinning the versions it names.
    pub fn lock_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.lock_file = Some(path.into());
        self
    }

    /// The workspace folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Removes the member folder `member` (relative to the workspace) with
    /// whatever a previous run left there, writes `files` into it, and makes
    /// it a member. Returns the crate's folder.
    pub fn add_crate(&mut self, member: &str, files: &[GeneratedFile]) -> Result<PathBuf, Error> {
        let path = self.dir.join(member);
        let _ = std::fs::remove_dir_all(&path);
        output::write(&path, files)?;
        self.members.push(member.to_owned());
        Ok(path)
    }

    /// Writes the workspace's `Cargo.toml` naming every member added, and
    /// copies the lock file in.
    pub fn write(&self) -> std::io::Result<()> {
        let mut manifest = String::from("[workspace]\nresolver = \"2\"\nmembers = [\n");
        for member in &self.members {
            let _ = writeln!(manifest, "    \"{member}\",");
        }
        manifest.push_str("]\n");
        std::fs::create_dir_all(&self.dir)?;
        std::fs::write(self.dir.join("Cargo.toml"), manifest)?;
        if let Some(lock) = &self.lock_file {
            std::fs::copy(lock, self.dir.join("Cargo.lock"))?;
        }
        Ok(())
    }

    /// `cargo <args>` in the workspace (the `CARGO` that runs us, else
    /// `cargo` from `PATH`), building in the target folder with warnings
    /// denied (`RUSTFLAGS=-D warnings`; for clippy's own lints also pass
    /// `-- -D warnings`).
    pub fn cargo(&self, args: &[&str]) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        // Cargo reads a relative target folder from the workspace, not from here.
        let target_dir = std::path::absolute(&self.target_dir).unwrap_or(self.target_dir.clone());
        let mut command = Command::new(cargo);
        command
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", target_dir)
            .env("RUSTFLAGS", "-D warnings");
        command
    }
}
