//! Segmenting a batch of corpus lines on several threads at once.
//!
//! The corpus reader collects whole lines into a batch of a few megabytes; the batch is cut at
//! line ends into one piece per thread, every thread decodes and segments its piece, and the
//! reader takes the results back in order. The words of a corpus therefore do not depend on
//! the number of threads.
use super::Segmenter;

/// One piece's segmented text (words separated by a space, lines by `\n`) and the invalid
/// UTF-8 sequences it held (each decoded as U+FFFD).
pub(crate) struct Piece {
    pub text: String,
    pub invalid_utf8: u64,
}

/// Splits `bytes` (whole lines, each ending in `\n`) into at most `threads` pieces of about
/// equal size, cut after a `\n`.
pub(crate) fn pieces(bytes: &[u8], threads: usize) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(threads);
    let mut rest = bytes;
    for t in (1..=threads.max(1)).rev() {
        if rest.is_empty() {
            break;
        }
        let target = rest.len() / t;
        let cut = if t == 1 || target == 0 {
            rest.len()
        } else {
            memchr::memchr(b'\n', &rest[target..]).map_or(rest.len(), |i| target + i + 1)
        };
        let (head, tail) = rest.split_at(cut);
        out.push(head);
        rest = tail;
    }
    out
}

fn segment_piece(seg: &Segmenter, bytes: &[u8]) -> Piece {
    let mut piece = Piece {
        text: String::with_capacity(bytes.len() + bytes.len() / 4),
        invalid_utf8: 0,
    };
    let mut owned = String::new();
    for line in bytes.split(|&b| b == b'\n') {
        let line = match std::str::from_utf8(line) {
            Ok(s) => s,
            Err(_) => {
                owned.clear();
                for chunk in line.utf8_chunks() {
                    owned.push_str(chunk.valid());
                    if !chunk.invalid().is_empty() {
                        owned.push(char::REPLACEMENT_CHARACTER);
                        piece.invalid_utf8 += 1;
                    }
                }
                owned.as_str()
            }
        };
        seg.segment_line(line, &mut piece.text);
        piece.text.push('\n');
    }
    piece
}

/// Segments the lines of `bytes` on `threads` threads; the pieces come back in order.
pub(crate) fn segment_batch(seg: &Segmenter, bytes: &[u8], threads: usize) -> Vec<Piece> {
    let parts = pieces(bytes, threads);
    if parts.len() <= 1 {
        return parts.iter().map(|p| segment_piece(seg, p)).collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .map(|p| scope.spawn(move || segment_piece(seg, p)))
            .collect();
        handles
            .into_iter()
            .zip(&parts)
            // A worker that panicked (it cannot, short of a bug in jieba) is redone here, so
            // the panic surfaces on the reader's thread.
            .map(|(h, p)| h.join().unwrap_or_else(|_| segment_piece(seg, p)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::pieces;

    #[test]
    fn pieces_end_at_line_ends_and_cover_everything() {
        let text = b"a b\nccc dd\ne\nffff g\nh\n";
        for threads in 1..=8 {
            let p = pieces(text, threads);
            assert!(p.len() <= threads);
            assert_eq!(p.concat(), text.to_vec());
            assert!(p.iter().all(|x| x.ends_with(b"\n")), "{threads}: {p:?}");
        }
        assert!(pieces(b"", 3).is_empty());
    }
}
