//! No function of the generator is over 100 lines, so each one can be read
//! whole. Lines are counted from the `fn` line to its closing brace, in
//! rustfmt's layout (which CI enforces): a function ends at the first line
//! that is its own indentation followed by `}`.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 100;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The indentation of a line that opens a function with a body, else `None`.
fn fn_start(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let mut words = trimmed
        .split_whitespace()
        .skip_while(|w| w.starts_with("pub") || matches!(*w, "const" | "async" | "unsafe"));
    let opens = words.next() == Some("fn") && !trimmed.ends_with(';') && !trimmed.ends_with('}');
    opens.then_some(indent)
}

/// (name of the function, its length in lines) for every function of `text`.
fn function_lengths(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let Some(indent) = fn_start(line) else {
            continue;
        };
        let end = format!("{indent}}}");
        if let Some(len) = lines[start..].iter().position(|l| *l == end) {
            let name = line
                .split("fn ")
                .nth(1)
                .unwrap_or_default()
                .split(['(', '<'])
                .next()
                .unwrap_or_default();
            out.push((name.to_owned(), len + 1));
        }
    }
    out
}

#[test]
fn no_function_of_the_generator_is_over_100_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(
        files.len() > 20,
        "found only {} files under {}",
        files.len(),
        src.display()
    );
    let mut long = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (name, len) in function_lengths(&text) {
            if len > MAX_LINES {
                let file = file.strip_prefix(&src).unwrap().display();
                long.push(format!("{file}: fn {name} is {len} lines"));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_LINES} lines (split them):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_counter_finds_functions_and_their_ends() {
    let text = "\
pub(crate) fn short() -> u8 {
    1
}

impl X {
    pub async fn method(&self) {
        let f = |x| x;
    }

    fn decl();
    fn one_line() {}
}
";
    assert_eq!(
        function_lengths(text),
        [("short".to_owned(), 3), ("method".to_owned(), 3)]
    );
}
