//! Output is atomic: a failed run leaves the output folder exactly as it was, a
//! successful one replaces it whole, and a run killed part-way never leaves a
//! mix of old and new files.
#![cfg(unix)]

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use twilio_codegen::output::{self, GeneratedFile};
use twilio_codegen::Generator;

mod common;

use common::{codegen, repo, stderr};

/// One entry of a folder tree: path, what it is, bytes, mode and mtime.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    path: PathBuf,
    kind: &'static str,
    bytes: Vec<u8>,
    mode: u32,
    mtime: (i64, i64),
}

/// The whole tree under `dir`, to compare folders exactly.
fn tree(dir: &Path) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let (kind, bytes) = if meta.is_dir() {
                stack.push(path.clone());
                ("dir", Vec::new())
            } else if meta.file_type().is_symlink() {
                (
                    "symlink",
                    std::fs::read_link(&path)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes(),
                )
            } else {
                ("file", std::fs::read(&path).unwrap())
            };
            out.push(Entry {
                path: path.strip_prefix(dir).unwrap().to_owned(),
                kind,
                bytes,
                mode: meta.mode(),
                mtime: if meta.is_dir() {
                    (0, 0) // a folder's mtime changes when it is listed into
                } else {
                    (meta.mtime(), meta.mtime_nsec())
                },
            });
        }
    }
    out.sort();
    out
}

/// Paths and bytes only (for states made by different runs).
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    tree(dir)
        .into_iter()
        .filter(|e| e.kind == "file")
        .map(|e| (e.path, e.bytes))
        .collect()
}

/// Names beside `dir` that a run keeps while it works.
fn temporaries_beside(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".codegen-"))
        .collect()
}

/// An output folder as a user has it: generated, plus hand-written files
/// (with old mtimes) the generator must keep.
fn populated_output(parent: &Path) -> PathBuf {
    let out = parent.join("generated");
    Generator::new(repo().join("spec"))
        .generate()
        .unwrap()
        .write_to(&out)
        .unwrap();
    std::fs::write(out.join("NOTES.md"), "hand-written\n").unwrap();
    std::fs::create_dir_all(out.join("docs/notes")).unwrap();
    std::fs::write(out.join("docs/notes/todo.txt"), "mine\n").unwrap();
    std::os::unix::fs::symlink("NOTES.md", out.join("LINK.md")).unwrap();
    let old = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for file in ["NOTES.md", "docs/notes/todo.txt"] {
        std::fs::File::options()
            .write(true)
            .open(out.join(file))
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    out
}

fn bad_spec(dir: &Path) -> PathBuf {
    let path = dir.join("bad.yaml");
    std::fs::write(
        &path,
        "openapi: 3.0.1\ninfo: {title: Bad, version: '1'}\npaths:\n  /v1/X:\n    get:\n      responses: {'204': {description: OK}}\n",
    )
    .unwrap();
    path
}

#[test]
fn a_bad_spec_leaves_the_output_exactly_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let out = populated_output(dir.path());
    let before = tree(&out);
    let inode = std::fs::metadata(&out).unwrap().ino();
    let spec = bad_spec(dir.path());

    // Through the library: generating fails, so there is nothing to write.
    let errors = Generator::new(&spec).generate().unwrap_err();
    assert_eq!(errors.len(), 1, "{errors}");

    // Through the CLI.
    let output = codegen(&[
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("no `operationId`"));
    assert_eq!(tree(&out), before);
    assert_eq!(std::fs::metadata(&out).unwrap().ino(), inode);
    assert!(temporaries_beside(&out).is_empty());
}

#[test]
fn a_write_that_fails_part_way_leaves_the_output_exactly_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let out = populated_output(dir.path());
    // A hand-made folder where a changed file must go: the write fails after
    // some files are already written (in the temporary folder).
    std::fs::remove_file(out.join("src/models.rs")).unwrap();
    std::fs::create_dir(out.join("src/models.rs")).unwrap();
    std::fs::write(out.join("src/models.rs/mine.txt"), "mine\n").unwrap();
    std::fs::write(out.join("Cargo.toml"), "# @generated by twilio-codegen\n").unwrap();
    let before = tree(&out);

    let output = codegen(&["--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot write"),
        "{}",
        stderr(&output)
    );
    assert_eq!(tree(&out), before, "a failed write must change nothing");
    assert!(temporaries_beside(&out).is_empty());

    // The same through the library.
    let generated = Generator::new(repo().join("spec")).generate().unwrap();
    assert!(generated.write_to(&out).is_err());
    assert_eq!(tree(&out), before);
}

#[test]
fn an_output_path_that_cannot_be_a_folder_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    for out in [file.clone(), file.join("generated")] {
        let output = codegen(&["--out", out.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
        assert!(
            stderr(&output).starts_with("error: "),
            "{}",
            stderr(&output)
        );
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn a_read_only_parent_folder_exits_3_and_changes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("parent");
    std::fs::create_dir(&parent).unwrap();
    let out = populated_output(&parent);
    std::fs::write(out.join("Cargo.toml"), "# @generated by twilio-codegen\n").unwrap();
    let before = tree(&out);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(parent.join("probe"), "").is_ok() {
        std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: running with permission to write into read-only folders (root); the failing-write tests above cover exit 3");
        return;
    }
    let output = codegen(&["--out", out.to_str().unwrap()]);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(tree(&out), before);
}

#[test]
fn a_successful_run_replaces_ours_removes_stale_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let out = populated_output(dir.path());
    let stale = out.join("src/old_module.rs");
    std::fs::write(&stale, "// @generated by twilio-codegen. Do not edit\n").unwrap();
    std::fs::write(out.join("Cargo.toml"), "# @generated by twilio-codegen\n").unwrap();
    std::fs::create_dir_all(out.join("target/debug")).unwrap();
    std::fs::write(out.join("target/debug/cache"), "build output\n").unwrap();
    let before = tree(&out);
    let models_before = before
        .iter()
        .find(|e| e.path == Path::new("src/models.rs"))
        .unwrap()
        .mtime;
    std::thread::sleep(Duration::from_millis(20));

    let generated = Generator::new(repo().join("spec")).generate().unwrap();
    let report = generated.write_to(&out).unwrap();
    assert_eq!(report.written, vec![out.join("Cargo.toml")]);
    assert_eq!(report.removed, vec![out.join("src/old_module.rs")]);
    assert_eq!(report.unchanged.len(), 17);

    let after = tree(&out);
    assert!(!stale.exists());
    assert!(generated.stale_files(&out).unwrap().is_empty());
    // Hand-written files, the symlink and build output: same bytes, same mtimes.
    for kept in [
        "NOTES.md",
        "docs/notes/todo.txt",
        "LINK.md",
        "target/debug/cache",
    ] {
        let find = |t: &[Entry]| {
            t.iter()
                .find(|e| e.path == Path::new(kept))
                .map(|e| (e.kind, e.bytes.clone(), e.mode, e.mtime))
        };
        assert_eq!(find(&after), find(&before), "{kept}");
        assert!(find(&after).is_some(), "{kept}");
    }
    // Unchanged generated files keep their mtime (cargo does not rebuild).
    let models_after = after
        .iter()
        .find(|e| e.path == Path::new("src/models.rs"))
        .unwrap()
        .mtime;
    assert_eq!(models_after, models_before);
    assert!(temporaries_beside(&out).is_empty());

    // Up to date: nothing is touched, not even the folder.
    let inode = std::fs::metadata(&out).unwrap().ino();
    let again = generated.write_to(&out).unwrap();
    assert!(again.written.is_empty() && again.removed.is_empty());
    assert_eq!(std::fs::metadata(&out).unwrap().ino(), inode);
    assert_eq!(tree(&out), after);
}

#[test]
fn a_symlinked_output_folder_stays_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let real = populated_output(dir.path());
    std::fs::write(real.join("Cargo.toml"), "# @generated by twilio-codegen\n").unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let output = codegen(&["--out", link.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(real.join("Cargo.toml"))
        .unwrap()
        .contains("[package]"));
    assert_eq!(
        std::fs::read_to_string(real.join("NOTES.md")).unwrap(),
        "hand-written\n"
    );
}

#[test]
fn leftovers_of_a_killed_run_are_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = populated_output(dir.path());
    // A temporary folder of a run that died (its pid is not running).
    let dead = dir.path().join(".generated.codegen-tmp-4000000000-0");
    std::fs::create_dir_all(dead.join("src")).unwrap();
    std::fs::write(dead.join("src/lib.rs"), "half").unwrap();
    std::fs::write(out.join("Cargo.toml"), "# @generated by twilio-codegen\n").unwrap();

    let output = codegen(&["--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        temporaries_beside(&out).is_empty(),
        "{:?}",
        temporaries_beside(&out)
    );
    let generated = Generator::new(repo().join("spec")).generate().unwrap();
    assert!(generated.stale_files(&out).unwrap().is_empty());
}

#[test]
fn a_run_killed_between_the_two_renames_is_undone_by_the_next_run() {
    // The fallback swap (where the system cannot exchange two folders in one
    // step) renames out → old, then temp → out. Killed in between, `out` is
    // missing: the next run puts the old folder back, then writes.
    let dir = tempfile::tempdir().unwrap();
    let out = populated_output(dir.path());
    let old = dir.path().join(".generated.codegen-old-4000000000-0");
    std::fs::rename(&out, &old).unwrap();
    let half = dir.path().join(".generated.codegen-tmp-4000000000-1");
    std::fs::create_dir(&half).unwrap();
    std::fs::write(half.join("Cargo.toml"), "half").unwrap();

    let output = codegen(&["--out", out.to_str().unwrap(), "--crate-name", "renamed"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(temporaries_beside(&out).is_empty());
    // The hand-written NOTES.md came back with the old folder.
    assert_eq!(
        std::fs::read_to_string(out.join("NOTES.md")).unwrap(),
        "hand-written\n"
    );
    assert!(std::fs::read_to_string(out.join("Cargo.toml"))
        .unwrap()
        .contains("name = \"renamed\""));
}

#[test]
fn a_run_killed_at_any_moment_leaves_old_or_new_never_a_mix() {
    let dir = tempfile::tempdir().unwrap();
    let spec = repo().join("spec");
    let spec = spec.to_str().unwrap();
    // Old: two operations under another crate name; new: the whole spec.
    let old_args = [
        "--spec",
        spec,
        "--include-operation",
        "FetchConfigurationWebhook",
        "--crate-name",
        "old-crate",
    ];
    let reference = |name: &str, args: &[&str]| {
        let out = dir.path().join(name);
        let mut all = args.to_vec();
        all.extend(["--out", out.to_str().unwrap()]);
        assert_eq!(codegen(&all).status.code(), Some(0));
        std::fs::write(out.join("NOTES.md"), "hand-written\n").unwrap();
        contents(&out)
    };
    let old_state = reference("old", &old_args);
    let new_state = reference("new", &["--spec", spec]);
    assert_ne!(old_state, new_state);

    // How long a whole run takes, to spread the kills over it.
    let out = dir.path().join("generated");
    let out_arg = out.to_str().unwrap().to_owned();
    let started = Instant::now();
    assert_eq!(
        codegen(&["--spec", spec, "--out", &out_arg]).status.code(),
        Some(0)
    );
    let run = started.elapsed();

    let (mut saw_old, mut saw_new) = (0, 0);
    let rounds = 24;
    for round in 0..rounds {
        let _ = std::fs::remove_dir_all(&out);
        let mut args = old_args.to_vec();
        args.extend(["--out", &out_arg]);
        assert_eq!(codegen(&args).status.code(), Some(0));
        std::fs::write(out.join("NOTES.md"), "hand-written\n").unwrap();

        let mut child = Command::new(env!("CARGO_BIN_EXE_twilio-codegen"))
            .args(["--spec", spec, "--out", &out_arg])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(run.mul_f64(1.2 * round as f64 / rounds as f64));
        let _ = child.kill(); // SIGKILL: no chance to clean up
        let _ = child.wait();

        let state = contents(&out);
        if state == old_state {
            saw_old += 1;
        } else if state == new_state {
            saw_new += 1;
        } else {
            panic!(
                "round {round}: the output is neither the old nor the new crate: {:?}",
                state.iter().map(|(p, _)| p).collect::<Vec<_>>()
            );
        }
        // The next run finishes the job and cleans up.
        assert_eq!(
            codegen(&["--spec", spec, "--out", &out_arg]).status.code(),
            Some(0)
        );
        assert_eq!(contents(&out), new_state, "round {round}");
        assert!(temporaries_beside(&out).is_empty(), "round {round}");
    }
    eprintln!("killed {rounds} runs: {saw_old} left the old crate, {saw_new} the new one");
}

#[test]
fn output_write_reports_relative_to_the_given_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nested/deeper/out");
    let files = vec![GeneratedFile {
        path: "a/b.rs".into(),
        contents: "// @generated by twilio-codegen\n".into(),
    }];
    let report = output::write(&out, &files).unwrap();
    assert_eq!(report.written, vec![out.join("a/b.rs")]);
    let report = output::write(&out, &[]).unwrap();
    assert_eq!(report.removed, vec![out.join("a/b.rs")]);
    assert!(out.is_dir());
}
