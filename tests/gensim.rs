//! gensim's native saves (tests/data/gensim, made by make.py there with gensim 4.4) read as
//! gensim reads them: same words, counts, vectors and neighbours; FastText's unknown words
//! get the vectors gensim gives them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
use embx::io::{load, LoadOptions};
use embx::{Format, Lookup, Space};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/gensim")
        .join(name)
}

fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(data("expected.json")).unwrap()).unwrap()
}

fn open(name: &str) -> Space {
    let loaded = load(&data(name), &LoadOptions::default()).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.space.source().format, Format::Gensim);
    loaded.space
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

fn floats(v: &Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

/// The (unnormalised) vector embx gives `word`.
fn vector(space: &Space, word: &str) -> Vec<f32> {
    match space.lookup(word).unwrap() {
        Lookup::Known(i) => space.vector(i as usize),
        Lookup::Subword(_) => space.subwords().unwrap().embed(word).unwrap(),
    }
}

fn assert_close(a: &[f32], b: &[f32], tol: f32, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= tol, "{what}: {a:?} vs {b:?}");
    }
}

fn same_neighbours(space: &Space, want: &Value) {
    for (word, list) in want.as_object().unwrap() {
        let answer = embx::query::similar(space, &[word], 5).unwrap();
        let got: Vec<(&str, f32)> = answer
            .hits
            .iter()
            .map(|h| (space.word(h.index as usize), h.score))
            .collect();
        for ((w, s), e) in got.iter().zip(list.as_array().unwrap()) {
            assert_eq!(*w, e[0].as_str().unwrap(), "{word}: {got:?} vs {list}");
            assert!((s - e[1].as_f64().unwrap() as f32).abs() < 1e-5, "{word}");
        }
    }
}

#[test]
fn keyed_vectors_with_arrays_inside_the_pickle() {
    let e = expected();
    let space = open("kv.kv");
    let words: Vec<&str> = space.vocab().iter().collect();
    assert_eq!(words, strings(&e["words"]));
    assert_eq!(space.dim(), 12);
    let counts: Vec<u64> = e["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .collect();
    assert_eq!(space.counts(), Some(counts.as_slice()));
    assert_close(
        &space.vector(0),
        &floats(&e["kv_first_vector"]),
        1e-6,
        "row 0",
    );
    same_neighbours(&space, &e["w2v_neighbours"]);
}

#[test]
fn word2vec_model_with_npy_side_files() {
    let e = expected();
    let space = open("w2v.model");
    assert_eq!(space.len(), strings(&e["words"]).len());
    assert!(space.counts().is_some());
    same_neighbours(&space, &e["w2v_neighbours"]);
}

#[test]
fn fasttext_models_with_ngram_buckets() {
    let e = expected();
    for name in ["ft.model", "ft_small.model"] {
        let space = open(name);
        let words: Vec<&str> = space.vocab().iter().collect();
        assert_eq!(words, strings(&e["ft_words"]), "{name}");
        for (w, v) in e["ft_vectors"].as_object().unwrap() {
            assert_close(&vector(&space, w), &floats(v), 1e-5, w);
        }
        for (w, v) in e["ft_oov"].as_object().unwrap() {
            assert!(space.index(w).is_none(), "{w} should be unknown");
            assert_close(&vector(&space, w), &floats(v), 1e-5, w);
        }
        same_neighbours(&space, &e["ft_neighbours"]);
        same_neighbours(&space, &e["ft_oov_neighbours"]);
    }
}

#[test]
fn missing_side_file_and_other_pickles_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("w2v.model");
    std::fs::copy(data("w2v.model"), &copy).unwrap();
    let e = load(&copy, &LoadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("w2v.model") && e.contains("w2v.model.wv.vectors.npy"),
        "{e}"
    );
    assert!(e.contains("missing"), "{e}");

    // pickle.dumps({'a': 1}, protocol=4): a pickle, but no gensim save.
    let plain = dir.path().join("plain.pkl");
    std::fs::write(
        &plain,
        b"\x80\x04\x95\n\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01a\x94K\x01s.",
    )
    .unwrap();
    let e = load(&plain, &LoadOptions::default()).unwrap_err();
    assert!(e.is_bad_input());
    let e = e.to_string();
    assert!(e.contains("plain.pkl") && e.contains("not a gensim"), "{e}");

    // Every prefix of a real save fails cleanly.
    let bytes = std::fs::read(data("kv.kv")).unwrap();
    for cut in (0..bytes.len()).step_by(97) {
        let r = embx::io::load_bytes("kv.kv", bytes[..cut].to_vec(), &LoadOptions::default());
        assert!(r.is_err(), "cut {cut}");
    }
}
