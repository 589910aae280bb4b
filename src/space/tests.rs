//! Tests of the space's constructors and lookups.
use super::*;

pub(crate) fn tiny() -> Space {
    let mut vocab = Vocab::new();
    for w in ["a", "b", "zero"] {
        vocab.push(w).unwrap();
    }
    let source = SourceInfo {
        path: "tiny".into(),
        format: Format::Glove,
        storage: Storage::Array,
        metadata: None,
        file_bytes: 0,
    };
    Space::from_raw(vocab, 2, vec![3.0, 4.0, 0.0, -2.0, 0.0, 0.0], source)
}

#[test]
fn rows_are_unit_and_norms_kept() {
    let s = tiny();
    assert_eq!(s.unit(0), &[0.6, 0.8]);
    assert_eq!(s.norms(), &[5.0, 2.0, 0.0]);
    assert_eq!(s.vector(1), vec![0.0, -2.0]);
    assert_eq!(s.unit(2), &[0.0, 0.0]);
    let st = s.norm_stats().unwrap();
    assert_eq!((st.min, st.max, st.median, st.zero), (0.0, 5.0, 2.0, 1));
    assert_eq!(s.lookup("b"), Some(Lookup::Known(1)));
    assert_eq!(s.lookup("c"), None);
}

#[test]
fn norm_stats_equal_those_of_the_sorted_norms() {
    let mut x = 7u64;
    for n in [1usize, 2, 5, 100, 1001] {
        let norms: Vec<f32> = (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % 1000) as f32 / 10.0
            })
            .collect();
        let mut sorted = norms.clone();
        sorted.sort_by(f32::total_cmp);
        let st = norm_stats(&norms).unwrap();
        assert_eq!(st.min, sorted[0]);
        assert_eq!(st.max, sorted[n - 1]);
        assert_eq!(st.median, sorted[n / 2]);
    }
}
