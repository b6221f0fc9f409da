//! Text from a document made fit for the generated crate's Markdown (its
//! README and crate docs), where rustdoc compiles code blocks as doctests.

/// `text` with its whitespace runs (newlines included) made single spaces.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A document's Markdown made safe to put in crate docs and the README,
/// where rustdoc would compile any code block as a doctest: fenced blocks
/// are marked `text`, and lines lose their leading whitespace (an indented
/// line would be an indented code block). Trailing whitespace goes too.
pub fn markdown_without_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // The fence character and length of the block we are in.
    let mut open: Option<(char, usize)> = None;
    for line in text.trim().lines() {
        let line = line.trim();
        let fence = ['`', '~'].into_iter().find_map(|c| {
            let run = line.len() - line.trim_start_matches(c).len();
            (run >= 3).then_some((c, run))
        });
        match (fence, open) {
            // A closing fence: the same character, at least as long, nothing after.
            (Some((c, run)), Some((open_c, open_run)))
                if c == open_c && run >= open_run && line[run..].trim().is_empty() =>
            {
                open = None;
                out.push_str(line);
            }
            (Some((c, run)), None) => {
                open = Some((c, run));
                out.push_str(&line[..run]);
                out.push_str("text");
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    if let Some((c, run)) = open {
        // An unclosed block would swallow whatever follows it.
        out.extend(std::iter::repeat_n(c, run));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_in_a_description_never_becomes_a_doctest() {
        let text = "Intro.\n\n    indented code\n```\nbare();\n```\n~~~~rust\nlet x = 1;\n~~~~\n```json\n{}\n";
        assert_eq!(
            markdown_without_code(text),
            "Intro.\n\nindented code\n```text\nbare();\n```\n~~~~text\nlet x = 1;\n~~~~\n```text\n{}\n```\n"
        );
    }
}
