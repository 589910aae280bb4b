//! Huge pages for a big matrix being filled, while the machine hands them out quickly.
//!
//! A fresh 2.4 GB matrix costs about 590,000 page faults in 4 KiB pages: on two cores that is
//! 0.5 s of faulting and zeroing before a byte of the file lands, and 0.15 s more to unmap it
//! at exit. In 2 MiB pages it is 1,200 faults, about 0.12 s, and the unmap is free.
//!
//! Huge pages are not always cheap, though. On a virtual machine whose host takes back the
//! guest's free memory, each 2 MiB page can cost the host 2 ms to back again (2.7 s for the
//! whole matrix, against 0.5 s in small pages). So the pages are asked for one block at a
//! time, just before the block is written: the block is faulted in and timed, and once a block
//! comes slower than small pages would, the rest of the matrix stays in small pages.
use std::time::Instant;

/// Matrices smaller than this are left alone (their faults cost under 10 ms).
const MIN_BYTES: usize = 64 << 20;
/// The huge page size asked for (x86-64's and arm64's PMD size).
const HUGE: usize = 2 << 20;
/// A block whose huge pages came slower than this, per 2 MiB, switches them off. Small pages
/// cost about 0.4 ms of one core per 2 MiB; fast huge pages about 0.1 ms.
const SLOW_NANOS_PER_HUGE: u128 = 1_000_000;

/// Whether the next blocks of a matrix being filled still ask for huge pages.
#[derive(Debug)]
pub(crate) struct HugePages {
    on: bool,
}

impl HugePages {
    /// For a matrix of `bytes` bytes: on for big matrices on Linux, unless `EMBX_HUGE_PAGES=0`.
    pub(crate) fn for_matrix(bytes: usize) -> Self {
        let off = std::env::var_os("EMBX_HUGE_PAGES").is_some_and(|v| v == "0");
        HugePages {
            on: cfg!(target_os = "linux") && bytes >= MIN_BYTES && !off,
        }
    }

    /// Asks for huge pages for `block` (the next part of the matrix to be written, not yet
    /// touched) and faults them in. Turns itself off for the rest of the
    /// matrix when that took longer than small pages would have.
    pub(crate) fn prepare(&mut self, block: &mut [f32]) {
        if !self.on {
            return;
        }
        let start = (block.as_ptr() as usize).next_multiple_of(HUGE);
        let end = (block.as_ptr() as usize + std::mem::size_of_val(block)) / HUGE * HUGE;
        if end <= start {
            return;
        }
        let began = Instant::now();
        if !advise_and_fault(start, end - start) {
            self.on = false;
            return;
        }
        let pages = (end - start) / HUGE;
        let per_page = began.elapsed().as_nanos() / pages as u128;
        if per_page > SLOW_NANOS_PER_HUGE {
            self.on = false;
        }
    }
}

/// Asks for huge pages for `start..start + len` and faults the range in for writing.
#[cfg(target_os = "linux")]
fn advise_and_fault(start: usize, len: usize) -> bool {
    let addr = start as *mut libc::c_void;
    // SAFETY: `start..start + len` lies inside a live allocation owned by the caller (it was
    // rounded inward from a `&mut [f32]`). MADV_HUGEPAGE only changes how later faults are
    // served, and MADV_POPULATE_WRITE faults the pages in as a write would, without changing
    // a byte (Linux 5.14+; older kernels refuse it and the advice is simply not used).
    unsafe {
        libc::madvise(addr, len, libc::MADV_HUGEPAGE) == 0
            && libc::madvise(addr, len, libc::MADV_POPULATE_WRITE) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_and_fault(_start: usize, _len: usize) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_matrices_are_left_alone_and_big_ones_keep_their_values() {
        let mut small = vec![0.0f32; 1000];
        let mut pages = HugePages::for_matrix(small.len() * 4);
        assert!(!pages.on);
        pages.prepare(&mut small);
        // A big block: whatever the machine does with the advice, the contents stay zero and
        // writes afterwards land as usual.
        let mut big = vec![0.0f32; MIN_BYTES / 4];
        let mut pages = HugePages { on: true };
        pages.prepare(&mut big[..HUGE]);
        pages.prepare(&mut big[HUGE..]);
        assert!(big.iter().all(|&v| v == 0.0));
        big[HUGE + 7] = 1.5;
        assert_eq!(big.iter().filter(|&&v| v != 0.0).count(), 1);
    }
}
