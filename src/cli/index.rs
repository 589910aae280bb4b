//! `embx index FILE`: build the approximate neighbour index of a vector file; and the use of
//! an existing index by `similar`, `analogy` and `query`.
use super::load;
use super::progress::{with_bar, Unit};
use super::InputArgs;
use crate::error::{Error, Result};
use crate::index::{self, Params, Status};
use crate::space::Space;
use clap::Args;
use std::time::Instant;

/// Options of `embx index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Links per word (layer 0 keeps twice as many); more is slower to build, better recall.
    #[arg(long, default_value_t = 16)]
    pub m: usize,
    /// Beam width while building.
    #[arg(long, default_value_t = 100)]
    pub ef_construction: usize,
}

/// Builds and saves the index, reporting where, how long and how big.
pub fn run(args: &IndexArgs, quiet: bool) -> Result<()> {
    if load::is_demo(&args.input.file) {
        return Err(Error::Invalid(
            "the demo space is small enough to search exactly; index a file instead".into(),
        ));
    }
    let space = load::open(&args.input, quiet)?;
    let params = Params {
        m: args.m,
        ef_construction: args.ef_construction,
        ..Params::default()
    };
    let start = Instant::now();
    let label = format!("indexing {} words", space.len());
    let path = with_bar(&label, Unit::Rows, quiet, |p| {
        index::build_and_save(&space, &params, Some(&p))
    })?;
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "built the HNSW index of {} words (M {}, ef_construction {}) in {:.1} s on {} threads: {} ({:.1} MiB)",
        space.len(),
        params.m,
        params.ef_construction,
        start.elapsed().as_secs_f64(),
        rayon::current_num_threads(),
        path.display(),
        bytes as f64 / (1 << 20) as f64
    );
    Ok(())
}

/// Attaches the file's index to `space` unless `exact`, and says on stderr what the query
/// will use (an index, or an exact scan because there is none or it is stale).
pub fn attach(space: &Space, input: &InputArgs, exact: bool, quiet: bool) -> Result<()> {
    if exact || load::is_demo(&input.file) {
        return Ok(());
    }
    match index::attach(space)? {
        Status::Ready(h) if !quiet => {
            eprintln!(
                "using the HNSW index {} (--exact to scan all words)",
                h.path().display()
            );
        }
        Status::Stale(p, why) if !quiet => {
            eprintln!(
                "warning: ignoring the stale index {} ({why}); rebuild it with `embx index`",
                p.display()
            );
        }
        _ => {}
    }
    Ok(())
}
