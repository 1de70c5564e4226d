//! Four f64 lanes for the hot loops of a year: the exits from home and from
//! abroad, the census of the residents, labour supply, the quotas' bound.
//!
//! The compiler turns plain loops over ages into vector instructions well,
//! but not loops that keep four running sums in an array: it splits them
//! into pairs of lanes and shuffles between them. Those loops name their
//! lanes explicitly, through `Lanes`: `Avx` holds them in one 256-bit
//! register, `Plain` in an array, for CPUs without AVX and other
//! architectures. `dispatch` picks the widest the CPU has, once per call of
//! a whole loop nest (`Kernel`), which it compiles for that CPU.
//!
//! Both do the same operations on each lane in the same order, with no
//! fused multiply-add, so they give the same results to the last bit;
//! tests check it. On a CPU with AVX-512 the same nest is compiled for it:
//! the named lanes stay four wide (so every sum keeps its order), while the
//! plain element-wise loops around them may use eight; each element sees
//! the same IEEE operations either way, so the bits do not change.

/// Four lanes of f64, and the operations the hot loops need. A value of the
/// type is the proof that the CPU can run them.
pub trait Lanes: Copy {
    type V: Copy;
    fn load(self, x: &[f64; 4]) -> Self::V;
    fn store(self, to: &mut [f64; 4], v: Self::V);
    fn splat(self, x: f64) -> Self::V;
    fn add(self, a: Self::V, b: Self::V) -> Self::V;
    fn mul(self, a: Self::V, b: Self::V) -> Self::V;
    /// `(l0 + l1) + (l2 + l3)`.
    fn total(self, v: Self::V) -> f64;
}

/// Lanes in an array: any CPU.
#[derive(Clone, Copy)]
pub struct Plain;

impl Lanes for Plain {
    type V = [f64; 4];

    #[inline(always)]
    fn load(self, x: &[f64; 4]) -> [f64; 4] {
        *x
    }

    #[inline(always)]
    fn store(self, to: &mut [f64; 4], v: [f64; 4]) {
        *to = v;
    }

    #[inline(always)]
    fn splat(self, x: f64) -> [f64; 4] {
        [x; 4]
    }

    #[inline(always)]
    fn add(self, a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
        std::array::from_fn(|j| a[j] + b[j])
    }

    #[inline(always)]
    fn mul(self, a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
        std::array::from_fn(|j| a[j] * b[j])
    }

    #[inline(always)]
    fn total(self, v: [f64; 4]) -> f64 {
        (v[0] + v[1]) + (v[2] + v[3])
    }
}

#[cfg(target_arch = "x86_64")]
pub use avx::Avx;

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx {
    use super::Lanes;
    use std::arch::x86_64::{
        __m256d, _mm_add_sd, _mm_cvtsd_f64, _mm_unpackhi_pd, _mm256_add_pd, _mm256_castpd256_pd128,
        _mm256_extractf128_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_set1_pd, _mm256_storeu_pd,
    };

    /// Lanes in an AVX register. Only `Avx::detect` makes one, and only on a
    /// CPU that has AVX: that is what makes its operations sound.
    #[derive(Clone, Copy)]
    pub struct Avx(());

    impl Avx {
        pub fn detect() -> Option<Avx> {
            std::arch::is_x86_feature_detected!("avx").then_some(Avx(()))
        }
    }

    // SAFETY (every block below): an `Avx` exists only if the CPU has AVX
    // (`Avx::detect`), and the loads and stores go through references to
    // four f64, valid for reading or writing all four.
    impl Lanes for Avx {
        type V = __m256d;

        #[inline(always)]
        fn load(self, x: &[f64; 4]) -> __m256d {
            unsafe { _mm256_loadu_pd(x.as_ptr()) }
        }

        #[inline(always)]
        fn store(self, to: &mut [f64; 4], v: __m256d) {
            unsafe { _mm256_storeu_pd(to.as_mut_ptr(), v) }
        }

        #[inline(always)]
        fn splat(self, x: f64) -> __m256d {
            unsafe { _mm256_set1_pd(x) }
        }

        #[inline(always)]
        fn add(self, a: __m256d, b: __m256d) -> __m256d {
            unsafe { _mm256_add_pd(a, b) }
        }

        #[inline(always)]
        fn mul(self, a: __m256d, b: __m256d) -> __m256d {
            unsafe { _mm256_mul_pd(a, b) }
        }

        #[inline(always)]
        fn total(self, v: __m256d) -> f64 {
            unsafe {
                let lo = _mm256_castpd256_pd128(v);
                let hi = _mm256_extractf128_pd::<1>(v);
                let low = _mm_add_sd(lo, _mm_unpackhi_pd(lo, lo));
                let high = _mm_add_sd(hi, _mm_unpackhi_pd(hi, hi));
                _mm_cvtsd_f64(_mm_add_sd(low, high))
            }
        }
    }
}

/// A computation written once for any `Lanes`.
pub trait Kernel {
    type Out;
    fn run<L: Lanes>(self, lanes: L) -> Self::Out;
}

/// Runs `k` with the widest lanes this CPU has. `Kernel::run` should be
/// `#[inline(always)]`: inlined into `run_avx`, it is compiled for AVX.
pub fn dispatch<K: Kernel>(k: K) -> K::Out {
    #[cfg(target_arch = "x86_64")]
    if let Some(avx) = Avx::detect() {
        if std::arch::is_x86_feature_detected!("avx512f") {
            #[allow(unsafe_code)]
            // SAFETY: the CPU has AVX-512F (just detected), and so AVX.
            return unsafe { run_avx512(k, avx) };
        }
        #[allow(unsafe_code)]
        // SAFETY: `avx` exists, so the CPU has AVX.
        return unsafe { run_avx(k, avx) };
    }
    k.run(Plain)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn run_avx512<K: Kernel>(k: K, avx: Avx) -> K::Out {
    k.run(avx)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn run_avx<K: Kernel>(k: K, avx: Avx) -> K::Out {
    k.run(avx)
}

/// `Σ x`, in four running sums over blocks of four cells, the cells left
/// over added after: the same sums, in the same order, as `sums::sum`.
#[inline(always)]
pub fn sum<L: Lanes>(l: L, x: &[f64]) -> f64 {
    let (blocks, rest) = x.as_chunks::<4>();
    let mut acc = l.splat(0.0);
    for b in blocks {
        acc = l.add(acc, l.load(b));
    }
    let rest: f64 = rest.iter().sum();
    l.total(acc) + rest
}

/// `Σ x·y`, in four running sums over blocks of four cells, the cells left
/// over added after: the same sums, in the same order, as `sums::dot`.
#[inline(always)]
pub fn dot<L: Lanes>(l: L, x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    let ((xb, x_rest), (yb, y_rest)) = (x[..n].as_chunks::<4>(), y[..n].as_chunks::<4>());
    let mut acc = l.splat(0.0);
    for (a, b) in xb.iter().zip(yb) {
        acc = l.add(acc, l.mul(l.load(a), l.load(b)));
    }
    let rest: f64 = x_rest.iter().zip(y_rest).map(|(a, b)| a * b).sum();
    l.total(acc) + rest
}

/// Four cells of a run starting at `a`.
#[inline(always)]
pub fn block(x: &[f64], a: usize) -> &[f64; 4] {
    x[a..a + 4].try_into().expect("a block has four cells")
}

/// Four cells of a run starting at `a`, to be written.
#[inline(always)]
pub fn block_mut(x: &mut [f64], a: usize) -> &mut [f64; 4] {
    (&mut x[a..a + 4]).try_into().expect("a block has four cells")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops<L: Lanes>(l: L) -> ([f64; 4], f64) {
        let (a, b) = ([0.1, 1e-17, 3.0, -2.5], [7.0, 1.0, 1.0 / 3.0, 1e300]);
        let v = l.add(l.mul(l.load(&a), l.load(&b)), l.splat(0.7));
        let mut out = [0.0; 4];
        l.store(&mut out, v);
        (out, l.total(v))
    }

    #[test]
    fn plain_lanes_do_each_operation_lane_by_lane() {
        let (out, total) = ops(Plain);
        assert_eq!(
            out,
            [0.1 * 7.0 + 0.7, 1e-17 + 0.7, 3.0 * (1.0 / 3.0) + 0.7, -2.5e300 + 0.7]
        );
        assert_eq!(total, (out[0] + out[1]) + (out[2] + out[3]));
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx_lanes_give_the_plain_lanes_bits() {
        if let Some(avx) = Avx::detect() {
            let (p, a) = (ops(Plain), ops(avx));
            assert_eq!(p.0.map(f64::to_bits), a.0.map(f64::to_bits));
            assert_eq!(p.1.to_bits(), a.1.to_bits());
        }
    }
}
