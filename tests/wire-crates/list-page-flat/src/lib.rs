//! The code the generator makes from `tests/cases/list_page_flat.yaml` (see its
//! snapshot), for the wire tests.

include!(concat!(env!("OUT_DIR"), "/case.rs"));
