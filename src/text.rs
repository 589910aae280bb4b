//! Display width and escaping for words shown in a terminal, used by the command line's
//! tables and the explorer alike: control and invisible characters are escaped so one odd
//! word cannot break a line, and text is measured and cut by display width (CJK characters
//! take two columns).
use std::borrow::Cow;
use std::fmt::Write;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `word` with control characters, invisible and non-breaking spaces escaped as `\u{…}`
/// (tab, newline and carriage return as `\t`, `\n`, `\r`).
pub fn escape(word: &str) -> Cow<'_, str> {
    if !word.chars().any(needs_escape) {
        return Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len() + 8);
    for c in word.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{a0}' | '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
        )
}

/// Display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` columns, ending in `…` when cut.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` broken into lines of at most `cols` columns, at spaces (a word longer than a line is
/// cut with [`fit`]). Always at least one line.
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let Some(line) = lines.last_mut() else { break };
        let used = width(line);
        if used > 0 && used + 1 + width(word) <= cols {
            line.push(' ');
            line.push_str(word);
        } else if used == 0 {
            line.push_str(&fit(word, cols));
        } else {
            lines.push(fit(word, cols));
        }
    }
    lines
}

/// `s` cut or padded with spaces to exactly `cols` columns.
pub fn pad(s: &str, cols: usize) -> String {
    let mut out = fit(s, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// `s` right-aligned in `cols` columns (cut when longer).
pub fn pad_left(s: &str, cols: usize) -> String {
    let cut = fit(s, cols);
    let w = width(&cut);
    let mut out: String = std::iter::repeat_n(' ', cols.saturating_sub(w)).collect();
    out.push_str(&cut);
    out
}

/// A number with thousands separators: 400000 → "400,000".
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(
            wrap("focus the highlighted word", 12),
            ["focus the", "highlighted", "word"]
        );
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("abcdefgh ij", 5), ["abcd…", "ij"]);
        assert_eq!(wrap("北京 上海", 5), ["北京", "上海"]);
    }

    #[test]
    fn control_and_invisible_characters_are_escaped() {
        assert_eq!(escape("a\tb"), "a\\tb");
        assert_eq!(escape("x\u{a0}y"), "x\\u{a0}y");
        assert_eq!(escape("\u{7}"), "\\u{7}");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn fit_and_pad_by_display_width() {
        assert_eq!(fit("北京市", 4), "北…");
        assert_eq!(width(&pad("北京市", 5)), 5);
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad_left("ab", 4), "  ab");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(thousands(400000), "400,000");
    }
}
