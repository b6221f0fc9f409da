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
//!
//! Prose outside code is then made what rustdoc reads without a warning
//! (`RUSTDOCFLAGS="-D warnings" cargo doc` passes on every crate of Twilio's
//! documents): HTML is shown as the text it is (`<Conference>` becomes
//! `&lt;Conference>`: Twilio's descriptions name TwiML elements, which rustdoc
//! takes for unclosed tags), a bracket that is not a link's is escaped
//! (`[OBSOLETE]` would be an unresolved intra-doc link), and a bare URL is
//! made a link (`<https://…>`).

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
    // Prose first: escaping HTML can turn an HTML block holding a fence line
    // into paragraphs where that line opens a block, which is then relabelled.
    let prose = prose_for_rustdoc(&text);
    match relabel_fences(&prose) {
        Some(relabelled) if only_text_blocks(&relabelled) => relabelled,
        _ => one_text_block(&text),
    }
}

/// `text` with its prose (outside code and links) changed as the module
/// docs say: HTML escaped, stray brackets escaped, bare URLs linked.
fn prose_for_rustdoc(text: &str) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    // Inside a link or image, or a code block: left as it is.
    let mut links = 0usize;
    let mut code = 0usize;
    // Adjacent text events (pulldown-cmark splits text at `_`, `[`, ...) are
    // one run, so a URL split by them is still found whole.
    let mut run: Option<Range<usize>> = None;
    let flush = |run: &mut Option<Range<usize>>, edits: &mut Vec<(Range<usize>, String)>| {
        if let Some(range) = run.take() {
            let fixed = plain_text(text, range.clone());
            if fixed != text[range.clone()] {
                edits.push((range, fixed));
            }
        }
    };
    for (event, range) in Parser::new_ext(text, OPTIONS).into_offset_iter() {
        match event {
            Event::Text(_) if links == 0 && code == 0 => match &mut run {
                Some(open) if open.end == range.start => open.end = range.end,
                _ => {
                    flush(&mut run, &mut edits);
                    run = Some(range);
                }
            },
            event => {
                flush(&mut run, &mut edits);
                match event {
                    Event::Start(Tag::Link { .. } | Tag::Image { .. }) => links += 1,
                    Event::Start(Tag::CodeBlock(_)) => code += 1,
                    Event::End(pulldown_cmark::TagEnd::CodeBlock) => code = code.saturating_sub(1),
                    Event::End(pulldown_cmark::TagEnd::Link | pulldown_cmark::TagEnd::Image) => {
                        links = links.saturating_sub(1)
                    }
                    Event::Html(_) | Event::InlineHtml(_) if code == 0 => {
                        edits.push((range.clone(), text[range].replace('<', "&lt;")));
                    }
                    _ => {}
                }
            }
        }
    }
    flush(&mut run, &mut edits);
    // Ranges do not overlap; apply from the end so earlier ones stay valid.
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut out = text.to_owned();
    let mut applied_from = usize::MAX;
    for (range, replacement) in edits {
        if range.end <= applied_from {
            applied_from = range.start;
            out.replace_range(range, &replacement);
        }
    }
    out
}

/// The run `range` of Markdown source `text` that is plain text: brackets
/// not already escaped get a `\\`, and each `http://` or `https://` URL is
/// put in `<>`.
fn plain_text(text: &str, range: Range<usize>) -> String {
    let mut out = String::with_capacity(range.len());
    let mut at = range.start;
    while at < range.end {
        let rest = &text[at..range.end];
        if let Some(url) = url_at(rest) {
            out.push('<');
            out.push_str(url);
            out.push('>');
            at += url.len();
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        if (c == '[' || c == ']') && !escaped(&text[..at]) {
            out.push('\\');
        }
        out.push(c);
        at += c.len_utf8();
    }
    out
}

/// Does `text` (the source before a character) end in an odd number of
/// backslashes, escaping that character?
fn escaped(text: &str) -> bool {
    (text.len() - text.trim_end_matches('\\').len()) % 2 == 1
}

/// The URL `text` starts with, if it starts with `http://` or `https://`:
/// up to the first space or `<`, `>`, `"`, without trailing punctuation
/// that ends a sentence, and without a `)` that no `(` in it opens.
fn url_at(text: &str) -> Option<&str> {
    let scheme = ["https://", "http://"].into_iter().find(|scheme| {
        text.get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
    })?;
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    let mut url = &text[..end];
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '*', '_']);
        let trimmed = if trimmed.ends_with(')')
            && trimmed.matches('(').count() < trimmed.matches(')').count()
        {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == url.len() {
            break;
        }
        url = trimmed;
    }
    (url.len() > scheme.len()).then_some(url)
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

    #[test]
    fn any_piece_of_mixed_text_is_handled_without_a_panic() {
        let text =
            "“ü” [x](https://a.example/é) <b>https://ü.example/(é)</b> \\[ `<c>` ```\nh\n```";
        let cuts: Vec<usize> = (0..=text.len())
            .filter(|i| text.is_char_boundary(*i))
            .collect();
        for &start in &cuts {
            for &end in cuts.iter().filter(|end| **end >= start) {
                let _ = neutralise(&text[start..end]);
            }
        }
    }

    #[test]
    fn prose_is_what_rustdoc_reads_without_a_warning() {
        let cases = [
            // TwiML element names are not tags.
            (
                "Use the <Conference> verb.",
                "Use the &lt;Conference> verb.",
            ),
            ("<Dial><Number>", "&lt;Dial>&lt;Number>"),
            // A bracket that is no link's is text, not an intra-doc link.
            ("[OBSOLETE] Old field.", "\\[OBSOLETE\\] Old field."),
            ("Already \\[escaped\\].", "Already \\[escaped\\]."),
            // Links stay links; their text is not touched.
            (
                "See [the docs](https://x.example/a_b).",
                "See [the docs](https://x.example/a_b).",
            ),
            ("<https://x.example>", "<https://x.example>"),
            // Bare URLs become links, sentence punctuation outside.
            (
                "See https://www.twilio.com/docs/x_y.",
                "See <https://www.twilio.com/docs/x_y>.",
            ),
            (
                "(see https://x.example/a(b))",
                "(see <https://x.example/a(b)>)",
            ),
            ("at http://x.example, then", "at <http://x.example>, then"),
            // Code is code.
            ("`<Say>` and `[x]`", "`<Say>` and `[x]`"),
            (
                "```text\n<Say> [x] https://x.example\n```",
                "```text\n<Say> [x] https://x.example\n```",
            ),
            ("https:// alone", "https:// alone"),
            // Not ASCII where a scheme could be.
            (
                "f “read” https://x.example/ü “q”",
                "f “read” <https://x.example/ü> “q”",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(neutralise(input), want, "{input:?}");
        }
    }

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
