//! Cutting Chinese text into words, for training on raw Chinese text and for Chinese input to
//! phrases and expressions.
//!
//! Written Chinese has no spaces between words, so a corpus split on whitespace would make a
//! whole clause one "word". The [`Segmenter`] cuts it with jieba (the `jieba-rs` crate, feature
//! `zh`, on by default): its bundled dictionary (349,045 words), the most probable route
//! through the dictionary's words, and an HMM for the runs of characters the dictionary does
//! not know. Only whitespace-separated tokens that hold a Chinese character go through jieba;
//! every other token (Latin words, numbers, `e.g.`) stays exactly as whitespace splitting
//! gives it. Inside a Chinese token, jieba keeps runs of ASCII letters and digits whole and
//! makes each punctuation mark (full-width `，` as well as `,`) a token of its own; whitespace
//! never becomes a token. For the same dictionary the cuts are the same as Python jieba's
//! `jieba.cut(line)` with the whitespace tokens dropped. Traditional characters are cut the
//! same way and never converted.
//!
//! [`detect`] decides `--segment auto`: it samples up to [`AUTO_BYTES`] of each file of the
//! corpus (its start, two points inside and its end) and turns segmentation on when more than
//! [`AUTO_SHARE`] of the characters that are not whitespace in one of those parts are Chinese.
use crate::error::{Error, Location, Result};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Whether to cut Chinese text into words (`--segment`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Segment {
    /// Whitespace only.
    Off,
    /// Cut Chinese runs with jieba.
    Zh,
    /// `Zh` when the start of the corpus is Chinese enough ([`detect`]), else `Off`: the
    /// default, so that Chinese text is not trained as whole clauses by mistake.
    #[default]
    Auto,
}

impl Segment {
    /// The name used on the command line and in metadata.
    pub fn name(self) -> &'static str {
        match self {
            Segment::Off => "off",
            Segment::Zh => "zh",
            Segment::Auto => "auto",
        }
    }
}

impl std::str::FromStr for Segment {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "off" | "none" | "no" => Ok(Segment::Off),
            "zh" | "chinese" | "jieba" => Ok(Segment::Zh),
            "auto" => Ok(Segment::Auto),
            _ => Err(format!(
                "unknown segmentation {s:?} (expected off, zh or auto)"
            )),
        }
    }
}

/// How much of each file of the corpus [`detect`] looks at.
pub const AUTO_BYTES: usize = 1 << 20;
/// How many of the corpus's files [`detect`] looks at.
pub const AUTO_FILES: usize = 16;
/// The share of Chinese characters (among those that are not whitespace) above which
/// [`detect`] turns segmentation on.
pub const AUTO_SHARE: f64 = 0.05;

/// True for a Chinese (Han) character: CJK Unified Ideographs with their extensions A–I, and
/// the compatibility ideographs.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{323AF}')
}

/// True when `s` holds at least one Chinese character.
pub fn has_cjk(s: &str) -> bool {
    // Every Han character is 3 or 4 bytes long in UTF-8: skip ASCII-only text at once.
    !s.is_ascii() && s.chars().any(is_cjk)
}

/// True when `token` should go through jieba: it holds a Chinese character, or CJK / full-width
/// punctuation (`readline，` → `readline` `，`, as Python jieba cuts it).
#[cfg(feature = "zh")]
fn needs_cut(token: &str) -> bool {
    !token.is_ascii()
        && token
            .chars()
            .any(|c| is_cjk(c) || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF65}'))
}

/// The share of Chinese characters among the characters of `text` that are not whitespace
/// (0 for text without any).
pub fn cjk_share(text: &str) -> f64 {
    let (mut all, mut han) = (0u64, 0u64);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        all += 1;
        han += u64::from(is_cjk(c));
    }
    if all == 0 {
        0.0
    } else {
        han as f64 / all as f64
    }
}

/// `--segment auto`: true when more than [`AUTO_SHARE`] of some part of the text sampled from
/// the files is Chinese. Each of the first [`AUTO_FILES`] files gives up to [`AUTO_BYTES`]: all
/// of a file that small, else four windows (its start, a third and two thirds of the way in,
/// its end), so that Chinese after a long English part, or in a second file, is seen. A gzip
/// file gives its first [`AUTO_BYTES`] decompressed. (Cutting costs English text little: only
/// tokens that hold a Chinese character go through jieba.)
pub fn detect(paths: &[PathBuf]) -> Result<bool> {
    for path in paths.iter().take(AUTO_FILES) {
        // A corpus that is not there (or not to be opened) is said as any missing file is.
        let sample = if super::is_stdin(path) {
            sample_stdin()
        } else {
            sample_file(path)
        };
        let windows = sample.map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                Error::io(path, e)
            }
            _ => Error::Format {
                path: path.clone(),
                location: Location::File,
                message: format!("cannot read the corpus to tell its language: {e}"),
            },
        })?;
        if windows
            .iter()
            .any(|w| cjk_share(&String::from_utf8_lossy(w)) > AUTO_SHARE)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The first [`AUTO_BYTES`] of standard input, left there to be read (decompressed, as far as
/// they go, when they start a gzip stream).
fn sample_stdin() -> std::io::Result<Vec<Vec<u8>>> {
    let head = super::corpus::stdin::peek(AUTO_BYTES)?;
    if !head.starts_with(&[0x1f, 0x8b]) {
        return Ok(vec![head]);
    }
    let mut text = Vec::new();
    // The head ends inside the stream: what came out before that is the sample.
    let _ = flate2::read::MultiGzDecoder::new(&head[..])
        .take(AUTO_BYTES as u64)
        .read_to_end(&mut text);
    Ok(vec![text])
}

/// Up to [`AUTO_BYTES`] of `path`, in windows (see [`detect`]).
fn sample_file(path: &Path) -> std::io::Result<Vec<Vec<u8>>> {
    use std::io::{Seek, SeekFrom};
    let mut raw = BufReader::new(std::fs::File::open(path)?);
    let mut whole = Vec::new();
    if raw.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
        let z = flate2::bufread::MultiGzDecoder::new(raw);
        z.take(AUTO_BYTES as u64).read_to_end(&mut whole)?;
        return Ok(vec![whole]);
    }
    let len = raw.get_ref().metadata()?.len();
    if len <= AUTO_BYTES as u64 {
        raw.read_to_end(&mut whole)?;
        return Ok(vec![whole]);
    }
    let window = (AUTO_BYTES / 4) as u64;
    let mut windows = Vec::new();
    for at in [0, len / 3, 2 * len / 3, len - window] {
        raw.seek(SeekFrom::Start(at))?;
        let mut w = Vec::new();
        (&mut raw).take(window).read_to_end(&mut w)?;
        windows.push(w);
    }
    Ok(windows)
}

/// Cuts Chinese text into words (see the module documentation). Cheap to clone; shareable
/// between threads.
#[derive(Clone)]
pub struct Segmenter {
    #[cfg(feature = "zh")]
    jieba: std::sync::Arc<jieba_rs::Jieba>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter").finish_non_exhaustive()
    }
}

#[cfg(feature = "zh")]
fn default_jieba() -> &'static std::sync::Arc<jieba_rs::Jieba> {
    static JIEBA: std::sync::OnceLock<std::sync::Arc<jieba_rs::Jieba>> = std::sync::OnceLock::new();
    JIEBA.get_or_init(|| std::sync::Arc::new(jieba_rs::Jieba::new()))
}

#[cfg(not(feature = "zh"))]
fn unavailable() -> Error {
    Error::Invalid(
        "this embx was built without Chinese segmentation (cargo feature \"zh\"); \
         --segment off splits at whitespace only"
            .into(),
    )
}

impl Segmenter {
    /// Ok when this embx can cut Chinese into words (it was built with the `zh` feature).
    pub fn available() -> Result<()> {
        #[cfg(feature = "zh")]
        return Ok(());
        #[cfg(not(feature = "zh"))]
        return Err(unavailable());
    }

    /// The segmenter with jieba's bundled dictionary (loaded once per process, ~0.3 s).
    pub fn new() -> Result<Segmenter> {
        #[cfg(feature = "zh")]
        return Ok(Segmenter {
            jieba: default_jieba().clone(),
        });
        #[cfg(not(feature = "zh"))]
        return Err(unavailable());
    }

    /// The bundled dictionary plus the words of `path`, a jieba user dictionary: one word a
    /// line, optionally followed by its frequency and a part-of-speech tag (`云计算 5 n`);
    /// without a frequency the word gets the one that makes jieba keep it whole, as Python
    /// jieba's `load_userdict` does. Blank lines and lines starting with `#` are skipped.
    pub fn with_user_dict(path: &Path) -> Result<Segmenter> {
        #[cfg(feature = "zh")]
        {
            let text = user_dict::read(path)?;
            let mut jieba = (**default_jieba()).clone();
            for e in user_dict::parse(&text, path)? {
                jieba.add_word(e.word, e.freq, e.tag);
            }
            Ok(Segmenter {
                jieba: std::sync::Arc::new(jieba),
            })
        }
        #[cfg(not(feature = "zh"))]
        {
            let _ = path;
            Err(unavailable())
        }
    }

    /// The segmenter shared by phrases and expressions (`None` without the `zh` feature).
    pub fn shared() -> Option<Segmenter> {
        Segmenter::new().ok()
    }

    /// Appends the words of `token` (text without whitespace) to `out`: jieba's cut if it
    /// holds a Chinese character or CJK punctuation, else `token` itself.
    pub fn cut_token<'a>(&self, token: &'a str, out: &mut Vec<&'a str>) {
        #[cfg(feature = "zh")]
        if needs_cut(token) {
            out.extend(self.jieba.cut(token, true).into_iter().map(|t| t.word));
            return;
        }
        out.push(token);
    }

    /// The words of a line of text, in order (whitespace never is one).
    pub fn cut<'a>(&self, line: &'a str) -> Vec<&'a str> {
        let mut out = Vec::new();
        for token in line.split_whitespace() {
            self.cut_token(token, &mut out);
        }
        out
    }

    /// Appends the words of `line` to `out`, separated by single spaces.
    pub fn segment_line(&self, line: &str, out: &mut String) {
        let mut first = true;
        for token in line.split_whitespace() {
            #[cfg(feature = "zh")]
            if needs_cut(token) {
                for t in self.jieba.cut(token, true) {
                    if !first {
                        out.push(' ');
                    }
                    out.push_str(t.word);
                    first = false;
                }
                continue;
            }
            if !first {
                out.push(' ');
            }
            out.push_str(token);
            first = false;
        }
    }
}

/// The words of `token` for a lookup in a space (phrases, expressions): `token` itself when
/// `known` has it or it holds no Chinese, else the shared segmenter's words without the
/// punctuation marks (`打开文件。` → `打开`, `文件`). Without the `zh` feature, `token`.
pub fn split_unknown(token: &str, known: impl Fn(&str) -> bool) -> Vec<&str> {
    if !has_cjk(token) || known(token) {
        return vec![token];
    }
    let Some(seg) = Segmenter::shared() else {
        return vec![token];
    };
    let mut out = Vec::new();
    for t in token.split_whitespace() {
        seg.cut_token(t, &mut out);
    }
    out.retain(|w| w.chars().any(char::is_alphanumeric));
    out
}

/// `text` with every whitespace-separated token that `known` lacks and that holds Chinese
/// replaced by its words, separated by spaces (`打开文件` → `打开 文件`); `None` when nothing
/// changes.
pub fn spaced_unknown(text: &str, known: impl Fn(&str) -> bool) -> Option<String> {
    if !has_cjk(text) || known(text) {
        return None;
    }
    let words: Vec<&str> = text
        .split_whitespace()
        .flat_map(|t| split_unknown(t, &known))
        .collect();
    let spaced = words.join(" ");
    (!words.is_empty() && spaced != text).then_some(spaced)
}

mod batch;
pub(crate) use batch::{pieces, segment_batch};
pub mod user_dict;

#[cfg(test)]
mod tests;
