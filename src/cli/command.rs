//! The subcommands and their arguments, as clap parses them.
use super::args::{FormatParser, KParser};
use super::{index, layout, ngram, phrases, predict, quantize, train};
use crate::format::Format;
use crate::query::Method;
use clap::{Args, Subcommand};
use std::path::PathBuf;
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Describe a vector file: format, size, storage, norms, metadata.
    Info {
        #[command(flatten)]
        input: InputArgs,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Nearest neighbours of one word, or of the average of several words.
    ///
    /// With `-` as the only word, reads queries from standard input, one a line, and answers
    /// each as it arrives (with --json, one JSON object a line).
    Similar {
        #[command(flatten)]
        input: InputArgs,
        /// The query word(s); several words are averaged; `-` reads them from stdin.
        #[arg(required = true, num_args = 1..)]
        words: Vec<String>,
        #[command(flatten)]
        out: QueryOut,
    },
    /// Analogy A : B :: C : ?, i.e. the words nearest to B − A + C.
    ///
    /// `embx analogy FILE man king woman` answers "man is to king as woman is to ?" (queen).
    /// Note that fastText's `analogies A B C` means A − B + C, a different order.
    Analogy {
        #[command(flatten)]
        input: InputArgs,
        /// A, the first word of the known pair (man).
        a: String,
        /// B, the word A maps to (king).
        b: String,
        /// C, the word whose counterpart is asked for (woman).
        c: String,
        /// 3CosAdd (add) or 3CosMul (mul, Levy & Goldberg 2014, as gensim's most_similar_cosmul).
        #[arg(long, default_value = "add")]
        method: Method,
        /// Allow A, B and C themselves among the answers.
        #[arg(long)]
        include_query: bool,
        #[command(flatten)]
        out: QueryOut,
    },
    /// Neighbours of a vector expression such as "king - man + woman".
    ///
    /// Terms are words combined with +, -, scalar weights (0.5 * paris, 2 king) and
    /// parentheses; quote words that contain spaces or operators ("new york", 'well-known').
    Query {
        #[command(flatten)]
        input: InputArgs,
        /// The expression (it may start with `-`: `embx query FILE "-king"`).
        #[arg(allow_hyphen_values = true)]
        expression: String,
        /// 3CosAdd (add: the cosine with the combination) or 3CosMul (mul: the `+` terms
        /// positive and the `−` terms negative, as gensim's most_similar_cosmul).
        #[arg(long, default_value = "add")]
        method: Method,
        /// Allow the expression's own words among the answers.
        #[arg(long)]
        include_query: bool,
        #[command(flatten)]
        out: QueryOut,
    },
    /// Evaluate: analogy accuracy (--analogies) and word-pair correlation (--pairs).
    ///
    /// SET is a file, or a bundled set: google (analogies), wordsim353, simlex999 (pairs).
    /// Presets reproduce the counting of gensim (default; first 300,000 words,
    /// case-insensitive), word2vec's compute-accuracy (first 30,000 words) and
    /// finalfusion-utils (all words, case-sensitive).
    Eval {
        #[command(flatten)]
        input: InputArgs,
        /// Analogy set(s) in the questions-words.txt layout.
        #[arg(long, value_name = "SET")]
        analogies: Vec<String>,
        /// Word-pair set(s): word1, word2, score (tab-separated).
        #[arg(long, value_name = "SET")]
        pairs: Vec<String>,
        /// Whose counting rules to follow.
        #[arg(long, default_value = "gensim")]
        preset: crate::eval::Preset,
        /// Only the first N words take part (default: the preset's).
        #[arg(long, value_name = "N")]
        restrict: Option<usize>,
        /// 3CosAdd (add) or 3CosMul (mul).
        #[arg(long, default_value = "add")]
        method: Method,
        /// Write every analogy question with its predicted answer to this TSV file.
        #[arg(long, value_name = "FILE")]
        dump: Option<PathBuf>,
        /// Print JSON instead of tables.
        #[arg(long)]
        json: bool,
        /// Pairs: score a pair with an unknown word from the word's subwords, when the file
        /// has a subword model (by default, as gensim, such a pair is out of vocabulary).
        #[arg(long)]
        oov_subwords: bool,
    },
    /// Explore a vector file interactively (plain `embx` opens the demo space).
    ///
    /// Search the vocabulary, walk from word to neighbour, try analogies and expressions,
    /// and look at the vectors. Press ? inside for the keys.
    #[cfg(feature = "tui")]
    Open {
        #[command(flatten)]
        input: InputArgs,
        /// Search every word exactly, not through the HNSW index beside the file.
        #[arg(long)]
        exact: bool,
    },
    /// Convert a vector file to another format (written atomically).
    Convert {
        #[command(flatten)]
        input: InputArgs,
        /// The file to write.
        output: PathBuf,
        /// Output format; by default from OUTPUT's extension as `train -o` does (.bin
        /// word2vec, .vec fastText text, .txt word2vec text, .tsv Projector), else fifu.
        #[arg(long, value_parser = FormatParser::OUTPUT)]
        to: Option<Format>,
    },
    /// Train word2vec vectors (skip-gram or CBOW; negative sampling or hierarchical softmax;
    /// optionally fastText subwords) or an NNLM on text corpora.
    ///
    /// `embx train corpus.txt -o vectors.fifu` reads whitespace-separated tokens, one
    /// sentence a line. Ctrl-C stops and writes nothing unless --save-on-interrupt.
    Train {
        #[command(flatten)]
        args: train::TrainArgs,
    },
    /// The next word after a context, from an NNLM (`embx train --model nnlm`).
    ///
    /// `embx predict zh.fifu 我 打开` lists the likeliest next words with their
    /// probabilities; `--held-out FILE` scores the model on unseen text (perplexity, ranks),
    /// and `--ngram` adds a Kneser-Ney N-gram model counted in the training corpus beside it;
    /// `--generate N` continues the context with sampled words.
    Predict {
        #[command(flatten)]
        args: predict::PredictArgs,
    },
    /// An N-gram language model of a text (Kneser-Ney, as KenLM estimates it).
    ///
    /// Counts the n-grams of CORPUS with interpolated modified Kneser-Ney smoothing, `</s>`
    /// at each sentence's end: `--next "the united"` lists the likeliest next words,
    /// `--generate N` samples a sentence, `--held-out FILE` reports perplexity (as KenLM's
    /// `query` does) and ranks, and `-o model.arpa` writes the model for KenLM or SRILM.
    /// Given an ARPA file instead of a text (`embx ngram model.arpa --next "the united"`), it
    /// answers the same questions from that model.
    Ngram {
        #[command(flatten)]
        args: ngram::NgramArgs,
    },
    /// Build an approximate neighbour index (HNSW) of a big vector file.
    ///
    /// The index is written beside FILE (FILE.embx-hnsw, or in the cache folder), and
    /// `similar`, `analogy` and `query` then use it; --exact bypasses it. It is ignored once
    /// FILE changes.
    Index {
        #[command(flatten)]
        args: index::IndexArgs,
    },
    /// Product-quantize a vector file into a small finalfusion file.
    ///
    /// `embx quantize big.bin big-pq.fifu` trains the codebooks on a sample of the words,
    /// encodes every word and writes finalfusion's quantized storage; embx then searches the
    /// codes without rebuilding the vectors.
    Quantize {
        #[command(flatten)]
        args: quantize::QuantizeArgs,
    },
    /// Sentence vectors and the cosine matrix between sentences.
    ///
    /// `embx phrases demo "the cat chases the mouse" "i like ham sandwiches"`. Words are
    /// weighted by SIF (default) or averaged plainly (--weighting mean).
    Phrases {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        args: phrases::PhraseArgs,
    },
    /// Lay out words in 2-D (PCA, t-SNE, UMAP or custom axes) as TSV, SVG or PNG.
    ///
    /// Prints how many of each word's 10 nearest neighbours (cosine) stay among its 10
    /// nearest in the layout. `--seed` makes runs repeatable.
    Layout {
        #[command(flatten)]
        args: layout::LayoutArgs,
    },
    /// Cosine similarity of two words or phrases ("new york"), as gensim's similarity.
    Similarity(WordPair),
    /// The word that does not match the others, as gensim's doesnt_match.
    ///
    /// The words' unit vectors are averaged; the word least similar to the average is the
    /// answer. Unknown words are left out (and named).
    DoesntMatch {
        #[command(flatten)]
        input: InputArgs,
        #[arg(required = true, num_args = 2..)]
        words: Vec<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// The rank of B among the neighbours of A (1 = nearest), as gensim's rank.
    Rank(WordPair),
    /// Print word vectors: `word v1 v2 …` a line, as fastText's print-word-vectors.
    ///
    /// With `-` as the only word, reads words from standard input, one a line, and prints
    /// each vector as it is asked for. Unknown words with subwords get their subword vector.
    Vectors {
        #[command(flatten)]
        input: InputArgs,
        /// The words; `-` reads them from stdin.
        #[arg(required = true, num_args = 1..)]
        words: Vec<String>,
        /// One JSON object a line: {"word": …, "vector": […]}.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script: `embx completions bash > ~/.local/share/bash-completion/completions/embx`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `embx man > ~/.local/share/man/man1/embx.1`.
    Man,
}

/// Which file to open and how.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Vector file, or `demo` for the bundled demo space.
    pub file: PathBuf,
    /// Input format, when sniffing guesses wrong.
    #[arg(long, value_parser = FormatParser::ANY)]
    pub format: Option<Format>,
    /// The words of a Projector vectors.tsv or a .npy matrix, one a line (default: a
    /// metadata.tsv or word list beside it).
    #[arg(long = "words", id = "words_file", value_name = "FILE")]
    pub words_file: Option<PathBuf>,
    /// Memory-map finalfusion and word2vec binary files, reading the vectors where they are
    /// (default: for files of 256 MiB or more).
    #[arg(long, overrides_with = "no_mmap")]
    pub mmap: bool,
    /// Read finalfusion and word2vec binary files into memory even when large.
    #[arg(long)]
    pub no_mmap: bool,
}

/// Output options of the query commands.
#[derive(Debug, Args)]
pub struct QueryOut {
    /// Number of neighbours (at least 1; more than the vocabulary is capped, with a note).
    /// `--topn` is gensim's name for it.
    #[arg(
        short,
        long = "topn",
        value_name = "K",
        default_value_t = 10,
        value_parser = KParser,
        allow_negative_numbers = true
    )]
    pub k: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Scan every word even when the file has an approximate index.
    #[arg(long)]
    pub exact: bool,
}

/// A file and two words or phrases (`similarity`, `rank`).
#[derive(Debug, Args)]
pub struct WordPair {
    #[command(flatten)]
    pub input: InputArgs,
    pub a: String,
    pub b: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}
