//! The command line: one file per subcommand, human tables by default and `--json` for
//! scripts. A thin layer over the library.
mod args;
mod command;
mod convert;
mod eval;
mod everyday;
mod foreign;
mod index;
mod info;
mod install;
mod layout;
mod load;
#[cfg(feature = "tui")]
mod log;
mod neighbours;
mod ngram;
mod order;
mod output;
mod phrases;
mod predict;
mod progress;
mod quantize;
mod stdin;
pub mod table;
mod train;

pub use foreign::parse_args;

pub use command::{Command, InputArgs, QueryOut, WordPair};
pub use output::is_broken_pipe;
pub use progress::install_interrupt_handler;

use crate::error::{Error, Result};
use crate::query::Method;
use clap::Parser;

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

/// Opens the vectors and attaches their neighbour index, if one exists and `exact` is off.
/// The space and the index attached to it, if any.
type Indexed = (crate::space::Space, Option<std::path::PathBuf>);

fn open_indexed(input: &InputArgs, exact: bool, quiet: bool) -> Result<Indexed> {
    let space = load::open(input, quiet)?;
    let index = index::attach(&space, input, exact, quiet)?;
    Ok((space, index))
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
    let title = format!("{a} : {b} :: {c} : ?");
    scored(
        input,
        method,
        out,
        quiet,
        ("analogy", &title),
        |space, k| crate::query::analogy(space, a, b, c, k, method, include_query),
    )
}

/// A vector expression's neighbours, printed with the method's score name. An analogy
/// written as the explorer's line takes it (`a : b :: c : ?`, also with full-width colons
/// and without spaces, as a Chinese input method types it) is answered as `analogy` is.
fn query(
    input: &InputArgs,
    expression: &str,
    method: Method,
    include_query: bool,
    out: &QueryOut,
    quiet: bool,
) -> Result<()> {
    use crate::query::line::{analogy_form, parse, Parsed};
    match parse(expression) {
        Ok(Parsed::Analogy { a, b, c }) => {
            return analogy(input, [&a, &b, &c], method, include_query, out, quiet);
        }
        Err(e) if analogy_form(expression) => {
            return Err(Error::Syntax {
                input: expression.to_string(),
                column: e.column.unwrap_or(1),
                message: e.message,
            });
        }
        _ => {}
    }
    scored(
        input,
        method,
        out,
        quiet,
        ("query", expression),
        |space, k| crate::query::expression_with(space, expression, k, include_query, method),
    )
}

/// Opens the file (with its index), answers with `ask` for `k` hits, says how the answer was
/// searched, and prints it as `(kind, title)` under the method's score name.
fn scored(
    input: &InputArgs,
    method: Method,
    out: &QueryOut,
    quiet: bool,
    (kind, title): (&str, &str),
    ask: impl FnOnce(&crate::space::Space, usize) -> Result<crate::query::Answer>,
) -> Result<()> {
    let (space, index) = open_indexed(input, out.exact, quiet)?;
    let k = neighbours::cap_k(&space, out.k, quiet);
    let answer = ask(&space, k)?;
    if !quiet {
        index::say_how(&space, index.as_deref(), method == Method::Add, out.exact);
    }
    let score = neighbours::score_name(method);
    neighbours::print_scored(&space, (kind, title), &answer, out.json, score, quiet)
}

/// `embx similar`: through the index beside the file when there is one, saying which way.
fn similar_command(input: &InputArgs, words: &[String], out: &QueryOut, quiet: bool) -> Result<()> {
    let (space, index) = open_indexed(input, out.exact, quiet)?;
    similar(&space, words, out, quiet)?;
    if !quiet {
        index::say_how(&space, index.as_deref(), true, out.exact);
    }
    Ok(())
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<()> {
    let quiet = cli.quiet;
    let Some(command) = cli.command else {
        return run_without_command();
    };
    order::check(&command)?;
    match command {
        Command::Info { input, json } => info::run(&load::open(&input, quiet)?, json),
        Command::Similar { input, words, out } => similar_command(&input, &words, &out, quiet),
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
            method,
            include_query,
            out,
        } => query(&input, &expression, method, include_query, &out, quiet),
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
        Command::Predict { args } => predict::run(&args, quiet),
        Command::Ngram { args } => ngram::run(&args, quiet),
        Command::Quantize { args } => quantize::run(&args, quiet),
        Command::Phrases { input, args } => phrases::run(&load::open(&input, quiet)?, &args),
        Command::Layout { args } => layout::run(&args, quiet),
        #[cfg(feature = "tui")]
        Command::Open { input, exact } => open_explorer(&input, exact),
        Command::Similarity(WordPair { input, a, b, json }) => {
            everyday::similarity(&load::open(&input, quiet)?, &a, &b, json)
        }
        Command::DoesntMatch { input, words, json } => {
            everyday::doesnt_match(&load::open(&input, quiet)?, &words, json)
        }
        Command::Rank(WordPair { input, a, b, json }) => {
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
fn open_explorer(input: &InputArgs, exact: bool) -> Result<()> {
    log::start_explorer_log(&input.file);
    crate::tui::run(explorer_source(input, exact))
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
        return stdin::similar(space, k, out.json, quiet);
    }
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let answer = crate::query::similar(space, &words, k)?;
    let title = words.join(" ");
    neighbours::print(space, ("similar", &title), &answer, out.json, quiet)
}

/// True when `cli` asks for JSON output (its errors are then JSON on stdout too).
pub fn wants_json(cli: &Cli) -> bool {
    match &cli.command {
        Some(
            Command::Info { json, .. }
            | Command::Eval { json, .. }
            | Command::DoesntMatch { json, .. }
            | Command::Vectors { json, .. },
        ) => *json,
        Some(
            Command::Similar { out, .. }
            | Command::Analogy { out, .. }
            | Command::Query { out, .. },
        ) => out.json,
        Some(Command::Similarity(p) | Command::Rank(p)) => p.json,
        Some(Command::Phrases { args, .. }) => args.json,
        Some(Command::Layout { args }) => args.json,
        Some(Command::Predict { args }) => args.json,
        Some(Command::Index { args }) => args.json,
        Some(Command::Ngram { args }) => args.json,
        _ => false,
    }
}

/// An error as one JSON object: the message, its kind and, for an unknown word, the word and
/// the suggestions.
pub fn error_json(e: &Error) -> serde_json::Value {
    let kind = match e {
        Error::UnknownWord { .. } => "unknown_word",
        Error::Syntax { .. } => "syntax",
        Error::Io { .. } => "io",
        Error::Format { .. } => "bad_file",
        Error::Interrupted => "interrupted",
        _ => "invalid",
    };
    let mut v = serde_json::json!({"error": e.to_string(), "kind": kind});
    if let Error::UnknownWord {
        word, suggestions, ..
    } = e
    {
        v["word"] = word.as_str().into();
        v["suggestions"] = suggestions.clone().into();
    }
    v
}

/// Prints [`error_json`] of `e` as one line on stdout.
pub fn print_error_json(e: &Error) {
    let _ = output::print(&format!("{}\n", error_json(e)));
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
fn explorer_source(input: &InputArgs, exact: bool) -> crate::tui::Source {
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
        exact,
    }
}
