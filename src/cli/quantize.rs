//! `embx quantize IN OUT.fifu`: product quantization into a finalfusion file.
use super::load;
use super::progress::{with_bar, Unit};
use super::InputArgs;
use crate::error::{Error, Result};
use crate::io::{
    default_subquantizers, train_quantizer, training_steps, write_quantized, QuantizeOptions,
};
use crate::jobs::ProgressExt;
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

/// Options of `embx quantize`.
#[derive(Debug, Args)]
pub struct QuantizeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The quantized finalfusion file to write.
    pub output: PathBuf,
    /// Subquantizers (code bytes per word); must divide the dimension
    /// [default: one per dimension up to 100 dimensions, else the largest divisor of the
    /// dimension up to half of it, 150 for 300].
    #[arg(long, allow_negative_numbers = true)]
    pub subquantizers: Option<usize>,
    /// Bits per subquantizer (1 to 8): 2^bits centroids each.
    #[arg(long, default_value_t = 8, allow_negative_numbers = true)]
    pub bits: u32,
    /// Learn an orthogonal rotation first (optimized product quantization).
    #[arg(long)]
    pub opq: bool,
    /// Words sampled (spread evenly over the file) to train the codebooks on.
    #[arg(long, default_value_t = 50_000, allow_negative_numbers = true)]
    pub sample: usize,
    /// k-means iterations.
    #[arg(long, default_value_t = 15, allow_negative_numbers = true)]
    pub iterations: usize,
}

/// Quantizes the input and reports the sizes, times and the reconstruction error.
pub fn run(args: &QuantizeArgs, quiet: bool) -> Result<()> {
    if args.output.extension().and_then(|e| e.to_str()) != Some("fifu") {
        return Err(Error::Invalid(format!(
            "{}: the quantized file is a finalfusion file; name it *.fifu",
            args.output.display()
        )));
    }
    crate::io::check_target(&args.output)?;
    let same = |a: &std::path::Path, b: &std::path::Path| matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b);
    if same(&args.input.file, &args.output) {
        return Err(Error::Invalid(format!(
            "{}: the output is the input; quantizing is lossy, so write the codes to another \
             file and keep the vectors",
            args.output.display()
        )));
    }
    let start = Instant::now();
    let space = load::open(&args.input, quiet)?;
    if space.matrix().pq().is_some() {
        return Err(Error::Invalid(format!(
            "{} is already product-quantized: quantizing its reconstructions again would add \
             a second error to the first; quantize the f32 file it came from",
            args.input.file.display()
        )));
    }
    let opts = QuantizeOptions {
        subquantizers: args.subquantizers,
        bits: args.bits,
        opq: args.opq,
        sample: args.sample,
        iterations: args.iterations,
        ..QuantizeOptions::default()
    };
    let subq = args
        .subquantizers
        .unwrap_or_else(|| default_subquantizers(space.dim()));
    let label = format!("training {subq} codebooks");
    let trained = with_bar(&label, Unit::Steps, quiet, |p| {
        Some(&*p).set_total(training_steps(space.dim(), &opts));
        train_quantizer(&space, &opts, Some(&p))
    })?;
    let label = format!(
        "encoding {} words into {subq} bytes each",
        crate::text::thousands(space.len())
    );
    let report = with_bar(&label, Unit::Rows, quiet, |p| {
        Some(&*p).set_total(space.len() as u64);
        write_quantized(&space, &args.output, &trained, Some(&p))
    })?;
    if !quiet {
        eprintln!(
            "wrote {}: {} words × {} subquantizers of {} bits{} ({:.1} MiB); codebooks trained on {} words in {:.1} s, encoding {:.1} s, {:.1} s in all; mean squared error of a unit vector {:.5} (sampled words){}",
            args.output.display(),
            crate::text::thousands(space.len()),
            report.subquantizers,
            report.bits,
            if args.opq { ", OPQ rotation" } else { "" },
            report.bytes as f64 / (1 << 20) as f64,
            crate::text::thousands(report.sample),
            report.train_secs,
            report.encode_secs,
            start.elapsed().as_secs_f64(),
            report.sample_mse,
            match report.held_out_mse.is_nan() {
                // The sample was every word: none was left out to measure on.
                true => String::new(),
                false => format!(", {:.5} (other words)", report.held_out_mse),
            }
        );
    }
    Ok(())
}
