//! The formats other tools save: old fastText `.bin` (before 0.2), Spark MLlib models,
//! Projector TSV and NumPy `.npy` with a word list. Fixtures under tests/data were made by
//! the scripts beside them; the expected answers are those of gensim, fastText and Spark.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
use embx::io::{load, load_with_words, save, LoadOptions, SaveOptions};
use embx::{Format, Lookup, Space};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

fn json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(data(path)).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

fn unit(v: &[f32]) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.iter().map(|x| x / n).collect()
}

fn assert_close(a: &[f32], b: &[f32], tol: f32, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= tol, "{what}: {a:?} vs {b:?}");
    }
}

fn same_neighbours(space: &Space, want: &Value, tol: f32) {
    for (word, list) in want.as_object().unwrap() {
        let answer = embx::query::similar(space, &[word], 5).unwrap();
        let got: Vec<(&str, f32)> = answer
            .hits
            .iter()
            .map(|h| (space.word(h.index as usize), h.score))
            .collect();
        for ((w, s), e) in got.iter().zip(list.as_array().unwrap()) {
            assert_eq!(*w, e[0].as_str().unwrap(), "{word}: {got:?} vs {list}");
            assert!(
                (s - e[1].as_f64().unwrap() as f32).abs() < tol,
                "{word}: {got:?}"
            );
        }
    }
}

#[test]
fn old_fasttext_bin_reads_as_gensim_reads_it() {
    let e = json("fasttext-old/expected.json");
    let loaded = load(&data("fasttext-old/old.bin"), &LoadOptions::default()).unwrap();
    let space = loaded.space;
    assert_eq!(space.source().format, Format::FastTextBin);
    let words: Vec<&str> = space.vocab().iter().collect();
    let want: Vec<&str> = e["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(words, want);
    for (w, v) in e["vectors"].as_object().unwrap() {
        let row = space.index(w).unwrap() as usize;
        assert_close(&space.vector(row), &floats(v), 1e-5, w);
    }
    for (w, v) in e["oov"].as_object().unwrap() {
        let Some(Lookup::Subword(u)) = space.lookup(w) else {
            panic!("{w} should get a vector from its n-grams");
        };
        assert_close(&u, &unit(&floats(v)), 1e-5, w);
        assert_close(
            &floats(v),
            &floats(&e["fasttext_oov"][w]),
            1e-5,
            "gensim = fastText",
        );
    }
    same_neighbours(&space, &e["neighbours"], 1e-5);
}

#[test]
fn old_fasttext_bin_damaged_is_a_clean_error() {
    let bytes = std::fs::read(data("fasttext-old/old.bin")).unwrap();
    // The output matrix at the end (83 words × 12 and its 16-byte shape) is not read.
    let needed = bytes.len() - (83 * 12 * 4 + 16);
    for cut in (1..needed).step_by(331) {
        let r = embx::io::load_bytes("old.bin", bytes[..cut].to_vec(), &LoadOptions::default());
        let e = r.unwrap_err();
        assert!(
            e.is_bad_input() && e.to_string().starts_with("old.bin"),
            "{e}"
        );
    }
}

#[cfg(feature = "spark")]
#[test]
fn spark_models_both_layouts() {
    let e = json("spark/expected.json");
    for dir in ["spark/model", "spark/model-pre2.2"] {
        let space = load(&data(dir), &LoadOptions::default()).unwrap().space;
        assert_eq!(space.source().format, Format::Spark);
        assert_eq!(space.len(), e["words"].as_array().unwrap().len(), "{dir}");
        for (w, v) in e["vectors"].as_object().unwrap() {
            let row = space.index(w).unwrap() as usize;
            assert_close(&space.vector(row), &floats(v), 1e-6, w);
        }
        same_neighbours(&space, &e["synonyms"], 1e-4);
    }
    let dir = tempfile::tempdir().unwrap();
    let e = load(dir.path(), &LoadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("metadata"), "{e}");
}

fn small_space() -> Space {
    let text = "the 0.5 -1.25 3\nof 1e-3 2 -0.5\ncafé 0 0 1\nnew\u{a0}york 1 1 1\n";
    embx::io::load_bytes("v.txt", text.as_bytes().to_vec(), &LoadOptions::default())
        .unwrap()
        .space
}

#[test]
fn projector_tsv_round_trip() {
    let space = small_space();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("vectors.tsv");
    let opts = SaveOptions {
        format: Format::Projector,
        progress: None,
    };
    save(&space, &out, &opts).unwrap();
    let meta = std::fs::read_to_string(dir.path().join("metadata.tsv")).unwrap();
    assert_eq!(meta, "the\nof\ncafé\nnew\u{a0}york\n");
    let tsv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(tsv.lines().next().unwrap(), "0.5\t-1.25\t3");
    let back = load(&out, &LoadOptions::default()).unwrap().space;
    assert_eq!(back.source().format, Format::Projector);
    assert_eq!(
        back.vocab().iter().collect::<Vec<_>>(),
        space.vocab().iter().collect::<Vec<_>>()
    );
    for i in 0..space.len() {
        assert_close(&back.vector(i), &space.vector(i), 1e-6, "row");
    }
    // Labels from a metadata file with several columns (a header line), given with --words.
    let labels = dir.path().join("labels.tsv");
    std::fs::write(&labels, "word\tcount\na\t1\nb\t2\nc\t3\nd\t4\n").unwrap();
    let back = load_with_words(&out, Some(&labels), &LoadOptions::default())
        .unwrap()
        .space;
    assert_eq!(
        back.vocab().iter().collect::<Vec<_>>(),
        ["a", "b", "c", "d"]
    );
    std::fs::write(&labels, "a\nb\n").unwrap();
    let e = load_with_words(&out, Some(&labels), &LoadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("labels.tsv") && e.contains("2 words") && e.contains("4 rows"),
        "{e}"
    );
}

#[test]
fn projector_refuses_words_it_cannot_label() {
    use embx::space::{SourceInfo, Storage, Vocab};
    let mut vocab = Vocab::new();
    vocab.push("a\tb").unwrap();
    vocab.push("c").unwrap();
    let source = SourceInfo {
        path: "v".into(),
        format: Format::Glove,
        storage: Storage::Array,
        metadata: None,
        file_bytes: 0,
    };
    let space = Space::from_raw(vocab, 2, vec![1., 2., 3., 4.], source);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("vectors.tsv");
    let opts = SaveOptions {
        format: Format::Projector,
        progress: None,
    };
    assert!(save(&space, &out, &opts).is_err());
    assert!(!out.exists() && !dir.path().join("metadata.tsv").exists());
}

#[test]
fn npy_matrix_with_word_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }".to_owned();
    while !(10 + header.len() + 1).is_multiple_of(64) {
        header.push(' ');
    }
    header.push('\n');
    let mut b = b"\x93NUMPY\x01\x00".to_vec();
    b.extend_from_slice(&(header.len() as u16).to_le_bytes());
    b.extend_from_slice(header.as_bytes());
    for v in [1f32, 0., 0., 1., 1., 1.] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    let npy = dir.path().join("emb.npy");
    std::fs::write(&npy, &b).unwrap();
    let e = load(&npy, &LoadOptions::default()).unwrap_err().to_string();
    assert!(e.contains("emb.npy") && e.contains("--words"), "{e}");
    std::fs::write(dir.path().join("emb.txt"), "x\ny\nz\n").unwrap();
    let space = load(&npy, &LoadOptions::default()).unwrap().space;
    assert_eq!(space.source().format, Format::Npy);
    assert_eq!(space.vocab().iter().collect::<Vec<_>>(), ["x", "y", "z"]);
    assert_close(&space.vector(2), &[1.0, 1.0], 1e-6, "z");
    let answer = embx::query::similar(&space, &["z"], 2).unwrap();
    assert!((answer.hits[0].score - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
}
