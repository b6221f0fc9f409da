//! One test binary (faster to link than one per file), a module per concern.

mod api_errors;
mod api_shape;
mod build_rs;
mod client_behaviour;
mod client_errors;
mod client_wire;
mod compile_cases;
mod dates;
mod drift;
mod hostile_server;
mod identity;
mod include_crates;
mod prism;
mod prism_upstream;
mod readme;
mod request_wire;
mod requests;
mod response_shapes_wire;
mod responses;
mod runtime_core;
mod semver_history;
mod snapshots;
mod spec_examples;
mod test_transport;
mod upstream;
mod webhooks;
