//! The worker compiled for wider vector units, chosen at run time.
use super::{run_impl, Job};
use crate::train::shared::Portable;

/// Which compiled copy of the worker runs: the same code, built for wider vector units. The
/// arithmetic is the same in all (no fused multiply-adds; the dot product's 16 partial sums
/// are added in the same order), so they give bit-identical results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// Plain x86-64 (SSE2) or the target's baseline.
    Portable,
    /// 256-bit AVX2.
    Avx2,
    /// 512-bit AVX-512 (F, VL, BW, DQ).
    Avx512,
}

impl Kernel {
    /// The widest kernel this CPU runs, or the one `EMBX_KERNEL` (portable, avx2, avx512)
    /// names when the CPU has it.
    pub fn detect() -> Kernel {
        let wanted = std::env::var("EMBX_KERNEL").ok();
        let forced = match wanted.as_deref() {
            Some("portable") => Some(Kernel::Portable),
            Some("avx2") => Some(Kernel::Avx2),
            Some("avx512") => Some(Kernel::Avx512),
            _ => None,
        };
        if let Some(k) = forced.filter(|k| k.available()) {
            return k;
        }
        [Kernel::Avx512, Kernel::Avx2]
            .into_iter()
            .find(|k| k.available())
            .unwrap_or(Kernel::Portable)
    }

    /// True when this CPU can run the kernel.
    pub fn available(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            match self {
                Kernel::Portable => true,
                Kernel::Avx2 => has!("avx2"),
                Kernel::Avx512 => {
                    has!("avx512f") && has!("avx512vl") && has!("avx512bw") && has!("avx512dq")
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            self == Kernel::Portable
        }
    }

    /// The name used in `EMBX_KERNEL` and the metadata.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::Portable => "portable",
            Kernel::Avx2 => "avx2",
            Kernel::Avx512 => "avx512",
        }
    }
}

/// Trains until the job is done or cancelled. Returns the words this worker read.
pub fn run(job: Job<'_>) -> u64 {
    run_with(job, Kernel::detect())
}

/// [`run`] with the given kernel (the portable one if the CPU lacks it).
pub fn run_with(job: Job<'_>, kernel: Kernel) -> u64 {
    #[cfg(target_arch = "x86_64")]
    match kernel {
        Kernel::Avx512 if kernel.available() => {
            // SAFETY: the CPU has every feature `run_avx512` is compiled for (checked above).
            return unsafe { run_avx512(job) };
        }
        Kernel::Avx2 if kernel.available() => {
            // SAFETY: the CPU supports AVX2, the one feature `run_avx2` is compiled for.
            return unsafe { run_avx2(job) };
        }
        _ => {}
    }
    let _ = kernel;
    run_impl(Portable, job)
}

/// The worker compiled for AVX2 (the row arithmetic inlined into it uses 256-bit vectors).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn run_avx2(job: Job<'_>) -> u64 {
    match crate::train::shared::Avx2::new() {
        Some(k) => run_impl(k, job),
        None => run_impl(Portable, job),
    }
}

/// The worker compiled for AVX-512 (512-bit vectors for the 16-wide dot product).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,avx512f,avx512vl,avx512bw,avx512dq")]
unsafe fn run_avx512(job: Job<'_>) -> u64 {
    match crate::train::shared::Avx512::new() {
        Some(k) => run_impl(k, job),
        None => run_impl(Portable, job),
    }
}
