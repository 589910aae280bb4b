//! The AVX2 and AVX-512 row operations (see the parent module for why the assembly is sound).
use super::{
    dot_local_tail, dot_tail, map_tail, reduce, split, step_local_tail, Rows, SharedMatrix,
};
use std::arch::asm;
use std::arch::x86_64::*;

/// The first element of `row`, as a pointer the assembly reads and writes through (the cells
/// are atomics, so writing through a pointer from a shared reference is allowed).
#[inline(always)]
fn base(m: &SharedMatrix, row: usize) -> *mut f32 {
    m.row(row).as_ptr().cast::<f32>().cast_mut()
}

/// 256-bit AVX2 (the CPU has it: checked when the value is made).
#[derive(Debug, Clone, Copy)]
pub struct Avx2(());

/// 512-bit AVX-512 F (the CPU has it: checked when the value is made).
#[derive(Debug, Clone, Copy)]
pub struct Avx512(());

impl Avx2 {
    /// The AVX2 operations, when this CPU has AVX2.
    pub fn new() -> Option<Self> {
        std::arch::is_x86_feature_detected!("avx2").then_some(Avx2(()))
    }
}

impl Avx512 {
    /// The AVX-512 operations, when this CPU has AVX-512 F.
    pub fn new() -> Option<Self> {
        std::arch::is_x86_feature_detected!("avx512f").then_some(Avx512(()))
    }
}

/// Eight floats at `p` (one 32-byte access: four quadword accesses to the row's cells).
///
/// # Safety
/// AVX is available and `p..p + 8` lies inside one shared row.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn ld8(p: *const f32) -> __m256 {
    let v: __m256;
    // SAFETY: the caller keeps p..p+8 inside a row; see the module's note on atomicity.
    unsafe {
        asm!("vmovups {v}, ymmword ptr [{p}]", p = in(reg) p, v = out(ymm_reg) v,
             options(nostack, preserves_flags, readonly));
    }
    v
}

/// Writes eight floats at `p`.
///
/// # Safety
/// As [`ld8`].
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn st8(p: *mut f32, v: __m256) {
    // SAFETY: the caller keeps p..p+8 inside a row; see the module's note on atomicity.
    unsafe {
        asm!("vmovups ymmword ptr [{p}], {v}", p = in(reg) p, v = in(ymm_reg) v,
             options(nostack, preserves_flags));
    }
}

/// Sixteen floats at `p` (one 64-byte access: eight quadword accesses to the row's cells).
///
/// # Safety
/// AVX-512 F is available and `p..p + 16` lies inside one shared row.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn ld16(p: *const f32) -> __m512 {
    let v: __m512;
    // SAFETY: the caller keeps p..p+16 inside a row; see the module's note on atomicity.
    unsafe {
        asm!("vmovups {v}, zmmword ptr [{p}]", p = in(reg) p, v = out(zmm_reg) v,
             options(nostack, preserves_flags, readonly));
    }
    v
}

/// Writes sixteen floats at `p`.
///
/// # Safety
/// As [`ld16`].
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn st16(p: *mut f32, v: __m512) {
    // SAFETY: the caller keeps p..p+16 inside a row; see the module's note on atomicity.
    unsafe {
        asm!("vmovups zmmword ptr [{p}], {v}", p = in(reg) p, v = in(zmm_reg) v,
             options(nostack, preserves_flags));
    }
}

/// Which of the five operations a vector pass does.
#[derive(Clone, Copy)]
enum Op {
    Load,
    Store,
    Add,
    Step(f32),
}

/// One pass of `op` over the first `full` elements (a multiple of 16) of the row at `p`:
/// `a` is the local row read (`v`, `d` or `h`), `b` the local row written (`out` or `grad`).
///
/// # Safety
/// AVX2 is available, `p..p + full` is one shared row's, `a` and `b` hold `full` elements.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn pass8(p: *mut f32, full: usize, op: Op, a: *const f32, b: *mut f32) {
    let mut i = 0;
    while i < full {
        // SAFETY: i + 8 <= full: inside the row and both local rows.
        unsafe {
            match op {
                Op::Load => _mm256_storeu_ps(b.add(i), ld8(p.add(i))),
                Op::Store => st8(p.add(i), _mm256_loadu_ps(a.add(i))),
                Op::Add => st8(
                    p.add(i),
                    _mm256_add_ps(ld8(p.add(i)), _mm256_loadu_ps(a.add(i))),
                ),
                Op::Step(g) => {
                    let (g, o) = (_mm256_set1_ps(g), ld8(p.add(i)));
                    let gr = _mm256_loadu_ps(b.add(i));
                    _mm256_storeu_ps(b.add(i), _mm256_add_ps(gr, _mm256_mul_ps(g, o)));
                    let x = _mm256_loadu_ps(a.add(i));
                    st8(p.add(i), _mm256_add_ps(o, _mm256_mul_ps(g, x)));
                }
            }
        }
        i += 8;
    }
}

/// [`pass8`] with 512-bit vectors.
///
/// # Safety
/// AVX-512 F is available, `p..p + full` is one shared row's, `a` and `b` hold `full`
/// elements.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn pass16(p: *mut f32, full: usize, op: Op, a: *const f32, b: *mut f32) {
    let mut i = 0;
    while i < full {
        // SAFETY: i + 16 <= full: inside the row and both local rows.
        unsafe {
            match op {
                Op::Load => _mm512_storeu_ps(b.add(i), ld16(p.add(i))),
                Op::Store => st16(p.add(i), _mm512_loadu_ps(a.add(i))),
                Op::Add => st16(
                    p.add(i),
                    _mm512_add_ps(ld16(p.add(i)), _mm512_loadu_ps(a.add(i))),
                ),
                Op::Step(g) => {
                    let (g, o) = (_mm512_set1_ps(g), ld16(p.add(i)));
                    let gr = _mm512_loadu_ps(b.add(i));
                    _mm512_storeu_ps(b.add(i), _mm512_add_ps(gr, _mm512_mul_ps(g, o)));
                    let x = _mm512_loadu_ps(a.add(i));
                    st16(p.add(i), _mm512_add_ps(o, _mm512_mul_ps(g, x)));
                }
            }
        }
        i += 16;
    }
}

/// The 16 lane sums of `h · row` over the first `full` elements.
///
/// # Safety
/// AVX2 is available, `p..p + full` is one shared row's and `h` holds `full` elements.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn dot8(p: *const f32, h: *const f32, full: usize) -> [f32; 16] {
    let (mut lo, mut hi) = (_mm256_setzero_ps(), _mm256_setzero_ps());
    let mut i = 0;
    while i < full {
        // SAFETY: i + 16 <= full: inside the row and h.
        unsafe {
            lo = _mm256_add_ps(lo, _mm256_mul_ps(_mm256_loadu_ps(h.add(i)), ld8(p.add(i))));
            let (hp, pp) = (h.add(i + 8), p.add(i + 8));
            hi = _mm256_add_ps(hi, _mm256_mul_ps(_mm256_loadu_ps(hp), ld8(pp)));
        }
        i += 16;
    }
    let mut acc = [0.0f32; 16];
    // SAFETY: acc holds 16 floats.
    unsafe {
        _mm256_storeu_ps(acc.as_mut_ptr(), lo);
        _mm256_storeu_ps(acc.as_mut_ptr().add(8), hi);
    }
    acc
}

/// [`dot8`] with 512-bit vectors.
///
/// # Safety
/// AVX-512 F is available, `p..p + full` is one shared row's and `h` holds `full` elements.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn dot16(p: *const f32, h: *const f32, full: usize) -> [f32; 16] {
    let mut acc = _mm512_setzero_ps();
    let mut i = 0;
    while i < full {
        // SAFETY: i + 16 <= full: inside the row and h.
        unsafe {
            acc = _mm512_add_ps(
                acc,
                _mm512_mul_ps(_mm512_loadu_ps(h.add(i)), ld16(p.add(i))),
            );
        }
        i += 16;
    }
    let mut out = [0.0f32; 16];
    // SAFETY: out holds 16 floats.
    unsafe { _mm512_storeu_ps(out.as_mut_ptr(), acc) };
    out
}

/// The local rows' pointers for a pass over the first `full` elements, checked to be long
/// enough (`a` read, `b` written).
#[inline(always)]
fn locals(full: usize, a: &[f32], b: &mut [f32]) -> (*const f32, *mut f32) {
    (a[..full].as_ptr(), b[..full].as_mut_ptr())
}

macro_rules! rows_impl {
    ($ty:ty, $pass:ident, $dot:ident) => {
        impl Rows for $ty {
            #[inline(always)]
            fn load(self, m: &SharedMatrix, row: usize, out: &mut [f32]) {
                let full = split(m.dim());
                let b = out[..full].as_mut_ptr();
                // SAFETY: the CPU has the features (self exists); row and out hold `full`.
                unsafe { $pass(base(m, row), full, Op::Load, std::ptr::null(), b) };
                map_tail(m, row, full, |i, o| {
                    out[i] = o;
                    o
                });
            }

            #[inline(always)]
            fn store(self, m: &SharedMatrix, row: usize, v: &[f32]) {
                let full = split(m.dim());
                let a = v[..full].as_ptr();
                // SAFETY: the CPU has the features (self exists); row and v hold `full`.
                unsafe { $pass(base(m, row), full, Op::Store, a, std::ptr::null_mut()) };
                map_tail(m, row, full, |i, _| v[i]);
            }

            #[inline(always)]
            fn add(self, m: &SharedMatrix, row: usize, d: &[f32]) {
                let full = split(m.dim());
                let a = d[..full].as_ptr();
                // SAFETY: the CPU has the features (self exists); row and d hold `full`.
                unsafe { $pass(base(m, row), full, Op::Add, a, std::ptr::null_mut()) };
                map_tail(m, row, full, |i, o| o + d[i]);
            }

            #[inline(always)]
            fn dot(self, m: &SharedMatrix, row: usize, h: &[f32]) -> f32 {
                let full = split(m.dim());
                let a = h[..full].as_ptr();
                // SAFETY: the CPU has the features (self exists); row and h hold `full`.
                let acc = unsafe { $dot(base(m, row), a, full) };
                dot_tail(m, row, full, h, reduce(&acc))
            }

            #[inline(always)]
            fn step(self, m: &SharedMatrix, row: usize, g: f32, h: &[f32], grad: &mut [f32]) {
                let full = split(m.dim());
                let (a, b) = locals(full, h, grad);
                // SAFETY: the CPU has the features (self exists); row, h, grad hold `full`.
                unsafe { $pass(base(m, row), full, Op::Step(g), a, b) };
                map_tail(m, row, full, |i, o| {
                    grad[i] += g * o;
                    o + g * h[i]
                });
            }

            #[inline(always)]
            fn dot_local(self, o: &[f32], h: &[f32]) -> f32 {
                let full = split(o.len());
                let (p, a) = (o[..full].as_ptr(), h[..full].as_ptr());
                // SAFETY: the CPU has the features (self exists); o and h hold `full`. The
                // vector loads of a local row are plain reads of memory it owns.
                let acc = unsafe { $dot(p, a, full) };
                dot_local_tail(o, h, full, reduce(&acc))
            }

            #[inline(always)]
            fn step_local(self, o: &mut [f32], g: f32, h: &[f32], grad: &mut [f32]) {
                let full = split(o.len());
                let (a, b) = locals(full, h, grad);
                let p = o[..full].as_mut_ptr();
                // SAFETY: the CPU has the features (self exists); o, h, grad hold `full`,
                // and o is borrowed mutably, so writing it is a plain store.
                unsafe { $pass(p, full, Op::Step(g), a, b) };
                step_local_tail(o, g, h, grad, full);
            }
        }
    };
}

rows_impl!(Avx2, pass8, dot8);
rows_impl!(Avx512, pass16, dot16);
