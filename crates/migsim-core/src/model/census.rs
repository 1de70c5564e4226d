//! What a year needs to know of the state at 1 January, gathered in one pass
//! over each stock: the totals behind the economy, the destination choice,
//! remittances, births and the stock indicators. The stock abroad is the
//! largest array of the model; reading it once here, instead of once per
//! use, is what lets the exits from it work in place.

use super::Model;
use super::dims::{FEMALE, FERTILE_AGES, HIGH, N_AGE, N_EDU, N_SEX, N_STATUS, SETTLED, TEMPORARY, WORK_AGES};
use super::lanes::{self, Kernel, Lanes, Plain, block};
use super::state::{State, abroad_at, home_at, naturalised_at};
use super::sums::sum;

/// Fertile ages per run (15–49).
pub const N_FERTILE: usize = *FERTILE_AGES.end() - *FERTILE_AGES.start() + 1;

/// The exits from abroad write each run of the stock abroad in blocks of
/// four ages, block `i` holding ages `4i + 1 ..= 4i + 4` (age 0 stands
/// alone), and gather the census of what they write block by block.
pub const AGE_BLOCK: usize = 4;
pub const AGE_BLOCKS: usize = (N_AGE - 1) / AGE_BLOCK;
const _: () = assert!(
    (N_AGE - 1).is_multiple_of(AGE_BLOCK),
    "the blocks must cover ages 1..=100 exactly"
);

/// 1 at working ages, 0 elsewhere: the working ages of a block are summed
/// by weighting the whole block with this.
pub const WORKING: [f64; N_AGE] = {
    let mut w = [0.0; N_AGE];
    let mut a = *WORK_AGES.start();
    while a <= *WORK_AGES.end() {
        w[a] = 1.0;
        a += 1;
    }
    w
};

/// People of working age in a run of the stock abroad: four running sums
/// over the blocks, youngest first, each block weighted by `WORKING`. The
/// exits from abroad sum the runs they write in the same way, so that
/// their census is this one to the last bit.
pub fn working<L: Lanes>(l: L, run: &[f64; N_AGE]) -> f64 {
    let mut lanes = l.splat(0.0);
    for i in 0..AGE_BLOCKS {
        let a = AGE_BLOCK * i + 1;
        lanes = l.add(lanes, l.mul(l.load(block(run, a)), l.load(block(&WORKING, a))));
    }
    l.total(lanes)
}

/// Residents by the groups the indicators report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HomeCensus {
    pub by_region: Vec<f64>,
    pub by_sex: [f64; N_SEX],
    pub by_edu: [f64; N_EDU],
    /// Ages 0–14, 15–64, 65+.
    pub young: f64,
    pub working: f64,
    pub old: f64,
    /// Ages 25+, and those of them with tertiary education.
    pub adults25: f64,
    pub high25: f64,
    /// Ages 15–29.
    pub youth: f64,
}

impl HomeCensus {
    pub fn of(home: &[f64], n_regions: usize) -> HomeCensus {
        lanes::dispatch(OfHome { home, n_regions })
    }

    pub fn total(&self) -> f64 {
        self.by_region.iter().sum()
    }
}

/// The arguments of `HomeCensus::of`, for `lanes::dispatch`.
struct OfHome<'a> {
    home: &'a [f64],
    n_regions: usize,
}

impl Kernel for OfHome<'_> {
    type Out = HomeCensus;

    #[inline(always)]
    fn run<L: Lanes>(self, l: L) -> HomeCensus {
        let OfHome { home, n_regions } = self;
        let sum = |x: &[f64]| lanes::sum(l, x);
        let mut c = HomeCensus {
            by_region: vec![0.0; n_regions],
            ..Default::default()
        };
        for r in 0..n_regions {
            for s in 0..N_SEX {
                for e in 0..N_EDU {
                    let run = &home[home_at(r, s, e)..][..N_AGE];
                    let total = sum(run);
                    c.by_region[r] += total;
                    c.by_sex[s] += total;
                    c.by_edu[e] += total;
                    c.young += sum(&run[0..=14]);
                    c.working += sum(&run[15..=64]);
                    c.old += sum(&run[65..]);
                    let a25 = sum(&run[25..]);
                    c.adults25 += a25;
                    if e == HIGH {
                        c.high25 += a25;
                    }
                    c.youth += sum(&run[15..=29]);
                }
            }
        }
        c
    }
}

/// The stock abroad, gathered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AbroadCensus {
    /// Summed over origin regions, `[destination, status, sex, education,
    /// age]`: every hazard abroad is the same for all origin regions, so
    /// the year's deaths, returns and settlements follow from this.
    pub cells: Vec<f64>,
    /// Of working age, both sexes, `[region, destination, status,
    /// education]`: what remittances are earned by.
    pub workers: Vec<f64>,
    /// Women at fertile ages, all education levels, `[region, destination,
    /// status, age − 15]`: what births abroad come from.
    pub women: Vec<f64>,
}

impl AbroadCensus {
    pub fn zeros(n_regions: usize, n_dest: usize) -> AbroadCensus {
        let [cells, workers, women] = Self::lengths(n_regions, n_dest);
        AbroadCensus {
            cells: vec![0.0; cells],
            workers: vec![0.0; workers],
            women: vec![0.0; women],
        }
    }

    /// Lengths of `cells`, `workers` and `women`.
    fn lengths(n_regions: usize, n_dest: usize) -> [usize; 3] {
        let runs = n_regions * n_dest * N_STATUS;
        [
            n_dest * N_STATUS * N_SEX * N_EDU * N_AGE,
            runs * N_EDU,
            runs * N_FERTILE,
        ]
    }

    /// Whether this is a census of `n_regions` regions and `n_dest`
    /// destinations.
    pub fn has_shape(&self, n_regions: usize, n_dest: usize) -> bool {
        Self::lengths(n_regions, n_dest) == [self.cells.len(), self.workers.len(), self.women.len()]
    }

    /// Sets every total to zero.
    pub fn clear(&mut self) {
        for v in [&mut self.cells, &mut self.workers, &mut self.women] {
            v.fill(0.0);
        }
    }

    pub fn of(abroad: &[f64], n_regions: usize, n_dest: usize) -> AbroadCensus {
        let mut c = AbroadCensus::zeros(n_regions, n_dest);
        for s in 0..N_SEX {
            for e in 0..N_EDU {
                for d in 0..n_dest {
                    for r in 0..n_regions {
                        for k in 0..N_STATUS {
                            let run = &abroad[abroad_at(n_dest, r, d, k, s, e)..][..N_AGE];
                            c.add_run(r, d, k, s, e, run.try_into().expect("a run has N_AGE cells"));
                        }
                    }
                }
            }
        }
        c
    }

    /// Adds region `r`'s run of `(d, k, s, e)`. The exits from abroad
    /// gather the census of the stock they write as they write it; every
    /// total here receives its terms in the same order as there, as long
    /// as regions come in order within a cell and sexes and education
    /// levels in order across runs: the result is then the same to the
    /// last bit.
    pub fn add_run(&mut self, r: usize, d: usize, k: usize, s: usize, e: usize, run: &[f64; N_AGE]) {
        let n_dest = self.n_dest();
        for (total, x) in self.cells[abroad_at(n_dest, 0, d, k, s, e)..][..N_AGE]
            .iter_mut()
            .zip(run)
        {
            *total += x;
        }
        self.add_workers(r, d, k, e, working(Plain, run));
        if s == FEMALE {
            self.add_women(r, d, k, run);
        }
    }

    /// Adds to the people of working age of `(r, d, k, e)`, both sexes.
    #[inline(always)]
    pub fn add_workers(&mut self, r: usize, d: usize, k: usize, e: usize, workers: f64) {
        let n_dest = self.n_dest();
        self.workers[((r * n_dest + d) * N_STATUS + k) * N_EDU + e] += workers;
    }

    /// Adds the fertile ages of region `r`'s run of women of `(d, k)`.
    #[inline(always)]
    pub fn add_women(&mut self, r: usize, d: usize, k: usize, run: &[f64; N_AGE]) {
        let n_dest = self.n_dest();
        let women = &mut self.women[((r * n_dest + d) * N_STATUS + k) * N_FERTILE..][..N_FERTILE];
        for (w, x) in women.iter_mut().zip(&run[FERTILE_AGES]) {
            *w += x;
        }
    }

    /// The sums over regions of `(destination, temporary, sex, education)`
    /// and of the settled, to be written.
    pub fn runs_mut(&mut self, d: usize, s: usize, e: usize) -> (&mut [f64; N_AGE], &mut [f64; N_AGE]) {
        let nd = self.n_dest();
        let (ot, os) = (abroad_at(nd, 0, d, TEMPORARY, s, e), abroad_at(nd, 0, d, SETTLED, s, e));
        let (lo, hi) = self.cells.split_at_mut(os);
        let temp = (&mut lo[ot..][..N_AGE]).try_into().expect("a run has N_AGE cells");
        let settled = (&mut hi[..N_AGE]).try_into().expect("a run has N_AGE cells");
        (temp, settled)
    }

    /// The run of `(destination, status, sex, education)`, all regions.
    pub fn run(&self, d: usize, k: usize, s: usize, e: usize) -> &[f64] {
        &self.cells[abroad_at(self.n_dest(), 0, d, k, s, e)..][..N_AGE]
    }

    fn n_dest(&self) -> usize {
        self.cells.len() / (N_STATUS * N_SEX * N_EDU * N_AGE)
    }

    /// Citizens abroad by destination.
    pub fn by_destination(&self) -> Vec<f64> {
        self.cells
            .chunks_exact(N_STATUS * N_SEX * N_EDU * N_AGE)
            .map(sum)
            .collect()
    }
}

/// Both stocks at 1 January, and the foreign workers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Census {
    pub home: HomeCensus,
    pub abroad: AbroadCensus,
    /// The naturalised, `[destination][sex]`.
    pub naturalised: Vec<[f64; N_SEX]>,
    pub foreign_workers: f64,
}

/// The naturalised by destination and sex.
pub fn naturalised_totals(stock: &[f64], n_dest: usize) -> Vec<[f64; N_SEX]> {
    (0..n_dest)
        .map(|d| {
            std::array::from_fn(|s| {
                (0..N_EDU)
                    .map(|e| sum(&stock[naturalised_at(d, s, e)..][..N_AGE]))
                    .sum()
            })
        })
        .collect()
}

impl Census {
    pub fn of(model: &Model, state: &State) -> Census {
        Census {
            home: HomeCensus::of(state.home_flat(), model.n_regions),
            abroad: AbroadCensus::of(state.abroad_flat(), model.n_regions, model.n_destinations),
            naturalised: naturalised_totals(state.naturalised_flat(), model.n_destinations),
            foreign_workers: state.foreign_workers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gathered_totals_equal_the_stocks() {
        let model = crate::model::tiny_model();
        let state = model.initial_state();
        let c = Census::of(&model, &state);
        let abroad = state.population_abroad();
        assert!((c.abroad.by_destination().iter().sum::<f64>() - abroad).abs() < 1e-9 * abroad);
        assert!((c.home.total() - state.population_home()).abs() < 1e-9 * c.home.total());
        let ages = c.home.young + c.home.working + c.home.old;
        assert!((ages - c.home.total()).abs() < 1e-9 * ages);
        let workers: f64 = c.abroad.workers.iter().sum();
        let by_age: f64 = state
            .abroad
            .indexed_iter()
            .filter(|(i, _)| WORK_AGES.contains(&i.5))
            .map(|(_, v)| v)
            .sum();
        assert!((workers - by_age).abs() < 1e-9 * by_age);
        let women: f64 = c.abroad.women.iter().sum();
        let fertile: f64 = state
            .abroad
            .indexed_iter()
            .filter(|(i, _)| i.3 == FEMALE && FERTILE_AGES.contains(&i.5))
            .map(|(_, v)| v)
            .sum();
        assert!((women - fertile).abs() < 1e-9 * fertile);
    }

    #[test]
    fn the_census_gathered_while_stepping_is_the_census_of_the_new_state_to_the_last_bit() {
        let model = crate::model::tiny_model();
        let mut state = model.initial_state();
        let mut work = crate::model::step::Workspace::for_state(&state);
        let mut census = Census::of(&model, &state);
        for y in 0..model.params.n_years() {
            census = crate::model::step::advance(&model, y, &mut state, &census, &mut work).0;
            assert_eq!(census, Census::of(&model, &state), "year {y}");
        }
    }
}
