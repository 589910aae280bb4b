//! A stable-Rust smoke run of what `fuzz/` does on nightly: a few thousand deterministic
//! pseudo-random mutations of small valid files go through every reader (as `io::load` reads
//! them) and through the expression, analogy-set and word-pair parsers. Nothing may panic,
//! and every error must name the input. Runs in seconds; the real runs are `scripts/fuzz.sh`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
mod samples;

use embx::io::{load_bytes, LoadOptions, MmapMode};
use embx::Format;

/// Writes the seed corpus of the fuzz targets into `$EMBX_FUZZ_SEEDS` (scripts/fuzz.sh).
#[test]
#[ignore = "writes the fuzz seeds; run by scripts/fuzz.sh"]
fn write_fuzz_seeds() {
    let root = std::path::PathBuf::from(std::env::var("EMBX_FUZZ_SEEDS").expect("EMBX_FUZZ_SEEDS"));
    let put = |target: &str, name: &str, bytes: &[u8]| {
        let d = root.join(target);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(name), bytes).unwrap();
    };
    for s in samples::all() {
        put("load_auto", s.name, &s.bytes);
        let target = match s.format {
            Format::Fifu => "fifu",
            Format::Word2VecBinary => "word2vec_binary",
            Format::Word2VecText | Format::FastTextVec => "word2vec_text",
            Format::Glove => "glove",
            Format::FastTextBin => "fasttext_bin",
            Format::Gensim | Format::Projector | Format::Npy | Format::Spark => "load_auto",
        };
        put(target, s.name, &s.bytes);
    }
    for (i, e) in EXPRESSIONS.iter().enumerate() {
        put("expr", &format!("e{i}"), e.as_bytes());
    }
    put("analogy_set", "google", ANALOGIES.as_bytes());
    put("pairs", "wordsim", PAIRS.as_bytes());
    put("pairs", "simlex", SIMLEX.as_bytes());
}

/// A small deterministic generator (xorshift64*), so every failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Values that make headers lie: zero, one, all ones, huge, negative, 10^12.
const INTERESTING: &[u64] = &[
    0,
    1,
    2,
    0x7f,
    0xff,
    0xffff,
    0x7fff_ffff,
    0xffff_ffff,
    1_000_000_000_000,
    u64::MAX,
    u64::MAX - 1,
];
const BYTES: &[u8] = b"\n \t-+.0123456789eEnNaI\xff\x00\xc3\xe5:#'\"()*";

/// One random mutation of `b` in place (the kinds libFuzzer starts with).
fn mutate(b: &mut Vec<u8>, rng: &mut Rng) {
    let n = b.len();
    match rng.below(8) {
        0 if n > 0 => b[rng.below(n)] ^= 1 << rng.below(8),
        1 if n > 0 => b[rng.below(n)] = BYTES[rng.below(BYTES.len())],
        2 => b.insert(rng.below(n + 1), BYTES[rng.below(BYTES.len())]),
        3 if n > 0 => {
            let at = rng.below(n);
            let len = rng.below(9).min(n - at);
            b.drain(at..at + len);
        }
        4 => b.truncate(rng.below(n + 1)),
        5 if n >= 8 => {
            let v = INTERESTING[rng.below(INTERESTING.len())];
            let width = [1, 2, 4, 8][rng.below(4)];
            let at = rng.below(n - width + 1);
            b[at..at + width].copy_from_slice(&v.to_le_bytes()[..width]);
        }
        6 if n > 0 => {
            // Duplicate a piece somewhere else.
            let at = rng.below(n);
            let piece: Vec<u8> = b[at..(at + rng.below(16)).min(n)].to_vec();
            let to = rng.below(n + 1);
            b.splice(to..to, piece);
        }
        _ => {
            // A decimal number in place of a digit run (text headers).
            if let Some(at) = b.iter().position(|c| c.is_ascii_digit()) {
                let v = INTERESTING[rng.below(INTERESTING.len())];
                let text = if rng.below(2) == 0 {
                    v.to_string()
                } else {
                    format!("-{}", v % 1000)
                };
                b.splice(at..at + 1, text.into_bytes());
            }
        }
    }
}

/// A mutant: one to four mutations of `seed`.
fn mutant(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..=rng.below(4) {
        mutate(&mut b, rng);
    }
    b
}

fn check_error(what: &str, name: &str, e: &embx::Error, input: &[u8]) {
    let text = e.to_string();
    assert!(
        e.is_bad_input() && text.starts_with(name) && !text.contains('\n'),
        "{what}: error {text:?} does not name the input on one line; input {input:?}"
    );
}

/// Mutants of every sample through its reader and through sniffing; both mmap modes for
/// finalfusion.
#[test]
fn readers_survive_mutants() {
    let mut rng = Rng(0x5eed_0001);
    let mut reads = 0;
    for s in samples::all() {
        for i in 0..2000 {
            let b = mutant(&s.bytes, &mut rng);
            for (format, mmap) in [
                (Some(s.format), MmapMode::Never),
                (Some(s.format), MmapMode::Always),
                (None, MmapMode::Auto),
            ] {
                if mmap == MmapMode::Always && s.format != Format::Fifu {
                    continue;
                }
                let opts = LoadOptions {
                    format,
                    mmap,
                    progress: None,
                };
                let what = format!("{} mutant {i} as {format:?}", s.name);
                let r = std::panic::catch_unwind(|| load_bytes(s.name, b.clone(), &opts));
                reads += 1;
                match r {
                    Err(_) => panic!("{what} panicked; input {b:?}"),
                    Ok(Err(e)) => check_error(&what, s.name, &e, &b),
                    Ok(Ok(loaded)) => {
                        let space = loaded.space;
                        if let Some(w) = space.vocab().iter().next().map(str::to_owned) {
                            let _ = embx::query::similar(&space, &[w.as_str()], 3);
                        }
                        let _ = space.lookup("zzqxj");
                    }
                }
            }
        }
    }
    assert!(reads > 16_000, "{reads}");
}

#[test]
fn parsers_survive_mutants() {
    let mut rng = Rng(0x5eed_0002);
    for i in 0..10_000 {
        let seed = EXPRESSIONS[i % EXPRESSIONS.len()].as_bytes();
        let b = mutant(seed, &mut rng);
        let text = String::from_utf8_lossy(&b);
        match embx::query::parse_expression(&text) {
            Ok(terms) => assert!(!terms.is_empty(), "{text:?}"),
            Err(embx::Error::Syntax { column, .. }) => assert!(
                (1..=text.chars().count() + 1).contains(&column),
                "{text:?}: column {column}"
            ),
            Err(e) => panic!("{text:?}: not a syntax error: {e}"),
        }
    }
    let path = std::path::Path::new("set.txt");
    for i in 0..2000 {
        let seed = [ANALOGIES, PAIRS, SIMLEX][i % 3].as_bytes();
        let b = mutant(seed, &mut rng);
        let mut warnings = Vec::new();
        if let Err(e) = embx::eval::AnalogySet::parse(path, &b, &mut warnings) {
            check_error("analogy set", "set.txt", &e, &b);
        }
        if let Err(e) = embx::eval::PairSet::parse(path, &b, &mut warnings) {
            check_error("pair set", "set.txt", &e, &b);
        }
        for w in &warnings {
            assert!(w.to_string().starts_with("set.txt"), "{w}");
        }
    }
}

const EXPRESSIONS: &[&str] = &[
    "king - man + woman",
    "0.5 * (paris + \"new york\") - 2 france",
    "'北京' - 中国 + -(japan)",
    "well-known + don't * 3",
    "((a))",
];
const ANALOGIES: &str = ": capital-common-countries\nathens greece baghdad iraq\n\
    : gram1-adjective-to-adverb\namazing amazingly calm calmly\nbad line\n";
const PAIRS: &str = "# comment\nlove\tsex\t6.77\ntiger\tcat\t7.35\n北京 中国 9\n";
const SIMLEX: &str = "word1\tword2\tPOS\tSimLex999\tconc(w1)\nold\tnew\tA\t1.58\t2.72\n";
