#!/usr/bin/env bash
# The projection alone, one core, against the numba peer on one thread: the
# comparison ../shared/bench/README.md calls fair, since the peer computes
# four national totals a year and writes nothing, while `peers.sh` times
# migsim end to end (reading, calibration, recording every series, writing).
# Runs ROUNDS rounds, each timing `examples/draw_cost DRAWS` (migsim: the
# mean time to project one draw, its drawing and compiling left out) and
# then the numba peer with NUMBA_NUM_THREADS=1 on DRAWS draws, in turn;
# prints each round, the medians and migsim's speed as a ratio to the peer's.
# Usage: benches/per_core.sh [ROUNDS] [DRAWS]   (defaults 5, 400)
# PEERS=path/to/shared/bench (default ../shared/bench); numba is installed on
# first use into target/peer-venv from PyPI, as by peers.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
draws=${2:-400}
peers=${PEERS:-../shared/bench}
venv=target/peer-venv
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet numpy numba
fi
cargo build --release --quiet --example draw_cost
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$peers"/numba_peer.py "$work"/
py() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE NUMBA_NUM_THREADS=1 "$venv/bin/python" "$@"; }
py "$work/numba_peer.py" 10 27 10 > /dev/null   # compile once
m=(); nb=()
for ((i = 1; i <= rounds; i++)); do
    m+=("$(target/release/examples/draw_cost "$draws" | grep -oP 'project [^)]*mean \K[0-9.]+')")
    nb+=("$(py "$work/numba_peer.py" "$draws" 27 100 | grep -oP '\(\K[0-9.]+(?= ms/draw/thread)')")
    printf 'round %d: migsim projection %.3f ms a draw, numba peer %.3f ms a draw (one thread each)\n' \
        "$i" "${m[-1]}" "${nb[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mm=$(median "${m[@]}"); mn=$(median "${nb[@]}")
printf 'medians of %d rounds: migsim projection %.3f ms, numba peer %.3f ms a draw on one core\n' "$rounds" "$mm" "$mn"
printf 'migsim speed / numba peer speed = %.2f\n' "$(echo "$mn / $mm" | bc -l)"
