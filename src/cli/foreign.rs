//! Options that users of word2vec, gensim and fastText type out of habit, and what embx calls
//! them. clap's own tip for an unknown option suggests the nearest spelling, which for these is
//! wrong (`--sg` → `--segment`, `--lr` → `--lowercase`); a parse error that names one of them
//! (also spelt with `-` for `_`, as `--vector-size`) gets this table's tip instead. So does
//! a misspelt `-k` (`-n`, `--top`), where clap would say to pass it as a value.
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
    (
        "-binary",
        "word2vec's",
        "--format word2vec (-binary 1) or --format word2vec-text (-binary 0)",
    ),
];

/// Parses the command line as [`Cli::parse`] does, but an unknown option from the table above
/// gets embx's spelling as the tip, and a misspelt `-k` (`-n`, `--top`) gets `-k`.
pub fn parse_args() -> Cli {
    // (args_os: a file name that is not UTF-8 is clap's to judge, not a panic here.)
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(text) = glued(&lossy(&args)) {
        eprint!("{text}");
        std::process::exit(2);
    }
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

/// Misspellings of `-k`, the number of results (`-n` of `head`, `--top` and `--topk` of
/// other tools).
const COUNT: &[&str] = &[
    "-n", "--n", "--k", "--top", "--topk", "--top-k", "--top_k", "--num", "--number",
];

/// clap's message for `e` with its tips replaced by the table's, when `e` is an unknown
/// argument that the table knows (as typed, `=value` left out, or spelt with `-` for `_`), or
/// a misspelt `-k` in a command whose `-k` is the number of results.
fn tip(e: &clap::Error, args: &[String]) -> Option<String> {
    if e.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(bad)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let rendered = e.render().to_string();
    let first = rendered.lines().next().unwrap_or_default();
    with_tip(&typed_forms(bad, args), first, args)
}

/// A word with one dash that clap would take for a short option with its value glued on
/// (`-window 5` as `-w indow`, `-output v.fifu` as `-o utput`, so that `v.fifu` would be read
/// as a corpus): word2vec's and fastText's words in the table, and embx's own long options
/// typed with one dash. The error and tip it would get as an unknown option, before clap reads
/// it wrongly.
fn glued(args: &[String]) -> Option<String> {
    let candidates = args.iter().skip(2).take_while(|a| *a != "--");
    let mut command = None;
    for word in candidates.filter(|a| one_dash_word(a).is_some()) {
        let known = FOREIGN.iter().any(|f| f.0 == *word) || {
            let command = command.get_or_insert_with(|| {
                let mut c = Cli::command();
                c.build();
                c
            });
            let sub = args.get(1).and_then(|n| command.find_subcommand(n));
            sub.is_some() && has(sub, &double_dash(word))
        };
        if known {
            let first = format!("error: unexpected argument '{word}' found");
            return with_tip(std::slice::from_ref(word), &first, args);
        }
    }
    None
}

/// `-window` → `window`: a word of two letters or more after one dash (not a number).
fn one_dash_word(arg: &str) -> Option<&str> {
    let word = arg.strip_prefix('-')?;
    (word.len() > 1 && word.starts_with(|c: char| c.is_ascii_alphabetic())).then_some(word)
}

/// `-min_count` → `--min-count`.
fn double_dash(arg: &str) -> String {
    format!("--{}", arg.trim_start_matches('-').replace('_', "-"))
}

/// clap's error line `first` for the unknown option typed as `forms`, with the table's tip
/// and the command's usage; `None` when the table has nothing to say.
fn with_tip(forms: &[String], first: &str, args: &[String]) -> Option<String> {
    let mut command = Cli::command();
    command.build();
    let sub = args
        .get(1)
        .and_then(|name| command.find_subcommand_mut(name));
    let counts = sub.as_deref().is_some_and(counts_results);
    let text = match foreign(forms, sub.as_deref()) {
        Some(text) => text,
        None if counts && forms.iter().any(|f| COUNT.contains(&f.as_str())) => {
            "the number of results is -k (or --topn)".to_string()
        }
        // `embx query FILE king - man + woman`: the shell split the expression into words.
        None if forms.iter().any(|f| f == "-" || f == "+") => {
            "an expression is one argument: put it in quotes, as in \
             embx query FILE 'king - man + woman'"
                .to_string()
        }
        None => return None,
    };
    // clap's usage line names the option it took for the nearest: the command's own instead.
    let usage = match sub {
        Some(sub) => sub.render_usage().to_string(),
        None => command.render_usage().to_string(),
    };
    Some(format!(
        "{first}\n\n  tip: {text}\n\n{usage}\n\nFor more information, try '--help'.\n"
    ))
}

/// The unknown option `bad` as typed (`=value` left out) and, as clap names a single-dash word
/// by its first letter (`-dim` as `-d`), the arguments that start with it.
fn typed_forms(bad: &str, args: &[String]) -> Vec<String> {
    let typed = |t: &str| t.split('=').next().unwrap_or(t).to_string();
    let mut forms = vec![typed(bad)];
    if !bad.starts_with("--") {
        forms.extend(
            args.iter()
                .skip(1)
                .filter(|a| a.starts_with(bad))
                .map(|a| typed(a)),
        );
    }
    forms
}

/// The tip for an option of the table typed as the table spells it, or else with `-` and `_`
/// taken alike and one dash more or less in front (`--vector-size`, `--ws`); never one that
/// names the option typed as embx's (`--min-count` where a command has none), nor one that
/// names what the command `sub` does not have (`-o` for `embx index`).
fn foreign(forms: &[String], sub: Option<&clap::Command>) -> Option<String> {
    let bare = |o: &str| o.trim_start_matches('-').replace('-', "_");
    let entry = |exact: bool| {
        forms.iter().find_map(|f| {
            FOREIGN.iter().find_map(|&(theirs, tool, ours)| {
                let embx = ours.split(' ').next().unwrap_or(ours);
                let same = if exact {
                    f == theirs
                } else {
                    bare(f) == bare(theirs)
                };
                (same && embx != f && has(sub, embx)).then_some((f, theirs, tool, ours))
            })
        })
    };
    let Some((typed, theirs, tool, ours)) = entry(true).or_else(|| entry(false)) else {
        // embx's own long option typed with one dash, as word2vec and fastText spell theirs.
        return forms.iter().find_map(|f| {
            one_dash_word(f)?;
            let ours = double_dash(f);
            (sub.is_some() && has(sub, &ours))
                .then(|| format!("embx's options take two dashes: {ours}"))
        });
    };
    Some(if typed == theirs {
        format!("{theirs} is {tool} option; embx's is {ours}")
    } else {
        format!("{typed} is {tool} option {theirs}; embx's is {ours}")
    })
}

/// Whether the command `sub` (any, when `None`) has the option `ours` (`--dim`, `-o`), or
/// for a tip that is not an option, a corpus to name first.
fn has(sub: Option<&clap::Command>, ours: &str) -> bool {
    let Some(sub) = sub else {
        return true;
    };
    let mut args = sub.get_arguments();
    if let Some(long) = ours.strip_prefix("--") {
        args.any(|a| a.get_long() == Some(long))
    } else if let Some(short) = ours.strip_prefix('-') {
        args.any(|a| a.get_short() == short.chars().next())
    } else {
        args.any(|a| a.get_id() == "corpus")
    }
}

/// Whether `sub` has `-k` for its number of results (as `--topn`, gensim's name).
fn counts_results(sub: &clap::Command) -> bool {
    sub.get_arguments()
        .any(|a| a.get_short() == Some('k') && a.get_long() == Some("topn"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tip_for(line: &str) -> Option<String> {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        if let Some(text) = glued(&args) {
            return Some(text);
        }
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
        // Spelt with `-` for `_`, or with one dash more: the same tip, naming their spelling.
        let t = tip_for("embx train c.txt -o x.fifu --vector-size 50").unwrap();
        assert!(
            t.contains("tip: --vector-size is gensim's option --vector_size; embx's is --dim"),
            "{t}"
        );
        assert!(!t.contains("-- --vector-size"), "{t}");
        let t = tip_for("embx train c.txt -o x.fifu --max-vocab-size 5").unwrap();
        assert!(t.contains("embx's is --max-vocab"), "{t}");
        let t = tip_for("embx train c.txt -o x.fifu --ws 5").unwrap();
        assert!(
            t.contains("--ws is fastText's option -ws; embx's is --window"),
            "{t}"
        );
        // Never an option the command does not have.
        let t = tip_for("embx index v.bin -output i").unwrap_or_default();
        assert!(!t.contains("embx's is -o"), "{t}");
        let t = tip_for("embx similar v.bin king -train c.txt").unwrap_or_default();
        assert!(!t.contains("first argument"), "{t}");
        // embx's own options with one dash, as word2vec spells them: read by clap as `-w indow`.
        for (line, ours) in [
            ("embx train c.txt -window 5 -o v.fifu", "--window"),
            ("embx train c.txt -o v.fifu -negative 5", "--negative"),
            ("embx train c.txt -o v.fifu -sample 1e-4", "--sample"),
            ("embx similar v.bin king -topn 3", "--topn"),
        ] {
            let t = tip_for(line).unwrap();
            assert!(
                t.contains(&format!("tip: embx's options take two dashes: {ours}")),
                "{t}"
            );
        }
        let t = tip_for("embx train c.txt -o v.fifu -binary 1").unwrap();
        assert!(t.contains("embx's is --format word2vec (-binary 1)"), "{t}");
        // A negative number is a value, not an option.
        assert_eq!(tip_for("embx train c.txt -o v.fifu --alpha -0.5"), None);
        // Read by clap as `-o utput`: caught before it parses.
        let t = tip_for("embx train c.txt -output x.fifu").unwrap();
        assert!(
            t.starts_with("error: unexpected argument '-output' found"),
            "{t}"
        );
        assert!(
            t.contains("-output is word2vec's option; embx's is -o"),
            "{t}"
        );
        assert_eq!(tip_for("embx train c.txt -o x.fifu -- -output"), None);
        // Never embx's own option named as another tool's.
        assert_eq!(tip_for("embx similar v.txt king --min-count 3"), None);
        assert_eq!(tip_for("embx similar v.txt king --threads 3"), None);
        // Others keep clap's message.
        assert_eq!(tip_for("embx train c.txt -o x.fifu --bogus 1"), None);
        assert_eq!(tip_for("embx similar"), None);
    }

    #[test]
    fn an_expression_split_by_the_shell_is_told_to_be_quoted() {
        for line in [
            "embx query v.txt king - man + woman",
            "embx query v.txt king + woman",
        ] {
            let t = tip_for(line).unwrap();
            assert!(t.contains("put it in quotes"), "{t}");
            assert!(t.contains("Usage: embx query"), "{t}");
        }
    }

    #[test]
    fn the_number_of_results_is_k() {
        for k in ["-n", "--k", "--top", "--topk", "--top-k"] {
            for command in ["similar v.txt king", "analogy v.txt a b c", "query v.txt x"] {
                let t = tip_for(&format!("embx {command} {k} 2")).unwrap();
                assert!(
                    t.contains("tip: the number of results is -k (or --topn)"),
                    "{t}"
                );
                assert!(t.contains("Usage: embx"), "{t}");
            }
        }
        // layout's --top is its own option, and its -k is not the number of results.
        assert_eq!(tip_for("embx layout v.txt --top 5 -n 2 -o a.svg"), None);
        assert_eq!(tip_for("embx train c.txt -o x.fifu -n 2"), None);
    }
}
