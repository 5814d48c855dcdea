import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { choosePresetFolder } from '../../src/cli/preset-folder';
import { tempDir } from '../helpers/cli';

/** A results folder with these `<preset>/<experiment>` folders. */
function resultsWith(folders: string[]): string {
  const out = tempDir('presets');
  for (const folder of folders) fs.mkdirSync(path.join(out, folder), { recursive: true });
  return out;
}

const CHOICES: Array<{ name: string; folders: string[]; preset?: string; picks?: string; error?: RegExp }> = [
  { name: 'the one preset folder that holds the experiment', folders: ['smoke/table1'], picks: 'smoke' },
  {
    name: 'that folder, beside others that hold other experiments',
    folders: ['smoke/table1', 'quick/fig3'],
    picks: 'smoke',
  },
  {
    name: 'the --preset given, even where the folder holds nothing',
    folders: ['smoke/table1'],
    preset: 'quick',
    picks: 'quick',
  },
  { name: "a preset file's name, as the folder run wrote", folders: [], preset: './configs/eps3.ts', picks: 'eps3' },
  {
    name: 'an error listing the folders when several hold it',
    folders: ['smoke/table1', 'quick/table1'],
    error: /holds table1 for several presets, got quick, smoke[\s\S]*name one: --preset quick or --preset smoke/,
  },
  {
    name: 'an error naming what is there when none holds it',
    folders: ['smoke/fig3'],
    error:
      /no preset folder under .* holds table1, got only smoke[\s\S]*run sat-bench run table1 --preset <preset> --out /,
  },
  { name: 'an error when --out is empty', folders: [], error: /holds table1, got an empty folder/ },
];
for (const { name, folders, preset, picks, error } of CHOICES) {
  test(`report without --preset reads ${name}`, () => {
    const out = resultsWith(folders);
    if (picks !== undefined) return assert.equal(choosePresetFolder(preset, out, 'table1'), picks);
    assert.throws(
      () => choosePresetFolder(preset, out, 'table1'),
      (e: Error & { fix: string }) => {
        assert.match(`${e.message}\n${e.fix}`, error!);
        return true;
      },
    );
  });
}
