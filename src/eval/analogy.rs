//! Analogy evaluation with the counting rules of gensim, word2vec and finalfusion.
use super::analogy_set::{is_syntactic, AnalogySet};
use super::scan::{top_k_many, Batch, Scoring};
use crate::error::{Error, Result};
use crate::jobs::{Progress, ProgressExt};
use crate::query::Method;
use crate::space::{Lookup, Space};
use serde::Serialize;
use std::collections::HashMap;

mod preset;
pub use preset::Preset;
use preset::{folding, Fold, FoldedIndex};

/// How to evaluate.
#[derive(Debug, Clone, Copy)]
pub struct AnalogyOptions<'a> {
    /// Whose counting rules to follow.
    pub preset: Preset,
    /// Only the first N words take part; `None` uses the preset's default.
    pub restrict: Option<usize>,
    /// How answers are scored: 3CosAdd or 3CosMul.
    pub method: Method,
    /// Where to report progress and check for cancellation, if anywhere.
    pub progress: Option<&'a Progress>,
}

/// Correct out of evaluated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Questions answered correctly.
    pub correct: usize,
    /// Questions evaluated (not skipped).
    pub evaluated: usize,
}

impl Score {
    /// Accuracy in percent (0 when nothing was evaluated).
    pub fn percent(&self) -> f64 {
        if self.evaluated == 0 {
            0.0
        } else {
            100.0 * self.correct as f64 / self.evaluated as f64
        }
    }
    fn add(&mut self, ok: bool) {
        self.evaluated += 1;
        self.correct += usize::from(ok);
    }
}

/// The result of one section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionScore {
    /// The section's name from its `:` header.
    pub name: String,
    /// Correct out of evaluated in this section.
    #[serde(flatten)]
    pub score: Score,
    /// Questions of this section that were skipped.
    pub skipped: usize,
}

/// What happened to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// Index of the question's section in [`AnalogySet::sections`].
    pub section: usize,
    /// 1-based line number of the question in the analogy file.
    pub line: u64,
    /// The four words `a b c expected`, as written in the file.
    pub question: [String; 4],
    /// The answer given (as the vocabulary spells it); `None` when skipped or no answer.
    pub predicted: Option<String>,
    /// Whether the question was answered correctly, incorrectly or skipped.
    pub status: Status,
}

/// How one question was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The predicted word is the expected one (under the preset's case rules).
    Correct,
    /// Counted as wrong: another word was predicted, no answer was found, or (finalfusion)
    /// a question word is unknown.
    Incorrect,
    /// Not counted: a word is outside the searched rows or unknown, by the preset's rule.
    Skipped,
}

/// The evaluation's figures.
#[derive(Debug, Clone, Serialize)]
pub struct AnalogyReport {
    /// The counting rules followed.
    pub preset: Preset,
    /// The scoring method's name: `3CosAdd` or `3CosMul`.
    pub method: &'static str,
    /// Rows that took part.
    pub rows: usize,
    /// Per-section results, in the set's order.
    pub sections: Vec<SectionScore>,
    /// Sections before the first `gram*` section.
    pub semantic: Score,
    /// The first `gram*` section and those after it.
    pub syntactic: Score,
    /// All sections together.
    pub total: Score,
    /// Questions in the set, skipped ones included.
    pub questions: usize,
    /// Questions skipped over all sections.
    pub skipped: usize,
    /// Wall time of the evaluation (not of loading).
    pub seconds: f64,
    /// Every question's outcome, in the set's order (not serialized).
    #[serde(skip)]
    pub outcomes: Vec<Outcome>,
}

/// A question whose words were found: its terms (indices into a [`Terms`] table) and the
/// rows to exclude.
struct Resolved {
    at: usize,
    terms: [u32; 3],
    exclude: [u32; 3],
}

/// The distinct term vectors of a batch of questions: vocabulary rows once each, vectors
/// built from subwords once per use.
struct Terms<'a> {
    space: &'a Space,
    vectors: Vec<f32>,
    by_row: HashMap<u32, u32>,
}

impl<'a> Terms<'a> {
    fn new(space: &'a Space) -> Self {
        Terms {
            space,
            vectors: Vec::new(),
            by_row: HashMap::new(),
        }
    }

    fn push(&mut self, v: &[f32]) -> u32 {
        let id = (self.vectors.len() / self.space.dim().max(1)) as u32;
        self.vectors.extend_from_slice(v);
        id
    }

    fn row(&mut self, row: u32) -> u32 {
        if let Some(&id) = self.by_row.get(&row) {
            return id;
        }
        let id = self.push(self.space.unit(row as usize).to_vec().as_slice());
        self.by_row.insert(row, id);
        id
    }

    fn lookup(&mut self, l: &Lookup) -> u32 {
        match l {
            Lookup::Known(r) => self.row(*r),
            Lookup::Subword(v) => self.push(v),
        }
    }
}

/// Evaluates `set` on `space`.
pub fn evaluate_analogies(
    space: &Space,
    set: &AnalogySet,
    opts: &AnalogyOptions,
) -> Result<AnalogyReport> {
    if space.is_empty() {
        return Err(Error::Invalid("the space has no words".into()));
    }
    let start = std::time::Instant::now();
    let rows = opts
        .restrict
        .or(opts.preset.default_restrict())
        .unwrap_or(space.len())
        .min(space.len());
    let fold = folding(opts.preset);
    let index = FoldedIndex::new(space, rows, fold);
    let mut outcomes = Vec::with_capacity(set.len());
    let mut resolved = Vec::new();
    let mut terms = Terms::new(space);
    for (si, section) in set.sections.iter().enumerate() {
        for q in &section.questions {
            let at = outcomes.len();
            outcomes.push(Outcome {
                section: si,
                line: q.line,
                question: q.words.clone(),
                predicted: None,
                status: Status::Skipped,
            });
            match resolve(space, &index, opts.preset, &q.words, &mut terms) {
                Some(Some((t, exclude))) => resolved.push(Resolved {
                    at,
                    terms: t,
                    exclude,
                }),
                Some(None) => outcomes[at].status = Status::Incorrect,
                None => {}
            }
        }
    }
    opts.progress.set_total(rows as u64);
    opts.progress.check()?;
    let (scoring, k, floor) = match (opts.method, opts.preset) {
        (Method::Add, Preset::Word2Vec) => (Scoring::Add, 1, 0.0),
        (Method::Add, Preset::Gensim) => (Scoring::Add, 5, f32::NEG_INFINITY),
        (Method::Add, Preset::Finalfusion) => (Scoring::Add, 1, f32::NEG_INFINITY),
        (Method::Mul, Preset::Gensim) => (Scoring::Mul, 5, f32::NEG_INFINITY),
        (Method::Mul, _) => (Scoring::Mul, 1, f32::NEG_INFINITY),
    };
    let question_terms: Vec<[u32; 3]> = resolved.iter().map(|r| r.terms).collect();
    let excludes: Vec<[u32; 3]> = resolved.iter().map(|r| r.exclude).collect();
    let batch = Batch {
        vectors: &terms.vectors,
        terms: &question_terms,
        exclude: &excludes,
        scoring,
        k,
        floor,
    };
    let tops = top_k_many(
        space.matrix().as_slice(),
        space.dim(),
        rows,
        &batch,
        opts.progress,
    )?;
    for (r, top) in resolved.iter().zip(tops) {
        let out = &mut outcomes[r.at];
        let (pred, ok) = judge(space, opts.preset, fold, &out.question, &top);
        out.predicted = pred;
        out.status = if ok {
            Status::Correct
        } else {
            Status::Incorrect
        };
    }
    let mut report = report(set, opts, rows, outcomes);
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}

/// Resolves a question: `None` = skipped, `Some(None)` = counted wrong (finalfusion's unknown
/// question word), else the term vectors (a, b, c) and rows to exclude.
fn resolve(
    space: &Space,
    index: &FoldedIndex,
    preset: Preset,
    w: &[String; 4],
    terms: &mut Terms,
) -> Option<Option<([u32; 3], [u32; 3])>> {
    match preset {
        Preset::Gensim | Preset::Word2Vec => {
            let rows: Vec<u32> = w.iter().map(|x| index.get(x)).collect::<Option<_>>()?;
            let t = [0, 1, 2].map(|i| terms.row(rows[i]));
            Some(Some((t, [rows[0], rows[1], rows[2]])))
        }
        Preset::Finalfusion => {
            index.get(&w[3])?;
            let looks: Option<Vec<Lookup>> = w[..3].iter().map(|x| space.lookup(x)).collect();
            let Some(looks) = looks else {
                return Some(None);
            };
            let exclude = [0, 1, 2].map(|i| match looks[i] {
                Lookup::Known(r) => r,
                Lookup::Subword(_) => u32::MAX,
            });
            let t = [0, 1, 2].map(|i| terms.lookup(&looks[i]));
            Some(Some((t, exclude)))
        }
    }
}

/// The predicted word and whether it is right, by the preset's rule.
fn judge(
    space: &Space,
    preset: Preset,
    fold: Fold,
    q: &[String; 4],
    top: &[(u32, f32)],
) -> (Option<String>, bool) {
    let word = |r: u32| space.word(r as usize);
    match preset {
        Preset::Gensim => {
            let ignore: Vec<String> = q[..3].iter().map(|x| fold.apply(x)).collect();
            let mut predicted = None;
            for &(r, _) in top {
                predicted = Some(r);
                if !ignore.contains(&fold.apply(word(r))) {
                    break;
                }
            }
            let ok = predicted.is_some_and(|r| fold.apply(word(r)) == fold.apply(&q[3]));
            (predicted.map(|r| word(r).to_string()), ok)
        }
        Preset::Word2Vec => {
            let p = top.first().map(|&(r, _)| r);
            let ok = p.is_some_and(|r| fold.apply(word(r)) == fold.apply(&q[3]));
            (p.map(|r| word(r).to_string()), ok)
        }
        Preset::Finalfusion => {
            let p = top.first().map(|&(r, _)| r);
            let ok = p.is_some_and(|r| word(r) == q[3]);
            (p.map(|r| word(r).to_string()), ok)
        }
    }
}

fn report(
    set: &AnalogySet,
    opts: &AnalogyOptions,
    rows: usize,
    outcomes: Vec<Outcome>,
) -> AnalogyReport {
    let mut sections: Vec<SectionScore> = set
        .sections
        .iter()
        .map(|s| SectionScore {
            name: s.name.clone(),
            score: Score::default(),
            skipped: 0,
        })
        .collect();
    let (mut semantic, mut syntactic, mut total) =
        (Score::default(), Score::default(), Score::default());
    let mut skipped = 0;
    for o in &outcomes {
        let s = &mut sections[o.section];
        if o.status == Status::Skipped {
            s.skipped += 1;
            skipped += 1;
            continue;
        }
        let ok = o.status == Status::Correct;
        s.score.add(ok);
        total.add(ok);
        if is_syntactic(o.section, &set.sections) {
            syntactic.add(ok);
        } else {
            semantic.add(ok);
        }
    }
    AnalogyReport {
        preset: opts.preset,
        method: match opts.method {
            Method::Add => "3CosAdd",
            Method::Mul => "3CosMul",
        },
        rows,
        sections,
        semantic,
        syntactic,
        total,
        questions: outcomes.len(),
        skipped,
        seconds: 0.0,
        outcomes,
    }
}
