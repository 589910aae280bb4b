//! Every kernel's row operations, on shared rows and on a worker's own rows, equal the
//! local-row arithmetic (`sgns::dot`, `axpy`) bit for bit, for every length (16-element blocks
//! and odd tails).
use super::*;
use crate::train::sgns::{axpy, dot};

fn values(n: usize, seed: u32) -> Vec<f32> {
    (0..n)
        .map(|i| (((i as u32).wrapping_mul(2_654_435_761) ^ seed) % 2001) as f32 / 997.0 - 1.0)
        .collect()
}

fn check<R: Rows>(k: R, dim: usize) {
    let rows = 3;
    let init = values(rows * dim, 7);
    let m = SharedMatrix::from_fn(rows, dim, |i| init[i]);
    let (h, d) = (values(dim, 11), values(dim, 13));
    let row0 = init[dim..2 * dim].to_vec();
    // dot
    assert_eq!(
        k.dot(&m, 1, &h).to_bits(),
        dot(&h, &row0).to_bits(),
        "dot {dim}"
    );
    // step
    let (mut grad, mut want_grad, mut want_row) = (d.clone(), d.clone(), row0.clone());
    axpy(&mut want_grad, 0.37, &row0);
    axpy(&mut want_row, 0.37, &h);
    k.step(&m, 1, 0.37, &h, &mut grad);
    let mut got = vec![0.0; dim];
    k.load(&m, 1, &mut got);
    assert_eq!(grad, want_grad, "step grad {dim}");
    assert_eq!(got, want_row, "step row {dim}");
    // the same two on a worker's own copy of the row
    let mut own = row0.clone();
    assert_eq!(k.dot_local(&own, &h).to_bits(), dot(&h, &row0).to_bits());
    let mut grad = d.clone();
    k.step_local(&mut own, 0.37, &h, &mut grad);
    assert_eq!(grad, want_grad, "step_local grad {dim}");
    assert_eq!(own, want_row, "step_local row {dim}");
    // add
    k.add(&m, 1, &d);
    axpy(&mut want_row, 1.0, &d);
    m.load(1, &mut got);
    assert_eq!(got, want_row, "add {dim}");
    // store, and the neighbouring rows untouched
    k.store(&m, 1, &h);
    m.load(1, &mut got);
    assert_eq!(got, h, "store {dim}");
    let all = m.to_vec();
    assert_eq!(all[..dim], init[..dim], "row 0 {dim}");
    assert_eq!(all[2 * dim..], init[2 * dim..], "row 2 {dim}");
}

#[test]
fn every_kernel_matches_the_local_arithmetic() {
    for dim in (1..=40).chain([48, 100, 101, 300]) {
        check(Portable, dim);
        #[cfg(target_arch = "x86_64")]
        {
            if let Some(k) = Avx2::new() {
                check(k, dim);
            }
            if let Some(k) = Avx512::new() {
                check(k, dim);
            }
        }
    }
}
