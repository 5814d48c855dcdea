// Which backend to run on: the candidates, the order `auto` tries them in, and the walk down that order.
// Pure apart from the injected probes, so the order and the messages are testable on a machine without GPUs.

/** Whether wasm or cpu comes first when both have the fast kernels: a single constant, measured by whoever owns
 *  src/engine/fast (swap the two entries to swap the preference). */
export const FAST_KERNEL_ORDER = ['wasm+fast', 'cpu+fast'] as const;

/** Everything `auto` may pick, best first. Plain wasm beats plain cpu because wasm's Conv2D is XNNPACK. */
export const AUTO_ORDER = ['tensorflow-gpu', 'webgpu', 'tensorflow-cpu', ...FAST_KERNEL_ORDER, 'wasm', 'cpu'] as const;

export type CandidateId = (typeof AUTO_ORDER)[number];

/** The TF.js backend each candidate activates, and how it is written in result CSVs. */
export const CANDIDATES = {
  'tensorflow-gpu': { backend: 'tensorflow', fast: false, provenance: 'tensorflow-gpu' },
  webgpu: { backend: 'webgpu', fast: false, provenance: 'webgpu' },
  'tensorflow-cpu': { backend: 'tensorflow', fast: false, provenance: 'tensorflow-cpu' },
  'wasm+fast': { backend: 'wasm', fast: true, provenance: 'wasm+ort' },
  'cpu+fast': { backend: 'cpu', fast: true, provenance: 'cpu+ort' },
  wasm: { backend: 'wasm', fast: false, provenance: 'wasm' },
  cpu: { backend: 'cpu', fast: false, provenance: 'cpu' },
} satisfies Record<CandidateId, { backend: string; fast: boolean; provenance: string }>;

/**
 * The CSV tag of a candidate as it ran: a fast candidate whose convolutions the oneDNN addon carries says `+dnnl`
 * instead of `+ort` (ONNX Runtime then runs the matmuls and elementwise kernels only).
 */
export function provenanceOf(id: CandidateId, convolutionsOnDnnl: boolean): string {
  const { fast, provenance } = CANDIDATES[id];
  return fast && convolutionsOnDnnl ? provenance.replace(/\+ort$/, '+dnnl') : provenance;
}

/** What `--backend` accepts; the CLI's `choices` read this list. */
export const BACKEND_REQUESTS = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];

/** Candidates a request may end on, best first; a forced backend takes any adapter/device it can get. */
export function candidatesFor(request: BackendRequest, options: { fastKernels: boolean }): CandidateId[] {
  const byRequest: Record<BackendRequest, readonly CandidateId[]> = {
    auto: AUTO_ORDER,
    tensorflow: ['tensorflow-gpu', 'tensorflow-cpu'],
    webgpu: ['webgpu'],
    wasm: ['wasm+fast', 'wasm'],
    cpu: ['cpu+fast', 'cpu'],
  };
  return byRequest[request].filter((id) => options.fastKernels || !CANDIDATES[id].fast);
}

export type Verdict = { ok: true; label: string; note?: string } | { ok: false; why: string };

/** One probe per candidate. `forced` relaxes the auto-only rules (e.g. webgpu takes an integrated adapter). */
export type Probes = Record<CandidateId, (context: { forced: boolean }) => Promise<Verdict>>;

export interface Selection {
  id: CandidateId;
  label: string;
  note?: string;
  rejected: Array<{ backend: CandidateId; why: string }>;
}

export interface SelectOptions {
  fastKernels: boolean;
  /** A TF.js backend this workload cannot run on (e.g. wasm for a model beyond its heap): rejected unprobed. */
  ruledOut?: { backend: string; why: string };
}

/** Walks the candidates in order and stops at the first that loads; null when none does. */
export async function selectCandidate(
  request: BackendRequest,
  probes: Probes,
  options: SelectOptions,
): Promise<Selection | { id: null; rejected: Selection['rejected'] }> {
  const rejected: Selection['rejected'] = [];
  for (const id of candidatesFor(request, options)) {
    if (options.ruledOut?.backend === CANDIDATES[id].backend) {
      rejected.push({ backend: id, why: options.ruledOut.why });
      continue;
    }
    const verdict = await probes[id]({ forced: request !== 'auto' });
    if (verdict.ok) return { id, label: verdict.label, note: verdict.note, rejected };
    rejected.push({ backend: id, why: verdict.why });
  }
  return { id: null, rejected };
}

/**
 * The one short line printed at start: what runs, and how it was asked for. Why each faster candidate was not used
 * is in skippedReasons (printed under --verbose, and by `sat-bench doctor`); warnings (plain TF.js, a software
 * adapter) stay on the line.
 */
export function reasonLine(request: BackendRequest, selection: Selection): string {
  const how = request === 'auto' ? 'auto' : `--backend ${request}`;
  const skipped = selection.rejected.length > 0 ? '; --verbose says why not a faster one' : '';
  return [
    `backend: ${selection.label} (${how}${skipped})`,
    ...(selection.note !== undefined ? [selection.note] : []),
  ].join('; ');
}

/** Why each better candidate was not used, one line per reason; candidates failing alike share it. */
export function skippedReasons(selection: Pick<Selection, 'rejected'>): string[] {
  const byWhy = new Map<string, string[]>();
  for (const { backend, why } of selection.rejected) byWhy.set(why, [...(byWhy.get(why) ?? []), backend]);
  return [...byWhy].map(([why, backends]) => `not ${backends.join(', ')}: ${why}`);
}
