import { BACKEND_REQUESTS, setupBackend, type BackendChoice, type BackendRequest } from '../engine/backend';
import { UserError } from '../util/errors';

/** What `--backend` accepts. */
export const BACKEND_CHOICES: readonly BackendRequest[] = BACKEND_REQUESTS;
export type { BackendRequest };

/** `--fast-kernels` (on by default): `--no-fast-kernels` runs plain TF.js, to time it or to rule the kernels out. */
export const FAST_KERNELS_OPTION = {
  type: 'boolean',
  default: true,
  describe: 'replace the slow TF.js kernels with the fast CPU ones (--no-fast-kernels: plain TF.js, slow)',
} as const;

/** Backend choice and kernel registration: once, at start-up, the same call the tests make. */
export async function prepareBackend(request: BackendRequest, fastKernels = true): Promise<BackendChoice> {
  return setupBackend(request, { fastKernels });
}

/**
 * The wasm heap stops at 4 GiB. A PreAct-ResNet-18 train step needs about 1.2 GB at batch 32 and 2.2 GB at 64
 * (measured), so batch 128 would abort inside wasm; ResNet-50 at 224×224 needs far more.
 */
export function exceedsWasmHeap(model: string, batchSize: number): boolean {
  return (model === 'preactresnet18' && batchSize > 64) || model === 'resnet50';
}

/**
 * Like prepareBackend, but for models whose steps do not fit the wasm heap: auto skips wasm (the start-up line says
 * why) and lands on cpu with the same fast kernels; a forced --backend wasm is refused with the fix instead of
 * aborting mid-run.
 */
export async function prepareBackendFor(
  request: BackendRequest,
  workload: { model: string; batchSize: number },
  fastKernels = true,
): Promise<BackendChoice> {
  if (!exceedsWasmHeap(workload.model, workload.batchSize)) return prepareBackend(request, fastKernels);
  const why = `${workload.model} at batch ${workload.batchSize} needs more than the 4 GiB wasm heap`;
  if (request === 'wasm') {
    const cpu = 'use --backend cpu (same fast kernels, no heap limit)';
    const smallerBatch = ' or a batch of 64 or less (run: --set train.batchSize=64; bench: --batch-size 64)';
    throw new UserError(
      'wasm-heap',
      `--backend wasm: ${why}`,
      workload.model === 'preactresnet18' ? cpu + smallerBatch : cpu,
    );
  }
  return setupBackend(request, { fastKernels, ruledOut: { backend: 'wasm', why } });
}
