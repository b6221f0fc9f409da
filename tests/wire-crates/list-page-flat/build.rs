//! Generates the crate of tests/cases/list_page_flat.yaml into `OUT_DIR`.

fn main() {
    let generator = twilio_codegen::Generator::new("../../cases/list_page_flat.yaml");
    if let Err(errors) = generator.build_script("case.rs") {
        twilio_codegen::build::report(&errors);
    }
}
