import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli, tempDir, TINY_SMOKE } from '../helpers/cli';

// Written by the test into a folder outside the repository, as a user would: a parametric activation, a 2-value sweep.
const EXPERIMENT = `
import { defineExperiment } from 'sat-bench';

export default defineExperiment({
  id: 'sharpness-eps',
  title: 'Attacker backward psoftplus at sharpness 5, across two ε',
  layout: 'backward-pair',
  baseline: 'relu-relu',
  sweep: { epsilon: [0.05, 0.1] },
  runs: [
    { id: 'relu-relu', label: 'ReLU', forward: 'relu', backward: { attack: 'relu', train: 'relu' } },
    { id: 'soft5-relu', label: 'attacker psoftplus(5)', forward: 'relu', backward: { attack: { name: 'psoftplus', sharpness: 5 }, train: 'relu' } },
  ],
});
`;
const TINY = [...TINY_SMOKE, '--max-steps', '3'];

test('an experiment file outside the repository with a parametric activation and a sweep runs on smoke', () => {
  const folder = tempDir('custom');
  const file = path.join(folder, 'sharpness-eps.ts');
  fs.writeFileSync(file, EXPERIMENT);
  const out = path.join(folder, 'results');
  const result = runCli(['run', file, ...TINY, '--out', out, '--json'], { cwd: folder });
  assert.equal(result.status, 0, result.stderr);
  const document = JSON.parse(result.stdout); // --json: stdout is one JSON document, the human lines went to stderr
  assert.equal(document.csv, path.join(out, 'smoke', 'sharpness-eps.csv'));
  assert.equal(document.rows.length, 4);
  assert.match(result.stderr, /^backend: /m);
  const rows = parse(fs.readFileSync(path.join(out, 'smoke', 'sharpness-eps.csv'), 'utf8'), { columns: true }) as Array<
    Record<string, string>
  >;
  assert.deepEqual(Object.keys(rows[0]).slice(0, 10), [
    'run',
    'sweep_epsilon',
    'attacker_backward',
    'optimizer_backward',
    'accuracy',
    'robustness',
    'accuracy_delta',
    'robustness_delta',
    'paper_accuracy',
    'paper_robustness',
  ]);
  assert.deepEqual(
    rows.map((r) => [r.run, r.sweep_epsilon, r.attacker_backward, r.epsilon]),
    [
      ['relu-relu@epsilon=0.05', '0.05', 'relu', '0.050000'],
      ['soft5-relu@epsilon=0.05', '0.05', 'psoftplus(sharpness=5)', '0.050000'],
      ['relu-relu@epsilon=0.1', '0.1', 'relu', '0.100000'],
      ['soft5-relu@epsilon=0.1', '0.1', 'psoftplus(sharpness=5)', '0.100000'],
    ],
  );
  // Deltas are against the baseline at the same ε: each baseline row's own delta is 0.
  assert.deepEqual(
    rows.filter((_, i) => i % 2 === 0).map((r) => r.accuracy_delta),
    ['0.00', '0.00'],
  );
  assert.deepEqual(
    rows.map((r) => r.paper_accuracy),
    ['', '', '', ''],
  );
  const markdown = fs.readFileSync(path.join(out, 'smoke', 'sharpness-eps.md'), 'utf8');
  assert.match(
    markdown,
    /## epsilon = 0\.05\n\n\| run [^\n]*\n[^\n]*\n\| relu-relu@epsilon=0\.05 [^\n]*\n\| soft5-relu@epsilon=0\.05 [\s\S]*## epsilon = 0\.1\n/,
  );

  const report = runCli(['report', file, '--preset', 'smoke', '--out', out], { cwd: folder });
  assert.equal(report.status, 0, report.stderr);
  assert.match(report.stdout, /soft5-relu@epsilon=0\.1/);

  const list = runCli(['list', file, '--json'], { cwd: folder });
  assert.equal(list.status, 0, list.stderr);
  const listed = JSON.parse(list.stdout).experiments.find((e: { id: string }) => e.id === 'sharpness-eps');
  assert.deepEqual(listed.sweep, { epsilon: [0.05, 0.1] });
  assert.deepEqual(listed.runs[1].backward.attack, { name: 'psoftplus', sharpness: 5 });
});

test('the shards of an experiment file merge with --experiment into the unsharded CSV; without it merge exits 2 saying so', () => {
  const folder = tempDir('custom-shards');
  const file = path.join(folder, 'sharpness-eps.ts');
  fs.writeFileSync(file, EXPERIMENT);
  const args = ['run', file, ...TINY, '--set', 'dataset.trainSize=128'];
  const whole = path.join(folder, 'whole');
  assert.equal(runCli([...args, '--out', whole], { cwd: folder }).status, 0);
  const shards = [1, 2].map((k) => path.join(folder, `shard-${k}`));
  shards.forEach((dir, k) =>
    assert.equal(runCli([...args, '--shard', `${k + 1}/2`, '--out', dir], { cwd: folder }).status, 0),
  );
  const refused = runCli(['merge', ...shards, '--out', path.join(folder, 'refused')], { cwd: folder });
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(
    refused.stderr,
    /no --experiment file defines id "sharpness-eps"[\s\S]*--experiment \.\/my-ablation\.ts/,
  );
  const merged = path.join(folder, 'merged');
  const result = runCli(['merge', ...shards, '--out', merged, '--experiment', file], { cwd: folder });
  assert.equal(result.status, 0, result.stderr);
  const csv = (dir: string) => fs.readFileSync(path.join(dir, 'smoke', 'sharpness-eps.csv'), 'utf8');
  assert.equal(csv(merged), csv(whole));
});

const BROKEN: Array<[string, (text: string) => string, RegExp]> = [
  [
    'a misspelt activation',
    (t) => t.replace("attack: 'relu'", "attack: 'rleu'"),
    /broken\.ts: 1 problem\(s\):\n {2}- runs\[0\]\.backward\.attack: unknown activation "rleu"; did you mean "relu"\? Known: relu, psoftplus, softplus, smoothrelu, gelu, elu, silu\./,
  ],
  [
    'an ill-typed field',
    (t) => t.replace('sharpness: 5', "sharpness: 'five'"),
    /broken\.ts: 1 problem\(s\):\n {2}- runs\[1\]\.backward\.attack\.sharpness: expected a number > 0, got "five"/,
  ],
];
for (const [what, breakIt, message] of BROKEN) {
  test(`a file with ${what} exits 2 naming the file, the dot-path and the valid choices`, () => {
    const folder = tempDir('broken');
    fs.writeFileSync(path.join(folder, 'broken.ts'), breakIt(EXPERIMENT));
    const result = runCli(['run', './broken.ts', ...TINY, '--out', path.join(folder, 'results')], { cwd: folder });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, message);
  });
}
