//! Reading the input: a root OpenAPI document and every file its `$ref`s reach.
//!
//! Files are parsed into `serde_json::Value`s (YAML included) and kept by path, so
//! that every later step can say exactly which file and JSON pointer it is about.
//! `$ref`s follow JSON Reference rules: `other.yaml#/a/b` is relative to the
//! file that contains it, `#/a/b` stays in the same file.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Errors, Location};

/// Names the root document is looked for under when the input is a folder.
const ROOT_NAMES: [&str; 3] = ["openapi.yaml", "openapi.yml", "openapi.json"];

/// The largest file the loader reads (the root document or one a `$ref`
/// names): 16 MiB, over eight times Twilio's largest published document
/// (`twilio_api_v2010.json`, 1.9 MB). A bigger file is refused before it is
/// read into memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The most the loader reads over all files of one spec: 64 MiB.
pub const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;

/// How deep a document may nest (objects and lists inside each other). The
/// YAML and JSON parsers stop at this depth with an error, so that no later
/// step recurses deeper than this into one document. Twilio's documents nest
/// at most 22 levels.
pub const MAX_NESTING: usize = 128;

/// The parsed input documents.
#[derive(Debug)]
pub struct Documents {
    root: PathBuf,
    docs: BTreeMap<PathBuf, Value>,
    /// Referenced files that could not be read or parsed (reported when loading).
    unreadable: BTreeSet<PathBuf>,
}

impl Documents {
    /// Loads `input` (a root document, or a folder holding `openapi.yaml|yml|json`)
    /// and every file reachable from it through `$ref`.
    pub fn load(input: &Path) -> Result<Documents, Errors> {
        let (docs, errors) = Self::load_partial(input)?;
        if errors.is_empty() {
            Ok(docs)
        } else {
            Err(errors)
        }
    }

    /// Like [`Documents::load`], but keeps going past referenced files that are
    /// missing or broken, so later steps can report their own errors too. Fails
    /// only when the root document itself cannot be read.
    pub fn load_partial(input: &Path) -> Result<(Documents, Errors), Errors> {
        let root = find_root(input)?;
        let folder = root_folder(&root);
        let real_folder = std::fs::canonicalize(if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder.as_path()
        })
        .map_err(|source| Error::Io {
            path: root.clone(),
            action: "cannot resolve the folder of the root document",
            source,
        })?;
        // The root may itself be a symlink to anywhere; what it refers to
        // must be inside its folder.
        let root_key = root.clone();
        Self::load_with(root, &|path| {
            read_from_disk(path, (path != root_key).then_some(real_folder.as_path()))
        })
    }

    /// Like [`Documents::load_partial`], but the files come from `files` (by path)
    /// instead of the disk: for tests and fuzzing. `root` is the root document's
    /// key; `$ref`s resolve against these keys as they would against paths, and
    /// the same rules apply (inside the root's folder, under the size cap).
    pub fn load_from_memory(
        root: &Path,
        files: &BTreeMap<PathBuf, String>,
    ) -> Result<(Documents, Errors), Errors> {
        Self::load_with(clean(root), &|path| {
            let text = files.get(path).ok_or(Refused::NotFound)?;
            if text.len() as u64 > MAX_FILE_BYTES {
                return Err(Refused::TooLarge);
            }
            Ok(text.clone())
        })
    }

    fn load_with(
        root: PathBuf,
        read: &dyn Fn(&Path) -> Result<String, Refused>,
    ) -> Result<(Documents, Errors), Errors> {
        let folder = root_folder(&root);
        let mut docs = BTreeMap::new();
        let mut errors = Errors::default();
        let mut unreadable = BTreeSet::new();
        let mut total: u64 = 0;
        // (file, and the `$ref` that named it: where it is, what it says)
        let mut pending = vec![(root.clone(), None::<(Location, String)>)];
        while let Some((path, referenced_from)) = pending.pop() {
            if docs.contains_key(&path) || unreadable.contains(&path) {
                continue;
            }
            let result = if referenced_from.is_some() && !is_inside(&path, &folder) {
                Err(Refused::Outside)
            } else if total > MAX_TOTAL_BYTES {
                Err(Refused::TotalTooLarge)
            } else {
                read(&path)
            };
            let text = match result {
                Ok(text) => text,
                Err(refused) => {
                    unreadable.insert(path.clone());
                    errors.push(match referenced_from {
                        // A referenced file is reported where the `$ref` is.
                        Some((at, reference)) => {
                            Error::spec(&at, refused.ref_message(&reference, &path, &folder))
                        }
                        None => refused.root_error(&path),
                    });
                    continue;
                }
            };
            total += text.len() as u64;
            let value = match parse_document(&path, &text) {
                Ok(value) => value,
                Err(error) => {
                    unreadable.insert(path.clone());
                    errors.push(error);
                    continue;
                }
            };
            let mut refs = Vec::new();
            collect_refs(&value, &Location::new(&path, ""), &mut refs);
            for (at, reference) in refs {
                match split_ref(&at, &reference) {
                    Ok((Some(file), _)) if !docs.contains_key(&file) => {
                        pending.push((file, Some((at, reference))));
                    }
                    Ok(_) => {}
                    Err(error) => errors.push(error),
                }
            }
            docs.insert(path, value);
        }
        if !docs.contains_key(&root) {
            return Err(errors);
        }
        Ok((
            Documents {
                root,
                docs,
                unreadable,
            },
            errors,
        ))
    }

    /// The root document's path.
    pub fn root_path(&self) -> &Path {
        &self.root
    }

    /// The root document.
    pub fn root(&self) -> &Value {
        &self.docs[&self.root]
    }

    /// Every file that was read, in path order (for `cargo:rerun-if-changed`).
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.docs.keys().map(PathBuf::as_path)
    }

    /// The value at a location, if there is one.
    pub fn get(&self, at: &Location) -> Option<&Value> {
        self.docs.get(&at.file)?.pointer(&at.pointer)
    }

    /// Follows `reference` (found at `from`) to its target, through chains of
    /// `$ref`s, and returns the target's location and value.
    pub fn resolve(&self, from: &Location, reference: &str) -> Result<(Location, &Value), Error> {
        let mut seen = vec![from.clone()];
        let mut at = from.clone();
        let mut reference = reference.to_owned();
        loop {
            let (file, pointer) = split_ref(&at, &reference)?;
            let target = Location::new(file.unwrap_or_else(|| at.file.clone()), pointer);
            if seen.contains(&target) {
                let chain: Vec<String> = seen.iter().map(ToString::to_string).collect();
                return Err(Error::spec(
                    from,
                    format!(
                        "`$ref` cycle: {} -> {target}; break the cycle by giving one of these schemas a real definition",
                        chain.join(" -> ")
                    ),
                ));
            }
            let value = self.get(&target).ok_or_else(|| {
                if self.unreadable.contains(&target.file) {
                    Error::spec(
                        &at,
                        format!("`$ref: {reference}` cannot be followed: {} could not be read (see its own error)", target.file.display()),
                    )
                } else {
                    Error::spec(
                        &at,
                        format!("`$ref: {reference}` points to {target}, which does not exist; fix the `$ref` or add what it points to"),
                    )
                }
            })?;
            match value.get("$ref") {
                Some(Value::String(next)) => {
                    seen.push(target.clone());
                    reference = next.clone();
                    at = target.join("$ref");
                    // `at` is inside the referring object; resolve relative to its file.
                    at.pointer.truncate(at.pointer.len() - "/$ref".len());
                }
                _ => return Ok((target, value)),
            }
        }
    }
}

fn find_root(input: &Path) -> Result<PathBuf, Errors> {
    if input.is_dir() {
        for name in ROOT_NAMES {
            let candidate = input.join(name);
            if candidate.is_file() {
                return Ok(clean(&candidate));
            }
        }
        return Err(Error::Io {
            path: input.to_owned(),
            action: "no root document (openapi.yaml, openapi.yml or openapi.json) in this folder",
            source: std::io::ErrorKind::NotFound.into(),
        }
        .into());
    }
    Ok(clean(input))
}

/// Why a file was not read.
#[derive(Debug)]
enum Refused {
    NotFound,
    /// Outside the root document's folder (after `..` and symlinks).
    Outside,
    /// Not a regular file: what it is instead.
    NotAFile(&'static str),
    /// Over [`MAX_FILE_BYTES`].
    TooLarge,
    /// The spec's files together are over [`MAX_TOTAL_BYTES`].
    TotalTooLarge,
    Io(std::io::Error),
}

impl Refused {
    /// The message for a `$ref` naming `path`.
    fn ref_message(&self, reference: &str, path: &Path, folder: &Path) -> String {
        let path = path.display();
        match self {
            Refused::NotFound => format!(
                "`$ref` points to {path}, which does not exist; fix the path (it is relative to the file holding the `$ref`) or add the file"
            ),
            Refused::Outside => format!(
                "`$ref: {reference}` points to {path}, outside the root document's folder ({}); only files in that folder and below it are read (after following `..` and symlinks), so copy the file there",
                display_folder(folder)
            ),
            Refused::NotAFile(what) => format!(
                "`$ref: {reference}` points to {path}, which is {what}, not a regular file; only regular files are read"
            ),
            Refused::TooLarge => format!(
                "`$ref: {reference}` points to {path}, which is larger than {} MiB, the most the generator reads from one file",
                MAX_FILE_BYTES >> 20
            ),
            Refused::TotalTooLarge => format!(
                "`$ref: {reference}` points to {path}, but the spec's files already add up to {} MiB, the most the generator reads for one spec",
                MAX_TOTAL_BYTES >> 20
            ),
            Refused::Io(source) => format!("`$ref: {reference}` points to {path}, which cannot be read: {source}"),
        }
    }

    /// The error for the root document itself.
    fn root_error(self, path: &Path) -> Error {
        let (action, source) = match self {
            Refused::NotFound => ("cannot read", std::io::ErrorKind::NotFound.into()),
            Refused::Io(source) => ("cannot read", source),
            Refused::NotAFile(what) => (what_action(what), std::io::ErrorKind::InvalidInput.into()),
            Refused::TooLarge | Refused::TotalTooLarge => (
                "the document is larger than 16 MiB, the most the generator reads from one file",
                std::io::ErrorKind::FileTooLarge.into(),
            ),
            Refused::Outside => (
                "outside the spec folder",
                std::io::ErrorKind::InvalidInput.into(),
            ),
        };
        Error::Io {
            path: path.to_owned(),
            action,
            source,
        }
    }
}

/// `Error::Io` wants a `&'static str`; one per kind of non-file.
fn what_action(what: &'static str) -> &'static str {
    match what {
        "a folder" => "the root document is a folder, not a regular file",
        "a named pipe (FIFO)" => "the root document is a named pipe (FIFO), not a regular file; only regular files are read",
        "a device" => "the root document is a device, not a regular file; only regular files are read",
        "a socket" => "the root document is a socket, not a regular file; only regular files are read",
        _ => "the root document is not a regular file; only regular files are read",
    }
}

fn display_folder(folder: &Path) -> String {
    if folder.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        folder.display().to_string()
    }
}

/// The folder of the root document: every file a `$ref` names must be in it.
fn root_folder(root: &Path) -> PathBuf {
    root.parent().map(Path::to_owned).unwrap_or_default()
}

/// Is `path` (cleaned) lexically inside `folder` (cleaned)?
fn is_inside(path: &Path, folder: &Path) -> bool {
    path.strip_prefix(folder)
        .is_ok_and(|rest| rest.components().all(|c| matches!(c, Component::Normal(_))))
}

/// What a file that is not a regular file is, for a message.
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Reads one input file from disk, if it is a regular file inside
/// `real_folder` (the root's folder with symlinks resolved; `None` for the
/// root document) once its own symlinks are resolved, and not over [`MAX_FILE_BYTES`]. The file type is
/// checked before the file is opened (and again on the open file), and it is
/// opened non-blocking, so a FIFO never blocks; it is read through a bounded
/// reader, so a file that grows (or lies about its size, as `/proc` files do)
/// stops at the cap.
fn read_from_disk(path: &Path, real_folder: Option<&Path>) -> Result<String, Refused> {
    let io = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Refused::NotFound
        } else {
            Refused::Io(e)
        }
    };
    let real = std::fs::canonicalize(path).map_err(io)?;
    if real_folder.is_some_and(|folder| !real.starts_with(folder)) {
        return Err(Refused::Outside);
    }
    let meta = std::fs::metadata(&real).map_err(io)?;
    if !meta.is_file() {
        return Err(Refused::NotAFile(kind_of(meta.file_type())));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Refused::TooLarge);
    }
    let file = open_no_block(&real).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(Refused::NotAFile(kind_of(meta.file_type())));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_FILE_BYTES) as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refused::TooLarge);
    }
    String::from_utf8(bytes).map_err(|e| {
        Refused::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text ({e})"),
        ))
    })
}

/// Opens for reading without waiting for a writer (a FIFO put in the file's
/// place after the type check would otherwise block the open).
#[cfg(target_os = "linux")]
fn open_no_block(path: &Path) -> std::io::Result<std::fs::File> {
    use rustix::fs::{open, Mode, OFlags};
    let fd = open(
        path,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    Ok(std::fs::File::from(fd))
}

#[cfg(not(target_os = "linux"))]
fn open_no_block(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Parses one file by its extension: `.json` as JSON, `.yaml`/`.yml` as YAML.
fn parse_document(path: &Path, text: &str) -> Result<Value, Error> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => parse_json(path, text),
        Some("yaml" | "yml") => parse_yaml(path, text),
        _ => Err(Error::Io {
            path: path.to_owned(),
            action: "unsupported file type (use .yaml, .yml or .json)",
            source: std::io::ErrorKind::InvalidInput.into(),
        }),
    }
}

pub(crate) fn parse_json(path: &Path, text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::Parse {
        path: path.to_owned(),
        format: "JSON",
        line: e.line(),
        column: e.column(),
        message: explain_depth(strip_position(&e.to_string())),
    })
}

/// serde_json and serde_yaml both stop at [`MAX_NESTING`] levels with
/// "recursion limit exceeded"; say what that means for a spec.
fn explain_depth(message: String) -> String {
    if message.contains("recursion limit exceeded") {
        format!("the document nests more than {MAX_NESTING} levels deep (objects and lists inside each other), more than the generator reads; flatten it, for example by moving inner schemas to `components/schemas` and referring to them")
    } else {
        message
    }
}

pub(crate) fn parse_yaml(path: &Path, text: &str) -> Result<Value, Error> {
    let parse_error = |e: serde_yaml::Error| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        Error::Parse {
            path: path.to_owned(),
            format: "YAML",
            line,
            column,
            message: explain_depth(strip_position(&e.to_string())),
        }
    };
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(parse_error)?;
    yaml_to_json(yaml).map_err(|message| Error::Parse {
        path: path.to_owned(),
        format: "YAML",
        line: 0,
        column: 0,
        message,
    })
}

/// serde's messages end in "at line L column C"; the error already carries those.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// YAML allows non-string keys (`200:` is a number); OpenAPI means them as strings.
fn yaml_to_json(value: serde_yaml::Value) -> Result<Value, String> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .ok_or_else(|| format!("number {n} cannot be represented in JSON"))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => return Err(format!("unsupported mapping key {other:?}")),
                };
                out.insert(key, yaml_to_json(value)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

fn collect_refs(value: &Value, at: &Location, out: &mut Vec<(Location, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                out.push((at.clone(), reference.clone()));
            }
            for (key, child) in map {
                collect_refs(child, &at.join(key), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_refs(child, &at.join(&i.to_string()), out);
            }
        }
        _ => {}
    }
}

/// Splits a `$ref` into its file (None: the same file) and its JSON pointer.
fn split_ref(at: &Location, reference: &str) -> Result<(Option<PathBuf>, String), Error> {
    if reference.contains("://") {
        return Err(Error::spec(
            at,
            format!("`$ref: {reference}` is a remote reference; only files beside the spec are read, so save a copy there and refer to it by its relative path"),
        ));
    }
    let (file, fragment) = match reference.split_once('#') {
        Some((file, fragment)) => (file, fragment),
        None => (reference, ""),
    };
    let pointer = percent_decode(fragment);
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Err(Error::spec(
            at,
            format!("`$ref: {reference}` has a fragment that is not a JSON pointer; it must start with `#/` (`{file}#/{fragment}`)"),
        ));
    }
    let file = if file.is_empty() {
        None
    } else {
        let base = at.file.parent().unwrap_or_else(|| Path::new(""));
        Some(clean(&base.join(file)))
    };
    Ok((file, pointer))
}

/// Decodes `%XX` escapes in a URI fragment (`{` is often written `%7B`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Lexically normalises a path (`a/./b/../c` → `a/c`) so one file has one key.
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            // `a/..` cancels out, but a leading `..` (a spec beside the crate,
            // as a build script names it) must stay: `../../spec`.
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                Some(Component::ParentDir | Component::CurDir) | None => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_the_folder_means_below_it_after_dot_dot() {
        let inside = [
            ("spec/common.yaml", "spec"),
            ("spec/a/b.yaml", "spec"),
            ("../../spec/x.yaml", "../../spec"),
            ("common.yaml", ""),
            ("/repo/spec/x.json", "/repo/spec"),
        ];
        for (path, folder) in inside {
            assert!(
                is_inside(&clean(Path::new(path)), Path::new(folder)),
                "{path} in {folder}"
            );
        }
        let outside = [
            ("spec/../x.yaml", "spec"),
            ("spec/a/../../x.yaml", "spec"),
            ("../x.yaml", ""),
            ("/etc/passwd", ""),
            ("/etc/passwd", "spec"),
            ("specs/x.yaml", "spec"),
            ("../../x.yaml", "../../spec"),
        ];
        for (path, folder) in outside {
            assert!(
                !is_inside(&clean(Path::new(path)), Path::new(folder)),
                "{path} in {folder}"
            );
        }
    }

    #[test]
    fn from_memory_the_same_rules_apply() {
        let mut files = BTreeMap::new();
        files.insert(
            PathBuf::from("spec/openapi.yaml"),
            "a: {$ref: '../x.yaml#/a'}\nb: {$ref: 'big.yaml#/a'}\n".to_owned(),
        );
        files.insert(PathBuf::from("x.yaml"), "a: 1\n".to_owned());
        files.insert(
            PathBuf::from("spec/big.yaml"),
            " ".repeat(MAX_FILE_BYTES as usize + 1),
        );
        let (_, errors) =
            Documents::load_from_memory(Path::new("spec/openapi.yaml"), &files).unwrap();
        let text = errors.to_string();
        assert!(text.contains("spec/openapi.yaml#/a: `$ref: ../x.yaml#/a` points to x.yaml, outside the root document's folder (spec)"), "{text}");
        assert!(text.contains("spec/openapi.yaml#/b: `$ref: big.yaml#/a` points to spec/big.yaml, which is larger than 16 MiB"), "{text}");
        assert!(text.ends_with("2 errors"), "{text}");
    }

    #[test]
    fn clean_keeps_leading_parent_dirs() {
        let cases = [
            ("../../spec/openapi.yaml", "../../spec/openapi.yaml"),
            ("../spec/./a/../b.yaml", "../spec/b.yaml"),
            ("spec/a/../../../x.yaml", "../x.yaml"),
            ("./spec/openapi.yaml", "spec/openapi.yaml"),
            ("/repo/examples/build-rs/../../spec", "/repo/spec"),
            ("/../spec", "/spec"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(Path::new(input)), Path::new(want), "{input}");
        }
    }
}
