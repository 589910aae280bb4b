//! A finite-difference check of the subword update (skip-gram and CBOW, NS and HS): after one
//! pair, every output row touched has moved by −alpha · ∂L/∂row, and every input row of the
//! word by −alpha · ∂L/∂h, where the hidden vector h is the mean of the word's `n` rows: each
//! row gets the whole gradient with respect to the mean (n · ∂L/∂row), as in fastText's
//! unsupervised models and gensim `FastText`, for skip-gram as for CBOW (a skip-gram step
//! divided by `n` learns the input side `n` times too slowly).
use super::super::{Bufs, Draw, Job, Lcg, Noise};
use super::*;
use crate::train::chunks::Chunks;
use crate::train::hs::Huffman;
use crate::train::shared::Portable;
use crate::train::subword::SubwordRows;
use crate::train::{Monitor, Subwords};

const DIM: usize = 5;

fn bufs() -> Bufs {
    Bufs {
        h: vec![0.0; DIM],
        grad: vec![0.0; DIM],
        tmp: vec![0.0; DIM],
        ins: Vec::new(),
        outs: Vec::new(),
        coef: Vec::new(),
        updates: 1,
        loss: crate::train::pace::Loss::default(),
        hot: None,
    }
}

/// −log σ(±h·o) for the one output row the pair uses (`sign` +1: label 1 / code 0).
fn loss(input: &[Vec<f32>], rows: &[u32], out: &[f32], sign: f64) -> f64 {
    let mut h = [0.0f64; DIM];
    for &r in rows {
        for k in 0..DIM {
            h[k] += f64::from(input[r as usize][k]) / rows.len() as f64;
        }
    }
    let f: f64 = h.iter().zip(out).map(|(a, b)| a * f64::from(*b)).sum();
    (1.0 + (-sign * f).exp()).ln()
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one finite-difference check over the four objectives, read top to bottom"
)]
fn subword_updates_follow_the_gradient() {
    let s = Subwords {
        minn: 3,
        maxn: 3,
        buckets: 1000,
    };
    // Word 0 is predicted from / predicts word 1; a sentence of the two.
    let words = ["abcd", "xyz"];
    let subs = SubwordRows::new(words.into_iter(), &s);
    let mut rng = Lcg::new(3);
    let mut r = || ((rng.next_u64() >> 16) % 2001) as f32 / 2000.0 - 0.5;
    let init: Vec<Vec<f32>> = (0..2 + 1000)
        .map(|_| (0..DIM).map(|_| r()).collect())
        .collect();
    let out0: Vec<Vec<f32>> = (0..2).map(|_| (0..DIM).map(|_| r()).collect()).collect();
    let tree = Huffman::new(&[7, 7]);
    let (noise, monitor) = (Noise::new(&[1, 1], 0.75), Monitor::new());
    let alpha = 1e-3f32;
    for (model, hs) in [
        (Model::SkipGram, false),
        (Model::SkipGram, true),
        (Model::Cbow, false),
        (Model::Cbow, true),
    ] {
        let input = SharedMatrix::from_fn(init.len(), DIM, |i| init[i / DIM][i % DIM]);
        let output = SharedMatrix::from_fn(2, DIM, |i| out0[i / DIM][i % DIM]);
        let job = Job {
            model,
            ids: &[0, 1],
            ends: &[2],
            work: &Chunks::new(&[2], 1, 1),
            keep: &[1.0, 1.0],
            sample: false,
            noise: &noise,
            input: &input,
            output: &output,
            window: 1,
            negative: 0,
            alpha,
            min_alpha: alpha,
            total_words: 2,
            monitor: &monitor,
            thread: 0,
            rng: Lcg::new(1),
            hs: hs.then_some(&tree),
            subs: Some(&subs),
            shared_negatives: false,
            concurrent: false,
        };
        // Centre 0: skip-gram's input is word 0 predicting word 1; CBOW's is word 1
        // predicting word 0.
        let d = Draw {
            ctx: 0..2,
            noise: Vec::new(),
        };
        word(Portable, &job, &[0, 1], 0, &d, alpha, &mut bufs());
        let (inp, target) = match model {
            Model::SkipGram => (0u32, 1u32),
            Model::Cbow => (1, 0),
        };
        let rows = subs.of(inp).to_vec();
        // ∂L/∂h = n · ∂L/∂row for each of the n rows of the mean.
        let scale = rows.len() as f64;
        let (out_row, sign) = if hs {
            let (codes, points) = tree.path(target);
            (points[0] as usize, if codes[0] == 0 { 1.0 } else { -1.0 })
        } else {
            (target as usize, 1.0)
        };
        let what = format!("{model:?} hs {hs}");
        let eps = 1e-3f32;
        let mut now = vec![0.0; DIM];
        for &row in &rows {
            input.load(row as usize, &mut now);
            for k in 0..DIM {
                let (mut p, mut m) = (init.clone(), init.clone());
                p[row as usize][k] += eps;
                m[row as usize][k] -= eps;
                let o = &out0[out_row];
                let dl =
                    (loss(&p, &rows, o, sign) - loss(&m, &rows, o, sign)) / f64::from(2.0 * eps);
                let moved = f64::from(now[k] - init[row as usize][k]);
                assert!(
                    (moved + scale * f64::from(alpha) * dl).abs() < 1e-6,
                    "{what}: row {row}[{k}]"
                );
            }
        }
        output.load(out_row, &mut now);
        for k in 0..DIM {
            let (mut p, mut m) = (out0[out_row].clone(), out0[out_row].clone());
            p[k] += eps;
            m[k] -= eps;
            let dl = (loss(&init, &rows, &p, sign) - loss(&init, &rows, &m, sign))
                / f64::from(2.0 * eps);
            let moved = f64::from(now[k] - out0[out_row][k]);
            assert!(
                (moved + f64::from(alpha) * dl).abs() < 1e-6,
                "{what}: output[{k}]"
            );
        }
    }
}

/// Every kernel the CPU has gives bit-identical weights, for every objective.
#[test]
fn kernels_agree_bit_for_bit() {
    use super::super::{run_with, Kernel};
    let n = 30u32;
    let mut rng = Lcg::new(11);
    let ids: Vec<u32> = (0..3000)
        .map(|_| (rng.next_u64() >> 20) as u32 % n)
        .collect();
    let ends: Vec<usize> = (1..=100).map(|i| i * 30).collect();
    let counts: Vec<u64> = (0..n as u64).map(|i| 100 - i).collect();
    let noise = Noise::new(&counts, 0.75);
    let tree = Huffman::new(&counts);
    let words: Vec<String> = (0..n).map(|i| format!("w{i}")).collect();
    let s = Subwords {
        minn: 2,
        maxn: 3,
        buckets: 40,
    };
    let subs = SubwordRows::new(words.iter().map(String::as_str), &s);
    let keep = vec![0.9f32; n as usize];
    let dim = 37; // not a multiple of 16: the remainders are used too
    for (model, hs, sub, shared) in [
        (Model::SkipGram, false, false, false),
        (Model::SkipGram, false, false, true),
        (Model::SkipGram, true, false, false),
        (Model::SkipGram, false, true, false),
        (Model::Cbow, false, false, false),
        (Model::Cbow, true, true, false),
    ] {
        let mut results = Vec::new();
        for kernel in [Kernel::Portable, Kernel::Avx2, Kernel::Avx512] {
            if !kernel.available() {
                continue;
            }
            let rows = n as usize + if sub { 40 } else { 0 };
            let input = SharedMatrix::from_fn(rows, dim, |i| ((i * 7919) % 101) as f32 / 1000.0);
            let output = SharedMatrix::zeros(n as usize, dim);
            let monitor = Monitor::new();
            let job = Job {
                model,
                ids: &ids,
                ends: &ends,
                work: &Chunks::new(&ends, 2, 1),
                keep: &keep,
                sample: true,
                noise: &noise,
                input: &input,
                output: &output,
                window: 4,
                negative: if hs { 0 } else { 5 },
                alpha: 0.05,
                min_alpha: 0.0001,
                total_words: 6000,
                monitor: &monitor,
                thread: 0,
                rng: Lcg::new(9),
                hs: hs.then_some(&tree),
                subs: sub.then_some(&subs),
                shared_negatives: shared,
                concurrent: false,
            };
            run_with(job, kernel);
            results.push((kernel, input.to_vec(), output.to_vec()));
        }
        let (k0, i0, o0) = &results[0];
        assert!(i0.iter().all(|x| x.is_finite()));
        for (k, i, o) in &results[1..] {
            assert!(
                i == i0 && o == o0,
                "{model:?} hs {hs} sub {sub}: {k:?} ≠ {k0:?}"
            );
        }
    }
}

/// With one context word, the shared-negatives update is word2vec's exact update, bit for bit
/// (both take every product from the old rows); with more, it differs only by using the rows
/// of before the window for all its pairs.
#[test]
fn shared_negatives_equal_the_exact_update_for_one_pair() {
    let n = 8usize;
    let counts: Vec<u64> = (0..n as u64).map(|i| 10 - i).collect();
    let noise = Noise::new(&counts, 0.75);
    let monitor = Monitor::new();
    let mut rng = Lcg::new(5);
    let mut r = || ((rng.next_u64() >> 16) % 2001) as f32 / 2000.0 - 0.5;
    let init: Vec<f32> = (0..n * DIM).map(|_| r()).collect();
    let out0: Vec<f32> = (0..n * DIM).map(|_| r()).collect();
    let mut results = Vec::new();
    for shared in [false, true] {
        let input = SharedMatrix::from_fn(n, DIM, |i| init[i]);
        let output = SharedMatrix::from_fn(n, DIM, |i| out0[i]);
        let job = Job {
            model: Model::SkipGram,
            ids: &[3, 5],
            ends: &[2],
            work: &Chunks::new(&[2], 1, 1),
            keep: &[1.0; 8],
            sample: false,
            noise: &noise,
            input: &input,
            output: &output,
            window: 1,
            negative: 3,
            alpha: 0.1,
            min_alpha: 0.1,
            total_words: 2,
            monitor: &monitor,
            thread: 0,
            rng: Lcg::new(1),
            hs: None,
            subs: None,
            shared_negatives: shared,
            concurrent: false,
        };
        let d = Draw {
            ctx: 0..2,
            noise: vec![1, 6, 2],
        };
        word(Portable, &job, &[3, 5], 0, &d, 0.1, &mut bufs());
        results.push((input.to_vec(), output.to_vec()));
    }
    assert_ne!(results[0].0, init);
    assert_eq!(results[0], results[1]);
}

/// The negative-sampling updates on the shared rows are `target_step` on copies of them, bit
/// for bit, on every kernel: the true word's row, distinct noise words (dot products taken
/// first), a noise word drawn twice (one by one) and the true word among the noise (skipped).
#[test]
fn negatives_in_place_are_target_steps_on_copies() {
    use crate::train::sgns::target_step;
    let mut rng = Lcg::new(21);
    let mut r = || ((rng.next_u64() >> 16) % 2001) as f32 / 500.0 - 2.0;
    let init: Vec<f32> = (0..6 * DIM).map(|_| r()).collect();
    let h: Vec<f32> = (0..DIM).map(|_| r()).collect();
    let word = 0u32;
    for noise in [
        vec![1u32, 2, 3, 4, 5],
        vec![1, 2, 1, 3, 1],
        vec![0, 2, 0, 4, 5],
    ] {
        let mut rows: Vec<Vec<f32>> = init.chunks(DIM).map(<[f32]>::to_vec).collect();
        let mut want_grad = vec![0.0; DIM];
        let mut want_loss = target_step(&h, &mut rows[0], 1.0, 0.3, &mut want_grad, true);
        for &t in &noise {
            if t != word {
                want_loss += target_step(&h, &mut rows[t as usize], 0.0, 0.3, &mut want_grad, true);
            }
        }
        let check = |name: &str, got: (Vec<f32>, Bufs)| {
            let (all, b) = got;
            assert_eq!(all, rows.concat(), "{name} {noise:?}");
            assert_eq!(b.grad, want_grad, "{name} {noise:?}");
            assert_eq!(b.loss.sum(), f64::from(want_loss), "{name} {noise:?}");
        };
        let run = |f: &dyn Fn(&SharedMatrix, &mut Bufs)| {
            let out = SharedMatrix::from_fn(6, DIM, |i| init[i]);
            let mut b = bufs();
            b.updates = 0;
            b.h.clone_from(&h);
            f(&out, &mut b);
            (out.to_vec(), b)
        };
        check(
            "portable",
            run(&|o, b| negatives(Portable, o, word, &noise, 0.3, b)),
        );
        #[cfg(target_arch = "x86_64")]
        {
            use crate::train::shared::{Avx2, Avx512};
            if let Some(k) = Avx2::new() {
                check("avx2", run(&|o, b| negatives(k, o, word, &noise, 0.3, b)));
            }
            if let Some(k) = Avx512::new() {
                check("avx512", run(&|o, b| negatives(k, o, word, &noise, 0.3, b)));
            }
        }
    }
}

/// A worker that keeps its own copy of the hottest output rows (as with other workers) makes
/// the updates a worker without one makes, up to the rounding of adding its changes back.
#[test]
fn kept_output_rows_give_the_shared_rows_updates() {
    use super::super::{run_with, Kernel};
    let n = 200u32; // more words than the rows kept, so some are kept and some not
    let mut rng = Lcg::new(3);
    let ids: Vec<u32> = (0..6000)
        .map(|_| ((rng.next_u64() >> 20) as u32 % n).min((rng.next_u64() >> 20) as u32 % n))
        .collect();
    let ends: Vec<usize> = (1..=200).map(|i| i * 30).collect();
    let counts: Vec<u64> = (0..n as u64).map(|i| 400 - i).collect();
    let noise = Noise::new(&counts, 0.75);
    let keep = vec![1.0f32; n as usize];
    for model in [Model::SkipGram, Model::Cbow] {
        let trained = |concurrent: bool| {
            let input = SharedMatrix::from_fn(n as usize, 24, |i| ((i * 7919) % 101) as f32 / 1e3);
            let output = SharedMatrix::zeros(n as usize, 24);
            let monitor = Monitor::new();
            let job = Job {
                model,
                ids: &ids,
                ends: &ends,
                work: &Chunks::new(&ends, 1, 1),
                keep: &keep,
                sample: false,
                noise: &noise,
                input: &input,
                output: &output,
                window: 3,
                negative: 5,
                alpha: 0.025,
                min_alpha: 0.0001,
                total_words: 6000,
                monitor: &monitor,
                thread: 0,
                rng: Lcg::new(9),
                hs: None,
                subs: None,
                shared_negatives: false,
                concurrent,
            };
            assert_eq!(super::super::hot_rows(&job).is_some(), concurrent);
            run_with(job, Kernel::Portable);
            (input.to_vec(), output.to_vec())
        };
        let (plain, kept) = (trained(false), trained(true));
        let moved = plain.1.iter().filter(|x| x.abs() > 1e-3).count();
        assert!(
            moved > plain.1.len() / 2,
            "{model:?}: the output rows barely moved"
        );
        let worst = (plain.0.iter().zip(&kept.0))
            .chain(plain.1.iter().zip(&kept.1))
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(
            worst < 1e-4,
            "{model:?}: the kept rows changed the result by {worst}"
        );
    }
}
