//! `embx eval`: analogy accuracy and word-pair correlation.
use super::output;
use super::progress::{with_bar, Unit};
use super::table::{escape, Align, Table};
use crate::error::{Error, Result, Warning};
use crate::eval::{
    self, bundled, AnalogyOptions, AnalogyReport, AnalogySet, PairOptions, PairReport, PairSet,
    Preset, Status,
};
use crate::io::atomic_write;
use crate::query::Method;
use crate::space::Space;
use serde_json::json;
use std::io::Write;
use std::path::Path;

/// Options of `embx eval`.
pub struct EvalArgs<'a> {
    pub analogies: &'a [String],
    pub pairs: &'a [String],
    pub preset: Preset,
    pub restrict: Option<usize>,
    pub method: Method,
    pub dump: Option<&'a Path>,
    pub json: bool,
    pub quiet: bool,
    /// Pairs with an unknown word are scored from its subwords.
    pub oov_subwords: bool,
}

/// Refuses arguments that cannot evaluate anything, and notes that a quantized file's scores
/// are its reconstructions'.
fn refuse_or_note(space: &Space, args: &EvalArgs) -> Result<()> {
    if args.analogies.is_empty() && args.pairs.is_empty() {
        return Err(Error::Invalid(
            "nothing to evaluate: give --analogies SET and/or --pairs SET (bundled: google, wordsim353, simlex999)".into(),
        ));
    }
    if args.restrict == Some(0) {
        return Err(Error::Invalid(
            "--restrict 0 leaves no words to answer with; give 1 or more (the gensim preset searches the first 300000)".into(),
        ));
    }
    if space.matrix().pq().is_some() && !args.quiet {
        eprintln!(
            "note: the file holds product-quantized codes: the words are scored with the \
             vectors reconstructed from them, so the scores are the quantized space's"
        );
    }
    Ok(())
}

/// The notes and warnings of a run, on stderr.
fn say_notes(space: &Space, args: &EvalArgs, warnings: impl Iterator<Item = String>) {
    if args.oov_subwords && space.subwords().is_none() {
        eprintln!(
            "note: --oov-subwords changes nothing here: {} has no subwords to build unseen words from",
            space.source().path.display()
        );
    }
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

/// Runs `embx eval`: the analogy sets and word-pair sets asked for, as text or JSON.
pub fn run(space: &Space, args: &EvalArgs) -> Result<()> {
    refuse_or_note(space, args)?;
    let mut warnings = Vec::new();
    let mut analogy_reports = Vec::new();
    for name in args.analogies {
        let (label, set) = read_set(
            name,
            bundled::ANALOGY_SETS,
            &mut warnings,
            AnalogySet::parse,
        )?;
        let report = with_bar(
            &format!("evaluating {label}"),
            Unit::Rows,
            args.quiet,
            |p| {
                let opts = AnalogyOptions {
                    preset: args.preset,
                    restrict: args.restrict,
                    method: args.method,
                    progress: Some(&p),
                };
                eval::evaluate_analogies(space, &set, &opts)
            },
        )?;
        if let Some(path) = args.dump {
            dump(path, &set, &report)?;
        }
        analogy_reports.push((label, report));
    }
    let mut pair_reports = Vec::new();
    for name in args.pairs {
        let (label, set) = read_set(name, bundled::PAIR_SETS, &mut warnings, PairSet::parse)?;
        let opts = PairOptions {
            restrict: Some(pair_rows(space, args)),
            case_insensitive: args.preset != Preset::Finalfusion,
            subwords: args.oov_subwords,
        };
        pair_reports.push((label, eval::evaluate_pairs(space, &set, &opts)?));
    }
    if !args.quiet {
        let empty = nothing_scored(&analogy_reports, &pair_reports);
        let all = warnings.iter().map(ToString::to_string).chain(empty);
        say_notes(space, args, all);
    }
    if args.json {
        let a: Vec<_> = analogy_reports
            .iter()
            .map(|(l, r)| json!({"set": l, "report": r}))
            .collect();
        let p: Vec<_> = pair_reports
            .iter()
            .map(|(l, r)| json!({"set": l, "report": r, "words_searched": pair_rows(space, args)}))
            .collect();
        let quantized = space.matrix().pq().is_some();
        return output::print_json(&json!({"analogies": a, "pairs": p, "quantized": quantized}));
    }
    let mut text = String::new();
    for (label, r) in &analogy_reports {
        text.push_str(&analogy_text(label, r, space.len()));
    }
    for (label, r) in &pair_reports {
        text.push_str(&pair_text(label, r, pair_rows(space, args), space.len()));
    }
    output::print(&text)
}

type Parser<T> = fn(&Path, &[u8], &mut Vec<Warning>) -> Result<T>;

fn read_set<T>(
    name: &str,
    sets: &'static [(&str, &str, &[u8])],
    warnings: &mut Vec<Warning>,
    parse: Parser<T>,
) -> Result<(String, T)> {
    let path = Path::new(name);
    if !path.exists() {
        if let Some((file, bytes)) = bundled::find(sets, name) {
            return Ok((
                format!("{name} ({file}, bundled)"),
                parse(Path::new(file), bytes, warnings)?,
            ));
        }
    }
    if !path.exists() {
        let names: Vec<&str> = sets.iter().map(|s| s.0).collect();
        return Err(Error::Invalid(format!(
            "{name}: no such file, and not a bundled set (bundled here: {})",
            names.join(", ")
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok((name.to_string(), parse(path, &bytes, warnings)?))
}

/// Warnings for sets of which nothing could be scored (every question skipped, every pair
/// out of the vocabulary): their figures are empty, not bad.
fn nothing_scored(
    analogies: &[(String, AnalogyReport)],
    pairs: &[(String, PairReport)],
) -> Vec<String> {
    let mut out = Vec::new();
    for (label, r) in analogies {
        if r.questions > 0 && r.skipped == r.questions {
            out.push(format!(
                "{label}: every question was skipped (a word outside the first {} words); a larger --restrict, or none, scores them",
                crate::text::thousands(r.rows)
            ));
        }
    }
    for (label, r) in pairs {
        if r.used == 0 {
            out.push(format!(
                "{label}: no pair has both words among the words searched, so there is no correlation"
            ));
        }
    }
    out
}

fn analogy_text(label: &str, r: &AnalogyReport, all: usize) -> String {
    let mut out = format!(
        "analogies: {}  (preset {}, {}, first {} words)\n",
        escape(label),
        r.preset.name(),
        r.method,
        crate::text::thousands(r.rows)
    );
    let mut t = Table::new(&[
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
    ])
    .header(&["section", "correct", "of", "accuracy", "skipped"]);
    for s in &r.sections {
        t.row(vec![
            escape(&s.name).into_owned(),
            s.score.correct.to_string(),
            s.score.evaluated.to_string(),
            format!("{:.2} %", s.score.percent()),
            s.skipped.to_string(),
        ]);
    }
    for (name, s, skipped) in [
        ("semantic", r.semantic, String::new()),
        ("syntactic", r.syntactic, String::new()),
        ("total", r.total, r.skipped.to_string()),
    ] {
        t.row(vec![
            name.to_string(),
            s.correct.to_string(),
            s.evaluated.to_string(),
            format!("{:.2} %", s.percent()),
            skipped,
        ]);
    }
    out.push_str(&t.render());
    // With --restrict (or the preset's limit) a skipped question's words may well be in the
    // file, only beyond the words searched.
    let why = if r.rows < all {
        format!(
            "a word not among the first {} of {} words",
            crate::text::thousands(r.rows),
            crate::text::thousands(all)
        )
    } else {
        "out of vocabulary".to_string()
    };
    out.push_str(&format!(
        "{} questions, {} skipped ({why}), {:.2} s\n\n",
        r.questions, r.skipped, r.seconds
    ));
    out
}

/// The words that take part in word-pair evaluation: `--restrict`, else gensim's 300,000
/// (`restrict_vocab`), at most the whole vocabulary.
/// The words word pairs are looked up among: `--restrict`, else gensim's first 300,000
/// (`evaluate_word_pairs`), or all of them with the finalfusion preset, which also matches
/// words exactly as it does for analogies.
fn pair_rows(space: &Space, args: &EvalArgs) -> usize {
    let preset = match args.preset {
        Preset::Finalfusion => space.len(),
        _ => 300_000,
    };
    args.restrict.unwrap_or(preset).min(space.len())
}

fn pair_text(label: &str, r: &PairReport, rows: usize, all: usize) -> String {
    let searched = if rows < all {
        format!(
            "  (only the first {} of {} words: a pair with a word beyond them counts as out of vocabulary; --restrict changes this)\n",
            crate::text::thousands(rows),
            crate::text::thousands(all)
        )
    } else {
        String::new()
    };
    let subwords = if r.from_subwords > 0 {
        format!(
            "  ({} of the pairs used have a word built from subwords)\n",
            r.from_subwords
        )
    } else {
        String::new()
    };
    format!(
        "pairs: {}\n  Pearson {:.4}  Spearman {:.4}  pairs used {}  out of vocabulary {} ({:.1} %)\n{subwords}{searched}\n",
        escape(label),
        r.pearson,
        r.spearman,
        r.used,
        r.oov,
        r.oov_ratio
    )
}

fn dump(path: &Path, set: &AnalogySet, r: &AnalogyReport) -> Result<()> {
    atomic_write(path, |w| {
        let err = |e| Error::io(path, e);
        writeln!(w, "section\ta\tb\tc\texpected\tpredicted\tstatus").map_err(err)?;
        for o in &r.outcomes {
            let q = &o.question;
            let status = match o.status {
                Status::Correct => "correct",
                Status::Incorrect => "incorrect",
                Status::Skipped => "skipped",
            };
            writeln!(
                w,
                "{}\t{}\t{}\t{}\t{}\t{}\t{status}",
                set.sections[o.section].name,
                q[0],
                q[1],
                q[2],
                q[3],
                o.predicted.as_deref().unwrap_or("")
            )
            .map_err(err)?;
        }
        Ok(())
    })
}
