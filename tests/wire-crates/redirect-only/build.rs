//! Generates the crate of tests/cases/redirect_only.yaml into `OUT_DIR`.

fn main() {
    let generator = twilio_codegen::Generator::new("../../cases/redirect_only.yaml");
    if let Err(errors) = generator.build_script("case.rs") {
        twilio_codegen::build::report(&errors);
    }
}
