//! Text from outside cxlint (file names, names and values in the configuration, org objects) as
//! cxlint writes it where people or line-oriented tools read it: standard error, and the `human`,
//! `compact`, `github`, `junit` and `checkstyle` reports and the job summary.
//!
//! A file name may hold any byte but `/` and NUL: `ESC ]0;… BEL` retitles the terminal, `ESC [2J`
//! clears it, a newline starts a line that looks like another finding (or another workflow
//! command), and a bidirectional override reorders what is shown. [`text`] writes each such
//! character as a visible escape, so none reaches the reader's terminal or splits a line.
//!
//! JSON formats (`json`, `sarif`, `gitlab`, `rdjson`) write their strings exactly: JSON escapes
//! every control character, and their readers need the real names to find the files.

use std::borrow::Cow;

/// Whether `c` must not be written as it is: a control character (C0, tab and line breaks
/// included; DEL; C1) or a bidirectional embedding, override or isolate (the "Trojan Source"
/// characters, which reorder the text around them).
pub fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with each [`is_control`] character written as `\n`, `\r`, `\t`, or `\u{1b}` (Rust's
/// notation, as `{:?}` writes it): on one line, and still telling which file or name it is.
/// Backslashes are left as they are, so that paths and messages without control characters
/// (nearly all) read unchanged.
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_control(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible_escapes() {
        assert!(matches!(text("queues/main.tf"), Cow::Borrowed(_)));
        assert_eq!(
            text("x\u{1b}]0;pwned\u{7}\u{1b}[2J.tf"),
            "x\\u{1b}]0;pwned\\u{7}\\u{1b}[2J.tf"
        );
        assert_eq!(text("a\nb\rc\td"), "a\\nb\\rc\\td");
        // DEL, a C1 control (CSI), a right-to-left override; other text as it is.
        assert_eq!(
            text("\u{7f}\u{9b}\u{202e}é \\n"),
            "\\u{7f}\\u{9b}\\u{202e}é \\n"
        );
    }
}
