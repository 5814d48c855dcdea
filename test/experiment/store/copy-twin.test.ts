import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fig3 from '../../../configs/fig3';
import table1 from '../../../configs/table1';
import { runExperiment, type RunRequest } from '../../../src/experiment/orchestration/run-experiment';
import { readCheckpoint } from '../../../src/experiment/store/checkpoint';
import { findFinishedTwin } from '../../../src/experiment/store/copy-twin';
import { readManifest, readMetrics, seedDirectory } from '../../../src/experiment/store/seed-folder';
import type { ExperimentConfig } from '../../../src/experiment/config/types';
import { NO_PROGRESS } from '../../../src/util/progress';
import { setupTestBackend } from '../../helpers/backend';
import { tempDir } from '../../helpers/cli';
import { TINY_PRESET } from '../../helpers/tiny-preset';

function finishedAt(presetDir: string, experiment: string, run: string, seed: number, hash: string | null): string {
  const dir = path.join(presetDir, experiment, run, `seed-${seed}`);
  fs.mkdirSync(dir, { recursive: true });
  if (hash !== null) fs.writeFileSync(path.join(dir, 'metrics.json'), JSON.stringify({ configHash: hash }));
  return dir;
}

test('a twin is a finished unit of the same seed and hash elsewhere in the preset folder, the first by name', () => {
  const presetDir = path.join(tempDir('twins'), 'smoke');
  const self = finishedAt(presetDir, 'fig3', 'relu', 0, null);
  finishedAt(presetDir, 'b-exp', 'relu-relu', 0, 'h1');
  finishedAt(presetDir, 'a-exp', 'z-run', 0, 'h1');
  finishedAt(presetDir, 'a-exp', 'other-hash', 0, 'h2');
  finishedAt(presetDir, 'a-exp', 'other-seed', 1, 'h1');
  fs.writeFileSync(path.join(finishedAt(presetDir, 'a-exp', 'a-damaged', 0, null), 'metrics.json'), '{ torn');
  assert.equal(findFinishedTwin(presetDir, 0, 'h1', self), path.join(presetDir, 'a-exp', 'z-run', 'seed-0'));
  assert.equal(findFinishedTwin(presetDir, 1, 'h1', self), path.join(presetDir, 'a-exp', 'other-seed', 'seed-1'));
  assert.equal(findFinishedTwin(presetDir, 0, 'h3', self), undefined);
  // A unit is never its own twin.
  assert.equal(findFinishedTwin(presetDir, 1, 'h1', path.join(presetDir, 'a-exp', 'other-seed', 'seed-1')), undefined);
  assert.equal(findFinishedTwin(path.join(presetDir, 'missing'), 0, 'h1', self), undefined);
});

const tiny = TINY_PRESET; // 3 steps (maxSteps below), 16 evaluated examples: seconds
let backend = '';
before(async () => {
  backend = await setupTestBackend();
});
const request = (
  experiment: ExperimentConfig,
  outDir: string,
  runs: string[],
  more: Partial<RunRequest> = {},
): RunRequest => ({
  experiment,
  outDir,
  presetName: 'smoke',
  preset: tiny,
  seeds: [0],
  backend,
  runs,
  maxSteps: 3,
  force: false,
  estimate: false,
  ...more,
});
const numbers = (dir: string) => {
  const {
    experiment: _e,
    run: _r,
    trainSeconds: _t,
    evalSeconds: _v,
    trainImagesPerSecond: _i,
    ...rest
  } = readMetrics(dir)!;
  return rest;
};

test("Figure 3's relu is Table 1's relu-relu: copied, not trained, and equal to training it", async () => {
  const out = tempDir('twin-copy');
  const lines: string[] = [];
  assert.deepEqual((await runExperiment(request(table1, out, ['relu-relu']))).ranNow, ['relu-relu seed 0']);
  const copy = await runExperiment(request(fig3, out, ['relu']), {
    progress: { ...NO_PROGRESS, log: (line) => lines.push(line) },
  });
  assert.deepEqual([copy.ranNow, copy.copied], [[], ['relu seed 0']]);
  assert.match(
    lines.join('\n'),
    /relu seed 0: same config \(hash [0-9a-f]+\) as table1\/relu-relu\/seed-0, finished there: copied, not trained again/,
  );
  const source = seedDirectory(out, 'smoke', 'table1', 'relu-relu', 0);
  const copied = seedDirectory(out, 'smoke', 'fig3', 'relu', 0);
  assert.deepEqual(numbers(copied), numbers(source));
  assert.deepEqual([readMetrics(copied)!.experiment, readMetrics(copied)!.run], ['fig3', 'relu']);
  assert.equal(readManifest(copied)!.copiedFrom, path.join('..', '..', '..', 'table1', 'relu-relu', 'seed-0'));
  const checkpoint = readCheckpoint(copied)!;
  assert.deepEqual([checkpoint.index.experiment, checkpoint.index.run.id], ['fig3', 'relu']);
  assert.deepEqual(checkpoint.values, readCheckpoint(source)!.values);
  assert.ok(fs.existsSync(path.join(copied, 'examples.csv')));

  // The premise: training the twin instead gives the very same numbers.
  const elsewhere = tempDir('twin-trained');
  const trained = await runExperiment(request(fig3, elsewhere, ['relu'], { reuse: false }));
  assert.deepEqual([trained.ranNow, trained.copied], [['relu seed 0'], []]);
  assert.deepEqual(numbers(seedDirectory(elsewhere, 'smoke', 'fig3', 'relu', 0)), numbers(copied));
  assert.equal(
    fs.readFileSync(copy.csvPath, 'utf8'),
    fs.readFileSync(trained.csvPath, 'utf8'),
    'the CSVs are identical',
  );
});

test("a sweep point at the preset's own value is the unswept run; --no-reuse and eval shards train", async () => {
  const out = tempDir('twin-sweep');
  await runExperiment(request(table1, out, ['relu-relu']));
  const swept: ExperimentConfig = { ...table1, id: 'table1-eps', sweep: { epsilon: [tiny.epsilon, 0.05] } };
  const sweep = await runExperiment(request(swept, out, ['relu-relu']));
  assert.deepEqual(
    [sweep.copied, sweep.ranNow],
    [[`relu-relu@epsilon=${tiny.epsilon} seed 0`], ['relu-relu@epsilon=0.05 seed 0']],
  );
  const again = await runExperiment(request(fig3, out, ['relu'], { reuse: false }));
  assert.deepEqual([again.copied, again.ranNow], [[], ['relu seed 0']]);
  // An eval shard's result is a slice of a unit's evaluation, never a unit to copy.
  const shardOut = tempDir('twin-shard');
  const shard = await runExperiment(request(table1, shardOut, ['relu-relu']));
  assert.deepEqual(shard.ranNow, ['relu-relu seed 0']);
  const sliced = await runExperiment(request(fig3, shardOut, ['relu'], { evalShard: { index: 1, count: 2 } }));
  assert.deepEqual([sliced.copied, sliced.ranNow], [[], ['relu seed 0']]);
});

test('a copy does not replace a checkpoint of another config without --force', async () => {
  const out = tempDir('twin-guard');
  await runExperiment(request(table1, out, ['relu-relu']));
  // fig3's relu half-trained with another learning rate: its checkpoint is of another config.
  const otherRecipe = { ...tiny, train: { ...tiny.train, schedule: { ...tiny.train.schedule, learningRate: 0.01 } } };
  await runExperiment(request(fig3, out, ['relu'], { preset: otherRecipe, maxSteps: 1 }));
  fs.rmSync(path.join(seedDirectory(out, 'smoke', 'fig3', 'relu', 0), 'metrics.json'));
  await assert.rejects(runExperiment(request(fig3, out, ['relu'])), /made with another config/);
  const forced = await runExperiment(request(fig3, out, ['relu'], { force: true }));
  assert.deepEqual(forced.copied, ['relu seed 0']);
});
