#!/usr/bin/env bash
# The Slurm job scripts of examples/slurm/, run on a one-node Slurm started here (run by .ci/run, as root):
#  1. the smoke Table 1 as a 2-task training array plus its dependent merge (submit.sh train): the merged CSV equals
#     an unsharded `run` byte for byte;
#  2. the same again in a fresh folder, with task 1 sent SIGTERM mid-training (`scancel --signal=TERM --batch`, as
#     Slurm does 120 s before a time limit): the job script passes it on, sat-bench checkpoints, the task requeues
#     itself and resumes; the merged CSV is still the same;
#  3. a 2-task evaluation array on one finished unit (submit.sh eval): the merged evaluation equals the unsharded one.
# Installs slurm-wlm and munge with apt-get, writes /etc/munge/munge.key and /etc/slurm/slurm.conf, starts munged,
# slurmctld and slurmd, and stops them (by pid) on exit. Without root or apt-get it skips (exit 0), unless CI=true.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"
started=$(date +%s)

unavailable() {
  echo "slurm test: $1" >&2
  if [ "${CI:-}" = true ]; then echo "slurm test: FAILED (CI=true needs it)" >&2; exit 1; fi
  echo "slurm test: skipped (outside CI)" >&2
  exit 0
}
[ "$(id -u)" = 0 ] || unavailable "needs root to install and start Slurm"
command -v apt-get >/dev/null || unavailable "needs apt-get to install slurm-wlm and munge"
if [ -e /etc/slurm/slurm.conf ] && ! grep -q '^# written by sat-bench scripts/slurm/test-local.sh' /etc/slurm/slurm.conf; then
  unavailable "/etc/slurm/slurm.conf exists: this machine has its own Slurm, which this test leaves alone"
fi
for daemon in munged slurmctld slurmd; do
  if pgrep -x "$daemon" >/dev/null; then unavailable "$daemon is already running: this test starts its own one-node Slurm"; fi
done
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -q && apt-get install -y -q --no-install-recommends slurm-wlm munge; } >/tmp/sat-bench-slurm-apt.log 2>&1 ||
    { tail -n 20 /tmp/sat-bench-slurm-apt.log >&2; unavailable "apt-get install slurm-wlm munge failed"; }
fi

work="$(mktemp -d /tmp/sat-bench-slurm.XXXXXX)"
chmod 755 "$work"
pids=()
jobs_submitted=()
ok=0
cleanup() {
  local status=$?
  set +e
  if [ "${#jobs_submitted[@]}" -gt 0 ] && command -v scancel >/dev/null; then scancel "${jobs_submitted[@]}" 2>/dev/null; sleep 1; fi
  # Stop the daemons this script started, newest first, and wait until each is gone.
  for ((k = ${#pids[@]} - 1; k >= 0; k--)); do
    kill "${pids[k]}" 2>/dev/null
    for _ in $(seq 50); do kill -0 "${pids[k]}" 2>/dev/null || break; sleep 0.2; done
    kill -9 "${pids[k]}" 2>/dev/null
  done
  rm -f /etc/slurm/slurm.conf
  rm -rf /var/spool/slurmctld /var/spool/slurmd
  if [ "$ok" = 1 ]; then rm -rf "$work" /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log /var/log/slurm/jobcomp.log; else echo "slurm test: kept $work (job logs, results, daemon logs)" >&2; fi
  exit "$status"
}
trap cleanup EXIT

# --- a one-node Slurm ----------------------------------------------------------------------------------------------
host="$(hostname -s)"
install -d -o munge -g munge -m 755 /run/munge
install -d -o munge -g munge -m 700 /var/lib/munge /var/log/munge
dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key
setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground >"$work/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.2; done
munge -n | unmunge >/dev/null || { cat "$work/munged.log" >&2; exit 1; }

rm -rf /var/spool/slurmctld /var/spool/slurmd
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
: >/var/log/slurm/jobcomp.log
# No sacct: Slurm 22.05 keeps accounting only in slurmdbd (a database server), so the job completion log
# (jobcomp/filetxt) and `scontrol show job` say how each job ended.
# Addresses given, so that nothing depends on the host name resolving (some CI containers do not).
cat >/etc/slurm/slurm.conf <<EOF
# written by sat-bench scripts/slurm/test-local.sh (removed when it exits)
ClusterName=satbench
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/var/spool/slurmctld/slurmctld.pid
SlurmdPidFile=/var/spool/slurmd/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
JobAcctGatherType=jobacct_gather/linux
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
ReturnToService=2
MinJobAge=3600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=8000 State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D >"$work/slurmctld.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.2; done
slurmd -D >"$work/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do sinfo -h -o %T 2>/dev/null | grep -qx idle && break; sleep 0.2; done
sinfo -h -o %T | grep -qx idle || { tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2; echo "slurm test: the node never became idle" >&2; exit 1; }
echo "slurm test: $(sinfo --version), $(munged --version 2>&1 | head -n 1): one node ($host, $(nproc) CPUs) up after $(($(date +%s) - started)) s"

# --- helpers -------------------------------------------------------------------------------------------------------
export SAT_BENCH="node $repo/bin/sat-bench.js"
cd "$work"
fail() { echo "slurm test: FAILED: $*" >&2; exit 1; }
state_of() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' ' | tr '\n' ' '; }
# Waits (at most $2 s) until none of the jobs $1 (comma-separated) is pending or running; fails on a stuck dependency.
wait_jobs() {
  local deadline=$(($(date +%s) + $2))
  while [ -n "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]; do
    if squeue -h -j "$1" -o %r | grep -q DependencyNeverSatisfied; then fail "jobs $1: a dependency failed ($(state_of "${1%%,*}"))"; fi
    [ "$(date +%s)" -lt "$deadline" ] || fail "jobs $1 still queued after $2 s: $(squeue -h -j "$1" -o '%i %T %r' | tr '\n' ';')"
    sleep 2
  done
}
# Each job of $@ (array tasks included) ended COMPLETED with exit 0.
expect_completed() {
  local job
  for job in "$@"; do
    if scontrol show job "$job" | grep -oE '(JobState|ExitCode)=[^ ]+' | grep -vxE 'JobState=COMPLETED|ExitCode=0:0' | grep -q .; then
      scontrol show job "$job" >&2
      fail "job $job did not complete with exit 0"
    fi
  done
}
submit() { # submit.sh's output line → array_job merge_job
  local line
  line="$("$@")"
  echo "  $line"
  eval "$line"
  jobs_submitted+=("$array_job" "$merge_job")
}

# --- the unsharded reference ---------------------------------------------------------------------------------------
# A plain `run table1 --preset smoke`: SAT_BENCH_REFERENCE names a folder holding one already (.ci/run's smoke step).
export SAT_BENCH_ARGS=--no-estimate   # for the array tasks: the estimate's warm-up only costs time here
t0=$(date +%s)
reference="${SAT_BENCH_REFERENCE:-$work/reference}"
if [ -z "${SAT_BENCH_REFERENCE:-}" ]; then
  node "$repo/bin/sat-bench.js" run table1 --preset smoke --out "$reference" >"$work/reference.log" 2>&1 ||
    { tail -n 20 "$work/reference.log" >&2; fail "the unsharded reference run"; }
  echo "slurm test: unsharded reference (smoke Table 1, 4 units) in $(($(date +%s) - t0)) s"
fi
test -s "$reference/smoke/table1.csv" || fail "no unsharded reference at $reference/smoke/table1.csv"
echo "slurm test: unsharded reference: $reference/smoke/table1.csv"

# --- 1. training array of 2 tasks + dependent merge ----------------------------------------------------------------
t0=$(date +%s)
echo "slurm test: 1. training array (2 tasks) + merge"
submit "$repo/examples/slurm/submit.sh" train -n 2 table1 smoke "$work/array"
train1="$array_job" merge1="$merge_job"
wait_jobs "$train1,$merge1" 900
expect_completed "$train1" "$merge1"
cmp "$reference/smoke/table1.csv" "$work/array/merged/smoke/table1.csv" || fail "merged CSV differs from the unsharded one"
test -s "$work/array/merged/smoke/index.html" || fail "no HTML report in the merged folder"
echo "slurm test: 1. merged CSV = unsharded CSV (cmp), index.html written, in $(($(date +%s) - t0)) s"

# --- 2. SIGTERM mid-training, requeue, resume -----------------------------------------------------------------------
t0=$(date +%s)
echo "slurm test: 2. the same array in a fresh folder; task 1 gets SIGTERM mid-training"
# Task 2's units are already finished there (a copy of run 1's shard 2), so only task 1 trains again.
mkdir -p "$work/requeue"
cp -r "$work/array/shard-2" "$work/requeue/shard-2"
submit "$repo/examples/slurm/submit.sh" train -n 2 table1 smoke "$work/requeue"
train2="$array_job" merge2="$merge_job"
# Wait for task 1's first checkpoint (end of its first epoch), then signal its batch shell alone.
deadline=$(($(date +%s) + 600))
until compgen -G "$work/requeue/shard-1/smoke/table1/*/seed-0/checkpoint/index.json" >/dev/null; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "task 1 wrote no checkpoint in 600 s"
  sleep 1
done
scancel --signal=TERM --batch "${train2}_1"
echo "  sent SIGTERM to ${train2}_1's batch shell after its first checkpoint"
# Slurm makes a requeued batch job eligible only about 2 minutes later; once it is back in the queue, start it now.
deadline=$(($(date +%s) + 300))
until scontrol show job "${train2}_1" | grep -q 'Restarts=1'; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "${train2}_1 was not requeued within 300 s of SIGTERM"
  sleep 1
done
if scontrol show job "${train2}_1" | grep -q 'JobState=PENDING'; then scontrol update JobId="${train2}_1" StartTime=now; fi
wait_jobs "$train2,$merge2" 900
expect_completed "$train2" "$merge2"
log="$work/requeue/train-${train2}_1.out"
grep -q 'SIGTERM: passing it to sat-bench' "$log" || fail "the job script did not pass SIGTERM on ($log)"
grep -q 'checkpoint saved; requeueing' "$log" || fail "sat-bench did not stop with exit 143 after its checkpoint ($log)"
grep -q 'restart 1:' "$log" || fail "task 1 was not requeued ($log)"
grep -q 'resuming from its checkpoint' "$log" || fail "the requeued task did not resume from the checkpoint ($log)"
scontrol show job "${train2}_1" | grep -q 'Restarts=1' || fail "Slurm counts no restart of ${train2}_1"
grep -E 'SIGTERM|requeueing|restart 1|resuming' "$log" | sed 's/^/  | /'
cmp "$reference/smoke/table1.csv" "$work/requeue/merged/smoke/table1.csv" || fail "after the requeue the merged CSV differs from the unsharded one"
echo "slurm test: 2. interrupted, requeued, resumed: merged CSV = unsharded CSV (cmp), in $(($(date +%s) - t0)) s"

# --- 3. evaluation array of 2 tasks on a finished unit + merge ------------------------------------------------------
t0=$(date +%s)
echo "slurm test: 3. evaluation array (2 tasks) of relu-relu seed 0 + merge"
submit "$repo/examples/slurm/submit.sh" eval -n 2 "$work/array/merged" relu-relu 0 table1 smoke "$work/eval"
eval1="$array_job" merge3="$merge_job"
wait_jobs "$eval1,$merge3" 900
expect_completed "$eval1" "$merge3"
grep -q 'training finished' "$work/eval/eval-${eval1}_1.out" || fail "the eval task did not start from the finished checkpoint"
if grep -q 'epoch 1/' "$work/eval/eval-${eval1}_"*.out; then fail "an eval task trained again"; fi
# The unsharded evaluation of the same unit: its folder from the reference, alone, with its CSV rebuilt by `report`.
unit=smoke/table1/relu-relu/seed-0
mkdir -p "$work/alone/$(dirname "$unit")"
cp -r "$reference/$unit" "$work/alone/$unit"
node "$repo/bin/sat-bench.js" report table1 --preset smoke --out "$work/alone" >/dev/null
cmp "$work/alone/smoke/table1.csv" "$work/eval/merged/smoke/table1.csv" || fail "the merged evaluation's CSV differs from the unsharded one"
cmp "$reference/$unit/examples.csv" "$work/eval/merged/$unit/examples.csv" || fail "the merged per-example outcomes differ from the unsharded ones"
# metrics.json: every field but the measured times (the evaluation summary, its sanity checks included).
node -e '
  const fs = require("fs");
  const [a, b] = process.argv.slice(1).map((file) => JSON.parse(fs.readFileSync(file, "utf8")));
  const timed = ["trainSeconds", "trainImagesPerSecond", "evalSeconds"];
  const differ = Object.keys({ ...a, ...b }).filter((k) => !timed.includes(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  if (differ.length > 0) { console.error("metrics.json differs in " + differ.join(", ")); process.exit(1); }
' "$reference/$unit/metrics.json" "$work/eval/merged/$unit/metrics.json" || fail "the merged metrics.json differs from the unsharded one"
echo "slurm test: 3. merged evaluation = unsharded (CSV and examples.csv by cmp; metrics.json but its times), in $(($(date +%s) - t0)) s"

# --- what Slurm recorded ---------------------------------------------------------------------------------------------
echo "slurm test: sacct: $(sacct 2>&1 | head -n 1) (no slurmdbd here); the job completion log instead:"
awk '{ delete f; for (i = 1; i <= NF; i++) { k = index($i, "="); if (k) f[substr($i, 1, k - 1)] = substr($i, k + 1) }
       task = f["ArrayJobId"] != "" ? f["ArrayJobId"] "_" f["ArrayTaskId"] : f["JobId"]
       printf "  job %-3s %-4s %-16s %-10s exit %-4s %s -> %s\n", f["JobId"], task, f["Name"], f["JobState"], f["ExitCode"], f["StartTime"], f["EndTime"] }' /var/log/slurm/jobcomp.log
ok=1
echo "slurm test: passed in $(($(date +%s) - started)) s (wall time, apt-get excluded when Slurm was installed already)"
