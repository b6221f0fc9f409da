//! Generation speed, split into its three steps: parse (read and parse the
//! documents), normalise (build the model) and emit (print and format every
//! file of the crate), for our fragments (14 operations) and Twilio's full
//! document (103 operations, plus selections of it to show how time grows
//! with the number of operations).
//!
//! ```text
//! cargo bench -p twilio-codegen
//! ```
//!
//! The upstream document is read from `../shared/twilio-oai/` beside the
//! repository (or `TWILIO_SHARED_DIR`); without it only our fragments are
//! measured. Twilio's largest document, api_v2010 (`../shared/twilio-corpus/`),
//! is measured too when it is there and generates; otherwise the bench says
//! why it skipped it.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use twilio_codegen::load::Documents;
use twilio_codegen::{emit_files, normalise, Selection};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn shared(file: &str) -> Option<PathBuf> {
    let shared = std::env::var_os("TWILIO_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared"));
    let path = shared.join(file);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("{} is absent: not benchmarked", path.display());
        None
    }
}

fn upstream() -> Option<PathBuf> {
    shared("twilio-oai/twilio_conversations_v1.json")
}

/// The document, if it loads and generates; else why not, printed.
fn generates(label: &str, path: &Path) -> bool {
    let result = Documents::load(path).and_then(|docs| {
        let api = normalise::normalise(&docs, &Selection::default())?;
        emit_files(&api, None).map_err(Into::into)
    });
    match result {
        Ok(_) => true,
        Err(errors) => {
            let first = errors
                .iter()
                .next()
                .map(ToString::to_string)
                .unwrap_or_default();
            eprintln!(
                "{label}: skipped, it does not generate ({} errors; first: {first})",
                errors.len()
            );
            false
        }
    }
}

/// The first `n` operation ids of the document, in its order.
fn first_operations(docs: &Documents, n: usize) -> Selection {
    let all = normalise::normalise(docs, &Selection::default()).expect("the document generates");
    Selection {
        include_operations: all
            .operations
            .iter()
            .take(n)
            .map(|op| op.id.clone())
            .collect(),
        ..Selection::default()
    }
}

fn bench_input(c: &mut Criterion, label: &str, input: &Path, selection: &Selection) {
    let docs = Documents::load(input).expect("the document loads");
    let api = normalise::normalise(&docs, selection).expect("the document generates");
    let ops = api.operations.len();
    let mut group = c.benchmark_group(format!("{label} ({ops} operations)"));
    group.bench_function("parse", |b| {
        b.iter(|| Documents::load(black_box(input)).unwrap())
    });
    group.bench_function("normalise", |b| {
        b.iter(|| normalise::normalise(black_box(&docs), black_box(selection)).unwrap())
    });
    group.bench_function("emit", |b| {
        b.iter(|| emit_files(black_box(&api), None).unwrap())
    });
    group.bench_function("total", |b| {
        b.iter(|| {
            let docs = Documents::load(black_box(input)).unwrap();
            let api = normalise::normalise(&docs, selection).unwrap();
            emit_files(&api, None).unwrap()
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_input(c, "spec", &repo().join("spec"), &Selection::default());
    if let Some(path) = upstream() {
        let docs = Documents::load(&path).expect("the upstream document loads");
        for n in [14, 52] {
            bench_input(c, "upstream", &path, &first_operations(&docs, n));
        }
        bench_input(c, "upstream", &path, &Selection::default());
    }
    if let Some(path) = shared("twilio-corpus/twilio_api_v2010.json") {
        if generates("api_v2010", &path) {
            bench_input(c, "api_v2010", &path, &Selection::default());
        }
    }
}

criterion_group! {
    name = generate;
    config = Criterion::default().sample_size(30);
    targets = benches
}
criterion_main!(generate);
