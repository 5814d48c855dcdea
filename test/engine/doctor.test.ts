import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { autoPick, formatDoctor, runDoctor, vulkanDetails, type DoctorReport } from '../../src/engine/doctor';
import type { VulkanChain } from '../../src/engine/backends/webgpu-diagnosis';
import { AUTO_ORDER, type CandidateId, type Probes, type Verdict } from '../../src/engine/backends/select';

test('doctor reports every backend, with a reason for each one that does not load', async () => {
  const report = await runDoctor();
  assert.deepEqual(
    report.entries.map((e) => e.backend),
    ['tensorflow-gpu', 'tensorflow-cpu', 'webgpu', 'wasm', 'cpu', 'fast kernels (onnxruntime)'],
  );
  for (const entry of report.entries) {
    if (!entry.loads) assert.ok(entry.why !== undefined && entry.why.length > 0, `${entry.backend} gives no reason`);
  }
  assert.ok(report.entries.find((e) => e.backend === 'cpu')?.loads, 'plain cpu always loads');
});

test('doctor lists the CUDA and cuDNN libraries libtensorflow needs, found or missing', async () => {
  const gpu = (await runDoctor()).entries[0];
  for (const soname of ['libcudart.so.11.0', 'libcudnn.so.8']) {
    assert.ok(
      gpu.details.some((d) => d.startsWith(`${soname}: `)),
      `${soname} not listed in ${gpu.details.join(' | ')}`,
    );
  }
});

test('the doctor text puts ok/no, the backend and its version on one line, reasons indented below', () => {
  const report: DoctorReport = {
    node: 'v20.0.0',
    platform: 'linux-x64',
    allocator: 'glibc 2.36 malloc tuned for large tensors',
    autoPicks: 'cpu+fast: cpu + onnxruntime kernels',
    entries: [
      { backend: 'webgpu', loads: false, why: 'no Vulkan loader', details: ['GPU device nodes: none'] },
      { backend: 'cpu', loads: true, version: 'tfjs 4.22.0', details: [] },
    ],
  };
  const text = formatDoctor(report);
  assert.match(
    text,
    /^sat-bench doctor: Node v20\.0\.0 on linux-x64\nallocator: glibc 2\.36 malloc tuned for large tensors\n/,
  );
  assert.match(text, /\nauto picks: cpu\+fast: cpu \+ onnxruntime kernels\n/);
  assert.match(
    text,
    /\nno {2}webgpu\n {4}why: no Vulkan loader\n {4}GPU device nodes: none\nok {2}cpu: tfjs 4\.22\.0$/,
  );
});

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const NO_GPU = {
  loader: '/lib/x86_64-linux-gnu/libvulkan.so.1',
  icds: ['/usr/share/vulkan/icd.d/lvp_icd.x86_64.json'],
  deviceNodes: [],
};
const SOFTWARE_LINES: Array<{ machine: string; chain: VulkanChain; env: NodeJS.ProcessEnv; says: RegExp }> = [
  {
    machine: 'SwiftShader on disk, not selected',
    chain: { ...NO_GPU, swiftShader: SWIFTSHADER },
    env: {},
    says: /^software Vulkan \(SwiftShader\): \/usr\/lib\/chromium\/vk_swiftshader_icd\.json, usable: VK_DRIVER_FILES=\/usr\/lib\/chromium\/vk_swiftshader_icd\.json sat-bench <command> --backend webgpu \(CPU speed: for checks, not runs\)$/,
  },
  {
    machine: 'SwiftShader selected by VK_DRIVER_FILES',
    chain: { ...NO_GPU, icds: [SWIFTSHADER], swiftShader: SWIFTSHADER },
    env: { VK_DRIVER_FILES: SWIFTSHADER },
    says: /^software Vulkan \(SwiftShader\): \/usr\/lib\/chromium\/vk_swiftshader_icd\.json, selected by VK_DRIVER_FILES/,
  },
  {
    machine: 'no SwiftShader anywhere',
    chain: { ...NO_GPU, swiftShader: null },
    env: {},
    says: /^software Vulkan \(SwiftShader\): none found; .*apt-get install chromium libvulkan1 provides SwiftShader/,
  },
];

for (const { machine, chain, env, says } of SOFTWARE_LINES) {
  test(`doctor's WebGPU details end with the software driver and how to select it: ${machine}`, () => {
    const details = vulkanDetails(chain, env);
    assert.match(details[0], /^Vulkan loader libvulkan\.so\.1: \/lib\/x86_64-linux-gnu\/libvulkan\.so\.1$/);
    assert.match(details[details.length - 1], says);
  });
}

/** Probes for a machine where only `loading` load. */
function machineWith(loading: readonly CandidateId[]): Probes {
  const verdict = (id: CandidateId): Verdict =>
    loading.includes(id) ? { ok: true, label: `${id} label` } : { ok: false, why: `no ${id}` };
  const probes = {} as Probes;
  for (const id of AUTO_ORDER) probes[id] = async () => verdict(id);
  return probes;
}

const PICKS: Array<{ machine: string; loading: CandidateId[]; picks: string }> = [
  {
    machine: 'a CPU machine with onnxruntime',
    loading: ['wasm+fast', 'cpu+fast', 'wasm', 'cpu'],
    picks: 'wasm+fast: wasm+fast label',
  },
  {
    machine: 'a GPU machine with tfjs-node-gpu',
    loading: ['tensorflow-gpu', 'tensorflow-cpu', 'cpu'],
    picks: 'tensorflow-gpu: tensorflow-gpu label',
  },
  { machine: 'a machine with plain cpu only', loading: ['cpu'], picks: 'cpu: cpu label' },
];
for (const { machine, loading, picks } of PICKS) {
  test(`doctor says what auto picks, by the walk run makes: ${machine}`, async () => {
    assert.equal(await autoPick(machineWith(loading)), picks);
  });
}

test('doctor on this machine names the candidate auto picks', async () => {
  assert.match(
    formatDoctor(await runDoctor()),
    new RegExp(`\nauto picks: (${AUTO_ORDER.map((id) => id.replace('+', '\\+')).join('|')}): `),
  );
});

test('doctor says what runs the convolutions and names the provider of every fast kernel on cpu and wasm', async () => {
  const fast = (await runDoctor()).entries.find((e) => e.backend === 'fast kernels (onnxruntime)');
  assert.ok(fast, 'no fast-kernel entry');
  const convolutions = fast.details.find((d) => d.startsWith('convolutions: '));
  // Either oneDNN with its version, or why not (not built, or SAT_BENCH_NO_DNNL=1).
  assert.match(convolutions ?? '', /^convolutions: (oneDNN \d+\.\d+\.\d+ \(|not on oneDNN, .+)/);
  for (const backend of ['cpu', 'wasm'])
    assert.match(
      fast.details.find((d) => d.startsWith(`kernels on ${backend}: `)) ?? '',
      /Conv2D/,
      `no provider line for ${backend}`,
    );
});
