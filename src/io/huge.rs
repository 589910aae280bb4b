//! Faulting in a big matrix being filled, ahead of the writes, in huge pages while the
//! machine hands them out quickly and in small pages after that.
//!
//! A fresh 2.4 GB matrix costs about 590,000 page faults in 4 KiB pages. Taken one at a time
//! by the writes, on this 2-core virtual machine, that is 0.8–1.0 s of kernel time; asked for
//! in bulk (`MADV_POPULATE_WRITE`, one call per block) the same small pages cost 0.6 s, since
//! no write traps into the kernel. In 2 MiB pages it is 1,200 faults, 0.3 s, and the unmap at
//! exit is free.
//!
//! Huge pages are not always cheap, though. On a virtual machine whose host takes back the
//! guest's free memory, each 2 MiB page can cost the host 2–35 ms to back again (measured
//! here: from 0.3 s to 28 s for the whole matrix). So they are tried on one page first, then
//! asked for one block at a time, just before the block is written: the block is faulted in
//! and timed, and once a page or a block comes slower than small pages would, the rest of the
//! matrix is faulted in small pages.
use rayon::prelude::*;
use std::time::Instant;

/// Matrices smaller than this are left alone (their faults cost under 10 ms).
const MIN_BYTES: usize = 64 << 20;
/// The huge page size asked for (x86-64's and arm64's PMD size).
const HUGE: usize = 2 << 20;
/// The part of a block one core faults in at a time, in small pages.
const CHUNK: usize = 2 << 20;
/// A block whose huge pages came slower than this, per 2 MiB, switches them off. Small pages
/// cost about 0.3 ms of one core per 2 MiB asked for in bulk; fast huge pages about 0.25 ms.
const SLOW_NANOS_PER_HUGE: u128 = 1_000_000;

/// How the next blocks of a matrix being filled are faulted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Not at all: the writes fault them (small matrices, other systems, old kernels).
    Off,
    /// In small pages, in bulk.
    Small,
    /// In huge pages; `tried` once the first page has been timed.
    Huge { tried: bool },
}

/// Faults in the blocks of a matrix being filled, one block ahead of the writes.
#[derive(Debug)]
pub(crate) struct Prefault {
    mode: Mode,
}

impl Prefault {
    /// For a matrix of `bytes` bytes: on for big matrices on Linux, in huge pages unless
    /// `EMBX_HUGE_PAGES=0`.
    pub(crate) fn for_matrix(bytes: usize) -> Self {
        let no_huge = std::env::var_os("EMBX_HUGE_PAGES").is_some_and(|v| v == "0");
        let mode = if !cfg!(target_os = "linux") || bytes < MIN_BYTES {
            Mode::Off
        } else if no_huge {
            Mode::Small
        } else {
            Mode::Huge { tried: false }
        };
        Prefault { mode }
    }

    /// Faults in `block` (the next part of the matrix to be written, not yet touched), in
    /// huge pages while they come fast. Its contents stay zero.
    pub(crate) fn prepare(&mut self, block: &mut [f32]) {
        let start = block.as_ptr() as usize;
        let end = start + std::mem::size_of_val(block);
        if let Mode::Huge { tried } = self.mode {
            let first = start.next_multiple_of(HUGE);
            let last = end / HUGE * HUGE;
            let mut from = first;
            if !tried && first < last {
                // One page alone first: a slow host costs one page's time, not a block's.
                from = first + HUGE;
                self.mode = Mode::Huge { tried: true };
                self.huge(first, from);
            }
            if from < last && self.mode != Mode::Small {
                self.huge(from, last);
            }
        }
        if self.mode != Mode::Off {
            // Small pages are faulted in by every core free to help: zeroing and charging
            // them is most of the time the matrix costs.
            let faulted = block.par_chunks_mut(CHUNK / 4).all(|part| {
                let at = part.as_ptr() as usize;
                populate(at, std::mem::size_of_val(part))
            });
            if !faulted {
                self.mode = Mode::Off;
            }
        }
    }

    /// Faults `start..end` in huge pages (both multiples of [`HUGE`]), timed; switches to
    /// small pages when they came slowly or the kernel refused.
    fn huge(&mut self, start: usize, end: usize) {
        let began = Instant::now();
        if !advise_huge(start, end - start) || !populate(start, end - start) {
            self.mode = Mode::Small;
            return;
        }
        let pages = (end - start) / HUGE;
        if began.elapsed().as_nanos() / pages as u128 > SLOW_NANOS_PER_HUGE {
            self.mode = Mode::Small;
        }
    }
}

/// Asks for huge pages for `start..start + len`.
#[cfg(target_os = "linux")]
fn advise_huge(start: usize, len: usize) -> bool {
    // SAFETY: the range lies inside a live allocation owned by the caller (it was rounded
    // inward from a `&mut [f32]`); MADV_HUGEPAGE only changes how later faults are served.
    unsafe { libc::madvise(start as *mut libc::c_void, len, libc::MADV_HUGEPAGE) == 0 }
}

/// Faults `start..start + len` in for writing. Pages already there are left as they are.
#[cfg(target_os = "linux")]
fn populate(start: usize, len: usize) -> bool {
    // The call works on whole pages: the range is widened to them. The pages around the
    // ends belong to the same allocation or its neighbours, and faulting in a page that is
    // already there, or one later written anyway, changes nothing.
    let page = 4096;
    let from = start / page * page;
    let to = (start + len).next_multiple_of(page);
    // SAFETY: `from..to` covers a range inside a live allocation owned by the caller, widened
    // to whole pages, which are mapped since the allocation's bytes are. MADV_POPULATE_WRITE
    // faults the pages in as a write would, without changing a byte (Linux 5.14+; older
    // kernels refuse it and the matrix is faulted by its writes as usual).
    unsafe {
        libc::madvise(
            from as *mut libc::c_void,
            to - from,
            libc::MADV_POPULATE_WRITE,
        ) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge(_start: usize, _len: usize) -> bool {
    false
}

#[cfg(not(target_os = "linux"))]
fn populate(_start: usize, _len: usize) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_matrices_are_left_alone_and_big_ones_keep_their_values() {
        let mut small = vec![0.0f32; 1000];
        let mut pages = Prefault::for_matrix(small.len() * 4);
        assert_eq!(pages.mode, Mode::Off);
        pages.prepare(&mut small);
        assert!(small.iter().all(|&v| v == 0.0));
        // Big blocks in each mode, cut at odd places: whatever the machine does with the
        // advice, the contents stay zero and writes afterwards land as usual.
        for mode in [Mode::Huge { tried: false }, Mode::Small, Mode::Off] {
            let mut big = vec![0.0f32; MIN_BYTES / 4];
            let mut pages = Prefault { mode };
            let cut = HUGE + 4093;
            big[cut - 1] = 2.5;
            pages.prepare(&mut big[..cut - 1]);
            pages.prepare(&mut big[cut..]);
            assert_ne!(
                pages.mode == Mode::Off,
                cfg!(target_os = "linux") && mode != Mode::Off
            );
            assert_eq!(big[cut - 1], 2.5);
            big[cut + 7] = 1.5;
            assert_eq!(big.iter().filter(|&&v| v != 0.0).count(), 2);
        }
    }
}
