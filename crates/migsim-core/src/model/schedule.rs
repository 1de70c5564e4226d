//! Age schedules of migration (Rogers–Castro) used by emigration (MODEL.md 3.1)
//! and internal migration (3.3).
//!
//! The labour-force component `exp(-α(x-μ) - exp(-λ(x-μ)))` peaks at `x = μ +
//! ln(λ/α)/λ`; the schedule is divided by that peak so that the level of the
//! hazard is a plain rate at the peak age. A childhood component (children move
//! with their parents; 17% of Kyrgyz migrants abroad are under 18) and a floor
//! are added relative to that peak. `peak_age` is the age of that maximum.

use super::dims::N_AGE;

crate::section! {
    /// Rogers–Castro shape: a childhood component and a labour-force
    /// component on a floor, normalised by the model so that the labour peak
    /// is 1.
    pub struct AgeSchedule (RawAgeSchedule) {
        /// Age at which the labour-force component peaks.
        peak_age: f64 { unit: "years", min: 12.0, max: 60.0, expect: "an age in years" },
        /// λ: steepness of the rise to the peak.
        rise: f64 { unit: "1/year of age", min: 0.01, max: 5.0, expect: "a rate per year of age" },
        /// α: rate of the decline after the peak.
        fall: f64 { unit: "1/year of age", min: 0.001, max: 2.0, expect: "a rate per year of age" },
        /// Level of the childhood component at age 0, relative to the labour peak.
        child_level: f64 { unit: "ratio to peak", min: 0.0, max: 2.0, expect: "a level relative to the peak" },
        /// Rate at which the childhood component falls with age.
        child_rate: f64 { unit: "1/year of age", min: 0.0, max: 2.0, expect: "a rate per year of age" },
        /// Level at every age, relative to the labour peak.
        floor: f64 { unit: "ratio to peak", min: 0.0, max: 1.0, expect: "a level relative to the peak" },
    }
}

pub fn rogers_castro(s: &AgeSchedule) -> [f64; N_AGE] {
    // μ placed so that the labour component peaks at `peak_age`.
    let mu = s.peak_age - (s.rise / s.fall).ln() / s.rise;
    let labour = |x: f64| (-s.fall * (x - mu) - (-s.rise * (x - mu)).exp()).exp();
    let peak = labour(s.peak_age);
    let mut out = [0.0; N_AGE];
    for (a, v) in out.iter_mut().enumerate() {
        let x = a as f64 + 0.5;
        *v = labour(x) / peak + s.child_level * (-s.child_rate * x).exp() + s.floor;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sched() -> AgeSchedule {
        crate::declare::checked(
            RawAgeSchedule {
                peak_age: Some(24.0),
                rise: Some(0.5),
                fall: Some(0.1),
                child_level: Some(0.0),
                child_rate: Some(0.1),
                floor: Some(0.0),
            },
            &[],
            &[],
        )
    }

    #[test]
    fn labour_component_peaks_at_one_at_the_peak_age() {
        let rc = rogers_castro(&sched());
        let (argmax, max) = rc
            .iter()
            .enumerate()
            .fold((0, 0.0), |b, (i, &v)| if v > b.1 { (i, v) } else { b });
        assert!((23..=24).contains(&argmax), "peak at {argmax}");
        assert!(max <= 1.0 && max > 0.99);
        assert!(rc[60] < 0.05 && rc[5] < 0.01);
    }

    #[test]
    fn childhood_component_raises_young_ages() {
        let mut s = sched();
        s.child_level = 0.3;
        let rc = rogers_castro(&s);
        assert!(rc[0] > 0.25 && rc[0] < 0.3);
    }
}
