#!/usr/bin/env python3
"""What a unit of each lever does at the Kyrgyz baseline.

Runs `migsim sweep` on levers.toml (every lever in place at zero size) once
per reading, from the neutral size to a reference size, and writes the table
between the markers of docs/LEVERS.md; with --check, fails if the file holds
another table (CI runs it so). Standard library only; needs the built binary
(target/release/migsim) or MIGSIM pointing at one.
"""
import csv, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MIGSIM = os.environ.get("MIGSIM", os.path.join(ROOT, "target", "release", "migsim"))

# (dotted key, neutral value, reference value, how the change reads, outcomes)
READINGS = [
    ("policies.diversification.destinations.kazakhstan.access", 0, 1, "access to Kazakhstan +1 utility",
     ["emigrants[destination=kazakhstan]@2030", "emigrants@2030", "population_abroad@2040"]),
    ("policies.diversification.destinations.russia.access", 0, -1, "access to Russia -1 utility",
     ["emigrants[destination=russia]@2030", "emigrants@2030", "remittances_usd@2030"]),
    ("policies.domestic_jobs.jobs_per_year", 0, 10000, "10,000 jobs a year at home",
     ["emigrants@2030", "unemployment_rate@2030", "population_abroad@2040"]),
    ("policies.regional_development.emigration_reduction", 0, 0.1, "emigration of the five southern and mountain regions cut by 10%",
     ["emigrants@2030", "population_abroad@2040"]),
    ("policies.brain_drain_retention.emigration_reduction", 0, 0.1, "emigration of the highly educated cut by 10%",
     ["emigrants[education=high]@2030", "tertiary_emigration_rate@2040"]),
    ("policies.return_reintegration.return_multiplier", 1, 1.2, "return hazard of temporary migrants x1.2",
     ["returns@2030", "population_abroad@2040"]),
    ("policies.pre_departure_training.coverage", 0, 0.3, "30% of migrants trained (10% higher earnings)",
     ["remittances_usd@2030"]),
    ("policies.remittance_cost.cost_reduction", 0, 0.3, "transfer costs cut by 30%",
     ["remittances_usd@2030"]),
    ("policies.diaspora_engagement.settled_remittance_increase", 0, 0.3, "settled migrants send 30% more",
     ["remittances_usd@2030"]),
]


def fmt(v, share, money):
    if share:
        return f"{100 * v:.2f}%"
    if money:
        return f"USD {v / 1e6:,.0f} m"
    return f"{v:,.0f}"


def reading(key, lo, hi, outcomes, work):
    out = os.path.join(work, key.replace(".", "_"))
    cmd = [MIGSIM, "sweep", os.path.join(HERE, "levers.toml"), "--set", f"{key}={lo}:{hi}:2",
           "--quiet", "--out", out]
    for o in outcomes:
        cmd += ["--outcome", o]
    subprocess.run(cmd, check=True)
    with open(os.path.join(out, "sweep.csv"), newline="") as f:
        rows = list(csv.reader(f))
    return [(float(rows[1][2 + i]), float(rows[2][2 + i])) for i in range(len(outcomes))]


def table():
    lines = ["| lever key | change | outcome | without | with | difference |",
             "|---|---|---|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as work:
        for key, lo, hi, words, outcomes in READINGS:
            for o, (a, b) in zip(outcomes, reading(key, lo, hi, outcomes, work)):
                share = o.startswith(("unemployment_rate", "tertiary_emigration_rate"))
                money = o.startswith("remittances_usd")
                if share:
                    diff = f"{100 * (b - a):+.2f} points"
                else:
                    change = f"{(b - a) / 1e6:+,.0f} m" if money else f"{b - a:+,.0f}"
                    diff = f"{change} ({100 * (b / a - 1):+.1f}%)"
                lines.append(f"| `{key}` | {words} | `{o}` | {fmt(a, share, money)} | {fmt(b, share, money)} | {diff} |")
    return "\n".join(lines) + "\n"


def main():
    path = os.path.join(ROOT, "docs", "LEVERS.md")
    text = open(path).read()
    start, end = "<!-- readings:start -->\n", "<!-- readings:end -->"
    a, b = text.index(start) + len(start), text.index(end)
    new = text[:a] + table() + text[b:]
    if "--check" in sys.argv[1:]:
        if new != text:
            sys.exit("docs/LEVERS.md differs from what docs/readings/levers.py computes: run it and commit")
        print("docs/LEVERS.md: every lever reading is what the model computes")
    else:
        open(path, "w").write(new)


if __name__ == "__main__":
    main()
