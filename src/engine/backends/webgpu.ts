// WebGPU in Node: Dawn's dawn.node (the `webgpu` npm package) provides navigator.gpu, and
// @tensorflow/tfjs-backend-webgpu runs on it. We request the adapter ourselves so it can be judged (auto wants a
// discrete GPU) and described, then register TF.js's `webgpu` backend on that same adapter.
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureRuntimeDir } from './software-vulkan';
import { explainNoAdapter, inspectVulkan } from './webgpu-diagnosis';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  kind: 'discrete' | 'integrated' | 'software';
}

export type WebgpuOpen =
  | { ok: true; adapter: AdapterSummary; dawnPath: string; register(): Promise<void> }
  | { ok: false; why: string; adapter?: AdapterSummary };

interface Dawn {
  create(options: string[]): GpuLike;
  globals: object;
}
interface GpuLike {
  requestAdapter(options?: object): Promise<AdapterLike | null>;
}
interface AdapterLike {
  info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  features: Set<string>;
  limits: Record<string, number>;
  requestDevice(descriptor?: object): Promise<unknown>;
}
type WebgpuModule = { WebGPUBackend: new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend };

/** Where dawn.node is: $SAT_BENCH_DAWN_NODE, next to the bundled app (.gpu-bundle), or inside node_modules/webgpu. */
export function findDawnNode(): string | null {
  const bundled = join(__dirname, 'dawn.node');
  if (process.env.SAT_BENCH_DAWN_NODE) return process.env.SAT_BENCH_DAWN_NODE;
  if (existsSync(bundled)) return bundled;
  try {
    const root = dirname(require.resolve('webgpu/package.json'));
    const arch = process.platform === 'darwin' ? 'universal' : process.arch;
    const path = join(root, 'dist', `${process.platform}-${arch}`, 'dawn.node');
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** Dawn's own options (`backend=vulkan`, `adapter=NAME`, ...), `;`-separated in $SAT_BENCH_DAWN_OPTIONS. */
export function dawnOptions(): string[] {
  return (process.env.SAT_BENCH_DAWN_OPTIONS ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Dawn exposes no adapter type, so this reads the names: a heuristic, and `--backend webgpu` overrides it. */
export function classifyAdapter(info: AdapterLike['info']): AdapterSummary['kind'] {
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  if (info.isFallbackAdapter === true || /llvmpipe|lavapipe|swiftshader|null-backend|software/.test(text))
    return 'software';
  if (/nvidia|geforce|quadro|tesla|radeon|advanced micro|\bamd\b|\bati\b/.test(text)) return 'discrete';
  if (/intel/.test(text) && /\barc\b|xe-hpg|dg2|battlemage/.test(text)) return 'discrete';
  return 'integrated';
}

export function describeAdapter(adapter: AdapterSummary): string {
  const name = adapter.description || adapter.device || 'unnamed adapter';
  const extra = [adapter.vendor, adapter.architecture].filter(Boolean).join(' ');
  return `${name}${extra ? ` [${extra}]` : ''}, ${adapter.kind}`;
}

/** Loads Dawn and asks for the high-performance adapter; nothing is registered until `register()` is called. */
export async function openWebgpu(): Promise<WebgpuOpen> {
  let webgpu: WebgpuModule;
  try {
    webgpu = require('@tensorflow/tfjs-backend-webgpu') as WebgpuModule;
  } catch (error) {
    return { ok: false, why: `@tensorflow/tfjs-backend-webgpu does not load (${firstLine(error)}); npm install it` };
  }
  // Without a Vulkan loader Dawn can only fail, and it says so on stderr at every start: don't wake it
  // (unless SAT_BENCH_DAWN_OPTIONS picks another Dawn backend, e.g. the null one the tests use).
  const vulkanMissing = process.platform === 'linux' && dawnOptions().length === 0 && inspectVulkan().loader === null;
  if (vulkanMissing) return { ok: false, why: explainNoAdapter() };
  const dawnPath = findDawnNode();
  if (dawnPath === null)
    return { ok: false, why: 'the webgpu package (dawn.node) is not installed; npm install webgpu@0.6.2' };
  let dawn: Dawn;
  try {
    dawn = require(dawnPath) as Dawn;
  } catch (error) {
    return { ok: false, why: `${dawnPath} does not load: ${firstLine(error)}` };
  }
  Object.assign(globalThis, dawn.globals);
  ensureRuntimeDir(); // Mesa's and SwiftShader's drivers load libwayland, which complains without one
  const gpu = dawn.create(dawnOptions());
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) return { ok: false, why: explainNoAdapter() };
  const summary: AdapterSummary = { ...pickInfo(adapter.info), kind: classifyAdapter(adapter.info) };
  return { ok: true, adapter: summary, dawnPath, register: () => registerWebgpu(webgpu, gpu, adapter) };
}

/** The device request of tfjs-backend-webgpu's own factory (large buffers need the adapter's full limits). */
async function registerWebgpu(webgpu: WebgpuModule, gpu: GpuLike, adapter: AdapterLike): Promise<void> {
  const limits = adapter.limits;
  const requiredLimits = Object.fromEntries(
    [
      'maxComputeWorkgroupStorageSize',
      'maxComputeWorkgroupsPerDimension',
      'maxStorageBufferBindingSize',
      'maxBufferSize',
      'maxComputeWorkgroupSizeX',
      'maxComputeInvocationsPerWorkgroup',
    ].map((name) => [name, limits[name]]),
  );
  const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
  // WebGPUBackend checks navigator.gpu; Node 20 has no navigator, Node 21+ has one without gpu.
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new webgpu.WebGPUBackend(device, adapter.info), 3);
}

/** Drops the backend and Dawn's instance: while navigator.gpu is referenced, Node does not exit. */
export function releaseWebgpu(): void {
  if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (nav?.gpu !== undefined) delete nav.gpu;
}

function pickInfo(info: AdapterLike['info']): Omit<AdapterSummary, 'kind'> {
  return { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
