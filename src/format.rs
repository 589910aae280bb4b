//! The file formats embx reads and writes.
use std::fmt;
use std::str::FromStr;

/// A vector file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// fastText `.bin`: the model file, with subword n-gram buckets for unknown words
    /// (also the files of fastText before 0.2, which have no magic number).
    FastTextBin,
    /// gensim's own `save()` of KeyedVectors, Word2Vec or FastText: a pickle (read as data)
    /// with `.npy` files beside it.
    Gensim,
    /// TensorFlow Embedding Projector: `vectors.tsv` (tab-separated values, no words) with
    /// the words in `metadata.tsv` beside it.
    Projector,
    /// A NumPy `.npy` matrix with the words in a text file beside it, one a line.
    Npy,
    /// A Spark MLlib `Word2VecModel` directory (`metadata/` and `data/*.parquet`).
    Spark,
}

impl Format {
    /// Every format, in the order the documentation lists them.
    pub const ALL: [Format; 10] = [
        Format::Fifu,
        Format::Word2VecBinary,
        Format::Word2VecText,
        Format::Glove,
        Format::FastTextVec,
        Format::FastTextBin,
        Format::Gensim,
        Format::Projector,
        Format::Npy,
        Format::Spark,
    ];

    /// The format to write `path` in when none is asked for: from its extension (`.bin`
    /// word2vec binary, `.vec` fastText text, `.txt` word2vec text, `.tsv` Projector), else
    /// fifu. `convert` and `train -o` both choose this way.
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
            Some("tsv") => Format::Projector,
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
            Format::Gensim => "gensim",
            Format::Projector => "projector",
            Format::Npy => "npy",
            Format::Spark => "spark",
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
            Format::Gensim => "gensim save (pickle + .npy)",
            Format::Projector => "Embedding Projector TSV",
            Format::Npy => "NumPy .npy + word list",
            Format::Spark => "Spark MLlib Word2VecModel",
        }
    }

    /// Whether embx can write this format.
    pub fn writable(self) -> bool {
        !matches!(self, Format::Gensim | Format::Npy | Format::Spark)
    }

    /// The names of the formats embx writes, for messages.
    pub fn writable_names() -> String {
        let names: Vec<_> = Format::ALL
            .iter()
            .filter(|f| f.writable())
            .map(|f| f.name())
            .collect();
        names.join(", ")
    }
}

impl serde::Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
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
            "vec" => "fasttext-vec",
            "glove-text" => "glove",
            "tsv" | "tensorboard" => "projector",
            "pickle" | "gensim-model" => "gensim",
            "numpy" => "npy",
            "spark-mllib" | "mllib" => "spark",
            "fasttext" => {
                return Err(
                    "\"fasttext\" is ambiguous: say fasttext-vec (the .vec text file) or \
                     fasttext-bin (the .bin model)"
                        .into(),
                )
            }
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
        let e = "fasttext".parse::<Format>().unwrap_err();
        assert!(
            e.contains("fasttext-vec") && e.contains("fasttext-bin"),
            "{e}"
        );
    }

    #[test]
    fn json_names_are_the_cli_names() {
        for f in Format::ALL {
            assert_eq!(
                serde_json::to_string(&f).unwrap(),
                format!("\"{}\"", f.name())
            );
        }
    }

    #[test]
    fn output_format_from_extension() {
        use std::path::Path;
        assert_eq!(Format::for_output(Path::new("a.txt")), Format::Word2VecText);
        assert_eq!(Format::for_output(Path::new("a.TSV")), Format::Projector);
        assert_eq!(Format::for_output(Path::new("a")), Format::Fifu);
    }
}
