import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeExamplesCsv } from '../../src/experiment/store/seed-folder';
import { examplesCsv } from '../../src/report/examples-csv';

const record = {
  index: [0, 1, 2],
  label: [3, 1, 4],
  cleanPrediction: [3, 1, 5],
  attacks: [
    { name: 'pgd-200', success: [0, 1, 1] },
    { name: 'apgd-ce-100', success: [1, 0, 1] },
  ],
};

test('examples.csv has one row per example, one 0/1 column per attack and the worst case', () => {
  assert.equal(
    examplesCsv(record),
    'index,label,clean_prediction,pgd-200,apgd-ce-100,worst\n0,3,3,0,1,1\n1,1,1,1,0,1\n2,4,5,1,1,1\n',
  );
});

test('is written into the run folder in one piece, replacing an older file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sat-bench-examples-'));
  fs.writeFileSync(path.join(dir, 'examples.csv'), 'stale');
  writeExamplesCsv(dir, record);
  assert.equal(fs.readFileSync(path.join(dir, 'examples.csv'), 'utf8'), examplesCsv(record));
  assert.deepEqual(fs.readdirSync(dir), ['examples.csv'], 'no temp file left behind');
});

test('a column of the wrong length is refused, naming it', () => {
  assert.throws(
    () => examplesCsv({ ...record, attacks: [{ name: 'pgd-200', success: [0, 1] }] }),
    /pgd-200 has 2 entries, index has 3/,
  );
});
