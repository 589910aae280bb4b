//! Arguments in the wrong order: `embx similar king vectors.txt` names a FILE that does not
//! exist and a word that is a file. The error then says that the vectors file comes first.
use super::command::{Command, InputArgs, WordPair};
use crate::error::{Error, Result};
use std::path::Path;

/// The subcommand's name, its input and its word arguments, for the commands that take words
/// after FILE.
fn words_of(command: &Command) -> Option<(&'static str, &InputArgs, Vec<&str>)> {
    Some(match command {
        Command::Similar { input, words, .. } => ("similar", input, strs(words)),
        Command::Analogy { input, a, b, c, .. } => ("analogy", input, vec![a, b, c]),
        Command::Query {
            input, expression, ..
        } => ("query", input, vec![expression]),
        Command::Similarity(WordPair { input, a, b, .. }) => ("similarity", input, vec![a, b]),
        Command::Rank(WordPair { input, a, b, .. }) => ("rank", input, vec![a, b]),
        Command::DoesntMatch { input, words, .. } => ("doesnt-match", input, strs(words)),
        Command::Vectors { input, words, .. } => ("vectors", input, strs(words)),
        Command::Phrases { input, args } => ("phrases", input, strs(&args.sentences)),
        _ => None?,
    })
}

fn strs(words: &[String]) -> Vec<&str> {
    words.iter().map(String::as_str).collect()
}

/// An error when the FILE of `command` does not exist while one of its words is a file: the
/// arguments are in the wrong order (`king: no such file; the vectors file comes first:
/// embx similar vectors.txt king`).
pub fn check(command: &Command) -> Result<()> {
    let Some((name, input, words)) = words_of(command) else {
        return Ok(());
    };
    let file = &input.file;
    if file.exists() || super::load::is_demo(file) {
        return Ok(());
    }
    let Some(at) = words
        .iter()
        .position(|w| *w != "-" && Path::new(w).exists())
    else {
        return no_file_given(name, file, &words);
    };
    let typed = file.to_string_lossy();
    let mut line = vec!["embx", name, words[at], &typed];
    line.extend(
        words
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != at)
            .map(|(_, w)| *w),
    );
    comes_first(file, line, "")
}

/// `FILE: no such file; the vectors file comes first: LINE` (`line` written as a shell reads
/// it), and `more` after.
fn comes_first(file: &Path, line: Vec<&str>, more: &str) -> Result<()> {
    let line: Vec<String> = line.into_iter().map(shell_word).collect();
    let message = format!(
        "no such file; the vectors file comes first: {}{more}",
        line.join(" ")
    );
    Err(Error::io(
        file,
        std::io::Error::new(std::io::ErrorKind::NotFound, message),
    ))
}

/// An error when the FILE of `command` does not exist and looks like a word (no folder, no
/// extension): the vectors file was left out (`embx similar king queen`).
fn no_file_given(name: &str, file: &Path, words: &[&str]) -> Result<()> {
    let typed = file.to_string_lossy();
    let word_like = file.extension().is_none()
        && file.components().count() == 1
        && !typed.is_empty()
        && !typed.starts_with('.');
    if !word_like {
        return Ok(());
    }
    let mut line = vec!["embx", name, "FILE", &typed];
    line.extend(words.iter().copied());
    comes_first(file, line, " (`demo` for the bundled demo vectors)")
}

/// `word` as a shell reads it: in single quotes when it has spaces or characters the shell
/// would take as its own.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./:=,@%+".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    fn message(args: &[&str]) -> Option<String> {
        let cli = Cli::try_parse_from(args).unwrap();
        check(&cli.command.unwrap()).err().map(|e| e.to_string())
    }

    #[test]
    fn a_word_where_the_file_goes_asks_for_the_file() {
        let d = tempfile::tempdir().unwrap();
        let m = message(&["embx", "similar", "king", "queen"]).unwrap();
        assert!(
            m.contains("the vectors file comes first: embx similar FILE king queen"),
            "{m}"
        );
        // A path or a file name with an extension is a missing file, said as such later.
        let missing = d.path().join("v.txt");
        assert_eq!(
            message(&["embx", "similar", missing.to_str().unwrap(), "king"]),
            None
        );
        assert_eq!(message(&["embx", "similar", "vectors.bin", "king"]), None);
    }

    #[test]
    fn a_word_that_is_a_file_comes_first() {
        let d = tempfile::tempdir().unwrap();
        let v = d.path().join("v.txt");
        std::fs::write(&v, "king 1 0\n").unwrap();
        let v = v.to_str().unwrap();
        assert_eq!(
            message(&["embx", "similar", "king", v, "-k", "2"]).unwrap(),
            format!("king: no such file; the vectors file comes first: embx similar {v} king")
        );
        assert_eq!(
            message(&["embx", "analogy", "man", v, "king", "woman"]).unwrap(),
            format!(
                "man: no such file; the vectors file comes first: embx analogy {v} man king woman"
            )
        );
        assert_eq!(
            message(&["embx", "query", "king - man", v]).unwrap(),
            format!("king - man: no such file; the vectors file comes first: embx query {v} 'king - man'")
        );
        // In the right order, or with no word that is a file, nothing is said here.
        assert_eq!(message(&["embx", "similar", v, "king"]), None);
        assert_eq!(message(&["embx", "similar", "nofile.txt", "king"]), None);
        assert_eq!(message(&["embx", "similar", "demo", v]), None);
        assert_eq!(message(&["embx", "info", "nofile.txt"]), None);
    }

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(shell_word("vectors.txt"), "vectors.txt");
        assert_eq!(shell_word("new york"), "'new york'");
        assert_eq!(shell_word("don't"), "'don'\\''t'");
        assert_eq!(shell_word(""), "''");
    }
}
