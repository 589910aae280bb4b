//! `embx ngram --held-out FILE`: the model's scores on held-out text, and a warning when
//! that text is in the corpus the model was counted in.
use super::super::progress::{with_bar, Unit};
use crate::error::{Error, Result};
use crate::text::thousands;
use crate::train::lm;
use crate::train::ngram::text::TextLm;
use crate::train::{Config, Segment};
use serde_json::json;

/// The held-out scores of `path` (read as the corpus was read), warning when its sentences
/// are in `counted_in`, the text the model was counted in.
pub(super) fn held_out_of<M: TextLm>(
    model: &M,
    path: &std::path::PathBuf,
    (config, segmented, counted_in): (Config, bool, Option<&crate::train::Corpus>),
    quiet: bool,
) -> Result<(String, serde_json::Value)> {
    // Read as the corpus was read: cut into words when it was.
    let config = Config {
        segment: if segmented { Segment::Zh } else { Segment::Off },
        ..config
    };
    let held = crate::train::read_corpus(std::slice::from_ref(path), &config, None)?;
    let (text, mut scores) = held_out(model, &held, path, quiet)?;
    if let Some(corpus) = counted_in {
        let (seen, of) = seen_in(model, corpus, &held);
        scores["sentences_in_corpus"] = json!({"found": seen, "of": of});
        if seen * 10 > of && !quiet {
            eprintln!(
                "warning: {} of the {} held-out sentences of 5 words or more are in the \
                 corpus the model was counted in: text a model has seen makes its scores \
                 look better than they are",
                thousands(seen),
                thousands(of)
            );
        }
    }
    Ok((text, scores))
}

/// The scores on held-out text.
fn held_out(
    model: &impl TextLm,
    held: &crate::train::Corpus,
    path: &std::path::Path,
    quiet: bool,
) -> Result<(String, serde_json::Value)> {
    let sentences = model.sentences(held);
    let r = with_bar("scoring sentences", Unit::Rows, quiet, |p| {
        lm::next_word(model, &model.unigram(), &sentences, Some(&p))
    })?;
    if r.predictions == 0 {
        return Err(Error::Invalid(format!(
            "{}: it has no sentence to score",
            path.display()
        )));
    }
    let v = json!({
        "file": path.display().to_string(),
        "predictions": r.predictions,
        "sentence_ends": sentences.len(),
        "unknown": r.unknown,
        "perplexity": r.perplexity,
        "unigram_perplexity": r.unigram_perplexity,
        "median_rank": r.median_rank,
        "mean_rank": r.mean_rank,
        "top10": r.top10,
        "mrr": r.mrr,
    });
    let text = format!(
        "held-out check on {}: {} predictions, {} sentence ends among them (words outside the \
         vocabulary, not predicted: {})\n\
         perplexity   {:>10.2}   ({} on the same words: {:.2})\n\
         median rank  {:>10}   of {} words and </s>\n\
         mean rank    {:>10.0}\n\
         top 10       {:>9.1} %\n\
         MRR          {:>10.3}\n",
        path.display(),
        thousands(r.predictions as usize),
        thousands(sentences.len()),
        thousands(r.unknown as usize),
        r.perplexity,
        model.baseline(),
        r.unigram_perplexity,
        r.median_rank,
        thousands(model.vocabulary()),
        r.mean_rank,
        100.0 * r.top10,
        r.mrr,
    );
    Ok((text, v))
}

/// How many of the `held` sentences of 5 known words or more occur word for word in
/// `corpus`, and of how many.
fn seen_in(
    model: &impl TextLm,
    corpus: &crate::train::Corpus,
    held: &crate::train::Corpus,
) -> (usize, usize) {
    let (ids, ends) = corpus.encode_by(|w| model.id(w));
    lm::sentences_seen(&held.sentences_by(|w| model.id(w)), &ids, &ends, 5)
}
