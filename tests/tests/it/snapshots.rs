//! Snapshot tests: each `tests/cases/<name>.yaml` sits beside `<name>.snap`, the
//! generator's output for it (or, for a spec it must refuse, its exact errors).
//! Adding a case is dropping in a YAML file and running `cargo insta review`
//! (or `INSTA_UPDATE=always cargo test`).

use std::path::{Path, PathBuf};

use integration_tests::repo_root;
use twilio_codegen::emit::outputs::{Body, OUTPUTS};
use twilio_codegen::{Generated, Generator};

/// The generated files a case's snapshot shows, from the table of outputs:
/// the code of each module the crate has (printed Rust, not the stamped
/// runtime, which is the same for every case), in table order.
fn shown(generated: &Generated) -> impl Iterator<Item = &'static str> + '_ {
    OUTPUTS
        .iter()
        .filter(|output| output.module.is_some() && matches!(output.body, Body::Rust(_)))
        .filter(|output| output.when.holds(&generated.api))
        .map(|output| output.path)
}

pub fn cases() -> Vec<PathBuf> {
    let dir = repo_root().join("tests/cases");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    cases.sort();
    cases
}

/// The case path as the generator sees it: relative, so messages are the same on every machine.
pub fn relative(case: &Path) -> PathBuf {
    Path::new("cases").join(case.file_name().unwrap())
}

pub fn render(case: &Path) -> String {
    match Generator::new(relative(case)).generate() {
        Ok(generated) => {
            // The fallbacks the CLI would print, when there are any.
            let fallbacks = (!generated.api.fallbacks.is_empty()).then(|| {
                let lines: Vec<String> = generated
                    .api
                    .fallbacks
                    .iter()
                    .map(|f| format!("{f}\n"))
                    .collect();
                format!("// ==== fallbacks ====\n{}", lines.concat())
            });
            fallbacks
                .into_iter()
                .chain(
                    shown(&generated).map(|path| {
                        format!("// ==== {path} ====\n{}", generated.file(path).unwrap())
                    }),
                )
                .collect::<Vec<_>>()
                .join("\n")
        }
        Err(errors) => format!("{errors}\n"),
    }
}

#[test]
fn every_case_matches_its_snapshot() {
    // Integration tests run in the package folder, so `cases/x.yaml` resolves.
    assert!(
        Path::new("cases").is_dir(),
        "run from the tests/ package folder"
    );
    let cases = cases();
    assert!(
        cases.len() >= 6,
        "expected the snapshot cases in tests/cases"
    );
    for case in cases {
        let name = case.file_stem().unwrap().to_string_lossy().into_owned();
        let file = case.file_name().unwrap().to_string_lossy().into_owned();
        insta::with_settings!({
            snapshot_path => repo_root().join("tests/cases"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("twilio-codegen output for tests/cases/{file}"),
        }, {
            insta::assert_snapshot!(name.clone(), render(&case));
        });
    }
}
