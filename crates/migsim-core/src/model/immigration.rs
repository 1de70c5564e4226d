//! Immigration of non-citizens who become residents (MODEL.md 3.7):
//! kayrylman (ethnic Kyrgyz returnees), skilled immigrants and refugees arrive
//! as yearly numbers with an age–sex–education profile and a regional
//! allocation (given shares, or the current distribution of residents).

use super::Model;
use super::dims::{EDU_NAMES, FEMALE, HIGH, LOW, MALE, MEDIUM, N_AGE, N_EDU, N_SEX};
use super::education::Education;
use super::levers::YearLevers;
use super::places::Region;
use super::state::home_at;
use crate::declare::{ByEducation, Shares};
use crate::params::ImmigrantKind;
use crate::year_path::YearPath;

crate::section! {
    /// One stream of immigrants (non-citizens who become residents).
    pub struct ImmigrantStream (RawImmigration) {
        /// `kayrylman` (ethnic Kyrgyz returnees), `skilled` or `refugee`.
        kind: ImmigrantKind {},
        /// Arrivals per year.
        persons: YearPath { unit: "persons/year", min: 0.0, max: 1e8, expect: "persons per year" },
        /// Mean age of arrivals.
        age_mean: f64 { unit: "years", min: 0.0, max: 90.0, expect: "an age in years" },
        /// Standard deviation of the age of arrivals.
        age_sd: f64 { unit: "years", min: 1.0, max: 50.0, expect: "a standard deviation in years" },
        /// Share of women among arrivals.
        female_share: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a share" },
        /// Education of arrivals past the age of secondary completion (shares summing to 1).
        education: ByEducation { unit: "share", min: 0.0, max: 1.0, expect: "a share" },
        /// Shares of arrivals by region, summing to 1; when left out, arrivals are spread like the residents.
        regions: Option<Shares> { unit: "share", min: 0.0, max: 1.0, expect: "a share" },
    }
}

/// The year's arrivals added to next year's residents `next_home`; returns
/// the persons who arrived, by kind. Streams without regional shares are
/// spread like the residents at 1 January (`pop_by_region` of `pop_home`).
pub fn arrive(
    model: &Model,
    year: i32,
    lev: &YearLevers,
    pop_by_region: &[f64],
    pop_home: f64,
    next_home: &mut [f64],
) -> [f64; 3] {
    super::lanes::dispatch(Arrive {
        model,
        year,
        lev,
        pop_by_region,
        pop_home,
        next_home,
    })
}

/// The arguments of `arrive`, for `lanes::dispatch`: its loops are compiled
/// for the widest vector instructions the CPU has.
struct Arrive<'a> {
    model: &'a Model,
    year: i32,
    lev: &'a YearLevers,
    pop_by_region: &'a [f64],
    pop_home: f64,
    next_home: &'a mut [f64],
}

impl super::lanes::Kernel for Arrive<'_> {
    type Out = [f64; 3];

    #[inline(always)]
    fn run<L: super::lanes::Lanes>(self, _: L) -> [f64; 3] {
        let Arrive {
            model,
            year,
            lev,
            pop_by_region,
            pop_home,
            next_home,
        } = self;
        let p = &model.params;
        let mut by_kind = [0.0; 3];
        for (i, stream) in p.immigration.iter().enumerate() {
            let kind = stream.kind as usize;
            // A lever's extra arrivals join the first stream of their kind.
            let first_of_kind = p.immigration.iter().position(|s| s.kind == stream.kind) == Some(i);
            let extra = if first_of_kind { lev.immigrants_add[kind] } else { 0.0 };
            let persons = stream.persons.at(year) * lev.immigration + extra;
            if persons <= 0.0 {
                continue;
            }
            let regions: Vec<f64> = match &model.immigrant_regions[i] {
                Some(sh) => sh.clone(),
                None => pop_by_region.iter().map(|v| v / pop_home).collect(),
            };
            let sexes = sex_shares(stream);
            // By education and age first, then spread over regions and sexes run
            // by run (ages innermost, contiguous).
            let education = &model.immigrant_education[i];
            let by_edu_age: [[f64; N_AGE]; N_EDU] =
                std::array::from_fn(|e| std::array::from_fn(|a| persons * model.immigrant_age[i][a] * education[a][e]));
            for (r, &rw) in regions.iter().enumerate() {
                for s in 0..N_SEX {
                    let w = rw * sexes[s];
                    for (e, arrivals) in by_edu_age.iter().enumerate() {
                        let run = &mut next_home[home_at(r, s, e)..][..N_AGE];
                        for (cell, x) in run.iter_mut().zip(arrivals) {
                            *cell += x * w;
                        }
                    }
                }
            }
            by_kind[kind] += persons;
        }
        by_kind
    }
}

/// A stream's shares by region in the order of `regions`, when it gives
/// them.
pub fn region_shares(stream: &ImmigrantStream, regions: &[Region]) -> Option<Vec<f64>> {
    let shares = stream.regions.as_ref()?;
    Some(
        regions
            .iter()
            .map(|r| shares.0.get(&r.name).copied().unwrap_or(0.0))
            .collect(),
    )
}

/// Ages of arrivals: a normal shape around the stream's mean, summing to 1.
pub fn age_profile(stream: &ImmigrantStream) -> [f64; N_AGE] {
    let mut w = [0.0; N_AGE];
    for (a, v) in w.iter_mut().enumerate() {
        let z = (a as f64 + 0.5 - stream.age_mean) / stream.age_sd;
        *v = (-0.5 * z * z).exp();
    }
    let sum: f64 = w.iter().sum();
    w.iter_mut().for_each(|v| *v /= sum);
    w
}

/// Education shares at an age: nobody below the age of secondary completion
/// holds more than `low`, nobody below the tertiary age holds `high`.
pub fn education_at(stream: &ImmigrantStream, edu: &Education, age: usize) -> [f64; EDU_NAMES.len()] {
    let s = *stream.education;
    if age < edu.age_secondary {
        [1.0, 0.0, 0.0]
    } else if age < edu.age_tertiary {
        [s[LOW], s[MEDIUM] + s[HIGH], 0.0]
    } else {
        s
    }
}

pub fn sex_shares(stream: &ImmigrantStream) -> [f64; 2] {
    let mut out = [0.0; 2];
    out[FEMALE] = stream.female_share;
    out[MALE] = 1.0 - stream.female_share;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::year_path::YearPath;

    fn stream() -> ImmigrantStream {
        crate::declare::checked(
            RawImmigration {
                kind: Some("skilled".into()),
                persons: Some(YearPath::constant(100.0)),
                age_mean: Some(30.0),
                age_sd: Some(8.0),
                female_share: Some(0.4),
                education: Some(crate::declare::RawByEducation {
                    low: 0.1,
                    medium: 0.3,
                    high: 0.6,
                }),
                regions: None,
            },
            &[],
            &[],
        )
    }

    #[test]
    fn age_profile_sums_to_one_around_the_mean() {
        let w = age_profile(&stream());
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let mean: f64 = w.iter().enumerate().map(|(a, v)| (a as f64 + 0.5) * v).sum();
        assert!((mean - 30.0).abs() < 0.1);
    }

    #[test]
    fn children_arrive_with_low_education_only() {
        let edu = crate::declare::checked::<Education>(
            crate::model::education::RawEducation {
                age_secondary: Some(18),
                age_tertiary: Some(22),
                p_medium_female: Some(YearPath::constant(0.5)),
                p_medium_male: Some(YearPath::constant(0.5)),
                p_high_female: Some(YearPath::constant(0.5)),
                p_high_male: Some(YearPath::constant(0.5)),
                brain_gain: None,
            },
            &[],
            &[],
        );
        assert_eq!(education_at(&stream(), &edu, 10), [1.0, 0.0, 0.0]);
        let young = education_at(&stream(), &edu, 20);
        assert!(young[0] == 0.1 && (young[1] - 0.9).abs() < 1e-12 && young[2] == 0.0);
        assert_eq!(education_at(&stream(), &edu, 40), [0.1, 0.3, 0.6]);
    }
}
