//! Product quantization of a space into a finalfusion file (`embx quantize`).
//!
//! The codebooks are trained by embx's own k-means ([`super::kmeans`], the subquantizers in
//! parallel) on a sample of the unit rows; with OPQ, an orthogonal rotation is learnt first
//! (Ge et al. 2013, non-parametric: alternate short PQ trainings with the orthogonal
//! Procrustes solution, through a pure-Rust SVD). Every row is then encoded with the trained
//! quantizer (embx's nearest-centroid encoder, in parallel blocks) and written in
//! finalfusion's `QuantizedArray` chunk layout with the original norms, so finalfusion reads
//! the file (its `Pq` type holds the codebooks).
use super::bytes::{padding, QUANTIZED_ARRAY, TYPE_F32, TYPE_U8};
use super::encode::Encoder;
use super::kmeans::train_codebooks;
use super::write::{head, norms, Out};
use crate::error::{Error, Result};
use crate::io::atomic_write;
use crate::jobs::{Progress, ProgressExt};
use crate::space::Space;
use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;
use reductive::pq::{Pq, QuantizeVector as _, Reconstruct};
use std::path::Path;
use std::time::Instant;

/// Settings of [`quantize`].
#[derive(Debug, Clone)]
pub struct QuantizeOptions {
    /// Subquantizers (code bytes per row); `None`: the default for the dimension (see
    /// [`default_subquantizers`]).
    pub subquantizers: Option<usize>,
    /// Bits per subquantizer (1 to 8): `2^bits` centroids each.
    pub bits: u32,
    /// Learn an orthogonal rotation first (OPQ).
    pub opq: bool,
    /// Rows sampled (evenly spread over the file) to train the codebooks on.
    pub sample: usize,
    /// k-means iterations of the final training.
    pub iterations: usize,
    /// Seed of the k-means initialisation.
    pub seed: u64,
}

impl Default for QuantizeOptions {
    fn default() -> Self {
        QuantizeOptions {
            subquantizers: None,
            bits: 8,
            opq: false,
            sample: 50_000,
            iterations: 15,
            seed: 42,
        }
    }
}

/// What [`quantize`] did, for the report.
#[derive(Debug, Clone)]
pub struct QuantizeReport {
    /// Subquantizers used.
    pub subquantizers: usize,
    /// Bits per subquantizer.
    pub bits: u32,
    /// Rows the codebooks were trained on.
    pub sample: usize,
    /// Seconds spent training (rotation included).
    pub train_secs: f64,
    /// Seconds spent encoding and writing.
    pub encode_secs: f64,
    /// Mean squared distance between a sampled unit row and its reconstruction.
    pub sample_mse: f64,
    /// The same over up to 20,000 rows outside the sample (the error the other rows see;
    /// NaN when every row was in the sample).
    pub held_out_mse: f64,
    /// Bytes of the file written.
    pub bytes: u64,
}

/// The default number of subquantizers: one per dimension up to 100 dimensions (a byte a
/// dimension: on GloVe 6B 50d, 2 dimensions a byte lost 2 points of analogy accuracy and one
/// lost 0.05), above that the largest divisor of `dim` that is at most `dim / 2` (150 for 300
/// dimensions: on the synthetic 2M × 300 file recall@10 was 0.92 with 150, 0.85 with 100).
pub fn default_subquantizers(dim: usize) -> usize {
    if dim <= 100 {
        return dim.max(1);
    }
    (1..=dim / 2)
        .rev()
        .find(|&s| dim.is_multiple_of(s))
        .unwrap_or(1)
        .max(1)
}

/// Codebooks trained by [`train_quantizer`], ready for [`write_quantized`].
#[derive(Debug, Clone)]
pub struct TrainedQuantizer {
    pq: Pq<f32>,
    sample: usize,
    train_secs: f64,
    sample_mse: f64,
    held_out_mse: f64,
}

impl TrainedQuantizer {
    /// Subquantizers (code bytes per row).
    pub fn subquantizers(&self) -> usize {
        self.pq.quantized_len()
    }

    /// Seconds spent training (sampling and the rotation included, the error measurements
    /// not).
    pub fn train_secs(&self) -> f64 {
        self.train_secs
    }

    /// Mean squared distance between a sampled unit row and its reconstruction.
    pub fn sample_mse(&self) -> f64 {
        self.sample_mse
    }

    /// The same over up to 20,000 rows outside the sample (NaN when every row was sampled).
    pub fn held_out_mse(&self) -> f64 {
        self.held_out_mse
    }
}

/// k-means steps [`train_quantizer`] counts on its progress (one per subquantizer and
/// iteration, the OPQ rotation's included), for a progress bar's total.
pub fn training_steps(dim: usize, opts: &QuantizeOptions) -> u64 {
    let subq = opts
        .subquantizers
        .unwrap_or_else(|| default_subquantizers(dim));
    let rotation = if opts.opq { super::opq::STEPS } else { 0 };
    (subq * (opts.iterations + rotation)) as u64
}

/// Checks the settings, then trains the codebooks (and the OPQ rotation) on a sample of
/// `space`; `progress` counts [`training_steps`] and cancels.
pub fn train_quantizer(
    space: &Space,
    opts: &QuantizeOptions,
    progress: Option<&Progress>,
) -> Result<TrainedQuantizer> {
    let dim = space.dim();
    let subq = opts
        .subquantizers
        .unwrap_or_else(|| default_subquantizers(dim));
    if dim == 0 || space.is_empty() {
        return Err(Error::Invalid("cannot quantize an empty space".into()));
    }
    if subq == 0 || !dim.is_multiple_of(subq) {
        return Err(Error::Invalid(format!(
            "--subquantizers {subq} must divide the {dim} dimensions"
        )));
    }
    if !(1..=8).contains(&opts.bits) || (1usize << opts.bits) > space.len() {
        return Err(Error::Invalid(format!(
            "--bits {} must be 1 to 8 and 2^bits at most the {} words",
            opts.bits,
            space.len()
        )));
    }
    let start = Instant::now();
    let sample = sample_rows(space, opts.sample);
    let pq = train(&sample, subq, opts, progress)?;
    let train_secs = start.elapsed().as_secs_f64();
    let sample_mse = mse(&pq, sample.view());
    let n = space.len();
    let held_out_mse = if opts.sample.saturating_mul(2) <= n {
        // Rows half-way between sampled ones (row i·n/s is sampled; gaps are ≥ 2 rows).
        let (s, held) = (opts.sample.max(1), opts.sample.clamp(1, 20_000));
        let shift = n / s / 2;
        let rows = (0..held).map(|t| (t * s / held) * n / s + shift);
        mse(&pq, rows_at(space, rows).view())
    } else {
        f64::NAN
    };
    Ok(TrainedQuantizer {
        pq,
        sample: sample.nrows(),
        train_secs,
        sample_mse,
        held_out_mse,
    })
}

/// Encodes every row of `space` with `trained` into the finalfusion file `path` (written
/// atomically: nothing is left behind on an error or a cancel); `progress` counts rows.
pub fn write_quantized(
    space: &Space,
    path: &Path,
    trained: &TrainedQuantizer,
    progress: Option<&Progress>,
) -> Result<QuantizeReport> {
    progress.check()?;
    let start = Instant::now();
    atomic_write(path, |w| {
        let mut o = Out { w, path, pos: 0 };
        head(&mut o, space, QUANTIZED_ARRAY)?;
        write_chunk(&mut o, space, &trained.pq, progress)?;
        norms(&mut o, space)
    })?;
    Ok(QuantizeReport {
        subquantizers: trained.subquantizers(),
        bits: trained.pq.n_quantizer_centroids().trailing_zeros(),
        sample: trained.sample,
        train_secs: trained.train_secs,
        encode_secs: start.elapsed().as_secs_f64(),
        sample_mse: trained.sample_mse,
        held_out_mse: trained.held_out_mse,
        bytes: std::fs::metadata(path).map_or(0, |m| m.len()),
    })
}

/// Quantizes `space` into the finalfusion file `path` (written atomically):
/// [`train_quantizer`] then [`write_quantized`], one `progress` for both.
pub fn quantize(
    space: &Space,
    path: &Path,
    opts: &QuantizeOptions,
    progress: Option<&Progress>,
) -> Result<QuantizeReport> {
    let trained = train_quantizer(space, opts, progress)?;
    write_quantized(space, path, &trained, progress)
}

/// Up to `want` non-zero unit rows, evenly spread over the space.
fn sample_rows(space: &Space, want: usize) -> Array2<f32> {
    let n = space.len();
    if want >= n {
        return rows_at(space, 0..n);
    }
    rows_at(space, (0..want).map(|i| i * n / want))
}

/// The unit vectors of the non-zero rows among `rows`.
fn rows_at(space: &Space, rows: impl Iterator<Item = usize>) -> Array2<f32> {
    let rows: Vec<usize> = rows
        .filter(|&r| r < space.len() && space.norms()[r] > 0.0)
        .collect();
    let d = space.dim();
    let mut out = Array2::zeros((rows.len(), d));
    for (mut o, &r) in out.outer_iter_mut().zip(&rows) {
        o.iter_mut().zip(space.unit(r)).for_each(|(a, b)| *a = *b);
    }
    out
}

fn train(
    sample: &Array2<f32>,
    subq: usize,
    opts: &QuantizeOptions,
    progress: Option<&Progress>,
) -> Result<Pq<f32>> {
    let (bits, iterations, seed) = (opts.bits, opts.iterations, opts.seed);
    if !opts.opq {
        let books = train_codebooks(sample.view(), subq, bits, iterations, seed, progress)?;
        return Ok(Pq::new(None, books));
    }
    let rotation = super::opq::rotation(sample, subq, bits, seed.wrapping_add(1), progress)?;
    let rotated = sample.dot(&rotation);
    let books = train_codebooks(rotated.view(), subq, bits, iterations, seed, progress)?;
    Ok(Pq::new(Some(rotation), books))
}

/// Mean squared reconstruction error over `rows`.
pub(crate) fn mse(pq: &Pq<f32>, rows: ArrayView2<f32>) -> f64 {
    let mut codes = Array2::<u8>::zeros((rows.nrows(), pq.quantized_len()));
    if let Some(out) = codes.as_slice_mut() {
        Encoder::new(pq).encode_rows(rows, out);
    }
    let back = pq.reconstruct_batch(codes);
    let total: f64 = (&back - &rows).iter().map(|v| f64::from(v * v)).sum();
    total / rows.nrows().max(1) as f64
}

/// Writes the QuantizedArray chunk: header, projection, codebooks, norms, then every row's
/// codes (encoded in parallel blocks, written in order).
fn write_chunk<W: std::io::Write>(
    o: &mut Out<'_, W>,
    space: &Space,
    pq: &Pq<f32>,
    progress: Option<&Progress>,
) -> Result<()> {
    let (rows, dim) = (space.len(), space.dim());
    let subq = pq.quantized_len();
    let centroids = pq.n_quantizer_centroids();
    o.u32(QUANTIZED_ARRAY)?;
    let pad = padding(o.pos + 8 + 4 * 5 + 8 + 8);
    let floats = pq.projection().map_or(0, |_| dim * dim) + centroids * dim + rows;
    o.u64(4 * 5 + 8 + 8 + pad + floats as u64 * 4 + (rows * subq) as u64)?;
    o.u32(u32::from(pq.projection().is_some()))?;
    o.u32(1)?;
    for v in [subq, dim, centroids] {
        o.u32(v as u32)?;
    }
    o.u64(rows as u64)?;
    o.u32(TYPE_U8)?;
    o.u32(TYPE_F32)?;
    o.put(&[0u8; 4][..pad as usize])?;
    let mut buf: Vec<u8> = Vec::new();
    let mut floats_out = |o: &mut Out<'_, W>, v: &mut dyn Iterator<Item = f32>| {
        buf.clear();
        v.for_each(|x| buf.extend_from_slice(&x.to_le_bytes()));
        o.put(&buf)
    };
    if let Some(p) = pq.projection() {
        floats_out(o, &mut p.iter().copied())?;
    }
    floats_out(o, &mut pq.subquantizers().iter().copied())?;
    floats_out(o, &mut space.norms().iter().copied())?;
    const BLOCK: usize = 64 * 1024;
    let enc = Encoder::new(pq);
    for first in (0..rows).step_by(BLOCK) {
        let count = BLOCK.min(rows - first);
        let codes = encode(space, &enc, first, count);
        o.put(&codes)?;
        progress.check()?;
        progress.add(count as u64);
    }
    Ok(())
}

/// The codes of rows `first .. first + count`, encoded in parallel.
fn encode(space: &Space, enc: &Encoder, first: usize, count: usize) -> Vec<u8> {
    const PART: usize = 2048;
    let (dim, subq) = (space.dim(), enc.code_len());
    let mut codes = vec![0u8; count * subq];
    codes
        .par_chunks_mut(PART * subq)
        .enumerate()
        .for_each(|(p, out)| {
            let lo = first + p * PART;
            let n = out.len() / subq;
            let mut x = Array2::<f32>::zeros((n, dim));
            for (i, mut row) in x.outer_iter_mut().enumerate() {
                row.iter_mut()
                    .zip(space.unit(lo + i))
                    .for_each(|(a, b)| *a = *b);
            }
            enc.encode_rows(x.view(), out);
        });
    codes
}

#[cfg(test)]
#[path = "quantize_tests.rs"]
mod tests;
