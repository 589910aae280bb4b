//! `embx index FILE`: build the approximate neighbour index of a vector file; and the use of
//! an existing index by `similar`, `analogy` and `query`.
use super::progress::{with_bar, Unit};
use super::{load, output, InputArgs};
use crate::error::{Error, Result};
use crate::index::{self, Measured, Params, Status};
use crate::space::Space;
use clap::Args;
use serde_json::json;
use std::path::PathBuf;
use std::time::Instant;

/// Options of `embx index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Links per word (layer 0 keeps twice as many); more is slower to build, better recall.
    #[arg(long, default_value_t = 16, allow_negative_numbers = true)]
    pub m: usize,
    /// Beam width while building; wider is slower to build, better recall.
    #[arg(long, default_value_t = crate::index::DEFAULT_EF_CONSTRUCTION, allow_negative_numbers = true)]
    pub ef_construction: usize,
    /// Measure recall@10 and query times against the exact search on the words of this file
    /// (one a line); an index that is up to date is not rebuilt.
    #[arg(long, value_name = "WORDS")]
    pub measure: Option<PathBuf>,
    /// Beam width of the searches measured.
    #[arg(long, default_value_t = crate::index::DEFAULT_EF, allow_negative_numbers = true)]
    pub ef: usize,
    /// Print one JSON object on stdout: the index (where, and how it was built) and, with
    /// --measure, the recall and times.
    #[arg(long)]
    pub json: bool,
}

/// How the index came to be: built now (with what and how long), or found up to date.
struct Built {
    path: PathBuf,
    /// Seconds the build took; `None` when an up-to-date index was used as it was.
    seconds: Option<f64>,
}

/// Builds and saves the index (or, for `--measure`, uses one that is up to date), saying
/// where, how long and how big; measures it when asked.
pub fn run(args: &IndexArgs, quiet: bool) -> Result<()> {
    if load::is_demo(&args.input.file) {
        return Err(Error::Invalid(
            "the demo space is small enough to search exactly; index a file instead".into(),
        ));
    }
    let space = load::open(&args.input, quiet)?;
    if space.matrix().pq().is_some() {
        return Err(Error::Invalid(format!(
            "{} holds product-quantized codes, which queries search through their distance \
             tables, never through an HNSW index: index the f32 file instead",
            args.input.file.display()
        )));
    }
    let params = Params {
        m: args.m,
        ef_construction: args.ef_construction,
        ..Params::default()
    };
    // The words to measure are read first: a mistake in them is said before a long build.
    let probe = match &args.measure {
        Some(words) => Some(Probe::read(&space, words)?),
        None => None,
    };
    let built = match (&probe, index::status(&space)?) {
        (Some(_), Status::Ready(h)) => Built {
            path: h.path().to_path_buf(),
            seconds: None,
        },
        _ => build(&space, &params, quiet, args.json)?,
    };
    let measured = match &probe {
        Some(probe) => Some((probe, measure(&space, &built.path, probe, args.ef)?)),
        None => None,
    };
    if args.json {
        let measured = measured.as_ref().map(|(p, m)| (*p, m));
        let v = report_json(&space, (&params, args.ef), &built, measured);
        return output::print_json(&v);
    }
    if let Some((probe, m)) = &measured {
        if probe.missing > 0 && !quiet {
            eprintln!("{}", probe.missing_note());
        }
        output::print(&format!("{}\n", say_measured(m, args.ef)))?;
    }
    Ok(())
}

/// Builds and saves the index with a progress bar, and says so on stderr (not with `json`).
fn build(space: &Space, params: &Params, quiet: bool, json: bool) -> Result<Built> {
    let start = Instant::now();
    let label = format!("indexing {} words", crate::text::thousands(space.len()));
    let path = with_bar(&label, Unit::SlowingRows, quiet, |progress| {
        index::build_and_save(space, params, Some(&progress))
    })?;
    let seconds = start.elapsed().as_secs_f64();
    if !json {
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "built the HNSW index of {} words (M {}, ef_construction {}) in {seconds:.1} s on {} threads: {} ({:.1} MiB)",
            crate::text::thousands(space.len()),
            params.m,
            params.ef_construction,
            rayon::current_num_threads(),
            path.display(),
            bytes as f64 / (1 << 20) as f64
        );
    }
    Ok(Built {
        path,
        seconds: Some(seconds),
    })
}

/// The words of a `--measure` file that the vectors have, as rows.
struct Probe {
    file: PathBuf,
    rows: Vec<u32>,
    /// Words of the file (non-blank lines) the vectors lack.
    missing: usize,
}

impl Probe {
    fn read(space: &Space, path: &std::path::Path) -> Result<Probe> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let words: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect();
        let rows: Vec<u32> = words.iter().filter_map(|w| space.index(w)).collect();
        if words.is_empty() {
            return Err(Error::Invalid(format!(
                "{} has no words: --measure takes words of the file, one a line",
                path.display()
            )));
        }
        if rows.is_empty() {
            return Err(Error::Invalid(format!(
                "none of the {} words of {} is in the vectors: --measure takes words of the \
                 file, one a line",
                words.len(),
                path.display()
            )));
        }
        Ok(Probe {
            file: path.to_path_buf(),
            missing: words.len() - rows.len(),
            rows,
        })
    }

    fn missing_note(&self) -> String {
        let (is, was) = if self.missing == 1 {
            ("is", "was")
        } else {
            ("are", "were")
        };
        format!(
            "note: {} of the {} words of {} {is} not in the vectors and {was} left out",
            self.missing,
            self.missing + self.rows.len(),
            self.file.display()
        )
    }
}

/// Recall@10 and medians of the index at `path` against the exact search, over `probe`.
fn measure(space: &Space, path: &std::path::Path, probe: &Probe, ef: usize) -> Result<Measured> {
    let identity = index::Identity::of(space)?;
    let h = index::Hnsw::open(path, space, identity)?
        .map_err(|why| Error::Invalid(format!("{}: {why}", path.display())))?
        .with_ef(ef);
    Ok(index::measure(space, &h, &probe.rows, 10))
}

/// The measurement for a person: `recall@10 0.953 on 200 words (ef 128); index 0.40 ms a
/// query (median), exact scan 0.60 ms (first 12.3 ms); 2 threads`.
fn say_measured(m: &Measured, ef: usize) -> String {
    let threads = rayon::current_num_threads();
    format!(
        "recall@10 {:.3} on {} words (ef {ef}); index {} a query (median), exact scan {} \
         (first {}); {threads} thread{}",
        m.recall,
        crate::text::thousands(m.queries),
        ms(m.index_median_ms),
        ms(m.exact_median_ms),
        ms(m.exact_first_ms),
        if threads == 1 { "" } else { "s" }
    )
}

/// Milliseconds with two decimals below 10 ms, one above.
fn ms(x: f64) -> String {
    if x < 10.0 {
        format!("{x:.2} ms")
    } else {
        format!("{x:.1} ms")
    }
}

/// `--json`: the index and, when measured, the measurement (the keys of the former
/// `index_measure` line).
fn report_json(
    space: &Space,
    (params, ef): (&Params, usize),
    built: &Built,
    measured: Option<(&Probe, &Measured)>,
) -> serde_json::Value {
    let round = |x: f64, places: i32| (x * 10f64.powi(places)).round() / 10f64.powi(places);
    let threads = rayon::current_num_threads();
    json!({
        "vectors": space.source().path.display().to_string(),
        "index": built.path.display().to_string(),
        "words": space.len(),
        "built": built.seconds.map(|s| json!({
            "m": params.m,
            "ef_construction": params.ef_construction,
            "seconds": round(s, 2),
            "threads": threads,
            "bytes": std::fs::metadata(&built.path).map(|m| m.len()).ok(),
        })),
        "measure": measured.map(|(probe, m)| json!({
            "words": m.queries,
            "missing": probe.missing,
            "ef": ef,
            "recall10": round(m.recall, 4),
            "index_median_ms": round(m.index_median_ms, 3),
            "exact_median_ms": round(m.exact_median_ms, 3),
            "exact_first_ms": round(m.exact_first_ms, 1),
            "threads": threads,
        })),
    })
}

/// Attaches the file's index to `space` unless `exact`, and says on stderr what the query
/// will use (an index, or an exact scan because there is none or it is stale).
pub fn attach(
    space: &Space,
    input: &InputArgs,
    exact: bool,
    quiet: bool,
) -> Result<Option<std::path::PathBuf>> {
    if exact || load::is_demo(&input.file) {
        return Ok(None);
    }
    match index::attach(space)? {
        Status::Ready(h) => return Ok(Some(h.path().to_path_buf())),
        Status::Stale(p, why) if !quiet => {
            eprintln!(
                "warning: ignoring the stale index {} ({why}); rebuild it with `embx index`",
                p.display()
            );
        }
        _ => {}
    }
    Ok(None)
}

/// Says on stderr (after the answer, so never before an error) how the neighbours were
/// searched: in a product-quantized file's codes, or through the HNSW index when the query
/// used it (3CosMul scans every word).
pub fn say_how(space: &Space, index: Option<&std::path::Path>, used_index: bool, exact: bool) {
    if let Some(pq) = space.matrix().pq() {
        let exact = if exact {
            "; --exact cannot scan f32 vectors the file does not hold"
        } else {
            ""
        };
        eprintln!(
            "searched the product-quantized codes ({} subquantizers, best candidates re-ranked \
             by their reconstructed vectors): cosines are approximate{exact}",
            pq.subquantizers()
        );
    } else if let (Some(p), true) = (index, used_index) {
        eprintln!(
            "used the HNSW index {}: approximate, it may miss a neighbour now and then \
             (--exact scans all words)",
            p.display()
        );
    }
}

/// How a query on `space` was searched: `"pq"` (a product-quantized file's codes), `"hnsw"`
/// (the index attached to it, when the query could use one: `used_index`, false for 3CosMul,
/// which scans every word) or `"exact"`. The first two are approximate.
pub fn search_kind(space: &Space, used_index: bool) -> &'static str {
    if space.matrix().pq().is_some() {
        "pq"
    } else if used_index && space.neighbour_index().is_some() {
        "hnsw"
    } else {
        "exact"
    }
}
