// `run --workers N`: N processes share one experiment's (run, seed) units on this machine. A unit is one training
// and one evaluation, and the wasm backend computes on one thread between its multi-threaded convolutions, so one
// process leaves a core partly idle; several processes fill the cores. They coordinate only through the unit locks
// of the results folder (store/unit-lock.ts), as workers on several machines do, so a unit's numbers do not depend
// on which process ran it. This module starts and watches the helper processes; the caller runs units itself.
import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { UserError } from '../util/errors';
import { EXIT } from './exit-codes';
import { HELPER_ENV } from './launch';

// The signals the run itself handles (checkpoint, then stop); on SIGHUP this process dies and the helpers follow.
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * How many processes `--workers` asks for: a count, or `auto` = one per core, at most one per unit left and at most 8.
 */
export function chooseWorkers(flag: string, units: number, cores = os.availableParallelism()): number {
  if (flag === 'auto') return Math.max(1, Math.min(cores, units, 8));
  const count = Number(flag);
  if (!Number.isInteger(count) || count < 1)
    throw new UserError(
      'bad-flag',
      `--workers: expected a positive integer or auto, got ${flag}`,
      'e.g. --workers 2, or --workers auto (one per core)',
    );
  return Math.min(count, Math.max(1, units));
}

/** The same command line for a helper: `--workers 1` (a helper starts no helpers of its own) and no start estimate. */
export function helperArgv(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--workers') i++;
    else if (
      !arg.startsWith('--workers=') &&
      arg !== '--estimate' &&
      arg !== '--no-estimate' &&
      !arg.startsWith('--estimate=')
    )
      kept.push(arg);
  }
  return [...kept, '--workers', '1', '--no-estimate'];
}

export interface Helpers {
  /** Resolves once every helper has exited, with the helpers whose exit was not a clean finish (0, or 3: units failed). */
  settled(): Promise<string[]>;
  /** Asks every live helper to checkpoint and stop (SIGTERM), as when this process fails. */
  stop(): void;
}

/**
 * Starts `count` helpers running `sat-bench <argv>` and relays each line they print to `log`, prefixed with the
 * helper's number. Signals this process receives are passed on (Ctrl-C then checkpoints every worker); a helper
 * whose parent dies stops itself (launch.ts watches the IPC channel).
 */
export function startHelpers(count: number, argv: readonly string[], log: (line: string) => void): Helpers {
  const bin = path.join(__dirname, '..', '..', '..', 'bin', 'sat-bench.js');
  const children: Array<{ name: string; child: ChildProcess; exit: Promise<string | null> }> = [];
  for (let k = 0; k < count; k++) {
    const name = `worker ${k + 2}`;
    const child = spawn(process.execPath, [bin, ...helperArgv(argv)], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, [HELPER_ENV]: String(process.pid) },
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => log(`${name}: ${line}`));
    }
    const exit = new Promise<string | null>((resolve) => {
      child.once('error', (error) => resolve(`${name} could not start: ${error.message}`));
      child.once('exit', (code, signal) =>
        resolve(
          code === EXIT.ok || code === EXIT.unitsFailed ? null : `${name} exited with ${signal ?? `code ${code}`}`,
        ),
      );
    });
    children.push({ name, child, exit });
  }
  const forward = (signal: NodeJS.Signals) =>
    children.forEach(({ child }) => child.exitCode === null && child.signalCode === null && child.kill(signal));
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  return {
    stop: () => forward('SIGTERM'),
    async settled() {
      const problems = await Promise.all(children.map((c) => c.exit));
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
      return problems.filter((p): p is string => p !== null);
    },
  };
}
