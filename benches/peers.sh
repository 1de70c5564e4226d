#!/usr/bin/env bash
# Ensemble speed against the Python peers of ../shared/bench (its README):
# the vectorised numpy projection and the expert numba kernel. Runs ROUNDS
# rounds, each timing migsim's ensemble of the baseline (DRAWS draws, charts
# off, CSV written), then the numba peer (DRAWS draws), then the numpy peer
# (NUMPY_DRAWS draws), in turn, so that the machine's drifts fall on all
# three alike; prints each run, the medians and the ratios of the medians.
# migsim is timed end to end (process start, reading, calibration, writing);
# each peer by its own report of its projection loop, which leaves out the
# interpreter's start and imports (about a second) and favours the peers.
# Usage: benches/peers.sh [ROUNDS] [DRAWS] [NUMPY_DRAWS]   (defaults 5, 1000, 100)
# PEERS=path/to/shared/bench (default ../shared/bench); the peers need numpy
# and numba, installed on first use into target/peer-venv from PyPI.
# MIGSIM=path/to/migsim times that binary instead of building this checkout's.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
draws=${2:-1000}
numpy_draws=${3:-100}
peers=${PEERS:-../shared/bench}
threads=$(nproc)
venv=target/peer-venv
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet numpy numba
fi
bin=${MIGSIM:-}
if [[ -z "$bin" ]]; then
    cargo build --release --quiet
    bin=target/release/migsim
fi
out=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$out" "$work"' EXIT
# The peers cache their compiled kernel beside themselves; a copy keeps
# shared/ untouched.
cp "$peers"/numba_peer.py "$peers"/numpy_peer.py "$work"/
# OpenBLAS settings for old CPUs slow a current numpy; the peers run without them.
py() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python" "$@"; }
py "$work/numba_peer.py" 10 27 10 > /dev/null   # compile once
now() { date +%s.%N; }
m=(); nb=(); np=()
for ((i = 1; i <= rounds; i++)); do
    rm -rf "$out/run"
    t0=$(now)
    "$bin" run scenarios/kyrgyzstan/baseline.toml --draws "$draws" --seed 3 --threads "$threads" \
        --no-charts --quiet --out "$out/run"
    t1=$(now)
    m+=("$(echo "$draws / ($t1 - $t0)" | bc -l)")
    nb+=("$(py "$work/numba_peer.py" "$draws" 27 100 | grep -oP '= \K[0-9.]+(?= draws/s)')")
    np+=("$(py "$work/numpy_peer.py" "$numpy_draws" 27 100 | grep -oP '= \K[0-9.]+(?= draws/s)')")
    printf 'round %d: migsim %.0f, numba %.0f, numpy %.1f draws/s\n' "$i" "${m[-1]}" "${nb[-1]}" "${np[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mm=$(median "${m[@]}"); mn=$(median "${nb[@]}"); mp=$(median "${np[@]}")
printf 'medians of %d rounds (%d threads): migsim %.0f, numba peer %.0f, numpy peer %.1f draws/s\n' \
    "$rounds" "$threads" "$mm" "$mn" "$mp"
printf 'migsim / numba peer = %.2f, migsim / numpy peer = %.1f\n' \
    "$(echo "$mm / $mn" | bc -l)" "$(echo "$mm / $mp" | bc -l)"
