//! The binary readers (word2vec binary, finalfusion, fastText .bin) on every kind of damage.
use super::{case, replace, run_matrix, samples, Case, Pos, Want};
use embx::Format;

/// Little-endian helpers for the binary formats.
fn patch(bytes: &[u8], at: usize, v: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[at..at + v.len()].copy_from_slice(v);
    b
}

#[allow(
    clippy::too_many_lines,
    reason = "a table of cases, one per damage, read top to bottom"
)]
fn binary_cases() -> Vec<Case> {
    use Pos::*;
    use Want::*;
    let mut cases = Vec::new();
    let w2v = samples::word2vec_binary();
    let body = w2v[w2v.iter().position(|&b| b == b'\n').unwrap() + 1..].to_vec();
    let with = |h: &str| {
        let mut b = h.as_bytes().to_vec();
        b.extend_from_slice(&body);
        b
    };
    let f = Some(Format::Word2VecBinary);
    for (what, h) in [
        ("more-rows", "9 4\n"),
        ("e12-rows", "1000000000000 4\n"),
        ("zero-dims", "5 0\n"),
        ("negative-dims", "5 -4\n"),
        ("e12-dims", "5 1000000000000\n"),
        ("more-dims", "5 5\n"),
    ] {
        cases.push(case(&format!("w2v-{what}.bin"), with(h), f, Bad(Any, "")));
    }
    cases.push(case(
        "w2v-text-as-binary.txt",
        samples::word2vec_text(),
        f,
        Bad(Any, ""),
    ));
    cases.push(case(
        "w2v-glove-as-binary.txt",
        samples::glove(),
        f,
        Bad(Any, ""),
    ));
    cases.push(case(
        "w2v-only-header.bin",
        b"5 4\n".to_vec(),
        f,
        Bad(Any, ""),
    ));
    let nan = replace(&w2v, "king ", b"king ");
    let at = nan.windows(5).position(|w| w == b"king ").unwrap() + 5;
    cases.push(case(
        "w2v-nan.bin",
        patch(&nan, at, &f32::NAN.to_le_bytes()),
        f,
        Warn(Any, ""),
    ));
    cases.push(case(
        "w2v-bad-utf8.bin",
        replace(&w2v, "café", b"caf\xe9"),
        f,
        Warn(Any, "UTF-8"),
    ));
    cases.push(case(
        "w2v-dup.bin",
        replace(&w2v, "zebra", b"king"),
        f,
        Warn(Any, "king"),
    ));

    // finalfusion: the header (magic, version, chunk count, ids) and the first chunk.
    let fifu = samples::fifu_plain();
    let f = Some(Format::Fifu);
    let e12 = 1_000_000_000_000u64.to_le_bytes();
    let nchunks = u32::from_le_bytes(fifu[8..12].try_into().unwrap()) as usize;
    let first = 12 + 4 * nchunks;
    for (what, bytes) in [
        ("magic", patch(&fifu, 0, b"FiFx")),
        ("chunk-count", patch(&fifu, 8, &1000u32.to_le_bytes())),
        ("chunk-id", patch(&fifu, first, &99u32.to_le_bytes())),
        ("chunk-len", patch(&fifu, first + 4, &e12)),
        ("chunk-short", patch(&fifu, first + 4, &3u64.to_le_bytes())),
        ("words-e12", patch(&fifu, first + 12, &e12)),
        (
            "word-len",
            patch(&fifu, first + 20, &u32::MAX.to_le_bytes()),
        ),
    ] {
        cases.push(case(&format!("ff-{what}.fifu"), bytes, f, Bad(Offset, "")));
    }
    for (tag, s) in [
        ("sub", samples::fifu_subword()),
        ("pq", samples::fifu_quantized()),
    ] {
        // The last chunk's length claims far more than the file holds.
        let mut b = s.clone();
        b.truncate(b.len() - 3);
        cases.push(case(&format!("ff-{tag}-trunc.fifu"), b, f, Bad(Offset, "")));
    }
    // A text file given as finalfusion, and a finalfusion file given as text.
    cases.push(case(
        "ff-text-as-fifu.txt",
        samples::glove(),
        f,
        Bad(Any, ""),
    ));
    cases.push(case(
        "ff-fifu-as-glove.fifu",
        fifu.clone(),
        Some(Format::Glove),
        Bad(Any, ""),
    ));

    // fastText .bin: magic, version, then the vocabulary size after the 64-byte header.
    let ft = samples::fasttext_bin();
    let f = Some(Format::FastTextBin);
    for (what, bytes) in [
        ("magic", patch(&ft, 0, &7u32.to_le_bytes())),
        ("version", patch(&ft, 4, &99u32.to_le_bytes())),
        ("dims-zero", patch(&ft, 8, &0u32.to_le_bytes())),
        ("vocab-size", patch(&ft, 64, &u32::MAX.to_le_bytes())),
    ] {
        cases.push(case(&format!("ft-{what}.bin"), bytes, f, Bad(Any, "")));
    }
    cases.push(case(
        "ft-text-as-bin.txt",
        samples::word2vec_text(),
        f,
        Bad(Any, ""),
    ));
    cases
}

#[test]
fn binary_formats_reject_or_warn() {
    run_matrix(binary_cases());
}
