//! Damaged files: every truncation, and lying or inconsistent finalfusion and fastText headers.
use super::{
    bucket_embeddings, fasttext_bytes, quantized_bytes, random, simple_embeddings, tmp, words,
    write_bytes, Raw,
};
use embx::io::{load, LoadOptions, MmapMode};
use embx::{Error, Format};
use finalfusion::io::WriteEmbeddings;
use std::io::Cursor;
use std::path::Path;

fn expect_format_error(path: &Path, fmt: Format, needle: &str) {
    let o = LoadOptions {
        format: Some(fmt),
        mmap: MmapMode::Always,
        progress: None,
    };
    match load(path, &o) {
        Err(e @ Error::Format { .. }) => {
            assert!(e.to_string().contains(needle), "{e} lacks {needle:?}")
        }
        other => panic!("expected a format error with {needle:?}, got {other:?}"),
    }
}

/// Every proper prefix of `bytes` is an error, never a panic.
fn all_prefixes_fail(dir: &Path, bytes: &[u8], fmt: Format) {
    let p = dir.join("prefix");
    for n in 0..bytes.len() {
        std::fs::write(&p, &bytes[..n]).unwrap();
        for mmap in [MmapMode::Never, MmapMode::Always] {
            let o = LoadOptions {
                format: Some(fmt),
                mmap,
                progress: None,
            };
            let r = std::panic::catch_unwind(|| load(&p, &o));
            match r {
                Ok(Err(_)) => {}
                Ok(Ok(_)) => panic!("a {n}-byte prefix of {} loaded", bytes.len()),
                Err(_) => panic!("a {n}-byte prefix panicked"),
            }
        }
    }
}

#[test]
fn truncated_files_fail_cleanly() {
    let dir = tmp();
    let mut c = Cursor::new(Vec::new());
    simple_embeddings(true).write_embeddings(&mut c).unwrap();
    all_prefixes_fail(dir.path(), &c.into_inner(), Format::Fifu);
    let mut c = Cursor::new(Vec::new());
    bucket_embeddings().write_embeddings(&mut c).unwrap();
    all_prefixes_fail(dir.path(), &c.into_inner(), Format::Fifu);
    let codes: Vec<[u8; 2]> = (0..6u8).map(|i| [i % 4, 3]).collect();
    let q = quantized_bytes(&words(), &codes, &random(16, 2), &[1.0; 6]);
    all_prefixes_fail(dir.path(), &q, Format::Fifu);
    all_prefixes_fail(dir.path(), &fasttext_bytes(), Format::FastTextBin);
}

#[test]
fn lying_and_inconsistent_headers_are_format_errors() {
    let dir = tmp();
    let good = Raw::new(random(24, 4), Some(vec![1.0; 6])).bytes();
    let d = dir.path();
    let patched = |name: &str, at: usize, v: &[u8]| {
        let mut b = good.clone();
        b[at..at + v.len()].copy_from_slice(v);
        write_bytes(d, name, &b)
    };
    // Header: magic(4) version(4) count(4) ids(12); vocabulary chunk at 24.
    expect_format_error(&patched("magic", 0, b"FiFo"), Format::Fifu, "magic");
    expect_format_error(
        &patched("version", 4, &1u32.to_le_bytes()),
        Format::Fifu,
        "version 1",
    );
    expect_format_error(
        &patched("id", 16, &42u32.to_le_bytes()),
        Format::Fifu,
        "unknown chunk id 42",
    );
    expect_format_error(
        &patched("count", 8, &100_000u32.to_le_bytes()),
        Format::Fifu,
        "claims",
    );
    let e12 = 1_000_000_000_000u64.to_le_bytes();
    expect_format_error(
        &patched("chunklen", 28, &e12),
        Format::Fifu,
        "claims 1000000000000 bytes",
    );
    expect_format_error(
        &patched("words", 36, &e12),
        Format::Fifu,
        "claims 1000000000000 words",
    );
    // Matrix rows: find the NdArray chunk after the vocabulary.
    let vocab_len = u64::from_le_bytes(good[28..36].try_into().unwrap()) as usize;
    let array = 36 + vocab_len;
    expect_format_error(
        &patched("rows", array + 12, &e12),
        Format::Fifu,
        "claims 1000000000000 × 4",
    );
    expect_format_error(
        &patched("rows5", array + 12, &5u64.to_le_bytes()),
        Format::Fifu,
        "5 rows",
    );
    let mut b = good.clone();
    b.truncate(b.len() - 4);
    expect_format_error(&write_bytes(d, "short", &b), Format::Fifu, "claims");
    // Chunk order differing from the header.
    expect_format_error(
        &patched("order", 16, &6u32.to_le_bytes()),
        Format::Fifu,
        "header lists",
    );

    // Subword vocabulary with a lying word count.
    let mut c = Cursor::new(Vec::new());
    bucket_embeddings().write_embeddings(&mut c).unwrap();
    let mut b = c.into_inner();
    // Metadata chunk first: skip it.
    let header = 12 + 4 * u32::from_le_bytes(b[8..12].try_into().unwrap()) as usize;
    let meta_len = u64::from_le_bytes(b[header + 4..header + 12].try_into().unwrap()) as usize;
    let vocab = header + 12 + meta_len;
    b[vocab + 12..vocab + 20].copy_from_slice(&e12);
    expect_format_error(
        &write_bytes(d, "subcount", &b),
        Format::Fifu,
        "claims 1000000000000 words",
    );
}

#[test]
fn fasttext_bin_hostile_headers() {
    let dir = tmp();
    let good = fasttext_bytes();
    let d = dir.path();
    let patched = |name: &str, at: usize, v: &[u8]| {
        let mut b = good.clone();
        b[at..at + v.len()].copy_from_slice(v);
        write_bytes(d, name, &b)
    };
    expect_format_error(
        &patched("magic", 0, &1u32.to_le_bytes()),
        Format::FastTextBin,
        "magic",
    );
    expect_format_error(
        &patched("version", 4, &13u32.to_le_bytes()),
        Format::FastTextBin,
        "version 13",
    );
    // The vocabulary size follows the 64-byte header.
    expect_format_error(
        &patched("size", 64, &u32::MAX.to_le_bytes()),
        Format::FastTextBin,
        "claims",
    );
    // Buckets (args index 8) no longer match the matrix.
    expect_format_error(
        &patched("buckets", 8 + 32, &21u32.to_le_bytes()),
        Format::FastTextBin,
        "buckets",
    );
    expect_format_error(
        &patched("minn", 8 + 36, &0u32.to_le_bytes()),
        Format::FastTextBin,
        "n-grams",
    );
    let mut b = good.clone();
    let n = b.len();
    b.truncate(n - 4);
    expect_format_error(&write_bytes(d, "short", &b), Format::FastTextBin, "remain");
}
