//! `embx ngram CORPUS…`: an N-gram language model of a text on its own, with interpolated
//! modified Kneser-Ney smoothing as KenLM estimates it: its next words after a context,
//! sampled sentences, its perplexity on held-out text, and the model as an ARPA file.
//! `embx ngram MODEL.arpa` asks the same of a model read from an ARPA file.
use super::args::KParser;
use super::output;
use super::progress::{with_bar, Unit};
use crate::error::{Error, Result};
use crate::text::{pad, thousands, width};
use crate::train::lm;
use crate::train::ngram::backoff;
use crate::train::ngram::text::{TextLm, TextModel, END};
use crate::train::{Config, Segment};
use clap::Args;
use serde_json::json;
use std::path::PathBuf;

mod held_out;
use held_out::held_out_of;

/// The arguments of `embx ngram`.
#[derive(Debug, Args)]
pub struct NgramArgs {
    /// The text: one sentence a line (several files are read in order; .gz is read too; `-`
    /// reads standard input). Or
    /// one ARPA file (KenLM's, SRILM's, or one this command wrote) to ask instead.
    #[arg(required = true, num_args = 1.., value_name = "CORPUS|MODEL.arpa")]
    pub corpus: Vec<PathBuf>,
    /// N, the longest n-gram, 1 to 10 [default: 3].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10))]
    pub order: Option<u64>,
    /// The next words after CONTEXT (quoted; "" is a sentence's start).
    #[arg(long, value_name = "CONTEXT")]
    pub next: Option<String>,
    /// Number of next words shown (with --generate: sample among this many).
    #[arg(short, long = "topn", value_name = "K", default_value_t = 10, value_parser = KParser)]
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
    /// Leave out words seen fewer times than this [default: 1: every word, as KenLM's lmplz].
    #[arg(long)]
    pub min_count: Option<u64>,
    /// Lowercase the text (and the context) first.
    #[arg(long)]
    pub lowercase: bool,
    /// Cut Chinese into words with jieba: auto (when the text is mostly Chinese), zh, off.
    #[arg(long, default_value = "auto")]
    pub segment: Segment,
    /// A jieba user dictionary (one word a line, optional frequency and tag): words to keep
    /// whole when cutting the text, the context and the held-out text.
    #[arg(long, value_name = "FILE")]
    pub user_dict: Option<PathBuf>,
    /// Print one JSON object: the model, and the held-out scores, next words or sampled
    /// sentence asked for.
    #[arg(long)]
    pub json: bool,
}

/// Runs `embx ngram`.
pub fn run(args: &NgramArgs, quiet: bool) -> Result<()> {
    let config = Config {
        lowercase: args.lowercase,
        segment: args.segment,
        user_dict: args.user_dict.clone(),
        ..Config::default()
    };
    config.validate()?;
    if let Some(held) = &args.held_out {
        held_out_is_text(held)?;
    }
    let quiet = quiet || args.json;
    if let [path] = args.corpus.as_slice() {
        if backoff::is_arpa(path) {
            return run_arpa(args, path, config, quiet);
        }
    }
    if let Some(arpa) = args.corpus.iter().find(|p| backoff::is_arpa(p)) {
        return Err(Error::Invalid(format!(
            "{} is an ARPA model, not text: give it alone to ask it",
            arpa.display()
        )));
    }
    let segmented = crate::train::will_segment(&args.corpus, &config)?;
    if !quiet {
        for note in super::train::segmenting(&config, segmented) {
            eprintln!("{note}");
        }
    }
    let corpus = with_bar("reading the corpus", Unit::Bytes, quiet, |p| {
        crate::train::read_corpus_as(&args.corpus, &config, segmented, Some(&p))
    })?;
    let min_count = args.min_count.unwrap_or(1);
    let left_out = (
        (min_count, None),
        ["is left out (<unk>)", "are left out (<unk>)"],
    );
    let note = super::train::corpus_dictionary(&corpus, &config, left_out, None);
    if let Some(note) = note.filter(|_| !quiet) {
        eprintln!("{note}");
    }
    let order = args.order.unwrap_or(3) as usize;
    let model = with_bar("counting n-grams", Unit::Rows, quiet, |p| {
        TextModel::estimate(&corpus, order, min_count, Some(&p))
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
    let about = json!({
        "source": "text",
        "order": order,
        "tokens": corpus.stats().tokens,
        "ngrams": header_sizes(&model),
        "discounts": model.model.discounts(),
    });
    let counted_in = Some(&corpus);
    answers(&model, args, (config, segmented, counted_in), about, quiet)
}

/// `embx ngram MODEL.arpa`: the model read from the file, asked the same questions.
fn run_arpa(args: &NgramArgs, path: &std::path::Path, config: Config, quiet: bool) -> Result<()> {
    let counted = [
        (args.order.is_some(), "--order"),
        (args.min_count.is_some(), "--min-count"),
        (args.arpa.is_some(), "-o/--arpa"),
    ];
    if let Some((_, flag)) = counted.iter().find(|(given, _)| *given) {
        return Err(Error::Invalid(format!(
            "{flag} is for counting a text, and {} is an ARPA model: its order and words are \
             the file's",
            path.display()
        )));
    }
    let model = with_bar("reading the ARPA file", Unit::Bytes, quiet, |p| {
        backoff::open(path, Some(&p))
    })?;
    // Chinese contexts are cut into words when the model's words are Chinese.
    let segmented = match args.segment {
        Segment::Zh => true,
        Segment::Off => false,
        Segment::Auto => mostly_chinese(model.words()),
    };
    if !quiet {
        let sizes: Vec<String> = model.sizes().iter().map(|&k| thousands(k)).collect();
        eprintln!(
            "ARPA back-off {}-gram model {}: {} words besides <s>, </s> and <unk>; n-grams of \
             each order, from 1: {}",
            model.order(),
            path.display(),
            thousands(model.vocabulary()),
            sizes.join(" / "),
        );
    }
    if args.next.is_none() && args.generate.is_none() && args.held_out.is_none() && !quiet {
        eprintln!("ask it with --next CONTEXT, --generate N or --held-out FILE");
    }
    let about = json!({
        "source": "arpa",
        "file": path.display().to_string(),
        "order": model.order(),
        "ngrams": model.sizes(),
    });
    answers(&model, args, (config, segmented, None), about, quiet)
}

/// Refuses an ARPA file given as `--held-out` text (`ngram` and `predict`): its lines are a
/// model's, and scoring them as sentences would mislead.
pub(super) fn held_out_is_text(path: &std::path::Path) -> Result<()> {
    if backoff::is_arpa(path) {
        return Err(Error::Invalid(format!(
            "{} is an ARPA model, not text to score: --held-out takes sentences",
            path.display()
        )));
    }
    Ok(())
}

/// Whether more than a twentieth of `words` have Chinese characters.
fn mostly_chinese(words: &[String]) -> bool {
    let cjk = words
        .iter()
        .filter(|w| crate::train::segment::has_cjk(w))
        .count();
    cjk * 20 > words.len()
}

/// Prints what the arguments ask of `model`: the held-out scores, then the next words or a
/// sampled sentence; with `--json`, one object with `about` (the model) and them.
/// `segmented` says whether the text was (or is to be) cut into Chinese words; `counted_in`
/// is the text the model was counted in (none for an ARPA file).
fn answers<M: TextLm>(
    model: &M,
    args: &NgramArgs,
    (config, segmented, counted_in): (Config, bool, Option<&crate::train::Corpus>),
    mut about: serde_json::Value,
    quiet: bool,
) -> Result<()> {
    let seg = segmented
        .then(|| crate::train::segmenter(config.user_dict.as_deref()))
        .transpose()?;
    // (A text's reading said it already.)
    if let (Some(dict), false, None) = (&args.user_dict, segmented, counted_in) {
        // Not used, but a missing dictionary is still a mistake worth naming.
        std::fs::metadata(dict).map_err(|e| Error::io(dict, e))?;
        if !quiet {
            eprintln!(
                "note: --user-dict was not used: the text is not Chinese, so nothing is cut \
                 into words (--segment zh cuts all the same)"
            );
        }
    }
    let tokens = |text: &str| crate::train::tokens_with(text, args.lowercase, seg.as_ref());
    about["words"] = json!(model.vocabulary());
    let mut v = json!({ "model": about });
    let mut out = String::new();
    if let Some(path) = &args.held_out {
        let (text, scores) = held_out_of(model, path, (config, segmented, counted_in), quiet)?;
        out.push_str(&text);
        v["held_out"] = scores;
    }
    let mut words = match &args.next {
        Some(text) => tokens(text),
        None => Vec::new(),
    };
    // Every context starts a sentence; a `<s>` or `</s>` written in it starts a new one.
    if let Some(at) = words.iter().rposition(|w| w == "<s>" || w == "</s>") {
        words.drain(..=at);
    }
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
    if args.next.is_some() || args.generate.is_some() {
        v["context"] = json!(words);
        v["unknown"] = json!(unknown);
    }
    if let Some(n) = args.generate {
        let (text, sampled) = generated(model, (&words, &context), n as usize, args);
        out.push_str(&text);
        v["generated"] = sampled;
    } else if args.next.is_some() {
        let (text, next) = next_words(model, &context, args.k);
        out.push_str(&text);
        v["next"] = next;
    }
    match args.json {
        true => output::print_json(&v),
        false => output::print(&out),
    }
}

/// "Kneser-Ney 3-gram model of N tokens over M words and </s>: … n-grams …; discounts …".
fn summary(model: &TextModel, read: &crate::train::CorpusStats) -> String {
    let sizes: Vec<String> = header_sizes(model).iter().map(|&k| thousands(k)).collect();
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
         each order, from 1 (the 1-grams with <s> and <unk>, as the ARPA file lists them); \
         discounts D1 D2 D3+ by order: {}",
        model.model.order(),
        thousands(read.tokens as usize),
        thousands(model.words().len() - 1),
        sizes.join(" / "),
        discounts.join(" | "),
    )
}

/// The n-grams of each order as the ARPA file's header counts them: the 1-grams with `<s>`
/// and `<unk>`.
fn header_sizes(model: &TextModel) -> Vec<usize> {
    let mut sizes = model.model.sizes();
    sizes[0] = model.words().len() + 2;
    sizes
}

/// A word of the model as shown (`</s>` says what it is).
fn shown(model: &impl TextLm, id: u32) -> String {
    let w = &model.words()[id as usize];
    if w == END {
        format!("{END} (end of sentence)")
    } else {
        w.clone()
    }
}

/// The `k` likeliest next words after `context`, one a line.
fn next_words(
    model: &impl TextLm,
    context: &[Option<u32>],
    k: usize,
) -> (String, serde_json::Value) {
    let next = lm::top_k(&model.log_probabilities(context), k);
    let ctx = model.context_of(context);
    // The heading names the context after its last unknown word (which starts no n-gram, or
    // only n-grams of <unk>), and <s> in words.
    let after = (ctx.iter().rposition(|&id| model.is_unknown(id))).map_or(0, |i| i + 1);
    let used: Vec<&str> = ctx[after..]
        .iter()
        .filter(|&&id| !model.is_start(id))
        .filter_map(|&id| model.words().get(id as usize).map(String::as_str))
        .collect();
    let quoted = format!("\"{}\"", used.join(" "));
    let starts = ctx.get(after).is_some_and(|&id| model.is_start(id));
    let unknown = context.iter().any(Option::is_none);
    let heading = match (starts, used.is_empty()) {
        _ if model.order() == 1 => "any words (a 1-gram model reads no context)".to_string(),
        (true, true) => "the start of a sentence".to_string(),
        (true, false) => format!("{quoted}, as a sentence's first words"),
        (false, true) => "an unknown word (read as <unk>, which starts no n-gram)".into(),
        _ if unknown => format!("{quoted}, after an unknown word"),
        _ => quoted,
    };
    let cells: Vec<String> = next.iter().map(|&(id, _)| shown(model, id)).collect();
    let w = cells.iter().map(|c| width(c)).max().unwrap_or(0);
    let mut s = format!("next word after {heading}\n");
    for (rank, (cell, (_, p))) in cells.iter().zip(&next).enumerate() {
        s.push_str(&format!("{:>4}  {}  {p:>7.4}\n", rank + 1, pad(cell, w)));
    }
    let listed: Vec<serde_json::Value> = next
        .iter()
        .map(|&(id, p)| json!({"word": model.words()[id as usize], "probability": p}))
        .collect();
    let v = json!({"used": used, "sentence_start": starts, "words": listed});
    (s, v)
}

/// A sentence sampled after the context (its `words`, read as `context`): its words, up to
/// `</s>` or `n` words.
fn generated(
    model: &impl TextLm,
    (words, context): (&[String], &[Option<u32>]),
    n: usize,
    args: &NgramArgs,
) -> (String, serde_json::Value) {
    // N words, sentences ended by </s> and the next begun, as the model draws them.
    let ids = lm::generate(model, context, n, args.k, args.seed);
    let ended = ids.last() == Some(&model.end());
    let sampled: Vec<&str> = ids
        .iter()
        .map(|&i| match i == model.end() {
            true => "</s>",
            false => model.words()[i as usize].as_str(),
        })
        .collect();
    let start = match words.is_empty() {
        true => "(sentence start)".to_string(),
        false => words.join(" "),
    };
    let tail = if ended { "" } else { " …" };
    let v = json!({"words": sampled, "ended": ended});
    (format!("{start} | {}{tail}\n", sampled.join(" ")), v)
}
