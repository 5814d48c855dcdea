import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, runCli, tempDir, TINY_SMOKE } from '../helpers/cli';

const BIN = path.join(REPO_ROOT, 'bin', 'sat-bench.js');
// Evaluation batches of 4 on the 16 attacked examples: an attack that runs on all of them takes 4 batches.
const RUN = ['run', 'fig3', ...TINY_SMOKE, '--set', 'eval.batchSize=4', '--runs', 'relu', '--set', 'train.epochs=1'];
const out = tempDir('eval-resume');
const seedDir = path.join(out, 'smoke', 'fig3', 'relu', 'seed-0');
/** --standalone: every attack of the smoke suite on every example, so each has 4 batches to be killed among. */
const EVAL = ['eval', seedDir, '--standalone'];
const JOURNAL = 'eval-journal.json';

/** The files an evaluation leaves in `dir`, with their contents (evaluation.json has no timing fields). */
function evaluationFiles(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));
}

function runKilledAt(point: string, args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, SAT_BENCH_TEST_KILL_AT: point },
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(result.signal, 'SIGKILL', `the hook fired (status ${result.status}): ${result.stderr}`);
}

test('a smoke run with evaluation batches of 4 leaves a checkpoint, and an uninterrupted eval the reference', () => {
  const run = runCli([...RUN, '--out', out]);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(!fs.existsSync(path.join(seedDir, JOURNAL)), "a finished run's evaluation leaves no journal");
  const reference = runCli([...EVAL, '--out', path.join(out, 'reference')]);
  assert.equal(reference.status, 0, reference.stderr);
  assert.deepEqual(Object.keys(evaluationFiles(path.join(out, 'reference'))).sort(), [
    'evaluation.json',
    'examples.csv',
  ]);
});

// The 6th journal write is the 2nd batch of the 2nd attack (5 batches saved); the 7th batch's progress update is the
// 3rd of that attack (7 saved).
const KILLS = [
  {
    point: 'eval-journal-write:6',
    saved: 5,
    attack: /pgd-smoothed-5: 1 of 4 batches saved by an interrupted evaluation/,
  },
  { point: 'eval-batch:7', saved: 7, attack: /pgd-smoothed-5: 3 of 4 batches saved by an interrupted evaluation/ },
];
for (const { point, saved, attack } of KILLS) {
  test(`eval killed (SIGKILL) at ${point}, then the same command, resumes and writes byte-identical files`, () => {
    const dir = path.join(out, `kill-${point.replace(':', '-')}`);
    runKilledAt(point, [...EVAL, '--out', dir]);
    assert.ok(fs.existsSync(path.join(dir, JOURNAL)), 'the journal survived the kill');
    const resumed = runCli([...EVAL, '--out', dir]);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(
      resumed.stderr,
      new RegExp(`eval-journal\\.json: resuming an interrupted evaluation \\(${saved} attack batches saved`),
    );
    assert.match(resumed.stderr, /pgd-5: 4 of 4 batches saved by an interrupted evaluation, not run again/);
    assert.match(resumed.stderr, attack);
    assert.deepEqual(evaluationFiles(dir), evaluationFiles(path.join(out, 'reference')), 'and no journal left');
  });
}

test('an AutoAttack eval killed (SIGKILL) inside APGD-T resumes from its journal and writes byte-identical files', () => {
  // Standalone: PGD-5, then AutoAttack's four, each on all 16 examples in 4 batches; the 10th journal write is APGD-T's
  // 2nd batch, so the kill leaves PGD-5's and APGD-CE's batches and APGD-T's first (9 saved).
  const args = ['eval', seedDir, '--attack', 'autoattack', '--standalone'];
  const reference = path.join(out, 'autoattack-reference');
  const uninterrupted = runCli([...args, '--out', reference]);
  assert.equal(uninterrupted.status, 0, uninterrupted.stderr);
  const dir = path.join(out, 'autoattack-killed');
  runKilledAt('eval-journal-write:10', [...args, '--out', dir]);
  const resumed = runCli([...args, '--out', dir]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming an interrupted evaluation \(9 attack batches saved/);
  assert.match(resumed.stderr, /apgd-ce-100: 4 of 4 batches saved by an interrupted evaluation, not run again/);
  assert.match(resumed.stderr, /apgd-t9-100: 1 of 4 batches saved by an interrupted evaluation/);
  assert.deepEqual(evaluationFiles(dir), evaluationFiles(reference), 'and no journal left');
});

test('SIGTERM during the attacks says how many batches are saved where, exits 143, and the same command finishes identically', async () => {
  const dir = path.join(out, 'sigterm');
  const child = spawn(process.execPath, [BIN, ...EVAL, '--out', dir], { cwd: REPO_ROOT });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // The journal appears with the first finished attack batch; stop the eval then.
  const poll = setInterval(() => {
    if (fs.existsSync(path.join(dir, JOURNAL)) && !child.killed) child.kill('SIGTERM');
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  assert.equal(code, 143, stderr);
  assert.match(
    stderr,
    /sat-bench: SIGTERM: eval stopped; \d+ of \d+ attack batches \(of the attacks begun so far\) saved in .*eval-journal\.json; the same command resumes/,
  );
  const resumed = runCli([...EVAL, '--out', dir]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming an interrupted evaluation/);
  assert.deepEqual(evaluationFiles(dir), evaluationFiles(path.join(out, 'reference')));
});

test('a journal left by the same eval with other --examples is set aside with a line saying so', () => {
  const dir = path.join(out, 'stale');
  runKilledAt('eval-journal-write:3', [...EVAL, '--out', dir]);
  const changed = runCli([...EVAL, '--examples', '8', '--out', dir]);
  assert.equal(changed.status, 0, changed.stderr);
  assert.match(
    changed.stderr,
    /eval-journal\.json: left by another evaluation: examples 16 \(now 8\); starting this evaluation afresh/,
  );
  assert.doesNotMatch(changed.stderr, /resuming|saved by an interrupted evaluation/);
  const fresh = runCli([...EVAL, '--examples', '8', '--out', path.join(out, 'fresh-8')]);
  assert.equal(fresh.status, 0, fresh.stderr);
  assert.deepEqual(evaluationFiles(dir), evaluationFiles(path.join(out, 'fresh-8')));
});

test("a run killed in its evaluation resumes it from the seed folder's journal, with the same results", () => {
  const killed = tempDir('run-eval-kill');
  runKilledAt('eval-journal-write:3', [...RUN, '--out', killed]);
  const killedSeed = path.join(killed, 'smoke', 'fig3', 'relu', 'seed-0');
  assert.ok(fs.existsSync(path.join(killedSeed, JOURNAL)));
  const resumed = runCli([...RUN, '--out', killed]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /eval-journal\.json: resuming an interrupted evaluation \(2 attack batches saved/);
  assert.ok(!fs.existsSync(path.join(killedSeed, JOURNAL)), 'removed once metrics.json is written');
  assert.equal(
    fs.readFileSync(path.join(killedSeed, 'examples.csv'), 'utf8'),
    fs.readFileSync(path.join(seedDir, 'examples.csv'), 'utf8'),
  );
  assert.equal(
    fs.readFileSync(path.join(killed, 'smoke', 'fig3.csv'), 'utf8'),
    fs.readFileSync(path.join(out, 'smoke', 'fig3.csv'), 'utf8'),
  );
});

test("SIGINT during a run's evaluation names the journal's saved batches, exits 130, and the rerun resumes from them", async () => {
  const dir = tempDir('run-eval-sigint');
  const killedSeed = path.join(dir, 'smoke', 'fig3', 'relu', 'seed-0');
  const child = spawn(process.execPath, [BIN, ...RUN, '--out', dir], { cwd: REPO_ROOT });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const poll = setInterval(() => {
    if (fs.existsSync(path.join(killedSeed, JOURNAL)) && !child.killed) child.kill('SIGINT');
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  assert.equal(code, 130, stderr);
  assert.match(
    stderr,
    /SIGINT: stopped evaluating relu seed 0 \(its training is checkpointed; \d+ of \d+ attack batches \(of the attacks begun so far\) saved in .*eval-journal\.json\); run the same command again to resume/,
  );
  const resumed = runCli([...RUN, '--out', dir]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming an interrupted evaluation/);
  assert.equal(
    fs.readFileSync(path.join(dir, 'smoke', 'fig3.csv'), 'utf8'),
    fs.readFileSync(path.join(out, 'smoke', 'fig3.csv'), 'utf8'),
  );
});
