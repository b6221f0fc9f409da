//! Generates the bindings from the spec into `OUT_DIR` on every change to a
//! spec file the generator reads (and on no other change).

fn main() {
    let generator = twilio_codegen::Generator::new("../../spec");
    if let Err(errors) = generator.build_script("twilio_conversations.rs") {
        // One `error: <file>#<pointer>: <message>` line per error, no panic.
        twilio_codegen::build::report(&errors);
    }
}
