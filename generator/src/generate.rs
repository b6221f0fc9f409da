//! One generation run: [`Generator`] (spec and options) → load → normalise
//! → emit → [`Generated`], the files in memory, written by [`crate::output`].
//! Which files there are is [`OUTPUTS`]'s to say; this module only runs the
//! steps in order and gathers the errors. (The one-file output for build
//! scripts is in [`crate::build`], above this module.)

use std::path::{Path, PathBuf};

use crate::emit::outputs::OUTPUTS;
use crate::error::{Error, Errors, Location};
use crate::model::Api;
use crate::normalise::Options;
use crate::output::{self, GeneratedFile, WriteReport};
use crate::selection::Selection;
use crate::{load, names, normalise};

/// Configures one generation run: the spec (a folder or a root document),
/// options, then where the result goes (memory, a crate folder, one file).
///
/// ```
/// use twilio_codegen::{Generator, Selection};
///
/// let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");
///
/// // In memory: only the default service's conversation-scoped webhooks,
/// // under another package name.
/// let generated = Generator::new(spec)
///     .selection(Selection {
///         include_paths: vec!["/v1/Conversations/*".into()],
///         ..Selection::default()
///     })
///     .crate_name("my-webhooks")
///     .generate()?;
/// assert_eq!(generated.api.operations.len(), 5);
/// assert!(generated.file("Cargo.toml").unwrap().contains("name = \"my-webhooks\""));
/// let requests = generated.file("src/requests.rs").unwrap();
/// assert!(requests.contains("pub fn delete_conversation_scoped_webhook("));
/// assert!(!requests.contains("service"));
///
/// // Then as a crate folder (what the CLI does) ...
/// let out = tempfile::tempdir()?;
/// let report = generated.write_to(out.path())?;
/// assert_eq!(report.written.len(), generated.files.len());
/// assert!(out.path().join("src/runtime/client.rs").is_file());
///
/// // ... or as one file to `include!` (what a build script does).
/// assert!(generated.single_file()?.contains("pub mod requests {"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Generator {
    input: PathBuf,
    selection: Selection,
    crate_name: Option<String>,
    options: Options,
}

impl Generator {
    /// Reads `input`: a folder with `openapi.yaml` (or `.yml`/`.json`) at its root,
    /// or a root document; files it `$ref`s are read too.
    pub fn new(input: impl Into<PathBuf>) -> Self {
        Generator {
            input: input.into(),
            selection: Selection::default(),
            crate_name: None,
            options: Options::default(),
        }
    }

    /// Generates only the operations `selection` includes.
    pub fn selection(mut self, selection: Selection) -> Self {
        self.selection = selection;
        self
    }

    /// Overrides the package name the document gives (`info.x-crate-name`, or
    /// the one derived from its server; see [`normalise::identity`]).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(name.into());
        self
    }

    /// The path parameters filled from the account the `Api` acts for
    /// (`Api::account_sid()`: the credentials' account unless a subaccount
    /// is set) instead of an argument, by their wire name, exactly; they
    /// replace the default, `["AccountSid"]` (api_v2010's
    /// `/2010-04-01/Accounts/{AccountSid}/...`). Only string parameters are
    /// filled; an empty list leaves every path parameter an argument. (CLI:
    /// `--account-param NAME`, `--no-account-param`.)
    ///
    /// ```
    /// use twilio_codegen::Generator;
    ///
    /// let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");
    /// let none: [&str; 0] = [];
    /// let generated = Generator::new(spec).account_params(none).generate()?;
    /// assert!(generated.api.operations.iter().all(|op| !op.has_account_param()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn account_params<I>(mut self, names: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.options.account_params = names.into_iter().map(Into::into).collect();
        self
    }

    /// Runs load, normalise and emit, in memory. Nothing is written.
    pub fn generate(&self) -> Result<Generated, Errors> {
        if let Some(name) = &self.crate_name {
            names::validate_crate_name(name).map_err(Error::Usage)?;
        }
        let (docs, mut errors) = load::Documents::load_partial(&self.input)?;
        let inputs = docs.files().map(Path::to_path_buf).collect();
        let api = match normalise::normalise_with(&docs, &self.selection, &self.options) {
            Ok(api) if errors.is_empty() => api,
            Ok(_) => return Err(errors),
            Err(more) => {
                // A `$ref` into a file that could not be read is already
                // reported where it is; drop the echo from normalising.
                let reported: Vec<Location> = errors
                    .iter()
                    .filter_map(|e| match e {
                        Error::Spec { location, .. } => Some(location.clone()),
                        _ => None,
                    })
                    .collect();
                errors.0.extend(more.0.into_iter().filter(
                    |e| !matches!(e, Error::Spec { location, .. } if reported.contains(location)),
                ));
                return Err(errors);
            }
        };
        let files = emit_files(&api, self.crate_name.as_deref())?;
        Ok(Generated { api, files, inputs })
    }
}

/// Every file of the generated crate, in path order: those of each row of
/// [`OUTPUTS`] that applies to `api`.
pub fn emit_files(api: &Api, crate_name: Option<&str>) -> Result<Vec<GeneratedFile>, Error> {
    let mut files = Vec::new();
    for output in OUTPUTS.iter().filter(|output| output.when.holds(api)) {
        files.extend(output.files(api, crate_name)?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The result of a run, still in memory.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The normalised model the files were made from.
    pub api: Api,
    /// The files, by path relative to the output folder, in path order.
    pub files: Vec<GeneratedFile>,
    /// Every input file that was read (for `cargo:rerun-if-changed`).
    pub inputs: Vec<PathBuf>,
}

impl Generated {
    /// Writes the files under `out` (see [`output::write`] for the rules);
    /// an `out` that is the spec's folder, or holds it, is refused.
    pub fn write_to(&self, out: &Path) -> Result<WriteReport, Error> {
        output::check_not_spec_folder(out, &self.inputs)?;
        output::write(out, &self.files)
    }

    /// The files under `out` that are not what this run would write.
    pub fn stale_files(&self, out: &Path) -> Result<Vec<PathBuf>, Error> {
        output::stale(out, &self.files)
    }

    /// The contents of one generated file.
    pub fn file(&self, path: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.contents.as_str())
    }
}
