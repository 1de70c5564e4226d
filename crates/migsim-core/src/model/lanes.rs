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
//! All do the same operations on each lane in the same order, with no
//! fused multiply-add, so they give the same results to the last bit;
//! tests check it. A loop that works element by element may also take
//! eight lanes at a time (`load8`, `add8`, ...): `Avx512` holds them in one
//! 512-bit register, the others in two of four. Every element sees the
//! same IEEE operations at either width, and an ordered sum takes the two
//! halves of eight in turn (`halves`), so the width changes no bit.

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

    /// Eight lanes, for loops that only work element by element: each
    /// element sees the same operations as in four lanes, so the width
    /// changes no bit, only the count of instructions.
    type W: Copy;
    fn load8(self, x: &[f64; 8]) -> Self::W;
    fn store8(self, to: &mut [f64; 8], v: Self::W);
    fn splat8(self, x: f64) -> Self::W;
    fn add8(self, a: Self::W, b: Self::W) -> Self::W;
    fn mul8(self, a: Self::W, b: Self::W) -> Self::W;
    /// Lanes 0–3 and 4–7, as four lanes each: how an ordered sum over
    /// blocks of four takes eight cells.
    fn halves(self, v: Self::W) -> (Self::V, Self::V);
}

/// The eight-lane operations of a `Lanes` whose eight lanes are two of its
/// four: `Plain` and `Avx`.
macro_rules! eight_as_two_fours {
    () => {
        type W = [Self::V; 2];

        #[inline(always)]
        fn load8(self, x: &[f64; 8]) -> [Self::V; 2] {
            let (lo, hi) = x.split_at(4);
            [
                self.load(lo.try_into().expect("four")),
                self.load(hi.try_into().expect("four")),
            ]
        }

        #[inline(always)]
        fn store8(self, to: &mut [f64; 8], v: [Self::V; 2]) {
            let (lo, hi) = to.split_at_mut(4);
            self.store(lo.try_into().expect("four"), v[0]);
            self.store(hi.try_into().expect("four"), v[1]);
        }

        #[inline(always)]
        fn splat8(self, x: f64) -> [Self::V; 2] {
            [self.splat(x); 2]
        }

        #[inline(always)]
        fn add8(self, a: [Self::V; 2], b: [Self::V; 2]) -> [Self::V; 2] {
            [self.add(a[0], b[0]), self.add(a[1], b[1])]
        }

        #[inline(always)]
        fn mul8(self, a: [Self::V; 2], b: [Self::V; 2]) -> [Self::V; 2] {
            [self.mul(a[0], b[0]), self.mul(a[1], b[1])]
        }

        #[inline(always)]
        fn halves(self, v: [Self::V; 2]) -> (Self::V, Self::V) {
            (v[0], v[1])
        }
    };
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

    eight_as_two_fours!();
}

#[cfg(target_arch = "x86_64")]
pub use avx::{Avx, Avx512};

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx {
    use super::Lanes;
    use std::arch::x86_64::{
        __m256d, __m512d, _mm_add_sd, _mm_cvtsd_f64, _mm_unpackhi_pd, _mm256_add_pd, _mm256_castpd256_pd128,
        _mm256_extractf128_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_set1_pd, _mm256_storeu_pd, _mm512_add_pd,
        _mm512_castpd512_pd256, _mm512_extractf64x4_pd, _mm512_loadu_pd, _mm512_mul_pd, _mm512_set1_pd,
        _mm512_storeu_pd,
    };

    /// Lanes in an AVX register. Only `Avx::detect` makes one, and only on a
    /// CPU that has AVX: that is what makes its operations sound.
    #[derive(Clone, Copy, Debug)]
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

        eight_as_two_fours!();
    }

    /// Four lanes in an AVX register and eight in an AVX-512 one. Only
    /// `Avx512::detect` makes one, and only on a CPU with AVX-512F.
    #[derive(Clone, Copy, Debug)]
    pub struct Avx512(Avx);

    impl Avx512 {
        pub fn detect() -> Option<Avx512> {
            let avx = Avx::detect()?;
            std::arch::is_x86_feature_detected!("avx512f").then_some(Avx512(avx))
        }
    }

    // SAFETY (every block below): an `Avx512` exists only if the CPU has
    // AVX-512F (`Avx512::detect`), and the loads and stores go through
    // references to eight f64, valid for reading or writing all eight.
    impl Lanes for Avx512 {
        type V = __m256d;

        #[inline(always)]
        fn load(self, x: &[f64; 4]) -> __m256d {
            self.0.load(x)
        }

        #[inline(always)]
        fn store(self, to: &mut [f64; 4], v: __m256d) {
            self.0.store(to, v)
        }

        #[inline(always)]
        fn splat(self, x: f64) -> __m256d {
            self.0.splat(x)
        }

        #[inline(always)]
        fn add(self, a: __m256d, b: __m256d) -> __m256d {
            self.0.add(a, b)
        }

        #[inline(always)]
        fn mul(self, a: __m256d, b: __m256d) -> __m256d {
            self.0.mul(a, b)
        }

        #[inline(always)]
        fn total(self, v: __m256d) -> f64 {
            self.0.total(v)
        }

        type W = __m512d;

        #[inline(always)]
        fn load8(self, x: &[f64; 8]) -> __m512d {
            unsafe { _mm512_loadu_pd(x.as_ptr()) }
        }

        #[inline(always)]
        fn store8(self, to: &mut [f64; 8], v: __m512d) {
            unsafe { _mm512_storeu_pd(to.as_mut_ptr(), v) }
        }

        #[inline(always)]
        fn splat8(self, x: f64) -> __m512d {
            unsafe { _mm512_set1_pd(x) }
        }

        #[inline(always)]
        fn add8(self, a: __m512d, b: __m512d) -> __m512d {
            unsafe { _mm512_add_pd(a, b) }
        }

        #[inline(always)]
        fn mul8(self, a: __m512d, b: __m512d) -> __m512d {
            unsafe { _mm512_mul_pd(a, b) }
        }

        #[inline(always)]
        fn halves(self, v: __m512d) -> (__m256d, __m256d) {
            unsafe { (_mm512_castpd512_pd256(v), _mm512_extractf64x4_pd::<1>(v)) }
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
    if let Some(wide) = Avx512::detect() {
        #[allow(unsafe_code)]
        // SAFETY: `wide` exists, so the CPU has AVX-512F.
        return unsafe { run_avx512(k, wide) };
    }
    #[cfg(target_arch = "x86_64")]
    if let Some(avx) = Avx::detect() {
        #[allow(unsafe_code)]
        // SAFETY: `avx` exists, so the CPU has AVX.
        return unsafe { run_avx(k, avx) };
    }
    k.run(Plain)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn run_avx512<K: Kernel>(k: K, wide: Avx512) -> K::Out {
    k.run(wide)
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

/// Eight cells of a run starting at `a`.
#[inline(always)]
pub fn block8(x: &[f64], a: usize) -> &[f64; 8] {
    x[a..a + 8].try_into().expect("a block has eight cells")
}

/// Eight cells of a run starting at `a`, to be written.
#[inline(always)]
pub fn block8_mut(x: &mut [f64], a: usize) -> &mut [f64; 8] {
    (&mut x[a..a + 8]).try_into().expect("a block has eight cells")
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
