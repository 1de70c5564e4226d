//! `migsim discover`: where in the space of uncertain inputs a target fails.

use super::Print;
use crate::summary;
use migsim::Error;
use migsim::discover::{self, Rule, Settings};
use migsim::input::command_line;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Folder of an ensemble run with --keep-draws (it holds experiments.csv)
    pub run_dir: PathBuf,
    /// The target, by its name in the scenario or its column met_<name>
    #[arg(long, required_unless_present = "outcome", conflicts_with = "outcome")]
    pub target: Option<String>,
    /// Which draws are the cases of interest, for --target
    #[arg(long, default_value = "fails", value_parser = ["fails", "met"])]
    pub when: String,
    /// Instead of a target, a national total INDICATOR@YEAR (from the
    /// run's draws.csv, or a sweep's outcome column); the cases are the
    /// draws where it is --below or --above a value
    #[arg(long, value_name = "INDICATOR@YEAR")]
    pub outcome: Option<String>,
    /// With --outcome: the cases are the draws below X
    #[arg(long, value_name = "X", requires = "outcome", conflicts_with = "above")]
    pub below: Option<f64>,
    /// With --outcome: the cases are the draws above X
    #[arg(long, value_name = "X", requires = "outcome")]
    pub above: Option<f64>,
    /// Share of the box peeled off at each step
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Share of the points beyond a limit pasted back at each step
    #[arg(long, default_value_t = 0.05)]
    pub paste_alpha: f64,
    /// Smallest share of the draws a box may hold
    #[arg(long, default_value_t = 0.05)]
    pub mass_min: f64,
    /// Choose this step of the trajectory [default: the largest box whose
    /// density is within 0.02 of the best among those covering at least
    /// --min-coverage of the cases]
    #[arg(long, value_name = "K")]
    pub step: Option<usize>,
    /// Least coverage of the chosen box (default rule)
    #[arg(long, default_value_t = 0.5)]
    pub min_coverage: f64,
    /// Largest quasi-p-value of a limit stated as part of the box
    #[arg(long, default_value_t = 0.05)]
    pub significance: f64,
    /// Also grow a CART tree (leaves of at least --mass-min of the rows):
    /// cart.csv, and the leaves where the cases concentrate
    #[arg(long)]
    pub cart: bool,
    /// Skip the PNG charts
    #[arg(long)]
    pub no_charts: bool,
    /// Output folder [default: RUN_DIR-discover]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub print: Print,
}

pub fn discover(a: Args) -> Result<ExitCode, Error> {
    if !(0.0..=1.0).contains(&a.min_coverage) {
        return Err(command_line(
            "--min-coverage",
            format!("= {}: expected a share in [0, 1]", a.min_coverage),
        ));
    }
    if !(a.significance > 0.0 && a.significance <= 1.0) {
        return Err(command_line(
            "--significance",
            format!("= {}: expected a probability in (0, 1]", a.significance),
        ));
    }
    for (key, v) in [("--alpha", a.alpha), ("--paste-alpha", a.paste_alpha)] {
        if !(v > 0.0 && v < 0.5) {
            return Err(command_line(key, format!("= {v}: expected a share in (0, 0.5)")));
        }
    }
    if !(0.0..1.0).contains(&a.mass_min) {
        return Err(command_line(
            "--mass-min",
            format!("= {}: expected a share in [0, 1)", a.mass_min),
        ));
    }
    use discover::experiments::{self, Side};
    let (data, y, verb) = match (&a.target, &a.outcome) {
        (Some(target), _) => {
            let data = experiments::read(&a.run_dir, target)?;
            let y: Vec<bool> = data
                .met
                .iter()
                .map(|m| if a.when == "fails" { !m } else { *m })
                .collect();
            let verb = if a.when == "fails" { "fail" } else { "meet" };
            let said = format!("{verb} `{}`", data.target.trim_start_matches("met_"));
            (data, y, said)
        }
        (None, Some(label)) => {
            let side = match (a.below, a.above) {
                (Some(x), None) if x.is_finite() => Side::Below(x),
                (None, Some(x)) if x.is_finite() => Side::Above(x),
                _ => {
                    return Err(command_line(
                        "--outcome",
                        format!("= {label}: expected --below X or --above X with a finite number X"),
                    ));
                }
            };
            let outcome = migsim::outcome::Outcome::parse(label).map_err(|m| command_line("--outcome", m))?;
            let data = experiments::read_outcome(&a.run_dir, &outcome, side)?;
            let said = format!("have {}", data.target);
            let y = data.met.clone();
            (data, y, said)
        }
        (None, None) => {
            return Err(command_line(
                "--target",
                "is missing: give --target NAME or --outcome INDICATOR@YEAR",
            ));
        }
    };
    let out = a.out.clone().unwrap_or_else(|| {
        let mut name = a.run_dir.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push("-discover");
        a.run_dir.with_file_name(name)
    });
    migsim::output::generation::check_target(&out)?;
    let settings = Settings {
        peel_alpha: a.alpha,
        paste_alpha: a.paste_alpha,
        mass_min: a.mass_min,
    };
    let steps = discover::trajectory(&data.x, &y, &settings).map_err(|m| command_line("--target", m))?;
    let rule = match a.step {
        Some(k) => Rule::Step(k),
        None => Rule::Knee {
            min_coverage: a.min_coverage,
            tolerance: 0.02,
        },
    };
    let chosen = discover::choose(&steps, rule).map_err(|m| command_line("--step", m))?;
    let csv = discover::to_csv(&data.inputs, &steps, chosen);
    let step = &steps[chosen];
    let limits = discover::significant(step, a.significance);
    let words_of = |key: &str| migsim::scenario::sections::in_words(key, None);
    let min_leaf = ((a.mass_min * y.len() as f64) as usize).max(1);
    let tree = a.cart.then(|| discover::cart::leaves(&data.x, &y, min_leaf));
    migsim::output::generation::write(&out, |dir| {
        migsim::output::atomic::write(&dir.join("discovery.csv"), csv.as_bytes())?;
        if let Some(leaves) = &tree {
            let text = discover::cart::to_csv(&data.inputs, leaves);
            migsim::output::atomic::write(&dir.join("cart.csv"), text.as_bytes())?;
        }
        if a.no_charts {
            return Ok(());
        }
        use migsim::output::charts::{discovery, draw};
        let charts = dir.join("charts");
        migsim::output::atomic::create_dir(&charts)?;
        let points: Vec<(f64, f64, usize)> = steps
            .iter()
            .map(|s| (s.coverage, s.density, s.restricted.len()))
            .collect();
        let title = match &a.target {
            Some(_) => format!(
                "where `{}` {}: PRIM trajectory",
                data.target.trim_start_matches("met_"),
                if a.when == "fails" { "fails" } else { "is met" }
            ),
            None => format!("where {}: PRIM trajectory", data.target),
        };
        let path = charts.join("tradeoff.png");
        draw::png(&path, |root| discovery::tradeoff(root, &path, &title, &points, chosen))?;
        let boxed: Vec<discovery::Limit> = limits
            .iter()
            .map(|&(j, lo, hi)| {
                let range = data.x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                    (a.min(p[j]), b.max(p[j]))
                });
                discovery::Limit {
                    name: words_of(&data.inputs[j]),
                    range,
                    inside: (lo.unwrap_or(range.0), hi.unwrap_or(range.1)),
                }
            })
            .collect();
        let path = charts.join("box.png");
        let title = format!(
            "the box of step {chosen}: coverage {:.2}, density {:.2}",
            step.coverage, step.density
        );
        draw::png(&path, |root| discovery::limits(root, &path, &title, &boxed))
    })?;
    let described: Vec<(String, String)> = limits
        .iter()
        .map(|&(j, lo, hi)| {
            let key = &data.inputs[j];
            let words = words_of(key);
            let range = match (lo, hi) {
                (Some(l), Some(h)) => format!("between {l:.4} and {h:.4}"),
                (Some(l), None) => format!("at least {l:.4}"),
                (None, Some(h)) => format!("at most {h:.4}"),
                (None, None) => String::new(),
            };
            (key.clone(), format!("{words} {range}"))
        })
        .collect();
    if a.print.text() {
        let cases = y.iter().filter(|v| **v).count();
        summary::say!(
            "{} of {} {} {}; PRIM trajectory of {} steps written to {}",
            cases,
            y.len(),
            data.rows,
            verb,
            steps.len(),
            out.join("discovery.csv").display()
        );
        summary::say!(
            "step {chosen}: coverage {:.2} (share of those {} inside), density {:.2} (share inside that are such {}), mass {:.2}",
            step.coverage,
            data.rows,
            step.density,
            data.rows,
            step.mass
        );
        if described.is_empty() {
            summary::say!(
                "no limit is significant at {}: the draws do not concentrate in a box",
                a.significance
            );
        }
        for (_, d) in &described {
            summary::say!("  {d}");
        }
        if let Some(leaves) = &tree {
            say_cart(leaves, &data.inputs, cases, data.rows, min_leaf, &out);
        }
    }
    a.print.emit(json!({
        "command": "discover",
        "target": data.target,
        "when": a.when,
        "out": out,
        "steps": steps.len(),
        "chosen": chosen,
        "coverage": step.coverage,
        "density": step.density,
        "mass": step.mass,
        "limits": limits.iter().zip(&described).map(|((j, lo, hi), (_, words))| json!({
            "key": data.inputs[*j], "lower": lo, "upper": hi, "description": words,
        })).collect::<Vec<_>>(),
    }));
    Ok(ExitCode::SUCCESS)
}

/// The CART leaves where the cases are densest (above their share of all
/// rows, at most three), each with its limits in words.
fn say_cart(
    leaves: &[discover::cart::Leaf],
    inputs: &[String],
    cases: usize,
    rows: &str,
    min_leaf: usize,
    out: &std::path::Path,
) {
    let total: usize = leaves.iter().map(|l| l.n).sum();
    let base = cases as f64 / total.max(1) as f64;
    summary::say!(
        "CART: {} leaves of at least {min_leaf} {rows} written to {}",
        leaves.len(),
        out.join("cart.csv").display()
    );
    let mut dense: Vec<(usize, &discover::cart::Leaf)> = leaves
        .iter()
        .enumerate()
        .filter(|(_, l)| l.cases as f64 / l.n as f64 > base)
        .collect();
    dense.sort_by(|a, b| {
        let d = |l: &discover::cart::Leaf| l.cases as f64 / l.n as f64;
        d(b.1).total_cmp(&d(a.1)).then(b.1.cases.cmp(&a.1.cases))
    });
    for (i, l) in dense.into_iter().take(3) {
        let limits: Vec<String> = (0..inputs.len())
            .filter_map(|j| {
                let words = migsim::scenario::sections::in_words(&inputs[j], None);
                match (l.lower[j], l.upper[j]) {
                    (Some(lo), Some(hi)) => Some(format!("{words} between {lo:.4} and {hi:.4}")),
                    (Some(lo), None) => Some(format!("{words} above {lo:.4}")),
                    (None, Some(hi)) => Some(format!("{words} at most {hi:.4}")),
                    (None, None) => None,
                }
            })
            .collect();
        summary::say!(
            "  leaf {i}: {} of its {} {rows} are cases (density {:.2}; coverage {:.2}): {}",
            l.cases,
            l.n,
            l.cases as f64 / l.n as f64,
            l.cases as f64 / cases.max(1) as f64,
            limits.join("; ")
        );
    }
}
