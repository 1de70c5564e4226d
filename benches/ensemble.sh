#!/usr/bin/env bash
# Times a Monte Carlo ensemble of the Kyrgyz baseline end to end (CSV written,
# charts off), REPEATS times, and prints draws per second and peak memory of
# each run, then the median and the range. On a shared machine one run says
# little: the same binary can run half slower from one minute to the next.
# Usage: benches/ensemble.sh [DRAWS] [THREADS] [REPEATS]   (defaults: 1000, all cores, 5)
# MIGSIM=path/to/migsim times that binary instead of building this checkout's.
set -euo pipefail
cd "$(dirname "$0")/.."
draws=${1:-1000}
threads=${2:-$(nproc)}
repeats=${3:-5}
bin=${MIGSIM:-}
if [[ -z "$bin" ]]; then
    cargo build --release --quiet
    bin=target/release/migsim
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rates=()
for ((i = 1; i <= repeats; i++)); do
    rm -rf "$out/run"
    start=$(date +%s.%N)
    /usr/bin/time -v "$bin" run scenarios/kyrgyzstan/baseline.toml \
        --draws "$draws" --seed 3 --threads "$threads" --no-charts --quiet --out "$out/run" 2> "$out/time.txt"
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc -l)
    rate=$(echo "$draws / $secs" | bc -l)
    rss_kb=$(grep "Maximum resident set size" "$out/time.txt" | awk '{print $NF}')
    printf 'draws %d, threads %d: %.2f s, %.0f draws/s, peak memory %.0f MB\n' \
        "$draws" "$threads" "$secs" "$rate" "$(echo "$rss_kb / 1024" | bc -l)"
    rates+=("$rate")
done
printf '%s\n' "${rates[@]}" | sort -g | awk '
    { v[NR] = $1 }
    END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "median of %d runs: %.0f draws/s (range %.0f-%.0f)\n", NR, m, v[1], v[NR]
    }'
