//! The hand-written runtime support (`templates/runtime/`), stamped as it is.

/// (path in the generated crate, contents)
pub const FILES: &[(&str, &str)] = &[
    (
        "src/runtime/mod.rs",
        include_str!("../../../templates/runtime/mod.rs"),
    ),
    (
        "src/runtime/api.rs",
        include_str!("../../../templates/runtime/api.rs"),
    ),
    (
        "src/runtime/auth.rs",
        include_str!("../../../templates/runtime/auth.rs"),
    ),
    (
        "src/runtime/client.rs",
        include_str!("../../../templates/runtime/client.rs"),
    ),
    (
        "src/runtime/error.rs",
        include_str!("../../../templates/runtime/error.rs"),
    ),
    (
        "src/runtime/form.rs",
        include_str!("../../../templates/runtime/form.rs"),
    ),
    (
        "src/runtime/paging.rs",
        include_str!("../../../templates/runtime/paging.rs"),
    ),
    (
        "src/runtime/response.rs",
        include_str!("../../../templates/runtime/response.rs"),
    ),
    (
        "src/runtime/validate.rs",
        include_str!("../../../templates/runtime/validate.rs"),
    ),
    (
        "src/runtime/webhook.rs",
        include_str!("../../../templates/runtime/webhook.rs"),
    ),
];
