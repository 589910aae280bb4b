//! The analogy-evaluation kernel: many questions against many rows at once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
// criterion_group! and criterion_main! define undocumented public functions.
#![allow(missing_docs)]
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use embx::eval::scan::{top_k_many, Batch, Scoring};

fn rng(seed: &mut u64) -> f32 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    (*seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5
}

fn unit_rows(n: usize, dim: usize, seed: &mut u64) -> Vec<f32> {
    let mut m: Vec<f32> = (0..n * dim).map(|_| rng(seed)).collect();
    for row in m.chunks_mut(dim) {
        let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
        row.iter_mut().for_each(|x| *x /= norm);
    }
    m
}

fn bench(c: &mut Criterion) {
    let (rows, dim, words, questions) = (100_000, 50, 900, 4_000);
    let mut seed = 0x2545f4914f6cdd1d;
    let matrix = unit_rows(rows, dim, &mut seed);
    let vectors = unit_rows(words, dim, &mut seed);
    let pick = |s: &mut u64| ((rng(s) + 0.5) * words as f32) as u32 % words as u32;
    let terms: Vec<[u32; 3]> = (0..questions)
        .map(|_| [pick(&mut seed), pick(&mut seed), pick(&mut seed)])
        .collect();
    let exclude: Vec<[u32; 3]> = terms.clone();
    let mut group = c.benchmark_group("analogy_batch_100k_x50");
    group.sample_size(10);
    group.throughput(Throughput::Elements(questions as u64));
    for scoring in [Scoring::Add, Scoring::Mul] {
        let batch = Batch {
            vectors: &vectors,
            terms: &terms,
            exclude: &exclude,
            scoring,
            k: 5,
            floor: f32::NEG_INFINITY,
        };
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{scoring:?}")),
            &batch,
            |b, batch| b.iter(|| top_k_many(&matrix, dim, rows, batch, None).unwrap()),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
