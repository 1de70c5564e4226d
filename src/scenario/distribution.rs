//! The distributions an ensemble draws from, as `[uncertainty]` and
//! `[calibration]` write them, and their truncation to what a key accepts.

use rand::RngExt;
use rand_distr::Distribution;
use toml::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum Dist {
    /// Truncated to [min, max] when given, by redrawing.
    Normal {
        mean: f64,
        sd: f64,
        min: f64,
        max: f64,
    },
    /// `exp(N(mu, sigma))`.
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    /// `min + (max − min) · Beta(a, b)`.
    BetaScaled {
        a: f64,
        b: f64,
        min: f64,
        max: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    /// Another distribution kept to `[lo, hi]`, the values its key accepts:
    /// drawn by redrawing (so a draw inside the interval is the draw the
    /// inner distribution gives), its quantiles through the inner CDF over
    /// the interval.
    Truncated {
        inner: Box<Dist>,
        lo: f64,
        hi: f64,
    },
}

/// Draws tried before a truncated distribution falls back to its quantile:
/// with at least `MIN_MASS` inside, all fail with probability below 1e-400.
const MAX_TRIES: usize = 100_000;

/// The least share of a distribution its key's range must hold.
pub const MIN_MASS: f64 = 0.01;

impl Dist {
    /// The distribution as a report states it: `normal (mean 0.02, sd 0.01)`.
    pub fn words(&self) -> String {
        let n = |v: f64| format!("{}", (v * 1e6).round() / 1e6);
        match self {
            Dist::Normal { mean, sd, min, max } => {
                let mut s = format!("normal (mean {}, sd {}", n(*mean), n(*sd));
                if min.is_finite() || max.is_finite() {
                    s.push_str(&format!(", kept to [{}, {}]", n(*min), n(*max)));
                }
                s + ")"
            }
            Dist::LogNormal { mu, sigma } => format!("log-normal (mu {}, sigma {})", n(*mu), n(*sigma)),
            Dist::BetaScaled { a, b, min, max } => {
                format!("beta ({}, {}) on [{}, {}]", n(*a), n(*b), n(*min), n(*max))
            }
            Dist::Uniform { min, max } => format!("uniform on [{}, {}]", n(*min), n(*max)),
            Dist::Triangular { min, mode, max } => {
                format!("triangular on [{}, {}], mode {}", n(*min), n(*max), n(*mode))
            }
            Dist::Truncated { inner, lo, hi } => {
                format!("{}, kept to [{}, {}]", inner.words(), n(*lo), n(*hi))
            }
        }
    }

    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Dist::Normal { mean, sd, min, max } => {
                let n = rand_distr::Normal::new(mean, sd).expect("checked when read");
                // Truncation by rejection; the bounds were checked to leave
                // room, so this ends quickly. The fallback keeps it total.
                for _ in 0..10_000 {
                    let v = n.sample(rng);
                    if (min..=max).contains(&v) {
                        return v;
                    }
                }
                mean.clamp(min, max)
            }
            Dist::LogNormal { mu, sigma } => rand_distr::LogNormal::new(mu, sigma)
                .expect("checked when read")
                .sample(rng),
            Dist::BetaScaled { a, b, min, max } => {
                min + (max - min) * rand_distr::Beta::new(a, b).expect("checked when read").sample(rng)
            }
            Dist::Uniform { min, max } => {
                if max > min {
                    rng.random_range(min..max)
                } else {
                    min
                }
            }
            Dist::Triangular { min, mode, max } => {
                if max > min {
                    rand_distr::Triangular::new(min, max, mode)
                        .expect("checked when read")
                        .sample(rng)
                } else {
                    min
                }
            }
            Dist::Truncated { ref inner, lo, hi } => {
                for _ in 0..MAX_TRIES {
                    let v = inner.sample(rng);
                    if (lo..=hi).contains(&v) {
                        return v;
                    }
                }
                self.quantile(0.5)
            }
        }
    }

    /// The value below which a share `u` of the distribution lies. Used by
    /// designs laid out on the unit cube (sensitivity analysis). An unbounded
    /// tail is cut at its 0.5% or 99.5% quantile, so that the corners of the
    /// cube stay finite.
    pub fn quantile(&self, u: f64) -> f64 {
        use statrs::distribution::{Beta, ContinuousCDF, LogNormal, Normal, Triangular};
        const TAIL: f64 = 0.005;
        let u = u.clamp(0.0, 1.0);
        let inner = |u: f64| u.clamp(TAIL, 1.0 - TAIL);
        match *self {
            Dist::Normal { mean, sd, min, max } => {
                if sd == 0.0 {
                    return mean.clamp(min, max);
                }
                let n = Normal::new(mean, sd).expect("checked when read");
                let (lo, hi) = (n.cdf(min), n.cdf(max));
                let mut p = lo + u * (hi - lo);
                if !min.is_finite() {
                    p = p.max(TAIL);
                }
                if !max.is_finite() {
                    p = p.min(1.0 - TAIL);
                }
                n.inverse_cdf(p).clamp(min, max)
            }
            Dist::LogNormal { mu, sigma } => {
                if sigma == 0.0 {
                    return mu.exp();
                }
                LogNormal::new(mu, sigma)
                    .expect("checked when read")
                    .inverse_cdf(inner(u))
            }
            Dist::BetaScaled { a, b, min, max } => {
                min + (max - min) * Beta::new(a, b).expect("checked when read").inverse_cdf(u)
            }
            Dist::Uniform { min, max } => min + u * (max - min),
            Dist::Triangular { min, mode, max } => {
                if max > min {
                    Triangular::new(min, max, mode)
                        .expect("checked when read")
                        .inverse_cdf(u)
                } else {
                    min
                }
            }
            Dist::Truncated { ref inner, lo, hi } => {
                let (a, b) = (inner.cdf(lo), inner.cdf(hi));
                inner.inverse(a + u * (b - a)).clamp(lo, hi)
            }
        }
    }

    /// The share of the distribution at or below `x`.
    pub fn cdf(&self, x: f64) -> f64 {
        use statrs::distribution::{Beta, ContinuousCDF, LogNormal, Normal, Triangular};
        let step = |at: f64| if x >= at { 1.0 } else { 0.0 };
        if x.is_nan() {
            return 0.0;
        }
        match *self {
            Dist::Normal { mean, sd, min, max } => {
                if x < min {
                    return 0.0;
                }
                if x >= max {
                    return 1.0;
                }
                if sd == 0.0 {
                    return step(mean.clamp(min, max));
                }
                let n = Normal::new(mean, sd).expect("checked when read");
                let (a, b) = (n.cdf(min), n.cdf(max));
                if b > a {
                    (n.cdf(x) - a) / (b - a)
                } else {
                    step(mean.clamp(min, max))
                }
            }
            Dist::LogNormal { mu, sigma } => {
                if x <= 0.0 {
                    0.0
                } else if sigma == 0.0 {
                    step(mu.exp())
                } else {
                    LogNormal::new(mu, sigma).expect("checked when read").cdf(x)
                }
            }
            Dist::BetaScaled { a, b, min, max } => {
                if max <= min {
                    step(min)
                } else {
                    Beta::new(a, b)
                        .expect("checked when read")
                        .cdf(((x - min) / (max - min)).clamp(0.0, 1.0))
                }
            }
            Dist::Uniform { min, max } => {
                if max <= min {
                    step(min)
                } else {
                    ((x - min) / (max - min)).clamp(0.0, 1.0)
                }
            }
            Dist::Triangular { min, mode, max } => {
                if max <= min {
                    step(min)
                } else {
                    Triangular::new(min, max, mode).expect("checked when read").cdf(x)
                }
            }
            Dist::Truncated { ref inner, lo, hi } => {
                let (a, b) = (inner.cdf(lo), inner.cdf(hi));
                if b > a {
                    ((inner.cdf(x) - a) / (b - a)).clamp(0.0, 1.0)
                } else {
                    step(lo)
                }
            }
        }
    }

    /// The value below which a share `p` lies, with no tail cut: the
    /// inverse of `cdf` (infinite at 0 or 1 for an unbounded side).
    fn inverse(&self, p: f64) -> f64 {
        use statrs::distribution::{ContinuousCDF, LogNormal, Normal};
        match *self {
            Dist::Normal { mean, sd, min, max } if sd > 0.0 => {
                let n = Normal::new(mean, sd).expect("checked when read");
                let (a, b) = (n.cdf(min), n.cdf(max));
                n.inverse_cdf(a + p.clamp(0.0, 1.0) * (b - a)).clamp(min, max)
            }
            Dist::LogNormal { mu, sigma } if sigma > 0.0 => LogNormal::new(mu, sigma)
                .expect("checked when read")
                .inverse_cdf(p.clamp(0.0, 1.0)),
            _ => self.quantile(p),
        }
    }

    /// The smallest and largest values a draw can take.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Normal { min, max, .. } => (min, max),
            Dist::LogNormal { .. } => (0.0, f64::INFINITY),
            Dist::BetaScaled { min, max, .. } | Dist::Uniform { min, max } | Dist::Triangular { min, max, .. } => {
                (min, max)
            }
            Dist::Truncated { ref inner, lo, hi } => {
                let (a, b) = inner.support();
                (a.max(lo), b.min(hi))
            }
        }
    }

    /// The distribution kept to `[lo, hi]`, or why it cannot be: the
    /// interval holds less than `MIN_MASS` of it. Unchanged when its
    /// support already lies inside.
    pub fn truncated(self, lo: f64, hi: f64) -> Result<Dist, String> {
        let (a, b) = self.support();
        if a >= lo && b <= hi {
            return Ok(self);
        }
        let t = self.typical();
        let mass = if a == b || matches!(self, Dist::Normal { sd, .. } | Dist::LogNormal { sigma: sd, .. } if sd == 0.0)
        {
            if (lo..=hi).contains(&t) { 1.0 } else { 0.0 }
        } else {
            self.cdf(hi) - self.cdf(lo)
        };
        if mass.is_nan() || mass < MIN_MASS {
            return Err(format!(
                "the values the key accepts, [{lo}, {hi}], hold {:.2}% of this distribution; expected at least {}%",
                100.0 * mass.max(0.0),
                100.0 * MIN_MASS
            ));
        }
        Ok(Dist::Truncated {
            inner: Box::new(self),
            lo,
            hi,
        })
    }

    /// The density at `x` up to a constant factor (a truncated normal's is
    /// not renormalised): enough for importance weights, which are
    /// normalised. Zero outside the support.
    pub fn density(&self, x: f64) -> f64 {
        use statrs::distribution::{Beta, Continuous, LogNormal, Normal, Triangular};
        if !x.is_finite() {
            return 0.0;
        }
        match *self {
            Dist::Normal { mean, sd, min, max } => {
                if !(min..=max).contains(&x) {
                    0.0
                } else if sd == 0.0 {
                    if x == mean { 1.0 } else { 0.0 }
                } else {
                    Normal::new(mean, sd).expect("checked when read").pdf(x)
                }
            }
            Dist::LogNormal { mu, sigma } => {
                if x <= 0.0 || sigma == 0.0 {
                    0.0
                } else {
                    LogNormal::new(mu, sigma).expect("checked when read").pdf(x)
                }
            }
            Dist::BetaScaled { a, b, min, max } => {
                if max <= min || !(min..=max).contains(&x) {
                    0.0
                } else {
                    Beta::new(a, b).expect("checked when read").pdf((x - min) / (max - min)) / (max - min)
                }
            }
            Dist::Uniform { min, max } => {
                if max > min && (min..=max).contains(&x) {
                    1.0 / (max - min)
                } else {
                    0.0
                }
            }
            Dist::Triangular { min, mode, max } => {
                if max > min && (min..=max).contains(&x) {
                    Triangular::new(min, max, mode).expect("checked when read").pdf(x)
                } else {
                    0.0
                }
            }
            Dist::Truncated { ref inner, lo, hi } => {
                if (lo..=hi).contains(&x) {
                    inner.density(x)
                } else {
                    0.0
                }
            }
        }
    }

    /// The finite ends of the values a draw can take: checked up front, so
    /// that a range wider than the key allows is refused before any draw.
    pub fn ends(&self) -> Vec<f64> {
        let (lo, hi) = match self {
            // A lognormal never reaches its lower end, 0.
            Dist::LogNormal { .. } => (f64::INFINITY, f64::INFINITY),
            d => d.support(),
        };
        [lo, hi].into_iter().filter(|v| v.is_finite()).collect()
    }

    /// A typical value, used to check up front that the key accepts it.
    pub fn typical(&self) -> f64 {
        match *self {
            Dist::Normal { mean, min, max, .. } => mean.clamp(min, max),
            Dist::LogNormal { mu, .. } => mu.exp(),
            Dist::BetaScaled { a, b, min, max } => min + (max - min) * a / (a + b),
            Dist::Uniform { min, max } => 0.5 * (min + max),
            Dist::Triangular { mode, .. } => mode,
            Dist::Truncated { ref inner, lo, hi } => inner.typical().clamp(lo, hi),
        }
    }
}

fn num(v: &Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

/// Reads a distribution written as `{ normal = { mean = 0, sd = 1 } }`.
pub fn dist(v: &Value) -> Result<Dist, String> {
    const FORMS: &str = "expected one of { normal = { mean, sd[, min, max] } }, { lognormal = { mu, sigma } }, { beta_scaled = { a, b, min, max } }, { uniform = { min, max } }, { triangular = { min, mode, max } }";
    let t = v.as_table().filter(|t| t.len() == 1).ok_or_else(|| FORMS.to_string())?;
    let (name, body) = t.iter().next().expect("one entry");
    let body = body.as_table().ok_or_else(|| FORMS.to_string())?;
    let allowed: &[&str] = match name.as_str() {
        "normal" => &["mean", "sd", "min", "max"],
        "lognormal" => &["mu", "sigma"],
        "beta_scaled" => &["a", "b", "min", "max"],
        "uniform" => &["min", "max"],
        "triangular" => &["min", "mode", "max"],
        other => return Err(format!("unknown distribution `{other}`; {FORMS}")),
    };
    if let Some(k) = body.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!("unknown key `{k}` in {name}; expected {}", allowed.join(", ")));
    }
    let get = |k: &str| -> Result<f64, String> {
        body.get(k)
            .and_then(num)
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{name} needs a number `{k}`"))
    };
    let opt =
        |k: &str, default: f64| -> Result<f64, String> { if body.contains_key(k) { get(k) } else { Ok(default) } };
    let d = match name.as_str() {
        "normal" => Dist::Normal {
            mean: get("mean")?,
            sd: get("sd")?,
            min: opt("min", f64::NEG_INFINITY)?,
            max: opt("max", f64::INFINITY)?,
        },
        "lognormal" => Dist::LogNormal {
            mu: get("mu")?,
            sigma: get("sigma")?,
        },
        "beta_scaled" => Dist::BetaScaled {
            a: get("a")?,
            b: get("b")?,
            min: get("min")?,
            max: get("max")?,
        },
        "uniform" => Dist::Uniform {
            min: get("min")?,
            max: get("max")?,
        },
        _ => Dist::Triangular {
            min: get("min")?,
            mode: get("mode")?,
            max: get("max")?,
        },
    };
    // Nine standard deviations, or the whole width, must stay finite: past
    // that the draws themselves overflow.
    let overflow = match d {
        Dist::Normal { mean, sd, .. } => !(mean.abs() + 9.0 * sd).is_finite(),
        Dist::LogNormal { mu, sigma } => !(mu + 9.0 * sigma).exp().is_finite(),
        Dist::BetaScaled { min, max, .. } | Dist::Uniform { min, max } | Dist::Triangular { min, max, .. } => {
            !(max - min).is_finite()
        }
        Dist::Truncated { .. } => false,
    };
    if overflow {
        return Err(format!(
            "{name}: its values would overflow a floating-point number; expected parameters of a realistic size"
        ));
    }
    match d {
        Dist::Normal { sd, .. } if sd < 0.0 => Err(format!("normal sd = {sd}: expected sd >= 0")),
        Dist::Normal { mean, sd, min, max }
            if min.partial_cmp(&max) != Some(std::cmp::Ordering::Less)
                || mean + 3.0 * sd < min
                || mean - 3.0 * sd > max =>
        {
            Err(format!(
                "normal truncated to [{min}, {max}]: expected min < max and the bounds within 3 sd of the mean {mean}"
            ))
        }
        Dist::LogNormal { sigma, .. } if sigma < 0.0 => Err(format!("lognormal sigma = {sigma}: expected sigma >= 0")),
        Dist::BetaScaled { a, b, .. } if a <= 0.0 || b <= 0.0 => {
            Err(format!("beta_scaled a = {a}, b = {b}: expected both > 0"))
        }
        Dist::BetaScaled { min, max, .. } | Dist::Uniform { min, max } if min > max => {
            Err(format!("min = {min} > max = {max}: expected min <= max"))
        }
        Dist::Triangular { min, mode, max } if !(min <= mode && mode <= max) => Err(format!(
            "triangular min = {min}, mode = {mode}, max = {max}: expected min <= mode <= max"
        )),
        d => Ok(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_distribution_draws_and_inverts_inside_its_interval() {
        let n = Dist::Normal {
            mean: 0.4,
            sd: 0.5,
            min: f64::NEG_INFINITY,
            max: f64::INFINITY,
        };
        let t = n.clone().truncated(-0.5, 0.5).unwrap();
        assert_eq!(t.support(), (-0.5, 0.5));
        // The kept share is Φ(0.2) − Φ(−1.8) of the normal.
        let kept = n.cdf(0.5) - n.cdf(-0.5);
        assert!((kept - (0.579_259_7 - 0.035_930_3)).abs() < 1e-6, "{kept}");
        for u in [0.0, 0.1, 0.5, 0.9, 1.0] {
            let x = t.quantile(u);
            assert!((-0.5..=0.5).contains(&x));
            assert!((t.cdf(x) - u).abs() < 1e-9, "u {u}: x {x}, cdf {}", t.cdf(x));
        }
        let mut rng = crate::rng::stream(1, 0);
        let draws: Vec<f64> = (0..2000).map(|_| t.sample(&mut rng)).collect();
        assert!(draws.iter().all(|x| (-0.5..=0.5).contains(x)));
        // Half the kept mass lies above the median quantile.
        let above = draws.iter().filter(|&&x| x > t.quantile(0.5)).count();
        assert!((900..1100).contains(&above), "{above}");
    }

    #[test]
    fn a_support_inside_the_interval_is_left_as_it_is() {
        let b = Dist::BetaScaled {
            a: 2.0,
            b: 3.0,
            min: 0.1,
            max: 0.4,
        };
        assert_eq!(b.clone().truncated(0.0, 1.0).unwrap(), b);
    }

    #[test]
    fn too_little_kept_mass_or_an_overflowing_width_is_refused() {
        let u = Dist::Uniform { min: 0.0, max: 1000.0 };
        let e = u.truncated(0.0, 5.0).unwrap_err();
        assert!(e.contains("hold 0.50% of this distribution"), "{e}");
        let v: Value = "d = { uniform = { min = -1e308, max = 1e308 } }"
            .parse::<toml::Table>()
            .unwrap()["d"]
            .clone();
        assert!(dist(&v).unwrap_err().contains("overflow"));
        let v: Value = "d = { lognormal = { mu = 700.0, sigma = 2.0 } }"
            .parse::<toml::Table>()
            .unwrap()["d"]
            .clone();
        assert!(dist(&v).unwrap_err().contains("overflow"));
    }
}
