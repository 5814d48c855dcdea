import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileSynced } from '../../util/atomic-write';
import { UserError } from '../../util/errors';
import { NEVER_KILL, type KillPoints } from './kill-point';
import { CHECKPOINT_FILES, readRequiredJson } from './seed-folder';

/** A checkpoint on disk: a JSON index (last written) beside one Float32 file of every tensor, concatenated. */
export interface CheckpointFiles<Index> {
  index: Index;
  values: Float32Array;
}

const { index: INDEX, values: VALUES } = CHECKPOINT_FILES;

function syncFolder(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on folders; the renames are still atomic there.
  }
}

/**
 * Replaces folder `<parent>/<name>` atomically: writes `<name>.next`, fsyncs it, moves the old folder to
 * `<name>.prev`, moves the new one in, then deletes `.prev`. A crash at any instant leaves a complete folder under
 * `<name>` or `<name>.prev`, which `readCheckpointFiles` falls back to.
 */
export function writeCheckpointFiles(
  parent: string,
  name: string,
  files: CheckpointFiles<unknown>,
  kill: KillPoints = NEVER_KILL,
): void {
  const live = path.join(parent, name);
  const next = `${live}.next`;
  const prev = `${live}.prev`;
  fs.rmSync(next, { recursive: true, force: true });
  try {
    fs.mkdirSync(next, { recursive: true });
    const values = files.values;
    writeFileSynced(path.join(next, VALUES), new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    kill.reach('checkpoint-write');
    writeFileSynced(path.join(next, INDEX), Buffer.from(`${JSON.stringify(files.index)}\n`, 'utf8'));
  } catch (error) {
    // A full disk: the last complete checkpoint stays; the partial one would only hold the space.
    fs.rmSync(next, { recursive: true, force: true });
    throw error;
  }
  syncFolder(next);
  if (fs.existsSync(live)) {
    fs.rmSync(prev, { recursive: true, force: true });
    fs.renameSync(live, prev);
  }
  kill.reach('checkpoint-swap');
  fs.renameSync(next, live);
  syncFolder(parent);
  fs.rmSync(prev, { recursive: true, force: true });
}

function complete(dir: string): boolean {
  return fs.existsSync(path.join(dir, INDEX)) && fs.existsSync(path.join(dir, VALUES));
}

/** The folder's checkpoint (or the one a crash left in `.prev`); undefined when there is none. */
export function readCheckpointFiles<Index extends { floats: number }>(
  parent: string,
  name: string,
): CheckpointFiles<Index> | undefined {
  const live = path.join(parent, name);
  const dir = [live, `${live}.prev`].find(complete);
  if (!dir) return undefined;
  const index = readRequiredJson<Index>(path.join(dir, INDEX), 'checkpoint index');
  const bytes = fs.readFileSync(path.join(dir, VALUES));
  if (bytes.byteLength !== index.floats * 4) {
    throw new UserError(
      'corrupt-checkpoint',
      `${dir}: ${VALUES} holds ${bytes.byteLength} bytes, the index expects ${index.floats * 4}`,
      `delete ${dir} to restart that run from scratch`,
    );
  }
  // Copy into an aligned buffer: a Buffer's offset into its pool need not be a multiple of 4.
  const values = new Float32Array(index.floats);
  new Uint8Array(values.buffer).set(bytes);
  return { index, values };
}

export function removeCheckpointFiles(parent: string, name: string): void {
  for (const suffix of ['', '.prev', '.next'])
    fs.rmSync(path.join(parent, `${name}${suffix}`), { recursive: true, force: true });
}
