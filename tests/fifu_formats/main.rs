//! finalfusion and fastText .bin files: fixtures are written with the finalfusion crate (or
//! by hand in finalfusion's layout, checked by finalfusion) and read back with embx.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod damaged;
mod plain;
mod subwords;

use embx::io::{LoadOptions, MmapMode};
use embx::Format;
use finalfusion::compat::fasttext::{FastTextIndexer, WriteFastText};
use finalfusion::io::WriteEmbeddings;
use finalfusion::metadata::Metadata;
use finalfusion::norms::NdNorms;
use finalfusion::prelude::*;
use finalfusion::storage::NdArray;
use finalfusion::subword::{BucketIndexer, FinalfusionHashIndexer};
use finalfusion::vocab::{BucketSubwordVocab, FastTextSubwordVocab, SimpleVocab};
use ndarray::{Array1, Array2};
use std::io::BufReader;
use std::path::{Path, PathBuf};

const WORDS: [&str; 6] = ["the", "king", "queen", "北京", "apple", "zebra"];

/// Deterministic pseudo-random values in [-1, 1).
fn random(n: usize, seed: u64) -> Vec<f32> {
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        })
        .collect()
}

/// Normalises the rows in place and returns the norms.
fn unit_rows(a: &mut Array2<f32>) -> Array1<f32> {
    let mut norms = Array1::zeros(a.nrows());
    for (i, mut row) in a.rows_mut().into_iter().enumerate() {
        let n = row.dot(&row).sqrt();
        row /= n;
        norms[i] = n;
    }
    norms
}

fn words() -> Vec<String> {
    WORDS.iter().map(|w| w.to_string()).collect()
}

fn metadata() -> Metadata {
    let table: toml::Table = "corpus = \"test\"\n[training]\ndims = 4\n".parse().unwrap();
    Metadata::new(table)
}

/// A finalfusion file with a simple vocabulary, unit rows and norms (and metadata).
fn simple_embeddings(meta: bool) -> Embeddings<SimpleVocab, NdArray> {
    let mut m = Array2::from_shape_vec((WORDS.len(), 4), random(WORDS.len() * 4, 1)).unwrap();
    let norms = unit_rows(&mut m);
    Embeddings::new(
        meta.then(metadata),
        SimpleVocab::new(words()),
        NdArray::new(m),
        NdNorms::new(norms),
    )
}

fn write_ff(path: &Path, e: &impl WriteEmbeddings) {
    let mut f = std::fs::File::create(path).unwrap();
    e.write_embeddings(&mut f).unwrap();
}

fn read_ff(path: &Path) -> Embeddings<VocabWrap, StorageWrap> {
    let mut r = BufReader::new(std::fs::File::open(path).unwrap());
    Embeddings::read_embeddings(&mut r).unwrap()
}

fn opts(mmap: MmapMode) -> LoadOptions {
    LoadOptions {
        format: Some(Format::Fifu),
        mmap,
        progress: None,
    }
}

fn close(a: &[f32], b: &[f32], eps: f32) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= eps)
}

fn unit(v: &[f32]) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.iter().map(|x| x / n).collect()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// finalfusion's layout, built by hand, for files finalfusion's writer cannot produce
/// (no norms) and for hostile variants.
struct Raw {
    words: Vec<Vec<u8>>,
    rows: u64,
    cols: u32,
    data: Vec<f32>,
    norms: Option<Vec<f32>>,
}

impl Raw {
    fn new(data: Vec<f32>, norms: Option<Vec<f32>>) -> Self {
        Raw {
            words: WORDS.iter().map(|w| w.as_bytes().to_vec()).collect(),
            rows: WORDS.len() as u64,
            cols: 4,
            data,
            norms,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut b = b"FiFu".to_vec();
        b.extend(0u32.to_le_bytes());
        let ids: &[u32] = if self.norms.is_some() {
            &[1, 2, 6]
        } else {
            &[1, 2]
        };
        b.extend((ids.len() as u32).to_le_bytes());
        for id in ids {
            b.extend(id.to_le_bytes());
        }
        b.extend(1u32.to_le_bytes());
        let len: usize = self.words.iter().map(|w| 4 + w.len()).sum();
        b.extend((8 + len as u64).to_le_bytes());
        b.extend((self.words.len() as u64).to_le_bytes());
        for w in &self.words {
            b.extend((w.len() as u32).to_le_bytes());
            b.extend(w);
        }
        b.extend(2u32.to_le_bytes());
        let pad = 4 - b.len() % 4;
        b.extend((16 + pad as u64 + self.data.len() as u64 * 4).to_le_bytes());
        b.extend(self.rows.to_le_bytes());
        b.extend(self.cols.to_le_bytes());
        b.extend(10u32.to_le_bytes());
        b.extend(vec![0u8; pad]);
        for v in &self.data {
            b.extend(v.to_le_bytes());
        }
        if let Some(norms) = &self.norms {
            b.extend(6u32.to_le_bytes());
            let pad = 4 - b.len() % 4;
            b.extend((12 + pad as u64 + norms.len() as u64 * 4).to_le_bytes());
            b.extend((norms.len() as u64).to_le_bytes());
            b.extend(10u32.to_le_bytes());
            b.extend(vec![0u8; pad]);
            for v in norms {
                b.extend(v.to_le_bytes());
            }
        }
        b
    }
}

fn write_bytes(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn bucket_embeddings() -> Embeddings<BucketSubwordVocab, NdArray> {
    let vocab = BucketSubwordVocab::new(words(), 3, 6, FinalfusionHashIndexer::new(6));
    let rows = WORDS.len() + 64;
    let mut m = Array2::from_shape_vec((rows, 4), random(rows * 4, 11)).unwrap();
    let mut known = m.slice_mut(ndarray::s![0..WORDS.len(), ..]).to_owned();
    let norms = unit_rows(&mut known);
    m.slice_mut(ndarray::s![0..WORDS.len(), ..]).assign(&known);
    Embeddings::new(
        Some(metadata()),
        vocab,
        NdArray::new(m),
        NdNorms::new(norms),
    )
}

/// A product-quantized chunk built by hand (reductive, which trains quantizers, is not a
/// dependency of embx): 2 subquantizers over 4 dimensions, 4 centroids each, with norms.
fn quantized_bytes(
    words: &[String],
    codes: &[[u8; 2]],
    centroids: &[f32],
    qnorms: &[f32],
) -> Vec<u8> {
    let mut b = b"FiFu".to_vec();
    b.extend(0u32.to_le_bytes());
    b.extend(2u32.to_le_bytes());
    b.extend(1u32.to_le_bytes());
    b.extend(4u32.to_le_bytes());
    b.extend(1u32.to_le_bytes());
    let len: usize = words.iter().map(|w| 4 + w.len()).sum();
    b.extend((8 + len as u64).to_le_bytes());
    b.extend((words.len() as u64).to_le_bytes());
    for w in words {
        b.extend((w.len() as u32).to_le_bytes());
        b.extend(w.as_bytes());
    }
    b.extend(4u32.to_le_bytes());
    let pad = 4 - (b.len() + 8 + 4 * 5 + 8 + 8) % 4;
    let body = 4 * 5 + 8 + 8 + pad + centroids.len() * 4 + qnorms.len() * 4 + codes.len() * 2;
    b.extend((body as u64).to_le_bytes());
    for v in [0u32, 1, 2, 4, 4] {
        b.extend(v.to_le_bytes());
    }
    b.extend((codes.len() as u64).to_le_bytes());
    b.extend(1u32.to_le_bytes());
    b.extend(10u32.to_le_bytes());
    b.extend(vec![0u8; pad]);
    for v in centroids.iter().chain(qnorms) {
        b.extend(v.to_le_bytes());
    }
    for c in codes {
        b.extend(c);
    }
    b
}

fn fasttext_embeddings() -> Embeddings<FastTextSubwordVocab, NdArray> {
    let vocab = FastTextSubwordVocab::new(words(), 3, 5, FastTextIndexer::new(20));
    let rows = WORDS.len() + 20;
    let mut m = Array2::from_shape_vec((rows, 4), random(rows * 4, 31)).unwrap();
    let mut known = m.slice_mut(ndarray::s![0..WORDS.len(), ..]).to_owned();
    let norms = unit_rows(&mut known);
    m.slice_mut(ndarray::s![0..WORDS.len(), ..]).assign(&known);
    Embeddings::new(None, vocab, NdArray::new(m), NdNorms::new(norms))
}

fn fasttext_bytes() -> Vec<u8> {
    let mut b = Vec::new();
    fasttext_embeddings().write_fasttext(&mut b).unwrap();
    b
}
