// The CLI's first step (bin/sat-bench.js): the commands that compute run in a child process whose malloc is tuned
// for large tensors (src/engine/allocator.ts says why and what it buys), because glibc reads those settings only at
// start. The parent only waits: it forwards the signals a user or a scheduler sends (so Ctrl-C and SIGTERM still
// finish the batch and checkpoint), exits with the child's code, and dies by the child's signal.
// No TF.js here: the parent must start fast.
import { spawn } from 'node:child_process';
import { ALLOCATOR_SWITCH, TUNED_MALLOC_ENV, glibcVersion } from '../engine/allocator';
import { EXIT } from './exit-codes';

/** The commands that run models (and doctor, which reports what they get). */
export const COMPUTING_COMMANDS: ReadonlySet<string> = new Set(['run', 'eval', 'bench', 'doctor']);
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** Set in the environment of a `run --workers` helper, to its parent's pid (cli/workers.ts). */
export const HELPER_ENV = 'SAT_BENCH_HELPER_OF';

/**
 * Whether `sat-bench argv…` should be relaunched with the tuned allocator. `glibc` is asked last: it builds a
 * process report (~7 ms), which the light commands and the relaunched child need not pay.
 */
export function shouldRelaunch(argv: readonly string[], env: NodeJS.ProcessEnv, glibc: () => string | null): boolean {
  const command = argv.find((arg) => !arg.startsWith('-'));
  return (
    command !== undefined &&
    COMPUTING_COMMANDS.has(command) &&
    env[ALLOCATOR_SWITCH] === undefined &&
    env.MALLOC_MMAP_MAX_ === undefined &&
    glibc() !== null
  );
}

/**
 * Runs `script argv…` in a child with the tuned allocator and resolves to its exit code; when a signal ends the
 * child, this process is ended by the same signal. Resolves null when no relaunch is needed (run in-process).
 */
export function relaunchIfNeeded(script: string, argv: string[]): Promise<number | null> {
  // A relaunched child, and a `run --workers` helper (which has an IPC channel to its parent whatever its allocator).
  if (process.env[ALLOCATOR_SWITCH] === 'tuned' || process.env[HELPER_ENV] !== undefined) watchParent();
  if (!shouldRelaunch(argv, process.env, glibcVersion)) return Promise.resolve(null);
  // A process group of its own, so a terminal's Ctrl-C reaches the child once (forwarded), not twice (a second
  // SIGINT means "quit at once" to the run).
  const child = spawn(process.execPath, [...process.execArgv, script, ...argv], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...TUNED_MALLOC_ENV, [ALLOCATOR_SWITCH]: 'tuned' },
    detached: true,
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const name of FORWARDED_SIGNALS) process.off(name, forward);
      if (signal !== null) process.kill(process.pid, signal);
      else resolve(code ?? EXIT.internal); // Node gives a code whenever there is no signal
    });
  });
}

/**
 * In the child: if the parent is killed outright (SIGKILL, OOM killer), its end of the IPC channel closes; the
 * child then stops too, instead of running on unseen and racing a rerun for the same output folder.
 */
function watchParent(): void {
  const channel = (process as { channel?: { unref(): void } }).channel;
  if (channel === undefined) return;
  process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  channel.unref(); // the channel alone must not keep the child alive once its work is done
}
