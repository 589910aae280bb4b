//! The model as an ARPA file, the text format KenLM, SRILM and most decoders read: for each
//! order, every n-gram seen with `log10 P(w | h)` and, below the top order, the back-off weight
//! `log10 γ` of the n-gram as a context. Interpolated Kneser-Ney writes out exactly: for a
//! word not listed after `h`, `P(w | h) = γ(h) P(w | h′)`, which is the back-off rule.
use super::{KneserNey, Level, BOS};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::ops::Range;

/// Writes `model` as an ARPA file. `words[i]` names id `i` (with `</s>` among them when the
/// model predicts the end of a sentence); `<s>` names [`BOS`] and, when the model keeps a share
/// for unseen ids, `<unk>` gets it.
pub fn write(model: &KneserNey, words: &[String], out: &mut impl Write) -> io::Result<()> {
    let name = |id: u32| -> &str {
        if id == BOS {
            "<s>"
        } else {
            words.get(id as usize).map_or("<unk>", String::as_str)
        }
    };
    let unk = model.unseen > 0;
    let mut sizes = model.sizes();
    // The unigrams list every word, <unk> and <s>, seen or not.
    sizes[0] = words.len() + usize::from(unk) + 1;
    writeln!(out, "\\data\\")?;
    for (n, size) in sizes.iter().enumerate() {
        writeln!(out, "ngram {}={size}", n + 1)?;
    }
    writeln!(out, "\n\\1-grams:")?;
    let backoff = |gram: &[u32]| model.backoff(gram).map_or(0.0, |g| g.log10() as f32);
    if unk {
        // <unk> has the uniform distribution's share, passed down through the unigrams.
        let p = model.backoff(&[]).unwrap_or(1.0) * model.uniform;
        writeln!(out, "{}\t<unk>\t0", log10(p))?;
    }
    // <s> is never predicted; lmplz writes its probability as 0 (SRILM as -99).
    writeln!(out, "0\t<s>\t{}", backoff(&[BOS]))?;
    let mut line = String::new();
    for (w, &p) in model.base.iter().enumerate() {
        line.clear();
        let id = w as u32;
        let _ = writeln!(line, "{}\t{}\t{}", log10(p), name(id), backoff(&[id]));
        out.write_all(line.as_bytes())?;
    }
    let mut lower = Vec::new();
    for n in 2..=model.order {
        writeln!(out, "\n\\{n}-grams:")?;
        let level = &model.levels[n - 1];
        let p = probabilities(model, n, &lower);
        let backoffs = (n < model.order).then(|| backoffs(model, n));
        for (i, &p) in p.iter().enumerate() {
            line.clear();
            let _ = write!(line, "{}\t", log10(p));
            for (k, &id) in level.gram(i).iter().enumerate() {
                line.push_str(if k == 0 { "" } else { " " });
                line.push_str(name(id));
            }
            if let Some(b) = &backoffs {
                let _ = write!(line, "\t{}", b[i]);
            }
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
        lower = p;
    }
    writeln!(out, "\n\\end\\")
}

/// `P(w | h)` of every n-gram `h w` of order `n` ≥ 2, from `lower`, those of order n − 1 (not
/// read for bigrams, whose lower order is the unigram distribution):
/// `(a − D) / S(h) + γ(h) P(w | h′)`, where `h′ w`, the n-gram's last n − 1 words, is itself an
/// n-gram of order n − 1 (its continuation count came from this one).
fn probabilities(model: &KneserNey, n: usize, lower: &[f64]) -> Vec<f64> {
    let level = &model.levels[n - 1];
    let len = level.len();
    let mut below = vec![0.0; len];
    if n == 2 {
        for (i, b) in below.iter_mut().enumerate() {
            *b = model.base[level.gram(i)[1] as usize];
        }
    } else {
        // Sorted by their last n − 1 words, the n-grams meet the lower order's in one walk.
        let lower_level = &model.levels[n - 2];
        let suffix = |i: u32| &level.gram(i as usize)[1..];
        let mut by_suffix: Vec<u32> = (0..len as u32).collect();
        by_suffix.par_sort_unstable_by(|&a, &b| suffix(a).cmp(suffix(b)));
        let mut j = 0;
        for &i in &by_suffix {
            while j + 1 < lower_level.len() && lower_level.gram(j) < suffix(i) {
                j += 1;
            }
            below[i as usize] = match lower.get(j) {
                Some(&p) if lower_level.gram(j) == suffix(i) => p,
                _ => model.probability(suffix(i)),
            };
        }
    }
    let mut p = vec![0.0; len];
    for run in runs(level) {
        let (gamma, sum) = level.gamma(run.clone());
        for i in run {
            let c = level.counts[i];
            p[i] = (c as f64 - level.discount(c)) / sum + gamma * below[i];
        }
    }
    p
}

/// `log10 γ` of every n-gram of order `n` as the context of order n + 1 (0 for n-grams that
/// are no context), in one walk: the contexts of order n + 1 come in the same order.
fn backoffs(model: &KneserNey, n: usize) -> Vec<f32> {
    let (level, upper) = (&model.levels[n - 1], &model.levels[n]);
    let mut out = vec![0.0f32; level.len()];
    let mut runs = runs(upper).peekable();
    for (i, b) in out.iter_mut().enumerate() {
        let gram = level.gram(i);
        while runs
            .peek()
            .is_some_and(|r| &upper.gram(r.start)[..n] < gram)
        {
            runs.next();
        }
        if let Some(r) = runs.peek().filter(|r| &upper.gram(r.start)[..n] == gram) {
            *b = upper.gamma(r.clone()).0.log10() as f32;
        }
    }
    out
}

/// The runs of n-grams that share their context (their first n − 1 words).
fn runs(level: &Level) -> impl Iterator<Item = Range<usize>> + '_ {
    let context = |i: usize| &level.gram(i)[..level.n - 1];
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= level.len() {
            return None;
        }
        let mut end = start + 1;
        while end < level.len() && context(end) == context(start) {
            end += 1;
        }
        let run = start..end;
        start = end;
        Some(run)
    })
}

/// `log10 p`, as ARPA files print it.
fn log10(p: f64) -> f32 {
    p.log10() as f32
}

impl KneserNey {
    /// `P(w | h)` of one n-gram `h w` (the interpolation [`KneserNey::distribution`] does for
    /// every word at once).
    fn probability(&self, gram: &[u32]) -> f64 {
        let (w, h) = (gram[gram.len() - 1], &gram[..gram.len() - 1]);
        let lower = match h.get(1..) {
            None => return self.base[w as usize],
            Some(shorter) => self.probability(&[shorter, &[w]].concat()),
        };
        let level = &self.levels[h.len()];
        let after = level.after(h);
        if after.is_empty() {
            return lower;
        }
        let (gamma, sum) = level.gamma(after.clone());
        let mine = after
            .filter(|&i| level.gram(i)[level.n - 1] == w)
            .map(|i| {
                let c = level.counts[i];
                (c as f64 - level.discount(c)) / sum
            })
            .sum::<f64>();
        mine + gamma * lower
    }
}
