//! `embx layout`: a 2-D layout (PCA, t-SNE, UMAP or custom axes) of a set of words, written
//! as TSV, SVG or PNG, with the kept-neighbours figure printed.
use super::output;
use super::progress::{with_bar, Unit};
use super::InputArgs;
use crate::error::{Error, Result};
use crate::project::axes::Axes;
use crate::project::layout::{lay_out, Laid, Method};
use crate::project::points::PointSet;
use crate::project::quality::kept_neighbours;
use crate::project::rows::Rows;
use crate::project::stream::{Control, Frame, Stream};
use crate::project::tsne::TsneParams;
use crate::project::umap::UmapParams;
use crate::space::Space;
use clap::{ArgGroup, Args, ValueEnum};
use serde_json::json;
use std::path::PathBuf;
use std::time::Instant;

mod write;
use write::{write_picture, write_tsv, OutKind, Output};

/// Neighbours compared by the kept-neighbours figure.
const KEPT_K: usize = 10;

/// The arguments of `embx layout`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("set").required(true).args(["words", "top", "neighbours", "list"])))]
// `--words` names the words to lay out here, so the word list of a Projector TSV or a .npy
// matrix (`--words FILE` elsewhere) is `--labels FILE` in this command.
#[command(mut_arg("words_file", |a| a.long("labels")))]
pub struct LayoutArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Lay out these words.
    #[arg(long, num_args = 1..)]
    pub words: Vec<String>,
    /// Lay out the N first (most frequent) words, N up to 10,000.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub top: Option<usize>,
    /// Lay out this word and its -k nearest neighbours.
    #[arg(long, value_name = "WORD")]
    pub neighbours: Option<String>,
    /// Neighbours taken with --neighbours.
    #[arg(short, default_value_t = 100, allow_negative_numbers = true)]
    pub k: usize,
    /// Lay out the words of this file (one a line).
    #[arg(long, value_name = "FILE")]
    pub list: Option<PathBuf>,
    /// The layout method.
    #[arg(long, value_enum, default_value = "tsne")]
    pub method: MethodArg,
    /// Custom x axis A:B, the direction from A to B (with --method axes).
    #[arg(long, value_name = "A:B")]
    pub x: Option<String>,
    /// Custom y axis C:D, the direction from C to D (with --method axes).
    #[arg(long, value_name = "C:D")]
    pub y: Option<String>,
    /// t-SNE perplexity [default: 30; when it is not below the number of words N, it is
    /// lowered to (N − 1) / 3].
    #[arg(long, allow_negative_numbers = true)]
    pub perplexity: Option<f64>,
    /// t-SNE iterations (UMAP epochs when given with --method umap).
    #[arg(long, allow_negative_numbers = true)]
    pub iterations: Option<usize>,
    /// t-SNE learning rate (default: scikit-learn's auto, max(N / 48, 50)).
    #[arg(long, allow_negative_numbers = true)]
    pub learning_rate: Option<f64>,
    /// UMAP neighbourhood size.
    #[arg(long, default_value_t = 15, allow_negative_numbers = true)]
    pub umap_neighbors: usize,
    /// UMAP minimum distance between points.
    #[arg(long, default_value_t = 0.1, allow_negative_numbers = true)]
    pub min_dist: f64,
    /// Seed (random starts, UMAP's sampling, k-means).
    #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
    pub seed: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, allow_negative_numbers = true)]
    pub threads: Option<usize>,
    /// Colour by k-means over the original vectors into this many clusters (a TSV column).
    #[arg(long, value_name = "K", allow_negative_numbers = true)]
    pub clusters: Option<usize>,
    /// Output: .tsv (word, x, y, kept (with more than 20 words), cluster), .svg or .png.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `--method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    Pca,
    Tsne,
    Umap,
    Axes,
}

/// Words that suggestions are looked for, at most: a long list of missing words (a `--list`
/// file of another vocabulary) should not scan the vocabulary thousands of times.
const SUGGESTED: usize = 20;

/// A warning for each word left out because the vocabulary lacks it, with its close
/// spellings as an unknown word gets them (for the first [`SUGGESTED`]).
fn warn_missing(space: &crate::space::Space, missing: &[(String, Option<u64>)]) {
    for (i, (w, line)) in missing.iter().enumerate() {
        let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
        let close = if i < SUGGESTED {
            crate::query::suggest(space, w, 3)
        } else {
            Vec::new()
        };
        let mean = if close.is_empty() {
            String::new()
        } else {
            format!(" (did you mean: {}?)", close.join(", "))
        };
        eprintln!("warning: {w:?}{at} is not in the vocabulary; left out{mean}");
    }
}

/// Runs `embx layout`.
pub fn run(args: &LayoutArgs, quiet: bool) -> Result<()> {
    let kind = OutKind::of(&args.output)?;
    crate::io::check_target(&args.output)?;
    let space = super::load::open(&args.input, quiet)?;
    let set = point_set(args);
    let mut points = set.resolve(&space)?;
    let mut method = method(args, &space)?;
    if let Method::Axes(a) = &method {
        // The words that define the axes are drawn in.
        for w in a.words.iter().flatten() {
            points
                .rows
                .extend(space.index(w).filter(|r| !points.rows.contains(r)));
        }
    }
    if !quiet {
        warn_missing(&space, &points.missing);
    }
    if points.rows.len() < 2 {
        return Err(Error::Invalid(format!(
            "{} to lay out: a layout needs at least 2 words",
            if points.rows.is_empty() {
                "no words"
            } else {
                "only 1 word"
            }
        )));
    }
    let rows = Rows::from_space(&space, &points.rows)?;
    // The default perplexity is fitted to a few words; one asked for is checked as given.
    if let (Method::Tsne(p), None) = (&mut method, args.perplexity) {
        let fitted = p.perplexity_for(rows.len());
        if fitted != p.perplexity && !quiet {
            eprintln!(
                "note: the default perplexity ({}) needs more than {} words; using {fitted:.2}",
                p.perplexity,
                rows.len()
            );
        }
        p.perplexity = fitted;
    }
    let started = Instant::now();
    let Laid {
        points: layout,
        titles,
    } = in_pool(args.threads, || compute(&rows, &method, quiet))?;
    let seconds = started.elapsed().as_secs_f64();
    let kept = in_pool(args.threads, || kept_neighbours(&rows, &layout, KEPT_K))?;
    let clusters = match args.clusters {
        Some(k) => Some(crate::project::kmeans::kmeans(&rows, k, 100, args.seed)?.labels),
        None => None,
    };
    let words: Vec<&str> = points
        .rows
        .iter()
        .map(|&r| space.word(r as usize))
        .collect();
    let source = args.input.file.file_name().map_or_else(
        || args.input.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let out = Output {
        source: &source,
        words: &words,
        layout: &layout,
        titles: &titles,
        kept: &kept,
        clusters: clusters.as_deref(),
    };
    match kind {
        OutKind::Tsv => write_tsv(&args.output, &out)?,
        _ => write_picture(&args.output, kind, &out, &method, quiet)?,
    }
    report(args, &method, &out, seconds, points.missing.len())
}

fn point_set(args: &LayoutArgs) -> PointSet {
    if let Some(n) = args.top {
        PointSet::Top(n)
    } else if let Some(word) = &args.neighbours {
        PointSet::Neighbours {
            word: word.clone(),
            k: args.k,
        }
    } else if let Some(path) = &args.list {
        PointSet::List(path.clone())
    } else {
        PointSet::Words(args.words.clone())
    }
}

fn method(args: &LayoutArgs, space: &Space) -> Result<Method> {
    if args.method != MethodArg::Axes && (args.x.is_some() || args.y.is_some()) {
        return Err(Error::Invalid(
            "--x and --y are the axes of --method axes; add --method axes to use them".into(),
        ));
    }
    // Settings of one method given to another are a mistake, not silently dropped.
    let tsne_only = [
        (args.perplexity.is_some(), "--perplexity"),
        (args.learning_rate.is_some(), "--learning-rate"),
    ];
    let given = tsne_only.iter().find(|(given, _)| *given);
    if let (Some((_, flag)), true) = (given, args.method != MethodArg::Tsne) {
        return Err(Error::Invalid(format!(
            "{flag} is a setting of t-SNE (--method tsne, the default), not of the method asked for"
        )));
    }
    if args.iterations.is_some() && matches!(args.method, MethodArg::Pca | MethodArg::Axes) {
        return Err(Error::Invalid(
            "--iterations is for t-SNE and UMAP; PCA and axes are computed, not iterated".into(),
        ));
    }
    Ok(match args.method {
        MethodArg::Pca => Method::Pca,
        MethodArg::Tsne => Method::Tsne(TsneParams {
            perplexity: args.perplexity.unwrap_or(TsneParams::default().perplexity),
            iterations: args.iterations.unwrap_or(1000),
            learning_rate: args.learning_rate,
            seed: args.seed,
            ..TsneParams::default()
        }),
        MethodArg::Umap => Method::Umap(UmapParams {
            n_neighbors: args.umap_neighbors,
            min_dist: args.min_dist,
            epochs: args.iterations,
            seed: args.seed,
            ..UmapParams::default()
        }),
        MethodArg::Axes => {
            let (Some(x), Some(y)) = (&args.x, &args.y) else {
                return Err(Error::Invalid(
                    "--method axes needs --x A:B and --y C:D".into(),
                ));
            };
            Method::Axes(Axes::new(space, pair(x)?, pair(y)?)?)
        }
    })
}

fn pair(s: &str) -> Result<[&str; 2]> {
    match s.split_once(':') {
        Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok([a, b]),
        _ => Err(Error::Invalid(format!("an axis is written A:B, not {s:?}"))),
    }
}

fn in_pool<T: Send>(threads: Option<usize>, f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    let Some(n) = threads else { return f() };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n.max(1))
        .build()
        .map_err(|e| Error::Invalid(format!("cannot start {n} threads: {e}")))?;
    pool.install(f)
}

/// Runs the layout with a progress bar; Ctrl-C cancels it.
fn compute(rows: &Rows, method: &Method, quiet: bool) -> Result<Laid> {
    with_bar(method.name(), Unit::Steps, quiet, |progress| {
        let control = Control::default();
        let mut on_frame = |f: Frame<'_>| {
            progress.set_total(f.iterations as u64);
            progress.set_done(f.iteration as u64);
            if progress.is_cancelled() {
                control.cancel();
            }
        };
        let mut stream = Stream {
            control: &control,
            every: 10,
            on_frame: &mut on_frame,
        };
        lay_out(rows, method, &mut stream)
    })
}

fn report(
    args: &LayoutArgs,
    method: &Method,
    out: &Output<'_>,
    seconds: f64,
    missing: usize,
) -> Result<()> {
    let n = out.words.len();
    if args.json {
        return output::print_json(&json!({
            "method": method.name(),
            "words": n,
            "missing": missing,
            "seconds": seconds,
            "output": args.output.display().to_string(),
            "kept_neighbours": {
                "k": out.kept.k,
                // Four decimals (the text report prints three): no float noise.
                "mean": out.kept.is_informative().then_some((out.kept.mean * 1e4).round() / 1e4),
            },
        }));
    }
    let k = out.kept.k;
    let kept = if out.kept.is_informative() {
        format!(
            "{:.3} (mean share of each word's {k} nearest neighbours by cosine that are among its {k} nearest in the layout)",
            out.kept.mean
        )
    } else {
        format!(
            "not measured: {n} words are too few for it to mean anything ({} or more are needed)",
            2 * KEPT_K + 1
        )
    };
    output::print(&format!(
        "{} of {n} words in {seconds:.2} s → {}\nkept neighbours: {kept}\n",
        method.name(),
        args.output.display(),
    ))
}
