import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Errors the user can fix (bad flag, bad config, corrupt data file, divergence).
 * The CLI prints `sat-bench: <message>\n  fix: <fix>` and exits 2; anything else is a bug (exit 70).
 */
export class UserError extends Error {
  readonly code: string;
  readonly fix: string;

  constructor(code: string, message: string, fix: string) {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.fix = fix;
  }
}

/** Levenshtein distance: used to suggest the closest known name. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** "did you mean "silu"? Known: a, b, c." — the fix text for an unknown name. */
export function suggestName(got: string, known: readonly string[]): string {
  const ranked = [...known].sort((a, b) => editDistance(got, a) - editDistance(got, b));
  const close = ranked.length > 0 && editDistance(got, ranked[0]) <= Math.max(2, Math.floor(got.length / 3));
  return `${close ? `did you mean "${ranked[0]}"? ` : ''}Known: ${known.join(', ')}.`;
}

/** Resolves a name in a registry or throws a UserError listing the valid names. */
export function lookup<T>(registry: Record<string, T>, name: string, what: string, where: string): T {
  if (Object.prototype.hasOwnProperty.call(registry, name)) return registry[name];
  throw new UserError(
    `unknown-${what.replace(/\s+/g, '-')}`,
    `${where}: unknown ${what} "${name}"`,
    suggestName(name, Object.keys(registry)),
  );
}

/** What a failed write's errno means for the user, and the first half of its fix. */
const STORAGE_ERRORS: Record<string, { what: string; fix: (disk: string) => string }> = {
  ENOSPC: { what: 'no space left on the device', fix: (disk) => `free space on ${disk} or pass --out on another disk` },
  EDQUOT: {
    what: 'the disk quota is used up',
    fix: (disk) => `free space in your quota on ${disk} or pass --out on another disk`,
  },
  EROFS: {
    what: 'the file system is read-only',
    fix: (disk) => `remount ${disk} read-write or pass --out on a writable disk`,
  },
  EACCES: {
    what: 'permission denied',
    fix: (disk) => `make ${disk} writable for this user (chmod, chown) or pass --out elsewhere`,
  },
  EPERM: {
    what: 'operation not permitted',
    fix: (disk) => `make ${disk} writable for this user (chmod, chown) or pass --out elsewhere`,
  },
  ENOENT: {
    what: 'the folder was removed while the command ran',
    fix: (disk) => `put ${disk} back (or leave it alone while a command writes there)`,
  },
};

const isInside = (file: string, dir: string) => {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/**
 * A full disk, a quota, a read-only or forbidden output folder, or an output folder that vanished mid-run, as a
 * UserError naming the path and the fix (`afterwards`: what the same command does when rerun); undefined for any
 * other error. EACCES/EPERM/ENOENT count only under `outDir` (when known), ENOENT only when the file's folder is
 * gone: elsewhere they are not about the output. Nothing finished is lost in any of these: every write is atomic.
 */
export function storageError(error: unknown, context: { outDir?: string; afterwards: string }): UserError | undefined {
  const { code, path: file, syscall } = error as NodeJS.ErrnoException;
  const kind = typeof code === 'string' ? STORAGE_ERRORS[code] : undefined;
  if (!(error instanceof Error) || kind === undefined || code === undefined) return undefined;
  const underOut = context.outDir !== undefined && file !== undefined && isInside(file, context.outDir);
  if ((code === 'EACCES' || code === 'EPERM' || code === 'ENOENT') && !underOut) return undefined;
  if (code === 'ENOENT' && fs.existsSync(path.dirname(file!))) return undefined;
  const where =
    context.outDir !== undefined && (file === undefined || underOut) ? `--out ${context.outDir}` : (file ?? 'output');
  const got = `got ${code}${file !== undefined ? ` ${syscall === 'write' || syscall === 'fsync' ? 'writing' : 'at'} ${file}` : ''}`;
  const disk = context.outDir ?? (file !== undefined ? path.dirname(file) : 'the output folder');
  return new UserError(
    `storage-${code.toLowerCase()}`,
    `${where}: ${kind.what}, ${got}`,
    `${kind.fix(disk)}; ${context.afterwards}`,
  );
}
