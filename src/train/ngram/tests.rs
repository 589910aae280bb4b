use super::*;
use crate::train::lm::NextWordModel;
use crate::train::ngram::text::TextLm;
use std::collections::HashMap;

/// Sentences as `ids` and `ends`.
fn flat(sentences: &[Vec<u32>]) -> (Vec<u32>, Vec<usize>) {
    let mut ids = Vec::new();
    let mut ends = Vec::new();
    for s in sentences {
        ids.extend_from_slice(s);
        ends.push(ids.len());
    }
    (ids, ends)
}

fn model(sentences: &[Vec<u32>], order: usize, words: usize) -> KneserNey {
    let (ids, ends) = flat(sentences);
    let opts = Options {
        order,
        words,
        unseen: 0,
    };
    KneserNey::estimate(&ids, &ends, opts, None).unwrap()
}

/// The module's definitions written out directly with hash maps, to check the sorted arrays.
struct Naive {
    uniform: f64,
    levels: Vec<HashMap<Vec<u32>, u64>>,
}

impl Naive {
    fn new(sentences: &[Vec<u32>], order: usize, words: usize) -> Naive {
        let mut levels = vec![HashMap::new(); order];
        for s in sentences {
            for i in 0..s.len() {
                let g: Vec<u32> = if i + 2 <= order {
                    std::iter::once(BOS)
                        .chain(s[..=i].iter().copied())
                        .collect()
                } else {
                    s[i + 1 - order..=i].to_vec()
                };
                *levels[g.len() - 1].entry(g).or_insert(0) += 1;
            }
        }
        for n in (1..order).rev() {
            let upper: Vec<Vec<u32>> = levels[n].keys().cloned().collect();
            for g in upper {
                *levels[n - 1].entry(g[1..].to_vec()).or_insert(0) += 1;
            }
        }
        Naive {
            uniform: 1.0 / words as f64,
            levels,
        }
    }

    fn discount(&self, n: usize, c: u64) -> f64 {
        let count = |k: u64| self.levels[n].values().filter(|&&c| c == k).count() as f64;
        let (n1, n2, n3, n4) = (count(1), count(2), count(3), count(4));
        let y = n1 / (n1 + 2.0 * n2);
        let d = [
            1.0 - 2.0 * y * n2 / n1,
            2.0 - 3.0 * y * n3 / n2,
            3.0 - 4.0 * y * n4 / n3,
        ];
        let ok = n1 > 0.0
            && n2 > 0.0
            && n3 > 0.0
            && (0..3).all(|k| d[k] >= 0.0 && d[k] <= k as f64 + 1.0);
        let d = if ok { d } else { [0.5, 1.0, 1.5] };
        match c {
            0 => 0.0,
            1 => d[0],
            2 => d[1],
            _ => d[2],
        }
    }

    fn probability(&self, context: &[u32], w: u32) -> f64 {
        let context = &context[context.len().saturating_sub(self.levels.len() - 1)..];
        let lower = match context {
            [] => self.uniform,
            [_, rest @ ..] => self.probability(rest, w),
        };
        let n = context.len();
        let after: Vec<(&Vec<u32>, u64)> = self.levels[n]
            .iter()
            .filter(|(g, _)| g[..n] == *context)
            .map(|(g, &c)| (g, c))
            .collect();
        if after.is_empty() {
            return lower;
        }
        let sum: f64 = after.iter().map(|a| a.1 as f64).sum();
        let gamma: f64 = after.iter().map(|a| self.discount(n, a.1)).sum::<f64>() / sum;
        let mine = after
            .iter()
            .find(|a| a.0[n] == w)
            .map_or(0.0, |a| (a.1 as f64 - self.discount(n, a.1)) / sum);
        mine + gamma * lower
    }
}

/// A corpus whose words follow Zipf's law and loosely depend on the word before.
fn zipf_corpus(sentences: usize, words: u32, seed: u64) -> Vec<Vec<u32>> {
    let mut rng = crate::train::Lcg::new(seed);
    let mut out = Vec::new();
    for _ in 0..sentences {
        let len = 1 + (rng.next_u64() % 12) as usize;
        let mut s: Vec<u32> = Vec::new();
        for _ in 0..len {
            let r = (rng.next_u64() % 1000) as f64 / 1000.0;
            let zipf = ((words as f64).powf(r) - 1.0) as u32;
            let w = match s.last() {
                Some(&prev) if rng.next_u64().is_multiple_of(3) => (prev * 7 + 1) % words,
                _ => zipf.min(words - 1),
            };
            s.push(w);
        }
        out.push(s);
    }
    out
}

#[test]
fn a_bigram_model_worked_by_hand() {
    // Bigrams [<s> a]×2, [a b]×2, [<s> b], [b a]: every order falls back to D = 0.5, 1, 1.5.
    // Unigram continuation counts a: 2, b: 2; S = 4, γ = 2/4; P(a) = 1/4 + 1/2 · 1/2.
    let m = model(&[vec![0, 1], vec![0, 1], vec![1, 0]], 2, 2);
    let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-12, "{a} != {b}");
    let p = m.distribution(&[]);
    close(p[0], 0.5);
    close(p[1], 0.5);
    // After a: [a b]×2, S = 2, γ = 1/2.
    let p = m.distribution(&[0]);
    close(p[1], 1.0 / 2.0 + 0.5 * 0.5);
    close(p[0], 0.5 * 0.5);
    // After <s>: [<s> a]×2, [<s> b]×1, S = 3, γ = (1 + 0.5)/3.
    let p = m.distribution(&[BOS]);
    close(p[0], 1.0 / 3.0 + 0.5 * 0.5);
    close(p[1], 0.5 / 3.0 + 0.5 * 0.5);
    close(m.backoff(&[BOS]).unwrap(), 0.5);
    assert_eq!(m.sizes(), vec![2, 4]);
}

#[test]
fn the_sorted_model_equals_the_definitions_and_sums_to_one() {
    for (order, seed) in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)] {
        let words = 40;
        let corpus = zipf_corpus(300, words, seed);
        let fast = model(&corpus, order, words as usize);
        let naive = Naive::new(&corpus, order, words as usize);
        let mut contexts: Vec<Vec<u32>> = vec![vec![], vec![BOS], vec![BOS, 3], vec![39, 39, 39]];
        for s in corpus.iter().take(20) {
            let mut c = vec![BOS];
            c.extend_from_slice(s);
            contexts.push(c[c.len().saturating_sub(order.max(2) - 1)..].to_vec());
        }
        for c in &contexts {
            let p = fast.distribution(c);
            let sum: f64 = p.iter().sum();
            assert!(
                (sum - 1.0).abs() < 1e-12,
                "order {order}, {c:?}: sums to {sum}"
            );
            for w in 0..words {
                let (a, b) = (p[w as usize], naive.probability(c, w));
                assert!(
                    (a - b).abs() < 1e-12,
                    "order {order} P({w} | {c:?}): {a} != {b}"
                );
            }
        }
    }
}

#[test]
fn the_context_is_the_last_known_words_after_the_sentence_start() {
    let m = model(&zipf_corpus(50, 10, 9), 3, 10);
    assert_eq!(m.context(&[None, Some(3), None, Some(5)]), vec![3, 5]);
    assert_eq!(m.context(&[None, Some(5)]), vec![BOS, 5]);
    assert_eq!(m.context(&[]), vec![BOS]);
    let lp = m.log_probabilities(&[Some(3), Some(5)]);
    let p = m.distribution(&[3, 5]);
    assert!(lp.iter().zip(&p).all(|(a, b)| (a - b.ln()).abs() < 1e-12));
}

#[test]
fn bad_estimates_are_refused() {
    let opts = Options {
        order: 3,
        words: 2,
        unseen: 0,
    };
    let err = KneserNey::estimate(&[0, 2], &[2], opts, None).unwrap_err();
    assert!(err.to_string().contains("outside"), "{err}");
    let zero = Options { order: 0, ..opts };
    assert!(KneserNey::estimate(&[0], &[1], zero, None).is_err());
    // No text at all: the uniform distribution, not NaN.
    let empty = KneserNey::estimate(&[], &[], opts, None).unwrap();
    assert_eq!(empty.distribution(&[BOS, 1]), vec![0.5, 0.5]);
}

/// `tests/data/kenlm/`: a generated corpus and the 4-gram model KenLM's `lmplz` estimated from
/// it (see `make.sh` there). lmplz predicts `</s>` at each sentence's end and keeps `<unk>` in
/// the uniform distribution; here `</s>` is one more word and `<unk>` one unseen id.
#[test]
fn probabilities_and_backoffs_equal_kenlm_lmplz() {
    let corpus = include_str!("../../../tests/data/kenlm/corpus.txt");
    let arpa = include_str!("../../../tests/data/kenlm/model.arpa");
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut sentences = Vec::new();
    for line in corpus.lines() {
        let mut s: Vec<u32> = Vec::new();
        for w in line.split_whitespace() {
            let next = ids.len() as u32;
            s.push(*ids.entry(w).or_insert(next));
        }
        sentences.push(s);
    }
    let eos = ids.len() as u32;
    ids.insert("</s>", eos);
    ids.insert("<s>", BOS);
    for s in &mut sentences {
        s.push(eos);
    }
    let (flat_ids, ends) = flat(&sentences);
    let opts = Options {
        order: 4,
        words: eos as usize + 1,
        unseen: 1,
    };
    let m = KneserNey::estimate(&flat_ids, &ends, opts, None).unwrap();
    let (mut checked, mut sizes) = (0, vec![0usize; 4]);
    for line in arpa.lines().filter(|l| l.contains('\t')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let words: Vec<&str> = fields[1].split(' ').collect();
        let log_p: f64 = fields[0].parse().unwrap();
        sizes[words.len() - 1] += 1;
        let id = |w: &str| {
            *ids.get(w)
                .unwrap_or_else(|| panic!("{w} is not in the corpus"))
        };
        if words == ["<unk>"] {
            let expected = m.backoff(&[]).unwrap() * m.uniform();
            assert!((expected.log10() - log_p).abs() < 2e-5, "<unk>: {line}");
            continue;
        }
        if words == ["<s>"] {
            continue; // never predicted: lmplz writes -99
        }
        let context: Vec<u32> = words[..words.len() - 1].iter().map(|w| id(w)).collect();
        let p = m.distribution(&context)[id(words[words.len() - 1]) as usize];
        assert!((p.log10() - log_p).abs() < 2e-5, "{line}: {}", p.log10());
        let whole: Vec<u32> = words.iter().map(|w| id(w)).collect();
        let backoff = fields.get(2).map_or(0.0, |b| b.parse::<f64>().unwrap());
        let mine = m.backoff(&whole).map_or(0.0, f64::log10);
        assert!((mine - backoff).abs() < 2e-5, "back-off of {line}: {mine}");
        checked += 1;
    }
    // lmplz's unigrams also hold <s> and <unk>.
    sizes[0] -= 2;
    assert_eq!(sizes, m.sizes());
    assert!(checked > 1000, "{checked}");
}

/// An ARPA file's entries: the words of each n-gram, its log10 probability and back-off.
fn arpa_entries(text: &str) -> HashMap<String, (f64, f64)> {
    text.lines()
        .filter(|l| l.contains('\t'))
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let back = fields.get(2).map_or(0.0, |b| b.parse().unwrap());
            (fields[1].to_string(), (fields[0].parse().unwrap(), back))
        })
        .collect()
}

/// The model written as ARPA has lmplz's n-grams, probabilities and back-offs (the lmplz
/// fixture above, and a text with blank lines, which lmplz counts as `<s> </s>`), and its
/// header counts them.
#[test]
fn the_arpa_file_equals_kenlm_lmplz() {
    let corpus = include_str!("../../../tests/data/kenlm/corpus.txt");
    let lmplz = include_str!("../../../tests/data/kenlm/model.arpa");
    same_arpa(corpus, 4, lmplz);
    let blank = include_str!("../../../tests/data/kenlm/blank.txt");
    let lmplz = include_str!("../../../tests/data/kenlm/blank.arpa");
    assert!(lmplz.contains("\t<s> </s>\t"));
    same_arpa(blank, 3, lmplz);
}

/// Estimates the model of `corpus` and checks its ARPA file against `lmplz`'s.
fn same_arpa(corpus: &str, order: usize, lmplz: &str) {
    let text = crate::train::Corpus::from_text(corpus, crate::train::ReadOptions::default());
    let model = text::TextModel::estimate(&text, order, 1, None).unwrap();
    let mut out = Vec::new();
    model.write_arpa(&mut out).unwrap();
    let ours = String::from_utf8(out).unwrap();
    let header = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("ngram "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(header(&ours), header(lmplz));
    assert!(ours.starts_with("\\data\\\n") && ours.trim_end().ends_with("\\end\\"));
    let (ours, theirs) = (arpa_entries(&ours), arpa_entries(lmplz));
    assert_eq!(ours.len(), theirs.len());
    for (gram, (p, b)) in &theirs {
        let (q, c) = ours
            .get(gram)
            .unwrap_or_else(|| panic!("{gram} is missing"));
        assert!((p - q).abs() < 2e-5, "{gram}: {q} against lmplz's {p}");
        assert!(
            (b - c).abs() < 2e-5,
            "back-off of {gram}: {c} against lmplz's {b}"
        );
    }
}

/// A text's model reads an unknown word as KenLM reads `<unk>`: the context starts after it.
#[test]
fn a_text_model_reads_unknown_words_as_kenlm_does() {
    let text = "a b c\na b d\nb c a\n".repeat(5);
    let corpus = crate::train::Corpus::from_text(&text, crate::train::ReadOptions::default());
    let m = text::TextModel::estimate(&corpus, 3, 1, None).unwrap();
    let (a, b) = (m.id("a").unwrap(), m.id("b").unwrap());
    assert_eq!(m.id(text::END), None);
    assert_eq!(m.words().last().map(String::as_str), Some(text::END));
    assert_eq!(m.context(&[Some(a), Some(b)]), vec![a, b]);
    assert_eq!(m.context(&[Some(b)]), vec![BOS, b]);
    assert_eq!(m.context(&[Some(a), None, Some(b)]), vec![b]);
    assert_eq!(m.context(&[Some(a), None]), Vec::<u32>::new());
    let p = m.log_probabilities(&[Some(a), None, Some(b)]);
    let q: Vec<f64> = m.model.distribution(&[b]).iter().map(|x| x.ln()).collect();
    assert_eq!(p, q);
    // Every sentence ends with </s>, counted once a sentence.
    assert_eq!(m.counts()[m.end() as usize], 15);
    let sentences = m.sentences(&corpus);
    assert!(sentences.iter().all(|s| s.last() == Some(&Some(m.end()))));
}
