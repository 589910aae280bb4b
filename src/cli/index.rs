//! `embx index FILE`: build the approximate neighbour index of a vector file; and the use of
//! an existing index by `similar`, `analogy` and `query`.
use super::load;
use super::progress::{with_bar, Unit};
use super::InputArgs;
use crate::error::{Error, Result};
use crate::index::{self, Params, Status};
use crate::space::Space;
use clap::Args;
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
}

/// Builds and saves the index, reporting where, how long and how big.
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
    if let (Some(words), Status::Ready(h)) = (&args.measure, index::status(&space)?) {
        return measure(&space, h.path(), words, args.ef);
    }
    let start = Instant::now();
    let label = format!("indexing {} words", crate::text::thousands(space.len()));
    let path = with_bar(&label, Unit::Rows, quiet, |p| {
        index::build_and_save(&space, &params, Some(&p))
    })?;
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "built the HNSW index of {} words (M {}, ef_construction {}) in {:.1} s on {} threads: {} ({:.1} MiB)",
        crate::text::thousands(space.len()),
        params.m,
        params.ef_construction,
        start.elapsed().as_secs_f64(),
        rayon::current_num_threads(),
        path.display(),
        bytes as f64 / (1 << 20) as f64
    );
    match &args.measure {
        Some(words) => measure(&space, &path, words, args.ef),
        None => Ok(()),
    }
}

/// Prints one `key=value` line: recall@10 and medians of the index against the exact search.
fn measure(
    space: &Space,
    path: &std::path::Path,
    words: &std::path::Path,
    ef: usize,
) -> Result<()> {
    let text = std::fs::read_to_string(words).map_err(|e| Error::io(words, e))?;
    let rows: Vec<u32> = text.lines().filter_map(|w| space.index(w.trim())).collect();
    let identity = index::Identity::of(space)?;
    let h = index::Hnsw::open(path, space, identity)?
        .map_err(|why| Error::Invalid(format!("{}: {why}", path.display())))?
        .with_ef(ef);
    let m = index::measure(space, &h, &rows, 10);
    println!(
        "index_measure words={} ef={ef} recall10={:.4} index_median_ms={:.3} exact_median_ms={:.3} exact_first_ms={:.1} threads={}",
        m.queries,
        m.recall,
        m.index_median_ms,
        m.exact_median_ms,
        m.exact_first_ms,
        rayon::current_num_threads()
    );
    Ok(())
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
