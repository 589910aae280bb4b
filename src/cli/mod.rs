//! The command line: one file per subcommand, human tables by default and `--json` for
//! scripts. A thin layer over the library.
mod args;
mod convert;
mod eval;
mod everyday;
mod index;
mod info;
mod install;
mod layout;
mod load;
mod log;
mod neighbours;
mod output;
mod phrases;
mod progress;
mod quantize;
mod stdin;
pub mod table;
mod train;

use args::{parse_format, parse_k, FormatParser};
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
/// GloVe text, fastText .vec or .bin, gensim's own saves, Projector TSV, NumPy .npy with a
/// word list, a Spark MLlib model directory; sniffed from the content), or the word `demo`
/// for the bundled 50,000-word GloVe 6B 50d space (write ./demo for a file named demo).
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
    ///
    /// With `-` as the only word, reads queries from standard input, one a line, and answers
    /// each as it arrives (with --json, one JSON object a line).
    Similar {
        #[command(flatten)]
        input: InputArgs,
        /// The query word(s); several words are averaged; `-` reads them from stdin.
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
        /// A, the first word of the known pair (man).
        a: String,
        /// B, the word A maps to (king).
        b: String,
        /// C, the word whose counterpart is asked for (woman).
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
        /// Pairs: score a pair with an unknown word from the word's subwords, when the file
        /// has a subword model (by default, as gensim, such a pair is out of vocabulary).
        #[arg(long)]
        oov_subwords: bool,
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
        /// Output format; by default from OUTPUT's extension as `train -o` does (.bin
        /// word2vec, .vec fastText text, .txt word2vec text, .tsv Projector), else fifu.
        #[arg(long, value_parser = FormatParser)]
        to: Option<Format>,
    },
    /// Train word2vec vectors (skip-gram or CBOW; negative sampling or hierarchical softmax;
    /// optionally fastText subwords) or an NNLM on text corpora.
    ///
    /// `embx train corpus.txt -o vectors.fifu` reads whitespace-separated tokens, one
    /// sentence a line. Ctrl-C stops and writes nothing unless --save-on-interrupt.
    Train {
        #[command(flatten)]
        args: train::TrainArgs,
    },
    /// Build an approximate neighbour index (HNSW) of a big vector file.
    ///
    /// The index is written beside FILE (FILE.embx-hnsw, or in the cache folder), and
    /// `similar`, `analogy` and `query` then use it; --exact bypasses it. It is ignored once
    /// FILE changes.
    Index {
        #[command(flatten)]
        args: index::IndexArgs,
    },
    /// Product-quantize a vector file into a small finalfusion file.
    ///
    /// `embx quantize big.bin big-pq.fifu` trains the codebooks on a sample of the words,
    /// encodes every word and writes finalfusion's quantized storage; embx then searches the
    /// codes without rebuilding the vectors.
    Quantize {
        #[command(flatten)]
        args: quantize::QuantizeArgs,
    },
    /// Sentence vectors and the cosine matrix between sentences.
    ///
    /// `embx phrases demo "the cat chases the mouse" "i like ham sandwiches"`. Words are
    /// weighted by SIF (default) or averaged plainly (--weighting mean).
    Phrases {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        args: phrases::PhraseArgs,
    },
    /// Lay out words in 2-D (PCA, t-SNE, UMAP or custom axes) as TSV, SVG or PNG.
    ///
    /// Prints how many of each word's 10 nearest neighbours (cosine) stay among its 10
    /// nearest in the layout. `--seed` makes runs repeatable.
    Layout {
        #[command(flatten)]
        args: layout::LayoutArgs,
    },
    /// Cosine similarity of two words or phrases ("new york"), as gensim's similarity.
    Similarity {
        #[command(flatten)]
        input: InputArgs,
        a: String,
        b: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The word that does not match the others, as gensim's doesnt_match.
    ///
    /// The words' unit vectors are averaged; the word least similar to the average is the
    /// answer. Unknown words are left out (and named).
    DoesntMatch {
        #[command(flatten)]
        input: InputArgs,
        #[arg(required = true, num_args = 2..)]
        words: Vec<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// The rank of B among the neighbours of A (1 = nearest), as gensim's rank.
    Rank {
        #[command(flatten)]
        input: InputArgs,
        a: String,
        b: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print word vectors: `word v1 v2 …` a line, as fastText's print-word-vectors.
    ///
    /// With `-` as the only word, reads words from standard input, one a line, and prints
    /// each vector as it is asked for. Unknown words with subwords get their subword vector.
    Vectors {
        #[command(flatten)]
        input: InputArgs,
        /// The words; `-` reads them from stdin.
        #[arg(required = true, num_args = 1..)]
        words: Vec<String>,
        /// One JSON object a line: {"word": …, "vector": […]}.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script: `embx completions bash > ~/.local/share/bash-completion/completions/embx`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `embx man > ~/.local/share/man/man1/embx.1`.
    Man,
}

/// Which file to open and how.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Vector file, or `demo` for the bundled demo space.
    pub file: PathBuf,
    /// Input format, when sniffing guesses wrong.
    #[arg(long, value_parser = FormatParser)]
    pub format: Option<Format>,
    /// The words of a Projector vectors.tsv or a .npy matrix, one a line (default: a
    /// metadata.tsv or word list beside it).
    #[arg(long = "words", id = "words_file", value_name = "FILE")]
    pub words_file: Option<PathBuf>,
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
    /// Number of neighbours (at least 1; more than the vocabulary is capped, with a note).
    #[arg(short, default_value_t = 10, value_parser = parse_k)]
    pub k: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Scan every word even when the file has an approximate index.
    #[arg(long)]
    pub exact: bool,
}

/// Opens the vectors and attaches their neighbour index, if one exists and `exact` is off.
fn open_indexed(input: &InputArgs, exact: bool, quiet: bool) -> Result<crate::space::Space> {
    let space = load::open(input, quiet)?;
    index::attach(&space, input, exact, quiet)?;
    Ok(space)
}

/// `a : b :: c : ?`, printed with the method's score name.
fn analogy(
    input: &InputArgs,
    [a, b, c]: [&str; 3],
    method: Method,
    include_query: bool,
    out: &QueryOut,
    quiet: bool,
) -> Result<()> {
    let space = open_indexed(input, out.exact, quiet)?;
    let k = neighbours::cap_k(&space, out.k, quiet);
    let answer = crate::query::analogy(&space, a, b, c, k, method, include_query)?;
    let title = format!("{a} : {b} :: {c} : ?");
    let score = neighbours::score_name(method);
    neighbours::print_scored(&space, "analogy", &title, &answer, out.json, score)
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<()> {
    let quiet = cli.quiet;
    let Some(command) = cli.command else {
        return run_without_command();
    };
    match command {
        Command::Info { input, json } => info::run(&load::open(&input, quiet)?, json),
        Command::Similar { input, words, out } => {
            let space = open_indexed(&input, out.exact, quiet)?;
            similar(&space, &words, &out, quiet)
        }
        Command::Analogy {
            input,
            a,
            b,
            c,
            method,
            include_query,
            out,
        } => analogy(&input, [&a, &b, &c], method, include_query, &out, quiet),
        Command::Query {
            input,
            expression,
            include_query,
            out,
        } => {
            let space = open_indexed(&input, out.exact, quiet)?;
            let k = neighbours::cap_k(&space, out.k, quiet);
            let answer = crate::query::expression(&space, &expression, k, include_query)?;
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
            oov_subwords,
        } => {
            let args = eval::EvalArgs {
                analogies: &analogies,
                pairs: &pairs,
                preset,
                restrict,
                method,
                dump: dump.as_deref(),
                json,
                quiet,
                oov_subwords,
            };
            eval::run(&load::open(&input, quiet)?, &args)
        }
        Command::Convert { input, output, to } => convert::run(&input, &output, to, quiet),
        Command::Train { args } => train::run(&args, quiet),
        Command::Index { args } => index::run(&args, quiet),
        Command::Quantize { args } => quantize::run(&args, quiet),
        Command::Phrases { input, args } => phrases::run(&load::open(&input, quiet)?, &args),
        Command::Layout { args } => layout::run(&args, quiet),
        #[cfg(feature = "tui")]
        Command::Open { input } => open_explorer(&input),
        Command::Similarity { input, a, b, json } => {
            everyday::similarity(&load::open(&input, quiet)?, &a, &b, json)
        }
        Command::DoesntMatch { input, words, json } => {
            everyday::doesnt_match(&load::open(&input, quiet)?, &words, json)
        }
        Command::Rank { input, a, b, json } => {
            everyday::rank(&load::open(&input, quiet)?, &a, &b, json)
        }
        Command::Vectors { input, words, json } => {
            stdin::vectors(&load::open(&input, quiet)?, &words, json)
        }
        Command::Completions { shell } => install::completions(shell),
        Command::Man => install::man(),
    }
}

/// Plain `embx`: the explorer on the demo space at a terminal, else the help.
fn run_without_command() -> Result<()> {
    #[cfg(feature = "tui")]
    if opens_explorer_now() {
        log::start_explorer_log(std::path::Path::new(crate::demo::NAME));
        return crate::tui::run(crate::tui::Source::Demo);
    }
    // Not on a terminal: say what there is.
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    output::print(&format!("{}\n", cmd.render_long_help()))
}

/// `embx open FILE`, with the log file when `EMBX_LOG` asks for it.
#[cfg(feature = "tui")]
fn open_explorer(input: &InputArgs) -> Result<()> {
    log::start_explorer_log(&input.file);
    crate::tui::run(explorer_source(input))
}

/// `embx similar`: the neighbours of the words, or of each line of stdin (`-`).
fn similar(
    space: &crate::space::Space,
    words: &[String],
    out: &QueryOut,
    quiet: bool,
) -> Result<()> {
    let k = neighbours::cap_k(space, out.k, quiet);
    if words == ["-"] {
        return stdin::similar(space, k, out.json);
    }
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let answer = crate::query::similar(space, &words, k)?;
    neighbours::print(space, "similar", &words.join(" "), &answer, out.json)
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
