//! `twilio-codegen`: regenerate the client crate from the spec.
//!
//! Exit codes: 0 done (or up to date with `--check`), 1 stale files under
//! `--check`, 2 bad input (nothing written), 3 could not write the output.
//!
//! `twilio-codegen diff OLD NEW` prints what regenerating from NEW instead
//! of OLD changes in the crate's API (see `twilio_codegen::diff`). Exit
//! codes: 0, or 1 for a major change under `--deny-breaking`; 2 bad input.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use twilio_codegen::{Generator, Selection};

/// Generates the Rust client crate from OpenAPI 3.0 fragments.
#[derive(Parser, Debug)]
#[command(version, about, args_conflicts_with_subcommands = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// The spec: a folder with openapi.yaml at its root, or a root document.
    #[arg(long, default_value = "spec")]
    spec: PathBuf,
    /// Where the generated crate goes.
    #[arg(long, default_value = "generated")]
    out: PathBuf,
    /// Write nothing; exit 1 naming each file that is not what the spec generates.
    #[arg(long)]
    check: bool,
    /// Package name of the generated crate (default: from templates/Cargo.toml).
    #[arg(long)]
    crate_name: Option<String>,
    #[command(flatten)]
    selection: SelectionArgs,
    #[command(flatten)]
    accounts: AccountArgs,
}

/// Which path parameters are filled from the account the `Api` acts for
/// (the credentials' unless a subaccount is set) instead of an argument.
#[derive(clap::Args, Clone, Debug, Default)]
struct AccountArgs {
    /// A path parameter (by its exact wire name) filled from the client's
    /// account instead of an argument; repeatable, replaces the default
    /// `AccountSid`.
    #[arg(long = "account-param", value_name = "NAME")]
    account_params: Vec<String>,
    /// Fill no path parameter from the account: every one is an argument.
    #[arg(long = "no-account-param", conflicts_with = "account_params")]
    no_account_param: bool,
}

impl AccountArgs {
    /// `generator` with these flags' account parameters, if they give any.
    fn apply(&self, generator: Generator) -> Generator {
        if self.no_account_param {
            generator.account_params(Vec::<String>::new())
        } else if self.account_params.is_empty() {
            generator
        } else {
            generator.account_params(self.account_params.clone())
        }
    }
}

/// Which operations to generate (the default: all of them).
#[derive(clap::Args, Clone, Debug, Default)]
struct SelectionArgs {
    /// Generate only these operationIds (repeatable).
    #[arg(long = "include-operation", value_name = "ID")]
    include_operations: Vec<String>,
    /// Leave out these operationIds (repeatable).
    #[arg(long = "exclude-operation", value_name = "ID")]
    exclude_operations: Vec<String>,
    /// Generate only paths matching this glob, `*` for anything (repeatable).
    #[arg(long = "include-path", value_name = "GLOB")]
    include_paths: Vec<String>,
    /// Leave out paths matching this glob (repeatable).
    #[arg(long = "exclude-path", value_name = "GLOB")]
    exclude_paths: Vec<String>,
    /// Generate only operations with this tag (repeatable).
    #[arg(long = "include-tag", value_name = "TAG")]
    include_tags: Vec<String>,
    /// Leave out operations with this tag (repeatable).
    #[arg(long = "exclude-tag", value_name = "TAG")]
    exclude_tags: Vec<String>,
}

impl From<SelectionArgs> for Selection {
    fn from(args: SelectionArgs) -> Self {
        Selection {
            include_operations: args.include_operations,
            exclude_operations: args.exclude_operations,
            include_paths: args.include_paths,
            exclude_paths: args.exclude_paths,
            include_tags: args.include_tags,
            exclude_tags: args.exclude_tags,
        }
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Prints what regenerating from NEW instead of OLD changes in the
    /// generated Rust API (breaking, additive, patch), then `semver: <level>`.
    Diff {
        /// The spec before: a folder or a root document, like `--spec`.
        old: PathBuf,
        /// The spec after.
        new: PathBuf,
        /// `text` for people, `json` for tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 1 when the change is semver-major.
        #[arg(long)]
        deny_breaking: bool,
        /// Compare only what this selection generates from each spec (the
        /// flags you generate with).
        #[command(flatten)]
        selection: SelectionArgs,
        /// The account parameters both specs are generated with.
        #[command(flatten)]
        accounts: AccountArgs,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// What `twilio-codegen diff` compares, and how it says it.
struct DiffArgs {
    format: Format,
    deny_breaking: bool,
    selection: Selection,
    accounts: AccountArgs,
}

/// `twilio-codegen diff`: both specs generated in memory with the same
/// options, then compared.
fn diff(old: &PathBuf, new: &PathBuf, args: DiffArgs) -> ExitCode {
    let DiffArgs {
        format,
        deny_breaking,
        selection,
        accounts,
    } = args;
    let generator =
        |spec: &PathBuf| accounts.apply(Generator::new(spec).selection(selection.clone()));
    let (old_api, new_api) = match (generator(old).generate(), generator(new).generate()) {
        (Ok(o), Ok(n)) => (o.api, n.api),
        (o, n) => {
            for errors in [o.err(), n.err()].into_iter().flatten() {
                eprintln!("{errors}");
            }
            return ExitCode::from(2);
        }
    };
    let changes = twilio_codegen::diff::diff(&old_api, &new_api);
    match format {
        Format::Text => print!("{changes}"),
        Format::Json => println!("{:#}", changes.to_json()),
    }
    if deny_breaking && changes.semver() == twilio_codegen::diff::Level::Major {
        eprintln!("breaking changes: a major version is needed (--deny-breaking)");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Command::Diff {
        old,
        new,
        format,
        deny_breaking,
        selection,
        accounts,
    }) = args.command
    {
        let args = DiffArgs {
            format,
            deny_breaking,
            selection: selection.into(),
            accounts,
        };
        return diff(&old, &new, args);
    }
    let mut generator = args
        .accounts
        .apply(Generator::new(&args.spec).selection(args.selection.into()));
    if let Some(name) = args.crate_name {
        generator = generator.crate_name(name);
    }

    let generated = match generator.generate() {
        Ok(generated) => generated,
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("nothing was written to {}", args.out.display());
            return ExitCode::from(2);
        }
    };

    for fallback in &generated.api.fallbacks {
        eprintln!("{fallback}");
    }

    if args.check {
        return match generated.stale_files(&args.out) {
            Ok(stale) if stale.is_empty() => {
                eprintln!(
                    "{} is up to date with {}",
                    args.out.display(),
                    args.spec.display()
                );
                ExitCode::SUCCESS
            }
            Ok(stale) => {
                for path in &stale {
                    eprintln!("stale: {}", path.display());
                }
                eprintln!(
                    "{} file(s) in {} differ from what {} generates; run `cargo run -p twilio-codegen` and commit the result",
                    stale.len(),
                    args.out.display(),
                    args.spec.display()
                );
                ExitCode::from(1)
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::from(3)
            }
        };
    }

    match generated.write_to(&args.out) {
        Ok(report) => {
            eprintln!(
                "generated {} operations into {}: {} written, {} unchanged, {} removed",
                generated.api.operations.len(),
                args.out.display(),
                report.written.len(),
                report.unchanged.len(),
                report.removed.len()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(3)
        }
    }
}
