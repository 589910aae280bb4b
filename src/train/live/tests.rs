use crate::query::test_util::random_space;
use crate::query::{top_k, top_k_batch, top_k_exact, Hit};
use crate::space::{Matrix, SourceInfo, Space, SpaceParts, Storage};
use crate::train::{train_from, Base, Config, Corpus, Monitor, ReadOptions};

/// A corpus over the base's words w0..w59 plus ten new words, in two topics.
fn corpus() -> Corpus {
    let mut text = String::new();
    for s in 0..600u64 {
        let (first, new) = if s % 2 == 0 { (0, "x") } else { (30, "y") };
        for i in 0..12u64 {
            let w = (s * 7 + i * 13) % 30;
            if i % 4 == 3 {
                text.push_str(&format!("{new}{} ", w % 5));
            } else {
                text.push_str(&format!("w{} ", first + w));
            }
        }
        text.push('\n');
    }
    Corpus::from_text(&text, ReadOptions::default())
}

fn config() -> Config {
    Config {
        dim: 16,
        epochs: 2,
        min_count: 1,
        threads: 1,
        seed: 3,
        ..Config::default()
    }
}

/// The same vectors in an ordinary (owned) matrix.
fn copied(s: &Space) -> Space {
    Space::new(SpaceParts {
        vocab: s.vocab().clone(),
        matrix: Matrix::from_vec(s.len(), s.dim(), s.matrix().as_slice().to_vec()),
        norms: s.norms().to_vec(),
        counts: None,
        subwords: None,
        source: SourceInfo {
            path: "copy".into(),
            format: crate::format::Format::Fifu,
            storage: Storage::Array,
            metadata: None,
            file_bytes: 0,
        },
    })
}

fn same_rows(a: &[Hit], b: &[Hit]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.index == y.index && (x.score - y.score).abs() < 1e-5)
}

#[test]
fn the_view_of_a_continued_run_reads_unchanged_rows_in_place_and_answers_as_a_copy() {
    let base = random_space(3000, 16, 11);
    let monitor = Monitor::new();
    let b = Base {
        space: &base,
        output: None,
    };
    let trained = train_from(&corpus(), &config(), &monitor, Some(b)).unwrap();
    let live = monitor.live().expect("the run started").clone();
    let view = live.view("live", None);
    let copy = live.space("live", None);
    assert!(view.matrix().is_patched());
    assert_eq!(view.len(), 3010);
    // Only the corpus's 70 words were copied.
    assert_eq!(view.matrix().heap_bytes(), 70 * 16 * 4 + 70 * 4);
    // Words outside the corpus are the base's rows, bit for bit.
    for r in [100usize, 2999] {
        assert_eq!(view.unit(r), base.unit(r));
        assert_eq!(view.norms()[r], base.norms()[r]);
    }
    // Trained rows moved, and are those of the copy and of the result.
    let w3 = view.index("w3").unwrap() as usize;
    assert_ne!(view.unit(w3), base.unit(w3));
    assert_eq!(view.unit(w3), copy.unit(w3));
    assert_eq!(view.unit(3005), trained.space.unit(3005));
    let plain = copied(&view);
    let queries: Vec<Vec<f32>> = [3usize, 40, 700, 3001, 3009]
        .iter()
        .map(|&r| view.unit(r).to_vec())
        .collect();
    for q in &queries {
        for k in [1, 10, 3010] {
            let got = top_k(&view, q, k, &[], None);
            // The in-place scan is exactly the scan of the same rows in one slice ...
            assert_eq!(got, top_k_exact(&plain, q, k, &[], None));
            // ... and the copied space's answer (whose rows are renormalised: ≤ 1 ulp apart).
            assert!(same_rows(&got, &top_k(&copy, q, k, &[], None)));
            assert!(same_rows(&got, &top_k(&trained.space, q, k, &[], None)));
        }
        assert_eq!(
            top_k(&view, q, 5, &[3, 5], Some(2000)),
            top_k(&plain, q, 5, &[3, 5], Some(2000))
        );
    }
    let excludes: Vec<Vec<u32>> = (0..queries.len() as u32).map(|i| vec![i * 11]).collect();
    assert_eq!(
        top_k_batch(&view, &queries, 8, &excludes, None),
        top_k_batch(&plain, &queries, 8, &excludes, None)
    );
}

#[test]
fn runs_without_a_base_are_copied() {
    let monitor = Monitor::new();
    let t = crate::train::train(&corpus(), &config(), &monitor).unwrap();
    let live = monitor.live().expect("the run started").clone();
    let view = live.view("live", None);
    assert!(!view.matrix().is_patched());
    assert_eq!(view.matrix().as_slice(), t.space.matrix().as_slice());
}

/// The watch words' neighbours from the kept rows equal a full scan of the view, refresh after
/// refresh, as the words move a little (kept rows decide) or far (scanned again).
#[test]
fn watch_neighbours_equal_full_scans_as_words_move() {
    use crate::query::test_util::XorShift;
    use crate::space::Vocab;
    use crate::train::shared::SharedMatrix;
    use std::sync::Arc;
    let base = random_space(6000, 16, 5);
    let changing: Vec<u32> = (0..40).map(|i| i * 7).chain(6000..6005).collect();
    let mut vocab = Vocab::with_capacity(6005, 6005 * 6);
    for i in 0..6005 {
        vocab.push(&format!("w{i}")).unwrap();
    }
    let input = SharedMatrix::from_fn(6005, 16, |i| {
        let (r, c) = (i / 16, i % 16);
        if r < 6000 {
            base.unit(r)[c] * base.norms()[r]
        } else {
            ((i * 37) % 11) as f32 - 5.0
        }
    });
    let input = Arc::new(input);
    let live = super::Live::new(
        vocab,
        vec![1; 6005],
        input.clone(),
        Arc::new(SharedMatrix::zeros(6005, 16)),
    )
    .with_base(base.clone(), changing.clone());
    let watch = [0usize, 7, 14, 6001, 500];
    let mut r = XorShift::new(9);
    for step in 0..12 {
        // Move the corpus's rows: a little most of the time, far every fourth step.
        let size = if step % 4 == 3 { 2.0 } else { 0.01 };
        for &row in &changing {
            let mut v = vec![0.0; 16];
            input.load(row as usize, &mut v);
            v.iter_mut().for_each(|x| *x += size * r.f32());
            input.store(row as usize, &v);
        }
        let view = live.view("live", None);
        for k in [1, 6, 30] {
            let got = live.neighbours(&view, &watch, k);
            let queries: Vec<Vec<f32>> = watch.iter().map(|&w| view.unit(w).to_vec()).collect();
            let ex: Vec<Vec<u32>> = watch.iter().map(|&w| vec![w as u32]).collect();
            let want: Vec<Vec<(f32, usize)>> = top_k_batch(&view, &queries, k, &ex, None)
                .into_iter()
                .map(|h| h.into_iter().map(|h| (h.score, h.index as usize)).collect())
                .collect();
            assert_eq!(got, want, "step {step}, k {k}");
        }
    }
    // The first refresh scanned each word; far moves scan again, small ones do not.
    let scans = live.watch_rescans();
    assert!(scans >= watch.len(), "{scans}");
    assert!(scans < 12 * 3 * watch.len() / 2, "{scans}");
}
