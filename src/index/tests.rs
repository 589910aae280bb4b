use super::*;
use crate::format::Format;
use crate::io::{self, LoadOptions, SaveOptions};
use crate::query::test_util::random_space;
use crate::query::{top_k, top_k_exact};

/// A random space written to a word2vec file in `dir` and read back (so it has a file).
fn saved(dir: &Path, rows: usize, dim: usize, seed: u64) -> Space {
    let path = dir.join("v.bin");
    let s = random_space(rows, dim, seed);
    let opts = SaveOptions {
        format: Format::Word2VecBinary,
        progress: None,
    };
    io::save(&s, &path, &opts).unwrap();
    io::load(&path, &LoadOptions::default()).unwrap().space
}

fn params() -> Params {
    Params {
        m: 8,
        ef_construction: 64,
        seed: 3,
    }
}

#[test]
fn wide_search_equals_exact_and_narrow_search_recalls() {
    let dir = tempfile::tempdir().unwrap();
    let s = saved(dir.path(), 3000, 16, 11);
    // One thread: the graph is then the same on every run, so the exactness of the wide
    // search below does not depend on how parallel insertions happened to interleave.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let path = pool
        .install(|| build_and_save(&s, &params(), None))
        .unwrap();
    assert_eq!(path, paths_for(&s.source().path)[0]);
    let Status::Ready(h) = status(&s).unwrap() else {
        panic!("the index was just built")
    };
    // ef = all rows: the beam reaches every row, so the answers are exact.
    let wide = Hnsw::open(&path, &s, Identity::of(&s).unwrap())
        .unwrap()
        .unwrap()
        .with_ef(3000);
    let (mut hit, mut total) = (0, 0);
    for q in (0..3000).step_by(97) {
        let v = s.unit(q).to_vec();
        let exact = top_k_exact(&s, &v, 10, &[], None);
        let want: Vec<u32> = exact.iter().map(|h| h.index).collect();
        assert_eq!(wide.search(&s, &v, 10), want);
        let got = h.search(&s, &v, 10);
        hit += want.iter().filter(|r| got.contains(r)).count();
        total += 10;
    }
    assert!(hit as f64 / total as f64 >= 0.9, "recall {hit}/{total}");
}

#[test]
fn attached_index_answers_top_k_with_exact_scores() {
    let dir = tempfile::tempdir().unwrap();
    let s = saved(dir.path(), 2000, 8, 12);
    build_and_save(&s, &params(), None).unwrap();
    assert!(matches!(attach(&s).unwrap(), Status::Ready(_)));
    assert!(s.neighbour_index().is_some());
    let v = s.unit(5).to_vec();
    let got = top_k(&s, &v, 5, &[5], None);
    let exact = top_k_exact(&s, &v, 5, &[5], None);
    assert!(got.iter().all(|h| h.index != 5));
    // Every returned score is the exact cosine of that row.
    for h in &got {
        assert_eq!(
            h.score,
            top_k_exact(&s, &v, 2000, &[], None)[..]
                .iter()
                .find(|e| e.index == h.index)
                .unwrap()
                .score
        );
    }
    assert_eq!(got[0], exact[0]);
}

#[test]
fn a_changed_file_makes_the_index_stale() {
    let dir = tempfile::tempdir().unwrap();
    let s = saved(dir.path(), 500, 8, 13);
    build_and_save(&s, &params(), None).unwrap();
    assert!(matches!(status(&s).unwrap(), Status::Ready(_)));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let s2 = saved(dir.path(), 500, 8, 14);
    assert!(matches!(status(&s2).unwrap(), Status::Stale(..)));
    assert!(matches!(attach(&s2).unwrap(), Status::Stale(..)));
    assert!(s2.neighbour_index().is_none());
}

#[test]
fn damaged_index_files_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let s = saved(dir.path(), 300, 4, 15);
    let path = build_and_save(&s, &params(), None).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    for cut in [0, 7, 40, HEADER + 3, bytes.len() - 1] {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        assert!(status(&s).is_err(), "cut at {cut}");
    }
    let mut bad = bytes.clone();
    bad[16] = 0; // m0 = 0
    std::fs::write(&path, &bad).unwrap();
    assert!(status(&s).is_err());
}
