//! The runtime every generated crate carries in its `src/runtime/`, built as
//! a crate of its own so that it compiles and is tested without generating
//! anything. The files beside this one are mounted as they are, at the same
//! path as in a generated crate (`crate::runtime::…`), so their `crate::`
//! paths mean the same thing in both. `spec.rs` is the stand-in for the one
//! module a generated crate gets from its spec. Its tests are in `tests/`
//! (public API only, like a generated crate's user).

#[path = "mod.rs"]
pub mod runtime;
