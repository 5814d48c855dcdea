import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readJsonFile } from './seed-folder';

/**
 * One worker per (run, seed) at a time, so several processes (a Slurm array started twice, two terminals) can share
 * one results folder: each takes `<seed dir>/<name>` with an exclusive create before training a unit, refreshes its
 * mtime as a heartbeat, and removes it when done. A lock whose holder is gone is taken over: at once when its pid is
 * dead on this host, else once the heartbeat is older than `staleAfterMs` (a crashed worker on another machine).
 */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

export type LockAttempt =
  { acquired: true; release(): void } | { acquired: false; holder: LockHolder; heartbeatSecondsAgo: number };

export interface LockOptions {
  /** A heartbeat older than this marks the holder gone (default 15 min: a long synchronous batch must not lose it). */
  staleAfterMs?: number;
  heartbeatMs?: number;
  /** Injected by tests. */
  host?: string;
  pid?: number;
  isAlive?(pid: number): boolean;
}

const HEARTBEAT_MS = 30_000;
const STALE_AFTER_MS = 15 * 60_000;

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

function readHolder(file: string): { holder: LockHolder; ageMs: number } | undefined {
  try {
    const ageMs = Date.now() - fs.statSync(file).mtimeMs;
    const holder = readJsonFile<LockHolder>(file, 'unit lock', 'absent');
    return holder && { holder, ageMs };
  } catch {
    return undefined; // released meanwhile, or caught half-written: treated as free and retried
  }
}

function createExclusive(file: string, holder: LockHolder): boolean {
  try {
    fs.writeFileSync(file, JSON.stringify(holder), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Takes the lock `dir/name` unless a live worker holds it. */
export function tryLockUnit(dir: string, name: string, options: LockOptions = {}): LockAttempt {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  const me: LockHolder = {
    pid: options.pid ?? process.pid,
    host: options.host ?? os.hostname(),
    startedAt: new Date().toISOString(),
  };
  const isAlive = options.isAlive ?? pidIsAlive;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, me)) return held(file, options.heartbeatMs ?? HEARTBEAT_MS);
    const found = readHolder(file);
    if (!found) continue;
    const dead = found.holder.host === me.host && !isAlive(found.holder.pid);
    if (!dead && found.ageMs <= (options.staleAfterMs ?? STALE_AFTER_MS)) {
      return { acquired: false, holder: found.holder, heartbeatSecondsAgo: Math.round(found.ageMs / 1000) };
    }
    // Renaming is atomic: of several workers that judged it stale, one moves it away; the others find it gone.
    try {
      fs.renameSync(file, `${file}.stale-${me.pid}`);
      fs.rmSync(`${file}.stale-${me.pid}`, { force: true });
    } catch {
      // another worker took it over first; try again
    }
  }
  const found = readHolder(file);
  return {
    acquired: false,
    holder: found?.holder ?? { pid: -1, host: '?', startedAt: '?' },
    heartbeatSecondsAgo: Math.round((found?.ageMs ?? 0) / 1000),
  };
}

function held(file: string, heartbeatMs: number): LockAttempt {
  const timer = setInterval(() => {
    const now = new Date();
    try {
      fs.utimesSync(file, now, now);
    } catch {
      // the folder was removed under us; nothing to keep alive
    }
  }, heartbeatMs);
  timer.unref();
  return {
    acquired: true,
    release: () => {
      clearInterval(timer);
      fs.rmSync(file, { force: true });
    },
  };
}
