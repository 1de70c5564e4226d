//! Times the parts of one ensemble draw of the bundled baseline.
use std::time::Instant;
fn main() {
    let s = migsim::Scenario::bundled_baseline().expect("baseline loads");
    let u = migsim::ensemble::uncertainty_of(&s, 3);
    let p = &s.model.params;
    let n = 200;
    let (mut t_draw, mut t_compile, mut t_project) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let t0 = Instant::now();
        let (values, shocks) = migsim::scenario::uncertainty::draw(&u, i, p.start_year..p.end_year);
        let t1 = Instant::now();
        let model = migsim::compile_draw(&s, &values, &shocks).unwrap();
        let t2 = Instant::now();
        let run = migsim::model::project(&model);
        let t3 = Instant::now();
        std::hint::black_box(run);
        t_draw += (t1 - t0).as_secs_f64();
        t_compile += (t2 - t1).as_secs_f64();
        t_project += (t3 - t2).as_secs_f64();
    }
    let ms = |t: f64| t * 1000.0 / n as f64;
    println!(
        "draw {:.3} ms, compile {:.3} ms, project {:.3} ms",
        ms(t_draw),
        ms(t_compile),
        ms(t_project)
    );
}
