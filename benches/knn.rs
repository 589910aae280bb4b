//! Top-10 neighbour search: the exact f32 scan against the int8 pre-filter.
//!
//! `cargo bench --bench knn`. A random 400,000 × 50 space is generated here; when
//! `EMBX_BENCH_GLOVE` names a vector file (e.g. GloVe 6B 50d), it is queried too, as
//! `similar` does (the word's unit row, the word excluded), after checking that both paths
//! give identical lists. The query words are those of `EMBX_BENCH_QUERIES` (one a line) or
//! else the 200 words from rank 100 on. The `scan` group times the pieces around it: one
//! read of the 400k × 50 matrix (the floor for any scan), the exact scan on spaces that fit
//! in cache (the kernel's own speed), 3CosMul and the close-spelling suggestions.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
// criterion_group! and criterion_main! define undocumented public functions.
#![allow(missing_docs)]
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use embx::format::Format;
use embx::query::{analogy, suggest, top_k, top_k_exact, Method};
use embx::space::{SourceInfo, Storage, Vocab};
use embx::Space;

/// A random space of unit rows (xorshift64*, uniform components).
fn random_space(rows: usize, dim: usize, seed: u64) -> Space {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let x = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    };
    let mut vocab = Vocab::with_capacity(rows, rows * 7);
    for i in 0..rows {
        vocab.push(&format!("w{i}")).unwrap();
    }
    let data = (0..rows * dim).map(|_| next()).collect();
    let source = SourceInfo {
        path: "random".into(),
        format: Format::Glove,
        storage: Storage::Array,
        metadata: None,
        file_bytes: 0,
    };
    Space::from_raw(vocab, dim, data, source)
}

/// Queries like `similar(word)`: the row's unit vector, the row excluded.
fn row_queries(space: &Space, rows: impl Iterator<Item = usize>) -> Vec<(Vec<f32>, u32)> {
    rows.map(|i| (space.unit(i).to_vec(), i as u32)).collect()
}

fn compare(c: &mut Criterion, name: &str, space: &Space, queries: &[(Vec<f32>, u32)]) {
    for (q, row) in queries {
        assert_eq!(
            top_k(space, q, 10, &[*row], None),
            top_k_exact(space, q, 10, &[*row], None),
            "{name}: the pre-filter changed the neighbours of row {row}"
        );
    }
    let mut group = c.benchmark_group(format!("top10/{name}"));
    group.sample_size(50);
    for (label, f) in [
        (
            "exact",
            top_k_exact as fn(&Space, &[f32], usize, &[u32], Option<usize>) -> _,
        ),
        ("prefilter", top_k),
    ] {
        group.bench_function(BenchmarkId::from_parameter(label), |b| {
            let mut i = 0;
            b.iter(|| {
                let (q, row) = &queries[i % queries.len()];
                i += 1;
                black_box(f(space, q, 10, &[*row], None))
            })
        });
    }
    group.finish();
}

fn random(c: &mut Criterion) {
    let space = random_space(400_000, 50, 1);
    let queries = row_queries(&space, (0..200).map(|i| i * 1999));
    compare(c, "random-400k-50d", &space, &queries);
}

fn glove(c: &mut Criterion) {
    let Some(path) = std::env::var_os("EMBX_BENCH_GLOVE") else {
        return;
    };
    let space = embx::io::load(path.as_ref(), &Default::default())
        .expect("EMBX_BENCH_GLOVE names a readable vector file")
        .space;
    let rows: Vec<usize> = match std::env::var_os("EMBX_BENCH_QUERIES") {
        Some(p) => std::fs::read_to_string(p)
            .expect("EMBX_BENCH_QUERIES names a readable file")
            .split_whitespace()
            .map(|w| space.index(w).expect("query word in the vocabulary") as usize)
            .collect(),
        None => (100..300).collect(),
    };
    let queries = row_queries(&space, rows.into_iter());
    compare(c, "glove", &space, &queries);
}

/// The scan's floor and its kernel, and the other whole-vocabulary passes.
fn scans(c: &mut Criterion) {
    let mut group = c.benchmark_group("scan");
    group.sample_size(30);
    for dim in [50, 300] {
        // 600,000 floats: the rows stay in cache, so this is the kernel, not the memory.
        let space = random_space(600_000 / dim, dim, 1);
        let q = space.unit(7).to_vec();
        group.bench_function(BenchmarkId::new("exact-in-cache", format!("{dim}d")), |b| {
            b.iter(|| black_box(top_k_exact(&space, &q, 10, &[], None)))
        });
    }
    let big = random_space(400_000, 50, 1);
    let data = big.matrix().as_slice();
    group.bench_function("read-400k-50d", |b| {
        b.iter(|| {
            let lanes = data.chunks_exact(16).fold([0.0f32; 16], |mut acc, c| {
                acc.iter_mut().zip(c).for_each(|(a, x)| *a += x);
                acc
            });
            black_box(lanes)
        })
    });
    group.bench_function("3cosmul-400k-50d", |b| {
        b.iter(|| black_box(analogy(&big, "w1", "w2", "w3", 10, Method::Mul, false).unwrap()))
    });
    group.bench_function("suggest-400k", |b| {
        b.iter(|| black_box(suggest(&big, "w123456", 3)))
    });
    group.finish();
}

criterion_group!(benches, random, glove, scans);
criterion_main!(benches);
