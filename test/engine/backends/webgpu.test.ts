import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { releaseBackend, setupBackend } from '../../../src/engine/backend';
import { classifyAdapter, findDawnNode } from '../../../src/engine/backends/webgpu';
import { explainNoAdapter, type VulkanChain } from '../../../src/engine/backends/webgpu-diagnosis';

const ADAPTERS: Array<{
  info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  kind: string;
}> = [
  { info: { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H200' }, kind: 'discrete' },
  { info: { vendor: 'amd', architecture: 'rdna-3', device: '', description: 'AMD Radeon RX 7900' }, kind: 'discrete' },
  {
    info: { vendor: 'intel', architecture: 'xe-hpg', device: '', description: 'Intel(R) Arc(tm) A770' },
    kind: 'discrete',
  },
  {
    info: { vendor: 'intel', architecture: 'gen-12lp', device: '', description: 'Intel(R) UHD Graphics 770' },
    kind: 'integrated',
  },
  {
    info: { vendor: 'mesa', architecture: '', device: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' },
    kind: 'software',
  },
  {
    info: { vendor: 'google', architecture: '', device: 'swiftshader', description: '', isFallbackAdapter: true },
    kind: 'software',
  },
];

for (const { info, kind } of ADAPTERS) {
  test(`an adapter described as "${info.description || info.device}" counts as ${kind}`, () => {
    assert.equal(classifyAdapter(info), kind);
  });
}

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const CHAINS: Array<{ missing: string; chain: VulkanChain; says: RegExp }> = [
  {
    missing: 'the Vulkan loader',
    chain: { loader: null, icds: [], deviceNodes: [], swiftShader: null },
    says: /^no Vulkan loader: libvulkan\.so\.1 .*apt-get install libvulkan1/,
  },
  {
    missing: 'a driver ICD',
    chain: { loader: '/lib/libvulkan.so.1', icds: [], deviceNodes: ['/dev/nvidia0'], swiftShader: null },
    says: /no driver ICD manifest.*VK_DRIVER_FILES.*apt-get install chromium libvulkan1 provides SwiftShader/,
  },
  {
    missing: 'a hardware ICD (lavapipe only)',
    chain: {
      loader: '/lib/libvulkan.so.1',
      icds: ['/usr/share/vulkan/icd.d/lvp_icd.x86_64.json'],
      deviceNodes: [],
      swiftShader: null,
    },
    says: /only a software Vulkan driver .*lvp_icd.*Dawn rejects Mesa's lavapipe.*apt-get install chromium/,
  },
  {
    missing: 'a hardware ICD (lavapipe only, SwiftShader on disk)',
    chain: {
      loader: '/lib/libvulkan.so.1',
      icds: ['/usr/share/vulkan/icd.d/lvp_icd.x86_64.json'],
      deviceNodes: [],
      swiftShader: SWIFTSHADER,
    },
    says: /Dawn rejects Mesa's lavapipe.*VK_DRIVER_FILES=\/usr\/lib\/chromium\/vk_swiftshader_icd\.json selects SwiftShader with --backend webgpu/,
  },
  {
    missing: 'a GPU device node',
    chain: { loader: '/lib/libvulkan.so.1', icds: ['/x/nvidia_icd.json'], deviceNodes: [], swiftShader: null },
    says: /no GPU device node .*--gpus all/,
  },
  {
    missing: 'a GPU device node (SwiftShader on disk)',
    chain: { loader: '/lib/libvulkan.so.1', icds: ['/x/nvidia_icd.json'], deviceNodes: [], swiftShader: SWIFTSHADER },
    says: /no GPU device node .*--gpus all.*; to check the WebGPU path on the CPU .*VK_DRIVER_FILES=\/usr\/lib\/chromium\/vk_swiftshader_icd\.json selects SwiftShader/,
  },
  {
    missing: 'an adapter from a selected SwiftShader',
    chain: { loader: '/lib/libvulkan.so.1', icds: [SWIFTSHADER], deviceNodes: [], swiftShader: SWIFTSHADER },
    says: /SwiftShader .* is selected but Dawn got no adapter.*libvk_swiftshader\.so/,
  },
  {
    missing: 'nothing visible (driver mismatch)',
    chain: {
      loader: '/lib/libvulkan.so.1',
      icds: ['/x/nvidia_icd.json'],
      deviceNodes: ['/dev/nvidia0'],
      swiftShader: null,
    },
    says: /present but Dawn got no adapter.*vulkaninfo/,
  },
];

for (const { missing, chain, says } of CHAINS) {
  test(`with no adapter, the explanation names the first missing link: ${missing}`, () => {
    assert.match(explainNoAdapter(chain, 'linux'), says);
  });
}

test("--backend webgpu runs TF.js on a Dawn adapter (plumbing check on Dawn's null backend)", async (t) => {
  if (findDawnNode() === null) return t.skip('the webgpu package (dawn.node) is not installed');
  // backend=null gives an adapter with no GPU behind it: enough to check registration and the labels, and a
  // small op runs because TF.js forwards tiny ops to its CPU path.
  process.env.SAT_BENCH_DAWN_OPTIONS = 'backend=null';
  try {
    const choice = await setupBackend('webgpu');
    assert.equal(choice.name, 'webgpu');
    assert.match(choice.label, /^webgpu \(null-backend, software\)$/);
    assert.match(choice.reason, /warning: a software WebGPU adapter is slower than wasm/);
    assert.equal(choice.provenance, 'webgpu');
    const sum = tf.tidy(() => tf.add(tf.ones([3]), 1));
    assert.deepEqual(Array.from(await sum.data()), [2, 2, 2]);
    sum.dispose();
  } finally {
    delete process.env.SAT_BENCH_DAWN_OPTIONS;
    releaseBackend(); // otherwise Dawn keeps this test process alive
  }
});

test('auto refuses a software adapter and says so', async (t) => {
  if (findDawnNode() === null) return t.skip('the webgpu package (dawn.node) is not installed');
  process.env.SAT_BENCH_DAWN_OPTIONS = 'backend=null';
  try {
    const choice = await setupBackend('auto');
    assert.notEqual(choice.name, 'webgpu');
    assert.match(choice.skipped.join('\n'), /not webgpu: adapter null-backend, software is not a discrete GPU/);
  } finally {
    delete process.env.SAT_BENCH_DAWN_OPTIONS;
    releaseBackend();
  }
});
