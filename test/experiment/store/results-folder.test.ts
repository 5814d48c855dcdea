import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readResultsFolder } from '../../../src/experiment/store/results-folder';
import { KNOWN, writeFixtureFolder } from '../../report/html/fixture-folder';

test('seed folders are named by the run their manifest records, so run ids need not be folder names', () => {
  const presetDir = writeFixtureFolder();
  const from = path.join(presetDir, 'fig3', 'silu');
  const to = path.join(presetDir, 'fig3', 'silu_renamed');
  fs.renameSync(from, to);
  const fig3 = readResultsFolder(presetDir, KNOWN).experiments.find((e) => e.id === 'fig3')!;
  assert.deepEqual(
    fig3.seeds.map((s) => [s.run, s.seed, s.metrics !== undefined, s.trainLog?.length]),
    [
      ['relu', 0, true, 3],
      ['silu', 0, true, 3],
    ],
  );
});
