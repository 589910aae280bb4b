use super::*;
use crate::query::test_util::{random_space, space_with_matrix};

fn space(words: &[&str]) -> Space {
    space_with_matrix(words, 1, vec![1.0; words.len()])
}

fn run(s: &Space, q: &str, mode: SearchMode) -> Vec<String> {
    let p = Progress::new();
    let f = search(s, q, mode, &p).unwrap().unwrap();
    f.hits
        .iter()
        .map(|&r| s.word(r as usize).to_string())
        .collect()
}

#[test]
fn modes() {
    let s = space(&["the", "King", "kingdom", "北京", "北京市", "walking", "kg"]);
    assert_eq!(run(&s, "king", SearchMode::Prefix), ["King", "kingdom"]);
    assert_eq!(run(&s, "King", SearchMode::Prefix), ["King"]);
    assert_eq!(
        run(&s, "king", SearchMode::Substring),
        ["King", "kingdom", "walking"]
    );
    assert_eq!(run(&s, "北京", SearchMode::Prefix), ["北京", "北京市"]);
    #[cfg(feature = "regex")]
    assert_eq!(run(&s, "^k.*g$", SearchMode::Regex), ["King", "kg"]);
    assert_eq!(run(&s, "kg", SearchMode::Fuzzy)[0], "kg");
    assert_eq!(run(&s, "北京", SearchMode::Fuzzy), ["北京", "北京市"]);
    assert_eq!(run(&s, "", SearchMode::Fuzzy).len(), 7);
    let p = Progress::new();
    assert!(search(&s, "(", SearchMode::Regex, &p).is_err());
    p.cancel();
    assert_eq!(search(&s, "k", SearchMode::Prefix, &p), Ok(None));
    assert_eq!(search(&s, "k", SearchMode::Fuzzy, &p), Ok(None));
}

#[test]
fn the_word_typed_comes_first() {
    let s = space(&["many", "manner", "man", "woman"]);
    assert_eq!(
        run(&s, "man", SearchMode::Prefix),
        ["man", "many", "manner"]
    );
    assert_eq!(
        run(&s, "man", SearchMode::Substring),
        ["man", "many", "manner", "woman"]
    );
    assert_eq!(run(&s, "ma", SearchMode::Prefix), ["many", "manner", "man"]);
}

#[test]
fn fuzzy_forgives_typos() {
    // kingsgate holds k-i-n-g-g in order and is listed before king; king is one edit away.
    let s = space(&[
        "the",
        "kingsgate",
        "kingsgrove",
        "king",
        "kings",
        "fregoso",
        "frog",
        "hour",
        "house",
        "housing",
        "queen",
    ]);
    let kingg = run(&s, "kingg", SearchMode::Fuzzy);
    assert_eq!(kingg[..2], ["king", "kings"]);
    assert!(kingg.contains(&"kingsgate".to_string()));
    assert!(!kingg.contains(&"queen".to_string()));
    // A swap of two letters: frog before fregoso, which holds f-r-g-o in order.
    assert_eq!(run(&s, "frgo", SearchMode::Fuzzy)[0], "frog");
    // Words that start with the query come before its close spellings.
    assert_eq!(
        run(&s, "hous", SearchMode::Fuzzy),
        ["house", "housing", "hour"]
    );
    // Other modes stay exact: they fall back to the closest spellings only when nothing
    // matches (see a_typo_that_matches_nothing_gets_the_closest_spellings).
    let exact = ["kingsgate", "kingsgrove", "king", "kings"];
    assert_eq!(run(&s, "kin", SearchMode::Prefix), exact);
    assert_eq!(run(&s, "kin", SearchMode::Substring), exact);
}

#[test]
fn fuzzy_is_smart_case_and_ranks_tight_matches_first() {
    let s = space(&["walking", "King", "king", "k-n-g", "kong"]);
    let kng = run(&s, "kng", SearchMode::Fuzzy);
    // Every word holding k, n, g in order; tight, early matches before walking.
    assert_eq!(kng.len(), 5);
    let at = |w: &str| kng.iter().position(|x| x == w);
    assert!(at("walking") > at("king"), "{kng:?}");
    // A capital makes the query case-sensitive: King matches, king is one edit away.
    assert_eq!(run(&s, "King", SearchMode::Fuzzy)[..2], ["King", "king"]);
}

/// The same search done the slow way, one word after another.
fn naive(s: &Space, q: &str, mode: SearchMode) -> (usize, Vec<u32>) {
    let close = crate::query::spelling::CloseTo::new(q, true);
    let rows: Vec<u32> = (0..s.len() as u32)
        .filter(|&r| {
            let w = s.word(r as usize);
            match mode {
                SearchMode::Prefix => w.starts_with(q),
                SearchMode::Substring => w.contains(q),
                _ => {
                    let mut it = w.chars();
                    q.chars().all(|c| it.any(|x| x == c)) || close.distance(w).is_some()
                }
            }
        })
        .collect();
    (rows.len(), rows)
}

#[test]
fn large_vocabularies_are_scanned_in_parallel_blocks() {
    let s = random_space(150_000, 1, 2);
    let p = Progress::new();
    for (q, mode) in [
        ("w1", SearchMode::Prefix),
        ("99", SearchMode::Substring),
        ("w1234", SearchMode::Fuzzy),
        ("w12345", SearchMode::Fuzzy),
    ] {
        let found = search(&s, q, mode, &p).unwrap().unwrap();
        let (total, rows) = naive(&s, q, mode);
        assert_eq!(found.total, total, "{q}");
        assert_eq!(found.hits.len(), total.min(MAX_HITS), "{q}");
        if mode == SearchMode::Fuzzy {
            let mut hits = found.hits.clone();
            hits.sort_unstable();
            assert!(hits.iter().all(|r| rows.binary_search(r).is_ok()), "{q}");
        } else {
            assert_eq!(found.hits[1..], rows[1..MAX_HITS.min(total)], "{q}");
        }
    }
    // w12345 itself, the words it starts, then its close spellings.
    let hits = run(&s, "w12345", SearchMode::Fuzzy);
    assert_eq!(hits[..2], ["w12345", "w123450"]);
    assert!(hits.contains(&"w1234".to_string()));
    // A typo: the word meant is the first hit (the other one-edit spellings are rarer).
    assert_eq!(run(&s, "w12x345", SearchMode::Fuzzy)[0], "w12345");
}

#[test]
fn a_frequent_word_one_edit_away_beats_a_rare_one_the_query_starts() {
    let mut words: Vec<String> = (0..20_000).map(|i| format!("f{i}")).collect();
    words[10] = "what".into();
    words[15_000] = "whatta".into();
    words[30] = "him".into();
    words[25] = "himmler".into();
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    let s = space(&refs);
    assert_eq!(run(&s, "whatt", SearchMode::Fuzzy)[..2], ["what", "whatta"]);
    // When the longer word is the more frequent one, it stays first.
    assert_eq!(run(&s, "himm", SearchMode::Fuzzy)[0], "himmler");
}

#[test]
fn a_typo_that_matches_nothing_gets_the_closest_spellings() {
    let s = space(&["the", "king", "kings", "queen", "walking"]);
    let p = Progress::new();
    for mode in [SearchMode::Prefix, SearchMode::Substring] {
        let f = search(&s, "kingg", mode, &p).unwrap().unwrap();
        assert!(f.closest, "{mode:?}");
        assert_eq!(s.word(f.hits[0] as usize), "king", "{mode:?}");
    }
    // A query that matches is not marked, and one with no close spelling stays empty.
    assert!(
        !search(&s, "kin", SearchMode::Prefix, &p)
            .unwrap()
            .unwrap()
            .closest
    );
    let none = search(&s, "zzzzzz", SearchMode::Prefix, &p)
        .unwrap()
        .unwrap();
    assert!(none.hits.is_empty() && !none.closest);
}
