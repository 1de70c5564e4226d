//! Runs the bundled baseline projection many times, for profilers
//! (`perf record`, `valgrind --tool=callgrind`).

// The allocator of the `migsim` binary, so that timings match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let s = migsim::Scenario::bundled_baseline().expect("baseline loads");
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let mut total = 0.0;
    for _ in 0..n {
        let run = migsim::model::project(&s.model).unwrap();
        total += run.rows.len() as f64;
    }
    println!("{n} projections, {total} rows");
}
