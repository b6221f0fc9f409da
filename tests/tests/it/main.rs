//! One test binary (faster to link than one per file), a module per concern.

mod build_rs;
mod client_behaviour;
mod client_errors;
mod client_wire;
mod compile_cases;
mod drift;
mod prism;
mod prism_upstream;
mod readme;
mod request_wire;
mod requests;
mod responses;
mod runtime_core;
mod snapshots;
mod spec_examples;
mod upstream;
