//! The command line: one file per subcommand, human tables by default and `--json` for
//! scripts. A thin layer over the library.
mod convert;
mod eval;
mod info;
mod load;
mod neighbours;
mod output;
mod progress;
pub mod table;
mod train;

pub use output::is_broken_pipe;
pub use progress::install_interrupt_handler;

use crate::error::Result;
use crate::format::Format;
use crate::query::Method;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Explore, query and convert word embeddings.
///
/// FILE is a vector file in any supported format (finalfusion .fifu, word2vec binary or text,
/// GloVe text, fastText .vec or .bin; sniffed from the content), or the word `demo` for the
/// bundled 50,000-word GloVe 6B 50d space (write ./demo for a file named demo).
#[derive(Debug, Parser)]
#[command(name = "embx", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// No progress bars and no warnings on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Describe a vector file: format, size, storage, norms, metadata.
    Info {
        #[command(flatten)]
        input: InputArgs,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Nearest neighbours of one word, or of the average of several words.
    Similar {
        #[command(flatten)]
        input: InputArgs,
        /// The query word(s); several words are averaged.
        #[arg(required = true, num_args = 1..)]
        words: Vec<String>,
        #[command(flatten)]
        out: QueryOut,
    },
    /// Analogy A : B :: C : ?, i.e. the words nearest to B − A + C.
    ///
    /// `embx analogy FILE man king woman` answers "man is to king as woman is to ?" (queen).
    /// Note that fastText's `analogies A B C` means A − B + C, a different order.
    Analogy {
        #[command(flatten)]
        input: InputArgs,
        a: String,
        b: String,
        c: String,
        /// 3CosAdd (add) or 3CosMul (mul, Levy & Goldberg 2014, as gensim's most_similar_cosmul).
        #[arg(long, default_value = "add")]
        method: Method,
        /// Allow A, B and C themselves among the answers.
        #[arg(long)]
        include_query: bool,
        #[command(flatten)]
        out: QueryOut,
    },
    /// Neighbours of a vector expression such as "king - man + woman".
    ///
    /// Terms are words combined with +, -, scalar weights (0.5 * paris, 2 king) and
    /// parentheses; quote words that contain spaces or operators ("new york", 'well-known').
    Query {
        #[command(flatten)]
        input: InputArgs,
        /// The expression.
        expression: String,
        /// Allow the expression's own words among the answers.
        #[arg(long)]
        include_query: bool,
        #[command(flatten)]
        out: QueryOut,
    },
    /// Evaluate: analogy accuracy (--analogies) and word-pair correlation (--pairs).
    ///
    /// SET is a file, or a bundled set: google (analogies), wordsim353, simlex999 (pairs).
    /// Presets reproduce the counting of gensim (default; first 300,000 words,
    /// case-insensitive), word2vec's compute-accuracy (first 30,000 words) and
    /// finalfusion-utils (all words, case-sensitive).
    Eval {
        #[command(flatten)]
        input: InputArgs,
        /// Analogy set(s) in the questions-words.txt layout.
        #[arg(long, value_name = "SET")]
        analogies: Vec<String>,
        /// Word-pair set(s): word1, word2, score (tab-separated).
        #[arg(long, value_name = "SET")]
        pairs: Vec<String>,
        /// Whose counting rules to follow.
        #[arg(long, default_value = "gensim")]
        preset: crate::eval::Preset,
        /// Only the first N words take part (default: the preset's).
        #[arg(long, value_name = "N")]
        restrict: Option<usize>,
        /// 3CosAdd (add) or 3CosMul (mul).
        #[arg(long, default_value = "add")]
        method: Method,
        /// Write every analogy question with its predicted answer to this TSV file.
        #[arg(long, value_name = "FILE")]
        dump: Option<PathBuf>,
        /// Print JSON instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// Explore a vector file interactively (plain `embx` opens the demo space).
    ///
    /// Search the vocabulary, walk from word to neighbour, try analogies and expressions,
    /// and look at the vectors. Press ? inside for the keys.
    #[cfg(feature = "tui")]
    Open {
        #[command(flatten)]
        input: InputArgs,
    },
    /// Convert a vector file to another format (written atomically).
    Convert {
        #[command(flatten)]
        input: InputArgs,
        /// The file to write.
        output: PathBuf,
        /// Output format; by default taken from OUTPUT's extension (.fifu, .bin, .vec).
        #[arg(long, value_parser = parse_format)]
        to: Option<Format>,
    },
    /// Train word2vec vectors (skip-gram or CBOW, negative sampling) or an NNLM on text corpora.
    ///
    /// `embx train corpus.txt -o vectors.fifu` reads whitespace-separated tokens, one
    /// sentence a line. Ctrl-C stops and writes nothing unless --save-on-interrupt.
    Train {
        #[command(flatten)]
        args: train::TrainArgs,
    },
}

/// Which file to open and how.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Vector file, or `demo` for the bundled demo space.
    pub file: PathBuf,
    /// Input format, when sniffing guesses wrong.
    #[arg(long, value_parser = parse_format)]
    pub format: Option<Format>,
    /// Memory-map finalfusion files (default: for files of 256 MiB or more).
    #[arg(long, overrides_with = "no_mmap")]
    pub mmap: bool,
    /// Read finalfusion files into memory even when large.
    #[arg(long)]
    pub no_mmap: bool,
}

/// Output options of the query commands.
#[derive(Debug, Args)]
pub struct QueryOut {
    /// Number of neighbours.
    #[arg(short, default_value_t = 10)]
    pub k: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

fn parse_format(s: &str) -> std::result::Result<Format, String> {
    s.parse()
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<()> {
    let quiet = cli.quiet;
    let Some(command) = cli.command else {
        #[cfg(feature = "tui")]
        if opens_explorer_now() {
            return crate::tui::run(crate::tui::Source::Demo);
        }
        // Not on a terminal: say what there is.
        use clap::CommandFactory;
        let mut cmd = Cli::command();
        output::print(&format!("{}\n", cmd.render_long_help()))?;
        return Ok(());
    };
    match command {
        Command::Info { input, json } => info::run(&load::open(&input, quiet)?, json),
        Command::Similar { input, words, out } => {
            let space = load::open(&input, quiet)?;
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            let answer = crate::query::similar(&space, &words, out.k)?;
            neighbours::print(&space, "similar", &words.join(" "), &answer, out.json)
        }
        Command::Analogy {
            input,
            a,
            b,
            c,
            method,
            include_query,
            out,
        } => {
            let space = load::open(&input, quiet)?;
            let answer = crate::query::analogy(&space, &a, &b, &c, out.k, method, include_query)?;
            let title = format!("{a} : {b} :: {c} : ?");
            neighbours::print(&space, "analogy", &title, &answer, out.json)
        }
        Command::Query {
            input,
            expression,
            include_query,
            out,
        } => {
            let space = load::open(&input, quiet)?;
            let answer = crate::query::expression(&space, &expression, out.k, include_query)?;
            neighbours::print(&space, "query", &expression, &answer, out.json)
        }
        Command::Eval {
            input,
            analogies,
            pairs,
            preset,
            restrict,
            method,
            dump,
            json,
        } => {
            let space = load::open(&input, quiet)?;
            let args = eval::EvalArgs {
                analogies: &analogies,
                pairs: &pairs,
                preset,
                restrict,
                method,
                dump: dump.as_deref(),
                json,
                quiet,
            };
            eval::run(&space, &args)
        }
        Command::Convert { input, output, to } => convert::run(&input, &output, to, quiet),
        Command::Train { args } => train::run(&args, quiet),
        #[cfg(feature = "tui")]
        Command::Open { input } => crate::tui::run(explorer_source(&input)),
    }
}

/// True when `cli` starts the interactive explorer (which handles signals itself).
pub fn opens_explorer(cli: &Cli) -> bool {
    match &cli.command {
        #[cfg(feature = "tui")]
        Some(Command::Open { .. }) => true,
        Some(Command::Train { args }) => train::in_explorer(args),
        None => opens_explorer_now(),
        _ => false,
    }
}

/// Plain `embx` opens the explorer when it runs on a terminal (and prints help otherwise).
fn opens_explorer_now() -> bool {
    use std::io::IsTerminal;
    cfg!(feature = "tui") && std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

#[cfg(feature = "tui")]
fn explorer_source(input: &InputArgs) -> crate::tui::Source {
    use crate::io::{LoadOptions, MmapMode};
    if load::is_demo(&input.file) {
        return crate::tui::Source::Demo;
    }
    let mmap = if input.no_mmap {
        MmapMode::Never
    } else if input.mmap {
        MmapMode::Always
    } else {
        MmapMode::Auto
    };
    crate::tui::Source::File {
        path: input.file.clone(),
        options: LoadOptions {
            format: input.format,
            mmap,
            progress: None,
        },
    }
}
