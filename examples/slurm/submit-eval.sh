#!/bin/bash
# Submits the evaluation array of one finished (run, seed) and, after it, the merge: prints the two job ids.
#
#   examples/slurm/submit-eval.sh [-n SHARDS] FROM RUN [SEED [EXPERIMENT [PRESET [OUT [DATA_DIR]]]]] [-- more sbatch flags]
#
# SHARDS: -n, else SAT_BENCH_SHARDS, else 4. The rest is eval-array.sbatch's; the merged evaluation lands in
# OUT/merged/<preset>/<experiment>.csv (one row: the unit) with its metrics.json and examples.csv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shards="${SAT_BENCH_SHARDS:-4}"
if [ "${1:-}" = -n ]; then shards="$2"; shift 2; fi
args=(); while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
out="${args[5]:-${SAT_BENCH_OUT:-results-slurm-eval}}"
mkdir -p "$out"
export SAT_BENCH_SHARDS="$shards"   # the tasks' shard count; sbatch passes the environment on
array=$(sbatch --parsable --array="1-$shards" --output="$out/eval-%A_%a.out" "$@" "$here/eval-array.sbatch" "${args[@]}")
array="${array%%;*}"
merge=$(sbatch --parsable --dependency="afterok:$array" --output="$out/merge-%j.out" "$@" "$here/merge.sbatch" "$out")
merge="${merge%%;*}"
echo "array_job=$array merge_job=$merge shards=$shards merged=$out/merged"
