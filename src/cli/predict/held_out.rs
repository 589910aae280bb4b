//! `embx predict MODEL --held-out FILE [--ngram[=CORPUS]]`: how well the NNLM predicts each
//! word of a text, beside a unigram model and, with `--ngram`, a Kneser-Ney N-gram model.
use super::PredictArgs;
use crate::cli::output;
use crate::cli::progress::{with_bar, Unit};
use crate::error::{Error, Result};
use crate::text::thousands;
use crate::train::lm;
use crate::train::nnlm::{self, LanguageModel, NextWord};
use serde_json::json;
use std::path::{Path, PathBuf};

/// `--held-out FILE`: the model's next-word check on the file's sentences (and, with
/// `--ngram`, the N-gram model's beside it).
pub(super) fn run(
    model: &LanguageModel,
    path: &Path,
    args: &PredictArgs,
    quiet: bool,
) -> Result<()> {
    super::super::ngram::held_out_is_text(path)?;
    let text = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8_lossy(&text);
    let mut sentences = Vec::new();
    for line in text.lines() {
        let ids = model.encode(&model.tokens(line)?);
        if !ids.is_empty() {
            sentences.push(ids);
        }
    }
    let r = with_bar("scoring sentences", Unit::Rows, quiet, |progress| {
        model.next_word(&sentences, Some(&progress))
    })?;
    if r.predictions == 0 {
        let why = if text.trim().is_empty() {
            "it has no words"
        } else {
            "no word of it is in the model's vocabulary"
        };
        return Err(Error::Invalid(format!(
            "{}: {why}; nothing to score",
            path.display()
        )));
    }
    let baseline = match &args.ngram {
        Some(corpus) => Some(ngram(model, args, corpus, &sentences, quiet)?),
        None => None,
    };
    let report = Report {
        model,
        path,
        nnlm: &r,
        ngram: baseline.as_ref(),
    };
    if args.json {
        return output::print_json(&report.json());
    }
    output::print(&report.text())
}

/// A Kneser-Ney model estimated for `--ngram`, and its check.
struct Baseline {
    counted: nnlm::Counted,
    result: NextWord,
    /// Held-out sentences found in the corpus, and of how many.
    seen: (usize, usize),
}

/// The Kneser-Ney model of `--ngram[=CORPUS]`, over the NNLM's words.
pub(super) struct Counted {
    pub model: nnlm::Counted,
    /// Held-out sentences (of 5 known words or more) found in the corpus, and of how many.
    pub seen: (usize, usize),
}

/// Estimates the N-gram model of `--ngram[=CORPUS]` (an empty CORPUS: the training corpus the
/// metadata names) of `order` (default: the NNLM's), with progress bars and warnings.
pub(super) fn estimate(
    model: &LanguageModel,
    corpus: &str,
    order: Option<u64>,
    held: &[Vec<Option<u32>>],
    (vectors, quiet): (&Path, bool),
) -> Result<Counted> {
    let corpus = if corpus.is_empty() {
        model.corpus_near(vectors).map_err(|e| {
            Error::Invalid(format!(
                "{e}; name the text to count n-grams in: --ngram=CORPUS"
            ))
        })?
    } else {
        vec![PathBuf::from(corpus)]
    };
    let read = with_bar("reading the corpus", Unit::Bytes, quiet, |p| {
        model.read_as_trained(&corpus, Some(&p))
    })?;
    let seen = lm::sentences_seen(held, &read.0, &read.1, 5);
    let order = order.map(|o| o as usize);
    let counted = with_bar("counting n-grams", Unit::Rows, quiet, |p| {
        nnlm::Counted::estimate(model, corpus, read, order, Some(&p))
    })?;
    if !quiet {
        for w in counted.warnings() {
            eprintln!("warning: {w}");
        }
    }
    Ok(Counted {
        model: counted,
        seen,
    })
}

/// Estimates the N-gram model of `--ngram[=CORPUS]` and scores it on `sentences`.
fn ngram(
    model: &LanguageModel,
    args: &PredictArgs,
    corpus: &str,
    sentences: &[Vec<Option<u32>>],
    quiet: bool,
) -> Result<Baseline> {
    let (order, vectors) = (args.ngram_order, args.model.as_path());
    let Counted { model: c, seen } = estimate(model, corpus, order, sentences, (vectors, quiet))?;
    if seen.0 * 10 > seen.1 && !quiet {
        eprintln!(
            "warning: {} of the {} held-out sentences of 5 words or more are in the corpus the \
             N-gram model was counted in (and the NNLM trained on, if it is its corpus): text \
             a model has seen makes its scores look better than they are",
            thousands(seen.0),
            thousands(seen.1)
        );
    }
    let result = with_bar("scoring the N-gram model", Unit::Rows, quiet, |p| {
        lm::next_word(&c.kn, &lm::unigram_of(model.counts()), sentences, Some(&p))
    })?;
    Ok(Baseline {
        counted: c,
        result,
        seen,
    })
}

/// What `--held-out` prints.
struct Report<'a> {
    model: &'a LanguageModel,
    path: &'a Path,
    nnlm: &'a NextWord,
    ngram: Option<&'a Baseline>,
}

impl Report<'_> {
    fn json(&self) -> serde_json::Value {
        let r = self.nnlm;
        let mut v = scores_json(r);
        v["file"] = json!(self.path.display().to_string());
        v["vocabulary"] = json!(self.model.words().len());
        v["predictions"] = json!(r.predictions);
        v["unknown"] = json!(r.unknown);
        v["unigram_perplexity"] = json!(r.unigram_perplexity);
        if let Some(b) = self.ngram {
            let mut n = scores_json(&b.result);
            n["model"] = json!("interpolated modified Kneser-Ney");
            n["order"] = json!(b.counted.order);
            n["corpus"] = json!(b
                .counted
                .corpus
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>());
            n["ngrams"] = json!(b.counted.kn.sizes());
            n["held_out_sentences_in_corpus"] = json!({"found": b.seen.0, "of": b.seen.1});
            v["ngram"] = n;
        }
        v
    }

    fn text(&self) -> String {
        let r = self.nnlm;
        let mut s = format!(
            "next-word check on {}: {} predictions ({} words outside the vocabulary are not \
             predicted)\n",
            self.path.display(),
            thousands(r.predictions as usize),
            thousands(r.unknown as usize),
        );
        let Some(b) = self.ngram else {
            s.push_str(&format!(
                "perplexity   {:>10.1}   (unigram model on the same words: {:.1})\n\
                 median rank  {:>10}   of {} words\n\
                 mean rank    {:>10.0}\n\
                 top 10       {:>9.1} %\n\
                 MRR          {:>10.3}\n",
                r.perplexity,
                r.unigram_perplexity,
                r.median_rank,
                thousands(self.model.words().len()),
                r.mean_rank,
                100.0 * r.top10,
                r.mrr
            ));
            s.push_str(&legend(self.model.words().len()));
            return s;
        };
        let n = &b.result;
        let head = format!("Kneser-Ney {}-gram", b.counted.order);
        s.push_str(&format!("{:13}{:>10}   {head}\n", "", "NNLM"));
        let rows = [
            (
                "perplexity",
                format!("{:.1}", r.perplexity),
                format!("{:.1}", n.perplexity),
            ),
            (
                "median rank",
                format!("{}", r.median_rank),
                format!("{}", n.median_rank),
            ),
            (
                "mean rank",
                format!("{:.0}", r.mean_rank),
                format!("{:.0}", n.mean_rank),
            ),
            (
                "top 10",
                format!("{:.1} %", 100.0 * r.top10),
                format!("{:.1} %", 100.0 * n.top10),
            ),
            ("MRR", format!("{:.3}", r.mrr), format!("{:.3}", n.mrr)),
        ];
        for (name, a, b) in rows {
            s.push_str(&format!("{name:13}{a:>10}   {b:>w$}\n", w = head.len()));
        }
        s.push_str(&format!(
            "ranks are of {} words; the unigram model's perplexity is {:.1}\n{}\n",
            thousands(self.model.words().len()),
            r.unigram_perplexity,
            b.counted.describe(),
        ));
        s.push_str(&legend(self.model.words().len()));
        s
    }
}

/// How to read the scores, for a learner.
fn legend(words: usize) -> String {
    format!(
        "\nlower is better: perplexity (as unsure as a uniform choice among that many words) and \
         the ranks of the true next word;\nhigher is better: top 10 (the true word among the 10 \
         likeliest) and MRR (the mean of 1 / rank).\nThe median rank is the usual case; the \
         mean is pulled up by rare words ranked very low.\nPerplexities compare only over the \
         same words: this model predicts {} (a smaller vocabulary skips more words and scores \
         lower).\n",
        thousands(words)
    )
}

fn scores_json(r: &NextWord) -> serde_json::Value {
    json!({
        "perplexity": r.perplexity,
        "median_rank": r.median_rank,
        "mean_rank": r.mean_rank,
        "top10": r.top10,
        "mrr": r.mrr,
    })
}
