import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli, tempDir } from '../helpers/cli';

// A short slice of the smoke preset: two Table 1 rows, a few steps each. Enough to exercise every stage.
const SLICE = [
  '--preset',
  'smoke',
  '--runs',
  'relu-relu,psoftplus-psoftplus',
  '--max-steps',
  '6',
  '--set',
  'eval.examples=32',
];

test('the README run command (smoke preset) writes a Table 1 CSV with the documented columns', () => {
  const out = tempDir('e2e');
  const result = runCli(['run', 'table1', ...SLICE, '--out', out]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^backend: [^\n]{0,150}$/m, 'the first line names the backend, briefly');
  const csv = path.join(out, 'smoke', 'table1.csv');
  const rows = parse(fs.readFileSync(csv, 'utf8'), { columns: true }) as Array<Record<string, string>>;
  assert.deepEqual(Object.keys(rows[0]), [
    'run',
    'attacker_backward',
    'optimizer_backward',
    'accuracy',
    'robustness',
    'accuracy_delta',
    'robustness_delta',
    'paper_accuracy',
    'paper_robustness',
    'preset',
    'dataset',
    'model',
    'epsilon',
    'eval_steps',
    'eval_step_size_factor',
    'eval_step_size',
    'eval_examples',
    'seed',
    'backend',
    'robustness_worst',
    'robustness_aa',
    'worst_minus_pgd',
    'attack_suite',
    'sanity',
    'accuracy_ci_low',
    'accuracy_ci_high',
    'robustness_ci_low',
    'robustness_ci_high',
    'accuracy_delta_p',
    'robustness_delta_p',
    'status',
  ]);
  assert.deepEqual(
    rows.map((r) => r.run),
    ['relu-relu', 'psoftplus-psoftplus'],
  );
  assert.equal(rows[0].accuracy_delta, '0.00');
  assert.equal(rows[1].attacker_backward, 'psoftplus');
  assert.equal(rows[1].paper_robustness, '36.90');
  for (const row of rows)
    assert.ok(Number(row.robustness) <= Number(row.accuracy), `${row.run}: robustness above accuracy`);
  assert.ok(fs.existsSync(path.join(out, 'smoke', 'table1', 'relu-relu', 'seed-0', 'metrics.json')));
  const html = path.join(out, 'smoke', 'index.html');
  assert.match(
    result.stdout,
    new RegExp(`^report: ${html.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'),
    'run prints where the HTML report went',
  );
  // One chart of training curves for the experiment, a line per run.
  assert.match(fs.readFileSync(html, 'utf8'), /data-chart="table1-curves"/);
  assertEndsWithTable(result.stdout, 'run');
  // smoke: 32 steps per epoch × 2 epochs; --max-steps 6 cut it.
  for (const row of rows) assert.equal(row.status, 'ok; training cut at step 6 of 64 (--max-steps 6)', row.run);
  assert.match(result.stdout, /ok; training cut at step 6 of 64 \(--max-steps 6\)$/m, 'the terminal table says so too');
  assert.match(
    fs.readFileSync(html, 'utf8'),
    /data-banner="training-cut"[^>]*><b>Training was cut<\/b> for 2 of 2 runs/,
  );
  assert.match(
    fs.readFileSync(path.join(out, 'smoke', 'table1.md'), 'utf8'),
    /^\| run \| accuracy \| PGD-5 \| worst \| Δ PGD-5 \| p \(McNemar\) \| paper PGD-200 \| paper Δ \| sanity \| status \|$/m,
  );
  const report = runCli(['report', 'table1', '--preset', 'smoke', '--out', out]);
  assert.equal(report.status, 0, report.stderr);
  assertEndsWithTable(report.stdout, 'report');
  const json = runCli(['report', 'table1', '--preset', 'smoke', '--out', out, '--json']);
  assert.equal(JSON.parse(json.stdout).experiment, 'table1', '--json: stdout is one JSON document, no table');
});

/** After the "wrote" line: the results table, its PGD column named with the smoke preset's step count. */
function assertEndsWithTable(stdout: string, command: string): void {
  const lines = stdout.split('\n');
  const wrote = lines.findIndex((line) => line.startsWith('wrote '));
  const header = lines.findIndex((line) =>
    /^run +accuracy +PGD-5 +worst +Δ PGD-5 +p \(McNemar\) +sanity +status$/.test(line),
  );
  assert.ok(wrote >= 0 && header > wrote, `${command}: the table comes after the wrote line:\n${stdout}`);
  assert.match(lines[header + 2], /^relu-relu +[\d.]+ +[\d.]+ +[\d.]+ +baseline /, stdout);
}

test('the same seed and backend give a byte-identical CSV', () => {
  const [a, b] = [tempDir('same-a'), tempDir('same-b')];
  for (const out of [a, b])
    assert.equal(
      runCli(['run', 'fig3', ...SLICE.slice(0, 2), '--runs', 'relu,silu', '--max-steps', '5', '--out', out]).status,
      0,
    );
  const read = (dir: string) => fs.readFileSync(path.join(dir, 'smoke', 'fig3.csv'));
  assert.ok(read(a).equals(read(b)), `${read(a)}\n---\n${read(b)}`);
});

test('a rerun keeps finished rows and refuses to overwrite rows made with another config', () => {
  const out = tempDir('rerun');
  const args = [
    'run',
    'fig3',
    '--preset',
    'smoke',
    '--runs',
    'relu',
    '--max-steps',
    '3',
    '--set',
    'eval.examples=16',
    '--out',
    out,
  ];
  assert.equal(runCli(args).status, 0);
  const again = runCli(args);
  assert.equal(again.status, 0);
  assert.match(again.stderr, /relu seed 0: finished earlier with this config, kept/, 'progress lines go to stderr');
  const changed = runCli([...args, '--set', 'train.schedule.learningRate=0.01']);
  assert.equal(changed.status, 2);
  assert.match(changed.stderr, /made with another config[\s\S]*fix: .*--force/);
});

test('compare exits 0 on equal CSVs and 1 with a per-cell diff on a doctored one', () => {
  const out = tempDir('compare');
  assert.equal(
    runCli([
      'run',
      'fig3',
      ...SLICE.slice(0, 2),
      '--runs',
      'relu,gelu',
      '--max-steps',
      '3',
      '--set',
      'eval.examples=16',
      '--out',
      out,
    ]).status,
    0,
  );
  const csv = path.join(out, 'smoke', 'fig3.csv');
  assert.equal(runCli(['compare', csv, csv]).status, 0);
  const rows = fs.readFileSync(csv, 'utf8').split('\n');
  const cells = rows[1].split(',');
  cells[3] = (Number(cells[2]) + 7.5).toFixed(2); // robustness of the relu row, 7.5 points off
  const doctored = path.join(out, 'doctored.csv');
  fs.writeFileSync(doctored, [rows[0], cells.join(','), ...rows.slice(2)].join('\n'));
  const result = runCli(['compare', csv, doctored, '--tolerance', '3']);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stdout, /relu robustness: expected [\d.]+, actual [\d.]+ \(off by [\d.]+\)/);
});
