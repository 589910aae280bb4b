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

    /// The format to write `path` in: `asked` (`--to`, `--format`), else the one its
    /// extension names (`.fifu` or none: fifu; `.bin` word2vec binary; `.vec` fastText text;
    /// `.txt` word2vec text; `.tsv` Projector). `convert`, `train -o` and the train panel all
    /// choose this way. An extension that names no format embx writes is an error, so that a
    /// file called `.npy` is never finalfusion inside.
    pub fn for_output(path: &std::path::Path, asked: Option<Format>) -> crate::Result<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let format = match (asked, ext.as_deref()) {
            (Some(f), _) => f,
            (None, None | Some("fifu")) => Format::Fifu,
            (None, Some("bin")) => Format::Word2VecBinary,
            (None, Some("vec")) => Format::FastTextVec,
            (None, Some("txt")) => Format::Word2VecText,
            (None, Some("tsv")) => Format::Projector,
            (None, Some("npy")) => Format::Npy,
            (None, Some("model" | "kv")) => Format::Gensim,
            (None, Some(other)) => {
                return Err(crate::Error::Invalid(format!(
                    "{}: .{other} names no format embx writes; end the name in .fifu, .bin, \
                     .vec, .txt or .tsv, or name the format (convert --to, train --format: {})",
                    path.display(),
                    Format::writable_names()
                )))
            }
        };
        if !format.writable() {
            return Err(crate::Error::Invalid(format!(
                "{}: embx cannot write {}; choose one of {}",
                path.display(),
                format.describe(),
                Format::writable_names()
            )));
        }
        Ok(format)
    }

    /// A warning when `path`'s extension names another kind of file than `format`, which was
    /// asked for (`--to word2vec` into `glove.vec`): the file is written as asked, but its name
    /// would mislead whoever opens it next. `None` when the name fits or names no format.
    pub fn misnamed(path: &std::path::Path, format: Format) -> Option<String> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        let named = match ext.as_str() {
            "fifu" => Format::Fifu,
            "bin" => Format::Word2VecBinary,
            "vec" => Format::FastTextVec,
            "txt" => Format::Word2VecText,
            "tsv" => Format::Projector,
            "npy" => Format::Npy,
            "model" | "kv" => Format::Gensim,
            _ => return None,
        };
        // The text layouts pass for one another, as do the two binaries named .bin.
        let kind = |f: Format| match f {
            Format::Word2VecText | Format::FastTextVec | Format::Glove => Format::Word2VecText,
            Format::FastTextBin => Format::Word2VecBinary,
            other => other,
        };
        (kind(named) != kind(format)).then(|| {
            format!(
                "warning: {} is written as {}, though .{ext} names {}",
                path.display(),
                format.describe(),
                named.describe()
            )
        })
    }

    /// [`Format::for_output`] for vectors just trained: with subwords, a `.bin` is fastText's
    /// binary (as fastText names its models), since a word2vec `.bin` has no place for the
    /// n-gram rows.
    pub fn for_trained_output(
        path: &std::path::Path,
        asked: Option<Format>,
        subwords: bool,
    ) -> crate::Result<Format> {
        let bin = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("bin"));
        match (asked, subwords && bin) {
            (None, true) => Ok(Format::FastTextBin),
            _ => Format::for_output(path, asked),
        }
    }

    /// Whether the format keeps a subword model's n-gram rows.
    pub fn keeps_subwords(self) -> bool {
        matches!(self, Format::Fifu | Format::FastTextBin)
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
    fn misnamed_outputs_are_told() {
        let m = |p: &str, f| Format::misnamed(std::path::Path::new(p), f);
        let w = m("glove.vec", Format::Word2VecBinary).unwrap();
        assert!(
            w.starts_with("warning: glove.vec is written as word2vec binary"),
            "{w}"
        );
        assert!(w.contains(".vec names fastText"), "{w}");
        assert!(m("g.txt", Format::Fifu).is_some());
        assert_eq!(m("g.vec", Format::Word2VecText), None);
        assert_eq!(m("g.bin", Format::FastTextBin), None);
        assert_eq!(m("g.fifu", Format::Fifu), None);
        assert_eq!(m("g.embeddings", Format::Fifu), None);
        assert_eq!(m("g", Format::Word2VecText), None);
    }

    #[test]
    fn output_format_from_extension() {
        use std::path::Path;
        let of =
            |p: &str, asked| Format::for_output(Path::new(p), asked).map_err(|e| e.to_string());
        assert_eq!(of("a.txt", None), Ok(Format::Word2VecText));
        assert_eq!(of("a.TSV", None), Ok(Format::Projector));
        assert_eq!(of("a", None), Ok(Format::Fifu));
        assert_eq!(of("a.fifu", None), Ok(Format::Fifu));
        assert_eq!(of("a.xyz", Some(Format::Glove)), Ok(Format::Glove));
        let unknown = of("a.xyz", None).unwrap_err();
        assert!(unknown.contains(".xyz names no format"), "{unknown}");
        let npy = of("out.npy", None).unwrap_err();
        assert!(npy.contains("cannot write"), "{npy}");
        assert!(of("a.fifu", Some(Format::Spark)).is_err());
    }
}
