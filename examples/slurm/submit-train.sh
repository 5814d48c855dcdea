#!/bin/bash
# Submits the training array and, after it, the merge: prints the two job ids.
#
#   examples/slurm/submit-train.sh [-n SHARDS] [EXPERIMENT [PRESET [OUT [DATA_DIR]]]] [-- more sbatch flags]
#
# SHARDS: -n, else SAT_BENCH_SHARDS, else 4. The other settings and the environment are train-array.sbatch's; sbatch
# passes the environment on to both jobs (SAT_BENCH, SAT_BENCH_ARGS, …). The merge runs only when every task
# succeeded (afterok); a failed task leaves it pending with reason DependencyNeverSatisfied: resubmit that task's
# index (sbatch --array=<i> …), then merge.sbatch by hand.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shards="${SAT_BENCH_SHARDS:-4}"
if [ "${1:-}" = -n ]; then shards="$2"; shift 2; fi
args=(); while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
out="${args[2]:-${SAT_BENCH_OUT:-results-slurm}}"
mkdir -p "$out"
export SAT_BENCH_SHARDS="$shards"   # the tasks' shard count; sbatch passes the environment on
# --parsable prints "<id>" or "<id>;<cluster>".
array=$(sbatch --parsable --array="1-$shards" --output="$out/train-%A_%a.out" "$@" "$here/train-array.sbatch" "${args[@]}")
array="${array%%;*}"
merge=$(sbatch --parsable --dependency="afterok:$array" --output="$out/merge-%j.out" "$@" "$here/merge.sbatch" "$out")
merge="${merge%%;*}"
echo "array_job=$array merge_job=$merge shards=$shards merged=$out/merged"
