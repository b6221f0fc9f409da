//! One test binary (faster to link than one per file), a module per concern.

mod compile_cases;
mod drift;
mod requests;
mod responses;
mod snapshots;
mod spec_examples;
