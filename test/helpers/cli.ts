import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO_ROOT, 'bin', 'sat-bench.js');

/** A seconds-long smoke run: 256 training glyphs and 16 attacked examples, no estimate (for tests that need finished units, not their numbers). */
export const TINY_SMOKE = [
  '--preset',
  'smoke',
  '--no-estimate',
  '--set',
  'dataset.trainSize=256',
  '--set',
  'eval.examples=16',
];

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/sat-bench.js as a user would, in a child process. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 600_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sat-bench-${prefix}-`));
}
