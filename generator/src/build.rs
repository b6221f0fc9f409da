//! Running the generator from a build script.
//!
//! [`Generator::build_script`] generates the API as one Rust file (see
//! [`crate::single_file`]), writes it into `OUT_DIR` (only when its bytes
//! changed) and prints `cargo:rerun-if-changed` for every spec file it read,
//! so cargo reruns the script when a fragment changes and at no other time.
//! The crate then includes the file at its root:
//!
//! ```ignore
//! // build.rs
//! fn main() {
//!     let generator = twilio_codegen::Generator::new("../spec");
//!     if let Err(errors) = generator.build_script("twilio_conversations.rs") {
//!         twilio_codegen::build::report(&errors);
//!     }
//! }
//!
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/twilio_conversations.rs"));
//! ```
//!
//! A relative spec path is relative to the package (a build script runs in
//! its package's folder). The including crate needs the generated crate's
//! dependencies and a `client` feature; `examples/build-rs/` in this
//! repository is a complete example.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Errors};
use crate::generate::{Generated, Generator};
use crate::single_file;

/// What [`Generator::write_single_file`] (and so
/// [`Generator::build_script`]) did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SingleFile {
    /// The file: `dir/file_name`.
    pub path: PathBuf,
    /// `false` when the file already held exactly these bytes and was left
    /// alone (its modification time too).
    pub written: bool,
    /// Every spec file that was read, in path order.
    pub inputs: Vec<PathBuf>,
}

impl Generated {
    /// The whole API as one Rust file, for `include!` at the root of a crate
    /// (see [`crate::single_file`]).
    pub fn single_file(&self) -> Result<String, Error> {
        single_file::single_file(&self.files)
    }
}

impl Generator {
    /// Generates the API as one Rust file and writes it to `dir/file_name`,
    /// unless that file already holds exactly these bytes. Prints nothing and
    /// touches nothing else in `dir`. `file_name` must be a plain file name
    /// (no folders).
    ///
    /// ```
    /// use twilio_codegen::Generator;
    ///
    /// let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");
    /// let out = tempfile::tempdir()?;
    /// let first = Generator::new(spec).write_single_file(out.path(), "api.rs")?;
    /// assert_eq!(first.path, out.path().join("api.rs"));
    /// assert!(first.written);
    /// assert_eq!(first.inputs.len(), 7); // openapi.yaml and the fragments it refers to
    ///
    /// let code = std::fs::read_to_string(&first.path)?;
    /// assert!(code.contains("pub fn create_conversation_scoped_webhook("));
    /// assert!(code.contains("pub mod requests {"));
    ///
    /// // Same spec, same bytes: the file is left alone.
    /// let second = Generator::new(spec).write_single_file(out.path(), "api.rs")?;
    /// assert!(!second.written);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_single_file(&self, dir: &Path, file_name: &str) -> Result<SingleFile, Errors> {
        check_file_name(file_name)?;
        let generated = self.generate()?;
        let contents = generated.single_file()?;
        let path = dir.join(file_name);
        let written = write_if_changed(&path, &contents)?;
        Ok(SingleFile {
            path,
            written,
            inputs: generated.inputs,
        })
    }

    /// For `build.rs`: [`Self::write_single_file`] into `$OUT_DIR`, then
    /// `cargo:rerun-if-changed=<file>` for every spec file read. Include the
    /// result at the root of the crate with
    /// `include!(concat!(env!("OUT_DIR"), "/<file_name>"));`.
    ///
    /// Errors are returned, not printed; hand them to [`report`] so that cargo
    /// shows each as one line naming the file and JSON pointer.
    pub fn build_script(&self, file_name: &str) -> Result<SingleFile, Errors> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
            Error::Usage(
                "OUT_DIR is not set: `build_script` is for build scripts run by cargo; \
                 use `write_single_file` elsewhere"
                    .to_owned(),
            )
        })?;
        let file = self.write_single_file(Path::new(&out_dir), file_name)?;
        for input in &file.inputs {
            println!("cargo:rerun-if-changed={}", input.display());
        }
        Ok(file)
    }
}

/// Reports `errors` from a build script: one `cargo::error=` line each, which
/// cargo prints as `error: <package>@<version>: <file>#<pointer>: <message>`
/// and which fails the build once the script returns (Cargo 1.84 or newer).
///
/// Return from `main` normally afterwards. Panicking (say, with `unwrap`) or
/// exiting with a failure status would also fail the build, but makes cargo
/// print the script's whole output after the errors.
pub fn report(errors: &Errors) {
    for line in cargo_errors(errors) {
        println!("{line}");
    }
}

/// The lines [`report`] prints: `cargo::error=<error>`, each error on one line.
pub fn cargo_errors(errors: &Errors) -> Vec<String> {
    errors
        .iter()
        .map(|error| {
            let text = error.to_string();
            let one_line: Vec<&str> = text.lines().map(str::trim).collect();
            format!("cargo::error={}", one_line.join(" "))
        })
        .collect()
}

fn check_file_name(name: &str) -> Result<(), Error> {
    let mut components = Path::new(name).components();
    match (components.next(), components.next()) {
        (Some(Component::Normal(_)), None) if !name.contains(['/', '\\']) => Ok(()),
        _ => Err(Error::Usage(format!(
            "`{name}` is not a plain file name: the generated file goes straight into the output folder"
        ))),
    }
}

/// Writes `contents` to `path` unless it already holds them; through a
/// temporary file beside it, so the file is never half-written.
/// Like the crate layout (see [`crate::output::write`]), it never follows a
/// symlink at `path` and never replaces a file without the marker.
fn write_if_changed(path: &Path, contents: &str) -> Result<bool, Error> {
    crate::output::check_replaceable(path)?;
    if fs::read(path).is_ok_and(|existing| existing == contents.as_bytes()) {
        return Ok(false);
    }
    let mut temp = path.as_os_str().to_owned();
    temp.push(".codegen-tmp");
    let temp = PathBuf::from(temp);
    // A leftover temporary (or a symlink put there) is removed, not written
    // through; `create_new` refuses anything that appears in between.
    let _ = fs::remove_file(&temp);
    fs::File::options()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut file| std::io::Write::write_all(&mut file, contents.as_bytes()))
        .and_then(|()| fs::rename(&temp, path))
        .map_err(|source| {
            let _ = fs::remove_file(&temp);
            Error::Io {
                path: path.to_owned(),
                action: "cannot write",
                source,
            }
        })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;

    #[test]
    fn file_names_must_be_plain() {
        for name in ["api.rs", "twilio_conversations.rs"] {
            assert!(check_file_name(name).is_ok(), "{name}");
        }
        for name in [
            "",
            ".",
            "..",
            "../api.rs",
            "a/api.rs",
            "/tmp/api.rs",
            "a\\b.rs",
        ] {
            assert!(check_file_name(name).is_err(), "{name}");
        }
    }

    #[test]
    fn each_error_is_one_cargo_error_line() {
        let errors = Errors(vec![
            Error::Spec {
                location: Location::new("../spec/a.yaml", "/paths/~1v1~1X/get/operationId"),
                message: "operationId `X` is also used\nat b.yaml".to_owned(),
            },
            Error::Usage("bad".to_owned()),
        ]);
        assert_eq!(
            cargo_errors(&errors),
            [
                "cargo::error=../spec/a.yaml#/paths/~1v1~1X/get/operationId: operationId `X` is also used at b.yaml",
                "cargo::error=bad",
            ]
        );
    }
}
