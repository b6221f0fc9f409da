//! Snapshot tests: each `tests/cases/<name>.yaml` sits beside `<name>.snap`, the
//! generator's output for it (or, for a spec it must refuse, its exact errors).
//! Adding a case is dropping in a YAML file and running `cargo insta review`
//! (or `INSTA_UPDATE=always cargo test`).

use std::path::{Path, PathBuf};

use integration_tests::repo_root;
use twilio_codegen::Generator;

/// The generated files a case's snapshot shows (the runtime and Cargo.toml are
/// the same for every case).
const SHOWN: [&str; 4] = [
    "src/models.rs",
    "src/requests.rs",
    "src/responses.rs",
    "src/client.rs",
];

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
            // What the CLI prints for constructs generated in a looser form.
            let fallbacks: String = generated
                .api
                .fallbacks
                .iter()
                .map(|f| format!("// {f}\n"))
                .collect();
            let files = SHOWN
                .iter()
                .map(|path| format!("// ==== {path} ====\n{}", generated.file(path).unwrap()))
                .collect::<Vec<_>>()
                .join("\n");
            if fallbacks.is_empty() {
                files
            } else {
                format!("// ==== fallbacks ====\n{fallbacks}\n{files}")
            }
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
