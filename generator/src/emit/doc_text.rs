//! Spec text made safe to print as rustdoc.
//!
//! A description comes from the spec, which may come from anyone upstream.
//! Printed as `///` docs it must not run (rustdoc compiles and runs every
//! code block it takes for Rust as a doctest on `cargo test`), must not break
//! the build (rustc rejects a bare CR in a doc comment and denies
//! bidirectional control characters in comments), and must not hide text
//! from a reader (bidi overrides reorder what an editor shows).
//!
//! So: line endings become `\n`; control and bidirectional characters become
//! their visible code point (`U+202E`); the common indentation is removed
//! (as rustdoc would); every fenced code block is relabelled ```` ```text ````;
//! and when the text has a code block that cannot be relabelled (an indented
//! one, say), the whole text becomes one `text` block. The result is checked
//! with pulldown-cmark, the Markdown parser rustdoc itself uses.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

/// Bidirectional formatting characters (Unicode `Bidi_Control`): they change
/// the order in which text is shown.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` as rustdoc can show it and never run it (see the module docs).
pub(crate) fn neutralise(text: &str) -> String {
    let text = visible(text);
    let text = unindent(&text);
    match relabel_fences(&text) {
        Some(relabelled) if only_text_blocks(&relabelled) => relabelled,
        _ => one_text_block(&text),
    }
}

/// Line endings as `\n`; control characters (but tab and newline) and bidi
/// controls as `U+XXXX`.
fn visible(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' || c == '\t' {
            out.push(c);
        } else if c.is_control() || is_bidi_control(c) {
            out.push_str(&format!("U+{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Trailing whitespace and the indentation all lines share removed, so that
/// what rustdoc parses is this text exactly (it removes common indentation
/// itself).
fn unindent(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let indent = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| if l.is_empty() { *l } else { &l[indent..] })
        .collect();
    lines.join("\n")
}

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS);

/// Every code block's byte range and kind.
fn code_blocks(text: &str) -> Vec<(Range<usize>, CodeBlockKind<'_>)> {
    Parser::new_ext(text, OPTIONS)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(kind)) => Some((range, kind)),
            _ => None,
        })
        .collect()
}

/// Relabels each fenced code block ```` ```text ````; `None` when a block is
/// not a fence whose opening line can be rewritten.
fn relabel_fences(text: &str) -> Option<String> {
    let blocks = code_blocks(text);
    let mut out = text.to_owned();
    for (range, kind) in blocks.into_iter().rev() {
        let CodeBlockKind::Fenced(_) = kind else {
            return None;
        };
        let opening = &text[range.start..];
        let fence_char = opening.chars().next().filter(|c| *c == '`' || *c == '~')?;
        let fence_len = opening.len() - opening.trim_start_matches(fence_char).len();
        let line_end = opening.find('\n').unwrap_or(opening.len());
        out.replace_range(range.start + fence_len..range.start + line_end, "text");
    }
    Some(out)
}

/// Is every code block of `text` a fenced `text` block?
fn only_text_blocks(text: &str) -> bool {
    code_blocks(text)
        .iter()
        .all(|(_, kind)| matches!(kind, CodeBlockKind::Fenced(info) if info.as_ref() == "text"))
}

/// The whole text as one fenced `text` block, fenced with more backticks than
/// any run in the text, so nothing inside can close it.
fn one_text_block(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}text\n{text}\n{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What rustdoc would take for Rust: code blocks not labelled `text`.
    fn runnable(text: &str) -> usize {
        code_blocks(text)
            .iter()
            .filter(
                |(_, kind)| !matches!(kind, CodeBlockKind::Fenced(info) if info.as_ref() == "text"),
            )
            .count()
    }

    #[test]
    fn fences_become_text_and_prose_stays() {
        let cases = [
            (
                "Run this:\n```\nstd::process::exit(1);\n```\nDone.",
                "Run this:\n```text\nstd::process::exit(1);\n```\nDone.",
            ),
            ("```rust\nx\n```", "```text\nx\n```"),
            ("```should_panic\nx\n```", "```text\nx\n```"),
            ("~~~ no_run\nx\n~~~", "~~~text\nx\n~~~"),
            ("````json\n{}\n````", "````text\n{}\n````"),
            ("> ```\n> x\n> ```", "> ```text\n> x\n> ```"),
            (
                "- item\n\n  ```\n  x\n  ```",
                "- item\n\n  ```text\n  x\n  ```",
            ),
            (
                "Plain prose, `inline code` too.",
                "Plain prose, `inline code` too.",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(neutralise(input), want, "{input:?}");
            assert_eq!(runnable(&neutralise(input)), 0, "{input:?}");
        }
    }

    #[test]
    fn indented_code_makes_the_whole_text_one_text_block() {
        for input in [
            "Example:\n\n    std::process::exit(1);\n",
            "Example:\n\n\tstd::process::exit(1);",
            "- item\n\n      std::process::exit(1);",
            ">     std::process::exit(1);",
            "Tricky: ``` and ````` in prose\n\n    code",
        ] {
            let out = neutralise(input);
            assert_eq!(runnable(&out), 0, "{input:?} -> {out:?}");
            assert!(out.starts_with("```"), "{out}");
            assert!(out.contains("std::process::exit(1);") || out.contains("code"));
        }
        assert_eq!(neutralise("a\n\n    b"), "```text\na\n\n    b\n```");
    }

    #[test]
    fn a_fence_hidden_by_html_or_lists_cannot_run() {
        // Texts where a line scanner and a Markdown parser disagree about
        // where fences open and close.
        for input in [
            "<div>\n```\n</div>\n\n```\nstd::process::exit(1);\n```\n",
            "- a\n  ```\n```\nstd::process::exit(1);\n```",
            "   ```\n```\nx\n```",
            "    ```\n    x\n    ```",
            "```\n```\n```\nx",
        ] {
            let out = neutralise(input);
            assert_eq!(runnable(&out), 0, "{input:?} -> {out:?}");
        }
    }

    #[test]
    fn common_indentation_goes_as_rustdoc_would() {
        assert_eq!(neutralise("    a\n    b"), "a\nb");
        assert_eq!(neutralise("  a  \n    b"), "a\n  b");
    }

    #[test]
    fn control_and_bidi_characters_become_visible_code_points() {
        assert_eq!(neutralise("a\rb"), "a\nb");
        assert_eq!(neutralise("a\r\nb"), "a\nb");
        assert_eq!(
            neutralise("x\u{202e}y\u{2066}z\u{200f}\u{200e}\u{061c}"),
            "xU+202EyU+2066zU+200FU+200EU+061C"
        );
        assert_eq!(
            neutralise("nul\0 bell\u{7} del\u{7f} c1\u{85}"),
            "nulU+0000 bellU+0007 delU+007F c1U+0085"
        );
        for c in ('\u{202a}'..='\u{202e}').chain('\u{2066}'..='\u{2069}') {
            assert!(!neutralise(&format!("a{c}b")).contains(c));
        }
    }

    #[test]
    fn deep_markdown_does_not_crash_the_parser() {
        for unit in [">", "- ", "[", "*", "`", "<a>", "1. "] {
            let text = unit.repeat(10_000);
            let out = neutralise(&text);
            assert_eq!(runnable(&out), 0);
        }
    }
}
