import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXPERIMENTS, PRESETS } from '../../../src/experiment/config/registry';
import { listText } from '../../../src/cli/commands/list';
import { DATASETS } from '../../../src/data/registry';
import { REPO_ROOT } from '../../helpers/cli';
import { UNCALIBRATED_PRESETS } from '../../../configs/calibration';

test("list shows each preset's default seeds: the multi-seed presets' list, seed 0 for the others", () => {
  const text = listText(Object.values(EXPERIMENTS), PRESETS);
  assert.match(text, /mnist-single-step: [^\n]*\n[^\n]*seeds 0,1,2\n/);
  assert.match(text, /quick: [^\n]*\n[^\n]*seeds 0,1,2\n/);
  assert.match(text, /mnist: [^\n]*\n[^\n]*seeds 0\n/);
});

test('list names every dataset of the data registry under "datasets:"', () => {
  const section =
    listText(Object.values(EXPERIMENTS), PRESETS).split('datasets:\n')[1]?.split('\nactivations:')[0] ?? '';
  assert.deepEqual(
    section.split('\n').map((line) => line.trim().split(/\s+/)[0]),
    Object.keys(DATASETS),
  );
});

test("the docs quote each preset's wall time as list prints it: one measured figure per preset", () => {
  const text = listText(Object.values(EXPERIMENTS), PRESETS);
  const presetsPage = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'presets.md'), 'utf8');
  for (const [name, preset] of Object.entries(PRESETS)) {
    assert.ok(text.includes(preset.expectedWallTime), `list prints ${name}'s expectedWallTime`);
    const row = presetsPage.split('\n').find((line) => line.startsWith(`| \`${name}\``));
    assert.ok(row, `docs/presets.md has a table row for ${name}`);
    assert.ok(
      row.endsWith(`| ${preset.expectedWallTime} |`),
      `docs/presets.md quotes ${name}'s wall time as list does`,
    );
  }
});

test("list prints each preset's calibration against AutoAttack, or that its suite contains AutoAttack", () => {
  const text = listText(Object.values(EXPERIMENTS), PRESETS);
  for (const [name, preset] of Object.entries(PRESETS)) {
    const block = text.split(`\n  ${name}: `)[1]?.split('\n').slice(0, 4).join('\n') ?? '';
    assert.match(block, new RegExp(`\\n      attack suite ${preset.eval.suite}: `), name);
    if (name in UNCALIBRATED_PRESETS) assert.match(block, /not calibrated against AutoAttack \(.+\)/, name);
    else assert.doesNotMatch(block, /not calibrated against AutoAttack|FAILS calibration/, name);
  }
  assert.match(text, /\n {2}cifar10: [\s\S]*?attack suite standard: contains AutoAttack standard/);
});
