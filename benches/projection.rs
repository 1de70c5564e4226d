//! One step and one full projection, on the tiny test fixture and on the
//! bundled Kyrgyz baseline (9 regions × 5 destinations, 2023–2050).
//! Run with `cargo bench --bench projection`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use migsim::model::{Census, Workspace, advance};
use std::hint::black_box;

// The allocator of the `migsim` binary, so that timings match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn models() -> Vec<(&'static str, migsim::Model)> {
    let tiny = migsim::scenario::load_file(std::path::Path::new("tests/fixtures/tiny.toml")).expect("fixture loads");
    let baseline = migsim::scenario::load_bundled_baseline().expect("baseline loads");
    vec![
        ("tiny", migsim::compile(tiny).expect("fixture compiles").0),
        (
            "kyrgyzstan-baseline",
            migsim::compile(baseline).expect("baseline compiles").0,
        ),
    ]
}

fn bench(c: &mut Criterion) {
    let models = models();
    let mut step = c.benchmark_group("step");
    for (name, model) in &models {
        // One year as a projection runs it: in place, with the census of
        // the state already gathered and the buffers already made; the copy
        // of the starting state each iteration needs is not timed.
        let state = model.initial_state();
        let census = Census::of(model, &state);
        let mut work = Workspace::for_state(&state);
        step.bench_function(*name, |b| {
            b.iter_batched(
                || state.clone(),
                |mut s| advance(black_box(model), 0, &mut s, &census, &mut work),
                BatchSize::LargeInput,
            )
        });
    }
    step.finish();
    let mut projection = c.benchmark_group("projection");
    for (name, model) in &models {
        projection.bench_function(*name, |b| b.iter(|| migsim::model::project(black_box(model)).unwrap()));
    }
    projection.finish();
}

criterion_group!(benches, bench, bench_charts);
criterion_main!(benches);

/// Every chart of one run of the baseline, drawn into a temporary folder: to
/// set beside the cost of the run itself.
fn bench_charts(c: &mut Criterion) {
    let baseline = migsim::Scenario::bundled_baseline().expect("baseline loads");
    let (run, targets) = baseline.project().expect("baseline projects");
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut group = c.benchmark_group("charts");
    group.sample_size(10);
    group.bench_function("all run charts, kyrgyzstan-baseline", |b| {
        b.iter(|| {
            let jobs = migsim::output::charts::run::jobs(&baseline.model.params, &run, &targets, &[]);
            migsim::output::charts::draw_all(dir.path(), jobs).expect("charts draw")
        })
    });
    group.finish();
}
