// `sat-bench doctor`: what each backend needs on this machine, whether it loads, and why not. Read-only apart
// from loading the backends (it registers nothing that setupBackend would not).
import * as tf from '@tensorflow/tfjs';
import {
  DNNL_OFF_VARIABLE,
  probeFastKernels,
  type FastKernelProbe,
  type KernelProvider,
} from '@sat-bench/tfjs-fast-kernels';
import { cudaLibraryReport, loadTensorflow, nvidiaGpus } from './backends/tensorflow';
import { describeAdapter, openWebgpu } from './backends/webgpu';
import { selectIcdCommand, swiftShaderSelected } from './backends/software-vulkan';
import { inspectVulkan, softwareVulkanHint, type VulkanChain } from './backends/webgpu-diagnosis';
import { probesFor } from './backends/probes';
import { AUTO_ORDER, selectCandidate, type Probes } from './backends/select';
import { allocatorState, describeAllocator } from './allocator';

export interface DoctorEntry {
  backend: 'tensorflow-gpu' | 'tensorflow-cpu' | 'webgpu' | 'wasm' | 'cpu' | 'fast kernels (onnxruntime)';
  loads: boolean;
  version?: string;
  /** Why it does not load (absent when it does). */
  why?: string;
  /** Supporting facts: libraries found or missing, adapter, device nodes. */
  details: string[];
}

export interface DoctorReport {
  node: string;
  platform: string;
  /** The C allocator's settings for this process (the cpu backend's tensors live in malloc'd memory). */
  allocator: string;
  /** What `--backend auto` (the default of run, eval and bench) lands on here, e.g. 'wasm+fast: wasm + onnxruntime kernels'. */
  autoPicks: string;
  entries: DoctorEntry[];
}

export async function runDoctor(): Promise<DoctorReport> {
  const autoPicks = await autoPick(probesFor());
  const entries: DoctorEntry[] = [
    ...tensorflowEntries(),
    await webgpuEntry(),
    await wasmEntry(),
    cpuEntry(),
    fastEntry(),
  ];
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    allocator: describeAllocator(allocatorState()),
    autoPicks,
    entries,
  };
}

/** The candidate `--backend auto` picks, by the walk setupBackend makes (fast kernels on, their default). */
export async function autoPick(probes: Probes): Promise<string> {
  const selection = await selectCandidate('auto', probes, { fastKernels: true });
  return selection.id === null
    ? 'nothing (no candidate loads; please report this)'
    : `${selection.id}: ${selection.label}`;
}

function tensorflowEntries(): DoctorEntry[] {
  const load = loadTensorflow();
  const cuda = cudaLibraryReport().map((lib) =>
    lib.path !== null
      ? `${lib.wanted}: ${lib.path}`
      : `${lib.wanted}: missing${lib.others.length ? ` (found ${lib.others.join(', ')}: not the version libtensorflow 2.9 needs)` : ''}`,
  );
  const gpus = nvidiaGpus();
  const gpuFacts = [
    ...cuda,
    gpus.length ? `nvidia-smi: ${gpus.join('; ')}` : 'nvidia-smi: no GPU listed (or not installed)',
  ];
  if (!load.loaded) {
    return [
      { backend: 'tensorflow-gpu', loads: false, why: load.why, details: gpuFacts },
      { backend: 'tensorflow-cpu', loads: false, why: load.why, details: [] },
    ];
  }
  const version = `${load.packageName} ${load.version}, libtensorflow ${load.libtensorflow}`;
  const gpuWhy =
    load.packageName === '@tensorflow/tfjs-node'
      ? 'only the CPU package @tensorflow/tfjs-node is installed'
      : 'libtensorflow sees no GPU (see the CUDA/cuDNN libraries below)';
  return [
    { backend: 'tensorflow-gpu', loads: load.gpu, version, why: load.gpu ? undefined : gpuWhy, details: gpuFacts },
    { backend: 'tensorflow-cpu', loads: true, version, details: [] },
  ];
}

async function webgpuEntry(): Promise<DoctorEntry> {
  const chain = inspectVulkan();
  const details = vulkanDetails(chain);
  const open = await openWebgpu();
  if (!open.ok) return { backend: 'webgpu', loads: false, why: open.why, details };
  const { vendor, architecture, device, description } = open.adapter;
  details.unshift(
    `dawn.node: ${open.dawnPath}`,
    `adapter: vendor "${vendor}", architecture "${architecture}", device "${device}", description "${description}"`,
  );
  const discrete = open.adapter.kind === 'discrete';
  return {
    backend: 'webgpu',
    loads: true,
    version: `adapter ${describeAdapter(open.adapter)}`,
    details,
    why: discrete ? undefined : `loads, but auto skips a ${open.adapter.kind} adapter (--backend webgpu uses it)`,
  };
}

/** The Vulkan chain as doctor lines, ending with the software driver: where it is and how to select it. */
export function vulkanDetails(chain: VulkanChain, env: NodeJS.ProcessEnv = process.env): string[] {
  const software =
    chain.swiftShader === null
      ? `software Vulkan (SwiftShader): none found; ${softwareVulkanHint(chain)}`
      : swiftShaderSelected(env)
        ? `software Vulkan (SwiftShader): ${chain.swiftShader}, selected by VK_DRIVER_FILES (CPU speed: for checks, not runs)`
        : `software Vulkan (SwiftShader): ${chain.swiftShader}, usable: ${selectIcdCommand(chain.swiftShader)} sat-bench <command> --backend webgpu (CPU speed: for checks, not runs)`;
  return [
    `Vulkan loader libvulkan.so.1: ${chain.loader ?? 'missing'}`,
    `Vulkan driver ICDs: ${chain.icds.length ? chain.icds.join(', ') : 'none'}`,
    `GPU device nodes: ${chain.deviceNodes.length ? chain.deviceNodes.join(', ') : 'none'}`,
    software,
  ];
}

async function wasmEntry(): Promise<DoctorEntry> {
  try {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as { version_wasm: string };
    const ok = await tf.setBackend('wasm');
    const flags = `SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'on' : 'off'}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'on' : 'off'}`;
    return ok
      ? { backend: 'wasm', loads: true, version: `tfjs-backend-wasm ${wasm.version_wasm}`, details: [flags] }
      : {
          backend: 'wasm',
          loads: false,
          why: 'tf.setBackend("wasm") returned false (the .wasm files are missing?)',
          details: [],
        };
  } catch (error) {
    return { backend: 'wasm', loads: false, why: (error as Error).message.split('\n')[0], details: [] };
  }
}

function cpuEntry(): DoctorEntry {
  return { backend: 'cpu', loads: true, version: `tfjs ${tf.version.tfjs}`, details: [] };
}

function fastEntry(): DoctorEntry {
  const probe = probeFastKernels();
  const details = [
    convolutionLine(probe.dnnl),
    ...(['cpu', 'wasm'] as const).map((b) => providerLine(b, probe.providers[b])),
  ];
  return probe.available
    ? {
        backend: 'fast kernels (onnxruntime)',
        loads: true,
        version: `onnxruntime-node ${probe.ortVersion}`,
        details,
      }
    : { backend: 'fast kernels (onnxruntime)', loads: false, why: probe.reason, details };
}

/** Whether the oneDNN addon carries the convolutions, and why not (not built, or turned off). */
function convolutionLine(dnnl: FastKernelProbe['dnnl']): string {
  return dnnl.available
    ? `convolutions: oneDNN ${dnnl.version} (${dnnl.isa}); ${DNNL_OFF_VARIABLE}=1 puts them back on onnxruntime, batch norm on typed arrays`
    : `convolutions: not on oneDNN, ${dnnl.reason}`;
}

const PROVIDER_NAMES: Record<KernelProvider, string> = {
  onednn: 'oneDNN',
  'native-loops': 'addon loops',
  onnxruntime: 'onnxruntime',
  'typed-array': 'typed arrays',
};

/** "kernels on cpu: oneDNN Conv2D, … · onnxruntime BatchMatMul, … · typed arrays MaxPool, …" */
function providerLine(backend: 'cpu' | 'wasm', providers: Record<string, KernelProvider>): string {
  const groups = (Object.keys(PROVIDER_NAMES) as KernelProvider[])
    .map((provider) => {
      const names = Object.keys(providers).filter((name) => providers[name] === provider);
      return names.length > 0 ? `${PROVIDER_NAMES[provider]} ${names.join(', ')}` : '';
    })
    .filter(Boolean);
  return `kernels on ${backend}: ${groups.join(' · ')}`;
}

/** Plain text for the terminal: one block per backend, `ok`/`no` first so a glance is enough. */
export function formatDoctor(report: DoctorReport): string {
  const lines = [
    `sat-bench doctor: Node ${report.node} on ${report.platform}`,
    `allocator: ${report.allocator}`,
    `auto tries: ${AUTO_ORDER.join(' → ')}`,
    `auto picks: ${report.autoPicks}`,
    '',
  ];
  for (const entry of report.entries) {
    lines.push(`${entry.loads ? 'ok' : 'no'}  ${entry.backend}${entry.version ? `: ${entry.version}` : ''}`);
    if (entry.why !== undefined) lines.push(`    why: ${entry.why}`);
    for (const detail of entry.details) lines.push(`    ${detail}`);
  }
  return lines.join('\n');
}
