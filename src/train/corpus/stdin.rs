//! The corpus `-`: standard input, read once, as a pipe gives it (`zcat *.gz | tr … | embx
//! train - -o out.fifu`). `--segment auto` looks at the start of a corpus before reading it;
//! for standard input that start is taken once and kept here ([`peek`]), and [`reader`] gives
//! it back before the rest, so the read sees every byte once and in order.
use std::io::Read;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

/// True when `path` names standard input: `-`, when no file of that name is there.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-" && !path.exists()
}

/// The bytes [`peek`] took from standard input and [`reader`] has not given back yet.
static HEAD: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Up to `n` bytes from the start of standard input (fewer when it ends first), for a look
/// before the read; they stay to be read.
pub(crate) fn peek(n: usize) -> std::io::Result<Vec<u8>> {
    let mut head = HEAD.lock().unwrap_or_else(PoisonError::into_inner);
    if head.len() < n {
        let want = (n - head.len()) as u64;
        std::io::stdin().lock().take(want).read_to_end(&mut head)?;
    }
    Ok(head[..n.min(head.len())].to_vec())
}

/// Standard input from its start: what [`peek`] took, then the rest.
pub(crate) fn reader() -> impl Read {
    let head = std::mem::take(&mut *HEAD.lock().unwrap_or_else(PoisonError::into_inner));
    std::io::Cursor::new(head).chain(std::io::stdin().lock())
}
