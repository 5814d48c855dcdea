import { encodeModel, type OnnxGraph } from './onnx-proto';
import { sessionOptions, type NativeSession, type OrtBinding, type OrtTensorLike } from './ort-binding';

/** A buffer with the ONNX dims it has in the graph (may differ from the TF.js shape, same memory). */
export interface Feed {
  data: Float32Array | Uint8Array;
  dims: readonly number[];
}

export interface SessionCacheOptions {
  /** Sessions kept alive; each holds its own memory arena, so this bounds ORT's memory. */
  capacity: number;
  /** ORT intra-op threads. */
  threads: number;
}

/**
 * One ORT session per (kernel, shapes, attributes), least recently used evicted and disposed.
 * Kernels run synchronously through the native binding, writing into preallocated output buffers.
 */
export class SessionCache {
  private readonly sessions = new Map<string, NativeSession>();
  private created = 0;

  constructor(
    private readonly binding: OrtBinding,
    private readonly options: SessionCacheOptions,
  ) {}

  /** Runs the graph cached under `key` (built by `build` on first use) with outputs written into `outputs`. */
  run(key: string, build: () => OnnxGraph, inputs: Record<string, Feed>, outputs: Record<string, Feed>): void {
    const session = this.sessionFor(key, build);
    session.run(toOrt(inputs), toOrt(outputs), {});
  }

  /** Disposes the session cached under `key`, if any (its filter version is gone for good). */
  evict(key: string): void {
    const session = this.sessions.get(key);
    if (!session) return;
    this.sessions.delete(key);
    session.dispose();
  }

  /** ORT's intra-op threads in these sessions. */
  get threads(): number {
    return this.options.threads;
  }

  /** How many sessions are alive and how many were ever created (for tests and reports). */
  stats(): { alive: number; created: number } {
    return { alive: this.sessions.size, created: this.created };
  }

  dispose(): void {
    for (const session of this.sessions.values()) session.dispose();
    this.sessions.clear();
  }

  private sessionFor(key: string, build: () => OnnxGraph): NativeSession {
    const cached = this.sessions.get(key);
    if (cached) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      this.sessions.delete(key);
      this.sessions.set(key, cached);
      return cached;
    }
    const model = encodeModel(build());
    const session = this.binding.createSession();
    session.loadModel(
      model.buffer as ArrayBuffer,
      model.byteOffset,
      model.byteLength,
      sessionOptions(this.options.threads),
    );
    this.created++;
    this.sessions.set(key, session);
    while (this.sessions.size > this.options.capacity) {
      const [oldestKey, oldest] = this.sessions.entries().next().value as [string, NativeSession];
      this.sessions.delete(oldestKey);
      oldest.dispose();
    }
    return session;
  }
}

function toOrt(feeds: Record<string, Feed>): Record<string, OrtTensorLike> {
  const out: Record<string, OrtTensorLike> = {};
  for (const [name, feed] of Object.entries(feeds)) {
    const type = feed.data instanceof Float32Array ? 'float32' : 'bool';
    out[name] = { location: 'cpu', type, dims: feed.dims, data: feed.data } as OrtTensorLike;
  }
  return out;
}
