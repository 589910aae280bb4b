use super::*;

/// FNV-1a with sign extension, written out from fastText's rule for one byte at a time.
fn by_rule(s: &[u8]) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for &b in s {
        let ext: u32 = if b >= 0x80 {
            0xFFFF_FF00 | u32::from(b)
        } else {
            u32::from(b)
        };
        h = (h ^ ext).wrapping_mul(0x0100_0193);
    }
    h
}

#[test]
fn hash_is_fasttexts() {
    // Plain FNV-1a 32 of "" and "a" (ASCII bytes are not changed by the sign extension).
    assert_eq!(fasttext_hash(b""), 0x811C_9DC5);
    assert_eq!(fasttext_hash(b"a"), 0xE40C_292C);
    assert_eq!(fasttext_hash(b"foobar"), 0xBF9C_F968);
    // Non-ASCII: "é" is C3 A9, xor-ed in as FFFFFFC3 and FFFFFFA9.
    let mut h = 0x811C_9DC5u32;
    h = (h ^ 0xFFFF_FFC3).wrapping_mul(16_777_619);
    h = (h ^ 0xFFFF_FFA9).wrapping_mul(16_777_619);
    assert_eq!(fasttext_hash("é".as_bytes()), h);
    for s in ["<wörter>", "<東京>", "<ab", "naïve>", "<😀>"] {
        assert_eq!(fasttext_hash(s.as_bytes()), by_rule(s.as_bytes()), "{s}");
    }
    // Not plain FNV-1a for bytes >= 0x80.
    let plain = "é".bytes().fold(0x811C_9DC5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    });
    assert_ne!(fasttext_hash("é".as_bytes()), plain);
}

fn grams(word: &str, minn: usize, maxn: usize) -> Vec<String> {
    let mut out = Vec::new();
    ngrams(word, minn, maxn, |g| {
        out.push(String::from_utf8(g.to_vec()).unwrap())
    });
    out
}

#[test]
fn ngrams_are_fasttexts() {
    assert_eq!(grams("abc", 3, 4), ["<ab", "<abc", "abc", "abc>", "bc>"]);
    // The whole word when short enough; never a lone < or >; characters, not bytes.
    assert_eq!(grams("é", 1, 3), ["<é", "<é>", "é", "é>"]);
    assert_eq!(grams("日本", 2, 2), ["<日", "日本", "本>"]);
    let s = Subwords {
        minn: 3,
        maxn: 6,
        buckets: 1000,
    };
    let b = ngram_buckets("abc", &s);
    let want: Vec<u32> = grams("abc", 3, 6)
        .iter()
        .map(|g| by_rule(g.as_bytes()) % 1000)
        .collect();
    assert_eq!(b, want);
}

#[test]
fn indices_equal_finalfusions() {
    use finalfusion::compat::fasttext::FastTextIndexer;
    use finalfusion::subword::{BucketIndexer, SubwordIndices};
    for (minn, maxn, buckets) in [(3, 6, 2_000_000usize), (2, 4, 97), (3, 3, 1)] {
        let s = Subwords {
            minn,
            maxn,
            buckets,
        };
        let indexer = FastTextIndexer::new(buckets);
        for w in ["a", "of", "walking", "naïve", "東京都", "x😀y", "ab-cd"] {
            let mut ours = ngram_buckets(w, &s);
            let bracketed = format!("<{w}>");
            let mut theirs: Vec<u32> = bracketed
                .as_str()
                .subword_indices(minn, maxn, &indexer)
                .map(|i| i as u32)
                .collect();
            ours.sort_unstable();
            theirs.sort_unstable();
            assert_eq!(ours, theirs, "{w} {minn}-{maxn}");
        }
    }
}

#[test]
fn word_rows_come_first() {
    let s = Subwords {
        minn: 3,
        maxn: 3,
        buckets: 10,
    };
    let rows = SubwordRows::new(["ab", "c"].into_iter(), &s);
    assert_eq!(rows.of(0)[0], 0);
    assert_eq!(rows.of(0).len(), 1 + 2); // <ab, ab>
    assert_eq!(rows.of(1), &[1, 2 + by_rule(b"<c>") % 10]);
}
