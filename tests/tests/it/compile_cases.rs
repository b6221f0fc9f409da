//! The snapshots compile: every case that generates is written out as a whole
//! crate and `cargo check`ed (warnings denied), all cases in one temporary
//! workspace so dependencies build once.

use integration_tests::{repo_root, target_dir};
use twilio_codegen::scratch::ScratchWorkspace;
use twilio_codegen::Generator;

use super::snapshots::{cases, relative};

#[test]
fn generated_case_crates_compile_without_warnings() {
    let dir = target_dir().join("case-crates");
    let _ = std::fs::remove_dir_all(dir.join("crates"));
    // Same dependency versions as the main workspace, and no network needed.
    let mut workspace = ScratchWorkspace::new(dir).lock_file(repo_root().join("Cargo.lock"));
    let mut compiled = 0;
    for case in cases() {
        let stem = case.file_stem().unwrap().to_string_lossy().into_owned();
        let Ok(generated) = Generator::new(relative(&case))
            .crate_name(format!("case-{}", stem.replace('_', "-")))
            .generate()
        else {
            continue; // an error case: its snapshot is the error text
        };
        workspace
            .add_crate(&format!("crates/{stem}"), &generated.files)
            .unwrap();
        compiled += 1;
    }
    assert!(compiled > 0);
    let every_reserved = every_reserved_name_spec();
    let generated = Generator::new(&every_reserved)
        .crate_name("case-every-reserved-name")
        .generate()
        .unwrap_or_else(|e| panic!("{}:\n{e}", every_reserved.display()));
    workspace
        .add_crate("crates/every_reserved_name", &generated.files)
        .unwrap();
    workspace.write().unwrap();
    let output = workspace
        .cargo(&[
            "check",
            "--workspace",
            "--all-targets",
            "--offline",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "generated case crates do not compile cleanly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `first_second` → `FirstSecond`: the operationId that becomes `name`.
fn upper_camel(name: &str) -> String {
    name.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// A spec written from the generator's own list of reserved names
/// (`twilio_codegen::reserved`, the runtime's part read from its source):
/// a schema named after every reserved type, each a JSON request body (so
/// setters use `Into`), a response with a date-time (`Timestamp`), a list
/// page (`Page`) and a callback body; an operation named after every reserved
/// function and method. A name reserved tomorrow is in it tomorrow.
fn every_reserved_name_spec() -> std::path::PathBuf {
    use serde_json::json;
    let types: Vec<&str> = twilio_codegen::reserved::types().into_iter().collect();
    let functions: Vec<&str> = twilio_codegen::reserved::functions().into_iter().collect();
    let mut schemas = serde_json::Map::new();
    for ty in &types {
        schemas.insert(
            (*ty).to_owned(),
            json!({
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "at": {"type": "string", "format": "date-time"},
                    "url": {"type": "string", "format": "uri"}
                }
            }),
        );
    }
    let mut paths = serde_json::Map::new();
    for (i, function) in functions.iter().enumerate() {
        let ty = types[i % types.len()];
        let schema = json!({"$ref": format!("#/components/schemas/{ty}")});
        paths.insert(
            format!("/v1/F{i}"),
            json!({"post": {
                "operationId": upper_camel(function),
                "requestBody": {"required": true, "content": {"application/json": {"schema": schema}}},
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}},
                "callbacks": {"on": {"{$request.body#/url}": {"post": {
                    "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
                        "title": types[(i + 1) % types.len()],
                        "type": "object",
                        "properties": {"At": {"type": "string", "format": "date-time"}}
                    }}}},
                    "responses": {"200": {"description": "Received"}}
                }}}}
            }}),
        );
    }
    for (i, ty) in types.iter().enumerate() {
        paths.insert(
            format!("/v1/T{i}"),
            json!({"get": {
                "operationId": format!("List{i}"),
                "parameters": [{"name": "PageSize", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                    "type": "object",
                    "title": format!("List{i}Response"),
                    "properties": {
                        "items": {"type": "array", "items": {"$ref": format!("#/components/schemas/{ty}")}},
                        "meta": {"type": "object", "properties": {"next_page_url": {"type": "string", "format": "uri", "nullable": true}}}
                    }
                }}}}}
            }}),
        );
    }
    let spec = json!({
        "openapi": "3.0.1",
        "info": {"title": "Every reserved name", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas}
    });
    let dir = target_dir()
        .join("case-crates")
        .join("every-reserved-name-spec");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("openapi.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&spec).unwrap()).unwrap();
    file
}
