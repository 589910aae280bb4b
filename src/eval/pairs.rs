//! Word-pair similarity sets (WordSim353, SimLex-999, MEN …) and their evaluation, as gensim's
//! `evaluate_word_pairs`: cosine of each pair against the human score, Pearson and Spearman.
use super::stats::{pearson, spearman};
use crate::error::{Error, Location, Result, Warning};
use crate::space::Space;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// One pair with its human score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// The first word, as written in the file.
    pub a: String,
    /// The second word, as written in the file.
    pub b: String,
    /// The human similarity score, on the set's own scale (e.g. 0–10).
    pub gold: f64,
    /// 1-based line number of the pair in the file.
    pub line: u64,
}

/// A parsed pair set.
#[derive(Debug, Clone, PartialEq)]
pub struct PairSet {
    /// The pairs in file order.
    pub pairs: Vec<Pair>,
}

impl PairSet {
    /// Reads the set at `path` (see [`PairSet::parse`] for the layout); lines that are not
    /// `word word score` are skipped with a warning.
    pub fn read(path: &Path, warnings: &mut Vec<Warning>) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Self::parse(path, &bytes, warnings)
    }

    /// Lines are `word1 <TAB> word2 <TAB> score` (spaces when there is no tab); `#` starts a
    /// comment line. A header line naming its columns (e.g. SimLex-999's
    /// `word1 word2 POS SimLex999 …`) selects the score column by the name `SimLex999`,
    /// `score`, `sim`, `similarity` or `human`; otherwise the third column is the score.
    pub fn parse(path: &Path, bytes: &[u8], warnings: &mut Vec<Warning>) -> Result<Self> {
        let text = String::from_utf8_lossy(bytes);
        let mut pairs = Vec::new();
        let mut score_col = 2;
        let (mut bad, mut first_bad) = (0usize, 0u64);
        let mut seen_data = false;
        for (i, line) in text.lines().enumerate() {
            let line_no = i as u64 + 1;
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = if line.contains('\t') {
                line.split('\t').map(str::trim).collect()
            } else {
                line.split_whitespace().collect()
            };
            let gold = fields.get(score_col).and_then(|s| s.parse::<f64>().ok());
            match gold {
                Some(gold) if fields.len() >= 3 && gold.is_finite() => {
                    seen_data = true;
                    pairs.push(Pair {
                        a: fields[0].to_string(),
                        b: fields[1].to_string(),
                        gold,
                        line: line_no,
                    });
                }
                _ if !seen_data => {
                    if let Some(c) = header_score_column(&fields) {
                        score_col = c;
                    } else {
                        bad += 1;
                        first_bad = if first_bad == 0 { line_no } else { first_bad };
                    }
                }
                _ => {
                    bad += 1;
                    first_bad = if first_bad == 0 { line_no } else { first_bad };
                }
            }
        }
        if bad > 0 {
            warnings.push(Warning::new(
                path,
                Location::Line(first_bad),
                format!("skipped {bad} line(s) that are not 'word word score'"),
            ));
        }
        if pairs.is_empty() {
            let m = "no word pairs found: each line should be two words and a score, separated \
                     by tabs or spaces (as wordsim353.tsv: `tiger<TAB>cat<TAB>7.35`; a comma-\
                     separated file needs converting first)";
            return Err(Error::format(path, Location::File, m));
        }
        Ok(PairSet { pairs })
    }
}

fn header_score_column(fields: &[&str]) -> Option<usize> {
    let names = [
        "simlex999",
        "score",
        "sim",
        "similarity",
        "human",
        "human (mean)",
    ];
    fields
        .iter()
        .position(|f| names.contains(&f.to_ascii_lowercase().as_str()))
}

/// How to evaluate pairs (gensim's defaults: first 300,000 words, case-insensitive).
#[derive(Debug, Clone, Copy)]
pub struct PairOptions {
    /// Only the first N words take part; `None` uses all of them.
    pub restrict: Option<usize>,
    /// Compare words after Unicode upper-casing, the first (most frequent) variant winning.
    pub case_insensitive: bool,
    /// Score a pair with an unknown word from the word's subwords, when the space has a
    /// subword model (fastText, finalfusion); otherwise such a pair is out of vocabulary.
    pub subwords: bool,
}

impl Default for PairOptions {
    fn default() -> Self {
        PairOptions {
            restrict: Some(300_000),
            case_insensitive: true,
            subwords: false,
        }
    }
}

/// One pair's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairOutcome {
    /// The pair as read from the set.
    #[serde(flatten)]
    pub pair: Pair,
    /// The model's cosine; `None` when a word is out of vocabulary.
    pub cosine: Option<f64>,
}

/// The evaluation's figures.
#[derive(Debug, Clone, Serialize)]
pub struct PairReport {
    /// Pearson's r of human scores against cosines over the used pairs (`NaN` when undefined).
    pub pearson: f64,
    /// Spearman's rho of human scores against cosines over the used pairs, ties ranked by
    /// their average (as scipy); `NaN` when undefined.
    pub spearman: f64,
    /// Pairs with both words known.
    pub used: usize,
    /// Pairs skipped because a word is out of vocabulary (or outside the first N words).
    pub oov: usize,
    /// Percentage of pairs skipped as out of vocabulary.
    pub oov_ratio: f64,
    /// Pairs used with at least one word's vector built from subwords ([`PairOptions::subwords`]).
    pub from_subwords: usize,
    /// Every pair's outcome, in the set's order (not serialized).
    #[serde(skip)]
    pub outcomes: Vec<PairOutcome>,
}

/// Evaluates `set` on `space`.
pub fn evaluate_pairs(space: &Space, set: &PairSet, opts: &PairOptions) -> Result<PairReport> {
    let rows = opts.restrict.unwrap_or(space.len()).min(space.len());
    let fold = |w: &str| {
        if opts.case_insensitive {
            w.to_uppercase()
        } else {
            w.to_string()
        }
    };
    let mut index: HashMap<String, u32> = HashMap::with_capacity(rows);
    for r in 0..rows {
        index.entry(fold(space.word(r))).or_insert(r as u32);
    }
    let (mut gold, mut model) = (Vec::new(), Vec::new());
    let mut outcomes = Vec::with_capacity(set.pairs.len());
    let mut from_subwords = 0;
    let vector = |w: &str| -> Option<(std::borrow::Cow<'_, [f32]>, bool)> {
        if let Some(&r) = index.get(&fold(w)) {
            return Some((std::borrow::Cow::Borrowed(space.unit(r as usize)), false));
        }
        if !opts.subwords {
            return None;
        }
        let mut v = space.subwords()?.embed(w)?;
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if n == 0.0 || !n.is_finite() {
            return None;
        }
        v.iter_mut().for_each(|x| *x /= n);
        Some((std::borrow::Cow::Owned(v), true))
    };
    for p in &set.pairs {
        let cos = match (vector(&p.a), vector(&p.b)) {
            (Some((ua, sa)), Some((ub, sb))) => {
                from_subwords += usize::from(sa || sb);
                Some(f64::from(
                    ua.iter().zip(ub.iter()).map(|(x, y)| x * y).sum::<f32>(),
                ))
            }
            _ => None,
        };
        if let Some(c) = cos {
            gold.push(p.gold);
            model.push(c);
        }
        outcomes.push(PairOutcome {
            pair: p.clone(),
            cosine: cos,
        });
    }
    let oov = set.pairs.len() - gold.len();
    Ok(PairReport {
        pearson: pearson(&gold, &model),
        spearman: spearman(&gold, &model),
        used: gold.len(),
        oov,
        oov_ratio: 100.0 * oov as f64 / set.pairs.len() as f64,
        from_subwords,
        outcomes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_wordsim_and_simlex_layouts() {
        let ws = b"# comment\n# Word 1\tWord 2\tHuman (mean)\nlove\tsex\t6.77\ntiger\tcat\t7.35\n";
        let set = PairSet::parse(Path::new("ws.tsv"), ws, &mut Vec::new()).unwrap();
        assert_eq!(set.pairs.len(), 2);
        assert_eq!(set.pairs[1].gold, 7.35);
        let sl = b"word1\tword2\tPOS\tSimLex999\tconc(w1)\nold\tnew\tA\t1.58\t2.72\nsmart\tintelligent\tA\t9.2\t1.75\n";
        let mut w = Vec::new();
        let set = PairSet::parse(Path::new("sl.txt"), sl, &mut w).unwrap();
        assert_eq!(set.pairs[0].gold, 1.58);
        assert_eq!(set.pairs[1].b, "intelligent");
        assert!(w.is_empty());
        let e = PairSet::parse(Path::new("x"), b"# only\n", &mut Vec::new()).unwrap_err();
        assert!(e.to_string().contains("no word pairs"));
    }
}
