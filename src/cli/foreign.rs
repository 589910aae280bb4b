//! Options that users of word2vec, gensim and fastText type out of habit, and what embx calls
//! them. clap's own tip for an unknown option suggests the nearest spelling, which for these is
//! wrong (`--sg` → `--segment`, `--lr` → `--lowercase`); a parse error that names one of them
//! gets this table's tip instead.
use super::Cli;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser};

/// (their option, the tool it comes from, embx's spelling).
const FOREIGN: &[(&str, &str, &str)] = &[
    (
        "--sg",
        "gensim's",
        "--model skipgram (sg=1) or --model cbow (sg=0)",
    ),
    (
        "-cbow",
        "word2vec's",
        "--model cbow (-cbow 1) or --model skipgram (-cbow 0)",
    ),
    ("--size", "gensim's", "--dim"),
    ("--vector_size", "gensim's", "--dim"),
    ("-size", "word2vec's", "--dim"),
    ("-dim", "fastText's", "--dim"),
    ("--workers", "gensim's", "--threads"),
    ("-threads", "word2vec's", "--threads"),
    ("-thread", "fastText's", "--threads"),
    ("--lr", "fastText's", "--alpha"),
    ("-lr", "fastText's", "--alpha"),
    ("-alpha", "word2vec's", "--alpha"),
    ("--min_alpha", "gensim's", "--min-alpha"),
    ("--hs", "gensim's", "--loss hs"),
    ("-hs", "word2vec's", "--loss hs"),
    ("--iter", "gensim 3's", "--epochs"),
    ("-iter", "word2vec's", "--epochs"),
    ("--epoch", "fastText's", "--epochs"),
    ("-epoch", "fastText's", "--epochs"),
    ("--min_count", "gensim's", "--min-count"),
    ("-min-count", "word2vec's", "--min-count"),
    ("-minCount", "fastText's", "--min-count"),
    ("--max_vocab_size", "gensim's", "--max-vocab"),
    ("-ws", "fastText's", "--window"),
    ("-neg", "fastText's", "--negative"),
    ("-bucket", "fastText's", "--buckets"),
    ("--bucket", "gensim's", "--buckets"),
    ("-minn", "fastText's", "--minn (with --subwords)"),
    ("-maxn", "fastText's", "--maxn (with --subwords)"),
    ("-train", "word2vec's", "the corpus as the first argument"),
    ("-input", "fastText's", "the corpus as the first argument"),
    ("-output", "word2vec's", "-o"),
];

/// Parses the command line as [`Cli::parse`] does, but an unknown option from the table above
/// gets embx's spelling as the tip.
pub fn parse_args() -> Cli {
    // (args_os: a file name that is not UTF-8 is clap's to judge, not a panic here.)
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => match tip(&e, &lossy(&args)) {
            Some(text) => {
                eprint!("{text}");
                std::process::exit(2);
            }
            None => e.exit(),
        },
    }
}

fn lossy(args: &[std::ffi::OsString]) -> Vec<String> {
    args.iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// clap's message for `e` with its tips replaced by the table's, when `e` is an unknown
/// argument that the table knows (as typed, `=value` left out).
fn tip(e: &clap::Error, args: &[String]) -> Option<String> {
    if e.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(bad)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    // clap names a single-dash word by its first letter (`-dim` as `-d`): look for the word.
    let typed = |t: &str| t.split('=').next().unwrap_or(t).to_string();
    let (theirs, tool, ours) = FOREIGN.iter().find(|(theirs, _, _)| {
        typed(bad) == *theirs
            || (!bad.starts_with("--")
                && args
                    .iter()
                    .any(|a| typed(a) == *theirs && a.starts_with(bad.as_str())))
    })?;
    // clap's usage line names the option it took for the nearest: the command's own instead.
    let mut command = Cli::command();
    command.build();
    let usage = match args
        .get(1)
        .and_then(|name| command.find_subcommand_mut(name))
    {
        Some(sub) => sub.render_usage().to_string(),
        None => command.render_usage().to_string(),
    };
    let rendered = e.render().to_string();
    let first = rendered.lines().next().unwrap_or_default();
    Some(format!(
        "{first}\n\n  tip: {theirs} is {tool} option; embx's is {ours}\n\n{usage}\n\nFor more information, try '--help'.\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tip_for(line: &str) -> Option<String> {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        let e = Cli::try_parse_from(&args).err()?;
        tip(&e, &args)
    }

    #[test]
    fn their_options_get_embx_spelling() {
        let t = tip_for("embx train c.txt -o x.fifu --sg 1").unwrap();
        assert!(t.contains("unexpected argument '--sg'"), "{t}");
        assert!(
            t.contains("--sg is gensim's option; embx's is --model skipgram"),
            "{t}"
        );
        assert!(!t.contains("--segment") && t.contains("Usage:"), "{t}");
        let t = tip_for("embx train c.txt -o x.fifu --size 50").unwrap();
        assert!(t.contains("embx's is --dim"), "{t}");
        let t = tip_for("embx train c.txt -o x.fifu --lr=0.05").unwrap();
        assert!(t.contains("embx's is --alpha"), "{t}");
        let t = tip_for("embx train c.txt -o x.fifu -dim 50").unwrap();
        assert!(
            t.contains("-dim is fastText's option; embx's is --dim"),
            "{t}"
        );
        // Others keep clap's message.
        assert_eq!(tip_for("embx train c.txt -o x.fifu --bogus 1"), None);
        assert_eq!(tip_for("embx similar"), None);
    }
}
