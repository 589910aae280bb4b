//! A Kneser-Ney model of a text on its own (`embx ngram`): the text's words, `</s>` at the end
//! of every sentence as KenLM counts it, and the model, so that its perplexities are the ones
//! KenLM's `query` reports and its ARPA file is complete.
use super::{KneserNey, Options};
use crate::error::{Error, Result};
use crate::jobs::Progress;
use crate::train::lm::NextWordModel;
use crate::train::Corpus;
use std::collections::HashMap;

/// The name of the end of a sentence, a word of the model.
pub const END: &str = "</s>";

/// A Kneser-Ney model over the words of a corpus, with `</s>`.
#[derive(Debug, Clone)]
pub struct TextModel {
    /// The words by count (ties in order of first occurrence), then `</s>`.
    words: Vec<String>,
    /// The count of each word; `</s>`'s is the number of sentences.
    counts: Vec<u64>,
    index: HashMap<String, u32>,
    /// The model.
    pub model: KneserNey,
}

impl TextModel {
    /// Estimates the model of `order` from `corpus`, keeping the words seen `min_count` times
    /// or more (the others are left out of the sentences, as training leaves them out).
    /// `progress` counts sentences and can cancel.
    pub fn estimate(
        corpus: &Corpus,
        order: usize,
        min_count: u64,
        progress: Option<&Progress>,
    ) -> Result<TextModel> {
        let vocab = corpus.vocabulary(min_count, None);
        if vocab.is_empty() {
            return Err(Error::Invalid(format!(
                "no word is seen {min_count} times or more; there are no n-grams to count"
            )));
        }
        let (ids, ends) = corpus.encode(&vocab);
        let end = vocab.len() as u32;
        let mut with_end = Vec::with_capacity(ids.len() + ends.len());
        let mut new_ends = Vec::with_capacity(ends.len());
        let mut start = 0;
        for &e in &ends {
            with_end.extend_from_slice(&ids[start..e]);
            with_end.push(end);
            new_ends.push(with_end.len());
            start = e;
        }
        // A blank line is a sentence too, `<s> </s>`, as lmplz counts it.
        let blank = corpus.stats().blank_lines;
        for _ in 0..blank {
            with_end.push(end);
            new_ends.push(with_end.len());
        }
        // `<unk>` keeps a share of the uniform distribution at the bottom, as in lmplz.
        let opts = Options {
            order,
            words: vocab.len() + 1,
            unseen: 1,
        };
        let model = KneserNey::estimate(&with_end, &new_ends, opts, progress)?;
        let mut words = vocab.words;
        words.push(END.to_string());
        let mut counts = vocab.counts;
        counts.push(ends.len() as u64 + blank);
        let index = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
        Ok(TextModel {
            words,
            counts,
            index,
            model,
        })
    }

    /// The count of each word.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// The context of a prediction after `previous` (`None` for words the model lacks), read
    /// as KenLM reads it: an unknown word is `<unk>`, which starts no n-gram, so the context is
    /// the known words after the last unknown one; without one, the last N − 1 words, after
    /// `<s>` when the sentence has fewer.
    pub fn context(&self, previous: &[Option<u32>]) -> Vec<u32> {
        match previous.iter().rposition(Option::is_none) {
            Some(i) => {
                let known: Vec<u32> = previous[i + 1..].iter().flatten().copied().collect();
                let keep = known.len().saturating_sub(self.model.order() - 1);
                known[keep..].to_vec()
            }
            None => self.model.context(previous),
        }
    }

    /// Writes the model as an ARPA file (see [`super::arpa`]).
    pub fn write_arpa(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        super::arpa::write(&self.model, &self.words, out)
    }
}

/// What `embx ngram` asks of a model of text, estimated ([`TextModel`]) or read from an ARPA
/// file ([`super::backoff::BackoffModel`]).
pub trait TextLm: NextWordModel {
    /// The words, by id (`</s>` among them).
    fn words(&self) -> &[String];
    /// The id of `word`, if it is a word of the model (not `<s>`, `</s>` or `<unk>`).
    fn id(&self, word: &str) -> Option<u32>;
    /// The id of `</s>`.
    fn end(&self) -> u32;
    /// The ids a prediction after `previous` reads (see each model's `context`).
    fn context_of(&self, previous: &[Option<u32>]) -> Vec<u32>;
    /// Whether `id` in a context is the start of a sentence.
    fn is_start(&self, id: u32) -> bool;
    /// Whether `id` in a context stands for a word the model lacks.
    fn is_unknown(&self, id: u32) -> bool;
    /// N, the longest n-gram.
    fn order(&self) -> usize;
    /// `ln P(w)` of every word without context: the unigram baseline.
    fn unigram(&self) -> Vec<f64>;
    /// What the unigram baseline is, for the held-out scores.
    fn baseline(&self) -> &'static str;
    /// How many words the model predicts besides `</s>`.
    fn vocabulary(&self) -> usize;

    /// The sentences of `corpus` as the model's ids, `None` for words it lacks, each ended
    /// by `</s>` (which is predicted too, as KenLM scores it); a blank line is `</s>` alone.
    fn sentences(&self, corpus: &Corpus) -> Vec<Vec<Option<u32>>> {
        let end = self.end();
        let mut out = corpus.sentences_by(|w| self.id(w));
        for s in &mut out {
            s.push(Some(end));
        }
        // A blank line's `</s>` is scored too, as `query` scores it.
        let blank = corpus.stats().blank_lines as usize;
        out.extend(std::iter::repeat_n(vec![Some(end)], blank));
        out
    }
}

impl TextLm for TextModel {
    fn words(&self) -> &[String] {
        &self.words
    }

    fn id(&self, word: &str) -> Option<u32> {
        self.index.get(word).copied().filter(|&i| i != self.end())
    }

    fn end(&self) -> u32 {
        self.words.len() as u32 - 1
    }

    fn context_of(&self, previous: &[Option<u32>]) -> Vec<u32> {
        self.context(previous)
    }

    fn is_start(&self, id: u32) -> bool {
        id == super::BOS
    }

    /// Unknown words are left out of its contexts.
    fn is_unknown(&self, _: u32) -> bool {
        false
    }

    fn order(&self) -> usize {
        self.model.order()
    }

    fn unigram(&self) -> Vec<f64> {
        crate::train::lm::unigram_of(&self.counts)
    }

    fn baseline(&self) -> &'static str {
        "the unigram model"
    }

    fn vocabulary(&self) -> usize {
        self.words.len() - 1
    }
}

impl TextLm for super::backoff::BackoffModel {
    fn words(&self) -> &[String] {
        self.words()
    }

    fn id(&self, word: &str) -> Option<u32> {
        self.id(word)
    }

    fn end(&self) -> u32 {
        self.end()
    }

    fn context_of(&self, previous: &[Option<u32>]) -> Vec<u32> {
        self.context(previous)
    }

    fn is_start(&self, id: u32) -> bool {
        id == self.start()
    }

    fn is_unknown(&self, id: u32) -> bool {
        self.is_unknown(id)
    }

    fn order(&self) -> usize {
        self.order()
    }

    fn unigram(&self) -> Vec<f64> {
        self.unigram()
    }

    fn baseline(&self) -> &'static str {
        "its 1-grams alone"
    }

    fn vocabulary(&self) -> usize {
        self.vocabulary()
    }
}

impl NextWordModel for TextModel {
    fn log_probabilities(&self, previous: &[Option<u32>]) -> Vec<f64> {
        let mut p = self.model.distribution(&self.context(previous));
        p.iter_mut().for_each(|x| *x = x.ln());
        p
    }

    fn sentence_end(&self) -> Option<u32> {
        Some(self.end())
    }
}
