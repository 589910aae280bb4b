use super::pass::scan_at;
use super::*;
use crate::query::knn::{dot_fast, top_k_exact};
use crate::query::test_util::{low_rank, XorShift};
use std::sync::atomic::Ordering;
use std::sync::OnceLock;

fn make_space(dim: usize, data: Vec<f32>) -> Space {
    crate::query::test_util::space_of(dim, data)
}

/// 6,000 × 128, rank 12 plus noise, with adversarial rows: exact duplicates, rows 1 ulp
/// apart, rows of pure noise (large residuals), NaN rows, a zero row and a huge row.
fn adversarial() -> &'static Space {
    static S: OnceLock<Space> = OnceLock::new();
    S.get_or_init(|| {
        let dim = 128;
        let mut data = low_rank(6000, dim, 12, 0.15, 5);
        let mut r = XorShift::new(77);
        let row = |i: usize| i * dim..(i + 1) * dim;
        for i in 0..40 {
            let (a, b) = (r.below(6000), r.below(6000));
            let src = data[row(a)].to_vec();
            data[row(b)].copy_from_slice(&src);
            if i % 2 == 0 {
                let j = row(b).start + r.below(dim);
                data[j] = f32::from_bits(data[j].to_bits() + 1);
            }
        }
        for i in 100..160 {
            for v in &mut data[row(i)] {
                *v = 3.0 * r.f32();
            }
        }
        data[row(200)].fill(f32::NAN);
        data[row(201).start + 7] = f32::INFINITY;
        data[row(202)].fill(0.0);
        data[row(203)].iter_mut().for_each(|v| *v *= 1e30);
        make_space(dim, data)
    })
}

fn reduced(s: &Space) -> Reduced {
    Reduced::build(s.matrix()).expect("a low-rank space suits the reduced copy")
}

fn red() -> &'static Reduced {
    static R: OnceLock<Reduced> = OnceLock::new();
    R.get_or_init(|| reduced(adversarial()))
}

fn queries(s: &Space) -> Vec<(Vec<f32>, Vec<u32>)> {
    let mut r = XorShift::new(3);
    let mut out = Vec::new();
    for i in [0usize, 5, 100, 101, 203, 999, 4321] {
        out.push((s.unit(i).to_vec(), vec![i as u32]));
    }
    for len in [1.0f32, 40.0, 0.002] {
        let q: Vec<f32> = (0..s.dim()).map(|_| r.f32() * len).collect();
        out.push((q, Vec::new()));
    }
    // A query that lies almost in the residual (pure noise).
    out.push((s.unit(130).iter().map(|v| v * 0.5).collect(), vec![7, 8, 9]));
    out
}

#[test]
fn picks_few_directions_and_bounds_every_row() {
    let s = adversarial();
    let red = red();
    assert!(red.basis.dims() <= 32, "width {}", red.basis.dims());
    for (q, _) in queries(s) {
        let pq = prepare(red, &q).expect("bounded query");
        for (t, tile) in red.codes.chunks_exact(red.tile_bytes()).enumerate() {
            let dots = kernel::tile_dots_portable(tile, &pq.codes, red.basis.dims() / GROUP);
            let live = TILE.min(s.len().saturating_sub(t * TILE));
            for (l, &dot) in dots.iter().enumerate().take(live) {
                let row = t * TILE + l;
                let x = dot_fast(s.unit(row), &q);
                if x.is_nan() {
                    assert!(red.err[row].is_infinite(), "row {row}");
                    continue;
                }
                let a = (red.scale[row] * pq.scale) * dot as f32;
                let b = (red.err[row] * pq.alpha + red.res[row] * pq.beta) + pq.konst;
                assert!(a - b <= x && x <= a + b, "row {row}: {x} not in {a} ± {b}");
            }
        }
    }
}

#[test]
fn answers_equal_the_f32_scan() {
    let s = adversarial();
    let red = red();
    let mut answered = 0;
    for (q, exclude) in queries(s) {
        for k in [1, 10, 37] {
            for limit in [None, Some(4000)] {
                let ex = Exclude::new(&exclude);
                let n = limit.unwrap_or(s.len());
                let want = top_k_exact(s, &q, k, &exclude, limit);
                for parallel in [false, true] {
                    match top_k(s, red, &q, n, k, &ex, parallel) {
                        Some(got) => {
                            assert_eq!(got, want, "k {k}, limit {limit:?}");
                            answered += 1;
                        }
                        // Queries far from the principal directions may leave too many
                        // candidates; rows of the low-rank part never do.
                        None => assert!(exclude.is_empty() || [100, 101, 7].contains(&exclude[0])),
                    }
                }
            }
        }
    }
    assert!(answered >= 5 * 3 * 2 * 2, "{answered}");
}

#[test]
fn every_kernel_gives_the_portable_pass() {
    let s = adversarial();
    let red = red();
    for (q, exclude) in queries(s) {
        let pq = prepare(red, &q).expect("bounded query");
        let ex = Exclude::new(&exclude);
        let shared = Shared(AtomicU32::new(f32::NEG_INFINITY.to_bits()));
        let scan = Scan {
            red,
            q: &pq,
            n: s.len(),
            k: 10,
            ex: &ex,
            shared: &shared,
        };
        let want = scan_at(simd::PORTABLE, &scan, &red.codes, 0);
        for lvl in [AVX2, AVX512, VNNI].into_iter().filter(|&l| l <= level()) {
            shared
                .0
                .store(f32::NEG_INFINITY.to_bits(), Ordering::Relaxed);
            let got = scan_at(lvl, &scan, &red.codes, 0);
            assert_eq!(got.candidates, want.candidates, "level {lvl}");
            let sorted = |mut v: Vec<f32>| {
                v.sort_by(f32::total_cmp);
                v
            };
            assert_eq!(sorted(got.lower), sorted(want.lower.clone()), "level {lvl}");
        }
    }
}

#[test]
fn unbounded_queries_and_large_k_take_another_path() {
    let s = adversarial();
    let red = red();
    let ex = Exclude::new(&[]);
    let mut q = s.unit(3).to_vec();
    q[0] = f32::NAN;
    assert!(top_k(s, red, &q, s.len(), 10, &ex, true).is_none());
    assert!(top_k(s, red, &vec![0.0; 128], s.len(), 10, &ex, true).is_none());
    // More rows asked for than bounded rows exist: no threshold, the exact scan answers.
    let q = s.unit(3).to_vec();
    assert!(top_k(s, red, &q, 50, 60, &ex, true).is_none());
    assert!(top_k(s, red, &q, s.len(), 0, &ex, true).is_none());
}

#[test]
fn spaces_without_a_few_strong_directions_get_no_copy() {
    let mut r = XorShift::new(11);
    let data: Vec<f32> = (0..3000 * 128).map(|_| r.f32()).collect();
    assert!(Reduced::build(make_space(128, data).matrix()).is_none());
    assert!(Reduced::build(make_space(24, low_rank(2000, 24, 4, 0.1, 2)).matrix()).is_none());
}

#[test]
fn big_spaces_route_through_the_copy_from_the_second_query() {
    let s = make_space(128, low_rank(MIN_ROWS + 3000, 128, 10, 0.2, 9));
    let mut r = XorShift::new(4);
    for i in 0..6 {
        let row = r.below(s.len());
        let q = s.unit(row).to_vec();
        let got = crate::query::top_k(&s, &q, 10, &[row as u32], None);
        assert_eq!(got, top_k_exact(&s, &q, 10, &[row as u32], None));
        // The first query scans in f32; the copy is tried from the second on.
        assert_eq!(s.reduced_tried(), i > 0);
    }
    assert!(s.reduced_if_built().is_some() && s.quantized_if_built().is_none());
    let qs: Vec<Vec<f32>> = (0..40).map(|i| s.unit(i * 7).to_vec()).collect();
    let batch = crate::query::top_k_batch(&s, &qs, 5, &[], None);
    for (q, hits) in qs.iter().zip(batch) {
        assert_eq!(hits, top_k_exact(&s, q, 5, &[], None));
    }
}

#[test]
fn few_rows_survive_for_rows_of_the_low_rank_part() {
    let s = adversarial();
    let ex = Exclude::new(&[5]);
    let rows = survivors(red(), s.unit(5), s.len(), 10, &ex, true).expect("bounded");
    // 6,000 rows, 12 directions and noise of 15 %: the bound keeps a few percent at most.
    assert!((10..=300).contains(&rows.len()), "{}", rows.len());
}
