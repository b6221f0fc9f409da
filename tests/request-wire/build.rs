//! Generates `tests/request_wire.yaml` (which refers to the
//! request-construct cases of `tests/cases`) into `OUT_DIR`.

fn main() {
    let generator = twilio_codegen::Generator::new("../request_wire.yaml");
    if let Err(errors) = generator.build_script("request_wire.rs") {
        twilio_codegen::build::report(&errors);
    }
}
