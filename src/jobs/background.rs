//! Work done ahead of need, on threads that yield to everything else: the explorer builds the
//! exact search's copy of a big space right after opening it, and a query asked meanwhile
//! must not queue behind that build.
//!
//! Both would otherwise share rayon's global pool, where a thread busy with the build takes
//! its own queued blocks before the query's, so on 2 cores the first query waited up to
//! 0.75 s for a 0.15 s scan. Work run through [`in_background`] gets its own pool whose
//! threads have a low CPU priority (nice 10, on Linux): a query scanning meanwhile gets about
//! nine tenths of the cores. Not the lowest (19): beside another program keeping the cores
//! busy (a training run in another terminal), the build still gets a tenth of them and ends,
//! where at 19 it would barely move and every query would keep scanning the slow way.
use std::sync::OnceLock;

/// The nice value of the background threads (see the module documentation).
pub const BACKGROUND_NICE: i32 = 10;

/// Runs `f` with its parallel iterators on the background pool (see the module
/// documentation); waits for it. Runs it on the global pool when the background pool cannot
/// be made.
pub fn in_background<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    match pool() {
        Some(p) => p.install(f),
        None => f(),
    }
}

fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("embx-background-{i}"))
            .start_handler(|_| lower_priority())
            .build()
            .ok()
    })
    .as_ref()
}

/// Gives the calling thread (only it, on Linux) the priority [`BACKGROUND_NICE`]; a failure
/// leaves it as it was.
#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: gettid and setpriority take and return plain integers and touch no memory of
    // this process.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, BACKGROUND_NICE);
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    /// The nice value of the calling thread.
    #[cfg(target_os = "linux")]
    fn nice() -> i32 {
        // SAFETY: as in `lower_priority`.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
    }

    #[test]
    fn parallel_work_inside_runs_on_the_background_threads() {
        let names: Vec<String> = in_background(|| {
            (0..64)
                .into_par_iter()
                .map(|_| std::thread::current().name().unwrap_or("").to_string())
                .collect()
        });
        assert!(names.iter().all(|n| n.starts_with("embx-background-")));
        #[cfg(target_os = "linux")]
        {
            let before = nice();
            let inside: Vec<i32> =
                in_background(|| (0..64).into_par_iter().map(|_| nice()).collect());
            assert!(inside.iter().all(|&n| n == BACKGROUND_NICE), "{inside:?}");
            // The caller's own priority is untouched.
            assert_eq!(nice(), before);
        }
    }
}
