//! `embx predict MODEL [CONTEXT…]`: an NNLM's next words after a context, its held-out check
//! (`--held-out FILE`: ranks and perplexity against a unigram model) and sampled text
//! (`--generate N`).
use super::args::KParser;
use super::{output, stdin};
use crate::error::{Error, Result};
use crate::text::thousands;
use crate::train::lm::{self, NextWordModel};
use crate::train::nnlm::{file, LanguageModel};
use clap::Args;
use serde_json::json;
use std::path::{Path, PathBuf};

mod held_out;

/// The arguments of `embx predict`.
#[derive(Debug, Args)]
pub struct PredictArgs {
    /// The NNLM: the vectors file `embx train --model nnlm -o FILE` wrote (its model is
    /// FILE.nnlm.safetensors beside it, checked to belong to it), or that model file itself.
    pub model: PathBuf,
    /// The words before the one to predict, oldest first (none: a sentence's start). `-`
    /// reads one context a line from stdin.
    #[arg(num_args = 0.., value_name = "CONTEXT")]
    pub context: Vec<String>,
    /// Number of next words to show (with --generate: sample among this many).
    #[arg(short, long = "topn", value_name = "K", default_value_t = 10, value_parser = KParser, conflicts_with = "held_out")]
    pub k: usize,
    /// Score the model on a text file instead (one sentence a line): the rank of each true
    /// next word, mean reciprocal rank, top-10 share and perplexity, beside a unigram model.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["context", "generate"])]
    pub held_out: Option<PathBuf>,
    /// Also estimate a Kneser-Ney N-gram model over the same words, from the corpus the NNLM
    /// was trained on (as its metadata names it) or, with `--ngram=CORPUS`, from CORPUS, and
    /// show its next words beside the NNLM's (with --held-out: its scores; with --generate:
    /// its text).
    #[arg(
        long,
        value_name = "CORPUS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = ""
    )]
    pub ngram: Option<String>,
    /// The N-gram model's order, 1 to 10 (default: the NNLM's).
    #[arg(long, value_name = "N", requires = "ngram", value_parser = clap::value_parser!(u64).range(1..=10))]
    pub ngram_order: Option<u64>,
    /// Continue the context by N words, each drawn from the K likeliest.
    #[arg(long, value_name = "N", value_parser = parse_count)]
    pub generate: Option<u64>,
    /// Seed of --generate's draws.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A jieba user dictionary to cut contexts (and --held-out, --ngram texts) with, instead
    /// of the one training used (which the model's metadata names).
    #[arg(long, value_name = "FILE")]
    pub user_dict: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `embx predict`.
pub fn run(args: &PredictArgs, quiet: bool) -> Result<()> {
    let mut model = open(&args.model, quiet || args.json)?;
    if let Some(dict) = &args.user_dict {
        std::fs::metadata(dict).map_err(|e| Error::io(dict, e))?;
        model.user_dict_given = Some(dict.clone());
        if !model.segment && !quiet {
            eprintln!("note: --user-dict was not used: the model's corpus was not cut into words");
        }
    }
    if let Some(dict) = model.user_dict().filter(|d| model.segment && !d.is_file()) {
        if !quiet {
            eprintln!(
                "warning: training cut Chinese with the user dictionary {}, which is not there \
                 now: contexts are cut with jieba's own dictionary (--user-dict FILE gives it)",
                dict.display()
            );
        }
    }
    let listing = args.held_out.is_none() && args.generate.is_none();
    if args.k > model.words().len() && !quiet && listing {
        eprintln!(
            "note: -k {} is more than the model's {} words; showing all of them",
            args.k,
            thousands(model.words().len())
        );
    }
    if let Some(held) = &args.held_out {
        return held_out::run(&model, held, args, quiet);
    }
    let counted = match &args.ngram {
        Some(corpus) => {
            let quiet = quiet || args.json;
            let vectors = (args.model.as_path(), quiet);
            let c = held_out::estimate(&model, corpus, args.ngram_order, &[], vectors)?;
            if !quiet && !args.json {
                eprintln!("{}", c.model.describe());
            }
            Some(c)
        }
        None => None,
    };
    let answer = |words: &[String]| answer(&model, counted.as_ref(), args, words, quiet);
    if args.context == ["-"] {
        return stdin::every_line(|line| {
            let words = [line.to_string()];
            match answer(&words) {
                Ok(()) => Ok(()),
                Err(e) => stdin::line_error(line, e, args.json),
            }
        });
    }
    answer(&args.context)
}

/// Reads the model of `path` (a vectors file, or the model itself), checked to belong to the
/// vectors, saying what to do when there is none.
fn open(path: &Path, quiet: bool) -> Result<LanguageModel> {
    std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if crate::train::ngram::backoff::is_arpa(path) {
        return Err(Error::Invalid(format!(
            "{} is an ARPA N-gram model, not an NNLM: `embx ngram {} --next WORDS` asks it",
            path.display(),
            path.display()
        )));
    }
    let model_path = file::model_path(path);
    if model_path == path {
        return file::load(path);
    }
    if !model_path.exists() {
        // A file that is not vectors at all (a corpus given by mistake) says so first.
        crate::io::check(path, None)?;
        return Err(Error::Invalid(format!(
            "{} has no language model beside it ({} is missing). `embx train --model nnlm` \
             writes one beside the vectors when its run ends; skip-gram and CBOW learn from a \
             window around each word, not from the words before it, and have none",
            path.display(),
            model_path.display(),
        )));
    }
    let vectors = crate::io::load(path, &crate::io::LoadOptions::default())?.space;
    let model = file::load_beside(path, &vectors)?
        .ok_or_else(|| Error::Invalid(format!("{}: no language model", model_path.display())))?;
    if !quiet {
        eprintln!("language model: {}", model_path.display());
    }
    Ok(model)
}

/// The next words after `words` (or, with --generate, sampled text), printed; with
/// `--ngram`, the N-gram model's beside them.
fn answer(
    model: &LanguageModel,
    counted: Option<&held_out::Counted>,
    args: &PredictArgs,
    words: &[String],
    quiet: bool,
) -> Result<()> {
    let tokens = model.tokens(&words.join(" "))?;
    let ids = model.encode(&tokens);
    let unknown: Vec<&str> = tokens
        .iter()
        .zip(&ids)
        .filter(|(_, id)| id.is_none())
        .map(|(t, _)| t.as_str())
        .collect();
    if !tokens.is_empty() && unknown.len() == tokens.len() {
        // Nothing of the context is known: answering for a sentence's start would mislead.
        if let (Some(hint), false) = (file_hint(&unknown), quiet) {
            eprintln!("note:{hint}");
        }
        return Err(Error::UnknownWord {
            word: unknown[0].to_string(),
            suggestions: crate::query::suggest_among(model.words(), unknown[0], 3),
            hint: None,
        });
    }
    if !unknown.is_empty() && !quiet && !args.json {
        eprintln!(
            "not in the vocabulary (left out, as training leaves them out): {}{}",
            unknown.join(" "),
            case_hint(model, &unknown)
        );
    }
    let used = model.used(
        tokens
            .iter()
            .map(String::as_str)
            .zip(ids.iter().map(Option::is_some)),
    );
    let context = json!({"context": tokens, "used": used, "unknown": unknown});
    if let Some(n) = args.generate {
        let line = generated(model, counted, args, (&tokens, &ids), n as usize, context);
        return output::print(&format!("{line}\n"));
    }
    let next = model.predict(&ids, args.k);
    let other = counted.map(|c| (c, lm::top_k(&c.model.kn.log_probabilities(&ids), args.k)));
    if args.json {
        let listed = |next: &[(u32, f64)]| -> Vec<serde_json::Value> {
            next.iter()
                .map(|&(i, p)| json!({"word": model.words()[i as usize], "probability": p}))
                .collect()
        };
        let mut v = context;
        v["next"] = json!(listed(&next));
        if let Some((c, other)) = &other {
            v["ngram"] = json!({"order": c.model.order, "next": listed(other)});
        }
        return output::print(&format!("{v}\n"));
    }
    let heading = format!(
        "next word after {}\n",
        model.describe_context(&used, tokens.len())
    );
    output::print(&(heading + &listing(model, &next, other.as_ref())))
}

/// `n` words sampled after the context (`tokens`, read as `ids`), and the N-gram model's after
/// them: a line each, or one JSON object extending `context`.
fn generated(
    model: &LanguageModel,
    counted: Option<&held_out::Counted>,
    args: &PredictArgs,
    (tokens, ids): (&[String], &[Option<u32>]),
    n: usize,
    mut context: serde_json::Value,
) -> String {
    let names = |rows: Vec<u32>| -> Vec<&str> {
        rows.iter()
            .map(|&i| model.words()[i as usize].as_str())
            .collect()
    };
    let (k, seed) = (args.k, args.seed);
    let words = names(model.generate(ids, n, k, seed));
    let other = counted.map(|c| names(lm::generate(&c.model.kn, ids, n, k, seed)));
    if args.json {
        context["generated"] = json!(words);
        if let Some(o) = &other {
            context["ngram"] = json!({ "generated": o });
        }
        return context.to_string();
    }
    let start = if tokens.is_empty() {
        "(sentence start)".to_string()
    } else {
        tokens.join(" ")
    };
    match other {
        None => format!("{start} | {}", words.join(" ")),
        Some(o) => format!(
            "NNLM        {start} | {}\nKneser-Ney  {start} | {}",
            words.join(" "),
            o.join(" ")
        ),
    }
}

/// The ranked next words (and the N-gram model's beside them), one rank a line.
fn listing(
    model: &LanguageModel,
    next: &[(u32, f64)],
    other: Option<&(&held_out::Counted, Vec<(u32, f64)>)>,
) -> String {
    let word = |i: u32| model.words()[i as usize].as_str();
    let width = |list: &[(u32, f64)]| {
        list.iter()
            .map(|&(i, _)| crate::text::width(word(i)))
            .max()
            .unwrap_or(0)
    };
    let (w1, w2) = (width(next), other.map_or(0, |o| width(&o.1)));
    let mut s = String::new();
    if let Some((c, _)) = other {
        let nnlm = crate::text::pad("NNLM", w1 + 9);
        s.push_str(&format!(
            "      {nnlm}    Kneser-Ney {}-gram\n",
            c.model.order
        ));
    }
    for rank in 0..next.len().max(other.map_or(0, |o| o.1.len())) {
        let cell = |list: &[(u32, f64)], w: usize| match list.get(rank) {
            Some(&(i, p)) => format!("{}  {p:>7.4}", crate::text::pad(word(i), w)),
            None => " ".repeat(w + 9),
        };
        let mut line = format!("{:>4}  {}", rank + 1, cell(next, w1));
        if let Some((_, list)) = other {
            line.push_str(&format!("    {}", cell(list, w2)));
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}

/// `--generate N`: at least 1.
fn parse_count(s: &str) -> std::result::Result<u64, String> {
    match s.parse::<u64>() {
        Ok(0) => Err("--generate must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("{s:?} is not a count: {e}")),
    }
}

/// A hint when an unknown word names a file: `--ngram CORPUS` reads CORPUS as the context.
fn file_hint(unknown: &[&str]) -> Option<String> {
    let file = unknown.iter().find(|w| Path::new(w).is_file())?;
    Some(format!(
        " ({file} is a file: to count n-grams in it, write --ngram={file})"
    ))
}

/// A hint when unknown words are known in lower case (the model is case-sensitive), or name
/// a file (`--ngram CORPUS` reads CORPUS as the context: the corpus needs `--ngram=CORPUS`).
fn case_hint(model: &LanguageModel, unknown: &[&str]) -> String {
    if let Some(hint) = file_hint(unknown) {
        return hint;
    }
    let lower: Vec<String> = unknown
        .iter()
        .map(|w| w.to_lowercase())
        .filter(|w| model.id(w).is_some())
        .collect();
    if lower.is_empty() {
        String::new()
    } else {
        format!(
            " (its words are case-sensitive; it knows {})",
            lower.join(" ")
        )
    }
}
