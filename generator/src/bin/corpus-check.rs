//! `corpus-check`: generate and compile a crate for every OpenAPI document in
//! a folder, one line per document.
//!
//! ```text
//! cargo run -p twilio-codegen --bin corpus-check -- ../shared/twilio-oai
//! ```
//!
//! Each document (`*.json`, `*.yaml`, `*.yml` directly in the folder) is
//! generated in full and written as a crate under `target/corpus/crates/`; the
//! crates form one throwaway workspace (sharing the repository's `Cargo.lock`,
//! so no new versions are resolved) and each is `cargo check`ed with warnings
//! denied, or linted with `--clippy`. Exit code 0 when every document
//! generates and compiles, 1 when one does not, 2 on bad arguments.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use clap::Parser;
use twilio_codegen::Generator;

#[derive(Parser, Debug)]
#[command(about = "Generate and cargo-check a crate for every OpenAPI document in a folder")]
struct Args {
    /// The folder holding the documents.
    folder: PathBuf,
    /// Where the crates and their build go.
    #[arg(long, default_value = "target/corpus")]
    work_dir: PathBuf,
    /// Run `cargo clippy --all-targets -- -D warnings` instead of `cargo check`.
    #[arg(long)]
    clippy: bool,
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
    let documents = match documents(&args.folder) {
        Ok(found) if !found.is_empty() => found,
        Ok(_) => {
            eprintln!(
                "error: {} holds no *.json, *.yaml or *.yml documents",
                args.folder.display()
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: cannot list {}: {e}", args.folder.display());
            return ExitCode::from(2);
        }
    };
    let crates_dir = args.work_dir.join("crates");
    let _ = std::fs::remove_dir_all(&crates_dir);

    // Generate every document first, then compile the ones that generated.
    let mut outcomes = Vec::new();
    let mut members = Vec::new();
    for path in &documents {
        let document = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let package = package_name(path);
        let started = Instant::now();
        let generated = Generator::new(path).crate_name(&package).generate();
        let generate = started.elapsed();
        let (operations, result) = match generated {
            Ok(generated) => {
                let operations = generated.api.operations.len();
                match generated.write_to(&crates_dir.join(&package)) {
                    Ok(_) => {
                        members.push(package.clone());
                        (operations, Ok(Duration::ZERO))
                    }
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

    if !members.is_empty() {
        if let Err(e) = write_workspace(&args.work_dir, &members) {
            eprintln!("error: cannot set up {}: {e}", args.work_dir.display());
            return ExitCode::from(2);
        }
    }
    let mut failed = false;
    for (package, outcome) in &mut outcomes {
        if outcome.result.is_ok() {
            outcome.result = compile(&args, package);
        }
        failed |= outcome.result.is_err();
        println!("{}", line(outcome));
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn documents(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
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

fn write_workspace(work_dir: &Path, members: &[String]) -> std::io::Result<()> {
    let mut manifest = String::from("[workspace]\nresolver = \"2\"\nmembers = [\n");
    for member in members {
        let _ = writeln!(manifest, "    \"crates/{member}\",");
    }
    manifest.push_str("]\n");
    std::fs::write(work_dir.join("Cargo.toml"), manifest)?;
    // The repository's lock file pins the versions its own tests use.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    if lock.is_file() {
        std::fs::copy(lock, work_dir.join("Cargo.lock"))?;
    }
    Ok(())
}

fn compile(args: &Args, package: &str) -> Result<Duration, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    if args.clippy {
        command.args(["clippy", "--all-targets", "--quiet", "-p", package]);
    } else {
        command.args(["check", "--all-targets", "--quiet", "-p", package]);
    }
    if args.offline {
        command.arg("--offline");
    }
    if args.clippy {
        command.args(["--", "-D", "warnings"]);
    } else {
        command.env("RUSTFLAGS", "-D warnings");
    }
    let started = Instant::now();
    let output = command
        .current_dir(&args.work_dir)
        .env(
            "CARGO_TARGET_DIR",
            args.target_dir
                .clone()
                .unwrap_or_else(|| args.work_dir.join("target")),
        )
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
