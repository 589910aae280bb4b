//! Truncated files: cut at a dozen offsets through the binary, every prefix in the library.
use super::{case, run_matrix, samples, Case, Pos, Want};
use embx::io::{load_bytes, LoadOptions};
use embx::Format;

/// Every reader on truncations at a dozen offsets, through the binary.
fn truncation_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for s in samples::all() {
        let binary = !matches!(
            s.format,
            Format::Glove | Format::Word2VecText | Format::FastTextVec
        );
        let n = s.bytes.len();
        // word2vec binary files need not end with a newline.
        let last = if s.format == Format::Word2VecBinary {
            n - 2
        } else {
            n - 1
        };
        let mut cuts: Vec<usize> = (1..12).map(|i| n * i / 12).collect();
        cuts.extend([1, 3, last]);
        cuts.sort_unstable();
        cuts.dedup();
        for cut in cuts {
            // A text file cut exactly after a line (or inside a number) can be a valid file.
            let bytes = s.bytes[..cut].to_vec();
            if !binary && load_bytes("x", bytes.clone(), &opts(s.format)).is_ok() {
                continue;
            }
            let pos = if binary { Pos::Any } else { Pos::Line };
            let name = format!("cut{cut}-{}", s.name);
            cases.push(case(&name, bytes, Some(s.format), Want::Bad(pos, "")));
        }
    }
    cases
}

fn opts(f: Format) -> LoadOptions {
    LoadOptions {
        format: Some(f),
        ..LoadOptions::default()
    }
}

#[test]
fn truncated_files_are_rejected_with_a_position() {
    run_matrix(truncation_cases());
}

/// Every prefix of every sample, in the library (fast): never a panic, and an error for every
/// strict prefix of a binary file, always naming the file with a position.
#[test]
fn every_prefix_is_handled() {
    for s in samples::all() {
        let binary = !matches!(
            s.format,
            Format::Glove | Format::Word2VecText | Format::FastTextVec
        );
        for cut in 0..s.bytes.len() {
            for format in [Some(s.format), None] {
                let o = LoadOptions {
                    format,
                    ..LoadOptions::default()
                };
                let r = load_bytes(s.name, s.bytes[..cut].to_vec(), &o);
                match r {
                    Ok(_) => assert!(
                        !binary
                            || format.is_none()
                            || (s.format == Format::Word2VecBinary && cut == s.bytes.len() - 1),
                        "{} cut at {cut} of {} was read",
                        s.name,
                        s.bytes.len()
                    ),
                    Err(e) => {
                        assert!(e.is_bad_input(), "{}@{cut}: {e}", s.name);
                        let text = e.to_string();
                        assert!(text.starts_with(s.name), "{}@{cut}: {text}", s.name);
                        assert!(!text.contains('\n'), "{}@{cut}: {text}", s.name);
                    }
                }
            }
        }
    }
}

/// A fastText model with its output matrix reads whole; cut inside that matrix, it is an
/// error saying so (the word vectors before it are intact, but the file is not).
#[test]
fn a_fasttext_bin_cut_inside_its_output_matrix_is_refused() {
    let mut ft = samples::fasttext_bin();
    ft.push(0); // the output is not quantized
    let words = samples::WORDS.len();
    ft.extend((words as u64).to_le_bytes());
    ft.extend((samples::DIM as u64).to_le_bytes());
    for i in 0..words * samples::DIM {
        ft.extend((i as f32 * 0.01).to_le_bytes());
    }
    let whole = load_bytes("m.bin", ft.clone(), &opts(Format::FastTextBin));
    assert_eq!(whole.unwrap().space.len(), words);
    let cut = ft[..ft.len() - 6].to_vec();
    let e = load_bytes("m.bin", cut, &opts(Format::FastTextBin)).unwrap_err();
    let e = e.to_string();
    assert!(
        e.contains("output matrix") && e.contains("cut short"),
        "{e}"
    );
}
