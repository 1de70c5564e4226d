#!/bin/bash
# The README's GNU parallel route: one shard per job on this machine (or on
# several, with parallel's --sshlogin), then one merge. Run from the repo.
# DRAWS, SEED, SHARDS and OUT may be set in the environment; .ci/run runs this
# with a small DRAWS and checks the merge against a one-machine run.
set -euo pipefail
DRAWS=${DRAWS:-10000} SEED=${SEED:-7} SHARDS=${SHARDS:-4} OUT=${OUT:-output/parallel}
PATH="$PWD/target/release:$PATH"
export DRAWS SEED SHARDS OUT

seq 1 "$SHARDS" | parallel --will-cite 'migsim run scenarios/kyrgyzstan/baseline.toml --draws $DRAWS --seed $SEED --quiet --threads 1 --shard {}/$SHARDS --out $OUT/shard-{}' && migsim merge "$OUT"/shard-* --out "$OUT/merged" --quiet
