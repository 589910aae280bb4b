//! Skip-gram with shared negatives (pWord2Vec): one set of noise words per window, and the
//! window's updates as two small matrix products.
use super::{record, with_loss};
use crate::train::sgns::{axpy, clipped_sigmoid, dot, Bufs, Draw, Job};
use crate::train::shared::Rows;

/// Skip-gram with one set of noise words shared by the window (Ji et al. 2016): the context
/// words' input rows and the outputs (the centre word, then the noise words) are loaded once,
/// all their dot products are taken from the same values, and both sides' updates are the
/// two small matrix products of the coefficients with the old rows.
#[inline(always)]
pub(super) fn skipgram_shared<R: Rows>(
    v: R,
    job: &Job<'_>,
    sen: &[u32],
    pos: usize,
    d: &Draw,
    alpha: f32,
    b: &mut Bufs,
) {
    let ctx: usize = d.ctx.len() - 1;
    if ctx == 0 {
        return;
    }
    let (targets, k) = shared_targets(sen[pos], &d.noise);
    let w = Window {
        job,
        sen,
        pos,
        d,
        targets: &targets[..k],
    };
    load_window(v, &w, b);
    let wl = with_loss(b);
    let loss = shared_coefficients(ctx, k, alpha, wl, b);
    record(b, wl, loss / ctx as f32);
    apply_window(v, &w, b);
}

/// One shared-negatives window: the centre word `sen[pos]`, its context `d.ctx` and the
/// outputs it is trained against.
struct Window<'a, 'j> {
    job: &'a Job<'j>,
    sen: &'a [u32],
    pos: usize,
    d: &'a Draw,
    targets: &'a [u32],
}

impl Window<'_, '_> {
    /// The context words' positions in the sentence (the centre left out).
    #[inline(always)]
    fn contexts(&self) -> impl Iterator<Item = usize> + '_ {
        self.d.ctx.clone().filter(move |&c| c != self.pos)
    }
}

/// The outputs of a shared-negatives window: the centre word, then the noise words that
/// differ from it (at most 63 of them).
#[inline(always)]
fn shared_targets(word: u32, noise: &[u32]) -> ([u32; 64], usize) {
    let mut targets = [0u32; 64];
    targets[0] = word;
    let mut k = 1;
    for &t in noise {
        if t != word && k < targets.len() {
            targets[k] = t;
            k += 1;
        }
    }
    (targets, k)
}

/// Loads the context words' input rows into `b.ins` and the targets' output rows into
/// `b.outs`, and sizes `b.coef` for them.
#[inline(always)]
fn load_window<R: Rows>(v: R, w: &Window<'_, '_>, b: &mut Bufs) {
    let dim = b.h.len();
    let ctx = w.d.ctx.len() - 1;
    b.ins.resize(ctx * dim, 0.0);
    b.outs.resize(w.targets.len() * dim, 0.0);
    b.coef.resize(ctx * w.targets.len(), 0.0);
    for (i, c) in w.contexts().enumerate() {
        let row = w.sen[c] as usize;
        v.load(w.job.input, row, &mut b.ins[i * dim..(i + 1) * dim]);
    }
    for (j, &t) in w.targets.iter().enumerate() {
        v.load(
            w.job.output,
            t as usize,
            &mut b.outs[j * dim..(j + 1) * dim],
        );
    }
}

/// Every (context, target) dot product of the loaded window, turned into the update's
/// coefficient `(label − σ) · alpha` in `b.coef`. Returns the summed loss when `wl`.
#[inline(always)]
fn shared_coefficients(ctx: usize, k: usize, alpha: f32, wl: bool, b: &mut Bufs) -> f32 {
    let dim = b.h.len();
    let mut loss = 0.0;
    for i in 0..ctx {
        let h = &b.ins[i * dim..(i + 1) * dim];
        for j in 0..k {
            let f = dot(h, &b.outs[j * dim..(j + 1) * dim]);
            let label = if j == 0 { 1.0 } else { 0.0 };
            let e = (-f.abs()).exp();
            let sigma = clipped_sigmoid(f, e);
            b.coef[i * k + j] = (label - sigma) * alpha;
            if wl {
                let signed = if j == 0 { -f } else { f };
                loss += signed.max(0.0) + e.ln_1p();
            }
        }
    }
    loss
}

/// Both sides' updates from the old rows: `Δin_i = Σ_j coef_ij · out_j` and
/// `Δout_j = Σ_i coef_ij · in_i`.
#[inline(always)]
fn apply_window<R: Rows>(v: R, w: &Window<'_, '_>, b: &mut Bufs) {
    let dim = b.h.len();
    let (ctx, k) = (w.d.ctx.len() - 1, w.targets.len());
    for (i, c) in w.contexts().enumerate() {
        b.grad.fill(0.0);
        for j in 0..k {
            let coef = b.coef[i * k + j];
            axpy(&mut b.grad, coef, &b.outs[j * dim..(j + 1) * dim]);
        }
        v.add(w.job.input, w.sen[c] as usize, &b.grad);
    }
    for (j, &t) in w.targets.iter().enumerate() {
        b.grad.fill(0.0);
        for i in 0..ctx {
            let coef = b.coef[i * k + j];
            axpy(&mut b.grad, coef, &b.ins[i * dim..(i + 1) * dim]);
        }
        v.add(w.job.output, t as usize, &b.grad);
    }
}
