//! generated/ must be exactly what the generator makes from spec/ today.

use integration_tests::repo_root;
use twilio_codegen::Generator;

#[test]
fn generated_crate_is_what_spec_generates() {
    let root = repo_root();
    let generated = Generator::new(root.join("spec"))
        .generate()
        .unwrap_or_else(|errors| panic!("spec/ does not generate:\n{errors}"));
    let stale = generated.stale_files(&root.join("generated")).unwrap();
    let names: Vec<String> = stale
        .iter()
        .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "generated/ is stale: {}\nrun `cargo run -p twilio-codegen` from the repository root and commit the result",
        names.join(", ")
    );
}

#[test]
fn output_does_not_depend_on_where_the_spec_is() {
    // Same spec from another absolute path: byte-identical files.
    let root = repo_root();
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root.join("spec")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
    }
    let here = Generator::new(root.join("spec")).generate().unwrap();
    let there = Generator::new(copy.path()).generate().unwrap();
    assert_eq!(here.files, there.files);
    let again = Generator::new(root.join("spec")).generate().unwrap();
    assert_eq!(here.files, again.files);
}

#[test]
fn inputs_are_every_fragment_read() {
    let root = repo_root();
    let generated = Generator::new(root.join("spec")).generate().unwrap();
    let mut names: Vec<String> = generated
        .inputs
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "common.yaml",
            "configuration_webhook.yaml",
            "conversation_scoped_webhooks.yaml",
            "openapi.yaml",
            "service_conversation_scoped_webhooks.yaml",
            "service_webhook_configuration.yaml",
            "webhook_events.yaml",
        ]
    );
    assert_eq!(generated.api.operations.len(), 14);
}
