//! Measurements for the Chinese segmentation and the NNLM (README numbers).
//!
//! - `zh_nnlm segment FILE`: segmentation speed on one thread (MB/s of input), and the time to
//!   read the corpus with and without segmentation on 1 and 2 threads.
//! - `zh_nnlm nnlm TRAIN HELDOUT OUT [DIM EPOCHS ORDER HIDDEN THREADS]`: trains the NNLM on
//!   TRAIN (whitespace-tokenised), saves the vectors to OUT, and prints the speed and the rank
//!   of the true next word of HELDOUT's words among the vocabulary, with the perplexity. With
//!   `RAW_SCORES=1` it also ranks by the raw output scores (no noise weighting), to compare.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a measurement script: a failure stops it with the reason"
)]
use embx::io::{self, SaveOptions};
use embx::train::{nnlm, Config, Corpus, Monitor, NnlmConfig, ReadOptions, Segmenter};
use std::path::PathBuf;
use std::time::Instant;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn segment(path: &str) -> Res<()> {
    let text = std::fs::read_to_string(path)?;
    let seg = Segmenter::new()?;
    let _ = seg.cut("预热");
    let start = Instant::now();
    let mut out = String::with_capacity(text.len() * 5 / 4);
    for line in text.lines() {
        seg.segment_line(line, &mut out);
        out.push('\n');
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = text.len() as f64 / 1e6;
    println!(
        "segment_1_thread: {mb:.1} MB in {secs:.2} s = {:.1} MB/s",
        mb / secs
    );
    let paths = [PathBuf::from(path)];
    for threads in [1, 2] {
        let t = Instant::now();
        let c =
            Corpus::read_segmented(&paths, ReadOptions::default(), Some((&seg, threads)), None)?;
        let with = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let plain = Corpus::read(&paths, ReadOptions::default(), None)?;
        let without = t.elapsed().as_secs_f64();
        println!(
            "read threads={threads}: segmented {with:.2} s ({} tokens, {} distinct), whitespace only {without:.2} s ({} tokens)",
            c.stats().tokens,
            c.stats().distinct,
            plain.stats().tokens
        );
    }
    Ok(())
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize, default: T) -> T {
    args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

fn nnlm_run(args: &[String]) -> Res<()> {
    let [train_path, held_path, out] = [&args[0], &args[1], &args[2]];
    let config = Config {
        dim: arg(args, 3, 100),
        epochs: arg(args, 4, 1),
        threads: arg(args, 7, 2),
        nnlm: Some(NnlmConfig {
            order: arg(args, 5, 5),
            hidden: arg(args, 6, 100),
        }),
        ..Config::default()
    };
    let corpus = Corpus::read(&[PathBuf::from(train_path)], ReadOptions::default(), None)?;
    let trained = nnlm::train_model(&corpus, &config, &Monitor::new())?;
    let model = trained.language_model.as_ref().ok_or("no language model")?;
    let r = &trained.report;
    println!(
        "nnlm: {} words x {} in {:.1} s, {:.0} words/s ({:.0}/thread), loss {:?}",
        trained.space.len(),
        trained.space.dim(),
        r.seconds,
        r.words_per_second,
        r.words_per_second / config.threads() as f64,
        r.final_loss
    );
    let format = embx::Format::for_output(out.as_ref(), None)?;
    let save = SaveOptions {
        format,
        progress: None,
    };
    io::save(&trained.space, out.as_ref(), &save)?;
    let held = std::fs::read_to_string(held_path)?;
    let sentences: Vec<Vec<Option<u32>>> = held
        .lines()
        .map(|l| model.encode(&model.tokens(l).unwrap_or_default()))
        .filter(|s| !s.is_empty())
        .collect();
    let t = Instant::now();
    let nw = model.next_word(&sentences, None)?;
    println!(
        "next word on held-out: {} predictions ({} unknown), median rank {:.0}, mean rank {:.0}, MRR {:.3}, top-10 {:.1} %, perplexity {:.1} (unigram {:.1}) ({:.1} s; vocabulary {})",
        nw.predictions,
        nw.unknown,
        nw.median_rank,
        nw.mean_rank,
        nw.mrr,
        100.0 * nw.top10,
        nw.perplexity,
        nw.unigram_perplexity,
        t.elapsed().as_secs_f64(),
        trained.space.len()
    );
    if std::env::var_os("RAW_SCORES").is_some() {
        // The scores ranked as they are (the noise distribution left out): a uniform one.
        let flat = nnlm::LanguageModel::new(
            model.weights.clone(),
            model.words().to_vec(),
            vec![1; model.words().len()],
            None,
        )?;
        let nw = flat.next_word(&sentences, None)?;
        println!(
            "raw scores: median rank {:.0}, mean rank {:.0}, MRR {:.3}, top-10 {:.1} %, perplexity {:.1}",
            nw.median_rank, nw.mean_rank, nw.mrr, 100.0 * nw.top10, nw.perplexity
        );
    }
    Ok(())
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("segment") if args.len() == 2 => segment(&args[1]),
        Some("nnlm") if args.len() >= 4 => nnlm_run(&args[1..]),
        _ => Err("usage: zh_nnlm segment FILE | zh_nnlm nnlm TRAIN HELDOUT OUT [DIM EPOCHS ORDER HIDDEN THREADS]".into()),
    }
}
