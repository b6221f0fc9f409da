//! Errors of the generator, each naming the file and JSON pointer it is about.
//!
//! The library returns these as values; only the CLI decides how to print them.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A place in an input document: a file and a JSON pointer into it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: PathBuf,
    /// An RFC 6901 JSON pointer (`""` is the whole document).
    pub pointer: String,
}

impl Location {
    pub fn new(file: impl Into<PathBuf>, pointer: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            pointer: pointer.into(),
        }
    }

    /// The location of a member of this one (`key` is escaped for the pointer).
    pub fn join(&self, key: &str) -> Location {
        Location {
            file: self.file.clone(),
            pointer: format!("{}/{}", self.pointer, escape_pointer(key)),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.file.display(), self.pointer)
    }
}

/// Escapes one JSON pointer token (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Everything that can go wrong while generating.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: io::Error,
    },
    /// A file is not valid YAML or JSON.
    #[error("{}", parse_message(path, format, *line, *column, message))]
    Parse {
        path: PathBuf,
        format: &'static str,
        line: usize,
        column: usize,
        message: String,
    },
    /// The document is readable but says something the generator cannot turn into Rust.
    #[error("{location}: {message}")]
    Spec { location: Location, message: String },
    /// The generator was asked for something it cannot do (an option out of
    /// range, a build-script call outside a build script).
    #[error("{0}")]
    Usage(String),
    /// A generated file did not parse as Rust: a bug in the generator, reported instead of panicking.
    #[error("internal error: generated {file} is not valid Rust ({message}); please report this with the input spec")]
    Internal { file: String, message: String },
}

fn parse_message(
    path: &std::path::Path,
    format: &str,
    line: usize,
    column: usize,
    message: &str,
) -> String {
    if line == 0 {
        format!(
            "{}: not valid {format}: {message}; fix that and run again",
            path.display()
        )
    } else {
        format!(
            "{}:{line}:{column}: not valid {format}: {message} (line {line}, column {column}: fix the {format} syntax there)",
            path.display()
        )
    }
}

impl Error {
    pub(crate) fn spec(location: &Location, message: impl Into<String>) -> Self {
        Error::Spec {
            location: location.clone(),
            message: message.into(),
        }
    }
}

/// All the errors one run found, in the order they were found.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<Error>);

impl Errors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Error> {
        self.0.iter()
    }

    pub(crate) fn push(&mut self, error: Error) {
        self.0.push(error);
    }
}

impl From<Error> for Errors {
    fn from(error: Error) -> Self {
        Errors(vec![error])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.0 {
            writeln!(f, "error: {error}")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{}", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Errors {}
