//! Decides whether the Prism contract tests run (`cfg(prism)`), so that
//! without Prism they are *ignored with a reason* (`cargo test` lists them as
//! `ignored, needs Prism: ...`) rather than passing without having run.
//!
//! They run when `PRISM_CLI` is set (CI sets it; a wrong path then fails the
//! test), when Prism is installed under `<repo>/target/prism`, or when `CI` is
//! set: in CI a missing Prism is a failure, not a skip.
//!
//! Cargo reruns this script when `PRISM_CLI` or `CI` change, or when the
//! installed Prism changes or goes away. It cannot notice Prism appearing
//! (a missing file cannot be watched without rebuilding every time), so after
//! installing it, set `PRISM_CLI` or `touch tests/build.rs`.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(prism)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=PRISM_CLI");
    println!("cargo::rerun-if-env-changed=CI");
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it");
    let local = Path::new(&manifest_dir)
        .join("../target/prism/node_modules/@stoplight/prism-cli/dist/index.js");
    let installed = local.is_file();
    if installed {
        println!("cargo::rerun-if-changed={}", local.display());
    }
    let asked = std::env::var_os("PRISM_CLI").is_some() || std::env::var_os("CI").is_some();
    if installed || asked {
        println!("cargo::rustc-cfg=prism");
    }
}
