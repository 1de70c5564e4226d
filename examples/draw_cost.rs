//! Times the parts of one ensemble draw of the bundled baseline: drawing
//! the inputs, compiling the drawn scenario, projecting it as an ensemble
//! does (the series only: no pyramids, no rows by age). Prints the
//! fastest, the median and the mean of each over the draws; on a shared
//! machine the fastest is the steadier figure for comparing two builds, and
//! the mean the one to set beside a peer's draws per second.
//!
//! `cargo run --release --example draw_cost [DRAWS]`
use std::time::Instant;

// The allocator of the `migsim` binary, so that timings match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let s = migsim::Scenario::bundled_baseline().expect("baseline loads");
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let u = migsim::ensemble::uncertainty_of(&s, 3);
    let p = &s.model.params;
    let mut times: [Vec<f64>; 3] = Default::default();
    for i in 0..n {
        let t0 = Instant::now();
        let (values, shocks) = migsim::scenario::uncertainty::draw(&u, i, p.start_year..p.end_year);
        let t1 = Instant::now();
        let model = migsim::compile_draw(&s, &values, &shocks).expect("draw compiles");
        let t2 = Instant::now();
        std::hint::black_box(migsim::model::project_series(&model).unwrap());
        let t3 = Instant::now();
        for (v, (a, b)) in times.iter_mut().zip([(t0, t1), (t1, t2), (t2, t3)]) {
            v.push((b - a).as_secs_f64() * 1000.0);
        }
    }
    for (name, mut v) in ["draw", "compile", "project"].into_iter().zip(times) {
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        v.sort_by(f64::total_cmp);
        print!("{name} {:.3} ms (median {:.3}, mean {mean:.3})  ", v[0], v[v.len() / 2]);
    }
    println!();
}
