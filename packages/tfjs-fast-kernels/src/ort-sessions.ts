import { availableParallelism } from 'node:os';
import type { OrtBinding } from './ort-binding';
import { SessionCache } from './session-cache';

/** Sessions kept per pool; the W-mnist step uses a few dozen, eval batches and W-cifar add more. */
const SESSION_CAPACITY = 256;
/**
 * Constant-filter sessions are rebuilt for every filter version, so most of them go stale after one train step;
 * this keeps a few steps' worth (W-mnist: 7 per step, ResNet-18: ~40) without hoarding their arenas.
 */
const CONSTANT_FILTER_CAPACITY = 64;

/**
 * The session pools of one installation. Convolutions and matrix products use every core. Elementwise ops
 * and reductions are memory-bound: one thread ran them faster than two here (Sum over N·H·W of 3.2M floats:
 * 0.8 ms against 5 ms), and a one-thread session starts no thread pool of its own.
 */
export class OrtSessions {
  readonly compute: SessionCache;
  readonly constantFilter: SessionCache;
  readonly memoryBound: SessionCache;

  constructor(binding: OrtBinding) {
    const threads = Math.min(availableParallelism(), 8);
    this.compute = new SessionCache(binding, { capacity: SESSION_CAPACITY, threads });
    this.constantFilter = new SessionCache(binding, { capacity: CONSTANT_FILTER_CAPACITY, threads });
    this.memoryBound = new SessionCache(binding, { capacity: SESSION_CAPACITY, threads: 1 });
  }

  private pools(): SessionCache[] {
    return [this.compute, this.constantFilter, this.memoryBound];
  }

  stats(): { alive: number; created: number } {
    return this.pools().reduce(
      (sum, pool) => {
        const { alive, created } = pool.stats();
        return { alive: sum.alive + alive, created: sum.created + created };
      },
      { alive: 0, created: 0 },
    );
  }

  dispose(): void {
    for (const pool of this.pools()) pool.dispose();
  }
}
