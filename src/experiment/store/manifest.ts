import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Manifest } from '../../report/records';
import { readManifest, writeManifest } from './seed-folder';

/** dist/src/experiment/<job folder> → the package root. */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** HEAD, with "-dirty" when tracked files differ from it; null outside a git checkout. */
function gitCommit(): string | null {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
  try {
    const head = git('rev-parse', 'HEAD');
    if (!head) return null;
    return git('status', '--porcelain', '--untracked-files=no') ? `${head}-dirty` : head;
  } catch {
    return null;
  }
}

// Read once at start-up: a commit made while a long run goes on must not relabel the code that is running.
const STARTUP_COMMIT = gitCommit();

function packageVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

/** Starts a session: a new manifest, or the old one (same config) with one more session. */
export function beginManifest(
  seedDir: string,
  fields: Pick<Manifest, 'experiment' | 'run' | 'seed' | 'preset' | 'configHash' | 'config' | 'backend' | 'evalShard'>,
): Manifest {
  const old = readManifest(seedDir);
  const keep = old && old.configHash === fields.configHash ? old : undefined;
  const manifest: Manifest = {
    ...fields,
    versions: { satBench: packageVersion(), tfjs: tf.version.tfjs, node: process.versions.node },
    gitCommit: STARTUP_COMMIT,
    startedAt: keep?.startedAt ?? new Date().toISOString(),
    sessions: (keep?.sessions ?? 0) + 1,
    phases: keep?.phases ?? { train: 0, eval: 0 },
  };
  writeManifest(seedDir, manifest);
  return manifest;
}
