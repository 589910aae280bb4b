//! Parsing one line of a text vector file: `word v1 v2 … vD`.
//!
//! Fields are separated by ASCII spaces and tabs only; other whitespace (U+00A0, U+3000, …)
//! belongs to the word. Numbers are parsed straight from the bytes.
use super::checks::{shown, trim_end};
use std::borrow::Cow;

/// What a line holds.
#[derive(Debug, PartialEq)]
pub(in crate::io) enum Parsed<'a> {
    /// Empty or only spaces.
    Blank,
    /// A row whose values were appended; `spaced` when the word spans several fields.
    Row { word: Cow<'a, [u8]>, spaced: bool },
}

fn is_sep(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn skip_seps(s: &[u8]) -> &[u8] {
    let n = s.iter().position(|&b| !is_sep(b)).unwrap_or(s.len());
    &s[n..]
}

/// A whole field as a number.
fn number(field: &[u8]) -> Option<f32> {
    fast_float2::parse::<f32, _>(field).ok()
}

/// Parses `line` (without its `\n`) as a row of `dim` values, appending them to `values`.
/// On error `values` is left as it was and the message says what is wrong.
pub(in crate::io) fn parse_line<'a>(
    line: &'a [u8],
    dim: usize,
    values: &mut Vec<f32>,
) -> Result<Parsed<'a>, String> {
    let line = skip_seps(trim_end(line));
    if line.is_empty() {
        return Ok(Parsed::Blank);
    }
    let word_end = memchr::memchr2(b' ', b'\t', line).unwrap_or(line.len());
    let mark = values.len();
    if fast_values(&line[word_end..], dim, values) {
        return Ok(Parsed::Row {
            word: Cow::Borrowed(&line[..word_end]),
            spaced: false,
        });
    }
    values.truncate(mark);
    let result = slow(line, dim, values);
    if result.is_err() {
        values.truncate(mark);
    }
    result
}

/// The common case: exactly `dim` well-formed numbers after the word.
fn fast_values(mut rest: &[u8], dim: usize, values: &mut Vec<f32>) -> bool {
    let mut n = 0;
    loop {
        rest = skip_seps(rest);
        if rest.is_empty() {
            return n == dim;
        }
        if n == dim {
            return false;
        }
        let parsed = match plain_decimal(rest) {
            Some(p) => Ok(p),
            None => fast_float2::parse_partial::<f32, _>(rest),
        };
        match parsed {
            Ok((v, used)) if rest.get(used).is_none_or(|&b| is_sep(b)) => {
                values.push(v);
                n += 1;
                rest = &rest[used..];
            }
            _ => return false,
        }
    }
}

/// Powers of ten that f32 holds exactly.
const POW10: [f32; 11] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

/// The common number shape `[-+]digits[.digits]`, ending at a separator or the end of `s`,
/// when the value is exact by Clinger's fast path: an integer mantissa of at most 2^24
/// divided by an exact power of ten is one correctly rounded division, so the result equals
/// std's `parse`. Anything else (exponents, long mantissas) returns `None`.
#[inline]
fn plain_decimal(s: &[u8]) -> Option<(f32, usize)> {
    let (neg, mut i) = match s.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let mut mantissa: u64 = 0;
    let int_start = i;
    while let Some(d) = s.get(i).map(|b| b.wrapping_sub(b'0')).filter(|&d| d < 10) {
        mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
        i += 1;
    }
    let mut digits = i - int_start;
    let mut frac = 0;
    if s.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while let Some(d) = s.get(i).map(|b| b.wrapping_sub(b'0')).filter(|&d| d < 10) {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
            i += 1;
        }
        frac = i - frac_start;
        digits += frac;
    }
    // More than 18 digits may have wrapped around.
    if digits == 0 || digits > 18 || mantissa > 1 << 24 || frac >= POW10.len() {
        return None;
    }
    if s.get(i).is_some_and(|&b| !is_sep(b)) {
        return None;
    }
    let v = mantissa as f32 / POW10[frac];
    Some((if neg { -v } else { v }, i))
}

/// Everything else: words with spaces, wrong counts, bad numbers.
fn slow<'a>(line: &'a [u8], dim: usize, values: &mut Vec<f32>) -> Result<Parsed<'a>, String> {
    let fields: Vec<&[u8]> = line
        .split(|&b| is_sep(b))
        .filter(|f| !f.is_empty())
        .collect();
    let n = fields.len();
    let split = if n > dim + 1 { n - dim } else { 1 };
    for field in &fields[split..] {
        match number(field) {
            Some(v) => values.push(v),
            None => return Err(format!("{} is not a number", shown(field))),
        }
    }
    if n < dim + 1 {
        return Err(format!("expected {dim} values, found {}", n - 1));
    }
    if split == 1 {
        return Ok(Parsed::Row {
            word: Cow::Borrowed(fields[0]),
            spaced: false,
        });
    }
    if fields[1..split].iter().all(|f| number(f).is_some()) {
        return Err(format!("expected {dim} values, found {}", n - 1));
    }
    Ok(Parsed::Row {
        word: Cow::Owned(fields[..split].join(&b' ')),
        spaced: true,
    })
}

/// Counts the fields of a line and how many of the last ones are numbers (at most all but
/// the first): the dimension of a GloVe file is read off its first line this way, so a first
/// word with spaces does not change it.
pub(in crate::io) fn trailing_numbers(line: &[u8]) -> (usize, usize) {
    let fields: Vec<&[u8]> = trim_end(line)
        .split(|&b| is_sep(b))
        .filter(|f| !f.is_empty())
        .collect();
    let numeric = fields
        .iter()
        .skip(1)
        .rev()
        .take_while(|f| number(f).is_some())
        .count();
    (fields.len(), numeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: &str, dim: usize) -> Result<(String, bool, Vec<f32>), String> {
        let mut v = vec![9.0];
        match parse_line(line.as_bytes(), dim, &mut v)? {
            Parsed::Blank => Ok((String::new(), false, v[1..].to_vec())),
            Parsed::Row { word, spaced } => Ok((
                String::from_utf8(word.into_owned()).unwrap(),
                spaced,
                v[1..].to_vec(),
            )),
        }
    }

    #[test]
    fn plain_rows_and_separators() {
        let want = ("the".to_string(), false, vec![0.5, -1.0, 2e3]);
        assert_eq!(row("the 0.5 -1 2e3", 3).unwrap(), want);
        assert_eq!(row("the 0.5 -1 2e3 \r", 3).unwrap(), want);
        assert_eq!(row("the\t0.5  -1\t2e3", 3).unwrap(), want);
        assert_eq!(row("  \r", 3).unwrap(), (String::new(), false, vec![]));
        let (w, spaced, _) = row("a\u{a0}b 1 2", 2).unwrap();
        assert_eq!((w.as_str(), spaced), ("a\u{a0}b", false));
        let (w, _, v) = row("北京 1 nan", 2).unwrap();
        assert_eq!(w, "北京");
        assert!(v[1].is_nan());
    }

    #[test]
    fn floats_match_std() {
        for s in [
            "0.418",
            "-0.0",
            "1e-45",
            "3.4028235e38",
            "0.1",
            "123456789",
            ".5",
            "5.",
        ] {
            let (_, _, v) = row(&format!("w {s}"), 1).unwrap();
            assert_eq!(v[0].to_bits(), s.parse::<f32>().unwrap().to_bits(), "{s}");
        }
    }

    #[test]
    fn plain_decimals_match_std() {
        let mut seed = 0x2545f4914f6cdd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..200_000 {
            let mut s = String::new();
            match next(4) {
                0 => s.push('-'),
                1 if next(8) == 0 => s.push('+'),
                _ => {}
            }
            let (int, frac) = (next(9), next(12));
            (0..int).for_each(|_| s.push((b'0' + next(10) as u8) as char));
            if frac > 0 || next(5) == 0 {
                s.push('.');
            }
            (0..frac).for_each(|_| s.push((b'0' + next(10) as u8) as char));
            let ours = plain_decimal(s.as_bytes()).map(|(v, n)| (v.to_bits(), n));
            match s.parse::<f32>() {
                Ok(v) if ours.is_some() => assert_eq!(ours, Some((v.to_bits(), s.len())), "{s}"),
                Ok(_) => {}
                Err(_) => assert_eq!(ours, None, "{s}"),
            }
        }
        assert_eq!(plain_decimal(b"0.418 1"), Some((0.418, 5)));
        assert_eq!(plain_decimal(b"1e5"), None);
        assert_eq!(plain_decimal(b"-."), None);
        assert_eq!(plain_decimal(b"1.2.3"), None);
        assert_eq!(plain_decimal(b"16777217"), None);
    }

    #[test]
    fn words_with_spaces_and_errors() {
        let (w, spaced, v) = row("at  home 1 2", 2).unwrap();
        assert_eq!((w.as_str(), spaced, v), ("at home", true, vec![1.0, 2.0]));
        assert_eq!(row("w 1 2 3", 2).unwrap_err(), "expected 2 values, found 3");
        assert_eq!(row("w 1", 2).unwrap_err(), "expected 2 values, found 1");
        assert_eq!(row("w", 2).unwrap_err(), "expected 2 values, found 0");
        assert_eq!(row("w 1 x2", 2).unwrap_err(), "\"x2\" is not a number");
        assert_eq!(row("w 1 2\"", 2).unwrap_err(), "\"2\\\"\" is not a number");
        let long = format!("w 1 {}", "9".repeat(30) + &"z".repeat(30));
        assert!(row(&long, 2).unwrap_err().ends_with("… is not a number"));
        let mut v = vec![];
        assert!(parse_line(b"w 1 \xff", 2, &mut v).is_err());
        assert!(v.is_empty());
    }

    #[test]
    fn trailing_number_count() {
        assert_eq!(trailing_numbers(b"the 1 2 3"), (4, 3));
        assert_eq!(trailing_numbers(b"a b 1 2"), (4, 2));
        assert_eq!(trailing_numbers(b"1 2"), (2, 1));
        assert_eq!(trailing_numbers(b"word"), (1, 0));
    }
}
