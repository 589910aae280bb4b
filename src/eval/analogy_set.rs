//! Analogy sets in the Google `questions-words.txt` layout: `: section` headers, then one
//! question a line, `a b c d` meaning a : b :: c : d.
use crate::error::{Error, Location, Result, Warning};
use std::path::Path;

/// One section of questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The header's text after the `:`, trimmed (e.g. `capital-common-countries`).
    pub name: String,
    /// The section's questions in file order.
    pub questions: Vec<Question>,
}

/// `a : b :: c : expected`, with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The four words `a b c expected`, as written in the file.
    pub words: [String; 4],
    /// 1-based line number of the question in the file.
    pub line: u64,
}

/// A parsed analogy set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalogySet {
    /// The sections in file order.
    pub sections: Vec<Section>,
}

impl AnalogySet {
    /// Reads the set at `path`; lines that are not four words are skipped with a warning (as
    /// gensim does).
    pub fn read(path: &Path, warnings: &mut Vec<Warning>) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Self::parse(path, &bytes, warnings)
    }

    /// Parses `bytes` (invalid UTF-8 is decoded lossily with a warning).
    pub fn parse(path: &Path, bytes: &[u8], warnings: &mut Vec<Warning>) -> Result<Self> {
        let text = String::from_utf8_lossy(bytes);
        if matches!(text, std::borrow::Cow::Owned(_)) {
            warnings.push(Warning::new(
                path,
                Location::File,
                "invalid UTF-8 replaced by U+FFFD",
            ));
        }
        let mut sections: Vec<Section> = Vec::new();
        let (mut bad, mut first_bad) = (0usize, 0u64);
        for (i, line) in text.lines().enumerate() {
            let line_no = i as u64 + 1;
            if let Some(name) = line.strip_prefix(':') {
                sections.push(Section {
                    name: name.trim().to_string(),
                    questions: Vec::new(),
                });
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let Ok(words) = <[&str; 4]>::try_from(words) else {
                if bad == 0 {
                    first_bad = line_no;
                }
                bad += 1;
                continue;
            };
            if sections.is_empty() {
                return Err(Error::format(
                    path,
                    Location::Line(line_no),
                    "a question before the first ': section' header",
                ));
            }
            let last = sections.len() - 1;
            sections[last].questions.push(Question {
                words: words.map(str::to_string),
                line: line_no,
            });
        }
        if bad > 0 {
            warnings.push(Warning::new(
                path,
                Location::Line(first_bad),
                format!("skipped {bad} line(s) that are not four words"),
            ));
        }
        if sections.iter().all(|s| s.questions.is_empty()) {
            return Err(Error::format(
                path,
                Location::File,
                "no analogy questions found: expected lines of four words `a b c d` (a is to \
                 b as c is to d), in sections started by `: name`, as in Google's \
                 questions-words.txt (a file of word pairs and scores goes to --pairs)",
            ));
        }
        Ok(AnalogySet { sections })
    }

    /// Number of questions.
    pub fn len(&self) -> usize {
        self.sections.iter().map(|s| s.questions.len()).sum()
    }

    /// True when the set has no questions.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Semantic sections are those before the first `gram*` section (as in the Google set).
pub fn is_syntactic(section_index: usize, sections: &[Section]) -> bool {
    let first_gram = sections
        .iter()
        .position(|s| s.name.starts_with("gram"))
        .unwrap_or(sections.len());
    section_index >= first_gram
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_and_skips_bad_lines() {
        let text = b": capital\nathens greece baghdad iraq\nbad line\n\n: gram1-x\na b c d\n";
        let mut w = Vec::new();
        let set = AnalogySet::parse(Path::new("q.txt"), text, &mut w).unwrap();
        assert_eq!(set.sections.len(), 2);
        assert_eq!(set.sections[0].questions[0].words[3], "iraq");
        assert_eq!(set.sections[1].questions[0].line, 6);
        assert_eq!(set.len(), 2);
        assert_eq!(w.len(), 1);
        assert!(w[0].to_string().starts_with("q.txt:3: skipped 1"));
        assert!(!is_syntactic(0, &set.sections));
        assert!(is_syntactic(1, &set.sections));
    }

    #[test]
    fn question_before_header_is_an_error() {
        let e = AnalogySet::parse(Path::new("q.txt"), b"a b c d\n", &mut Vec::new()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "q.txt:1: a question before the first ': section' header"
        );
        assert!(AnalogySet::parse(Path::new("q.txt"), b": s\n", &mut Vec::new()).is_err());
    }
}
