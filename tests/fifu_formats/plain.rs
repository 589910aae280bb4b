//! finalfusion files with a plain vocabulary: storage kinds, missing norms, bad rows, writing.
use super::{
    close, metadata, opts, quantized_bytes, random, read_ff, simple_embeddings, tmp, unit,
    unit_rows, words, write_bytes, write_ff, Raw, WORDS,
};
use embx::io::{load, save, MmapMode, SaveOptions};
use embx::space::Storage;
use embx::{Format, Lookup};
use finalfusion::io::WriteEmbeddings;
use finalfusion::prelude::*;
use finalfusion::vocab::Vocab as _;
use ndarray::Array2;
use std::io::{BufReader, Cursor};

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
