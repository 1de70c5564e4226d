//! The axes of the state arrays and their fixed labels. Regions and
//! destinations are named by the scenario; sex, education, status and age are
//! fixed by the model (MODEL.md section 1).

pub const N_SEX: usize = 2;
pub const N_EDU: usize = 3;
pub const N_STATUS: usize = 2;
/// Single years 0..=100; the last is the open interval 100+.
pub const N_AGE: usize = 101;
pub const MAX_AGE: usize = N_AGE - 1;
/// Five-year age groups 0-4 … 95-99, and 100+ (the open age).
pub(crate) const N_AGE_GROUPS: usize = MAX_AGE / 5 + 1;

/// The ages of group `g` as a dimension names them: `20-24`, `100+`.
pub(crate) fn age_group_label(g: usize) -> String {
    if g * 5 >= MAX_AGE {
        format!("{MAX_AGE}+")
    } else {
        format!("{}-{}", g * 5, g * 5 + 4)
    }
}

pub const SEX_NAMES: [&str; N_SEX] = ["female", "male"];
pub const EDU_NAMES: [&str; N_EDU] = ["low", "medium", "high"];
/// The statuses abroad as reported and read from tables: the citizens'
/// two, then the naturalised, who are no longer citizens and are held in
/// their own stock (`State::naturalised`).
pub const STATUS_LABELS: [&str; N_STATUS + 1] = ["temporary", "settled", "naturalised"];

pub const FEMALE: usize = 0;
pub const MALE: usize = 1;
pub(crate) const LOW: usize = 0;
pub(crate) const MEDIUM: usize = 1;
pub(crate) const HIGH: usize = 2;
pub const TEMPORARY: usize = 0;
pub const SETTLED: usize = 1;
/// Index of the naturalised in `STATUS_LABELS`.
pub const NATURALISED: usize = 2;

/// Working ages, for the labour force and earnings abroad.
pub(crate) const WORK_AGES: std::ops::RangeInclusive<usize> = 15..=64;
/// Reproductive ages over which the fertility schedule is spread.
pub(crate) const FERTILE_AGES: std::ops::RangeInclusive<usize> = 15..=49;
