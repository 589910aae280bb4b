use super::*;
use crate::train::hot::HotRows;

/// Counts 5, 4, 3, 2, 1 worked by hand with word2vec's merge order: {1,2} → 3 (the 2 gets
/// code 1), {3 (leaf), 3 (node)} → 6 (the leaf, taken second, gets 1), {4,5} → 9 (5 gets 1),
/// {6, 9} → 15 (9 gets 1).
#[test]
fn huffman_codes_are_word2vecs() {
    let t = Huffman::new(&[5, 4, 3, 2, 1]);
    assert_eq!(t.len(), 5);
    let want: [(&[u8], &[u32]); 5] = [
        (&[1, 1], &[3, 2]),
        (&[1, 0], &[3, 2]),
        (&[0, 1], &[3, 1]),
        (&[0, 0, 1], &[3, 1, 0]),
        (&[0, 0, 0], &[3, 1, 0]),
    ];
    for (w, (codes, points)) in want.iter().enumerate() {
        assert_eq!(t.path(w as u32), (*codes, *points), "word {w}");
    }
    // Two words: one bit each under the root (row 0).
    let t = Huffman::new(&[7, 7]);
    assert_eq!(t.path(0), (&[1u8][..], &[0u32][..]));
    assert_eq!(t.path(1), (&[0u8][..], &[0u32][..]));
    // One word: no path.
    assert_eq!(Huffman::new(&[3]).path(0), (&[][..], &[][..]));
}

#[test]
fn huffman_is_a_prefix_code_with_kraft_sum_one() {
    let counts: Vec<u64> = (1..=40u64).rev().map(|c| c * c % 97 + 1).collect();
    let mut sorted = counts.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let t = Huffman::new(&sorted);
    let mut kraft = 0.0;
    let mut all = Vec::new();
    for w in 0..sorted.len() as u32 {
        let (c, p) = t.path(w);
        assert_eq!(
            p[0],
            sorted.len() as u32 - 2,
            "every path starts at the root"
        );
        kraft += 0.5f64.powi(c.len() as i32);
        all.push(c.to_vec());
    }
    assert!((kraft - 1.0).abs() < 1e-12);
    for (i, a) in all.iter().enumerate() {
        for (j, b) in all.iter().enumerate() {
            assert!(i == j || !b.starts_with(a), "{i} is a prefix of {j}");
        }
    }
}

/// The loss of `h` along a path: Σ −log σ((1 − 2·code)·h·o).
fn loss(h: &[f32], outs: &[Vec<f32>], codes: &[u8]) -> f64 {
    outs.iter()
        .zip(codes)
        .map(|(o, &c)| {
            let f: f64 = h.iter().zip(o).map(|(a, b)| f64::from(a * b)).sum();
            let s = if c == 0 { f } else { -f };
            (1.0 + (-s).exp()).ln()
        })
        .sum()
}

#[test]
fn node_steps_follow_the_gradient_of_the_loss() {
    let h: Vec<f32> = (0..6).map(|i| (i as f32 * 0.37).sin() * 0.8).collect();
    let outs: Vec<Vec<f32>> = (0..3)
        .map(|k| {
            (0..6)
                .map(|i| ((i + 7 * k) as f32 * 0.51).cos() * 0.6)
                .collect()
        })
        .collect();
    let codes = [1u8, 0, 1];
    let alpha = 1e-3;
    let mut grad = vec![0.0; 6];
    let mut new_outs = outs.clone();
    for (o, &c) in new_outs.iter_mut().zip(&codes) {
        node_step(&h, o, c, alpha, &mut grad, false);
    }
    let eps = 1e-3f32;
    for i in 0..6 {
        let (mut hp, mut hm) = (h.clone(), h.clone());
        hp[i] += eps;
        hm[i] -= eps;
        let d = (loss(&hp, &outs, &codes) - loss(&hm, &outs, &codes)) / f64::from(2.0 * eps);
        assert!(
            (f64::from(grad[i]) + f64::from(alpha) * d).abs() < 1e-6,
            "h[{i}]"
        );
    }
    for k in 0..3 {
        for i in 0..6 {
            let (mut op, mut om) = (outs.clone(), outs.clone());
            op[k][i] += eps;
            om[k][i] -= eps;
            let d = (loss(&h, &op, &codes) - loss(&h, &om, &codes)) / f64::from(2.0 * eps);
            let step = new_outs[k][i] - outs[k][i];
            assert!(
                (f64::from(step) + f64::from(alpha) * d).abs() < 1e-6,
                "o[{k}][{i}]"
            );
        }
    }
    // The reported loss is the same function.
    let mut o = outs[0].clone();
    let l = node_step(&h, &mut o, codes[0], 0.0, &mut [0.0; 6], true);
    assert!((f64::from(l) - loss(&h, &outs[..1], &codes[..1])).abs() < 1e-6);
}

#[test]
fn node_steps_skip_beyond_the_clip() {
    let h = vec![1.0f32; 4];
    let mut o = vec![2.0f32; 4]; // h·o = 8 > 6
    let mut grad = vec![0.0; 4];
    node_step(&h, &mut o, 1, 0.5, &mut grad, false);
    assert_eq!(o, vec![2.0; 4]);
    assert_eq!(grad, vec![0.0; 4]);
}

/// [`update`] of `word` on rows `init` with the `kept` rows in a worker's copy: the rows (the
/// kept ones as the worker has them), the gradient and the loss. A sync must leave the kept
/// rows in the shared ones, up to adding and subtracting the change.
fn with_kept_nodes(
    tree: &Huffman,
    word: u32,
    h: &[f32],
    init: &dyn Fn(usize) -> f32,
    kept: std::ops::Range<usize>,
) -> (Vec<f32>, Vec<f32>, f32) {
    use crate::train::shared::Portable;
    let dim = h.len();
    let out = SharedMatrix::from_fn(tree.len() - 1, dim, init);
    let mut hot = HotRows::new(&out, kept.clone());
    let mut grad = vec![0.0; dim];
    let loss = update(
        Portable,
        &out,
        tree,
        word,
        h,
        0.05,
        &mut grad,
        true,
        Some(&mut hot),
    );
    let mut rows = out.to_vec();
    for p in kept {
        let local = hot.get_mut(p).unwrap().to_vec();
        rows[p * dim..(p + 1) * dim].copy_from_slice(&local);
    }
    hot.sync(&out);
    for (a, b) in out.to_vec().iter().zip(&rows) {
        assert!((a - b).abs() <= 1e-6 * b.abs().max(1.0), "{a} {b}");
    }
    (rows, grad, loss)
}

/// `update` on the shared rows is `node_step` on copies of them, bit for bit, on every kernel:
/// nodes beyond the clip are left as they are, the others move, and the loss is the same.
#[test]
fn update_in_place_is_node_step_on_copies() {
    use crate::train::shared::Portable;
    let counts: Vec<u64> = (1..=12u64).rev().map(|c| c * 3).collect();
    let tree = Huffman::new(&counts);
    let dim = 21;
    let h: Vec<f32> = (0..dim).map(|i| ((i * 5 % 7) as f32 - 3.0) * 0.4).collect();
    // Row p is about h · (p − 5) / 10 (h·h ≈ 13): the nodes far from 5 are beyond ±6.
    let init = |i: usize| {
        let (p, c) = (i / dim, i % dim);
        h[c] * (p as f32 - 5.0) * 0.1 + ((i * 37 % 23) as f32 - 11.0) * 0.01
    };
    let (mut skipped, mut nodes) = (0, 0);
    for word in 0..counts.len() as u32 {
        let (codes, points) = tree.path(word);
        let mut want_rows: Vec<Vec<f32>> = points
            .iter()
            .map(|&p| (0..dim).map(|c| init(p as usize * dim + c)).collect())
            .collect();
        let mut want_grad = vec![0.0; dim];
        let mut want_loss = 0.0;
        for (o, &c) in want_rows.iter_mut().zip(codes) {
            let before = o.clone();
            want_loss += node_step(&h, o, c, 0.05, &mut want_grad, true);
            skipped += usize::from(*o == before);
            nodes += 1;
        }
        let check = |name: &str, got: (Vec<f32>, Vec<f32>, f32)| {
            let (rows, grad, loss) = got;
            for (p, want) in points.iter().zip(&want_rows) {
                let p = *p as usize;
                assert_eq!(
                    &rows[p * dim..(p + 1) * dim],
                    &want[..],
                    "{name} word {word}"
                );
            }
            assert_eq!(grad, want_grad, "{name} word {word}");
            assert_eq!(loss.to_bits(), want_loss.to_bits(), "{name} word {word}");
        };
        let run = |k: &dyn Fn(&SharedMatrix, &mut [f32]) -> f32| {
            let out = SharedMatrix::from_fn(counts.len() - 1, dim, init);
            let mut grad = vec![0.0; dim];
            let loss = k(&out, &mut grad);
            (out.to_vec(), grad, loss)
        };
        check(
            "portable",
            run(&|out, g| update(Portable, out, &tree, word, &h, 0.05, g, true, None)),
        );
        // The four nodes nearest the root in a worker's own copy: the same updates there.
        let inner = counts.len() - 1;
        let got = with_kept_nodes(&tree, word, &h, &init, inner - 4..inner);
        check("portable, kept root nodes", got);
        #[cfg(target_arch = "x86_64")]
        {
            use crate::train::shared::{Avx2, Avx512};
            if let Some(k) = Avx2::new() {
                check(
                    "avx2",
                    run(&|out, g| update(k, out, &tree, word, &h, 0.05, g, true, None)),
                );
            }
            if let Some(k) = Avx512::new() {
                check(
                    "avx512",
                    run(&|out, g| update(k, out, &tree, word, &h, 0.05, g, true, None)),
                );
            }
        }
    }
    assert!(
        skipped > 0 && skipped < nodes,
        "{skipped} of {nodes} nodes clipped"
    );
}
