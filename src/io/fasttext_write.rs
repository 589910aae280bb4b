//! Writing fastText .bin models (format version 12, as fastText 0.9 saves them).
//!
//! Layout, all little-endian: magic 793712314 and version 12 (i32); the arguments dim, ws,
//! epoch, minCount, neg, wordNgrams, loss (hs 1, ns 2), model (cbow 1, skipgram 2), bucket,
//! minn, maxn, lrUpdateRate (i32) and t (f64); the dictionary: size, nwords, nlabels (i32),
//! ntokens and the pruned size −1 (i64), then each word as its bytes, a zero byte, its count
//! (i64) and type 0 (i8); then a quantization flag 0 and the input matrix (rows, columns as
//! i64, then the f32 values), and the same for the output matrix.
//!
//! fastText's vector of a known word is the mean of its own input row and its n-gram rows, so
//! the word rows written are recovered from the mean vectors embx holds:
//! `row = (k + 1) · mean − Σ n-gram rows` for a word with `k` n-grams (duplicates counted, as
//! fastText counts them). A space without subwords is written with minn = maxn = 0 and no
//! buckets: its vectors are the word rows.
use super::atomic::put;
use super::FinalfusionSubwords;
use crate::error::{Error, Result};
use crate::space::Space;
use crate::train::subword::ngram_buckets;
use crate::train::{Loss, Model, Subwords};
use finalfusion::storage::Storage as _;
use finalfusion::vocab::VocabWrap;
use std::io::Write;
use std::path::Path;

const MAGIC: i32 = 793_712_314;
const VERSION: i32 = 12;

/// What fastText keeps besides the vectors: the training settings and the output matrix.
#[derive(Debug, Clone, Copy)]
pub struct FastTextExtras<'a> {
    /// The training architecture, written as fastText's `model` (cbow 1, skipgram 2).
    pub model: Model,
    /// The loss, written as fastText's `loss` (hs 1, ns 2).
    pub loss: Loss,
    /// The context window size in words, written as `ws`.
    pub window: usize,
    /// Passes over the corpus, written as `epoch`.
    pub epochs: usize,
    /// Words rarer than this were dropped from the vocabulary, written as `minCount`.
    pub min_count: u64,
    /// Noise words per positive example, written as `neg`.
    pub negative: usize,
    /// The subsampling threshold for frequent words, written as `t`.
    pub sample: f64,
    /// Row-major output weights as embx trains them: one row per word, or with `Loss::Hs` the
    /// inner nodes of word2vec's tree (fastText builds the same tree from the same counts,
    /// but its node rows predict the code where word2vec's predict 1 − code, so they are
    /// written negated). `None` writes zeros.
    pub output: Option<&'a [f32]>,
}

impl Default for FastTextExtras<'_> {
    fn default() -> Self {
        FastTextExtras {
            model: Model::SkipGram,
            loss: Loss::Ns,
            window: 5,
            epochs: 5,
            min_count: 5,
            negative: 5,
            sample: 1e-4,
            output: None,
        }
    }
}

impl FastTextExtras<'_> {
    /// The settings a space's metadata records, for a file converted to fastText: embx's
    /// `[training]` table, or the flat keys of a fastText model read through finalfusion
    /// (`epoch`, `window_size`, `neg`, `sampling_threshold`, `SkipGram`…). What neither
    /// records keeps fastText's default. The output matrix is not in a space: zeros.
    pub fn from_metadata(metadata: Option<&str>) -> Self {
        let mut x = FastTextExtras::default();
        let Some(all) = metadata.and_then(|m| m.parse::<toml::Table>().ok()) else {
            return x;
        };
        let t = all
            .get("training")
            .and_then(|v| v.as_table())
            .unwrap_or(&all);
        let text = |k: &str| {
            t.get(k)
                .and_then(|v| v.as_str())
                .map(str::to_ascii_lowercase)
        };
        let count = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| t.get(*k)?.as_integer())
                .and_then(|i| usize::try_from(i).ok())
        };
        match text("model").as_deref() {
            Some("skipgram") => x.model = Model::SkipGram,
            Some("cbow") => x.model = Model::Cbow,
            _ => {}
        }
        match text("loss").as_deref() {
            Some("ns" | "negativesampling") => x.loss = Loss::Ns,
            Some("hs" | "hierarchicalsoftmax") => x.loss = Loss::Hs,
            _ => {}
        }
        x.window = count(&["window", "window_size"]).unwrap_or(x.window);
        x.epochs = count(&["epochs", "epoch"]).unwrap_or(x.epochs);
        x.min_count = count(&["min_count"]).map_or(x.min_count, |c| c as u64);
        x.negative = count(&["negative", "neg"]).unwrap_or(x.negative);
        x.sample = ["sample", "sampling_threshold"]
            .iter()
            .find_map(|k| t.get(*k)?.as_float())
            .unwrap_or(x.sample);
        x
    }
}

/// The subword settings and all input rows (words, then buckets) of `space`: a known word's
/// own row is recovered from its vector (the mean of its row and its n-grams' rows). Training
/// that continues a subword space starts from these rows too.
pub(crate) fn input_rows(space: &Space) -> Result<(Option<Subwords>, Vec<f32>)> {
    let (n, dim) = (space.len(), space.dim());
    let mut rows = Vec::with_capacity(n * dim);
    for w in 0..n {
        let norm = space.norms()[w];
        rows.extend(space.unit(w).iter().map(|u| u * norm));
    }
    let Some(sub) = space.subwords() else {
        return Ok((None, rows));
    };
    let ff = sub
        .as_any()
        .downcast_ref::<FinalfusionSubwords>()
        .filter(|ff| ff.matches(space))
        .map(FinalfusionSubwords::embeddings);
    let Some((ff, VocabWrap::FastTextSubwordVocab(v))) = ff.map(|e| (e, e.vocab())) else {
        return Err(Error::Invalid(format!(
            "only fastText subwords can be written as a fastText .bin model, not {}",
            sub.describe()
        )));
    };
    use finalfusion::subword::BucketIndexer;
    let s = Subwords {
        minn: v.min_n() as usize,
        maxn: v.max_n() as usize,
        buckets: v.indexer().buckets(),
    };
    let storage = ff.storage();
    rows.reserve(s.buckets * dim);
    for b in 0..s.buckets {
        rows.extend(storage.embedding(n + b).iter());
    }
    for w in 0..n {
        let grams = ngram_buckets(space.word(w), &s);
        let k = grams.len() as f32;
        let (words, buckets) = rows.split_at_mut(n * dim);
        let row = &mut words[w * dim..(w + 1) * dim];
        row.iter_mut().for_each(|x| *x *= k + 1.0);
        for g in grams {
            let b = &buckets[g as usize * dim..(g as usize + 1) * dim];
            row.iter_mut().zip(b).for_each(|(x, y)| *x -= y);
        }
    }
    Ok((Some(s), rows))
}

fn i32_of(x: usize, what: &str) -> Result<[u8; 4]> {
    i32::try_from(x)
        .map(i32::to_le_bytes)
        .map_err(|_| Error::Invalid(format!("{what} ({x}) is too large for a fastText model")))
}

/// Writes `space` (and `extras`) as a fastText .bin model to `w`.
pub(super) fn write(
    space: &Space,
    extras: &FastTextExtras<'_>,
    w: &mut impl Write,
    path: &Path,
) -> Result<()> {
    let (n, dim) = (space.len(), space.dim());
    let (sub, input) = input_rows(space)?;
    let s = sub.unwrap_or(Subwords {
        minn: 0,
        maxn: 0,
        buckets: 0,
    });
    let mut h = Vec::new();
    h.extend_from_slice(&MAGIC.to_le_bytes());
    h.extend_from_slice(&VERSION.to_le_bytes());
    let loss = match extras.loss {
        Loss::Hs => 1,
        Loss::Ns => 2,
    };
    let model = match extras.model {
        Model::Cbow => 1,
        Model::SkipGram => 2,
    };
    let min_count = usize::try_from(extras.min_count).unwrap_or(usize::MAX);
    let args = [
        (dim, "the dimension"),
        (extras.window, "the window"),
        (extras.epochs, "the epochs"),
        (min_count, "the minimum count"),
        (extras.negative, "the noise words"),
        (1, ""),
        (loss, ""),
        (model, ""),
        (s.buckets, "the buckets"),
        (s.minn, "minn"),
        (s.maxn, "maxn"),
        (100, ""),
    ];
    for (v, what) in args {
        h.extend_from_slice(&i32_of(v, what)?);
    }
    h.extend_from_slice(&extras.sample.to_le_bytes());
    dictionary(&mut h, space)?;
    put(w, &h, path)?;
    matrix(w, path, n + s.buckets, dim, &input)?;
    let zeros;
    let output = match extras.output {
        Some(o) if o.len() == n * dim => o,
        Some(o) => {
            return Err(Error::Invalid(format!(
                "the output weights hold {} values, not {n} × {dim}",
                o.len()
            )))
        }
        None => {
            zeros = vec![0.0; n * dim];
            &zeros
        }
    };
    if extras.loss == Loss::Hs {
        let negated: Vec<f32> = output.iter().map(|x| -x).collect();
        return matrix(w, path, n, dim, &negated);
    }
    matrix(w, path, n, dim, output)
}

/// The dictionary: sizes, token count, no prune index, then each word with its count and
/// type 0 (a word, not a label).
fn dictionary(h: &mut Vec<u8>, space: &Space) -> Result<()> {
    let counts: Vec<u64> = match space.counts() {
        Some(c) => c.to_vec(),
        None => vec![1; space.len()],
    };
    h.extend_from_slice(&i32_of(space.len(), "the vocabulary")?);
    h.extend_from_slice(&i32_of(space.len(), "the vocabulary")?);
    h.extend_from_slice(&0i32.to_le_bytes());
    let tokens: u64 = counts.iter().sum();
    h.extend_from_slice(&i64::try_from(tokens).unwrap_or(i64::MAX).to_le_bytes());
    h.extend_from_slice(&(-1i64).to_le_bytes());
    for (word, &count) in space.vocab().iter().zip(&counts) {
        if word.as_bytes().contains(&0) {
            return Err(Error::Invalid(format!(
                "the word {word:?} holds a zero byte, which fastText cannot store"
            )));
        }
        h.extend_from_slice(word.as_bytes());
        h.push(0);
        h.extend_from_slice(&i64::try_from(count).unwrap_or(i64::MAX).to_le_bytes());
        h.push(0);
    }
    Ok(())
}

/// A quantization flag 0 and a dense matrix.
fn matrix(w: &mut impl Write, path: &Path, rows: usize, dim: usize, data: &[f32]) -> Result<()> {
    let mut h = vec![0u8];
    h.extend_from_slice(&(rows as i64).to_le_bytes());
    h.extend_from_slice(&(dim as i64).to_le_bytes());
    put(w, &h, path)?;
    super::write_le(w, data, f32::to_le_bytes).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_from_either_kind_of_metadata() {
        let embx =
            "tool = \"embx train\"\n[training]\nmodel = \"cbow\"\nloss = \"hs\"\nwindow = 8\n\
                    epochs = 1\nmin_count = 3\nnegative = 0\nsample = 0.001\n";
        let x = FastTextExtras::from_metadata(Some(embx));
        assert_eq!((x.model, x.loss), (Model::Cbow, Loss::Hs));
        assert_eq!((x.window, x.epochs, x.min_count, x.negative), (8, 1, 3, 0));
        assert_eq!(x.sample, 0.001);
        let fasttext = "epoch = 7\nloss = \"NegativeSampling\"\nmodel = \"SkipGram\"\nneg = 10\n\
                        sampling_threshold = 0.0001\nwindow_size = 3\nmin_count = 2\n";
        let x = FastTextExtras::from_metadata(Some(fasttext));
        assert_eq!((x.model, x.loss), (Model::SkipGram, Loss::Ns));
        assert_eq!((x.window, x.epochs, x.min_count, x.negative), (3, 7, 2, 10));
        // Nothing, or something that is not TOML: fastText's defaults.
        let d = FastTextExtras::default();
        for m in [None, Some("not = toml = at all")] {
            let x = FastTextExtras::from_metadata(m);
            assert_eq!(
                (x.window, x.epochs, x.sample),
                (d.window, d.epochs, d.sample)
            );
        }
    }
}
