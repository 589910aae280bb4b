//! finalfusion and fastText .bin files: fixtures are written with the finalfusion crate (or
//! by hand in finalfusion's layout, checked by finalfusion) and read back with embx.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
use embx::io::{load, save, LoadOptions, MmapMode, SaveOptions};
use embx::space::Storage;
use embx::{Error, Format, Lookup};
use finalfusion::compat::fasttext::{FastTextIndexer, ReadFastText, WriteFastText};
use finalfusion::io::WriteEmbeddings;
use finalfusion::metadata::Metadata;
use finalfusion::norms::NdNorms;
use finalfusion::prelude::*;
use finalfusion::storage::{NdArray, Storage as _};
use finalfusion::subword::{BucketIndexer, FinalfusionHashIndexer};
use finalfusion::vocab::{BucketSubwordVocab, FastTextSubwordVocab, SimpleVocab, Vocab as _};
use ndarray::{Array1, Array2};
use std::io::{BufReader, Cursor};
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

#[test]
fn reads_finalfusion_array_with_norms_and_metadata() {
    let dir = tmp();
    let path = dir.path().join("e.fifu");
    let ff = simple_embeddings(true);
    write_ff(&path, &ff);
    for (mode, storage) in [
        (MmapMode::Never, Storage::Array),
        (MmapMode::Auto, Storage::Array),
        (MmapMode::Always, Storage::Mmap),
    ] {
        let loaded = load(&path, &opts(mode)).unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let s = loaded.space;
        assert_eq!(s.source().storage, storage);
        assert_eq!(s.source().format, Format::Fifu);
        assert_eq!(s.vocab().iter().collect::<Vec<_>>(), WORDS);
        assert_eq!(s.dim(), 4);
        let meta = s.source().metadata.as_deref().unwrap();
        assert_eq!(meta.parse::<toml::Table>().unwrap(), *metadata());
        for (i, w) in WORDS.iter().enumerate() {
            let ew = ff.embedding_with_norm(w).unwrap();
            assert_eq!(s.unit(i), ew.embedding.as_slice().unwrap());
            assert_eq!(s.norms()[i], ew.norm);
            assert_eq!(s.lookup(w), Some(Lookup::Known(i as u32)));
        }
    }
}

#[test]
fn mmap_and_array_give_identical_rows() {
    let dir = tmp();
    let path = dir.path().join("e.fifu");
    write_ff(&path, &simple_embeddings(false));
    let a = load(&path, &opts(MmapMode::Never)).unwrap().space;
    let m = load(&path, &opts(MmapMode::Always)).unwrap().space;
    assert!(m.matrix().is_shared() && !a.matrix().is_shared());
    assert_eq!(a.matrix().as_slice(), m.matrix().as_slice());
    assert_eq!(a.norms(), m.norms());
    assert!(m.source().metadata.is_none());
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

#[test]
fn reads_files_without_norms_by_normalising() {
    let dir = tmp();
    let mut data = random(24, 7);
    data[4..8].copy_from_slice(&[0.0; 4]);
    let path = write_bytes(
        dir.path(),
        "raw.fifu",
        &Raw::new(data.clone(), None).bytes(),
    );
    // finalfusion accepts the hand-built file.
    let ff = read_ff(&path);
    assert_eq!(ff.vocab().words(), words().as_slice());
    assert!(ff.norms().is_none());
    for mode in [MmapMode::Never, MmapMode::Always] {
        let s = load(&path, &opts(mode)).unwrap().space;
        assert_eq!(s.source().storage, Storage::Array);
        for i in 0..WORDS.len() {
            let row = &data[i * 4..i * 4 + 4];
            let n = row.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((s.norms()[i] - n).abs() < 1e-5);
            if n > 0.0 {
                assert!(close(s.unit(i), &unit(row), 1e-6));
            } else {
                assert_eq!(s.unit(i), &[0.0; 4]);
            }
        }
    }
}

#[test]
fn non_finite_rows_are_zeroed_with_a_warning() {
    let dir = tmp();
    let mut m = Array2::from_shape_vec((6, 4), random(24, 3)).unwrap();
    let norms = unit_rows(&mut m);
    let mut data = m.into_raw_vec();
    data[9] = f32::NAN;
    let path = write_bytes(
        dir.path(),
        "nan.fifu",
        &Raw::new(data, Some(norms.to_vec())).bytes(),
    );
    // Mapped, the rows are not read at open (no matrix page is touched): the NaN row stays,
    // and the searches drop it.
    let mapped = load(&path, &opts(MmapMode::Always)).unwrap();
    assert_eq!(mapped.space.source().storage, Storage::Mmap);
    assert!(mapped.warnings.is_empty());
    for r in 0..6 {
        let q = mapped.space.unit(r).to_vec();
        if q.iter().all(|x| x.is_finite()) {
            let hits = embx::query::top_k(&mapped.space, &q, 6, &[], None);
            assert!(hits.iter().all(|h| h.index != 2 && h.score.is_finite()));
        }
    }
    let l = load(&path, &opts(MmapMode::Never)).unwrap();
    assert_eq!(l.space.source().storage, Storage::Array);
    assert_eq!(l.space.unit(2), &[0.0; 4]);
    assert_eq!(l.space.norms()[2], 0.0);
    assert_eq!(l.warnings.len(), 1);
    assert!(
        l.warnings[0].message.contains("\"queen\""),
        "{}",
        l.warnings[0]
    );
}

#[test]
fn duplicate_words_keep_the_first_with_one_warning() {
    let dir = tmp();
    let data = random(24, 5);
    let mut raw = Raw::new(data.clone(), None);
    raw.words[3] = b"king".to_vec();
    raw.words[5] = b"the".to_vec();
    let path = write_bytes(dir.path(), "dup.fifu", &raw.bytes());
    let l = load(&path, &opts(MmapMode::Always)).unwrap();
    let s = &l.space;
    assert_eq!(
        s.vocab().iter().collect::<Vec<_>>(),
        ["the", "king", "queen", "apple"]
    );
    assert!(close(s.unit(3), &unit(&data[16..20]), 1e-6));
    assert_eq!(l.warnings.len(), 1);
    let w = &l.warnings[0];
    assert!(w.message.contains("2 duplicate"), "{w}");
    assert!(matches!(w.location, embx::Location::Offset(_)));

    let mut raw = Raw::new(random(24, 5), None);
    raw.words[1] = b"k\xffng".to_vec();
    let path = write_bytes(dir.path(), "utf8.fifu", &raw.bytes());
    let l = load(&path, &opts(MmapMode::Never)).unwrap();
    assert_eq!(l.space.word(1), "k\u{fffd}ng");
    assert!(l.warnings[0].message.contains("UTF-8"));
}

#[test]
fn embx_writes_what_finalfusion_writes() {
    let dir = tmp();
    let ff_path = dir.path().join("ff.fifu");
    let ff = simple_embeddings(true);
    write_ff(&ff_path, &ff);
    let s = load(&ff_path, &opts(MmapMode::Always)).unwrap().space;
    let out = dir.path().join("embx.fifu");
    save(
        &s,
        &out,
        &SaveOptions {
            format: Format::Fifu,
            progress: None,
        },
    )
    .unwrap();
    assert_eq!(
        std::fs::read(&ff_path).unwrap(),
        std::fs::read(&out).unwrap()
    );
    let back = read_ff(&out);
    assert_eq!(back.vocab().words(), words().as_slice());
    assert_eq!(back.metadata(), ff.metadata());
    for w in WORDS {
        let a = back.embedding_with_norm(w).unwrap();
        let b = ff.embedding_with_norm(w).unwrap();
        assert_eq!(a.embedding, b.embedding);
        assert_eq!(a.norm, b.norm);
    }
    // finalfusion's memory map agrees too.
    let mut r = BufReader::new(std::fs::File::open(&out).unwrap());
    let mapped = Embeddings::<VocabWrap, StorageWrap>::mmap_embeddings(&mut r).unwrap();
    assert_eq!(
        mapped.embedding("queen").unwrap(),
        ff.embedding("queen").unwrap()
    );

    // A space without metadata or stored norms round-trips as well.
    let raw = write_bytes(
        dir.path(),
        "raw.fifu",
        &Raw::new(random(24, 9), None).bytes(),
    );
    let s = load(&raw, &opts(MmapMode::Never)).unwrap().space;
    let out2 = dir.path().join("embx2.fifu");
    save(
        &s,
        &out2,
        &SaveOptions {
            format: Format::Fifu,
            progress: None,
        },
    )
    .unwrap();
    let back = read_ff(&out2);
    assert!(back.metadata().is_none());
    for (i, w) in WORDS.iter().enumerate() {
        let e = back.embedding_with_norm(w).unwrap();
        assert_eq!(e.embedding.as_slice().unwrap(), s.unit(i));
        assert_eq!(e.norm, s.norms()[i]);
    }
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

#[test]
fn bucket_subwords_give_vectors_for_unknown_words_and_survive_a_round_trip() {
    let dir = tmp();
    let path = dir.path().join("sub.fifu");
    let ff = bucket_embeddings();
    write_ff(&path, &ff);
    let s = load(&path, &opts(MmapMode::Auto)).unwrap().space;
    assert_eq!(s.vocab().iter().collect::<Vec<_>>(), WORDS);
    assert_eq!(s.source().storage, Storage::Array);
    let desc = s.subwords().unwrap().describe();
    assert!(desc.contains("3–6"), "{desc}");
    for (i, w) in WORDS.iter().enumerate() {
        let e = ff.embedding_with_norm(w).unwrap();
        assert!(close(s.unit(i), e.embedding.as_slice().unwrap(), 1e-6));
        assert_eq!(s.norms()[i], e.norm);
    }
    let Some(Lookup::Subword(v)) = s.lookup("kingdom") else {
        panic!("no subword vector for an unknown word")
    };
    let want = ff.embedding("kingdom").unwrap();
    assert!(close(&v, &unit(want.as_slice().unwrap()), 1e-5));

    // embx keeps the subwords when writing fifu.
    let out = dir.path().join("out.fifu");
    save(
        &s,
        &out,
        &SaveOptions {
            format: Format::Fifu,
            progress: None,
        },
    )
    .unwrap();
    let back = read_ff(&out);
    assert!(matches!(back.vocab(), VocabWrap::BucketSubwordVocab(_)));
    assert_eq!(back.embedding("kingdom").unwrap(), want);
    let again = load(&out, &opts(MmapMode::Never)).unwrap().space;
    assert_eq!(again.lookup("kingdom"), s.lookup("kingdom"));
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

#[test]
fn quantized_matrices_are_reconstructed() {
    let dir = tmp();
    let centroids = random(16, 21);
    let codes: Vec<[u8; 2]> = (0..WORDS.len() as u8)
        .map(|i| [i % 4, (i + 1) % 4])
        .collect();
    let qnorms = vec![1.0, 2.0, 0.5, 1.5, 3.0, 1.0];
    let bytes = quantized_bytes(&words(), &codes, &centroids, &qnorms);
    let path = write_bytes(dir.path(), "q.fifu", &bytes);
    let ff = read_ff(&path);
    assert!(matches!(ff.storage(), StorageWrap::QuantizedArray(_)));
    let s = load(&path, &opts(MmapMode::Always)).unwrap().space;
    assert_eq!(s.source().storage, Storage::Quantized);
    for (i, w) in WORDS.iter().enumerate() {
        let e = ff.embedding(w).unwrap();
        let e = e.as_slice().unwrap();
        assert!(close(s.unit(i), &unit(e), 1e-6));
        let n = e.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((s.norms()[i] - n).abs() < 1e-5);
    }
    // A code that names a missing centroid is refused before finalfusion sees it.
    let mut bad = codes.clone();
    bad[2][1] = 9;
    let path = write_bytes(
        dir.path(),
        "qbad.fifu",
        &quantized_bytes(&words(), &bad, &centroids, &qnorms),
    );
    let e = load(&path, &opts(MmapMode::Never)).unwrap_err();
    assert!(e.to_string().contains("centroid"), "{e}");
}

fn expect_format_error(path: &Path, fmt: Format, needle: &str) {
    let o = LoadOptions {
        format: Some(fmt),
        mmap: MmapMode::Always,
        progress: None,
    };
    match load(path, &o) {
        Err(e @ Error::Format { .. }) => {
            assert!(e.to_string().contains(needle), "{e} lacks {needle:?}")
        }
        other => panic!("expected a format error with {needle:?}, got {other:?}"),
    }
}

/// Every proper prefix of `bytes` is an error, never a panic.
fn all_prefixes_fail(dir: &Path, bytes: &[u8], fmt: Format) {
    let p = dir.join("prefix");
    for n in 0..bytes.len() {
        std::fs::write(&p, &bytes[..n]).unwrap();
        for mmap in [MmapMode::Never, MmapMode::Always] {
            let o = LoadOptions {
                format: Some(fmt),
                mmap,
                progress: None,
            };
            let r = std::panic::catch_unwind(|| load(&p, &o));
            match r {
                Ok(Err(_)) => {}
                Ok(Ok(_)) => panic!("a {n}-byte prefix of {} loaded", bytes.len()),
                Err(_) => panic!("a {n}-byte prefix panicked"),
            }
        }
    }
}

#[test]
fn truncated_files_fail_cleanly() {
    let dir = tmp();
    let mut c = Cursor::new(Vec::new());
    simple_embeddings(true).write_embeddings(&mut c).unwrap();
    all_prefixes_fail(dir.path(), &c.into_inner(), Format::Fifu);
    let mut c = Cursor::new(Vec::new());
    bucket_embeddings().write_embeddings(&mut c).unwrap();
    all_prefixes_fail(dir.path(), &c.into_inner(), Format::Fifu);
    let codes: Vec<[u8; 2]> = (0..6u8).map(|i| [i % 4, 3]).collect();
    let q = quantized_bytes(&words(), &codes, &random(16, 2), &[1.0; 6]);
    all_prefixes_fail(dir.path(), &q, Format::Fifu);
    all_prefixes_fail(dir.path(), &fasttext_bytes(), Format::FastTextBin);
}

#[test]
fn lying_and_inconsistent_headers_are_format_errors() {
    let dir = tmp();
    let good = Raw::new(random(24, 4), Some(vec![1.0; 6])).bytes();
    let d = dir.path();
    let patched = |name: &str, at: usize, v: &[u8]| {
        let mut b = good.clone();
        b[at..at + v.len()].copy_from_slice(v);
        write_bytes(d, name, &b)
    };
    // Header: magic(4) version(4) count(4) ids(12); vocabulary chunk at 24.
    expect_format_error(&patched("magic", 0, b"FiFo"), Format::Fifu, "magic");
    expect_format_error(
        &patched("version", 4, &1u32.to_le_bytes()),
        Format::Fifu,
        "version 1",
    );
    expect_format_error(
        &patched("id", 16, &42u32.to_le_bytes()),
        Format::Fifu,
        "unknown chunk id 42",
    );
    expect_format_error(
        &patched("count", 8, &100_000u32.to_le_bytes()),
        Format::Fifu,
        "claims",
    );
    let e12 = 1_000_000_000_000u64.to_le_bytes();
    expect_format_error(
        &patched("chunklen", 28, &e12),
        Format::Fifu,
        "claims 1000000000000 bytes",
    );
    expect_format_error(
        &patched("words", 36, &e12),
        Format::Fifu,
        "claims 1000000000000 words",
    );
    // Matrix rows: find the NdArray chunk after the vocabulary.
    let vocab_len = u64::from_le_bytes(good[28..36].try_into().unwrap()) as usize;
    let array = 36 + vocab_len;
    expect_format_error(
        &patched("rows", array + 12, &e12),
        Format::Fifu,
        "claims 1000000000000 × 4",
    );
    expect_format_error(
        &patched("rows5", array + 12, &5u64.to_le_bytes()),
        Format::Fifu,
        "5 rows",
    );
    let mut b = good.clone();
    b.truncate(b.len() - 4);
    expect_format_error(&write_bytes(d, "short", &b), Format::Fifu, "claims");
    // Chunk order differing from the header.
    expect_format_error(
        &patched("order", 16, &6u32.to_le_bytes()),
        Format::Fifu,
        "header lists",
    );

    // Subword vocabulary with a lying word count.
    let mut c = Cursor::new(Vec::new());
    bucket_embeddings().write_embeddings(&mut c).unwrap();
    let mut b = c.into_inner();
    // Metadata chunk first: skip it.
    let header = 12 + 4 * u32::from_le_bytes(b[8..12].try_into().unwrap()) as usize;
    let meta_len = u64::from_le_bytes(b[header + 4..header + 12].try_into().unwrap()) as usize;
    let vocab = header + 12 + meta_len;
    b[vocab + 12..vocab + 20].copy_from_slice(&e12);
    expect_format_error(
        &write_bytes(d, "subcount", &b),
        Format::Fifu,
        "claims 1000000000000 words",
    );
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

#[test]
fn fasttext_bin_known_and_unknown_words() {
    let dir = tmp();
    let bytes = fasttext_bytes();
    let path = write_bytes(dir.path(), "m.bin", &bytes);
    let ff = Embeddings::<FastTextSubwordVocab, NdArray>::read_fasttext(&mut Cursor::new(&bytes))
        .unwrap();
    let o = LoadOptions {
        format: Some(Format::FastTextBin),
        ..LoadOptions::default()
    };
    let l = load(&path, &o).unwrap();
    assert!(l.warnings.is_empty());
    let s = l.space;
    assert_eq!(s.source().format, Format::FastTextBin);
    assert_eq!(s.source().storage, Storage::Array);
    assert_eq!(s.vocab().iter().collect::<Vec<_>>(), WORDS);
    assert!(s.source().metadata.as_deref().unwrap().contains("min_n"));
    for (i, w) in WORDS.iter().enumerate() {
        assert_eq!(s.lookup(w), Some(Lookup::Known(i as u32)));
        let e = ff.embedding_with_norm(w).unwrap();
        assert!(close(s.unit(i), e.embedding.as_slice().unwrap(), 1e-6));
        assert!((s.norms()[i] - e.norm).abs() < 1e-5);
    }
    let Some(Lookup::Subword(v)) = s.lookup("kingdom") else {
        panic!("no subword vector")
    };
    assert!(close(
        &v,
        ff.embedding("kingdom").unwrap().as_slice().unwrap(),
        1e-5
    ));

    // Saved as fifu, the fastText subwords are kept.
    let out = dir.path().join("m.fifu");
    save(
        &s,
        &out,
        &SaveOptions {
            format: Format::Fifu,
            progress: None,
        },
    )
    .unwrap();
    let back = read_ff(&out);
    assert!(matches!(back.vocab(), VocabWrap::FastTextSubwordVocab(_)));
    assert_eq!(back.storage().shape().0, WORDS.len() + 20);
}

#[test]
fn fasttext_bin_hostile_headers() {
    let dir = tmp();
    let good = fasttext_bytes();
    let d = dir.path();
    let patched = |name: &str, at: usize, v: &[u8]| {
        let mut b = good.clone();
        b[at..at + v.len()].copy_from_slice(v);
        write_bytes(d, name, &b)
    };
    expect_format_error(
        &patched("magic", 0, &1u32.to_le_bytes()),
        Format::FastTextBin,
        "magic",
    );
    expect_format_error(
        &patched("version", 4, &13u32.to_le_bytes()),
        Format::FastTextBin,
        "version 13",
    );
    // The vocabulary size follows the 64-byte header.
    expect_format_error(
        &patched("size", 64, &u32::MAX.to_le_bytes()),
        Format::FastTextBin,
        "claims",
    );
    // Buckets (args index 8) no longer match the matrix.
    expect_format_error(
        &patched("buckets", 8 + 32, &21u32.to_le_bytes()),
        Format::FastTextBin,
        "buckets",
    );
    expect_format_error(
        &patched("minn", 8 + 36, &0u32.to_le_bytes()),
        Format::FastTextBin,
        "n-grams",
    );
    let mut b = good.clone();
    let n = b.len();
    b.truncate(n - 4);
    expect_format_error(&write_bytes(d, "short", &b), Format::FastTextBin, "remain");
}

#[test]
fn embedded_bytes_are_shared_not_copied() {
    let mut c = Cursor::new(Vec::new());
    simple_embeddings(false).write_embeddings(&mut c).unwrap();
    let bytes: &'static [u8] = Box::leak(c.into_inner().into_boxed_slice());
    let l = embx::io::load_static("demo", bytes).unwrap();
    assert_eq!(l.space.source().storage, Storage::Embedded);
    assert!(l.space.matrix().is_shared());
    assert_eq!(l.space.len(), WORDS.len());
}

#[test]
fn explicit_subwords_are_read() {
    use finalfusion::subword::ExplicitIndexer;
    use finalfusion::vocab::ExplicitSubwordVocab;
    let ngrams: Vec<String> = ["<ki", "kin", "ing", "ng>", "dom"]
        .map(String::from)
        .to_vec();
    let vocab = ExplicitSubwordVocab::new(words(), 3, 3, ExplicitIndexer::new(ngrams));
    let rows = WORDS.len() + 5;
    let mut m = Array2::from_shape_vec((rows, 4), random(rows * 4, 41)).unwrap();
    let mut known = m.slice_mut(ndarray::s![0..WORDS.len(), ..]).to_owned();
    let norms = unit_rows(&mut known);
    m.slice_mut(ndarray::s![0..WORDS.len(), ..]).assign(&known);
    let ff = Embeddings::new(None, vocab, NdArray::new(m), NdNorms::new(norms));
    let dir = tmp();
    let path = dir.path().join("explicit.fifu");
    write_ff(&path, &ff);
    let s = load(&path, &opts(MmapMode::Never)).unwrap().space;
    assert_eq!(s.vocab().iter().collect::<Vec<_>>(), WORDS);
    let Some(Lookup::Subword(v)) = s.lookup("kingdom") else {
        panic!("no subword vector")
    };
    assert!(close(
        &v,
        &unit(ff.embedding("kingdom").unwrap().as_slice().unwrap()),
        1e-5
    ));
    assert!(s.subwords().unwrap().describe().contains("explicit"));
}

#[test]
fn fasttext_without_subwords_uses_the_word_rows() {
    let dir = tmp();
    let mut b = fasttext_bytes();
    // maxn (args index 10) = 0: fastText then uses the word rows alone.
    b[8 + 40..8 + 44].copy_from_slice(&0u32.to_le_bytes());
    let path = write_bytes(dir.path(), "nosub.bin", &b);
    let o = LoadOptions {
        format: Some(Format::FastTextBin),
        ..LoadOptions::default()
    };
    let s = load(&path, &o).unwrap().space;
    assert!(s.subwords().is_none());
    assert_eq!(s.lookup("kingdom"), None);
    // The word rows follow the 64-byte header, the vocabulary, the flag and the shape.
    let vocab_bytes: usize = 28 + WORDS.iter().map(|w| w.len() + 10).sum::<usize>();
    let at = 64 + vocab_bytes + 1 + 16;
    let row: Vec<f32> = b[at..at + 16]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect();
    assert!(close(s.unit(0), &unit(&row), 1e-6));
}
