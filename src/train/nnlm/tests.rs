//! NNLM tests: the update against finite differences, topic separation, next-word ranks,
//! reproducibility.
use super::step::{predict, Dims, Step};
use super::*;
use crate::train::{NnlmConfig, ReadOptions};

/// The negative-sampling loss of one prediction, in f64 from the given weights.
fn loss64(hw: &[f64], d: Dims, x: &[f64], out: &[f64], target: usize, noise: &[usize]) -> f64 {
    let h: Vec<f64> = hw
        .chunks_exact(d.x_len())
        .map(|row| row.iter().zip(x).map(|(a, b)| a * b).sum::<f64>().tanh())
        .chain([1.0])
        .collect();
    let score = |w: usize| -> f64 {
        out[w * d.h_len()..(w + 1) * d.h_len()]
            .iter()
            .zip(&h)
            .map(|(a, b)| a * b)
            .sum()
    };
    let softplus = |z: f64| z.max(0.0) + (-z.abs()).exp().ln_1p();
    softplus(-score(target)) + noise.iter().map(|&n| softplus(score(n))).sum::<f64>()
}

fn close(analytic: f64, numeric: f64) -> bool {
    (analytic - numeric).abs() <= 2e-4 + 2e-3 * numeric.abs()
}

#[test]
fn update_is_the_negative_gradient() {
    let d = Dims {
        ctx: 2,
        dim: 3,
        hidden: 4,
    };
    let words = 6;
    let mut rng = Lcg::new(11);
    let mut r = move || ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 1.6;
    let hw: Vec<f32> = (0..d.hidden * d.x_len()).map(|_| r() as f32).collect();
    let out: Vec<f32> = (0..words * d.h_len()).map(|_| r() as f32).collect();
    let mut s = Step::new(d);
    for v in &mut s.x[..d.ctx * d.dim] {
        *v = r() as f32;
    }
    let (target, noise) = (1usize, [3usize, 4]);
    let to64 = |v: &[f32]| v.iter().map(|&x| f64::from(x)).collect::<Vec<f64>>();
    let (hw64, out64, x64) = (to64(&hw), to64(&out), to64(&s.x));
    // The analytic step with α = 1 moves each weight by exactly −∂loss/∂weight.
    let shared_out = SharedMatrix::from_fn(words, d.h_len(), |i| out[i]);
    let mut hw_after = hw.clone();
    let noise32: Vec<u32> = noise.iter().map(|&n| n as u32).collect();
    let loss = predict(
        &mut hw_after,
        d,
        &mut s,
        &shared_out,
        target as u32,
        &noise32,
        1.0,
        true,
    );
    let want_loss = loss64(&hw64, d, &x64, &out64, target, &noise);
    assert!(
        (f64::from(loss) - want_loss).abs() < 1e-5,
        "{loss} vs {want_loss}"
    );
    let out_after = shared_out.to_vec();
    let eps = 1e-5;
    let numeric = |which: usize, i: usize| {
        let (mut hp, mut op, mut xp) = (hw64.clone(), out64.clone(), x64.clone());
        let (mut hm, mut om, mut xm) = (hw64.clone(), out64.clone(), x64.clone());
        match which {
            0 => (hp[i] += eps, hm[i] -= eps),
            1 => (op[i] += eps, om[i] -= eps),
            _ => (xp[i] += eps, xm[i] -= eps),
        };
        (loss64(&hp, d, &xp, &op, target, &noise) - loss64(&hm, d, &xm, &om, target, &noise))
            / (2.0 * eps)
    };
    let mut checked = 0;
    for i in 0..hw.len() {
        let analytic = f64::from(hw[i] - hw_after[i]);
        let n = numeric(0, i);
        assert!(close(analytic, n), "H[{i}]: {analytic} vs {n}");
        checked += 1;
    }
    for i in 0..out.len() {
        let analytic = f64::from(out[i] - out_after[i]);
        let n = numeric(1, i);
        assert!(close(analytic, n), "U[{i}]: {analytic} vs {n}");
        // Rows of words that were neither the target nor noise do not move.
        if ![target, 3, 4].contains(&(i / d.h_len())) {
            assert_eq!(analytic, 0.0);
        }
        checked += 1;
    }
    for i in 0..d.ctx * d.dim {
        let analytic = -f64::from(s.grad_x[i]);
        let n = numeric(2, i);
        assert!(close(analytic, n), "x[{i}]: {analytic} vs {n}");
        checked += 1;
    }
    assert_eq!(checked, 4 * 7 + 6 * 5 + 6);
}

/// Sentences of 12 words, each from one of two topics of 10 words, in random order.
fn two_topics(sentences: usize, seed: u64) -> String {
    let mut rng = Lcg::new(seed);
    let mut text = String::new();
    for s in 0..sentences {
        let topic = if s % 2 == 0 { "sun" } else { "ice" };
        for _ in 0..12 {
            let w = rng.next_u64() % 10;
            text.push_str(&format!("{topic}{w} "));
        }
        text.push('\n');
    }
    text
}

pub(super) fn small(order: usize) -> Config {
    Config {
        dim: 16,
        min_count: 1,
        sample: 0.0,
        epochs: 4,
        threads: 1,
        seed: 5,
        nnlm: Some(NnlmConfig { order, hidden: 16 }),
        ..Config::default()
    }
}

fn cos(space: &Space, a: &str, b: &str) -> f32 {
    let (a, b) = (space.index(a).unwrap(), space.index(b).unwrap());
    let (a, b) = (space.unit(a as usize), space.unit(b as usize));
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn two_topics_separate() {
    let corpus = Corpus::from_text(&two_topics(2000, 3), ReadOptions::default());
    let trained = train_from(&corpus, &small(4), &Monitor::new(), None).unwrap();
    assert!(trained.report.completed);
    let space = &trained.space;
    let (mut within, mut across, mut n_w, mut n_a) = (0.0, 0.0, 0, 0);
    for i in 0..10 {
        for j in 0..10 {
            if i != j {
                within += cos(space, &format!("sun{i}"), &format!("sun{j}"));
                within += cos(space, &format!("ice{i}"), &format!("ice{j}"));
                n_w += 2;
            }
            across += cos(space, &format!("sun{i}"), &format!("ice{j}"));
            n_a += 1;
        }
    }
    let (within, across) = (within / n_w as f32, across / n_a as f32);
    assert!(
        within > 0.2 && across < 0.0 && within - across > 0.4,
        "within {within}, across {across}"
    );
    // Every word's nearest neighbour is from its own topic.
    for w in 0..space.len() {
        let word = space.word(w).to_string();
        let best = (0..space.len())
            .filter(|&o| o != w)
            .max_by(|&a, &b| {
                let ca: f32 = space
                    .unit(a)
                    .iter()
                    .zip(space.unit(w))
                    .map(|(x, y)| x * y)
                    .sum();
                let cb: f32 = space
                    .unit(b)
                    .iter()
                    .zip(space.unit(w))
                    .map(|(x, y)| x * y)
                    .sum();
                ca.total_cmp(&cb)
            })
            .unwrap();
        let other = space.word(best);
        assert_eq!(word[..3], other[..3], "{word} → {other}");
    }
}

#[test]
fn one_thread_runs_are_bit_identical() {
    let corpus = Corpus::from_text(&two_topics(300, 9), ReadOptions::default());
    let run = |seed: u64| {
        let config = Config { seed, ..small(3) };
        let t = train_model(&corpus, &config, &Monitor::new()).unwrap();
        let w = t.language_model.unwrap().weights;
        (
            t.space.unit(0).to_vec(),
            w.emb,
            w.hidden,
            w.out,
            t.report.final_loss,
        )
    };
    let (a, b) = (run(5), run(5));
    assert!(a
        .1
        .iter()
        .zip(&b.1)
        .all(|(x, y)| x.to_bits() == y.to_bits()));
    assert!(a
        .2
        .iter()
        .zip(&b.2)
        .all(|(x, y)| x.to_bits() == y.to_bits()));
    assert!(a
        .3
        .iter()
        .zip(&b.3)
        .all(|(x, y)| x.to_bits() == y.to_bits()));
    assert_eq!(a.4.map(f32::to_bits), b.4.map(f32::to_bits));
    assert_ne!(run(6).1, a.1);
}

/// `lines` sentences of `len` words, each walking the cycle w0 → w1 → … → w{n−1} → w0 from a
/// random start: the next word is fixed by the previous one.
pub(super) fn cycle_text(n: u64, lines: usize, len: u64, seed: u64) -> String {
    let mut rng = Lcg::new(seed);
    let mut text = String::new();
    for _ in 0..lines {
        let start = rng.next_u64() % n;
        let line: Vec<String> = (0..len).map(|k| format!("w{}", (start + k) % n)).collect();
        text.push_str(&line.join(" "));
        text.push('\n');
    }
    text
}

#[test]
fn next_word_of_a_fixed_sequence_is_learnt() {
    let text = cycle_text(8, 1500, 10, 4);
    let corpus = Corpus::from_text(&text, ReadOptions::default());
    let config = Config {
        epochs: 3,
        ..small(3)
    };
    let trained = train_model(&corpus, &config, &Monitor::new()).unwrap();
    let model = trained.language_model.as_ref().unwrap();
    let id = |w: &str| trained.space.index(w);
    let held_out: Vec<Vec<Option<u32>>> = ["w3 w4 w5 w6 w7 w0 w1", "w6 w7 w0 w1 w2 unknown w4 w5"]
        .iter()
        .map(|s| s.split_whitespace().map(id).collect())
        .collect();
    let r = model.next_word(&held_out, None).unwrap();
    // Scored: the first word of a sentence too (from padding), not the unknown word.
    assert_eq!((r.predictions, r.unknown), (7 + 7, 1));
    // The first word of a sentence cannot be known, and the one after the unknown word is
    // predicted from the words before it (training drops unknown words): 3 of 14.
    assert!(r.top10 == 1.0 && r.mrr > 0.75, "{r:?}");
    // Eight words, each next one certain: far below the unigram model's 8.
    assert!(r.perplexity < 4.0 && r.unigram_perplexity > 7.5, "{r:?}");
    let s = model.weights.scores(&[id("w2"), id("w3")]);
    let best = (0..s.len()).max_by(|&a, &b| s[a].total_cmp(&s[b])).unwrap();
    assert_eq!(trained.space.word(best), "w4");
}

#[test]
fn bad_shapes_and_continuing_are_refused() {
    let corpus = Corpus::from_text("a b c a b c\n", ReadOptions::default());
    let e = train_from(&corpus, &small(1), &Monitor::new(), None).unwrap_err();
    assert!(e.to_string().contains("order"), "{e}");
    let config = Config {
        negative: 0,
        ..small(3)
    };
    assert!(train_from(&corpus, &config, &Monitor::new(), None).is_err());
    let t = train_from(&corpus, &small(3), &Monitor::new(), None).unwrap();
    assert!(t.output.is_empty());
    let meta = t.space.source().metadata.clone().unwrap();
    assert!(
        meta.contains("model = \"nnlm\"") && meta.contains("order = 3"),
        "{meta}"
    );
    let base = Base {
        space: &t.space,
        output: None,
    };
    let e = train_from(&corpus, &small(3), &Monitor::new(), Some(base)).unwrap_err();
    assert!(e.to_string().contains("NNLM"), "{e}");
    // Through the public entry point as well.
    assert!(crate::train::train(&corpus, &small(3), &Monitor::new()).is_ok());
}

#[test]
fn a_run_that_ends_worse_than_knowing_nothing_is_refused() {
    let corpus = Corpus::from_text(&two_topics(2000, 3), ReadOptions::default());
    // A rate 400 times the default: the weights blow up but stay finite.
    let mut config = small(4);
    config.alpha = Some(10.0);
    let e = train_from(&corpus, &config, &Monitor::new(), None).err();
    let e = e.expect("a diverged run is refused").to_string();
    assert!(e.contains("diverged") && e.contains("knows nothing"), "{e}");
    // The threshold is the loss of all-zero scores, (1 + negative)·ln 2.
    let config = small(4);
    let start = (1 + config.negative) as f32 * std::f32::consts::LN_2;
    assert!(worse_than_nothing(Some(start * 0.99), &config).is_ok());
    assert!(worse_than_nothing(None, &config).is_ok());
    assert!(worse_than_nothing(Some(start * 1.01), &config).is_err());
}
