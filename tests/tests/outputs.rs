//! Output folders hold one whole generation: a new run replaces the previous
//! outputs together, removes what it no longer writes, touches no file it did
//! not write, and a kill at any moment leaves the old or the new outputs whole.

use super::{migsim, repo, tree as snapshot};
use std::path::Path;
use std::time::Duration;

fn names(dir: &Path) -> Vec<String> {
    snapshot(dir)
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

fn run(args: &[&str], out: &Path) -> std::process::Output {
    migsim()
        .arg("run")
        .args(args)
        .arg("--quiet")
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn a_rerun_removes_the_outputs_it_no_longer_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let first = run(&["--draws", "4", "--keep-draws"], &out);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(out.join("draws.csv").exists() && out.join("charts/fan_population_abroad.png").exists());
    let second = run(&["--no-charts"], &out);
    assert!(second.status.success());
    assert_eq!(
        names(&out),
        [
            ".migsim-outputs",
            "manifest.json",
            "report.html",
            "report.md",
            "results.xlsx",
            "series.csv",
            "targets.csv"
        ],
        "the ensemble's draws and every chart of the first run are gone"
    );
    assert!(!out.join("charts").exists());
}

#[test]
fn out_pointing_at_a_folder_of_the_users_files_deletes_none_of_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mine");
    std::fs::create_dir_all(out.join("charts")).unwrap();
    let own = [
        ("notes.txt", "my notes"),
        ("draws.csv", "my own table that happens to share a name"),
        ("charts/logo.png", "not a png"),
    ];
    for (f, text) in own {
        std::fs::write(out.join(f), text).unwrap();
    }
    for args in [&["--draws", "3", "--keep-draws"][..], &["--no-charts"][..]] {
        let o = run(args, &out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let files = snapshot(&out);
    // draws.csv was overwritten by the first run (the user asked for that
    // file by name), and is then the user's no longer; every other file of
    // theirs is as it was.
    assert_eq!(files[Path::new("notes.txt")], b"my notes");
    assert_eq!(files[Path::new("charts/logo.png")], b"not a png");
    assert!(files.contains_key(Path::new("series.csv")));
    assert!(
        !files.contains_key(Path::new("charts/flows.png")),
        "the first run's charts are removed"
    );
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_old_or_the_new_outputs_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let tiny = repo().join("tests/fixtures/tiny.toml");
    let baseline = repo().join("scenarios/kyrgyzstan/baseline.toml");
    let args = |s: &Path| vec![s.to_str().unwrap().to_string()];
    // The two complete generations a kill may leave.
    let mut whole = Vec::new();
    for s in [&baseline, &tiny] {
        let o = run(&args(s).iter().map(String::as_str).collect::<Vec<_>>(), &out);
        assert!(o.status.success());
        whole.push(snapshot(&out));
    }
    assert_ne!(whole[0], whole[1]);
    let mut seen = [0usize; 2];
    for i in 0..60u64 {
        let s = if i % 2 == 0 { &baseline } else { &tiny };
        let mut child = migsim()
            .arg("run")
            .arg(s)
            .arg("--quiet")
            .arg("--out")
            .arg(&out)
            .spawn()
            .unwrap();
        // Spread the kills over a run's whole life (about 20-80 ms).
        std::thread::sleep(Duration::from_micros((i * 1_373) % 90_000));
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&out);
        let which = whole.iter().position(|w| *w == now);
        let Some(which) = which else {
            panic!(
                "after kill {i} the folder holds a mix: {:?}",
                now.keys().collect::<Vec<_>>()
            );
        };
        seen[which] += 1;
    }
    // A last run cleans up the staging folders of the killed ones.
    assert!(run(&[tiny.to_str().unwrap()], &out).status.success());
    let siblings: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(siblings, ["out"]);
    // How often each generation was found depends on the machine's speed.
    eprintln!(
        "after 60 kills: baseline's outputs {} times, tiny's {} times",
        seen[0], seen[1]
    );
}

/// Copies the scenario pack into a fresh folder.
fn pack_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for sub in ["kyrgyzstan", "data"] {
        let to = tmp.path().join("scenarios").join(sub);
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(repo().join("scenarios").join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    tmp
}

#[test]
fn a_run_writes_the_same_bytes_from_any_working_folder() {
    let pack = pack_copy();
    let scenario = "scenarios/kyrgyzstan/concept-2040-draft.toml";
    let elsewhere = tempfile::tempdir().unwrap();
    let outs = [pack.path().join("out-a"), pack.path().join("out-b")];
    // Once by a path relative to the pack, once by an absolute path from
    // another folder.
    let runs = [
        (pack.path().to_path_buf(), std::path::PathBuf::from(scenario)),
        (elsewhere.path().to_path_buf(), pack.path().join(scenario)),
    ];
    for ((cwd, file), out) in runs.iter().zip(&outs) {
        let o = migsim()
            .current_dir(cwd)
            .arg("run")
            .arg(file)
            .args(["--draws", "3", "--keep-draws", "--quiet", "--out"])
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let (a, b) = (snapshot(&outs[0]), snapshot(&outs[1]));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(
            *bytes == b[name],
            "{} differs between the two working folders",
            name.display()
        );
    }
    let manifest = String::from_utf8(a[Path::new("manifest.json")].clone()).unwrap();
    assert!(manifest.contains("\"path\": \"../data/home_2023.csv\""), "{manifest}");
    assert!(!manifest.contains(&pack.path().display().to_string()));
}

/// report.html says what report.md says, embeds every chart the run drew
/// and refers to nothing outside itself.
#[test]
fn the_html_report_embeds_every_chart_and_matches_the_markdown() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run(&["--draws", "4"], &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let charts = std::fs::read_dir(out.join("charts")).unwrap().count();
    assert!(charts >= 8, "{charts} charts");
    assert_eq!(
        html.matches("<img src=\"data:image/png;base64,iVBORw0KGgo").count(),
        charts
    );
    assert!(!html.contains("http:") && !html.contains("https:") && !html.contains("src=\"charts/"));
    for heading in md.lines().filter_map(|l| l.strip_prefix("## ")) {
        assert!(html.contains(&format!("<h2>{heading}</h2>")), "{heading}");
    }
    for needle in [
        "Median of 4 draws",
        "The central run",
        "Data sources",
        "Inputs",
        "Summary",
    ] {
        assert!(md.contains(needle) && html.contains(needle), "{needle}");
    }
}
