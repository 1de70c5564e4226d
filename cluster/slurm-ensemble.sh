#!/bin/bash
# One shard of a Monte Carlo ensemble per Slurm array task.
#   sbatch cluster/slurm-ensemble.sh            # 4 tasks, 10,000 draws
#   sbatch --array=1-16 cluster/slurm-ensemble.sh
# then, when every task has finished:
#   migsim merge output/cluster/shard-* --out output/cluster/merged
# Settings come from the environment (sbatch --export=ALL,DRAWS=...,SEED=...).
#SBATCH --job-name=migsim-ensemble
#SBATCH --array=1-4
#SBATCH --cpus-per-task=2
#SBATCH --time=00:30:00
#SBATCH --output=migsim-%A_%a.log
set -euo pipefail

SCENARIO=${SCENARIO:-scenarios/kyrgyzstan/baseline.toml}
DRAWS=${DRAWS:-10000}
SEED=${SEED:-7}
OUT=${OUT:-output/cluster}
MIGSIM=${MIGSIM:-target/release/migsim}

# Each task runs the draws of its slice only; which draws a slice holds
# depends on the task number and count alone, so a failed task can be rerun.
"$MIGSIM" run "$SCENARIO" --draws "$DRAWS" --seed "$SEED" --quiet \
    --threads "${SLURM_CPUS_PER_TASK:-1}" \
    --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" \
    --out "$OUT/shard-${SLURM_ARRAY_TASK_ID}"
