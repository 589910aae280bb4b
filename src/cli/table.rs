//! Aligned plain-text tables that measure display width (CJK is two columns wide) and show
//! control characters escaped, so one odd word cannot break a table.
pub use crate::text::{escape, width};

/// Column alignment.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table of cells rendered with aligned columns separated by two spaces.
pub struct Table {
    aligns: Vec<Align>,
    header: Option<Vec<String>>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(aligns: &[Align]) -> Self {
        Table {
            aligns: aligns.to_vec(),
            header: None,
            rows: Vec::new(),
        }
    }

    pub fn header(mut self, cells: &[&str]) -> Self {
        self.header = Some(cells.iter().map(|s| s.to_string()).collect());
        self
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as text, one line per row, each ending in a newline.
    pub fn render(&self) -> String {
        let mut widths = vec![0; self.aligns.len()];
        for row in self.header.iter().chain(&self.rows) {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let mut out = String::new();
        for row in self.header.iter().chain(&self.rows) {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                let pad = widths[i].saturating_sub(width(cell));
                let last = i + 1 == row.len();
                if i > 0 {
                    line.push_str("  ");
                }
                match self.aligns.get(i).copied().unwrap_or(Align::Left) {
                    Align::Right => {
                        line.extend(std::iter::repeat_n(' ', pad));
                        line.push_str(cell);
                    }
                    Align::Left => {
                        line.push_str(cell);
                        if !last {
                            line.extend(std::iter::repeat_n(' ', pad));
                        }
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_words_align_by_display_width() {
        let mut t =
            Table::new(&[Align::Right, Align::Left, Align::Right]).header(&["#", "word", "cos"]);
        t.row(vec!["1".into(), "北京".into(), "0.9".into()]);
        t.row(vec!["2".into(), "paris".into(), "0.8".into()]);
        let s = t.render();
        let lines: Vec<_> = s.lines().collect();
        assert_eq!(lines[0], "#  word   cos");
        assert_eq!(lines[1], "1  北京   0.9");
        assert_eq!(lines[2], "2  paris  0.8");
        for l in &lines {
            assert_eq!(width(l), width(lines[0]));
        }
    }
}
