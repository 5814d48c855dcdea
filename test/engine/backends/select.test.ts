import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  AUTO_ORDER,
  CANDIDATES,
  provenanceOf,
  FAST_KERNEL_ORDER,
  candidatesFor,
  reasonLine,
  selectCandidate,
  skippedReasons,
  type CandidateId,
  type Probes,
  type Selection,
  type Verdict,
} from '../../../src/engine/backends/select';

/** Probes for a simulated machine: the listed candidates load, every other one fails with "<id> missing". */
function machine(loads: CandidateId[], seen: Array<{ id: CandidateId; forced: boolean }> = []): Probes {
  const entries = AUTO_ORDER.map((id) => [
    id,
    async ({ forced }: { forced: boolean }): Promise<Verdict> => {
      seen.push({ id, forced });
      return loads.includes(id) ? { ok: true, label: `${id} label` } : { ok: false, why: `${id} missing` };
    },
  ]);
  return Object.fromEntries(entries) as Probes;
}

const SIMULATED: Array<{ machine: string; loads: CandidateId[]; expected: CandidateId }> = [
  {
    machine: 'a CUDA box with tfjs-node-gpu and Vulkan',
    loads: ['tensorflow-gpu', 'webgpu', 'tensorflow-cpu', 'wasm', 'cpu'],
    expected: 'tensorflow-gpu',
  },
  {
    machine: 'a GPU box without tfjs-node (the bundle)',
    loads: ['webgpu', 'wasm+fast', 'wasm', 'cpu'],
    expected: 'webgpu',
  },
  {
    machine: 'a CPU box with tfjs-node and onnxruntime',
    loads: ['tensorflow-cpu', 'wasm+fast', 'cpu+fast', 'wasm', 'cpu'],
    expected: 'tensorflow-cpu',
  },
  {
    machine: 'this laptop: onnxruntime, no GPU',
    loads: ['wasm+fast', 'cpu+fast', 'wasm', 'cpu'],
    expected: FAST_KERNEL_ORDER[0],
  },
  { machine: 'no onnxruntime binary', loads: ['wasm', 'cpu'], expected: 'wasm' },
  { machine: 'wasm broken, onnxruntime fine', loads: ['cpu+fast', 'cpu'], expected: 'cpu+fast' },
];

for (const sim of SIMULATED) {
  test(`auto picks ${sim.expected} on ${sim.machine}`, async () => {
    const selection = await selectCandidate('auto', machine(sim.loads), { fastKernels: true });
    assert.equal(selection.id, sim.expected);
    const better = AUTO_ORDER.slice(0, AUTO_ORDER.indexOf(sim.expected));
    assert.deepEqual(
      selection.rejected,
      better.map((id) => ({ backend: id, why: `${id} missing` })),
    );
  });
}

test('auto tries GPUs first, then tfjs-node on CPU, then the fast kernels, then plain TF.js', () => {
  assert.deepEqual(
    [...AUTO_ORDER],
    ['tensorflow-gpu', 'webgpu', 'tensorflow-cpu', ...FAST_KERNEL_ORDER, 'wasm', 'cpu'],
  );
  assert.deepEqual([...FAST_KERNEL_ORDER], ['wasm+fast', 'cpu+fast']);
});

test('a forced backend never falls back to another kind of backend', async () => {
  assert.deepEqual(candidatesFor('tensorflow', { fastKernels: true }), ['tensorflow-gpu', 'tensorflow-cpu']);
  assert.deepEqual(candidatesFor('webgpu', { fastKernels: true }), ['webgpu']);
  assert.deepEqual(candidatesFor('wasm', { fastKernels: true }), ['wasm+fast', 'wasm']);
  assert.deepEqual(candidatesFor('cpu', { fastKernels: true }), ['cpu+fast', 'cpu']);
  const selection = await selectCandidate('webgpu', machine(['cpu']), { fastKernels: true });
  assert.deepEqual(selection, { id: null, rejected: [{ backend: 'webgpu', why: 'webgpu missing' }] });
});

test('probes hear whether the backend was forced, so --backend webgpu may take an integrated adapter', async () => {
  const seen: Array<{ id: CandidateId; forced: boolean }> = [];
  await selectCandidate('webgpu', machine(['webgpu'], seen), { fastKernels: true });
  await selectCandidate('auto', machine(['webgpu'], seen), { fastKernels: true });
  assert.deepEqual(seen, [
    { id: 'webgpu', forced: true },
    { id: 'tensorflow-gpu', forced: false },
    { id: 'webgpu', forced: false },
  ]);
});

test('fastKernels: false skips the onnxruntime candidates without probing them', async () => {
  const seen: Array<{ id: CandidateId; forced: boolean }> = [];
  const selection = await selectCandidate('auto', machine(['wasm+fast', 'wasm'], seen), { fastKernels: false });
  assert.equal(selection.id, 'wasm');
  assert.ok(
    seen.every(({ id }) => !CANDIDATES[id].fast),
    JSON.stringify(seen),
  );
});

test('a ruled-out backend is rejected with its reason, unprobed, and the walk goes on', async () => {
  const seen: Array<{ id: CandidateId; forced: boolean }> = [];
  const why = 'preactresnet18 at batch 128 needs more than the 4 GiB wasm heap';
  const selection = await selectCandidate('auto', machine(['wasm+fast', 'cpu+fast', 'wasm', 'cpu'], seen), {
    fastKernels: true,
    ruledOut: { backend: 'wasm', why },
  });
  assert.equal(selection.id, 'cpu+fast');
  assert.ok(
    seen.every(({ id }) => CANDIDATES[id].backend !== 'wasm'),
    JSON.stringify(seen),
  );
  assert.deepEqual(
    selection.rejected.filter((r) => r.why === why).map((r) => r.backend),
    ['wasm+fast'],
  );
});

test('the reason is one short line naming the choice; why better candidates were not used is listed apart, once each', () => {
  const selection: Selection = {
    id: 'wasm+fast',
    label: 'wasm + onnxruntime kernels',
    note: 'warning: something',
    rejected: [
      { backend: 'tensorflow-gpu', why: 'tfjs-node absent' },
      { backend: 'webgpu', why: 'no Vulkan loader: libvulkan.so.1 missing' },
      { backend: 'tensorflow-cpu', why: 'tfjs-node absent' },
    ],
  };
  const line = reasonLine('auto', selection);
  assert.doesNotMatch(line, /\n/);
  assert.equal(
    line,
    'backend: wasm + onnxruntime kernels (auto; --verbose says why not a faster one); warning: something',
  );
  assert.deepEqual(skippedReasons(selection), [
    'not tensorflow-gpu, tensorflow-cpu: tfjs-node absent',
    'not webgpu: no Vulkan loader: libvulkan.so.1 missing',
  ]);
  assert.equal(
    reasonLine('wasm', { id: 'wasm+fast', label: 'wasm + onnxruntime kernels', rejected: [] }),
    'backend: wasm + onnxruntime kernels (--backend wasm)',
  );
});

test('every candidate has a CSV provenance tag, and the tags are distinct', () => {
  const tags = AUTO_ORDER.map((id) => CANDIDATES[id].provenance);
  assert.equal(new Set(tags).size, tags.length);
  assert.equal(CANDIDATES['wasm+fast'].provenance, 'wasm+ort');
  assert.equal(CANDIDATES['tensorflow-gpu'].provenance, 'tensorflow-gpu');
});

test('a fast candidate whose convolutions run on oneDNN is tagged +dnnl; other candidates keep their tag', () => {
  assert.equal(provenanceOf('wasm+fast', true), 'wasm+dnnl');
  assert.equal(provenanceOf('cpu+fast', true), 'cpu+dnnl');
  assert.equal(provenanceOf('cpu+fast', false), 'cpu+ort');
  assert.equal(provenanceOf('cpu', true), 'cpu');
  assert.equal(provenanceOf('tensorflow-cpu', true), 'tensorflow-cpu');
});
