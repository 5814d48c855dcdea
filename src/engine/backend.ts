// Backend choice: the one place that decides which TF.js backend runs, installs the kernels it needs, and says
// why in one line. Called once from src/cli setup (and the same way from test helpers).
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../util/errors';
import { installFastKernels, registerWasmConv2DBackpropFilter } from '@sat-bench/tfjs-fast-kernels';
import { probesFor } from './backends/probes';
import {
  CANDIDATES,
  provenanceOf,
  reasonLine,
  selectCandidate,
  skippedReasons,
  type BackendRequest,
  type CandidateId,
  type Probes,
  type SelectOptions,
  type Selection,
} from './backends/select';
import { releaseWebgpu } from './backends/webgpu';
import { registerWebgpuKernels } from './backends/webgpu-kernels';

export {
  AUTO_ORDER,
  BACKEND_REQUESTS,
  FAST_KERNEL_ORDER,
  type BackendRequest,
  type CandidateId,
} from './backends/select';

export interface BackendChoice {
  /** The TF.js backend now active: 'tensorflow' | 'webgpu' | 'wasm' | 'cpu'. */
  name: string;
  /** e.g. 'wasm + onnxruntime kernels (onnxruntime-node 1.30.0)', 'webgpu (NVIDIA H200 [nvidia hopper], discrete)'. */
  label: string;
  /** True when the onnxruntime fast kernels carry the convolutions and matmuls. */
  fast: boolean;
  /** One short line for the start of every command: what was chosen, and its warnings. */
  reason: string;
  /** Why each better candidate was not used, one line per reason (`--verbose`; `sat-bench doctor` says it too). */
  skipped: string[];
  rejected: Array<{ backend: string; why: string }>;
  /** Which candidate won; backendProvenance maps it to the CSV column. */
  id: CandidateId;
  /** True when the oneDNN addon carries the convolutions of the fast kernels (the tag then says +dnnl). */
  dnnl: boolean;
  /**
   * Short tag for result CSVs: 'tensorflow-gpu', 'tensorflow-cpu', 'webgpu', 'wasm+dnnl', 'cpu+dnnl', 'wasm+ort',
   * 'cpu+ort', 'wasm', 'cpu'.
   */
  provenance: string;
}

export interface SetupOptions {
  /** Install the onnxruntime fast kernels on wasm/cpu (default true). */
  fastKernels?: boolean;
  /** Replaces the real probes, for tests that simulate machines (a GPU, a missing package). */
  probes?: Probes;
  /** A backend the workload cannot use, skipped with its reason on the start-up line. */
  ruledOut?: SelectOptions['ruledOut'];
}

/** Fix lines for a forced backend that does not load. */
const FORCED_FIX: Record<BackendRequest, string> = {
  auto: 'please report this: the plain cpu backend should always load',
  tensorflow:
    'npm install @tensorflow/tfjs-node-gpu@4.22.0 (CUDA 11.2 + cuDNN 8) or @tensorflow/tfjs-node@4.22.0 and allow ' +
    'its install script in package.json "allowScripts"; `sat-bench doctor` shows what is missing; or use --backend auto',
  webgpu:
    'run `sat-bench doctor` for the missing piece; on a machine without Node.js or Vulkan use scripts/gpu-run.sh, ' +
    'which ships both; or use --backend auto',
  wasm: 'reinstall @tensorflow/tfjs-backend-wasm (npm ci), or use --backend cpu',
  cpu: 'please report this: the plain cpu backend should always load',
};

/** Picks, loads and activates a backend. Forced requests that cannot load throw a UserError naming why. */
export async function setupBackend(request: BackendRequest, options: SetupOptions = {}): Promise<BackendChoice> {
  const fastKernels = options.fastKernels ?? true;
  const selection = await selectCandidate(request, options.probes ?? probesFor(), {
    fastKernels,
    ruledOut: options.ruledOut,
  });
  if (selection.id === null) {
    const whys = selection.rejected.map((r) => `${r.backend}: ${r.why}`).join('; ');
    throw new UserError(
      'backend-unavailable',
      `--backend ${request}: no candidate loads, got ${whys}`,
      FORCED_FIX[request],
    );
  }
  const chosen = selection as Selection;
  const candidate = CANDIDATES[chosen.id];
  // the skipped reasons are off the line now: say why here
  const { note, dnnl } = await activate(chosen.id, { fastKernels, alreadySaid: [] });
  if (!(await tf.setBackend(candidate.backend))) {
    throw new UserError(
      'backend-unavailable',
      `--backend ${request}: ${candidate.backend} loaded in its probe but failed to activate, got false from tf.setBackend`,
      FORCED_FIX[request],
    );
  }
  await tf.ready();
  // Our reason line already says which backends were tried and why, and with the fast kernels the advice is wrong.
  if (candidate.backend === 'cpu' && candidate.fast) silenceCpuBanner();
  const label = dnnl
    ? chosen.label.replace('onnxruntime kernels', 'oneDNN convolutions + onnxruntime kernels')
    : chosen.label;
  return {
    name: tf.getBackend(),
    label,
    fast: candidate.fast,
    reason: reasonLine(request, {
      ...chosen,
      label,
      note: [chosen.note, note].filter(Boolean).join('; ') || undefined,
    }),
    skipped: skippedReasons(chosen),
    rejected: chosen.rejected,
    id: chosen.id,
    dnnl,
    provenance: provenanceOf(chosen.id, dnnl),
  };
}

/**
 * Kernels for the chosen backend. Ours goes in before the fast ones so that their Conv2DBackpropFilter wraps ours
 * as the fallback for cases they leave. Returns the plain-TF.js warning when no onnxruntime kernels run, and
 * whether the oneDNN addon carries the convolutions.
 */
async function activate(
  id: CandidateId,
  options: { fastKernels: boolean; alreadySaid: string[] },
): Promise<{ note?: string; dnnl: boolean }> {
  const { backend, fast } = CANDIDATES[id];
  if (backend === 'wasm') registerWasmConv2DBackpropFilter();
  if (backend === 'webgpu') registerWebgpuKernels();
  if (backend !== 'wasm' && backend !== 'cpu') return { dnnl: false };
  if (!options.fastKernels)
    return { note: 'warning: fast kernels are off, everything runs on plain TF.js (slow)', dnnl: false };
  const report = installFastKernels(backend);
  if (fast && !report.available)
    throw new Error(`setupBackend: ${id} probed fine but installFastKernels says ${report.reason}.`);
  const dnnl = report.providers.Conv2D === 'onednn';
  if (report.available) return { dnnl };
  // The reason is usually on the line already, as why the +fast candidate was skipped.
  const why = report.reason === undefined || options.alreadySaid.includes(report.reason) ? '' : ` (${report.reason})`;
  return { note: `warning: no onnxruntime kernels${why}, everything runs on plain TF.js (slow)`, dnnl };
}

/**
 * TF.js's cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js. To speed things up
 * dramatically, install our node backend" on its first tensor. Call with the cpu backend active.
 */
function silenceCpuBanner(): void {
  (tf.backend() as { firstUse?: boolean }).firstUse = false;
}

/**
 * For the commands that run no model (list, report, merge: they still run a config file's own activations on a
 * few numbers to check them): the plain cpu backend, which TF.js would pick anyway, without its banner.
 */
export async function useQuietCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  silenceCpuBanner();
}

/** The CSV provenance tag of a choice (also on choice.provenance). */
export function backendProvenance(choice: Pick<BackendChoice, 'id' | 'dnnl'>): string {
  return provenanceOf(choice.id, choice.dnnl);
}

/** Lets the process exit: Dawn keeps Node alive while its GPU object is referenced. Call when done. */
export function releaseBackend(): void {
  releaseWebgpu();
}
