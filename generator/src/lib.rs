//! Generates a Rust client crate from Twilio-style OpenAPI 3.0 documents.
//!
//! The pipeline is load → normalise → emit → write, each step its own module:
//! [`load`] reads the documents and follows `$ref`s across files, [`normalise`]
//! builds the [`model::Api`] (Rust names, merged enums, resolved nullability),
//! the [`emit`] modules print one output file each (the table of them all is
//! [`emit::outputs`]), and [`output`] gives each its header and writes them.
//! [`Generator`] runs the steps.
//!
//! ```no_run
//! use twilio_codegen::Generator;
//!
//! let generated = Generator::new("spec").generate()?;
//! generated.write_to("generated".as_ref())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! From a build script, [`Generator::build_script`] writes the API as one
//! file into `OUT_DIR` for `include!` (see [`build`]).
//!
//! The library alone (for a build script) is `default-features = false`;
//! the default `cli` feature adds what the `twilio-codegen` binary needs.
//!
//! Modules depend one way: this root only declares modules and re-exports;
//! [`build`] (the one-file output, for build scripts) uses the generator
//! and [`single_file`]; neither of those uses [`build`], and
//! [`single_file`] only turns files into one file (with [`output`]).

pub mod build;
pub mod diff;
pub mod emit;
pub mod error;
mod generate;
pub mod load;
pub mod model;
pub mod names;
pub mod normalise;
pub mod output;
pub mod reserved;
pub mod rust_type;
pub mod scratch;
mod selection;
pub mod single_file;

// The crate root only declares modules and re-exports; the code is in them.
pub use build::SingleFile;
pub use error::{Error, Errors, Location};
pub use generate::{emit_files, Generated, Generator};
pub use output::{GeneratedFile, WriteReport};
pub use selection::Selection;
