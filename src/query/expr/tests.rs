use super::*;
use crate::query::test_util::{random_space, space, with_subwords, XorShift};
use crate::query::top_k;

fn weights(input: &str) -> Vec<(String, f32)> {
    parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"))
}

fn w(pairs: &[(&str, f32)]) -> Vec<(String, f32)> {
    pairs.iter().map(|(s, x)| (s.to_string(), *x)).collect()
}

/// The column and message of a syntax error.
fn syntax_err(input: &str) -> (usize, String) {
    match parse(input) {
        Err(Error::Syntax {
            column,
            message,
            input: i,
        }) => {
            assert_eq!(i, input);
            (column, message)
        }
        other => panic!("{input:?}: expected a syntax error, got {other:?}"),
    }
}

#[test]
fn sums_and_differences() {
    let want = w(&[("king", 1.0), ("man", -1.0), ("woman", 1.0)]);
    assert_eq!(weights("king - man + woman"), want);
    assert_eq!(weights("king -man +woman"), want);
    assert_eq!(weights("  king\t-\nman+woman "), want);
    assert_eq!(weights("king + king"), w(&[("king", 2.0)]));
    assert_eq!(weights("king - king"), w(&[("king", 0.0)]));
    // The full-width operators of a CJK input method, and the minus sign, even between words.
    let zh = w(&[("目录", 1.0), ("文件", -1.0), ("文件名", 1.0)]);
    assert_eq!(weights("目录－文件＋文件名"), zh);
    assert_eq!(weights("目录 − 文件 + 文件名"), zh);
    assert_eq!(
        weights("2 ＊ （king ＋ queen）"),
        w(&[("king", 2.0), ("queen", 2.0)])
    );
}

#[test]
fn scalar_weights() {
    assert_eq!(weights("0.5 * paris"), w(&[("paris", 0.5)]));
    for e in [
        "2 king", "king * 2", "2*king", "king*2", "2 * king", "(2) king",
    ] {
        assert_eq!(weights(e), w(&[("king", 2.0)]), "{e}");
    }
    assert_eq!(weights(".5 king"), w(&[("king", 0.5)]));
    assert_eq!(weights("2 * 3 * king"), w(&[("king", 6.0)]));
    assert_eq!(weights("(1 + 2) king"), w(&[("king", 3.0)]));
    assert_eq!(weights("1e-1 king"), w(&[("king", 0.1)]));
    assert_eq!(weights("3d"), w(&[("3d", 1.0)]));
}

#[test]
fn unary_minus_and_parentheses() {
    assert_eq!(weights("-king"), w(&[("king", -1.0)]));
    assert_eq!(weights("-(-king)"), w(&[("king", 1.0)]));
    assert_eq!(weights("+king"), w(&[("king", 1.0)]));
    assert_eq!(weights("-2 king"), w(&[("king", -2.0)]));
    assert_eq!(
        weights("(a + b) - c"),
        w(&[("a", 1.0), ("b", 1.0), ("c", -1.0)])
    );
    assert_eq!(
        weights("a - (b - c)"),
        w(&[("a", 1.0), ("b", -1.0), ("c", 1.0)])
    );
    assert_eq!(weights("2 (a - b)"), w(&[("a", 2.0), ("b", -2.0)]));
    assert_eq!(weights("-(a + b) * 0.5"), w(&[("a", -0.5), ("b", -0.5)]));
    assert_eq!(weights("((a))"), w(&[("a", 1.0)]));
}

#[test]
fn bare_words_and_quotes() {
    assert_eq!(weights("well-known"), w(&[("well-known", 1.0)]));
    assert_eq!(weights("a-b -c"), w(&[("a-b", 1.0), ("c", -1.0)]));
    assert_eq!(weights("don't"), w(&[("don't", 1.0)]));
    assert_eq!(weights("\"C++\" + c"), w(&[("C++", 1.0), ("c", 1.0)]));
    assert_eq!(
        weights("\"new york\" - 'a+b'"),
        w(&[("new york", 1.0), ("a+b", -1.0)])
    );
    assert_eq!(
        weights("'北京' - 中国 + 日本"),
        w(&[("北京", 1.0), ("中国", -1.0), ("日本", 1.0)])
    );
    assert_eq!(
        weights("\"1990\" - 1990s"),
        w(&[("1990", 1.0), ("1990s", -1.0)])
    );
    assert_eq!(weights("\"it's\""), w(&[("it's", 1.0)]));
    assert_eq!(weights("'say \"hi\"'"), w(&[("say \"hi\"", 1.0)]));
    assert_eq!(weights("a/b"), w(&[("a/b", 1.0)]));
    assert_eq!(weights("nan + inf"), w(&[("nan", 1.0), ("inf", 1.0)]));
}

#[test]
fn syntax_errors_with_columns() {
    let cases: &[(&str, usize, &str)] = &[
        ("", 1, "empty expression"),
        ("   ", 1, "empty expression"),
        ("king +", 7, "expected a word or '('"),
        ("king + * queen", 8, "expected a word or '('"),
        ("()", 2, "expected a word or '('"),
        ("北京 +", 5, "expected a word or '('"),
        ("(king + queen", 1, "unclosed parenthesis"),
        ("a + (b - (c", 10, "unclosed parenthesis"),
        ("king + \"new york", 8, "unterminated quote"),
        ("北京 - '东京", 6, "unterminated quote"),
        ("''", 1, "empty quoted word"),
        ("king)", 5, "unmatched ')'"),
        ("2 + king", 3, "cannot add a number and a word vector"),
        ("king - 1", 6, "cannot add a number and a word vector"),
        ("king * queen", 6, "cannot multiply two word vectors"),
        ("1e99 * king", 1, "number out of range"),
        ("2 * 3", 1, "the expression has no words"),
        ("1990", 1, "the expression has no words"),
        // A double sign is a typo more often than a double negation.
        (
            "king - - man",
            8,
            "two signs in a row (write one, or use parentheses)",
        ),
        (
            "- -king",
            3,
            "two signs in a row (write one, or use parentheses)",
        ),
    ];
    for (input, col, msg) in cases {
        assert_eq!(syntax_err(input), (*col, msg.to_string()), "{input:?}");
    }
    let (col, msg) = syntax_err("new york");
    assert_eq!(col, 5);
    assert!(msg.contains("\"new york\""), "{msg}");
    let deep = format!("{}a{}", "(".repeat(1000), ")".repeat(1000));
    assert_eq!(syntax_err(&deep).0, MAX_DEPTH + 1);
}

/// A random expression over words `w0`…`w5` and the weights it should give.
#[derive(Debug)]
enum Node {
    Word(usize),
    Add(Box<Node>, Box<Node>),
    Sub(Box<Node>, Box<Node>),
    Scale(f32, Box<Node>, u8),
    Neg(Box<Node>),
}

fn gen(r: &mut XorShift, depth: usize) -> Node {
    let choice = if depth == 0 { 0 } else { r.below(5) };
    let sub = |r: &mut XorShift| Box::new(gen(r, depth - 1));
    match choice {
        0 => Node::Word(r.below(6)),
        1 => Node::Add(sub(r), sub(r)),
        2 => Node::Sub(sub(r), sub(r)),
        3 => {
            let s = [0.5, 2.0, 3.0, 1.5, 0.25][r.below(5)];
            Node::Scale(s, sub(r), r.below(4) as u8)
        }
        _ => Node::Neg(sub(r)),
    }
}

fn eval(n: &Node, out: &mut [f32; 6], s: f32) {
    match n {
        Node::Word(i) => out[*i] += s,
        Node::Add(a, b) => {
            eval(a, out, s);
            eval(b, out, s);
        }
        Node::Sub(a, b) => {
            eval(a, out, s);
            eval(b, out, -s);
        }
        Node::Scale(x, a, _) => eval(a, out, s * x),
        Node::Neg(a) => eval(a, out, -s),
    }
}

/// Renders with random spacing; compound operands of `-`, `*` and unary minus get
/// parentheses.
fn render(n: &Node, r: &mut XorShift) -> String {
    let sp = |r: &mut XorShift| if r.below(2) == 0 { "" } else { " " };
    // Sums, and negations after an operator (two signs in a row are an error).
    let group = |n: &Node, r: &mut XorShift| match n {
        Node::Add(..) | Node::Sub(..) | Node::Neg(..) => {
            format!("({}{}{})", sp(r), render(n, r), sp(r))
        }
        _ => render(n, r),
    };
    match n {
        Node::Word(i) => {
            if r.below(4) == 0 {
                format!("\"w{i}\"")
            } else {
                format!("w{i}")
            }
        }
        Node::Add(a, b) => {
            let b = render(b, r);
            let b = if b.starts_with('-') {
                format!("({b})")
            } else {
                b
            };
            format!("{}{}+{}{b}", render(a, r), sp(r), sp(r))
        }
        // A space before '-' keeps it from joining the word before it.
        Node::Sub(a, b) => format!("{} -{}{}", render(a, r), sp(r), group(b, r)),
        Node::Scale(x, a, form) => {
            // Operands other than words get parentheses: `2 -w1` would be a difference.
            let v = match **a {
                Node::Word(_) => render(a, r),
                _ => format!("({})", render(a, r)),
            };
            match form {
                0 => format!("{x}{}*{}{v}", sp(r), sp(r)),
                1 => format!("{v}{}*{}{x}", sp(r), sp(r)),
                2 => format!("{x} {v}"),
                _ => format!("({x}){v}"),
            }
        }
        Node::Neg(a) => format!("-{}{}", sp(r), group(a, r)),
    }
}

#[test]
fn generated_expressions_parse_to_their_weights() {
    let mut r = XorShift::new(42);
    for _ in 0..300 {
        let node = gen(&mut r, 4);
        let text = render(&node, &mut r);
        let mut want = [0.0f32; 6];
        eval(&node, &mut want, 1.0);
        let got = weights(&text);
        for (word, x) in &got {
            let i: usize = word[1..].parse().unwrap();
            assert!(
                (x - want[i]).abs() < 1e-4,
                "{text}: {word} {x} vs {}",
                want[i]
            );
        }
        for (i, x) in want.iter().enumerate() {
            if !got.iter().any(|(word, _)| *word == format!("w{i}")) {
                assert_eq!(*x, 0.0, "{text}: w{i} missing");
            }
        }
    }
}

#[test]
fn generated_expressions_rank_like_their_combination() {
    let s = random_space(2000, 12, 8);
    let mut r = XorShift::new(99);
    for _ in 0..40 {
        let node = gen(&mut r, 3);
        let text = render(&node, &mut r);
        let mut want = [0.0f32; 6];
        eval(&node, &mut want, 1.0);
        let q: Vec<f32> = (0..12)
            .map(|d| (0..6).map(|i| want[i] * s.unit(i)[d]).sum())
            .collect();
        let norm = q.iter().map(|x| x * x).sum::<f32>().sqrt();
        match expression(&s, &text, 5, true) {
            Ok(a) => {
                let q: Vec<f32> = q.iter().map(|x| x / norm).collect();
                let direct = top_k(&s, &q, 5, &[], None);
                // Same scores position by position (near-ties may swap rows), and each
                // reported score is the row's cosine with the combination.
                assert_eq!(a.hits.len(), direct.len());
                for (g, d) in a.hits.iter().zip(&direct) {
                    assert!((g.score - d.score).abs() < 1e-5, "{text}");
                    let c = crate::query::dot(s.unit(g.index as usize), &q);
                    assert!((g.score - c).abs() < 1e-5, "{text}");
                }
            }
            Err(Error::Invalid(_)) => assert!(norm < 1e-4, "{text}"),
            Err(e) => panic!("{text}: {e}"),
        }
    }
}

fn royals() -> Space {
    space(&[
        ("king", &[1.0, 1.0, 0.1]),
        ("queen", &[1.0, -1.0, 0.1]),
        ("man", &[0.1, 1.0, 0.0]),
        ("woman", &[0.1, -1.0, 0.0]),
        ("new_york", &[0.0, 0.2, 1.0]),
        ("big", &[0.0, 1.0, 1.0]),
        ("apple", &[0.0, -1.0, 1.0]),
        ("fruit", &[0.0, 0.0, 1.0]),
    ])
}

#[test]
fn evaluates_against_a_space() {
    let s = royals();
    let a = expression(&s, "king - man + woman", 3, false).unwrap();
    assert_eq!(a.hits[0].index, 1);
    assert_eq!(a.excluded, [0, 2, 3]);
    let terms: Vec<(&str, Option<u32>, f32)> = a
        .terms
        .iter()
        .map(|t| (t.word.as_str(), t.index, t.weight))
        .collect();
    assert_eq!(
        terms,
        [
            ("king", Some(0), 1.0),
            ("man", Some(2), -1.0),
            ("woman", Some(3), 1.0)
        ]
    );
    let all = expression(&s, "king - man + woman", 20, true).unwrap();
    assert!(all.excluded.is_empty());
    assert_eq!(all.hits.len(), 8);
    // Same ranking as the analogy query.
    let an = crate::query::analogy(
        &s,
        "man",
        "king",
        "woman",
        3,
        crate::query::Method::Add,
        false,
    )
    .unwrap();
    assert_eq!(an.hits, a.hits);
    // Cancelled words are excluded but not listed.
    let c = expression(&s, "king - king + queen", 2, false).unwrap();
    assert_eq!(c.terms.len(), 1);
    assert_eq!(c.excluded, [0, 1]);
}

#[test]
fn quoted_phrases() {
    let s = royals();
    let a = expression(&s, "\"new york\"", 1, false).unwrap();
    assert_eq!(a.terms[0].word, "new_york");
    assert_eq!(a.terms[0].index, Some(4));
    assert_eq!(a.excluded, [4]);
    let p = expression(&s, "'big  apple'", 1, false).unwrap();
    assert_eq!(p.terms[0].index, None);
    assert!(!p.terms[0].subword);
    assert_eq!(p.excluded, [5, 6]);
    assert_eq!(s.word(p.hits[0].index as usize), "fruit");
    assert!((p.hits[0].score - 1.0).abs() < 1e-6);
    match expression(&s, "king + 'big appel'", 1, false) {
        Err(Error::UnknownWord {
            word, suggestions, ..
        }) => {
            assert_eq!(word, "appel");
            assert_eq!(suggestions, ["apple"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn semantic_errors() {
    let s = royals();
    assert!(matches!(
        expression(&s, "king - king", 3, false),
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        expression(&s, "0 king", 3, false),
        Err(Error::Invalid(_))
    ));
    match expression(&s, "kign + queen", 3, false) {
        Err(Error::UnknownWord {
            word, suggestions, ..
        }) => {
            assert_eq!(word, "kign");
            assert_eq!(suggestions, ["king"]);
        }
        other => panic!("{other:?}"),
    }
    // Syntax errors win over unknown words.
    assert!(matches!(
        expression(&s, "kign +", 3, false),
        Err(Error::Syntax { column: 7, .. })
    ));
    assert!(expression(&s, "king", 0, false).unwrap().hits.is_empty());
}

#[test]
fn subword_terms() {
    let s = with_subwords(&royals());
    let a = expression(&s, "xking - man", 2, false).unwrap();
    assert!(a.terms[0].subword && a.terms[0].index.is_none());
    assert_eq!(a.excluded, [2]);
}

#[test]
fn cos_mul_of_an_expression_is_gensims_most_similar_cosmul() {
    let s = random_space(300, 12, 7);
    let word = |i: usize| s.word(i).to_string();
    let (a, b, c) = (word(4), word(9), word(17));
    // `b - a + c` under 3CosMul is the analogy a : b :: c : ? under 3CosMul, bit for bit.
    let expr = format!("{b} - {a} + {c}");
    let got = expression_with(&s, &expr, 10, false, Method::Mul).unwrap();
    let want = crate::query::analogy(&s, &a, &b, &c, 10, Method::Mul, false).unwrap();
    let pairs =
        |x: &Answer| -> Vec<(u32, f32)> { x.hits.iter().map(|h| (h.index, h.score)).collect() };
    assert_eq!(pairs(&got), pairs(&want));
    // A weight is an exponent: `2 b - a` is gensim's positive=[b, b], negative=[a].
    let got = expression_with(&s, &format!("2 {b} - {a}"), 5, false, Method::Mul).unwrap();
    let p = |i: usize, j: usize| {
        let cos: f32 = s.unit(i).iter().zip(s.unit(j)).map(|(x, y)| x * y).sum();
        (1.0 + cos) / 2.0
    };
    let mut direct: Vec<(u32, f32)> = (0..s.len())
        .filter(|&i| i != 4 && i != 9)
        .map(|i| (i as u32, p(i, 9) * p(i, 9) / (p(i, 4) + 1e-6)))
        .collect();
    direct.sort_by(|x, y| y.1.total_cmp(&x.1));
    for (h, d) in got.hits.iter().zip(&direct) {
        assert_eq!(h.index, d.0);
        assert!((h.score - d.1).abs() < 1e-5, "{} {}", h.score, d.1);
    }
}

#[test]
fn a_misspelt_chinese_word_is_named_whole_with_close_words() {
    let s = space(&[
        ("，", &[1.0, 0.0]),
        ("文件", &[0.0, 1.0]),
        ("文", &[1.0, 1.0]),
        ("目录", &[1.0, -1.0]),
    ]);
    // 文仵 is cut into 文 + 仵; 仵 is unknown, but the word typed is what is named.
    match resolve_token(&s, "文仵", 1.0) {
        Err(Error::UnknownWord {
            word, suggestions, ..
        }) => {
            assert_eq!(word, "文仵");
            assert_eq!(suggestions[0], "文件", "{suggestions:?}");
        }
        other => panic!("{other:?}"),
    }
    // A lone unknown character is offered no punctuation.
    assert!(crate::query::suggest(&s, "仵", 3).is_empty());
}
