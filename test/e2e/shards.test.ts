import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempDir, TINY_SMOKE } from '../helpers/cli';

// Two runs × two seeds = four (run, seed) units, one short epoch each.
const ARGS = ['run', 'fig3', ...TINY_SMOKE, '--runs', 'relu,silu', '--seeds', '0,1'];
const csvOf = (out: string) => fs.readFileSync(path.join(out, 'smoke', 'fig3.csv'), 'utf8');

const whole = tempDir('unsharded');
test('an unsharded multi-seed run writes one seed folder per (run, seed)', () => {
  const result = runCli([...ARGS, '--out', whole]);
  assert.equal(result.status, 0, result.stderr);
  for (const run of ['relu', 'silu']) {
    assert.deepEqual(fs.readdirSync(path.join(whole, 'smoke', 'fig3', run)).sort(), ['seed-0', 'seed-1']);
  }
});

const shards = [1, 2, 3].map((i) => tempDir(`shard-${i}`));
test('shards 1/3, 2/3 and 3/3 merged equal the unsharded CSV', () => {
  shards.forEach((out, i) => {
    const result = runCli([...ARGS, '--shard', `${i + 1}/3`, '--out', out]);
    assert.equal(result.status, 0, result.stderr);
  });
  const merged = tempDir('merged');
  const result = runCli(['merge', ...shards, '--out', merged]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(csvOf(merged), csvOf(whole));
  // merge ends like run: the results table after the wrote line, p from the paired t-test over the two seeds.
  assert.match(
    result.stdout,
    /^wrote .*fig3\.csv$[\s\S]*^run +accuracy +PGD-5 +worst +Δ PGD-5 +p \(paired t\) +seeds +sanity +status$/m,
  );
});

test('merge names a missing shard and writes nothing', () => {
  const merged = tempDir('merged-missing');
  const result = runCli(['merge', shards[0], shards[2], '--out', merged]);
  assert.equal(result.status, 2);
  // Round-robin: shard 2/3 holds the second unit (relu seed 1).
  assert.match(result.stderr, /\(run relu, seed 1\): missing[\s\S]*fix:/);
  assert.deepEqual(fs.readdirSync(merged), []);
});

test('merge names a duplicated unit, the two folders that hold it, and says to remove one copy; it writes nothing', () => {
  const copy = tempDir('shard-1-copy');
  fs.cpSync(shards[0], copy, { recursive: true });
  const merged = tempDir('merged-dup');
  const result = runCli(['merge', shards[0], copy, shards[1], shards[2], '--out', merged]);
  assert.equal(result.status, 2);
  assert.match(
    result.stderr,
    /smoke\/fig3 unit \(run relu, seed 0\) is in both .*shard-1-.* and .*shard-1-copy-.*: remove one copy \(e\.g\. rm -r .*shard-1-copy-.*relu\/seed-0\)/,
  );
  assert.match(result.stderr, /fix: remove one copy of each duplicated unit/);
  assert.doesNotMatch(result.stderr, /rerun the shards/);
  assert.deepEqual(fs.readdirSync(merged), []);
});

test('merge refuses a folder given twice', () => {
  const result = runCli(['merge', shards[0], shards[0], shards[1], shards[2], '--out', tempDir('merged-twice')]);
  assert.equal(result.status, 2);
  assert.match(
    result.stderr,
    /merge: .*shard-1-.* given more than once[\s\S]*fix: pass each shard's --out folder once/,
  );
});

test('merge checks every experiment before writing: a duplicate in table1 leaves the complete fig3 unwritten too', () => {
  const table1 = tempDir('table1-shard');
  const run = runCli([
    'run',
    'table1',
    ...TINY_SMOKE,
    '--runs',
    'relu-relu',
    '--set',
    'train.epochs=1',
    '--out',
    table1,
  ]);
  assert.equal(run.status, 0, run.stderr);
  // Shards 1/3 and 2/3 of fig3 (alphabetically first: merged first by the old code) each with the same table1 unit.
  const withTable1 = shards.slice(0, 2).map((shard, i) => {
    const dir = tempDir(`shard-${i + 1}-with-table1`);
    fs.cpSync(shard, dir, { recursive: true });
    fs.cpSync(path.join(table1, 'smoke'), path.join(dir, 'smoke'), { recursive: true });
    return dir;
  });
  const merged = tempDir('merged-two-experiments');
  const result = runCli(['merge', ...withTable1, shards[2], '--out', merged]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /smoke\/table1 unit \(run relu-relu, seed 0\) is in both/);
  assert.deepEqual(fs.readdirSync(merged), []);
});

test('eval shards 1/2 and 2/2 merged equal the unsharded evaluation', () => {
  const args = ['run', 'fig3', ...TINY_SMOKE, '--runs', 'relu'];
  const parts = [1, 2].map((i) => {
    const out = tempDir(`eval-shard-${i}`);
    const result = runCli([...args, '--eval-shard', `${i}/2`, '--out', out]);
    assert.equal(result.status, 0, result.stderr);
    return out;
  });
  const merged = tempDir('eval-merged');
  assert.equal(runCli(['merge', ...parts, '--out', merged]).status, 0);
  // The unsharded relu seed 0 alone: copy it out of the whole run and rebuild its CSV with `report`.
  const alone = tempDir('relu-alone');
  fs.cpSync(path.join(whole, 'smoke', 'fig3', 'relu', 'seed-0'), path.join(alone, 'smoke', 'fig3', 'relu', 'seed-0'), {
    recursive: true,
  });
  const report = runCli(['report', 'fig3', '--preset', 'smoke', '--out', alone]);
  assert.equal(report.status, 0, report.stderr);
  assert.match(
    report.stdout,
    /^relu +[\d.]+ +[\d.]+ +[\d.]+ +baseline +.*ok; training cut at step 8 of 64 \(--set dataset\.trainSize=256\)$/m,
  );
  assert.equal(csvOf(merged), csvOf(alone));
});

test('the Figure 3 SVG has one of our points and one paper point per run, in separate panels', () => {
  const svg = fs.readFileSync(path.join(whole, 'smoke', 'fig3.svg'), 'utf8');
  assert.match(svg, /mark-group role-scope ours-panel[\s\S]*mark-group role-scope paper-panel/);
  const marks = (name: string) => {
    const group = new RegExp(`<g class="mark-symbol role-mark ${name}"[^>]*>(.*?)</g>`, 's').exec(svg);
    assert.ok(group, `a ${name} group`);
    return (group[1].match(/<path /g) ?? []).length;
  };
  assert.equal(marks('ours-points'), 2);
  assert.equal(marks('paper-points'), 2);
  const table = fs.readFileSync(path.join(whole, 'smoke', 'fig3.md'), 'utf8');
  assert.match(
    table,
    /\| silu \| [\d.]+ ± [\d.]+ \| [\d.]+ ± [\d.]+ \| [\d.]+ ± [\d.]+ \| [+-][\d.]+ \| [\d.]* \| 42\.30 \| \+9\.30 \| 2 \|/,
  );
});
