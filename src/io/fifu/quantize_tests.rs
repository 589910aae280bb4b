//! Product quantization round trips: embx writes, finalfusion and embx read.
use super::*;
use crate::io::{load, LoadOptions, MmapMode};
use crate::query::test_util::{random_space, XorShift};
use crate::query::{top_k, top_k_exact};
use crate::space::{Space, Storage};
use finalfusion::prelude::*;
use finalfusion::storage::Storage as _;
use finalfusion::vocab::Vocab as _;
use std::io::BufReader;

/// `n` words in 20 clusters of 16 dimensions (neighbours are meaningful).
fn clustered(n: usize, seed: u64) -> Space {
    let mut r = XorShift::new(seed);
    let centres: Vec<Vec<f32>> = (0..20)
        .map(|_| (0..16).map(|_| r.f32()).collect())
        .collect();
    let base = random_space(n, 16, seed + 1);
    let rows: Vec<(String, Vec<f32>)> = (0..n)
        .map(|i| {
            let c = &centres[i % 20];
            let v = c.iter().map(|x| 3.0 * x + 0.6 * r.f32()).collect();
            (base.word(i).to_string(), v)
        })
        .collect();
    let refs: Vec<(&str, &[f32])> = rows
        .iter()
        .map(|(w, v)| (w.as_str(), v.as_slice()))
        .collect();
    crate::query::test_util::space(&refs)
}

fn opts(subq: usize, bits: u32, opq: bool) -> QuantizeOptions {
    QuantizeOptions {
        subquantizers: Some(subq),
        bits,
        opq,
        sample: 500,
        iterations: 10,
        seed: 3,
    }
}

fn read_ff(path: &std::path::Path) -> Embeddings<VocabWrap, StorageWrap> {
    let mut r = BufReader::new(std::fs::File::open(path).unwrap());
    Embeddings::read_embeddings(&mut r).unwrap()
}

#[test]
fn finalfusion_reads_what_embx_quantizes() {
    let space = clustered(900, 5);
    let dir = tempfile::tempdir().unwrap();
    for (opq, name) in [(false, "pq.fifu"), (true, "opq.fifu")] {
        let path = dir.path().join(name);
        let report = quantize(&space, &path, &opts(4, 6, opq), None).unwrap();
        assert_eq!((report.subquantizers, report.sample), (4, 500));
        let ff = read_ff(&path);
        assert!(
            matches!(ff.storage(), StorageWrap::QuantizedArray(_)),
            "{name}"
        );
        assert_eq!(ff.vocab().words(), space.vocab().iter().collect::<Vec<_>>());
        for mmap in [MmapMode::Never, MmapMode::Always] {
            let lo = LoadOptions {
                mmap,
                ..LoadOptions::default()
            };
            let back = load(&path, &lo).unwrap().space;
            assert_eq!(back.source().storage, Storage::Quantized);
            let pq = back.matrix().pq().unwrap();
            assert_eq!(pq.has_projection(), opq);
            let mut buf = vec![0f32; 16];
            for row in [0usize, 1, 450, 899] {
                // finalfusion's vector = reconstruction × stored norm, and embx's vector of
                // the row is that same vector.
                let theirs = ff.storage().embedding(row);
                pq.decode_into(row, &mut buf);
                let ours = back.vector(row);
                for ((a, b), o) in buf.iter().zip(theirs.iter()).zip(&ours) {
                    assert!(
                        (a * space.norms()[row] - b).abs() < 1e-4,
                        "{name} row {row}"
                    );
                    assert!((o - b).abs() < 1e-4, "{name} row {row}: {o} vs {b}");
                }
                // embx's unit row is the reconstruction scaled to unit length, close to the
                // original.
                let cos = crate::query::dot(back.unit(row), space.unit(row));
                assert!(cos > 0.9, "{name} row {row}: cosine {cos}");
            }
        }
    }
}

#[test]
fn quantized_search_keeps_most_neighbours_and_builds_no_matrix() {
    let space = clustered(2000, 9);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.fifu");
    quantize(&space, &path, &opts(8, 8, false), None).unwrap();
    let back = load(&path, &LoadOptions::default()).unwrap().space;
    let (mut same, mut total) = (0, 0);
    for q in (0..2000).step_by(97) {
        let query = space.unit(q).to_vec();
        let got = top_k(&back, &query, 10, &[q as u32], None);
        // Re-ranking 300 candidates finds what scoring every reconstruction finds.
        assert_eq!(got, top_k_exact(&back, &query, 10, &[q as u32], None));
        let want = top_k_exact(&space, &query, 10, &[q as u32], None);
        total += want.len();
        same += want
            .iter()
            .filter(|w| got.iter().any(|g| g.index == w.index))
            .count();
    }
    let recall = same as f64 / total as f64;
    // Within a cluster the neighbours are near ties (uniform noise): picking 10 of the 99
    // cluster mates at random would give about 0.1; 2-dimension slices of 256 centroids
    // trained on a quarter of the rows keep about half of the exact top 10 here.
    assert!(recall >= 0.45, "recall@10 {recall}");
    // Searching decoded only the query rows' neighbours, never the whole matrix.
    let heap = back.matrix().heap_bytes();
    assert!(heap < 2000 * 16 * 4 / 2, "{heap} bytes on the heap");
}

#[test]
fn bad_settings_and_broken_files_are_errors() {
    let space = clustered(100, 2);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.fifu");
    assert!(quantize(&space, &path, &opts(5, 4, false), None).is_err());
    assert!(quantize(&space, &path, &opts(4, 9, false), None).is_err());
    assert!(!path.exists(), "no partial output");
    quantize(&space, &path, &opts(4, 4, false), None).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    // Claim 1000 rows in the quantized chunk (after: no projection, norms, 4
    // subquantizers, 16 dimensions, 16 centroids): its codes no longer fit.
    let head: Vec<u8> = [0u32, 1, 4, 16, 16]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let rows_at = bytes
        .windows(20)
        .position(|w| w == head.as_slice())
        .unwrap()
        + 20;
    assert_eq!(bytes[rows_at..rows_at + 8], 100u64.to_le_bytes());
    bytes[rows_at..rows_at + 8].copy_from_slice(&1000u64.to_le_bytes());
    let bad = dir.path().join("bad.fifu");
    std::fs::write(&bad, &bytes).unwrap();
    let err = load(&bad, &LoadOptions::default()).unwrap_err().to_string();
    assert!(
        err.contains("bad.fifu") && err.contains("byte offset") && err.contains("1000 rows"),
        "{err}"
    );
}

#[test]
fn default_subquantizers_divide_the_dimension() {
    assert_eq!(default_subquantizers(300), 150);
    assert_eq!(default_subquantizers(101), 1);
    assert_eq!(default_subquantizers(200), 100);
    assert_eq!(default_subquantizers(50), 50);
    assert_eq!(default_subquantizers(16), 16);
    assert_eq!(default_subquantizers(2), 2);
    assert_eq!(default_subquantizers(0), 1);
}
