//! Text that came from a file (a package's manifest, a backup's names, a
//! PDF's words) shown to a person. Such text may hold terminal escape
//! sequences that erase a line and print a fake "valid", or bidirectional
//! overrides that reorder what a reader sees. Everything from a file passes
//! through [`visible`] before it reaches a terminal or the UI.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` would act on a terminal or on the text's direction instead
/// of showing as itself: C0 and C1 controls, DEL, and the Unicode
/// bidirectional embeddings, overrides and isolates.
fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character shown as a visible escape (`\u{1b}`,
/// `\n`, `\t`), so it prints as one inert line. Text with none is returned
/// as it is, without copying.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_hidden_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// At most `max` characters of `text`, made [`visible`], with "…" where it
/// was cut: for names from a file that may be as long as an attacker likes.
pub fn visible_capped(text: &str, max: usize) -> String {
    let mut shown: String = text.chars().take(max).collect();
    let cut = shown.len() < text.len();
    shown = visible(&shown).into_owned();
    if cut {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            visible("data/cv.pdf"),
            Cow::Borrowed("data/cv.pdf")
        ));
        assert!(matches!(visible("Қазақ тілі"), Cow::Borrowed(_)));
    }

    #[test]
    fn an_escape_that_erases_a_line_shows_as_text() {
        let hostile = "data/x.pdf\u{1b}[2K\r\u{1b}[1Avalid";
        let shown = visible(hostile);
        assert_eq!(shown, "data/x.pdf\\u{1b}[2K\\r\\u{1b}[1Avalid");
        assert!(!shown.chars().any(char::is_control));
    }

    #[test]
    fn bidi_overrides_and_c1_controls_are_shown() {
        let shown = visible("cv\u{202E}fdp.exe\u{9b}");
        assert_eq!(shown, "cv\\u{202e}fdp.exe\\u{9b}");
    }

    #[test]
    fn capped_text_says_where_it_was_cut() {
        let long = "a".repeat(10_000);
        let shown = visible_capped(&long, 80);
        assert_eq!(shown.chars().count(), 81);
        assert!(shown.ends_with('…'));
        assert_eq!(visible_capped("short\n", 80), "short\\n");
    }
}
