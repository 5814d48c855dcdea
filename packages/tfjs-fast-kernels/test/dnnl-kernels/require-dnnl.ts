import * as assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { loadDnnlBinding, type DnnlBinding } from '../../src/dnnl-binding';

/**
 * The oneDNN addon, or a visible skip when it was not built (or SAT_BENCH_NO_DNNL=1 turned it off); a failure
 * instead when SAT_BENCH_REQUIRE_DNNL=1 (CI, where libdnnl-dev is installed).
 */
export function requireDnnl(t: TestContext): DnnlBinding | null {
  const load = loadDnnlBinding();
  if (load.ok) return load.binding;
  if (process.env.SAT_BENCH_REQUIRE_DNNL === '1') assert.fail(`SAT_BENCH_REQUIRE_DNNL=1 but ${load.reason}`);
  t.skip(`oneDNN kernels unavailable: ${load.reason}`);
  return null;
}
