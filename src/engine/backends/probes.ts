// The real probes behind selectCandidate: each loads its backend far enough to know it works, and says why not.
// One set is built per setupBackend call; tfjs-node and Dawn are opened at most once per set.
import * as tf from '@tensorflow/tfjs';
import { probeFastKernels, registerWasmConv2DBackpropFilter } from '@sat-bench/tfjs-fast-kernels';
import { readAndDispose } from '../../util/read-tensor';
import type { Probes, Verdict } from './select';
import { gpuDeviceNodes } from './shared-libraries';
import { explainNoAdapter } from './webgpu-diagnosis';
import { cudaLibraryReport, loadTensorflow, nvidiaGpus, type TensorflowLoad } from './tensorflow';
import { dawnOptions, describeAdapter, openWebgpu, type WebgpuOpen } from './webgpu';

function once<T>(make: () => T): () => T {
  const cell: { value?: T; done: boolean } = { done: false };
  return () => {
    if (!cell.done) cell.value = make();
    cell.done = true;
    return cell.value as T;
  };
}

export function probesFor(): Probes {
  const tensorflow = once(() => loadTensorflow());
  const webgpu = once(() => openWebgpu());
  const fast = once(() => probeFastKernels());
  const wasm = once(() => initWasm());
  const withFast = async (backend: 'wasm' | 'cpu'): Promise<Verdict> => {
    const report = fast();
    if (!report.available) return { ok: false, why: report.reason ?? 'onnxruntime-node is unavailable' };
    if (backend === 'wasm') {
      const why = await wasm();
      if (why !== null) return { ok: false, why };
    }
    const version = report.ortVersion === undefined ? '' : ` (onnxruntime-node ${report.ortVersion})`;
    return { ok: true, label: `${backend} + onnxruntime kernels${version}` };
  };
  return {
    'tensorflow-gpu': async () => tensorflowGpuVerdict(tensorflow()),
    'tensorflow-cpu': async () => {
      const load = tensorflow();
      return load.loaded
        ? {
            ok: true,
            label: `tensorflow on CPU (${load.packageName} ${load.version}, libtensorflow ${load.libtensorflow})`,
          }
        : { ok: false, why: load.why };
    },
    // Without a GPU device node Dawn can only find software adapters, which auto refuses anyway: not opening it
    // spares every CPU run Dawn's start-up and its driver warnings on stderr (Mesa's ICDs print them). A driver or
    // Dawn option the user set (VK_DRIVER_FILES, SAT_BENCH_DAWN_OPTIONS) is asked all the same.
    webgpu: async ({ forced }) =>
      !forced && cannotHaveHardwareAdapter()
        ? { ok: false, why: explainNoAdapter() }
        : webgpuVerdict(await webgpu(), forced),
    'wasm+fast': () => withFast('wasm'),
    'cpu+fast': () => withFast('cpu'),
    wasm: async () => {
      const why = await wasm();
      return why === null ? { ok: true, label: 'wasm (plain TF.js)' } : { ok: false, why };
    },
    cpu: async () => ({ ok: true, label: 'cpu (plain TF.js)' }),
  };
}

function tensorflowGpuVerdict(load: TensorflowLoad): Verdict {
  if (!load.loaded) return { ok: false, why: load.why };
  if (load.gpu) {
    const gpus = nvidiaGpus();
    return {
      ok: true,
      label: `tensorflow on GPU (${load.packageName} ${load.version}, libtensorflow ${load.libtensorflow}${gpus.length ? `, ${gpus.join(', ')}` : ''})`,
    };
  }
  if (load.packageName === '@tensorflow/tfjs-node')
    return { ok: false, why: 'only the CPU package @tensorflow/tfjs-node is installed' };
  const missing = cudaLibraryReport()
    .filter((lib) => lib.path === null)
    .map((lib) => lib.wanted);
  const why =
    missing.length > 0
      ? `${missing.join(', ')} not found (libtensorflow ${load.libtensorflow} needs CUDA 11.2 and cuDNN 8)`
      : 'CUDA libraries are present but no GPU is visible (driver, or --gpus in containers)';
  return { ok: false, why: `${load.packageName} loads but libtensorflow sees no GPU: ${why}` };
}

/** Linux with no GPU device node, and no Vulkan driver or Dawn option chosen by the user. */
function cannotHaveHardwareAdapter(): boolean {
  return (
    process.platform === 'linux' &&
    gpuDeviceNodes().length === 0 &&
    !process.env.VK_DRIVER_FILES &&
    dawnOptions().length === 0
  );
}

async function webgpuVerdict(open: WebgpuOpen, forced: boolean): Promise<Verdict> {
  if (!open.ok) return { ok: false, why: open.why };
  const name = describeAdapter(open.adapter);
  if (!forced && open.adapter.kind !== 'discrete')
    return { ok: false, why: `adapter ${name} is not a discrete GPU (--backend webgpu uses it anyway)` };
  try {
    await open.register();
  } catch (error) {
    return { ok: false, why: `adapter ${name} refused a device: ${(error as Error).message.split('\n')[0]}` };
  }
  const note = open.adapter.kind === 'software' ? 'warning: a software WebGPU adapter is slower than wasm' : undefined;
  return { ok: true, label: `webgpu (${name})`, note };
}

/** Null when wasm initialises and can train a convolution; otherwise why not. Leaves wasm active. */
async function initWasm(): Promise<string | null> {
  try {
    require('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return 'the wasm backend failed to initialise (its .wasm files are missing?)';
    registerWasmConv2DBackpropFilter();
    const gradient = tf.tidy(() => {
      const x = tf.ones<tf.Rank.R4>([1, 3, 3, 1]);
      return tf.grad((f) => tf.conv2d(x, f as tf.Tensor4D, 1, 'same'))(tf.ones([2, 2, 1, 1]));
    });
    await readAndDispose(gradient);
    return null;
  } catch (error) {
    return `wasm cannot train a convolution: ${(error as Error).message.split('\n')[0]}`;
  }
}
