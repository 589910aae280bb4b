//! The ARPA reader against the model it was written from, and its errors.
use super::*;
use crate::train::lm::NextWordModel;
use crate::train::ngram::text::{TextLm, TextModel};
use crate::train::{Corpus, ReadOptions};
use std::path::Path;

const CORPUS: &str = include_str!("../../../../tests/data/kenlm/corpus.txt");
const LMPLZ: &str = include_str!("../../../../tests/data/kenlm/model.arpa");

/// lmplz's ARPA file of the fixture, read back, gives the distributions embx estimates from
/// the text itself after every context of the text (lmplz's probabilities are rounded to 7
/// digits in the file), with `<s>` and `<unk>` never predicted.
#[test]
fn lmplzs_file_gives_the_estimated_distributions() {
    let arpa = BackoffModel::read(Path::new("model.arpa"), LMPLZ, None).unwrap();
    assert_eq!(arpa.order(), 4);
    assert_eq!(arpa.sizes(), vec![71, 498, 1132, 1704]);
    let corpus = Corpus::from_text(CORPUS, ReadOptions::default());
    let text = TextModel::estimate(&corpus, 4, 1, None).unwrap();
    assert_eq!(arpa.vocabulary(), text.vocabulary());
    // Row i of the text model is row `to_arpa[i]` of the file.
    let to_arpa: Vec<u32> = text
        .words()
        .iter()
        .map(|w| arpa.index[w.as_str()])
        .collect();
    let mut checked = 0;
    for sentence in text.sentences(&corpus).iter().take(40) {
        for pos in 0..sentence.len() {
            let ours = text.log_probabilities(&sentence[..pos]);
            let previous: Vec<Option<u32>> = sentence[..pos]
                .iter()
                .map(|w| w.map(|w| to_arpa[w as usize]))
                .collect();
            let theirs = arpa.log_probabilities(&previous);
            for (i, &p) in ours.iter().enumerate() {
                let q = theirs[to_arpa[i] as usize];
                assert!(
                    (p - q).abs() < 1e-4,
                    "{:?} → {}: {q} vs {p}",
                    &sentence[..pos],
                    text.words()[i]
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 200);
    let never = [arpa.start(), arpa.index["<unk>"]];
    let p = arpa.log_probabilities(&[]);
    assert!(never.iter().all(|&i| p[i as usize] == f64::NEG_INFINITY));
    // With `<unk>`'s share, a distribution sums to 1.
    let d = arpa.log10_distribution(&arpa.context(&[Some(the_id(&arpa))]));
    let total: f64 = (d.iter().enumerate())
        .filter(|&(i, _)| i as u32 != arpa.start())
        .map(|(_, x)| 10f64.powf(*x))
        .sum();
    assert!((total - 1.0).abs() < 1e-4, "{total}");
}

fn the_id(arpa: &BackoffModel) -> u32 {
    arpa.id("the").unwrap()
}

/// An unknown word in the context is `<unk>`, after which the context starts again, as in
/// the estimated model; a context longer than N − 1 words reads the last N − 1.
#[test]
fn contexts_are_read_as_kenlm_reads_them() {
    let arpa = BackoffModel::read(Path::new("model.arpa"), LMPLZ, None).unwrap();
    let (the, old) = (arpa.id("the").unwrap(), arpa.id("old").unwrap());
    let unk = arpa.index["<unk>"];
    assert_eq!(arpa.context(&[]), vec![arpa.start()]);
    assert_eq!(
        arpa.context(&[Some(the), None, Some(old)]),
        vec![the, unk, old]
    );
    assert_eq!(
        arpa.log_probabilities(&[Some(the), None, Some(old)]),
        arpa.log_probabilities(&[None, Some(old)])
    );
    assert_eq!(arpa.context(&[Some(the); 5]).len(), 3);
    assert_eq!(arpa.id("<s>"), None);
    assert_eq!(arpa.id("</s>"), None);
}

/// A broken file is an error naming the line and what is wrong.
#[test]
fn broken_files_name_the_line() {
    let cases = [
        ("hello\n", ":1", "does not start with \\data\\"),
        ("\\data\\\nngram 1=2\nngram 3=1\n", ":3", "ngram 2=COUNT"),
        (
            "\\data\\\nngram 1=2\n\n\\1-grams:\n-1\t<s>\n-1\t</s>\n\n\\end\\\n",
            "",
            "",
        ),
        (
            "\\data\\\nngram 1=2\nngram 2=1\n\n\\1-grams:\n-1\t<s>\n-1\t</s>\n\n\\2-grams:\n-1\t<s> cat\n\\end\\\n",
            ":10",
            "\"cat\" is in a 2-gram but not a 1-gram",
        ),
        ("\\data\\\nngram 1=2\n\n\\1-grams:\n-1\t<s>\n", ":5", "ends inside \\1-grams:"),
        ("\\data\\\nngram 1=1\n\n\\1-grams:\nx\t<s>\n", ":5", "log10 probability"),
        (
            "\\data\\\nngram 1=1\nngram 2=1\n\\1-grams:\n-1\t<s>\n-1\t</s>\n",
            ":6",
            "\\1-grams: has more lines than the header's \"ngram 1=\" says",
        ),
        ("\\data\\\nngram 1=1\n\n\\1-grams:\n-1\tcat\n\\end\\\n", "", "lack <s> or </s>"),
        ("\\data\\\nngram 1=1\n\n\\1-grams:\n0.4\t<s>\n", ":5", "a positive log10 probability"),
        (
            "\\data\\\nngram 1=2\n\\1-grams:\n-1\t<s>\n-1\t</s>\n-1\tcat\n\\end\\\n",
            ":6",
            "\\1-grams: has more lines than the header's \"ngram 1=2\"",
        ),
        (
            "\\data\\\nngram 1=3\n\n\\1-grams:\n-1\t<s>\n-1\t</s>\n\\end\\\n",
            ":7",
            "\\1-grams: has 2 lines, fewer than the header's \"ngram 1=3\"",
        ),
        (
            "\\data\\\nngram 1=2\nngram 2=2\n\\1-grams:\n-1\t<s>\n-1\t</s>\n\\2-grams:\n-1\t<s> </s>\n-2\t<s> </s>\n\\end\\\n",
            "",
            "the 2-gram \"<s> </s>\" is listed twice",
        ),
    ];
    for (text, line, message) in cases {
        let r = BackoffModel::read(Path::new("m.arpa"), text, None);
        if message.is_empty() {
            assert!(r.is_ok(), "{text:?}: {r:?}");
            continue;
        }
        let e = r.unwrap_err().to_string();
        assert!(e.starts_with(&format!("m.arpa{line}")), "{text:?}: {e}");
        assert!(e.contains(message), "{text:?}: {e}");
    }
}
