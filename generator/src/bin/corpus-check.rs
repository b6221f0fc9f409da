//! `corpus-check`: generate and compile a crate for every OpenAPI document in
//! some folders (or given one by one), one line per document.
//!
//! ```text
//! cargo run -p twilio-codegen --bin corpus-check -- ../shared/twilio-oai ../shared/twilio-corpus --clippy
//! ```
//!
//! Each document (a file given, or `*.json`, `*.yaml`, `*.yml` directly in a
//! folder given) is generated in full and written as a crate under
//! `target/corpus/crates/`; the crates form one throwaway workspace (sharing
//! the repository's `Cargo.lock`, so no new versions are resolved; see
//! `twilio_codegen::scratch`) and each is `cargo check`ed with warnings
//! denied, or linted with `--clippy`. A summary (`n of m documents ok`) goes
//! to stderr. Exit code 0 when every document generates and compiles, 1 when
//! one does not, 2 on bad arguments.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use twilio_codegen::scratch::ScratchWorkspace;
use twilio_codegen::Generator;

#[derive(Parser, Debug)]
#[command(about = "Generate and cargo-check a crate for every OpenAPI document in some folders")]
struct Args {
    /// Folders holding the documents, or documents.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Where the crates and their build go.
    #[arg(long, default_value = "target/corpus")]
    work_dir: PathBuf,
    /// Run `cargo clippy --all-targets -- -D warnings` instead of `cargo check`.
    #[arg(long)]
    clippy: bool,
    /// Also run `cargo doc --no-deps` with rustdoc's warnings denied, for
    /// each feature set of [`DOC_FEATURE_SETS`].
    #[arg(long)]
    doc: bool,
    /// Cargo's build folder (default: `<work-dir>/target`).
    #[arg(long)]
    target_dir: Option<PathBuf>,
    /// Pass `--offline` to cargo.
    #[arg(long)]
    offline: bool,
}

struct Outcome {
    document: String,
    operations: usize,
    generate: Duration,
    result: Result<Duration, String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut documents = Vec::new();
    for input in &args.inputs {
        match self::documents(input) {
            Ok(found) if !found.is_empty() => documents.extend(found),
            Ok(_) => {
                eprintln!(
                    "error: {} holds no *.json, *.yaml or *.yml documents",
                    input.display()
                );
                return ExitCode::from(2);
            }
            Err(e) => {
                eprintln!("error: cannot list {}: {e}", input.display());
                return ExitCode::from(2);
            }
        }
    }
    let crates_dir = args.work_dir.join("crates");
    let _ = std::fs::remove_dir_all(&crates_dir);
    let mut workspace = ScratchWorkspace::new(&args.work_dir)
        .target_dir(
            args.target_dir
                .clone()
                .unwrap_or_else(|| args.work_dir.join("target")),
        )
        // The repository's lock file pins the versions its own tests use.
        .lock_file(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"));

    // Generate every document first, then compile the ones that generated.
    let mut outcomes = Vec::new();
    let mut packages = BTreeSet::new();
    for path in &documents {
        let document = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Two folders may hold documents of one name.
        let mut package = package_name(path);
        for n in 2.. {
            if packages.insert(package.clone()) {
                break;
            }
            package = format!("{}-{n}", package_name(path));
        }
        let started = Instant::now();
        let generated = Generator::new(path).crate_name(&package).generate();
        let generate = started.elapsed();
        let (operations, result) = match generated {
            Ok(generated) => {
                let operations = generated.api.operations.len();
                match workspace.add_crate(&format!("crates/{package}"), &generated.files) {
                    Ok(_) => (operations, Ok(Duration::ZERO)),
                    Err(e) => (operations, Err(format!("cannot write the crate: {e}"))),
                }
            }
            Err(errors) => (0, Err(first_error(&errors))),
        };
        outcomes.push((
            package,
            Outcome {
                document,
                operations,
                generate,
                result,
            },
        ));
    }

    if outcomes.iter().any(|(_, outcome)| outcome.result.is_ok()) {
        if let Err(e) = workspace.write() {
            eprintln!("error: cannot set up {}: {e}", args.work_dir.display());
            return ExitCode::from(2);
        }
    }
    let mut failed = false;
    for (package, outcome) in &mut outcomes {
        if outcome.result.is_ok() {
            outcome.result = compile(&args, &workspace, package);
        }
        failed |= outcome.result.is_err();
        println!("{}", line(outcome));
    }
    let ok = outcomes.iter().filter(|(_, o)| o.result.is_ok()).count();
    eprintln!("{ok} of {} documents ok", outcomes.len());
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A document given as itself, or the documents directly in a folder.
fn documents(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    if folder.is_file() {
        return Ok(vec![folder.to_owned()]);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && path
                    .extension()
                    .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
        })
        .collect();
    found.sort();
    Ok(found)
}

/// `corpus-` plus the file stem, as a valid package name.
fn package_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("corpus-{}", cleaned.trim_matches('-'))
}

fn first_error(errors: &twilio_codegen::Errors) -> String {
    let first = errors
        .iter()
        .next()
        .map(ToString::to_string)
        .unwrap_or_default();
    match errors.len() {
        1 => first,
        n => format!("{first} (and {} more errors)", n - 1),
    }
}

/// The feature sets `--doc` documents each crate with: none, the default,
/// and every feature (intra-doc links to items of one feature must not break
/// without it).
const DOC_FEATURE_SETS: &[&[&str]] = &[&["--no-default-features"], &[], &["--all-features"]];

fn compile(args: &Args, workspace: &ScratchWorkspace, package: &str) -> Result<Duration, String> {
    let started = Instant::now();
    check(args, workspace, package)?;
    if args.doc {
        for features in DOC_FEATURE_SETS {
            doc(args, workspace, package, features)?;
        }
    }
    Ok(started.elapsed())
}

/// `cargo doc --no-deps` of `package` with `features`, rustdoc's warnings
/// denied.
fn doc(
    args: &Args,
    workspace: &ScratchWorkspace,
    package: &str,
    features: &[&str],
) -> Result<(), String> {
    let mut cargo_args = vec!["doc", "--no-deps", "--quiet", "-p", package];
    cargo_args.extend(features);
    if args.offline {
        cargo_args.push("--offline");
    }
    let mut command = workspace.cargo(&cargo_args);
    command.env("RUSTDOCFLAGS", "-D warnings");
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr
        .lines()
        .find(|l| l.starts_with("error") || l.starts_with("warning"))
        .unwrap_or("cargo doc failed");
    Err(format!(
        "rustdoc warns ({}): {first} (see `cargo doc` in {})",
        if features.is_empty() {
            "default features".to_owned()
        } else {
            features.join(" ")
        },
        args.work_dir.display()
    ))
}

fn check(args: &Args, workspace: &ScratchWorkspace, package: &str) -> Result<Duration, String> {
    let mut cargo_args = vec![
        if args.clippy { "clippy" } else { "check" },
        "--all-targets",
        "--quiet",
        "-p",
        package,
    ];
    if args.offline {
        cargo_args.push("--offline");
    }
    if args.clippy {
        cargo_args.extend(["--", "-D", "warnings"]);
    }
    let mut command = workspace.cargo(&cargo_args);
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let took = started.elapsed();
    if output.status.success() {
        Ok(took)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|l| l.starts_with("error") || l.starts_with("warning"))
            .unwrap_or("cargo failed");
        Err(format!(
            "does not compile: {first} (see `cargo check` in {})",
            args.work_dir.display()
        ))
    }
}

fn line(outcome: &Outcome) -> String {
    let generate = format!("{:.0} ms", outcome.generate.as_secs_f64() * 1000.0);
    match &outcome.result {
        Ok(check) => format!(
            "{}: {} operations, generated in {generate}, checked in {:.1} s: ok",
            outcome.document,
            outcome.operations,
            check.as_secs_f64()
        ),
        Err(error) => format!(
            "{}: {} operations, generated in {generate}: FAILED: {error}",
            outcome.document, outcome.operations
        ),
    }
}
