//! `embx ngram CORPUS…`: an N-gram language model of a text on its own, with interpolated
//! modified Kneser-Ney smoothing as KenLM estimates it: its next words after a context,
//! sampled sentences, its perplexity on held-out text, and the model as an ARPA file.
use super::args::parse_k;
use super::output;
use super::progress::{with_bar, Unit};
use crate::error::{Error, Result};
use crate::text::{pad, thousands, width};
use crate::train::lm::{self, NextWordModel};
use crate::train::ngram::text::{TextModel, END};
use crate::train::ngram::BOS;
use crate::train::{Config, Segment};
use clap::Args;
use std::path::PathBuf;

/// The arguments of `embx ngram`.
#[derive(Debug, Args)]
pub struct NgramArgs {
    /// The text: one sentence a line (several files are read in order; .gz is read too).
    #[arg(required = true, num_args = 1..)]
    pub corpus: Vec<PathBuf>,
    /// N, the longest n-gram, 1 to 10.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=10))]
    pub order: u64,
    /// The next words after CONTEXT (quoted; "" is a sentence's start).
    #[arg(long, value_name = "CONTEXT")]
    pub next: Option<String>,
    /// Number of next words shown (with --generate: sample among this many).
    #[arg(short, long = "topn", value_name = "K", default_value_t = 10, value_parser = parse_k)]
    pub k: usize,
    /// Sample a sentence: up to N words after --next's context (or a sentence's start),
    /// ending early where the model ends it (`</s>`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub generate: Option<u64>,
    /// Seed of --generate's draws.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Score the model on a text file (one sentence a line): perplexity with `</s>`, as KenLM's
    /// `query` reports it, and the rank of each true next word.
    #[arg(long, value_name = "FILE")]
    pub held_out: Option<PathBuf>,
    /// Write the model as an ARPA file (KenLM, SRILM and most decoders read it).
    #[arg(short = 'o', long = "arpa", value_name = "FILE")]
    pub arpa: Option<PathBuf>,
    /// Leave out words seen fewer times than this (default 1: every word, as KenLM's lmplz).
    #[arg(long, default_value_t = 1)]
    pub min_count: u64,
    /// Lowercase the text (and the context) first.
    #[arg(long)]
    pub lowercase: bool,
    /// Cut Chinese into words with jieba: auto (when the text is mostly Chinese), zh, off.
    #[arg(long, default_value = "auto")]
    pub segment: Segment,
}

/// Runs `embx ngram`.
pub fn run(args: &NgramArgs, quiet: bool) -> Result<()> {
    let config = Config {
        lowercase: args.lowercase,
        segment: args.segment,
        ..Config::default()
    };
    let corpus = with_bar("reading the corpus", Unit::Bytes, quiet, |p| {
        crate::train::read_corpus(&args.corpus, &config, Some(&p))
    })?;
    let segmented = corpus.stats().segmented;
    let order = args.order as usize;
    let model = with_bar("counting n-grams", Unit::Rows, quiet, |p| {
        TextModel::estimate(&corpus, order, args.min_count, Some(&p))
    })?;
    if !quiet {
        eprintln!("{}", summary(&model, corpus.stats()));
        if corpus.stats().invalid_utf8 > 0 {
            eprintln!(
                "warning: the corpus has {} invalid UTF-8 sequences; is it text?",
                thousands(corpus.stats().invalid_utf8 as usize)
            );
        }
    }
    if let Some(path) = &args.arpa {
        crate::io::atomic_write(path, |w| {
            model
                .write_arpa(w)
                .map_err(|e| Error::io(path.as_path(), e))
        })?;
        if !quiet {
            eprintln!("wrote {} (ARPA)", path.display());
        }
    }
    let tokens = |text: &str| crate::train::tokens(text, args.lowercase, segmented);
    let mut out = String::new();
    if let Some(path) = &args.held_out {
        // Read as the corpus was read: cut into words when it was.
        let config = Config {
            segment: if segmented { Segment::Zh } else { Segment::Off },
            ..config
        };
        let held = crate::train::read_corpus(std::slice::from_ref(path), &config, None)?;
        out.push_str(&held_out(&model, &held, path, quiet)?);
    }
    let words = match &args.next {
        Some(text) => tokens(text)?,
        None => Vec::new(),
    };
    let context: Vec<Option<u32>> = words.iter().map(|t| model.id(t)).collect();
    let unknown: Vec<&str> = words
        .iter()
        .zip(&context)
        .filter(|(_, id)| id.is_none())
        .map(|(w, _)| w.as_str())
        .collect();
    if !unknown.is_empty() && !quiet {
        let lower = unknown
            .iter()
            .any(|w| model.id(&w.to_lowercase()).is_some());
        eprintln!(
            "not in the vocabulary (read as <unk>, as KenLM reads it; the context starts after \
             it): {}{}",
            unknown.join(" "),
            if lower {
                " (the text was read as it is; --lowercase reads it lowercased)"
            } else {
                ""
            }
        );
    }
    if let Some(n) = args.generate {
        out.push_str(&generated(&model, (&words, &context), n as usize, args));
    } else if args.next.is_some() {
        out.push_str(&next_words(&model, &context, args.k));
    }
    output::print(&out)
}

/// "Kneser-Ney 3-gram model of N tokens over M words and </s>: … n-grams …; discounts …".
fn summary(model: &TextModel, read: &crate::train::CorpusStats) -> String {
    let sizes: Vec<String> = model.model.sizes().iter().map(|&k| thousands(k)).collect();
    let discounts: Vec<String> = model
        .model
        .discounts()
        .iter()
        .map(|d| match d {
            [0.5, 1.0, 1.5] => "0.5 1 1.5 (lmplz's fallback: too few n-grams to estimate)".into(),
            _ => format!("{:.2} {:.2} {:.2}", d[0], d[1], d[2]),
        })
        .collect();
    format!(
        "Kneser-Ney {}-gram model of {} tokens over {} words and </s>: {} distinct n-grams of \
         each order, from 1; discounts D1 D2 D3+ by order: {}",
        model.model.order(),
        thousands(read.tokens as usize),
        thousands(model.words().len() - 1),
        sizes.join(" / "),
        discounts.join(" | "),
    )
}

/// A word of the model as shown (`</s>` says what it is).
fn shown(model: &TextModel, id: u32) -> String {
    let w = &model.words()[id as usize];
    if w == END {
        format!("{END} (end of sentence)")
    } else {
        w.clone()
    }
}

/// The `k` likeliest next words after `context`, one a line.
fn next_words(model: &TextModel, context: &[Option<u32>], k: usize) -> String {
    let next = lm::top_k(&model.log_probabilities(context), k);
    let ctx = model.context(context);
    // <s> has no word: it is said in words instead.
    let used: Vec<&str> = ctx
        .iter()
        .filter_map(|&id| model.words().get(id as usize).map(String::as_str))
        .collect();
    let quoted = format!("\"{}\"", used.join(" "));
    let heading = match (ctx.first(), used.is_empty()) {
        (Some(&BOS), true) => "the start of a sentence".to_string(),
        (Some(&BOS), false) => format!("{quoted}, as a sentence's first words"),
        (_, true) => "an unknown word (the unigram distribution: <unk> starts no n-gram)".into(),
        _ if context.iter().any(Option::is_none) => format!("{quoted}, after an unknown word"),
        _ => quoted,
    };
    let cells: Vec<String> = next.iter().map(|&(id, _)| shown(model, id)).collect();
    let w = cells.iter().map(|c| width(c)).max().unwrap_or(0);
    let mut s = format!("next word after {heading}\n");
    for (rank, (cell, (_, p))) in cells.iter().zip(&next).enumerate() {
        s.push_str(&format!("{:>4}  {}  {p:>7.4}\n", rank + 1, pad(cell, w)));
    }
    s
}

/// A sentence sampled after the context (its `words`, read as `context`): its words, up to
/// `</s>` or `n` words.
fn generated(
    model: &TextModel,
    (words, context): (&[String], &[Option<u32>]),
    n: usize,
    args: &NgramArgs,
) -> String {
    let ids = lm::generate(model, context, n, args.k, args.seed);
    let end = ids.iter().position(|&i| i == model.end());
    let sampled: Vec<&str> = ids[..end.unwrap_or(ids.len())]
        .iter()
        .map(|&i| model.words()[i as usize].as_str())
        .collect();
    let start = match words.is_empty() {
        true => "(sentence start)".to_string(),
        false => words.join(" "),
    };
    let tail = if end.is_some() { " </s>" } else { " …" };
    format!("{start} | {}{tail}\n", sampled.join(" "))
}

/// The scores on held-out text.
fn held_out(
    model: &TextModel,
    held: &crate::train::Corpus,
    path: &std::path::Path,
    quiet: bool,
) -> Result<String> {
    let sentences = model.sentences(held);
    let r = with_bar("scoring sentences", Unit::Rows, quiet, |p| {
        lm::next_word(model, model.counts(), &sentences, Some(&p))
    })?;
    if r.predictions == 0 {
        return Err(Error::Invalid(format!(
            "{}: it has no sentence to score",
            path.display()
        )));
    }
    Ok(format!(
        "held-out check on {}: {} predictions, {} sentence ends among them (words outside the \
         vocabulary, not predicted: {})\n\
         perplexity   {:>10.2}   (unigram model on the same words: {:.2})\n\
         median rank  {:>10}   of {} words and </s>\n\
         mean rank    {:>10.0}\n\
         top 10       {:>9.1} %\n\
         MRR          {:>10.3}\n",
        path.display(),
        thousands(r.predictions as usize),
        thousands(sentences.len()),
        thousands(r.unknown as usize),
        r.perplexity,
        r.unigram_perplexity,
        r.median_rank,
        thousands(model.words().len() - 1),
        r.mean_rank,
        100.0 * r.top10,
        r.mrr,
    ))
}
