//! Width-aware text helpers: words are escaped (control characters cannot break the screen)
//! and cut by display width (CJK characters take two columns).
pub use crate::text::{escape, fit, pad, pad_left, thousands, width, wrap};
use ratatui::text::Span;

/// A word ready for the screen: escaped and cut to `cols` columns.
pub fn word(w: &str, cols: usize) -> String {
    pad(&escape(w), cols)
}

const EIGHTHS: [char; 9] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];

/// A horizontal bar of `fraction` (clamped to 0..=1) of `cols` columns, in eighths.
pub fn bar(fraction: f32, cols: usize) -> String {
    let f = if fraction.is_finite() {
        fraction.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let eighths = (f * cols as f32 * 8.0).round() as usize;
    let mut out: String = std::iter::repeat_n('█', eighths / 8).collect();
    if !eighths.is_multiple_of(8) && out.chars().count() < cols {
        out.push(EIGHTHS[eighths % 8]);
    }
    let n = out.chars().count();
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(n)));
    out
}

/// Vertical levels 0..=8 for vector strips.
pub const LEVELS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Cuts a row of spans to `w` columns (by display width).
pub fn fit_spans(spans: Vec<Span<'_>>, w: usize) -> Vec<Span<'_>> {
    let mut used = 0;
    let mut out = Vec::new();
    for s in spans {
        let sw = width(&s.content);
        if used + sw > w {
            let cut = fit(&s.content, w - used);
            if !cut.is_empty() {
                out.push(Span::styled(cut, s.style));
            }
            break;
        }
        used += sw;
        out.push(s);
    }
    out
}

/// The end of `s` that fits in `cols` columns (typing shows the newest characters).
pub fn tail_fit(s: &str, cols: usize) -> String {
    if width(s) <= cols {
        return s.to_string();
    }
    let mut out: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > cols {
            break;
        }
        used += w;
        out.push(c);
    }
    if cols > 0 {
        out.push('…');
    }
    out.into_iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_and_pad_by_display_width() {
        assert_eq!(fit("北京市", 4), "北…");
        assert_eq!(width(&pad("北京市", 5)), 5);
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad_left("ab", 4), "  ab");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(word("a\tb", 6), "a\\tb  ");
    }

    #[test]
    fn bars_and_numbers() {
        assert_eq!(bar(0.5, 4), "██  ");
        assert_eq!(bar(1.5, 2), "██");
        assert_eq!(bar(f32::NAN, 2), "  ");
        assert_eq!(bar(0.0625, 2), "▏ ");
        assert_eq!(bar(0.25, 2), "▌ ");
        assert_eq!(thousands(400000), "400,000");
        assert_eq!(thousands(12), "12");
    }
}
