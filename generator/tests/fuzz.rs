//! Property-based fuzzing of the whole pipeline (load → normalise → emit).
//!
//! Each case takes our spec fragments (or Twilio's full upstream document, when
//! `../shared/twilio-oai/` is there) and applies a few random mutations to one
//! file: delete a key, swap a value's type, truncate a string, copy a subtree
//! somewhere else, inject odd strings (empty, huge, `{`, `~1`, `%`, `..`, NUL,
//! RTL marks, emoji, combining marks, Rust keywords) as values or keys, or cut
//! and splice the file's text at random bytes, point `$ref`s elsewhere (other
//! nodes, missing files, `../../x.json`, `/proc/self/environ`, `/dev/zero`,
//! remote URLs), nest values deeply (up to 200 levels) and add chains of up to
//! 80 `$ref`'d components. Then it runs the generator in memory and checks:
//! - it never panics;
//! - every error has a message and names one of the input files (a location for
//!   spec errors, line and column for parse errors), and none is "internal";
//! - every Rust file it emits parses with syn;
//! - a few distinct successful mutants are written out as crates and
//!   `cargo check`ed, once all cases have run.
//!
//! `FUZZ_CASES` sets the number of cases for the fragments (default 256, so
//! `cargo test --workspace` stays quick); the upstream document gets a tenth of
//! them. CI runs `FUZZ_CASES=10000 cargo test --release -p twilio-codegen --test fuzz`.
//! Failures are saved in `proptest-regressions/fuzz.txt` and replayed first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestError, TestRunner};
use serde_json::Value;
use twilio_codegen::load::Documents;
use twilio_codegen::{emit_files, normalise, Error, Errors, GeneratedFile, Selection};

mod common;

use common::repo;

/// The seed of this run: `FUZZ_SEED` as given, or made from the clock.
fn seed_text() -> &'static str {
    static SEED: OnceLock<String> = OnceLock::new();
    SEED.get_or_init(|| {
        std::env::var("FUZZ_SEED").unwrap_or_else(|_| {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            format!("{}", now.as_nanos() as u64 ^ u64::from(std::process::id()))
        })
    })
}

/// The proptest seed for one corpus, from the run's seed: a number is used
/// as it is, any other text (a commit hash) through FNV-1a; `salt` gives each
/// corpus its own stream.
fn seed_for(text: &str, salt: u64) -> u64 {
    let base = text.parse::<u64>().unwrap_or_else(|_| {
        text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
    });
    base ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// Input files by the path the generator sees, with their parsed values.
#[derive(Clone)]
struct Corpus {
    root: PathBuf,
    /// (path, original text, parsed value)
    files: Vec<(PathBuf, String, Value)>,
}

fn parse(path: &Path, text: &str) -> Value {
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(text).unwrap()
    } else {
        serde_yaml::from_str(text).unwrap()
    }
}

fn fragments() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut files = Vec::new();
        let mut names: Vec<_> = std::fs::read_dir(repo().join("spec"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let text = std::fs::read_to_string(repo().join("spec").join(&name)).unwrap();
            let path = Path::new("spec").join(&name);
            let value = parse(&path, &text);
            files.push((path, text, value));
        }
        Corpus {
            root: PathBuf::from("spec/openapi.yaml"),
            files,
        }
    })
}

/// Twilio's full upstream document, as it stands. `None` when
/// `../shared/twilio-oai/` is not there.
fn upstream() -> Option<&'static Corpus> {
    static CORPUS: OnceLock<Option<Corpus>> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let dir = std::env::var_os("TWILIO_SHARED_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| repo().join("../shared"));
            let path = dir.join("twilio-oai/twilio_conversations_v1.json");
            let text = std::fs::read_to_string(&path).ok()?;
            let value: Value = serde_json::from_str(&text).unwrap();
            let key = PathBuf::from("upstream/twilio_conversations_v1.json");
            Some(Corpus {
                root: key.clone(),
                files: vec![(key, text, value)],
            })
        })
        .as_ref()
}

/// Strings that have broken generators before.
const ODD: &[&str] = &[
    "",
    " ",
    "{",
    "}",
    "{}",
    "{Sid",
    "#",
    "#/",
    "~1",
    "~0~1/",
    "%",
    "%7B",
    "..",
    "../..",
    "/",
    "a/b",
    "\0",
    "\u{202e}abc",
    "\u{200f}",
    "🦀",
    "e\u{301}\u{301}\u{301}",
    "\u{feff}",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "r#type",
    "_",
    "__",
    "0",
    "9lives",
    "-",
    "$ref",
    "*/",
    "\"",
    "\\",
    "'",
    "\n",
    "\r\n",
    "null",
    "true",
    "1e400",
    "Other",
    "Unrecognized",
    "Option",
    "Result",
    "String",
    "Vec",
    "get",
    "GET",
    "application/json",
    "application/x-www-form-urlencoded",
    "#/components/schemas/",
    "common.yaml",
    "common.yaml#/components/schemas/list_meta",
    "^(",
    "[",
    "date_time",
    "int32",
    "uri",
];

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
enum Mutation {
    /// Delete the key of the chosen object member (or the chosen array item).
    Delete(usize),
    /// Replace the chosen value by one of another type.
    Swap(usize, u8),
    /// Shorten the chosen string or array, or drop keys from an object.
    Truncate(usize, u16),
    /// Copy one subtree over another.
    Duplicate(usize, usize),
    /// Put an odd string in place of the chosen value.
    Inject(usize, usize),
    /// Rename the chosen member's key to an odd string.
    Rename(usize, usize),
    /// A very long string.
    Long(usize, u16),
    /// Point the chosen `$ref` elsewhere: a hostile or broken target, or
    /// another node of the same file.
    Retarget(usize, usize),
    /// Wrap the chosen value in this many (mod 200, plus 1) levels of
    /// `items` or `properties`.
    Nest(usize, u16),
    /// Add a chain of (mod 80, plus 1) components, each reaching the next
    /// through `items`, a property or a bare `$ref`, and refer to it from the
    /// chosen value.
    Chain(usize, u16),
}

/// `$ref` targets that are wrong or hostile in some way.
const REF_TARGETS: &[&str] = &[
    "",
    "#",
    "#/",
    "#/nope",
    "#/components",
    "#/components/schemas",
    "#/paths",
    "#/components/schemas/a~1b",
    "..",
    "../../x.json",
    "../spec/common.yaml#/components/schemas/list_meta",
    "%2e%2e/x.json",
    "/proc/self/environ",
    "/dev/zero",
    "/etc/passwd",
    "file:///etc/passwd",
    "http://127.0.0.1:1/x.json#/a",
    "common.yaml",
    "common.yaml#",
    "common.yaml#/components/schemas/nope",
    "./common.yaml#/components/parameters/PageSize",
    "spec/common.yaml#/components/schemas/list_meta",
    "nope.yaml#/a",
    "openapi.yaml#/paths",
];

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
enum TextMutation {
    None,
    /// Cut the text at this fraction (per mille) of its length.
    Truncate(u16),
    /// Insert these bytes (made text lossily) at this fraction.
    Insert(u16, Vec<u8>),
    /// Remove a run of bytes.
    Remove(u16, u16),
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct Plan {
    file: usize,
    mutations: Vec<Mutation>,
    text: TextMutation,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<usize>();
    prop_oneof![
        at.prop_map(Mutation::Delete),
        (at, any::<u8>()).prop_map(|(a, k)| Mutation::Swap(a, k)),
        (at, any::<u16>()).prop_map(|(a, n)| Mutation::Truncate(a, n)),
        (at, any::<usize>()).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
        (at, any::<usize>()).prop_map(|(a, s)| Mutation::Inject(a, s)),
        (at, any::<usize>()).prop_map(|(a, s)| Mutation::Rename(a, s)),
        (at, any::<u16>()).prop_map(|(a, n)| Mutation::Long(a, n)),
        (at, any::<usize>()).prop_map(|(a, t)| Mutation::Retarget(a, t)),
        (at, any::<u16>()).prop_map(|(a, n)| Mutation::Nest(a, n)),
        (at, any::<u16>()).prop_map(|(a, n)| Mutation::Chain(a, n)),
    ]
}

fn text_mutation() -> impl Strategy<Value = TextMutation> {
    prop_oneof![
        6 => Just(TextMutation::None),
        1 => (0u16..1000).prop_map(TextMutation::Truncate),
        1 => (0u16..1000, prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| TextMutation::Insert(at, bytes)),
        1 => (0u16..1000, 1u16..64).prop_map(|(at, n)| TextMutation::Remove(at, n)),
    ]
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        any::<usize>(),
        prop::collection::vec(mutation(), 0..4),
        text_mutation(),
    )
        .prop_map(|(file, mutations, text)| Plan {
            file,
            mutations,
            text,
        })
}

/// JSON pointers of every node (outside examples), in document order.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let child = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(child.clone());
                // Examples are free-form and most of the upstream document:
                // mutate them as a whole, not node by node.
                if k != "example" && k != "examples" {
                    pointers(v, child, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let child = format!("{at}/{i}");
                out.push(child.clone());
                pointers(v, child, out);
            }
        }
        _ => {}
    }
}

fn split_last(pointer: &str) -> (&str, String) {
    let i = pointer.rfind('/').unwrap();
    (
        &pointer[..i],
        pointer[i + 1..].replace("~1", "/").replace("~0", "~"),
    )
}

fn apply(value: &mut Value, mutation: &Mutation) {
    let mut all = Vec::new();
    pointers(value, String::new(), &mut all);
    if all.is_empty() {
        return;
    }
    let pick = |i: usize| all[i % all.len()].clone();
    match mutation {
        Mutation::Delete(i) => {
            let pointer = pick(*i);
            let (parent, key) = split_last(&pointer);
            match value.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.shift_remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>() {
                        if i < items.len() {
                            items.remove(i);
                        }
                    }
                }
                _ => {}
            }
        }
        Mutation::Swap(i, kind) => {
            if let Some(v) = value.pointer_mut(&pick(*i)) {
                *v = match kind % 7 {
                    0 => Value::Null,
                    1 => Value::Bool(*kind > 128),
                    2 => Value::from(*kind as i64 - 100),
                    3 => Value::from(0.5),
                    4 => Value::String(v.to_string().chars().take(20).collect()),
                    5 => Value::Array(vec![v.take()]),
                    _ => {
                        let mut map = serde_json::Map::new();
                        map.insert("type".into(), v.take());
                        Value::Object(map)
                    }
                };
            }
        }
        Mutation::Truncate(i, n) => match value.pointer_mut(&pick(*i)) {
            Some(Value::String(s)) => {
                let keep = s.chars().count() * (*n as usize % 100) / 100;
                *s = s.chars().take(keep).collect();
            }
            Some(Value::Array(items)) => items.truncate(*n as usize % (items.len() + 1)),
            Some(Value::Object(map)) => {
                let keep = *n as usize % (map.len() + 1);
                let keys: Vec<String> = map.keys().skip(keep).cloned().collect();
                for k in keys {
                    map.shift_remove(&k);
                }
            }
            _ => {}
        },
        Mutation::Duplicate(from, to) => {
            let source = value.pointer(&pick(*from)).cloned();
            if let (Some(source), Some(dest)) = (source, value.pointer_mut(&pick(*to))) {
                *dest = source;
            }
        }
        Mutation::Inject(i, s) => {
            if let Some(v) = value.pointer_mut(&pick(*i)) {
                *v = Value::String(ODD[s % ODD.len()].to_owned());
            }
        }
        Mutation::Rename(i, s) => {
            let pointer = pick(*i);
            let (parent, key) = split_last(&pointer);
            if let Some(Value::Object(map)) = value.pointer_mut(parent) {
                if let Some(v) = map.shift_remove(&key) {
                    map.insert(ODD[s % ODD.len()].to_owned(), v);
                }
            }
        }
        Mutation::Long(i, n) => {
            if let Some(v) = value.pointer_mut(&pick(*i)) {
                let unit = ["a", "é", "🦀", "{", "A_"][*n as usize % 5];
                *v = Value::String(unit.repeat(1000 + *n as usize * 4));
            }
        }
        Mutation::Retarget(i, t) => {
            let refs: Vec<&String> = all.iter().filter(|p| p.ends_with("/$ref")).collect();
            if refs.is_empty() {
                return;
            }
            let target = if t % 3 == 0 {
                REF_TARGETS[t / 3 % REF_TARGETS.len()].to_owned()
            } else {
                format!("#{}", all[t % all.len()])
            };
            if let Some(v) = value.pointer_mut(refs[i % refs.len()]) {
                *v = Value::String(target);
            }
        }
        Mutation::Nest(i, n) => {
            if let Some(v) = value.pointer_mut(&pick(*i)) {
                let mut nested = v.take();
                for level in 0..(*n as usize % 200) + 1 {
                    nested = if (level + *n as usize) % 2 == 0 {
                        serde_json::json!({"type": "array", "items": nested})
                    } else {
                        serde_json::json!({"type": "object", "properties": {"a": nested}})
                    };
                }
                *v = nested;
            }
        }
        Mutation::Chain(i, n) => {
            let pointer = pick(*i);
            let Some(Value::Object(schemas)) = value.pointer_mut("/components/schemas") else {
                return;
            };
            let length = *n as usize % 80 + 1;
            for k in 0..length {
                let next = serde_json::json!({"$ref": format!("#/components/schemas/fuzz_chain_{}", k + 1)});
                let schema = match *n % 3 {
                    0 => serde_json::json!({"type": "array", "items": next}),
                    1 => serde_json::json!({"type": "object", "properties": {"next": next}}),
                    _ => next,
                };
                schemas.insert(format!("fuzz_chain_{k}"), schema);
            }
            schemas.insert(
                format!("fuzz_chain_{length}"),
                serde_json::json!({"type": "object", "properties": {"end": {"type": "string"}}}),
            );
            if let Some(v) = value.pointer_mut(&pointer) {
                *v = serde_json::json!({"$ref": "#/components/schemas/fuzz_chain_0"});
            }
        }
    }
}

fn mutate_text(text: &str, mutation: &TextMutation) -> String {
    let at = |per_mille: u16| {
        let mut i = text.len() * (per_mille as usize % 1000) / 1000;
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match mutation {
        TextMutation::None => text.to_owned(),
        TextMutation::Truncate(p) => text[..at(*p)].to_owned(),
        TextMutation::Insert(p, bytes) => {
            let i = at(*p);
            format!(
                "{}{}{}",
                &text[..i],
                String::from_utf8_lossy(bytes),
                &text[i..]
            )
        }
        TextMutation::Remove(p, n) => {
            let i = at(*p);
            let mut j = (i + *n as usize).min(text.len());
            while !text.is_char_boundary(j) {
                j += 1;
            }
            format!("{}{}", &text[..i], &text[j..])
        }
    }
}

/// The mutated input files: the chosen file changed, the others as they are.
fn mutated(corpus: &Corpus, plan: &Plan) -> BTreeMap<PathBuf, String> {
    let chosen = plan.file % corpus.files.len();
    let mut files = BTreeMap::new();
    for (i, (path, text, value)) in corpus.files.iter().enumerate() {
        let text = if i != chosen {
            text.clone()
        } else {
            let base = if plan.mutations.is_empty() {
                text.clone()
            } else {
                let mut value = value.clone();
                for m in &plan.mutations {
                    apply(&mut value, m);
                }
                // JSON is YAML too, so one serialisation serves both.
                serde_json::to_string_pretty(&value).unwrap()
            };
            mutate_text(&base, &plan.text)
        };
        files.insert(path.clone(), text);
    }
    files
}

/// The pipeline of `Generator::generate`, from memory.
fn generate(root: &Path, files: &BTreeMap<PathBuf, String>) -> Result<Vec<GeneratedFile>, Errors> {
    let (docs, errors) = Documents::load_from_memory(root, files)?;
    let api = normalise::normalise(&docs, &Selection::default());
    if !errors.is_empty() {
        return Err(errors);
    }
    let api = api?;
    emit_files(&api, Some("fuzzed")).map_err(Errors::from)
}

fn check_errors(errors: &Errors, files: &BTreeMap<PathBuf, String>) -> Result<(), TestCaseError> {
    prop_assert!(!errors.is_empty(), "an Err with no errors");
    for error in errors.iter() {
        let text = error.to_string();
        prop_assert!(!text.trim().is_empty());
        match error {
            Error::Spec { location, message } => {
                prop_assert!(!message.trim().is_empty(), "{text}");
                prop_assert!(
                    files.contains_key(&location.file),
                    "error names a file that is not an input: {text}"
                );
                prop_assert!(
                    location.pointer.is_empty() || location.pointer.starts_with('/'),
                    "not a JSON pointer: {text}"
                );
            }
            Error::Parse { path, message, .. } => {
                prop_assert!(!message.trim().is_empty(), "{text}");
                prop_assert!(files.contains_key(path), "{text}");
            }
            Error::Internal { .. } => {
                prop_assert!(false, "the generator emitted invalid Rust: {text}")
            }
            other => prop_assert!(false, "unexpected error kind: {other}"),
        }
    }
    Ok(())
}

/// How the cases ended: generated, or refused with errors.
static GENERATED: AtomicUsize = AtomicUsize::new(0);
static REFUSED: AtomicUsize = AtomicUsize::new(0);

/// Distinct successful mutants kept for the compile check.
static SAMPLES: Mutex<Vec<Sample>> = Mutex::new(Vec::new());

struct Sample {
    label: String,
    /// The plan that made it, to reproduce a compile failure.
    plan: String,
    plan_value: Plan,
    inputs: BTreeMap<PathBuf, String>,
    files: Vec<GeneratedFile>,
}
const SAMPLES_PER_CORPUS: usize = 4;
/// Distinct successful mutants seen so far, by corpus (for reservoir sampling).
static SEEN: Mutex<BTreeMap<String, u64>> = Mutex::new(BTreeMap::new());

/// Reservoir sampling: every distinct successful mutant of a run has the same
/// chance to be compiled, not just the first few.
fn keep_sample(
    label: &str,
    plan: &Plan,
    inputs: BTreeMap<PathBuf, String>,
    files: Vec<GeneratedFile>,
) {
    let mut samples = SAMPLES.lock().unwrap();
    if samples.iter().any(|s| s.files == files) {
        return;
    }
    let mut seen = SEEN.lock().unwrap();
    let n = seen.entry(label.to_owned()).or_insert(0);
    *n += 1;
    let mine: Vec<usize> = (0..samples.len())
        .filter(|&i| samples[i].label.starts_with(label))
        .collect();
    let sample = |slot: usize| Sample {
        label: format!("{label}-{slot}"),
        plan: format!("{plan:?}"),
        plan_value: plan.clone(),
        inputs,
        files,
    };
    if mine.len() < SAMPLES_PER_CORPUS {
        samples.push(sample(mine.len()));
        return;
    }
    // A cheap, deterministic-per-plan draw in 0..n.
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{plan:?}").hash(&mut hasher);
    let draw = hasher.finish() % *n;
    if (draw as usize) < SAMPLES_PER_CORPUS {
        let i = mine[draw as usize];
        samples[i] = sample(draw as usize);
    }
}

/// Keeps a mutant for the compile check whatever the sampling says.
fn force_sample(
    label: &str,
    plan: &Plan,
    inputs: BTreeMap<PathBuf, String>,
    files: Vec<GeneratedFile>,
) {
    SAMPLES.lock().unwrap().push(Sample {
        label: label.to_owned(),
        plan: format!("{plan:?}"),
        plan_value: plan.clone(),
        inputs,
        files,
    });
}

fn run_case(
    corpus: &Corpus,
    plan: &Plan,
    label: &str,
    baseline: &[GeneratedFile],
) -> Result<(), TestCaseError> {
    let files = mutated(corpus, plan);
    match generate(&corpus.root, &files) {
        Err(errors) => {
            REFUSED.fetch_add(1, Ordering::Relaxed);
            check_errors(&errors, &files)
        }
        Ok(generated) => {
            GENERATED.fetch_add(1, Ordering::Relaxed);
            for file in generated.iter().filter(|f| f.path.ends_with(".rs")) {
                if let Err(e) = syn::parse_file(&file.contents) {
                    prop_assert!(false, "{} does not parse: {e}", file.path);
                }
            }
            if generated.as_slice() != baseline {
                keep_sample(label, plan, files, generated);
            }
            Ok(())
        }
    }
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/fuzz.txt"
        )))),
        max_shrink_iters: 2048,
        ..Config::default()
    }
}

fn baseline(corpus: &Corpus) -> Vec<GeneratedFile> {
    let files = corpus
        .files
        .iter()
        .map(|(p, t, _)| (p.clone(), t.clone()))
        .collect();
    generate(&corpus.root, &files).unwrap_or_default()
}

/// A runner for one corpus, seeded from the run's seed (see [`seed_text`]).
fn runner(cases: u32, salt: u64) -> TestRunner {
    let mut config = config(cases);
    config.rng_seed = RngSeed::Fixed(seed_for(seed_text(), salt));
    TestRunner::new(config)
}

/// Runs `cases` cases on `corpus`; a failure (shrunk) is saved before the
/// test fails.
fn fuzz(corpus: &Corpus, label: &str, cases: u32, salt: u64) {
    let base = baseline(corpus);
    let mut runner = runner(cases, salt);
    match runner.run(&plan(), |plan| run_case(corpus, &plan, label, &base)) {
        Ok(()) => {}
        Err(TestError::Fail(reason, plan)) => {
            let saved = save_failure(label, &plan, &mutated(corpus, &plan), &reason.to_string());
            panic!(
                "{label}: {reason}\nminimal failing plan: {plan:?}\nsaved in {} (commit it with the fix); seed {}",
                saved.display(),
                seed_text()
            );
        }
        Err(e) => panic!("{label}: {e}"),
    }
}

fn fuzz_fragments() {
    let corpus = fragments();
    assert!(
        !baseline(corpus).is_empty(),
        "spec/ must generate unmutated"
    );
    fuzz(corpus, "fragments", cases(), 1);
}

fn fuzz_upstream() {
    let Some(corpus) = upstream() else {
        eprintln!("skipped the upstream document: ../shared/twilio-oai/twilio_conversations_v1.json is not there (set TWILIO_SHARED_DIR)");
        return;
    };
    fuzz(corpus, "upstream", (cases() / 10).max(16), 2);
}

/// Where failing mutants are kept (committed, replayed first).
fn failures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-failures")
}

/// Saves a failing mutant: `plan.json` and `why.txt`, and for our own
/// fragments the mutated files themselves (under `files/`), so the case stays
/// the same when spec/ changes. Twilio's document is not ours to commit, even
/// mutated: its cases keep the plan only, replayed on the document in
/// `../shared`.
fn save_failure(
    label: &str,
    plan: &Plan,
    inputs: &BTreeMap<PathBuf, String>,
    why: &str,
) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{plan:?}").hash(&mut hasher);
    inputs.hash(&mut hasher);
    let corpus = if label.starts_with("upstream") {
        "upstream"
    } else {
        "fragments"
    };
    let dir = failures_dir().join(format!("{corpus}-{:016x}", hasher.finish()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("plan.json"),
        serde_json::to_string_pretty(plan).unwrap(),
    )
    .unwrap();
    let why: String = why.chars().take(4000).collect();
    std::fs::write(
        dir.join("why.txt"),
        format!("seed {}\n{why}\n", seed_text()),
    )
    .unwrap();
    if corpus == "fragments" {
        for (path, text) in inputs {
            let dest = dir.join("files").join(path);
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::write(dest, text).unwrap();
        }
    }
    eprintln!("saved the failing mutant in {}", dir.display());
    dir
}

/// Every file under `dir`, by path relative to it.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_owned(), text);
            }
        }
    }
    files
}

/// Replays every saved failing mutant through the same checks (those that
/// generate are compiled with the sampled ones).
fn replay_saved() {
    let Ok(entries) = std::fs::read_dir(failures_dir()) else {
        return;
    };
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("fragments-") || name.starts_with("upstream-"))
        .collect();
    names.sort();
    for name in names {
        let dir = failures_dir().join(&name);
        let plan: Plan =
            serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap();
        let (root, files) = if name.starts_with("upstream-") {
            let Some(corpus) = upstream() else {
                eprintln!("skipped saved case {name}: it mutates the upstream document, which is not there");
                continue;
            };
            (corpus.root.clone(), mutated(corpus, &plan))
        } else {
            (fragments().root.clone(), files_under(&dir.join("files")))
        };
        let result = match generate(&root, &files) {
            Err(errors) => check_errors(&errors, &files),
            Ok(generated) => {
                force_sample(
                    &format!("saved-{}", &name[..name.len().min(40)]),
                    &plan,
                    files.clone(),
                    generated,
                );
                Ok(())
            }
        };
        if let Err(e) = result {
            panic!("saved case {} fails again: {e}", dir.display());
        }
    }
}

/// Writes the kept mutants out as crates and `cargo check`s them together.
fn compile_samples() {
    let samples = std::mem::take(&mut *SAMPLES.lock().unwrap());
    SEEN.lock().unwrap().clear();
    if samples.is_empty() {
        eprintln!("no successful mutant differed from the unmutated output; nothing to compile");
        return;
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"));
    // Shares its build folder (and flags) with tests/it/compile_cases.rs, so
    // the dependencies are built once.
    let workspace = target.join("case-crates");
    let crates = workspace.join("fuzz-crates");
    let _ = std::fs::remove_dir_all(&crates);
    let mut workspace = twilio_codegen::scratch::ScratchWorkspace::new(&crates)
        .target_dir(workspace.join("target"))
        .lock_file(repo().join("Cargo.lock"));
    for Sample {
        label,
        plan,
        inputs,
        files,
        ..
    } in &samples
    {
        let files: Vec<GeneratedFile> = files
            .iter()
            .map(|f| GeneratedFile {
                path: f.path.clone(),
                contents: f
                    .contents
                    .replace("name = \"fuzzed\"", &format!("name = \"fuzzed-{label}\"")),
            })
            .collect();
        workspace.add_crate(label, &files).unwrap();
        // The mutated spec beside it, to reproduce a failure.
        for (path, text) in inputs {
            let dest = crates.join(label).join("fuzz-input").join(path);
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::write(dest, text).unwrap();
        }
        std::fs::write(crates.join(label).join("fuzz-input/plan.txt"), plan).unwrap();
    }
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
    let labels: Vec<&str> = samples.iter().map(|s| s.label.as_str()).collect();
    if !output.status.success() {
        // Keep the mutants that failed (those the errors name; all if none is).
        let stderr = String::from_utf8_lossy(&output.stderr);
        let named: Vec<&Sample> = samples
            .iter()
            .filter(|s| {
                stderr.contains(&format!("fuzzed-{}", s.label))
                    || stderr.contains(&format!("{}/", s.label))
            })
            .collect();
        let failed = if named.is_empty() {
            samples.iter().collect()
        } else {
            named
        };
        for sample in failed {
            if !sample.label.starts_with("saved-") {
                save_failure(&sample.label, &sample.plan_value, &sample.inputs, &stderr);
            }
        }
    }
    assert!(
        output.status.success(),
        "crates generated from mutated specs do not compile ({}, in {}; each has its spec in fuzz-input/; saved in {}; seed {}):\n{}",
        labels.join(", "),
        crates.display(),
        failures_dir().display(),
        seed_text(),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!(
        "compiled {} mutant crates: {}",
        labels.len(),
        labels.join(", ")
    );
}

/// One test, so the compile check runs after both corpora.
#[test]
fn mutated_specs_never_panic_and_what_they_emit_compiles() {
    eprintln!(
        "fuzz seed: {seed} (repeat this run with FUZZ_SEED={seed} FUZZ_CASES={cases})",
        seed = seed_text(),
        cases = cases()
    );
    let started = std::time::Instant::now();
    replay_saved();
    fuzz_fragments();
    let fragments_took = started.elapsed();
    fuzz_upstream();
    eprintln!(
        "fuzzed {} cases on spec/ in {:.1?}, upstream in {:.1?}: {} generated, {} refused with errors",
        cases(),
        fragments_took,
        started.elapsed() - fragments_took,
        GENERATED.load(Ordering::Relaxed),
        REFUSED.load(Ordering::Relaxed),
    );
    compile_samples();
}

#[test]
fn mutations_reach_every_file_and_kind() {
    // The harness itself: each mutation changes something somewhere.
    let corpus = fragments();
    let mut changed = BTreeSet::new();
    for file in 0..corpus.files.len() {
        for m in [
            Mutation::Delete(7),
            Mutation::Swap(7, 3),
            Mutation::Inject(7, 9),
            Mutation::Rename(7, 9),
            Mutation::Long(7, 1),
        ] {
            let plan = Plan {
                file,
                mutations: vec![m],
                text: TextMutation::None,
            };
            let files = mutated(corpus, &plan);
            let path = &corpus.files[file].0;
            let original = parse(path, &corpus.files[file].1);
            if parse(path, &files[path]) != original {
                changed.insert(file);
            }
        }
    }
    assert_eq!(changed.len(), corpus.files.len());
}
