#!/usr/bin/env bash
# The package as a user gets it: `npm pack` of the root package only (its prepare step builds dist/; the workspace
# @sat-bench/tfjs-fast-kernels rides inside as a bundled dependency), `npm install` of that one tarball into an empty
# folder (every other dependency from the npm registry), then `doctor`, the CLI and the library API from there, never
# from the repo; last, `npm publish --dry-run`, which packs and checks the same package and uploads nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
test "$(ls "$work")" = "$(basename "$tarball")"   # one tarball, nothing beside it
# The kernels travel built, inside the tarball.
tar tzf "$tarball" > "$work/contents.txt"
grep -qx 'package/node_modules/@sat-bench/tfjs-fast-kernels/dist/src/index.js' "$work/contents.txt" ||
  echo "pack-check: no bundled node_modules/@sat-bench/tfjs-fast-kernels/dist in the tarball (the install fails below)"
# The oneDNN addon travels as source and is built by sat-bench's install script; a build/ from the repo must not ride.
for file in binding.gyp native/build.js native/dnnl-kernels.cc; do
  grep -qx "package/node_modules/@sat-bench/tfjs-fast-kernels/$file" "$work/contents.txt" ||
    { echo "pack-check: the tarball lacks the kernels package's $file"; exit 1; }
done
if grep -q '^package/node_modules/@sat-bench/tfjs-fast-kernels/build/' "$work/contents.txt"; then
  echo "pack-check: the tarball carries the repo's built addon (build/)"; exit 1
fi
rm "$work/contents.txt"

mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
# The user's project denies the install scripts the repo denies (its allowScripts `false` entries): onnxruntime-node's
# would fetch the CUDA provider from NuGet on linux-x64, and when that fails npm drops the optional package, and the
# fast path with it. Its CPU binaries ship in the npm package; no script is needed to use them.
# sat-bench's own install script builds the bundled oneDNN addon (npm runs no script of a bundled package, so
# sat-bench forwards it); npm 11 runs it unreviewed, with a notice (`npm install-scripts approve sat-bench` silences
# it; strict-allow-scripts=true would refuse it).
node -e '
  const fs = require("fs");
  const app = JSON.parse(fs.readFileSync("package.json", "utf8"));
  const { allowScripts } = require(process.argv[1]);
  app.allowScripts = Object.fromEntries(Object.entries(allowScripts).filter(([, allowed]) => allowed === false));
  fs.writeFileSync("package.json", JSON.stringify(app, null, 2) + "\n");
' "$root/package.json"
npm install --no-audit --no-fund "$tarball"
test -f node_modules/sat-bench/node_modules/@sat-bench/tfjs-fast-kernels/dist/src/index.js
test -f node_modules/onnxruntime-node/package.json
# With libdnnl's headers here the addon must have built (CI installs libdnnl-dev); without them, say why not.
kernels=node_modules/sat-bench/node_modules/@sat-bench/tfjs-fast-kernels
expected_tag=+ort
if [ -f /usr/include/oneapi/dnnl/dnnl.hpp ]; then
  test -f "$kernels/build/Release/dnnl_kernels.node" ||
    { echo "pack-check: libdnnl-dev is installed but the addon did not build:"; cat "$kernels/build/dnnl-build.json"; exit 1; }
  expected_tag=+dnnl
else
  echo "pack-check: no libdnnl-dev here, the convolutions stay on onnxruntime ($(cat "$kernels/build/dnnl-build.json" 2>/dev/null))"
fi

# From here on no network where the sandbox allows it (root: a fresh network namespace): the run needs none.
offline=()
if unshare -n true 2>/dev/null; then
  offline=(unshare -n)
else
  echo "pack-check: unshare -n unavailable, running with the network"
fi

"${offline[@]}" npx --offline sat-bench doctor | tee doctor.txt
grep -q '^ok  fast kernels (onnxruntime)' doctor.txt
if [ "$expected_tag" = +dnnl ]; then grep -q '^    convolutions: oneDNN' doctor.txt; fi

"${offline[@]}" npx --offline sat-bench run table1 --preset smoke --out "$work/cli-results" --no-estimate
test -s "$work/cli-results/smoke/table1.csv"
# The backend column: the run used the fast kernels (wasm+dnnl or cpu+dnnl where the addon built, else wasm+ort or
# cpu+ort), not the slow fallback.
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
  const [header, ...rows] = lines.map((line) => line.split(","));
  const backends = [...new Set(rows.map((row) => row[header.indexOf("backend")]))];
  if (!backends.every((backend) => backend.endsWith(process.argv[2]))) {
    console.error(`pack-check: table1 ran on ${backends.join(", ")}, not the *${process.argv[2]} fast kernels`);
    process.exit(1);
  }
' "$work/cli-results/smoke/table1.csv" "$expected_tag"

cat > use-api.js <<'JS'
const { setupBackend, runExperiment, defineExperiment, evaluateCheckpoint, ACTIVATIONS, EXPERIMENTS, PRESETS, NO_PROGRESS } = require('sat-bench');
(async () => {
  const backend = await setupBackend('auto');
  const one = defineExperiment({ ...EXPERIMENTS.table1, id: 'api-check', runs: [{ ...EXPERIMENTS.table1.runs[0], backward: { attack: { name: 'psoftplus', sharpness: 5 }, train: 'relu' } }] });
  const request = { experiment: one, outDir: 'api-results', presetName: 'smoke', preset: PRESETS.smoke, seeds: [0], backend: backend.provenance, maxSteps: 5, force: false, estimate: false };
  const outcome = await runExperiment(request, { progress: NO_PROGRESS });
  const again = await evaluateCheckpoint('api-results/smoke/api-check/relu-relu/seed-0', { examples: 16 });
  console.log(`api: ${outcome.csvPath}, ${Object.keys(ACTIVATIONS).length} activations, re-evaluated accuracy ${again.summaries[0].accuracy}`);
})().catch((error) => { console.error(error); process.exit(1); });
JS
"${offline[@]}" node use-api.js
grep -q 'psoftplus(sharpness=5)' api-results/smoke/api-check.csv

# Publish, dry run only: --dry-run, and a user config with no credentials in it, so a real upload could not log in.
cd "$root"
: > "$work/empty-npmrc"
NPM_CONFIG_USERCONFIG="$work/empty-npmrc" npm publish --dry-run 2>&1 | tee "$work/publish.txt" | tail -n 12
grep -q '^+ sat-bench@' "$work/publish.txt"
echo "pack-check: the one tarball installs alone, doctor loads the fast kernels, table1 runs on smoke ($expected_tag) offline,"
echo "pack-check: its library API runs one smoke unit, and npm publish --dry-run passes"
