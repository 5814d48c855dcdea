import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempDir, TINY_SMOKE } from '../helpers/cli';

const out = tempDir('report');

test('report without --preset reads the only preset folder under --out that holds the experiment (smoke, not the default quick)', () => {
  const run = runCli(['run', 'fig3', ...TINY_SMOKE, '--runs', 'relu', '--set', 'train.epochs=1', '--out', out]);
  assert.equal(run.status, 0, run.stderr);
  const report = runCli(['report', 'fig3', '--out', out]);
  assert.equal(report.status, 0, report.stderr);
  assert.match(report.stdout, /wrote .*smoke\/fig3\.csv/);
});

test('report without --preset lists the preset folders when several hold the experiment', () => {
  fs.cpSync(path.join(out, 'smoke'), path.join(out, 'smoke-copy'), { recursive: true });
  const report = runCli(['report', 'fig3', '--out', out]);
  assert.equal(report.status, 2, report.stderr);
  assert.match(
    report.stderr,
    /--preset: .* holds fig3 for several presets, got smoke, smoke-copy[\s\S]*fix: name one: --preset smoke or --preset smoke-copy/,
  );
});
