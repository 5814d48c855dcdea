#!/bin/bash
# Submits a Slurm array and, after it, the merge of its shard folders: prints the two job ids.
#
#   examples/slurm/submit.sh train [-n SHARDS] [EXPERIMENT [PRESET [OUT [DATA_DIR]]]] [-- more sbatch flags]
#   examples/slurm/submit.sh eval  [-n SHARDS] FROM RUN [SEED [EXPERIMENT [PRESET [OUT [DATA_DIR]]]]] [-- more sbatch flags]
#
# train: the training array (train-array.sbatch), each task a share of the (run, seed) units; merged results in
# OUT/merged (OUT defaults to results-slurm). eval: the evaluation array of one finished (run, seed)
# (eval-array.sbatch), each task a slice of its test examples; the merged evaluation lands in
# OUT/merged/<preset>/<experiment>.csv with its metrics.json and examples.csv (OUT defaults to results-slurm-eval).
# SHARDS: -n, else SAT_BENCH_SHARDS, else 4. The other settings and the environment are the .sbatch files'; sbatch
# passes the environment on to both jobs (SAT_BENCH, SAT_BENCH_ARGS, …). The merge runs only when every task
# succeeded (afterok); a failed task leaves it pending with reason DependencyNeverSatisfied: resubmit that task's
# index (sbatch --array=<i> …), then merge.sbatch by hand.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
case "${1:-}" in
  train) array_script=train-array.sbatch out_position=2 default_out=results-slurm ;;
  eval) array_script=eval-array.sbatch out_position=5 default_out=results-slurm-eval ;;
  *) echo "submit.sh: the first argument is train or eval, got '${1:-}'" >&2; exit 2 ;;
esac
kind="$1"; shift
shards="${SAT_BENCH_SHARDS:-4}"
if [ "${1:-}" = -n ]; then shards="$2"; shift 2; fi
args=(); while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
out="${args[$out_position]:-${SAT_BENCH_OUT:-$default_out}}"
mkdir -p "$out"
export SAT_BENCH_SHARDS="$shards"   # the tasks' shard count; sbatch passes the environment on
# --parsable prints "<id>" or "<id>;<cluster>".
array=$(sbatch --parsable --array="1-$shards" --output="$out/$kind-%A_%a.out" "$@" "$here/$array_script" "${args[@]}")
array="${array%%;*}"
merge=$(sbatch --parsable --dependency="afterok:$array" --output="$out/merge-%j.out" "$@" "$here/merge.sbatch" "$out")
merge="${merge%%;*}"
echo "array_job=$array merge_job=$merge shards=$shards merged=$out/merged"
