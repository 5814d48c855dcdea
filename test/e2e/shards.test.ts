import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempDir } from '../helpers/cli';

// Two runs × two seeds = four (run, seed) units, one short epoch each.
const ARGS = [
  'run', 'fig3', '--preset', 'smoke', '--runs', 'relu,silu', '--seeds', '0,1', '--no-estimate',
  '--set', 'dataset.trainSize=256', '--set', 'eval.examples=16',
];
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
  assert.match(result.stdout, /^wrote .*fig3\.csv$[\s\S]*^run +accuracy +PGD-5 +worst +Δ PGD-5 +p \(paired t\) +seeds +sanity +status$/m);
});

test('merge names a missing shard and writes nothing', () => {
  const merged = tempDir('merged-missing');
  const result = runCli(['merge', shards[0], shards[2], '--out', merged]);
  assert.equal(result.status, 2);
  // Round-robin: shard 2/3 holds the second unit (relu seed 1).
  assert.match(result.stderr, /\(run relu, seed 1\): missing[\s\S]*fix:/);
  assert.deepEqual(fs.readdirSync(merged), []);
});

test('merge names a duplicated unit', () => {
  const result = runCli(['merge', shards[0], shards[0], shards[1], shards[2], '--out', tempDir('merged-dup')]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /\(run relu, seed 0\): duplicated in/);
});

test('eval shards 1/2 and 2/2 merged equal the unsharded evaluation', () => {
  const args = ['run', 'fig3', '--preset', 'smoke', '--runs', 'relu', '--no-estimate', '--set', 'dataset.trainSize=256', '--set', 'eval.examples=16'];
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
  fs.cpSync(path.join(whole, 'smoke', 'fig3', 'relu', 'seed-0'), path.join(alone, 'smoke', 'fig3', 'relu', 'seed-0'), { recursive: true });
  const report = runCli(['report', 'fig3', '--preset', 'smoke', '--out', alone]);
  assert.equal(report.status, 0, report.stderr);
  assert.match(report.stdout, /^relu +[\d.]+ +[\d.]+ +[\d.]+ +baseline +.*ok; training cut at step 8 of 64 \(--set dataset\.trainSize=256\)$/m);
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
  assert.match(table, /\| silu \| [\d.]+ ± [\d.]+ \| [\d.]+ ± [\d.]+ \| [\d.]+ ± [\d.]+ \| [+-][\d.]+ \| [\d.]* \| 42\.30 \| \+9\.30 \| 2 \|/);
});
