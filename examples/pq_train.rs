//! Codebook training of `embx quantize` against reductive's (finalfusion's `Quantize`), on the
//! same sample of the same file, in one run: time and reconstruction error.
//!
//! Usage: `pq_train VECTORS [SUBQUANTIZERS] [SAMPLE] [ITERATIONS]` (defaults: embx's
//! subquantizers for the dimension, 50000, 15). Both train 8-bit codebooks on the unit
//! vectors of the same evenly spread rows; the error is measured on the sample and on up to
//! 20,000 rows half-way between sampled ones (as `embx quantize` reports it). Prints
//! `pq_train trainer=.. train_s=.. sample_mse=.. held_out_mse=..` for each.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a measuring tool: a failed unwrap ends the run"
)]
use embx::io::{default_subquantizers, load, train_quantizer, LoadOptions, QuantizeOptions};
use embx::space::Space;
use finalfusion::storage::{NdArray, Quantize};
use ndarray::Array2;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaChaRng;
use reductive::pq::{Pq, QuantizeVector, Reconstruct};
use std::time::Instant;

/// The unit vectors of the non-zero rows among `rows`.
fn unit_rows(space: &Space, rows: impl Iterator<Item = usize>) -> Array2<f32> {
    let rows: Vec<usize> = rows
        .filter(|&r| r < space.len() && space.norms()[r] > 0.0)
        .collect();
    let mut out = Array2::zeros((rows.len(), space.dim()));
    for (mut o, &r) in out.outer_iter_mut().zip(&rows) {
        o.iter_mut().zip(space.unit(r)).for_each(|(a, b)| *a = *b);
    }
    out
}

fn mse(pq: &Pq<f32>, x: &Array2<f32>) -> f64 {
    let codes: Array2<u8> = pq.quantize_batch(x.view());
    let back = pq.reconstruct_batch(codes);
    let total: f64 = (&back - x).iter().map(|v| f64::from(v * v)).sum();
    total / x.nrows().max(1) as f64
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .ok_or("usage: pq_train VECTORS [SUBQUANTIZERS] [SAMPLE] [ITERATIONS]")?;
    let space = load(path.as_ref(), &LoadOptions::default())?.space;
    let subq: usize = args
        .get(1)
        .map_or(Ok(default_subquantizers(space.dim())), |s| s.parse())?;
    let sample: usize = args.get(2).map_or(Ok(50_000), |s| s.parse())?;
    let iterations: usize = args.get(3).map_or(Ok(15), |s| s.parse())?;
    let opts = QuantizeOptions {
        subquantizers: Some(subq),
        sample,
        iterations,
        ..QuantizeOptions::default()
    };
    let trained = train_quantizer(&space, &opts, None)?;
    println!(
        "pq_train trainer=embx subquantizers={subq} sample={sample} iterations={iterations} train_s={:.2} sample_mse={:.5} held_out_mse={:.5}",
        trained.train_secs(),
        trained.sample_mse(),
        trained.held_out_mse()
    );
    let n = space.len();
    let start = Instant::now();
    let x = unit_rows(&space, (0..sample.min(n)).map(|i| i * n / sample.min(n)));
    let pq = NdArray::new(x.clone())
        .quantize_using::<Pq<f32>, _>(subq, 8, iterations, 1, false, ChaChaRng::seed_from_u64(42))?
        .quantizer()
        .clone();
    let secs = start.elapsed().as_secs_f64();
    let held_out = if sample * 2 <= n {
        let held = sample.clamp(1, 20_000);
        let rows = (0..held).map(|t| (t * sample / held) * n / sample + n / sample / 2);
        mse(&pq, &unit_rows(&space, rows))
    } else {
        f64::NAN
    };
    println!(
        "pq_train trainer=reductive subquantizers={subq} sample={sample} iterations={iterations} train_s={secs:.2} sample_mse={:.5} held_out_mse={held_out:.5}",
        mse(&pq, &x)
    );
    Ok(())
}
