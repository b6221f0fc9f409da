//! The code the generator makes from `tests/cases/redirect_only.yaml` (see its
//! snapshot), for the wire tests.

include!(concat!(env!("OUT_DIR"), "/case.rs"));
