import * as fs from 'node:fs';
import * as path from 'node:path';
import { presetFolderName } from '../experiment/config/resolve';
import { UserError } from '../util/errors';

/** The preset folders under `out` (`<out>/<preset>/<experiment>/`) that hold results of `experimentId`. */
export function presetFoldersHolding(out: string, experimentId: string): string[] {
  if (!fs.existsSync(out)) return [];
  return fs
    .readdirSync(out, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(out, entry.name, experimentId)))
    .map((entry) => entry.name)
    .sort();
}

/**
 * The preset folder a command reads (`report`): --preset when given, else the one folder under --out that holds
 * the experiment; several are listed for the user to pick from, and none is an error naming the fix.
 */
export function choosePresetFolder(preset: string | undefined, out: string, experimentId: string): string {
  if (preset !== undefined) return presetFolderName(preset);
  const found = presetFoldersHolding(out, experimentId);
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    throw new UserError(
      'several-presets',
      `--preset: ${out} holds ${experimentId} for several presets, got ${found.join(', ')}`,
      `name one: ${found.map((p) => `--preset ${p}`).join(' or ')}`,
    );
  }
  throw new UserError(
    'no-results',
    `--preset: no preset folder under ${out} holds ${experimentId}, got ${describeFolder(out)}`,
    `run sat-bench run ${experimentId} --preset <preset> --out ${out} first, or pass the --out (and --preset) it ran with`,
  );
}

function describeFolder(out: string): string {
  if (!fs.existsSync(out)) return `no folder ${out}`;
  const presets = fs
    .readdirSync(out, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  return presets.length === 0 ? 'an empty folder' : `only ${presets.join(', ')}`;
}
