import { setupBackend, type BackendChoice } from '../engine/backend';

/** What `--backend` accepts. */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKEND_CHOICES)[number];

export interface PreparedBackend extends BackendChoice {
  /** The CSV's `backend` cell: the TF.js backend, plus '+ort' when the fast kernels run. */
  provenance: string;
}

/** Backend choice and kernel registration: once, at start-up, the same call the tests make. */
export async function prepareBackend(request: BackendRequest): Promise<PreparedBackend> {
  const choice = await setupBackend(request, { fastKernels: true });
  return { ...choice, provenance: `${choice.name}${choice.fast ? '+ort' : ''}` };
}
