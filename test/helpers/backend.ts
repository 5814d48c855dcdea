import { prepareBackend, BACKEND_CHOICES, type BackendRequest } from '../../src/cli/setup';

/**
 * The CLI's start-up, for tests: the backend named by $SAT_BENCH_BACKEND (default auto) with the fast kernels,
 * so the tests exercise the same kernels the tool runs on.
 */
export async function setupTestBackend(): Promise<string> {
  const requested = (process.env.SAT_BENCH_BACKEND ?? 'auto') as BackendRequest;
  if (!BACKEND_CHOICES.includes(requested)) throw new Error(`SAT_BENCH_BACKEND: unknown backend "${requested}"`);
  return (await prepareBackend(requested)).provenance;
}
