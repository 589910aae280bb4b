//! File name completion for the prompts (Tab), as a shell does it: the last path part typed is
//! completed from the folder's entries, whole when one entry matches, to the longest common
//! start when several do (they are listed on the status line). The folder is read on the file
//! lane ([`super::FileJob::Complete`]), never in `update`.
use std::path::Path;

/// What Tab did to a prompt's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The line as it was when Tab was pressed (a result for an older line is dropped).
    pub typed: String,
    /// The line completed (the same as `typed` when nothing could be added).
    pub line: String,
    /// The matching entries when there are several (folders end in `/`), sorted.
    pub choices: Vec<String>,
}

/// Completes the path that ends `typed` (after its last space when `several` paths are
/// typed), relative names under `base`, `~/` under the home folder. A full path typed after
/// the folder the prompt offered starts over (`super::restart`), and the line drops what came
/// before it.
pub fn complete(typed: &str, base: &Path, several: bool) -> Completion {
    let start = if several {
        typed.rfind(' ').map_or(0, |i| i + 1)
    } else {
        0
    };
    let (before, path) = typed.split_at(start);
    let path = &path[super::restart(path)..];
    let (folder, prefix) = match path.rfind('/') {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => ("", path),
    };
    let dir = if folder.is_empty() {
        base.to_path_buf()
    } else {
        base.join(super::expand(folder))
    };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    let shown = name.starts_with(prefix)
                        && (!name.starts_with('.') || prefix.starts_with('.'));
                    let is_dir = e.path().is_dir();
                    shown.then(|| if is_dir { format!("{name}/") } else { name })
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let head = format!("{before}{folder}");
    let line = match names.as_slice() {
        [] => typed.to_string(),
        [one] => format!("{head}{one}"),
        many => format!("{head}{}", common_start(many)),
    };
    Completion {
        typed: typed.to_string(),
        line,
        choices: if names.len() > 1 { names } else { Vec::new() },
    }
}

/// The longest start all `names` share (on character boundaries).
fn common_start(names: &[String]) -> &str {
    let first = names[0].as_str();
    let mut end = first.len();
    for n in &names[1..] {
        end = first
            .char_indices()
            .zip(n.chars())
            .find(|((_, a), b)| a != b)
            .map_or(end.min(n.len()), |((i, _), _)| i.min(end));
    }
    &first[..end]
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "test code: a failed unwrap is a failed test"
    )]
    use super::*;

    #[test]
    fn completes_like_a_shell() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["vectors.bin", "vectors.txt", "words.txt", ".hidden"] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        std::fs::create_dir(dir.path().join("models")).unwrap();
        let c = |typed: &str| complete(typed, dir.path(), false);
        // One match: whole, a folder with its slash.
        assert_eq!(c("wo").line, "words.txt");
        assert_eq!(c("mo").line, "models/");
        // Several: their common start, and the choices listed.
        let v = c("v");
        assert_eq!(v.line, "vectors.");
        assert_eq!(v.choices, ["vectors.bin", "vectors.txt"]);
        // None: unchanged. Hidden files only when asked for.
        assert_eq!(c("zz").line, "zz");
        assert!(!c("").choices.contains(&".hidden".to_string()));
        assert_eq!(c(".h").line, ".hidden");
        // A folder typed before the name, absolute paths, and the last of several paths.
        std::fs::write(dir.path().join("models/sg.fifu"), "").unwrap();
        assert_eq!(c("models/s").line, "models/sg.fifu");
        let abs = format!("{}/wo", dir.path().display());
        assert_eq!(c(&abs).line, format!("{}/words.txt", dir.path().display()));
        let two = complete("a.txt wo", dir.path(), true);
        assert_eq!(two.line, "a.txt words.txt");
        // A full path after the folder on the line: the line starts over from it.
        let pasted = format!("/data/en/{}/wo", dir.path().display());
        assert_eq!(
            c(&pasted).line,
            format!("{}/words.txt", dir.path().display())
        );
        let two = complete(
            &format!("a.txt b/{}/wo", dir.path().display()),
            dir.path(),
            true,
        );
        assert_eq!(
            two.line,
            format!("a.txt {}/words.txt", dir.path().display())
        );
    }
}
