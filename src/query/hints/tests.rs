use super::*;
use crate::query::test_util::{space_with_matrix, with_subwords};

fn vocab_space(words: &[&str]) -> Space {
    space_with_matrix(words, 1, vec![1.0; words.len()])
}

#[test]
fn signs_inside_a_word_of_known_pieces() {
    let s = vocab_space(&["king", "man", "woman", "well-known", "kingman", "well"]);
    assert_eq!(
        sign_hint(&s, "king-man").as_deref(),
        Some("to subtract, put spaces around the sign: king - man")
    );
    assert_eq!(
        sign_hint(&s, "king-man-woman").as_deref(),
        Some("to subtract, put spaces around the signs: king - man - woman")
    );
    assert_eq!(
        sign_hint(&s, "king+man").as_deref(),
        Some("to add, put spaces around the sign: king + man")
    );
    assert_eq!(
        sign_hint(&s, "king-man+woman").as_deref(),
        Some("to add and subtract, put spaces around the signs: king - man + woman")
    );
    // A hyphenated word of the vocabulary is a word; unknown pieces, empty pieces and words
    // without signs get no hint.
    for w in [
        "well-known",
        "king-queen",
        "king-",
        "king--man",
        "kingman",
        "xyz",
    ] {
        assert_eq!(sign_hint(&s, w), None, "{w}");
    }
}

#[test]
fn pieces_built_from_subwords_count_as_known() {
    let s = with_subwords(&vocab_space(&["king", "man"]));
    // `xking-man` itself has no subword vector (`king-man` is not a word), its pieces do.
    assert_eq!(
        sign_hint(&s, "xking-xman").as_deref(),
        Some("to subtract, put spaces around the sign: xking - xman")
    );
}

/// 100,000 words `w0`, `w1`, … with `words` put at the given rows.
fn big_space(words: &[(usize, &str)]) -> Space {
    let mut names: Vec<String> = (0..100_000).map(|i| format!("w{i}")).collect();
    for &(row, w) in words {
        names[row] = w.to_string();
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    vocab_space(&refs)
}

#[test]
fn a_rare_word_one_edit_from_a_frequent_one() {
    let s = big_space(&[
        (300, "queen"),
        (500, "quern"),
        (60_000, "quen"),
        (45_000, "kingg"),
        (70_000, "zqxj"),
        (80_000, "Queen"),
        (90_000, "tea"),
        (95_000, "teas"),
        (99_000, "dreamt"),
        (900, "dream"),
    ]);
    let r = rare_word(&s, 60_000).unwrap();
    assert_eq!(r.word, "quen");
    assert_eq!((r.rank, r.of), (60_001, 100_000));
    // `queen` and `quern` are both one edit away: the more frequent is named.
    assert_eq!((r.suggestion.as_str(), r.suggestion_rank), ("queen", 301));
    assert_eq!(
        r.to_string(),
        "\"quen\" is word 60,001 of 100,000 (rare); did you mean \"queen\" (word 301)?"
    );
    // Within the first half of the vocabulary a word is not rare.
    assert_eq!(rare_word(&s, 45_000), None);
    // Nothing frequent is one edit away.
    assert_eq!(rare_word(&s, 70_000), None);
    // A case variant comes first.
    assert_eq!(rare_word(&s, 80_000).unwrap().suggestion, "queen");
    // `dream` is within a hundredth of the rank of `dreamt` (901 of 99,001); `tea` is not
    // within a hundredth of that of `teas`.
    assert_eq!(rare_word(&s, 99_000).unwrap().suggestion, "dream");
    assert_eq!(rare_word(&s, 95_000), None);
    assert_eq!(rare_word(&s, 100_000), None);
}

#[test]
fn the_suggestion_is_a_hundred_times_further_up() {
    let s = big_space(&[(700, "dream"), (69_000, "dreamt"), (71_000, "dreamy")]);
    // Rank 69,001 allows suggestions up to rank 690; `dream` is rank 701.
    assert_eq!(rare_word(&s, 69_000), None);
    assert_eq!(rare_word(&s, 71_000).unwrap().suggestion, "dream");
}

#[test]
fn small_vocabularies_have_no_rare_words() {
    let words: Vec<String> = (0..40_000).map(|i| format!("w{i}")).collect();
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    let s = vocab_space(&refs);
    // `w39999` is one edit from `w3999`, far up, but 40,000 rows are all common words.
    assert_eq!(rare_word(&s, 39_999), None);
}

#[test]
fn rare_words_of_the_terms_once_each() {
    let s = big_space(&[(300, "queen"), (60_000, "quen")]);
    let term = |word: &str, index: Option<u32>| Term {
        word: word.into(),
        index,
        subword: false,
        weight: 1.0,
    };
    let terms = [
        term("quen", Some(60_000)),
        term("w5", Some(5)),
        term("quen", Some(60_000)),
        term("new york", None),
    ];
    let rare = rare_words(&s, &terms);
    assert_eq!(rare.len(), 1);
    assert_eq!(rare[0].suggestion, "queen");
}
