// glibc's malloc serves every request above its mmap threshold (128 KiB, rising to at most 32 MiB) with a fresh mmap
// and unmaps it on free, so on the cpu backend each large tensor is faulted in page by page, zeroed by the kernel, at
// every op (the first stage of W-cifar is 128×32×32×64 floats, 33.5 MB). With mmap off, freed blocks are reused: on
// W-cifar's bench steps the CPU time per step halves (docs/speed.md, "The allocator"). The wasm backend keeps its tensors in
// one linear memory and gains nothing.
// glibc reads these settings only when a process starts, so the launcher (src/cli/launch.ts) starts the computing
// commands in a child process that has them. No TF.js here: the launcher loads this before anything heavy.

/** Never mmap (freed blocks go back to the heap and are reused), never give the heap's top back, grow it 256 MiB at a time. */
export const TUNED_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_MAX_: '0',
  MALLOC_TRIM_THRESHOLD_: String(2 ** 32),
  MALLOC_TOP_PAD_: String(2 ** 28),
};

/** Set by the launcher in the child it starts; a user sets it to `default` to keep glibc's own settings. */
export const ALLOCATOR_SWITCH = 'SAT_BENCH_ALLOCATOR';

export type AllocatorState =
  { kind: 'tuned'; glibc: string } | { kind: 'default'; glibc: string; why: string } | { kind: 'not-glibc' };

/** glibc's version when this process runs on it (Linux with glibc; not musl, macOS or Windows). */
export function glibcVersion(): string | null {
  if (process.platform !== 'linux') return null;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime ?? null;
}

/** Whether this process's malloc has the tuned settings (the environment it started with says so). */
export function allocatorState(
  env: NodeJS.ProcessEnv = process.env,
  glibc: string | null = glibcVersion(),
): AllocatorState {
  if (glibc === null) return { kind: 'not-glibc' };
  if (env.MALLOC_MMAP_MAX_ === '0') return { kind: 'tuned', glibc };
  const why =
    env[ALLOCATOR_SWITCH] === 'default'
      ? `${ALLOCATOR_SWITCH}=default`
      : env.MALLOC_MMAP_MAX_ !== undefined
        ? `MALLOC_MMAP_MAX_=${env.MALLOC_MMAP_MAX_} set by the caller`
        : 'started without the sat-bench launcher (bin/sat-bench.js)';
  return { kind: 'default', glibc, why };
}

export function describeAllocator(state: AllocatorState): string {
  switch (state.kind) {
    case 'tuned':
      return `glibc ${state.glibc} malloc tuned for large tensors (MALLOC_MMAP_MAX_=0: freed tensor memory is reused, not unmapped)`;
    case 'default':
      return (
        `glibc ${state.glibc} malloc at its defaults (${state.why}): on the cpu backend every tensor above its mmap threshold (128 KiB growing to 32 MiB) is ` +
        `page-faulted in afresh (W-cifar: ~2× the CPU time per step); start through bin/sat-bench.js, or set ` +
        Object.entries(TUNED_MALLOC_ENV)
          .map(([key, value]) => `${key}=${value}`)
          .join(' ')
      );
    case 'not-glibc':
      return 'not glibc: malloc left as it is';
  }
}
