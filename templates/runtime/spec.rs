//! Stand-in for the one generated runtime module, so that the runtime crate
//! (`templates/runtime/`) compiles and is tested on its own. It is NOT
//! stamped into generated crates: each gets `src/runtime/spec.rs` from
//! `generator/src/emit/runtime_spec.rs`, with the same items and its spec's
//! values (a generator test checks that the items match).

/// Where requests go unless a client is given another base URL (the
/// spec's first server).
pub const DEFAULT_BASE_URL: &str = "https://runtime.example.com";

/// The scheme of [`DEFAULT_BASE_URL`], lower case.
pub const DEFAULT_ORIGIN_SCHEME: &str = "https";

/// The host of [`DEFAULT_BASE_URL`], lower case.
pub const DEFAULT_ORIGIN_HOST: &str = "runtime.example.com";

/// The port of [`DEFAULT_BASE_URL`] (the scheme's default when it names none).
pub const DEFAULT_ORIGIN_PORT: u16 = 443;
