//! The arithmetic of one NNLM prediction, on local copies of the weights.
//!
//! With `ctx` = N − 1 context words of `dim` values each, the input is
//! `x = [C(w₁); …; C(w_ctx); 1]` (the trailing 1 carries the hidden layer's bias), the hidden
//! layer is `h = [tanh(H x); 1]` (the trailing 1 carries the output bias) and the score of a
//! word `w` is `s_w = U_w · h`. Negative sampling turns the softmax over the vocabulary into
//! `loss = −log σ(s_target) − Σ_noise log σ(−s_noise)`.
//!
//! An update with learning rate α moves every weight by −α ∂loss/∂weight, each gradient taken
//! at the weights as they were before the update (a noise word that equals the target is
//! skipped, as in word2vec).
use super::super::sgns::{dot, target_step};
use crate::train::shared::SharedMatrix;

/// The sizes of the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dims {
    /// Context words (N − 1).
    pub ctx: usize,
    /// Values of a word vector.
    pub dim: usize,
    /// Hidden units.
    pub hidden: usize,
}

impl Dims {
    /// Length of `x`: the context vectors and the bias input.
    pub fn x_len(&self) -> usize {
        self.ctx * self.dim + 1
    }

    /// Length of `h` and of an output row: the hidden units and the bias input.
    pub fn h_len(&self) -> usize {
        self.hidden + 1
    }
}

/// The buffers of one prediction.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// The input (the caller fills `x[..ctx·dim]`; the last value is 1).
    pub x: Vec<f32>,
    pub h: Vec<f32>,
    pub grad_h: Vec<f32>,
    /// After [`predict`]: −α ∂loss/∂x (the last value, for the constant, is unused).
    pub grad_x: Vec<f32>,
    o: Vec<f32>,
}

impl Step {
    pub fn new(d: Dims) -> Step {
        let mut x = vec![0.0; d.x_len()];
        x[d.x_len() - 1] = 1.0;
        Step {
            x,
            h: vec![0.0; d.h_len()],
            grad_h: vec![0.0; d.h_len()],
            grad_x: vec![0.0; d.x_len()],
            o: vec![0.0; d.h_len()],
        }
    }
}

#[inline(always)]
fn axpy(y: &mut [f32], g: f32, x: &[f32]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += g * x;
    }
}

/// `h = [tanh(H x); 1]`; `hw` is `hidden × x_len`, row-major.
#[inline(always)]
pub(crate) fn forward(hw: &[f32], d: Dims, x: &[f32], h: &mut [f32]) {
    for (hj, row) in h.iter_mut().zip(hw.chunks_exact(d.x_len())) {
        *hj = dot(row, x).tanh();
    }
    h[d.hidden] = 1.0;
}

/// Back through the hidden layer: from `grad_h` (−α ∂loss/∂h) computes `grad_x` (−α ∂loss/∂x,
/// with `H` before the update) and adds `ga ⊗ x` to `H`, where `ga = grad_h ⊙ (1 − h²)`.
#[inline(always)]
pub(crate) fn backward(
    hw: &mut [f32],
    d: Dims,
    x: &[f32],
    h: &[f32],
    grad_h: &[f32],
    grad_x: &mut [f32],
) {
    grad_x.fill(0.0);
    for (j, row) in hw.chunks_exact_mut(d.x_len()).enumerate() {
        let ga = grad_h[j] * (1.0 - h[j] * h[j]);
        if ga == 0.0 {
            continue;
        }
        axpy(grad_x, ga, row);
        axpy(row, ga, x);
    }
}

/// One prediction of `target` from `s.x` against the `noise` words: updates the local hidden
/// weights `hw` and the output rows in `out`, leaves −α ∂loss/∂x in `s.grad_x` for the caller
/// to add to the context vectors. Returns the loss (computed when `with_loss`, else 0).
#[inline(always)]
#[allow(
    clippy::too_many_arguments,
    reason = "the hot path takes its pieces apart"
)]
pub(crate) fn predict(
    hw: &mut [f32],
    d: Dims,
    s: &mut Step,
    out: &SharedMatrix,
    target: u32,
    noise: &[u32],
    alpha: f32,
    with_loss: bool,
) -> f32 {
    forward(hw, d, &s.x, &mut s.h);
    s.grad_h.fill(0.0);
    out.load(target as usize, &mut s.o);
    let mut loss = target_step(&s.h, &mut s.o, 1.0, alpha, &mut s.grad_h, with_loss);
    out.store(target as usize, &s.o);
    for &t in noise {
        if t == target {
            continue;
        }
        out.load(t as usize, &mut s.o);
        loss += target_step(&s.h, &mut s.o, 0.0, alpha, &mut s.grad_h, with_loss);
        out.store(t as usize, &s.o);
    }
    backward(hw, d, &s.x, &s.h, &s.grad_h, &mut s.grad_x);
    loss
}

/// The scores of every word after the context `x` (for evaluation): `out` is `rows × h_len`.
pub(crate) fn scores(hw: &[f32], d: Dims, x: &[f32], out: &[f32]) -> Vec<f32> {
    let mut h = vec![0.0; d.h_len()];
    forward(hw, d, x, &mut h);
    out.chunks_exact(d.h_len())
        .map(|row| dot(row, &h))
        .collect()
}
