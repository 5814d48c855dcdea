#!/usr/bin/env bash
# On the GPU machine (no Node.js, no network): unpacks .gpu-bundle (built by scripts/gpu-bundle.sh) and runs,
# on WebGPU, `doctor`, the backend test files, `bench`, and a short --preset cifar10 slice. Each step runs even
# if an earlier one failed; the exit status is 2 if any failed. Results and logs go to $SAT_BENCH_GPU_OUT.
#
#   scripts/gpu-run.sh                         # all four steps
#   scripts/gpu-run.sh doctor tests            # only those steps (doctor, tests, bench, slice)
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
if [[ -f "$HERE/node.xz" ]]; then BUNDLE="$HERE"; else BUNDLE="${SAT_BENCH_BUNDLE:-$HERE/../.gpu-bundle}"; fi
RUN="${SAT_BENCH_GPU_RUN:-${TMPDIR:-/tmp}/sat-bench-gpu}"
OUT="${SAT_BENCH_GPU_OUT:-${OUT:-$RUN/out}}"
SLICE="${SAT_BENCH_GPU_SLICE:-run table1 --preset cifar10 --max-steps 20}"
STEPS=("$@"); [[ ${#STEPS[@]} -gt 0 ]] || STEPS=(doctor tests bench slice)

[[ -f "$BUNDLE/node.xz" ]] || { echo "gpu-run.sh: no bundle, got no $BUNDLE/node.xz. Run scripts/gpu-bundle.sh first and carry .gpu-bundle." >&2; exit 2; }

# xz is in most images; Python's lzma is the fallback.
unxz_to() {
  if command -v xz > /dev/null; then xz -dc "$1" > "$2"; else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}
untar_xz() {
  if command -v xz > /dev/null; then tar -C "$2" -xJf "$1"; else python3 -c 'import tarfile,sys; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; fi
}

mkdir -p "$RUN/app" "$RUN/libs" "$RUN/lib-extra" "$OUT"
untar_xz "$BUNDLE/app.tar.xz" "$RUN"
unxz_to "$BUNDLE/node.xz" "$RUN/node" && chmod +x "$RUN/node"
unxz_to "$BUNDLE/dawn.node.xz" "$RUN/app/dawn.node"   # webgpu.ts looks next to bundle.mjs
untar_xz "$BUNDLE/libs.tar.xz" "$RUN/libs"
if [[ -f "$BUNDLE/cifar10.tar.xz" ]]; then mkdir -p "$RUN/data" && untar_xz "$BUNDLE/cifar10.tar.xz" "$RUN/data"; fi

# Shipped libraries only fill gaps: one the system already has (maybe newer, matching its glibc) is not shadowed.
SYSTEM_LIBS="$( (ldconfig -p || /sbin/ldconfig -p) 2> /dev/null)"
for lib in "$RUN"/libs/{usr/,}lib/x86_64-linux-gnu/*.so.*; do
  [[ -e "$lib" ]] || continue
  soname="$(basename "$lib")"
  grep -q " $soname " <<< "$SYSTEM_LIBS" || ln -sf "$lib" "$RUN/lib-extra/$soname"
done
echo "gpu-run: shipped libraries used: $(ls "$RUN/lib-extra" | tr '\n' ' ')"
LD_EXTRA="$RUN/lib-extra"
for dir in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do [[ -d "$dir" ]] && LD_EXTRA="$LD_EXTRA:$dir"; done
export LD_LIBRARY_PATH="$LD_EXTRA${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# NVIDIA's container runtime puts the Vulkan ICD manifest here; fall back to the usual places.
if [[ -z "${VK_DRIVER_FILES:-}" ]]; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    if [[ -f "$icd" ]]; then export VK_DRIVER_FILES="$icd"; break; fi
  done
fi
echo "gpu-run: VK_DRIVER_FILES=${VK_DRIVER_FILES:-<none found>}"
[[ -d "$RUN/data" ]] && export SAT_BENCH_DATA="$RUN/data"

NODE="$RUN/node"
FAILED=()
step() { # name, then the command; output tee'd to $OUT/<name>.log
  local name="$1"; shift
  echo "=== gpu-run: $name: $*"
  local start=$SECONDS
  (cd "$RUN" && "$@") 2>&1 | tee "$OUT/$name.log"
  local status=${PIPESTATUS[0]}
  echo "=== gpu-run: $name exited $status after $((SECONDS - start)) s"
  [[ $status == 0 ]] || FAILED+=("$name")
}

for s in "${STEPS[@]}"; do
  case "$s" in
    doctor) step doctor "$NODE" app/bundle.mjs doctor ;;
    tests) step tests env SAT_BENCH_BACKEND=webgpu SAT_BENCH_REQUIRE_WEBGPU=1 "$NODE" --test app/test-backend-parity.mjs app/test-webgpu.mjs app/test-backend.mjs app/test-ops.mjs app/test-training.mjs ;;
    bench) step bench "$NODE" app/bundle.mjs bench --backend webgpu --json ;;
    # shellcheck disable=SC2086  # SLICE is a word list on purpose
    slice) step slice "$NODE" app/bundle.mjs $SLICE --backend webgpu --out "$OUT/results" ;;
    *) echo "gpu-run.sh: unknown step, got \"$s\". Use doctor, tests, bench or slice." >&2; FAILED+=("$s") ;;
  esac
done

if [[ ${#FAILED[@]} -gt 0 ]]; then echo "gpu-run: failed steps: ${FAILED[*]} (logs in $OUT)"; exit 2; fi
echo "gpu-run: all steps passed (logs in $OUT)"
