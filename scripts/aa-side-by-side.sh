#!/usr/bin/env bash
# `sat-bench eval SEED_FOLDER --attack autoattack --examples N` beside the official AutoAttack (aa_bench.py, PyTorch)
# on the same cores, weights and first N MNIST test images; prints one markdown row: whole-command wall time of each,
# their ratio, robust accuracy of each, and the examples one broke and the other left standing (aa_bench.py's
# --examples-csv comparison).
#
#   scripts/aa-side-by-side.sh SEED_FOLDER [N]        # N: attacked examples, default 100
#
# Environment (defaults in brackets):
#   SAT_BENCH_AA_BENCH   the official side's script                       [<repo>/../shared/bench/aa_bench.py]
#   SAT_BENCH_DATA       the folder with the four MNIST .gz files          [<repo>/../shared/data/mnist]
#   SAT_BENCH_AA_CORES   the cores both sides run on (taskset -c)          [0]
#   SAT_BENCH_AA_THREADS PyTorch threads (match the cores)                 [1]
#   SAT_BENCH_AA_OUT     where sat-bench writes (never the seed folder)    [a fresh mktemp -d]
#   SAT_BENCH_PYTHON     a Python with torch                               [/usr/bin/python3]
#   SAT_BENCH_AA_SEED    the official AutoAttack's seed                    [0]
# The two sides run one after the other, sat-bench first (the official side reads its examples.csv). Timings on a
# shared machine are noisy: run the script twice and compare adjacent rows.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "aa-side-by-side.sh: expected SEED_FOLDER [N], got $# arguments. Example: scripts/aa-side-by-side.sh results/mnist-single-step/table1/relu-relu/seed-0 100" >&2
  exit 2
fi
SEED_FOLDER="$1"
N="${2:-100}"
AA_BENCH="${SAT_BENCH_AA_BENCH:-$ROOT/../shared/bench/aa_bench.py}"
DATA="${SAT_BENCH_DATA:-$ROOT/../shared/data/mnist}"
CORES="${SAT_BENCH_AA_CORES:-0}"
THREADS="${SAT_BENCH_AA_THREADS:-1}"
OUT="${SAT_BENCH_AA_OUT:-$(mktemp -d)}"
PYTHON="${SAT_BENCH_PYTHON:-/usr/bin/python3}"
AA_SEED="${SAT_BENCH_AA_SEED:-0}"

[[ -f "$SEED_FOLDER/metrics.json" ]] || { echo "aa-side-by-side.sh: $SEED_FOLDER is not a finished seed folder, got no metrics.json. Point at <out>/<preset>/<experiment>/<run>/seed-<k> after its evaluation." >&2; exit 2; }
[[ -f "$AA_BENCH" ]] || { echo "aa-side-by-side.sh: the official side's script is missing, got no $AA_BENCH. Set SAT_BENCH_AA_BENCH to aa_bench.py." >&2; exit 2; }
[[ -f "$ROOT/dist/src/cli/main.js" ]] || { echo "aa-side-by-side.sh: sat-bench is not built, got no dist/src/cli/main.js. Run npm run build first." >&2; exit 2; }

now() { date +%s.%N; }
mkdir -p "$OUT"
start=$(now)
taskset -c "$CORES" node "$ROOT/bin/sat-bench.js" eval "$SEED_FOLDER" --attack autoattack --examples "$N" \
  --data-dir "$DATA" --out "$OUT/sat-bench" --json > "$OUT/sat-bench.json" 2> "$OUT/sat-bench.log"
sat_seconds=$(echo "$(now) - $start" | bc)
start=$(now)
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE taskset -c "$CORES" "$PYTHON" "$AA_BENCH" "$SEED_FOLDER" --n "$N" \
  --threads "$THREADS" --data "$DATA" --seed "$AA_SEED" --examples-csv "$OUT/sat-bench/examples.csv" --json \
  > "$OUT/official.json" 2> "$OUT/official.log"
official_seconds=$(echo "$(now) - $start" | bc)

node -e '
const [file, sat, official, n, cores, out] = process.argv.slice(1);
const o = JSON.parse(require("fs").readFileSync(file, "utf8"));
const ids = (list) => (list.length ? list.join(" ") : "none");
console.log("| run | N | cores | sat-bench s | official s (attacks only) | official / sat-bench | robust % sat-bench | robust % official | broken by official only | broken by sat-bench only |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
console.log(`| ${o.run} seed ${o.seed} | ${n} | ${cores} | ${(+sat).toFixed(1)} | ${(+official).toFixed(1)} (${o.autoattack_seconds}) | ${(official / sat).toFixed(2)} | ${o.sat_robust} | ${o.autoattack} | ${ids(o.official_breaks_sat_missed)} | ${ids(o.sat_breaks_official_missed)} |`);
console.error(`logs and outputs: ${out}`);
' "$OUT/official.json" "$sat_seconds" "$official_seconds" "$N" "$CORES" "$OUT"
