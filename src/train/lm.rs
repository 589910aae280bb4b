//! What the language models share: the next-word check on held-out text, for the NNLM
//! ([`super::nnlm::LanguageModel`]) and the Kneser-Ney N-gram model ([`super::ngram`]).
use crate::error::Result;
use crate::jobs::Progress;
use rayon::prelude::*;

/// A model of the next word.
pub trait NextWordModel: Sync {
    /// `ln P(w | previous)` of every word `w`. `previous` holds the words before, oldest
    /// first, `None` for a word outside the vocabulary (left out of the context, as training
    /// left it out).
    fn log_probabilities(&self, previous: &[Option<u32>]) -> Vec<f64>;

    /// The id of the end of a sentence, for a model that predicts it (`</s>` of an N-gram
    /// model): after it, [`generate`] goes on from the start of a new sentence.
    fn sentence_end(&self) -> Option<u32> {
        None
    }
}

/// The `k` likeliest words of `log_p` (`ln P` of every word), likeliest first (ties by row),
/// with their probabilities. Words of probability 0 (`<s>` in an ARPA model) are left out.
pub fn top_k(log_p: &[f64], k: usize) -> Vec<(u32, f64)> {
    let mut ids: Vec<u32> = (0..log_p.len() as u32)
        .filter(|&i| log_p[i as usize] > f64::NEG_INFINITY)
        .collect();
    let k = k.min(ids.len());
    if k == 0 {
        return Vec::new();
    }
    let by_p = |a: &u32, b: &u32| {
        log_p[*b as usize]
            .total_cmp(&log_p[*a as usize])
            .then(a.cmp(b))
    };
    ids.select_nth_unstable_by(k - 1, by_p);
    ids.truncate(k);
    ids.sort_unstable_by(by_p);
    ids.into_iter()
        .map(|i| (i, log_p[i as usize].exp()))
        .collect()
}

/// `n` words continuing `previous`, each drawn from the `k` likeliest next words in
/// proportion to their probabilities (`seed` makes it repeatable).
pub fn generate(
    model: &impl NextWordModel,
    previous: &[Option<u32>],
    n: usize,
    k: usize,
    seed: u64,
) -> Vec<u32> {
    // The seed is mixed first: word2vec's generator started at a small seed gives small
    // first draws, which would always pick the likeliest first word.
    let mut rng = super::Lcg::new(mix(seed));
    let mut history = previous.to_vec();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let next = top_k(&model.log_probabilities(&history), k.max(1));
        let total: f64 = next.iter().map(|&(_, p)| p).sum();
        let mut draw = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let mut pick = next.last().map_or(0, |&(i, _)| i);
        for &(i, p) in &next {
            if draw < p {
                pick = i;
                break;
            }
            draw -= p;
        }
        out.push(pick);
        if model.sentence_end() == Some(pick) {
            // A new sentence: what came before is no context for its first word.
            history.clear();
        } else {
            history.push(Some(pick));
        }
    }
    out
}

/// SplitMix64's finaliser: a seed spread over all 64 bits.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// How many of the `held` sentences (rows, `None` outside the vocabulary) of at least
/// `min_len` known words occur word for word among the sentences of `ids` (`ends[i]` ends
/// sentence `i`), and of how many: held-out text a model was trained on flatters it.
pub fn sentences_seen(
    held: &[Vec<Option<u32>>],
    ids: &[u32],
    ends: &[usize],
    min_len: usize,
) -> (usize, usize) {
    let long: Vec<Vec<u32>> = held
        .iter()
        .map(|s| s.iter().flatten().copied().collect::<Vec<u32>>())
        .filter(|s| s.len() >= min_len.max(1))
        .collect();
    let wanted: std::collections::HashSet<&[u32]> = long.iter().map(Vec::as_slice).collect();
    let mut found = std::collections::HashSet::new();
    let mut start = 0;
    for &end in ends {
        let s = &ids[start..end.max(start)];
        if wanted.contains(s) {
            found.insert(s);
        }
        start = end;
    }
    let seen = long.iter().filter(|s| found.contains(s.as_slice())).count();
    (seen, long.len())
}

/// How well a model predicts held-out text.
#[derive(Debug, Clone, PartialEq)]
pub struct NextWord {
    /// Predictions scored (targets in the vocabulary).
    pub predictions: u64,
    /// Targets outside the vocabulary (not scored; they are left out of the context too, as
    /// in training).
    pub unknown: u64,
    /// Mean rank of the true word (1 = the model's first choice; words of equal probability
    /// share the middle of their ranks).
    pub mean_rank: f64,
    /// Median rank of the true word.
    pub median_rank: f64,
    /// Mean reciprocal rank.
    pub mrr: f64,
    /// Share of predictions whose true word is among the first 10.
    pub top10: f64,
    /// `exp` of the mean negative log-probability of the true words.
    pub perplexity: f64,
    /// The same for the unigram model (the words' corpus frequencies), on the same words.
    pub unigram_perplexity: f64,
}

/// One scored prediction.
struct Scored {
    /// The true word's rank; among words of the same probability, the middle of their ranks
    /// (so a model that cannot tell thousands of words apart gets no credit for it).
    rank: f64,
    log_p: f64,
    log_unigram: f64,
}

/// The unigram baseline of a model counted on a corpus: `ln P(w)` of each row from `counts`
/// (its corpus count; a count of 0 is taken as 1).
pub fn unigram_of(counts: &[u64]) -> Vec<f64> {
    let total: f64 = counts.iter().map(|&c| c as f64).sum();
    counts
        .iter()
        .map(|&c| (c.max(1) as f64 / total).ln())
        .collect()
}

/// Scores `model`'s prediction of every word of `sentences` (rows; `None` for a word outside
/// the vocabulary) from the words before it in its sentence. `unigram` (`ln P` of each row,
/// e.g. [`unigram_of`] the corpus counts) is the baseline. Sentences are shared out to
/// rayon's threads; `progress` counts sentences and cancels.
pub fn next_word(
    model: &impl NextWordModel,
    unigram: &[f64],
    sentences: &[Vec<Option<u32>>],
    progress: Option<&Progress>,
) -> Result<NextWord> {
    if let Some(p) = progress {
        p.set_total(sentences.len() as u64);
    }
    let per_sentence: Vec<Vec<Scored>> = sentences
        .par_iter()
        .map(|sen| {
            if let Some(p) = progress {
                p.check()?;
                p.add(1);
            }
            Ok(score_sentence(model, unigram, sen))
        })
        .collect::<Result<_>>()?;
    let unknown = sentences.iter().flatten().filter(|w| w.is_none()).count() as u64;
    Ok(summarise(
        per_sentence.into_iter().flatten().collect(),
        unknown,
    ))
}

fn score_sentence(model: &impl NextWordModel, unigram: &[f64], sen: &[Option<u32>]) -> Vec<Scored> {
    let mut out = Vec::new();
    for (pos, w) in sen.iter().enumerate() {
        let Some(w) = *w else { continue };
        let lp = model.log_probabilities(&sen[..pos]);
        let mine = lp[w as usize];
        let (above, tied) = lp.iter().fold((0u64, 0u64), |(a, t), &x| {
            (a + u64::from(x > mine), t + u64::from(x == mine))
        });
        out.push(Scored {
            rank: above as f64 + (tied as f64 + 1.0) / 2.0,
            log_p: mine,
            log_unigram: unigram[w as usize],
        });
    }
    out
}

fn summarise(mut scored: Vec<Scored>, unknown: u64) -> NextWord {
    let n = scored.len().max(1) as f64;
    scored.sort_unstable_by(|a, b| a.rank.total_cmp(&b.rank));
    let l = scored.len();
    let median = match l {
        0 => 0.0,
        l if l % 2 == 1 => scored[l / 2].rank,
        l => (scored[l / 2 - 1].rank + scored[l / 2].rank) / 2.0,
    };
    let mean = |f: &dyn Fn(&Scored) -> f64| scored.iter().map(f).sum::<f64>() / n;
    NextWord {
        predictions: l as u64,
        unknown,
        mean_rank: mean(&|s| s.rank),
        median_rank: median,
        mrr: mean(&|s| 1.0 / s.rank),
        top10: mean(&|s| f64::from(u8::from(s.rank <= 10.0))),
        perplexity: (-mean(&|s| s.log_p)).exp(),
        unigram_perplexity: (-mean(&|s| s.log_unigram)).exp(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word equally likely: no word is ranked ahead of the others.
    struct Uniform(usize);

    impl NextWordModel for Uniform {
        fn log_probabilities(&self, _: &[Option<u32>]) -> Vec<f64> {
            vec![-(self.0 as f64).ln(); self.0]
        }
    }

    #[test]
    fn tied_words_share_the_middle_of_their_ranks() {
        let sentences = vec![vec![Some(0), None, Some(7)], vec![Some(99)]];
        let r = next_word(&Uniform(100), &unigram_of(&[1; 100]), &sentences, None).unwrap();
        assert_eq!((r.predictions, r.unknown), (3, 1));
        assert_eq!(r.median_rank, 50.5);
        assert_eq!(r.mean_rank, 50.5);
        assert_eq!(r.top10, 0.0);
        assert!((r.mrr - 1.0 / 50.5).abs() < 1e-12);
        assert!((r.perplexity - 100.0).abs() < 1e-9);
        assert!((r.unigram_perplexity - 100.0).abs() < 1e-9);
    }

    #[test]
    fn held_out_sentences_found_in_the_training_text_are_counted() {
        let held = vec![
            vec![Some(1), None, Some(2), Some(3)],
            vec![Some(4), Some(5), Some(6)],
            vec![Some(1)],
        ];
        // Sentences 1 2 3 (the unknown word dropped, as in training) and 9; 4 5 6 is not there.
        let (ids, ends) = (vec![9, 1, 2, 3, 4, 5], vec![1, 4, 6]);
        assert_eq!(sentences_seen(&held, &ids, &ends, 2), (1, 2));
        assert_eq!(sentences_seen(&held, &ids, &ends, 1), (1, 3));
    }

    /// Small seeds sample first words across the list, in proportion (word2vec's generator
    /// started at a small seed would draw ~0 first and always take the likeliest).
    #[test]
    fn small_seeds_draw_first_words_in_proportion() {
        let firsts: Vec<u32> = (1..=200)
            .map(|seed| generate(&Uniform(10), &[], 1, 10, seed)[0])
            .collect();
        let mut seen = [0usize; 10];
        firsts.iter().for_each(|&w| seen[w as usize] += 1);
        assert!(seen.iter().all(|&n| (8..=35).contains(&n)), "{seen:?}");
        assert_eq!(
            generate(&Uniform(10), &[], 5, 10, 7),
            generate(&Uniform(10), &[], 5, 10, 7)
        );
    }

    #[test]
    fn top_k_orders_by_probability_then_row() {
        let lp: Vec<f64> = [0.1, 0.4, 0.1, 0.4].iter().map(|p: &f64| p.ln()).collect();
        let top: Vec<u32> = top_k(&lp, 3).iter().map(|t| t.0).collect();
        assert_eq!(top, vec![1, 3, 0]);
        assert!(top_k(&lp, 0).is_empty());
        assert_eq!(top_k(&lp, 10).len(), 4);
    }
}
