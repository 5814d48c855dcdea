import { BACKEND_REQUESTS, setupBackend, type BackendChoice, type BackendRequest } from '../engine/backend';

/** What `--backend` accepts. */
export const BACKEND_CHOICES: readonly BackendRequest[] = BACKEND_REQUESTS;
export type { BackendRequest };

/** Backend choice and kernel registration: once, at start-up, the same call the tests make. */
export async function prepareBackend(request: BackendRequest): Promise<BackendChoice> {
  return setupBackend(request, { fastKernels: true });
}
