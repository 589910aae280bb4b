//! Reading an ARPA file into a [`BackoffModel`]: its header, then each order's lines (parsed
//! on all cores), every error naming the file and line.
use super::{sorted, BackoffModel, Level, BOS, EOS, UNK};
use crate::error::{Error, Location, Result};
use crate::jobs::{Progress, ProgressExt};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// Reads ARPA text line by line, naming the file and line in its errors.
struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    progress: Option<&'a Progress>,
    /// Bytes of `text` reported to `progress`.
    reported: usize,
    lines: std::iter::Peekable<std::iter::Enumerate<std::str::Lines<'a>>>,
    line: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, message: String) -> Error {
        Error::format(self.path, Location::Line(self.line as u64), message)
    }

    /// The next line that is not blank, trimmed.
    fn next(&mut self) -> Option<&'a str> {
        for (i, l) in self.lines.by_ref() {
            self.line = i + 1;
            let l = l.trim();
            if !l.is_empty() {
                return Some(l);
            }
        }
        None
    }

    /// `\data\`'s `ngram N=count` lines: the count of each order.
    fn header(&mut self) -> Result<Vec<usize>> {
        if self.next() != Some("\\data\\") {
            return Err(self.error("not an ARPA file: it does not start with \\data\\".into()));
        }
        let mut counts = Vec::new();
        while let Some(&(_, l)) = self.lines.peek() {
            if l.trim().starts_with('\\') {
                break;
            }
            let Some((i, l)) = self.lines.next() else {
                break;
            };
            self.line = i + 1;
            let l = l.trim();
            if l.is_empty() {
                continue;
            }
            let parsed = l
                .strip_prefix("ngram ")
                .and_then(|r| r.split_once('='))
                .and_then(|(n, c)| Some((n.trim().parse::<usize>().ok()?, c.trim().parse().ok()?)));
            match parsed {
                Some((n, c)) if n == counts.len() + 1 => counts.push(c),
                _ => {
                    return Err(self.error(format!(
                        "expected \"ngram {}=COUNT\", found \"{l}\"",
                        counts.len() + 1
                    )))
                }
            }
        }
        if counts.is_empty() {
            return Err(self.error("the \\data\\ section lists no n-gram counts".into()));
        }
        Ok(counts)
    }

    /// The `\n-grams:` section's `count` lines, each with its line number (its header
    /// checked, the lines not yet parsed).
    fn section_lines(&mut self, n: usize, count: usize) -> Result<Vec<(usize, &'a str)>> {
        let want = format!("\\{n}-grams:");
        match self.next() {
            Some(l) if l == want => {}
            Some(l) if n > 1 && !l.starts_with('\\') => {
                let before = format!("\\{}-grams:", n - 1);
                return Err(self.error(format!(
                    "{before} has more lines than the header's \"ngram {}=\" says",
                    n - 1
                )));
            }
            _ => return Err(self.error(format!("expected {want}"))),
        }
        let mut lines = Vec::with_capacity(count);
        for i in 0..count {
            let Some(l) = self.next() else {
                return Err(self.error(format!("the file ends inside {want}")));
            };
            if l.starts_with('\\') {
                return Err(self.error(format!(
                    "{want} has {i} lines, fewer than the header's \"ngram {n}={count}\""
                )));
            }
            lines.push((self.line, l));
        }
        Ok(lines)
    }

    /// Reports the bytes read up to the line being read; fails when cancelled.
    fn report(&mut self) -> Result<()> {
        self.progress.check()?;
        let at = match self.lines.peek() {
            Some(&(_, l)) => l.as_ptr() as usize - self.text.as_ptr() as usize,
            None => self.text.len(),
        };
        self.progress.add(at.saturating_sub(self.reported) as u64);
        self.reported = self.reported.max(at);
        Ok(())
    }
}

/// One line of the `\n-grams:` section (line `no` of file `path`): its log10 P, its `n` words
/// and its log10 γ (0 when it has none).
fn parse_line<'l>(
    path: &Path,
    n: usize,
    (no, l): (usize, &'l str),
) -> Result<(f32, Vec<&'l str>, f32)> {
    let error = |m: String| Error::format(path, Location::Line(no as u64), m);
    let number = |f: Option<&str>| {
        f.and_then(|f| f.parse::<f32>().ok())
            .filter(|v| !v.is_nan())
            .ok_or_else(|| error(format!("expected a log10 probability: \"{l}\"")))
    };
    let mut fields = l.split_whitespace();
    let p = number(fields.next())?;
    if p > 0.0 {
        return Err(error(format!("a positive log10 probability: \"{l}\"")));
    }
    let words: Vec<&str> = fields.by_ref().take(n).collect();
    if words.len() < n {
        return Err(error(format!(
            "\\{n}-grams: line with fewer than {n} words: \"{l}\""
        )));
    }
    let backoff = match fields.next() {
        Some(b) => number(Some(b))?,
        None => 0.0,
    };
    Ok((p, words, backoff))
}

/// The n-grams of `lines` (of order `n`) as word ids, parsed on all cores; `progress` counts
/// their bytes.
fn parse_level(
    path: &Path,
    n: usize,
    lines: &[(usize, &str)],
    index: &HashMap<String, u32>,
    progress: Option<&Progress>,
) -> Result<Level> {
    const CHUNK: usize = 1 << 15;
    let mut level = Level {
        n,
        keys: vec![0; lines.len() * n],
        values: vec![(0.0, 0.0); lines.len()],
    };
    // Each chunk of lines fills its own part of the level, in place.
    (lines.par_chunks(CHUNK))
        .zip(level.keys.par_chunks_mut(CHUNK * n))
        .zip(level.values.par_chunks_mut(CHUNK))
        .try_for_each(|((chunk, keys), values)| -> Result<()> {
            progress.check()?;
            for ((&line, key), value) in chunk.iter().zip(keys.chunks_mut(n)).zip(values) {
                let (p, words, b) = parse_line(path, n, line)?;
                for (word, id) in words.into_iter().zip(key) {
                    *id = *index.get(word).ok_or_else(|| {
                        let m = format!("\"{word}\" is in a {n}-gram but not a 1-gram");
                        Error::format(path, Location::Line(line.0 as u64), m)
                    })?;
                }
                *value = (p, b);
            }
            progress.add(chunk.iter().map(|(_, l)| l.len() as u64 + 1).sum());
            Ok(())
        })?;
    Ok(level)
}

impl BackoffModel {
    /// Reads the ARPA text `text` of file `path`; `progress` counts its bytes and can cancel.
    pub fn read(path: &Path, text: &str, progress: Option<&Progress>) -> Result<BackoffModel> {
        progress.set_total(text.len() as u64);
        let mut r = Reader {
            path,
            text,
            progress,
            reported: 0,
            lines: text.lines().enumerate().peekable(),
            line: 0,
        };
        let counts = r.header()?;
        let mut words = Vec::with_capacity(counts[0]);
        let mut unigrams = Vec::with_capacity(counts[0]);
        let mut index = HashMap::with_capacity(counts[0]);
        for line in r.section_lines(1, counts[0])? {
            let (p, w, b) = parse_line(path, 1, line)?;
            let id = words.len() as u32;
            if index.insert(w[0].to_string(), id).is_some() {
                let m = format!("the 1-gram \"{}\" is listed twice", w[0]);
                return Err(Error::format(path, Location::Line(line.0 as u64), m));
            }
            words.push(w[0].to_string());
            unigrams.push((p, b));
        }
        r.report()?;
        let mut levels = Vec::new();
        for (k, &count) in counts.iter().enumerate().skip(1) {
            let n = k + 1;
            let lines = r.section_lines(n, count)?;
            r.reported += lines.iter().map(|(_, l)| l.len() + 1).sum::<usize>();
            let level = parse_level(path, n, &lines, &index, progress)?;
            let level = sorted(level);
            if let Some(i) = (1..level.len()).find(|&i| level.key(i - 1) == level.key(i)) {
                let gram: Vec<&str> = level
                    .key(i)
                    .iter()
                    .map(|&w| words[w as usize].as_str())
                    .collect();
                let message = format!("the {n}-gram \"{}\" is listed twice", gram.join(" "));
                return Err(Error::format(path, Location::File, message));
            }
            levels.push(level);
        }
        r.report()?;
        match r.next() {
            Some("\\end\\") => {}
            Some(l) if !l.starts_with('\\') => {
                let n = counts.len();
                return Err(r.error(format!(
                    "\\{n}-grams: has more lines than the header's \"ngram {n}={}\"",
                    counts[n - 1]
                )));
            }
            _ => return Err(r.error("expected \\end\\ after the last section".into())),
        }
        let id = |w: &str| index.get(w).copied();
        let (Some(bos), Some(eos)) = (id(BOS), id(EOS)) else {
            return Err(Error::format(
                path,
                Location::File,
                "the 1-grams lack <s> or </s>",
            ));
        };
        let unk = id(UNK);
        Ok(BackoffModel {
            words,
            index,
            unigrams,
            levels,
            bos,
            eos,
            unk,
        })
    }
}

/// Whether the file at `path` is meant as an ARPA file: its name ends in `.arpa` or
/// `.arpa.gz`, or its first line that is not blank is `\data\` (gzip-compressed or not). A
/// file named so but not in the format is then refused by [`open`] with the reason, not
/// counted as text.
pub fn is_arpa(path: &Path) -> bool {
    use std::io::Read;
    let name = path.to_string_lossy().to_lowercase();
    if name.ends_with(".arpa") || name.ends_with(".arpa.gz") {
        return true;
    }
    let mut head = Vec::new();
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut raw = std::io::BufReader::new(file);
    let gzip = std::io::BufRead::fill_buf(&mut raw).is_ok_and(|b| b.starts_with(&[0x1f, 0x8b]));
    let read = match gzip {
        true => flate2::bufread::MultiGzDecoder::new(raw)
            .take(512)
            .read_to_end(&mut head),
        false => raw.take(512).read_to_end(&mut head),
    };
    if read.is_err() && head.is_empty() {
        return false;
    }
    starts_like_arpa(&head)
}

/// True when the first line of `bytes` that is not blank is `\data\`, as an ARPA file's is.
pub fn starts_like_arpa(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        == Some("\\data\\")
}

/// Reads the ARPA file at `path`; `progress` counts its bytes and can cancel.
pub fn open(path: &Path, progress: Option<&Progress>) -> Result<BackoffModel> {
    // The file is mapped, not copied (`Input` decompresses a gzip file into memory).
    let input = crate::io::Input::open(path)?;
    let bytes = input.bytes();
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::format(
            path,
            Location::Offset(e.valid_up_to() as u64),
            "not valid UTF-8",
        )
    })?;
    BackoffModel::read(path, text, progress)
}
