//! Times finalfusion's own readers, for scripts/bench-load.sh.
//!
//! Usage: `ff_load KIND FILE` with KIND one of glove (text without header), w2v-bin,
//! fifu (read into memory), fifu-mmap. Prints one line: `reader=finalfusion kind=… seconds=…`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
use finalfusion::prelude::*;
use finalfusion::vocab::Vocab;
use std::fs::File;
use std::io::BufReader;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kind, path] = args.as_slice() else {
        return Err("usage: ff_load glove|w2v-bin|fifu|fifu-mmap FILE".into());
    };
    let mut r = BufReader::new(File::open(path)?);
    let start = Instant::now();
    let words = match kind.as_str() {
        "glove" => Embeddings::read_text(&mut r)?.vocab().words_len(),
        "w2v-bin" => Embeddings::read_word2vec_binary(&mut r)?
            .vocab()
            .words_len(),
        "fifu" => {
            let e: Embeddings<VocabWrap, StorageWrap> = Embeddings::read_embeddings(&mut r)?;
            e.vocab().words_len()
        }
        "fifu-mmap" => {
            let e: Embeddings<VocabWrap, StorageWrap> = Embeddings::mmap_embeddings(&mut r)?;
            e.vocab().words_len()
        }
        other => return Err(format!("unknown kind {other}").into()),
    };
    let secs = start.elapsed().as_secs_f64();
    println!("reader=finalfusion kind={kind} words={words} seconds={secs:.4}");
    Ok(())
}
