import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeJsonAtomic } from '../../util/atomic-write';
import type { Progress } from '../../util/progress';
import { BEST_CHECKPOINT, CHECKPOINT } from './checkpoint';
import { legacyConfigHash, type UnitConfig } from '../config/config-hash';

/** The JSON files of a seed folder that carry a `configHash`: metrics, checkpoint indexes, eval shards. */
function stampedFiles(seedDir: string): string[] {
  if (!fs.existsSync(seedDir)) return [];
  const checkpoints = [CHECKPOINT, BEST_CHECKPOINT].flatMap((name) => [name, `${name}.prev`]).map((name) => path.join(seedDir, name, 'index.json'));
  const shards = fs.readdirSync(seedDir).filter((name) => /^eval-shard-\d+-of-\d+\.json$/.test(name)).map((name) => path.join(seedDir, name));
  return [path.join(seedDir, 'metrics.json'), ...checkpoints, ...shards].filter((file) => fs.existsSync(file));
}

/**
 * Results made before the guard hashed only numbers carry the old hash of the same config: re-stamp them with the
 * new one (each file rewritten atomically, its content otherwise unchanged), so an upgrade keeps finished runs.
 * A file whose hash is neither is left alone for the guard to refuse. Returns how many files were re-stamped.
 */
export function restampLegacyHashes(seedDir: string, config: UnitConfig, hash: string, progress: Progress): number {
  const legacy = legacyConfigHash(config);
  let count = 0;
  for (const file of stampedFiles(seedDir)) {
    let content: { configHash?: unknown };
    try {
      content = JSON.parse(fs.readFileSync(file, 'utf8')) as { configHash?: unknown };
    } catch {
      continue; // the readers report damaged files with their fix
    }
    if (content.configHash !== legacy || legacy === hash) continue;
    writeJsonAtomic(file, { ...content, configHash: hash });
    count++;
  }
  if (count > 0) progress.log(`${seedDir}: ${count} file(s) re-stamped from the old config hash (prose included) to the new one (numbers only)`);
  return count;
}
