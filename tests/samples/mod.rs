//! Small valid files of every readable format, built in memory: the starting points that the
//! hostile-input matrix corrupts and the fuzz smoke run mutates (and the seeds of `fuzz/`).
#![allow(dead_code)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
use embx::Format;
use finalfusion::compat::fasttext::{FastTextIndexer, WriteFastText};
use finalfusion::io::WriteEmbeddings;
use finalfusion::norms::NdNorms;
use finalfusion::prelude::*;
use finalfusion::storage::NdArray;
use finalfusion::subword::{BucketIndexer, FinalfusionHashIndexer};
use finalfusion::vocab::{BucketSubwordVocab, FastTextSubwordVocab, SimpleVocab};
use ndarray::Array2;

/// Words of the samples: ASCII, CJK, and an accented word.
pub const WORDS: [&str; 5] = ["the", "king", "北京", "café", "zebra"];
pub const DIM: usize = 4;

/// A deterministic value for row `r`, column `c` (never zero, so rows have a norm).
pub fn value(r: usize, c: usize) -> f32 {
    ((r * 7 + c * 3) % 11) as f32 / 8.0 - 0.6
}

fn matrix(rows: usize) -> Array2<f32> {
    Array2::from_shape_fn((rows, DIM), |(r, c)| value(r, c))
}

fn words() -> Vec<String> {
    WORDS.iter().map(|w| w.to_string()).collect()
}

/// One sample file: a name (with the extension a user would give it), its format and bytes.
pub struct Sample {
    pub name: &'static str,
    pub format: Format,
    pub bytes: Vec<u8>,
}

fn text_rows(header: bool) -> Vec<u8> {
    let mut s = String::new();
    if header {
        s.push_str(&format!("{} {}\n", WORDS.len(), DIM));
    }
    for (r, w) in WORDS.iter().enumerate() {
        s.push_str(w);
        for c in 0..DIM {
            s.push_str(&format!(" {:.4}", value(r, c)));
        }
        s.push('\n');
    }
    s.into_bytes()
}

pub fn glove() -> Vec<u8> {
    text_rows(false)
}

pub fn word2vec_text() -> Vec<u8> {
    text_rows(true)
}

pub fn word2vec_binary() -> Vec<u8> {
    let mut b = format!("{} {}\n", WORDS.len(), DIM).into_bytes();
    for (r, w) in WORDS.iter().enumerate() {
        b.extend_from_slice(w.as_bytes());
        b.push(b' ');
        for c in 0..DIM {
            b.extend_from_slice(&value(r, c).to_le_bytes());
        }
        b.push(b'\n');
    }
    b
}

/// A finalfusion file with a simple vocabulary, an array and norms.
pub fn fifu_plain() -> Vec<u8> {
    let e = Embeddings::new(
        None,
        SimpleVocab::new(words()),
        NdArray::new(matrix(WORDS.len())),
        NdNorms::new(ndarray::Array1::from_elem(WORDS.len(), 1.0)),
    );
    let mut b = std::io::Cursor::new(Vec::new());
    e.write_embeddings(&mut b).unwrap();
    b.into_inner()
}

/// A finalfusion file with a bucket subword vocabulary (2^4 buckets).
pub fn fifu_subword() -> Vec<u8> {
    let vocab = BucketSubwordVocab::new(words(), 3, 6, FinalfusionHashIndexer::new(4));
    let e = Embeddings::new(
        None,
        vocab,
        NdArray::new(matrix(WORDS.len() + 16)),
        NdNorms::new(ndarray::Array1::from_elem(WORDS.len(), 1.0)),
    );
    let mut b = std::io::Cursor::new(Vec::new());
    e.write_embeddings(&mut b).unwrap();
    b.into_inner()
}

fn chunk(out: &mut Vec<u8>, id: u32, body: &[u8]) {
    out.extend(id.to_le_bytes());
    out.extend((body.len() as u64).to_le_bytes());
    out.extend_from_slice(body);
}

/// A finalfusion file with a product-quantized matrix, laid out by hand from the format
/// description: 2 subquantizers of 2 dimensions with 4 centroids each, norms, one code byte
/// per subquantizer and word.
pub fn fifu_quantized() -> Vec<u8> {
    let mut b = b"FiFu".to_vec();
    for v in [0u32, 2, 1, 4] {
        b.extend(v.to_le_bytes()); // version, chunk count, chunk ids
    }
    let mut vocab = (WORDS.len() as u64).to_le_bytes().to_vec();
    for w in WORDS {
        vocab.extend((w.len() as u32).to_le_bytes());
        vocab.extend(w.as_bytes());
    }
    chunk(&mut b, 1, &vocab);
    let mut q = Vec::new();
    // no projection, norms, 2 subquantizers, 4 dimensions, 4 centroids, rows, f32 and u8 ids
    for v in [0u32, 1, 2, DIM as u32, 4] {
        q.extend(v.to_le_bytes());
    }
    q.extend((WORDS.len() as u64).to_le_bytes());
    q.extend(1u32.to_le_bytes());
    q.extend(10u32.to_le_bytes());
    // The f32 data starts 4-aligned in the file: header(24) + vocab chunk + 12 + q so far.
    let at = b.len() + 12 + q.len();
    q.extend(vec![0u8; (4 - at % 4) % 4]);
    for i in 0..2 * 4 * 2 {
        q.extend((((i * 5) % 7) as f32 / 3.0 - 1.0).to_le_bytes());
    }
    for _ in WORDS {
        q.extend(1.0f32.to_le_bytes());
    }
    for r in 0..WORDS.len() {
        q.push((r % 4) as u8);
        q.push(((r + 1) % 4) as u8);
    }
    chunk(&mut b, 4, &q);
    b
}

/// A fastText .bin model (written by finalfusion's fastText writer) with 20 buckets.
pub fn fasttext_bin() -> Vec<u8> {
    let vocab = FastTextSubwordVocab::new(words(), 3, 5, FastTextIndexer::new(20));
    let e = Embeddings::new(
        None,
        vocab,
        NdArray::new(matrix(WORDS.len() + 20)),
        NdNorms::new(ndarray::Array1::from_elem(WORDS.len(), 1.0)),
    );
    let mut b = Vec::new();
    e.write_fasttext(&mut b).unwrap();
    b
}

/// Every sample, one per reader (and per fifu flavour).
pub fn all() -> Vec<Sample> {
    vec![
        Sample {
            name: "v.glove.txt",
            format: Format::Glove,
            bytes: glove(),
        },
        Sample {
            name: "v.w2v.txt",
            format: Format::Word2VecText,
            bytes: word2vec_text(),
        },
        Sample {
            name: "v.vec",
            format: Format::FastTextVec,
            bytes: word2vec_text(),
        },
        Sample {
            name: "v.w2v.bin",
            format: Format::Word2VecBinary,
            bytes: word2vec_binary(),
        },
        Sample {
            name: "v.fifu",
            format: Format::Fifu,
            bytes: fifu_plain(),
        },
        Sample {
            name: "v.subword.fifu",
            format: Format::Fifu,
            bytes: fifu_subword(),
        },
        Sample {
            name: "v.pq.fifu",
            format: Format::Fifu,
            bytes: fifu_quantized(),
        },
        Sample {
            name: "v.ft.bin",
            format: Format::FastTextBin,
            bytes: fasttext_bin(),
        },
    ]
}

/// The `--format` name of `f` on the command line.
pub fn cli_name(f: Format) -> &'static str {
    f.name()
}
