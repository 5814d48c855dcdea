#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (its prepare step builds dist/), install the tarball into an empty
# folder (dependencies from the npm registry), then run the CLI and the library API from there, never from the repo.
# The fast kernels are a workspace package (@sat-bench/tfjs-fast-kernels) published beside sat-bench: it is packed
# too and installed from its tarball in the same command, as the registry would serve it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
kernels="$(npm pack --silent --workspace packages/tfjs-fast-kernels --pack-destination "$work" | tail -n 1)"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline "$work/$kernels" "$work/$tarball"

npx sat-bench run table1 --preset smoke --out "$work/cli-results" --no-estimate
test -s "$work/cli-results/smoke/table1.csv"

cat > use-api.js <<'JS'
const { setupBackend, runExperiment, defineExperiment, evaluateCheckpoint, ACTIVATIONS, EXPERIMENTS, PRESETS, NO_PROGRESS } = require('sat-bench');
(async () => {
  const backend = await setupBackend('auto');
  const one = defineExperiment({ ...EXPERIMENTS.table1, id: 'api-check', runs: [{ ...EXPERIMENTS.table1.runs[0], backward: { attack: { name: 'psoftplus', sharpness: 5 }, train: 'relu' } }] });
  const options = { outDir: 'api-results', presetName: 'smoke', preset: PRESETS.smoke, seeds: [0], backend: backend.provenance, maxSteps: 5, force: false, estimate: false, progress: NO_PROGRESS };
  const outcome = await runExperiment(one, options);
  const again = await evaluateCheckpoint('api-results/smoke/api-check/relu-relu/seed-0', { examples: 16 });
  console.log(`api: ${outcome.csvPath}, ${Object.keys(ACTIVATIONS).length} activations, re-evaluated accuracy ${again.summaries[0].accuracy}`);
})().catch((error) => { console.error(error); process.exit(1); });
JS
node use-api.js
grep -q 'psoftplus(sharpness=5)' api-results/smoke/api-check.csv
echo "pack-check: the packed tarball installs, runs table1 on smoke, and its library API runs one smoke unit"
