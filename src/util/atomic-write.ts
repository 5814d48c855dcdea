import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file so that readers see either the old content or the new, never a torn file:
 * write to a temp file in the same folder, fsync, rename, fsync the folder.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const temp = writeSyncedTemp(file, data);
  fs.renameSync(temp, file);
  syncDirectory(path.dirname(file));
}

/** The first half of an atomic write: `data` in a fsynced temp file beside `file`; the caller renames it. */
export function writeSyncedTemp(file: string, data: string | Uint8Array): string {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return temp;
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
