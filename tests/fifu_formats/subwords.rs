//! Subword vocabularies: finalfusion buckets, explicit n-grams and fastText .bin models.
use super::{
    bucket_embeddings, close, fasttext_bytes, opts, random, read_ff, tmp, unit, unit_rows, words,
    write_bytes, write_ff, WORDS,
};
use embx::io::{load, save, LoadOptions, MmapMode, SaveOptions};
use embx::space::Storage;
use embx::{Format, Lookup};
use finalfusion::norms::NdNorms;
use finalfusion::prelude::*;
use finalfusion::storage::{NdArray, Storage as _};
use finalfusion::vocab::FastTextSubwordVocab;
use ndarray::Array2;
use std::io::Cursor;

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
