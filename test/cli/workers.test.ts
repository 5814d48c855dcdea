import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chooseWorkers, helperArgv } from '../../src/cli/workers';
import { UserError } from '../../src/util/errors';

test('--workers auto is one per core, at most one per unit left and at most 8; a count is capped by the units', () => {
  assert.equal(chooseWorkers('auto', 4, 2), 2);
  assert.equal(chooseWorkers('auto', 1, 16), 1);
  assert.equal(chooseWorkers('auto', 40, 64), 8);
  assert.equal(chooseWorkers('auto', 0, 4), 1);
  assert.equal(chooseWorkers('3', 12, 2), 3);
  assert.equal(chooseWorkers('3', 2, 2), 2);
  for (const bad of ['0', '-1', '1.5', 'two', '']) {
    assert.throws(
      () => chooseWorkers(bad, 4, 2),
      (e: unknown) => e instanceof UserError && /--workers: expected a positive integer or auto/.test(e.message),
      bad,
    );
  }
});

test('a helper gets the same command line with --workers 1 and no start estimate', () => {
  assert.deepEqual(helperArgv(['run', 'table1', '--workers', '3', '--out', 'r', '--estimate']), [
    'run',
    'table1',
    '--out',
    'r',
    '--workers',
    '1',
    '--no-estimate',
  ]);
  assert.deepEqual(helperArgv(['run', 'fig3', '--workers=auto', '--no-estimate', '--seeds', '0,1']), [
    'run',
    'fig3',
    '--seeds',
    '0,1',
    '--workers',
    '1',
    '--no-estimate',
  ]);
});
