//! The text readers (GloVe, word2vec text, fastText .vec) on every kind of damage.
use super::{case, replace, run_matrix, samples, Case, Pos, Want};
use embx::Format;

/// The text formats: GloVe, word2vec text and fastText .vec (which share a header).
#[allow(
    clippy::too_many_lines,
    reason = "a table of cases, one per damage, read top to bottom"
)]
fn text_cases() -> Vec<Case> {
    use Pos::*;
    use Want::*;
    let mut cases = Vec::new();
    for (tag, fmt, header) in [
        ("glove", Format::Glove, false),
        ("w2vt", Format::Word2VecText, true),
        ("vec", Format::FastTextVec, true),
    ] {
        let good = if header {
            samples::word2vec_text()
        } else {
            samples::glove()
        };
        let f = Some(fmt);
        let n = |what: &str| format!("{tag}-{what}.txt");
        // Truncated inside the last row's values: fewer values than the others.
        let cut = good.len() - 9;
        cases.push(case(&n("trunc"), good[..cut].to_vec(), f, Bad(Line, "")));
        cases.push(case(
            &n("short-row"),
            replace(&good, " 0.4000\n", b"\n"),
            f,
            Bad(Line, "values"),
        ));
        cases.push(case(
            &n("long-row"),
            replace(&good, "zebra", b"zebra 1.0"),
            f,
            Bad(Line, "values"),
        ));
        cases.push(case(
            &n("not-a-number"),
            replace(&good, "king 0.2750", b"king 0.27x"),
            f,
            Bad(Line, "not a number"),
        ));
        cases.push(case(
            &n("nan"),
            replace(&good, "king 0.2750", b"king NaN"),
            f,
            Warn(Line, "NaN"),
        ));
        cases.push(case(
            &n("inf"),
            replace(&good, "king 0.2750", b"king inf"),
            f,
            Warn(Line, ""),
        ));
        cases.push(case(
            &n("bad-utf8"),
            replace(&good, "café", b"caf\xe9"),
            f,
            Warn(Line, "UTF-8"),
        ));
        // "北" is e5 8c 97: keep only its first byte.
        cases.push(case(
            &n("cut-utf8"),
            replace(&good, "北京", b"\xe5"),
            f,
            Warn(Line, "UTF-8"),
        ));
        cases.push(case(
            &n("dup"),
            replace(&good, "zebra", b"king"),
            f,
            Warn(Line, "king"),
        ));
        cases.push(case(
            &n("binary-as-text"),
            samples::word2vec_binary(),
            f,
            Bad(Line, ""),
        ));
        if header {
            let body = &good[good.iter().position(|&b| b == b'\n').unwrap() + 1..];
            let with = |h: &str| {
                let mut b = h.as_bytes().to_vec();
                b.extend_from_slice(body);
                b
            };
            cases.push(case(&n("more-rows"), with("9 4\n"), f, Bad(Line, "header")));
            cases.push(case(
                &n("fewer-rows"),
                with("3 4\n"),
                f,
                Bad(Line, "header"),
            ));
            cases.push(case(
                &n("e12-rows"),
                with("1000000000000 4\n"),
                f,
                Bad(Line, "1000000000000"),
            ));
            cases.push(case(&n("more-dims"), with("5 7\n"), f, Bad(Line, "")));
            cases.push(case(&n("fewer-dims"), with("5 3\n"), f, Bad(Line, "")));
            cases.push(case(&n("zero-dims"), with("5 0\n"), f, Bad(Line, "")));
            cases.push(case(&n("negative-dims"), with("5 -4\n"), f, Bad(Line, "")));
            // Sniffed: still read as a header, so the message points at line 1.
            cases.push(case(
                &n("negative-dims-sniffed"),
                with("5 -4\n"),
                None,
                Bad(Line, ":1: expected a header line"),
            ));
            cases.push(case(
                &n("e12-dims"),
                with("5 1000000000000\n"),
                f,
                Bad(Line, ""),
            ));
            cases.push(case(&n("only-header"), b"5 4\n".to_vec(), f, Bad(Line, "")));
            cases.push(case(
                &n("empty-word"),
                replace(&good, "zebra", b""),
                f,
                Bad(Line, ""),
            ));
        } else {
            cases.push(case(
                &n("empty-word"),
                replace(&good, "zebra ", b" "),
                f,
                Bad(Line, ""),
            ));
        }
    }
    cases
}

#[test]
fn text_formats_reject_or_warn() {
    run_matrix(text_cases());
}
