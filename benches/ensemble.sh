#!/usr/bin/env bash
# Times a Monte Carlo ensemble of the Kyrgyz baseline end to end (CSV written,
# charts off) and prints draws per second and peak memory.
# Usage: benches/ensemble.sh [DRAWS] [THREADS]   (defaults: 1000, all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
draws=${1:-1000}
threads=${2:-$(nproc)}
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
/usr/bin/time -v target/release/migsim run scenarios/kyrgyzstan/baseline.toml \
    --draws "$draws" --seed 3 --threads "$threads" --no-charts --quiet --out "$out" 2> "$out/time.txt"
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
rss_kb=$(grep "Maximum resident set size" "$out/time.txt" | awk '{print $NF}')
printf 'draws %d, threads %d: %.2f s, %.0f draws/s, peak memory %.0f MB\n' \
    "$draws" "$threads" "$secs" "$(echo "$draws / $secs" | bc -l)" "$(echo "$rss_kb / 1024" | bc -l)"
