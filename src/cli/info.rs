//! `embx info`: what a vector file holds.
use super::output;
use super::table::{escape, Align, Table};
use crate::error::Result;
use crate::space::{Space, Storage};
use serde_json::json;

/// Bytes mapped from the file: the matrix (or its PQ codes) when memory-mapped, and a subword
/// model's mapped n-gram rows (the heap's share is in `memory_bytes`).
fn mapped_bytes(space: &Space) -> usize {
    let src = space.source();
    let matrix = if let Some(pq) = space.matrix().pq() {
        space.len() * pq.subquantizers()
    } else if src.storage == Storage::Array || src.storage == Storage::Quantized {
        0
    } else {
        space.len() * space.dim() * 4
    };
    matrix + space.subwords().map_or(0, |s| s.bytes().1)
}

/// `info --json`.
fn print_json(space: &Space) -> Result<()> {
    let src = space.source();
    let kept = crate::query::kept_file(space);
    let index = index_file(space);
    output::print_json(&json!({
            "file": src.path.display().to_string(),
            "format": src.format,
            "format_name": src.format.describe(),
            "storage": src.storage,
            "file_bytes": src.file_bytes,
            "words": space.len(),
            "dims": space.dim(),
            "subwords": space.subwords().map(|s| s.describe()),
            "counts": space.counts().is_some(),
            "norms": space.norm_stats(),
            "memory": { "heap_bytes": space.memory_bytes(), "mapped_bytes": mapped_bytes(space) },
            "quantizer": space.matrix().pq().map(|pq| json!({
                "subquantizers": pq.subquantizers(),
                "centroids": pq.centroids(),
                "opq": pq.has_projection(),
            })),
            "search_copy": kept.as_ref().map(|(p, n)| json!({ "file": p, "bytes": n })),
            "index": index.as_ref().map(|(p, fresh)| json!({
                "file": p,
                "stale": fresh.as_ref().err(),
            })),
            "language_model": language_model(space),
            "metadata": src.metadata,
            "metadata_table": src.metadata.as_deref().and_then(metadata_table),
    }))
}

/// The metadata (TOML) as a JSON object, for scripts (`None` when it is not TOML).
fn metadata_table(meta: &str) -> Option<serde_json::Value> {
    let table: toml::Table = meta.parse().ok()?;
    serde_json::to_value(table).ok()
}

/// The NNLM model file beside the space's file (`FILE.nnlm.safetensors`), if there is one.
fn language_model(space: &Space) -> Option<std::path::PathBuf> {
    let path = &space.source().path;
    let model = crate::train::nnlm::file::model_path(path);
    (model != *path && model.is_file()).then_some(model)
}

pub fn run(space: &Space, json: bool) -> Result<()> {
    if json {
        return print_json(space);
    }
    let src = space.source();
    let heap = space.memory_bytes();
    let mapped = mapped_bytes(space);
    let subwords = space.subwords().map(|s| s.describe());
    let kept = crate::query::kept_file(space);
    let index = index_file(space);
    let norms = space.norm_stats();
    let mut t = Table::new(&[Align::Left, Align::Left]);
    let mut add = |k: &str, v: String| t.row(vec![k.to_string(), v]);
    add("file", escape(&src.path.display().to_string()).into_owned());
    add(
        "format",
        format!("{} ({})", src.format.describe(), src.format),
    );
    add("storage", storage_text(src.storage).to_string());
    if let Some(pq) = space.matrix().pq() {
        add("quantizer", pq_text(pq));
    }
    add("size", human_bytes(src.file_bytes as usize));
    add("words", crate::text::thousands(space.len()));
    add("dimensions", space.dim().to_string());
    add(
        "subwords",
        subwords.unwrap_or_else(|| "none (unknown words have no vector)".into()),
    );
    let counts = if space.counts().is_some() {
        "yes"
    } else {
        "no"
    };
    add("counts", counts.to_string());
    if let Some(n) = norms {
        add(
            "norms",
            format!(
                "min {:.4}  median {:.4}  mean {:.4}  max {:.4}  ({} zero vectors)",
                n.min, n.median, n.mean, n.max, n.zero
            ),
        );
    }
    for (k, v) in memory_rows(heap, mapped, kept.as_ref()) {
        add(k, v);
    }
    if let Some((path, fresh)) = &index {
        let text = match fresh {
            Ok(()) => format!("HNSW, {} (used by similar, analogy, query)", path.display()),
            Err(why) => format!(
                "stale: {} ({why}); rebuild it with `embx index`",
                path.display()
            ),
        };
        add("index", escape(&text).into_owned());
    }
    if let Some(model) = language_model(space) {
        let text = format!("{} (an NNLM's; `embx predict` reads it)", model.display());
        add("language model", escape(&text).into_owned());
    }
    if !space.is_empty() {
        let first: Vec<_> = (0..space.len().min(8))
            .map(|i| escape(space.word(i)).into_owned())
            .collect();
        add("first words", first.join(" "));
    }
    let mut text = t.render();
    if let Some(meta) = &src.metadata {
        push_metadata(&mut text, meta);
    }
    output::print(&text)
}

/// The file's metadata (TOML), indented under a heading, blank lines left out.
fn push_metadata(text: &mut String, meta: &str) {
    text.push_str("metadata\n");
    for line in meta.lines().filter(|l| !l.trim().is_empty()) {
        text.push_str("  ");
        text.push_str(&escape(line));
        text.push('\n');
    }
}

/// The table's rows on memory: the heap and the mapped bytes, and the explorer's search copy
/// when one is kept for the file.
fn memory_rows(
    heap: usize,
    mapped: usize,
    kept: Option<&(std::path::PathBuf, u64)>,
) -> Vec<(&'static str, String)> {
    let memory = if mapped > 0 {
        format!(
            "{} on the heap + {} mapped",
            human_bytes(heap),
            human_bytes(mapped)
        )
    } else {
        format!("{} on the heap", human_bytes(heap))
    };
    let mut rows = vec![("memory", memory)];
    if let Some((path, bytes)) = kept {
        let text = format!(
            "{} in {} (the explorer's copy for fast neighbour search; delete it to reclaim the space)",
            human_bytes(*bytes as usize),
            escape(&path.display().to_string())
        );
        rows.push(("search copy", text));
    }
    rows
}

fn storage_text(s: Storage) -> &'static str {
    match s {
        Storage::Array => "array (read into memory)",
        Storage::Mmap => "memory-mapped",
        Storage::Quantized => "product-quantized",
        Storage::Embedded => "embedded in the embx binary",
    }
}

/// The HNSW index file of `space`'s file, if there is one: fresh, or stale and why.
fn index_file(space: &Space) -> Option<(std::path::PathBuf, std::result::Result<(), String>)> {
    match crate::index::status(space).ok()? {
        crate::index::Status::Ready(h) => Some((h.path().to_path_buf(), Ok(()))),
        crate::index::Status::Stale(p, why) => Some((p, Err(why))),
        crate::index::Status::Missing => None,
    }
}

/// "30 subquantizers × 256 centroids (8 bits), OPQ rotation".
fn pq_text(pq: &crate::space::PqMatrix) -> String {
    let bits = pq.centroids().next_power_of_two().trailing_zeros();
    let rotation = if pq.has_projection() {
        ", OPQ rotation"
    } else {
        ""
    };
    format!(
        "{} subquantizers × {} centroids ({bits} bits){rotation}",
        pq.subquantizers(),
        pq.centroids()
    )
}

/// `n` bytes as B, KiB, MiB or GiB.
pub fn human_bytes(n: usize) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}
