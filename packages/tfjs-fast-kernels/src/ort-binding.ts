// Loads onnxruntime-node's native binding directly. Its public InferenceSession.run is async (it defers
// to setImmediate), but TF.js kernels must be synchronous; the binding underneath runs synchronously.

/** An ORT tensor as the native binding reads it (the shape of onnxruntime-common's Tensor). */
export type OrtTensorLike =
  | { location: 'cpu'; type: 'float32'; dims: readonly number[]; data: Float32Array }
  | { location: 'cpu'; type: 'bool'; dims: readonly number[]; data: Uint8Array };

export interface NativeSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  run(
    feeds: Record<string, OrtTensorLike>,
    fetches: Record<string, OrtTensorLike | null>,
    options: object,
  ): Record<string, OrtTensorLike>;
  dispose(): void;
}

export interface OrtBinding {
  createSession(): NativeSession;
  version: string;
}

export type OrtLoad = { ok: true; binding: OrtBinding } | { ok: false; reason: string };

interface RawBindingModule {
  binding: { InferenceSession: new () => NativeSession };
  initOrt(): void;
}

/**
 * Require and initialise the binding. Node caches modules and `initOrt` guards itself, so calling this
 * again is cheap and returns the same native objects. `load` is injectable so tests can simulate a missing package.
 */
export function loadOrtBinding(load: (id: string) => unknown = require): OrtLoad {
  // ORT's telemetry otherwise queues an event per session in a SQLite database under ~/.cache/Microsoft/ (and
  // /tmp/mat-debug-<pid>.log when processes contend for it): a 20-step smoke run wrote 21 MB with it, 0.7 MB without,
  // for nothing we use. ORT_DISABLE_TELEMETRY=0 in the environment keeps it on.
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
  try {
    const raw = load('onnxruntime-node/dist/binding') as RawBindingModule;
    const { version } = load('onnxruntime-node/dist/version') as { version: string };
    raw.initOrt();
    return { ok: true, binding: { createSession: () => new raw.binding.InferenceSession(), version } };
  } catch (error) {
    return { ok: false, reason: `onnxruntime-node cannot load: ${firstLine(error)}` };
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}

/**
 * Session options for `threads` intra-op threads. Spinning is off because TF.js runs JS between kernels and
 * spinning workers then steal its core (measured 2× slower with spinning on).
 */
export function sessionOptions(threads: number): object {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    enableMemPattern: true,
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}
