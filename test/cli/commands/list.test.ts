import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EXPERIMENTS, PRESETS } from '../../../src/experiment/config/registry';
import { listText } from '../../../src/cli/commands/list';
import { DATASETS } from '../../../src/data/registry';

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
