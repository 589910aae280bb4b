//! The file formats embx reads and writes.
use std::fmt;
use std::str::FromStr;

/// A vector file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// finalfusion (`.fifu`): chunked binary, optionally quantized or with subwords.
    Fifu,
    /// word2vec binary: a `rows dims` header line, then `word` + space + little-endian f32s.
    Word2VecBinary,
    /// word2vec text: a `rows dims` header line, then `word v1 v2 …` lines.
    Word2VecText,
    /// GloVe text: `word v1 v2 …` lines without a header.
    Glove,
    /// fastText `.vec`: the word2vec text layout, as fastText writes it.
    FastTextVec,
    /// fastText `.bin`: the model file, with subword n-gram buckets for unknown words.
    FastTextBin,
}

impl Format {
    /// Every format, in the order the documentation lists them.
    pub const ALL: [Format; 6] = [
        Format::Fifu,
        Format::Word2VecBinary,
        Format::Word2VecText,
        Format::Glove,
        Format::FastTextVec,
        Format::FastTextBin,
    ];

    /// The format to write `path` in when none is asked for: from its extension (`.bin`
    /// word2vec binary, `.vec` fastText text, `.txt` word2vec text), else fifu.
    pub fn for_output(path: &std::path::Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("bin") => Format::Word2VecBinary,
            Some("vec") => Format::FastTextVec,
            Some("txt") => Format::Word2VecText,
            _ => Format::Fifu,
        }
    }

    /// The name used on the command line (`--format`, `--to`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Fifu => "fifu",
            Format::Word2VecBinary => "word2vec",
            Format::Word2VecText => "word2vec-text",
            Format::Glove => "glove",
            Format::FastTextVec => "fasttext-vec",
            Format::FastTextBin => "fasttext-bin",
        }
    }

    /// A longer human description.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Fifu => "finalfusion",
            Format::Word2VecBinary => "word2vec binary",
            Format::Word2VecText => "word2vec text",
            Format::Glove => "GloVe text (no header)",
            Format::FastTextVec => "fastText .vec text",
            Format::FastTextBin => "fastText .bin model",
        }
    }

    /// Whether embx can write this format.
    pub fn writable(self) -> bool {
        true
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase();
        let alias = match lower.as_str() {
            "finalfusion" => "fifu",
            "word2vec-binary" | "w2v" | "bin" => "word2vec",
            "w2v-text" | "text" => "word2vec-text",
            "vec" | "fasttext" => "fasttext-vec",
            "glove-text" => "glove",
            other => other,
        };
        Format::ALL
            .into_iter()
            .find(|f| f.name() == alias)
            .ok_or_else(|| {
                let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown format {s:?} (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>().unwrap(), f);
        }
        assert_eq!("finalfusion".parse::<Format>().unwrap(), Format::Fifu);
        assert!("csv".parse::<Format>().is_err());
    }
}
