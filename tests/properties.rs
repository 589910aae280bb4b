//! Property tests: every writable format reads back what it wrote, for random small spaces
//! (unicode words without whitespace or control characters, finite floats of many
//! magnitudes); the expression parser accepts well-formed expressions with the right weights
//! and never panics on arbitrary text, pointing inside the input when it refuses it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
use embx::format::Format;
use embx::io::{load, save, LoadOptions, SaveOptions};
use embx::space::{SourceInfo, Storage, Vocab};
use embx::Space;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

const WRITABLE: [Format; 5] = [
    Format::Fifu,
    Format::Word2VecBinary,
    Format::Word2VecText,
    Format::Glove,
    Format::FastTextVec,
];

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Failures are printed with their seed; no files written next to the tests.
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..ProptestConfig::default()
    }
}

/// A word: 1–12 characters, none whitespace or control, from ASCII, Latin, CJK and emoji.
fn word() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range('!', '~'),
            1 => proptest::char::range('À', 'ɏ'),
            2 => proptest::char::range('一', '龥'),
            1 => proptest::char::range('😀', '🙏'),
        ],
        1..12,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

/// A finite value: zero, small, ordinary or large, of either sign.
fn value() -> impl Strategy<Value = f32> {
    prop_oneof![
        1 => Just(0.0f32),
        6 => -1.0f32..1.0,
        2 => -1e6f32..1e6,
        1 => (-30i32..30, -1.0f32..1.0).prop_map(|(e, m)| m * 10f32.powi(e)),
    ]
}

/// A space of 1–8 distinct words and 1–6 dimensions.
fn space() -> impl Strategy<Value = (Vec<String>, usize, Vec<f32>)> {
    (proptest::collection::btree_set(word(), 1..8), 1usize..6).prop_flat_map(|(words, dim)| {
        let words: Vec<String> = words.into_iter().collect();
        let n = words.len() * dim;
        (
            Just(words),
            Just(dim),
            proptest::collection::vec(value(), n),
        )
    })
}

fn build(words: &[String], dim: usize, data: Vec<f32>) -> Space {
    let mut vocab = Vocab::new();
    for w in words {
        vocab.push(w).unwrap();
    }
    let source = SourceInfo {
        path: "random".into(),
        format: Format::Glove,
        storage: Storage::Array,
        metadata: None,
        file_bytes: 0,
    };
    Space::from_raw(vocab, dim, data, source)
}

/// The text formats print values with enough digits for f32's precision; binary ones keep
/// the bits. Tolerance: relative 1e-6 of the row's largest value (rows are stored as unit
/// vector × norm).
fn assert_same(a: &Space, b: &Space, what: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.len(), b.len(), "{}: rows", what);
    prop_assert_eq!(a.dim(), b.dim(), "{}: dims", what);
    for i in 0..a.len() {
        prop_assert_eq!(a.word(i), b.word(i), "{}: word {}", what, i);
        let (x, y) = (a.vector(i), b.vector(i));
        let scale = x.iter().fold(0f32, |m, v| m.max(v.abs()));
        for (p, q) in x.iter().zip(&y) {
            prop_assert!(
                (p - q).abs() <= 1e-6 * scale + f32::MIN_POSITIVE,
                "{}: row {}: {:?} vs {:?}",
                what,
                i,
                x,
                y
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn every_writable_format_round_trips((words, dim, data) in space()) {
        let original = build(&words, dim, data);
        let dir = tempfile::tempdir().unwrap();
        for format in WRITABLE {
            let path = dir.path().join(format!("out.{}", format.name()));
            save(&original, &path, &SaveOptions { format, progress: None }).unwrap();
            let opts = LoadOptions { format: Some(format), ..LoadOptions::default() };
            let back = load(&path, &opts).unwrap().space;
            assert_same(&original, &back, format.name())?;
        }
    }
}

/// An expression tree that prints as valid syntax, with the weight each word should get.
#[derive(Debug, Clone)]
enum Expr {
    Word(String),
    Scaled(f32, Box<Expr>),
    Sum(Box<Expr>, bool, Box<Expr>),
    Neg(Box<Expr>),
    Paren(Box<Expr>),
}

impl Expr {
    fn print(&self) -> String {
        match self {
            Expr::Word(w) => format!("\"{w}\""),
            Expr::Scaled(s, e) => format!("{s} * {}", e.print_tight()),
            Expr::Sum(a, minus, b) => {
                format!(
                    "{} {} {}",
                    a.print(),
                    if *minus { '-' } else { '+' },
                    b.print_tight()
                )
            }
            Expr::Neg(e) => format!("-{}", e.print_tight()),
            Expr::Paren(e) => format!("({})", e.print()),
        }
    }

    /// As an operand of `*` or unary `-`: a sum needs parentheses there, and so does a
    /// negation (two signs in a row are an error).
    fn print_tight(&self) -> String {
        match self {
            Expr::Sum(..) | Expr::Neg(..) => format!("({})", self.print()),
            _ => self.print(),
        }
    }

    /// Adds weight × this expression's word weights to `out`.
    fn weights(&self, weight: f64, out: &mut Vec<(String, f64)>) {
        match self {
            Expr::Word(w) => match out.iter_mut().find(|(x, _)| x == w) {
                Some((_, v)) => *v += weight,
                None => out.push((w.clone(), weight)),
            },
            Expr::Scaled(s, e) => e.weights(weight * *s as f64, out),
            Expr::Sum(a, minus, b) => {
                a.weights(weight, out);
                b.weights(if *minus { -weight } else { weight }, out);
            }
            Expr::Neg(e) => e.weights(-weight, out),
            Expr::Paren(e) => e.weights(weight, out),
        }
    }
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = proptest::sample::select(vec!["king", "man", "woman", "北京", "new york", "a-b"])
        .prop_map(|w| Expr::Word(w.to_string()));
    leaf.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            ((1u8..9), inner.clone()).prop_map(|(s, e)| Expr::Scaled(s as f32 / 4.0, Box::new(e))),
            (inner.clone(), any::<bool>(), inner.clone()).prop_map(|(a, m, b)| Expr::Sum(
                Box::new(a),
                m,
                Box::new(b)
            )),
            inner.clone().prop_map(|e| Expr::Neg(Box::new(e))),
            inner.prop_map(|e| Expr::Paren(Box::new(e))),
        ]
    })
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn well_formed_expressions_parse_with_their_weights(e in expr()) {
        let text = e.print();
        let parsed = embx::query::parse_expression(&text)
            .map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
        let mut want = Vec::new();
        e.weights(1.0, &mut want);
        prop_assert_eq!(parsed.len(), want.len(), "{}", text);
        for ((w, got), (ww, expected)) in parsed.iter().zip(&want) {
            prop_assert_eq!(w, ww, "{}", text);
            prop_assert!((*got as f64 - expected).abs() < 1e-3 * expected.abs().max(1.0),
                "{}: {} weighs {} not {}", text, w, got, expected);
        }
    }

    #[test]
    fn arbitrary_text_never_panics_and_errors_point_inside(
        text in proptest::string::string_regex("[-+*() \"'a-z0-9.北京\\t]{0,40}").unwrap()
    ) {
        match embx::query::parse_expression(&text) {
            Ok(terms) => prop_assert!(!terms.is_empty()),
            Err(embx::Error::Syntax { column, .. }) => {
                prop_assert!((1..=text.chars().count() + 1).contains(&column),
                    "{:?}: column {}", text, column);
            }
            Err(e) => prop_assert!(false, "{:?}: not a syntax error: {}", text, e),
        }
    }

    #[test]
    fn any_unicode_never_panics(text in "\\PC{0,30}") {
        let _ = embx::query::parse_expression(&text);
    }
}
