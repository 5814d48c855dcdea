import * as fs from 'node:fs';
import * as path from 'node:path';
import fig3 from '../../../configs/fig3';
import table1 from '../../../configs/table1';
import table1Eps from '../../../configs/table1-eps';
import { expandSweep } from '../../../src/experiment/config/sweep';
import { experimentResults } from '../../../src/report/html/results-folder';
import type { EvalResult } from '../../../src/eval/result';
import { summarizeEvaluation } from '../../../src/eval/summary';
import { experimentCsv } from '../../../src/report/csv';
import type { ExperimentFiles, ExperimentResults, Manifest, RunMetrics } from '../../../src/report/records';
import type { ExperimentConfig } from '../../../src/experiment/config/types';
import type { EpochLog } from '../../../src/train/train-position';
import { tempDir } from '../../helpers/cli';

const bits = (ones: number, length: number) => Uint8Array.from({ length }, (_, i) => (i < ones ? 1 : 0));

/** An evaluation of 100 attacked examples (200 clean): the first `clean` correct, the first `robust` robust. */
export function fixtureMetrics(
  experiment: string,
  run: string,
  seed: number,
  clean: number,
  robust: number,
  options: { autoAttack?: number } = {},
): RunMetrics {
  const result = {
    accuracy: clean / 200,
    robustness: robust / 100,
    testExamples: 200,
    attackedExamples: 100,
    robustCorrect: bits(robust, 100),
    cleanCorrect: bits(clean, 100),
    cleanCorrectAll: bits(clean, 200),
    firstExample: 0,
    labels: new Int32Array(100),
    cleanPrediction: new Int32Array(100),
    suite: 'smoke',
    epsilon: 0.1,
    numClasses: 10,
    attacks: [
      {
        name: 'pgd-5',
        attack: 'pgd',
        loss: 'crossEntropy',
        gradient: 'true',
        steps: 5,
        oracleCallsPerExample: 6,
        autoAttack: false,
        attacked: bits(clean / 2, 100),
        fooled: bits(100 - robust, 100).reverse(),
        broken: clean / 2 - robust,
        robustnessAfter: robust / 100,
      },
    ],
    worstCorrect: bits(robust - 3, 100),
    robustnessWorst: (robust - 3) / 100,
    deadGradient: new Uint8Array(100),
    sanity: [
      {
        name: 'pgd-gap',
        passed: false,
        value: 0.03,
        limit: 0.02,
        detail: "the suite breaks 3.00 pts of examples that the paper's PGD left standing",
      },
    ],
    sanityExamples: 32,
    sanityOracleCallsPerExample: 30,
    cascade: true,
  } satisfies EvalResult;
  // AutoAttack's robust accuracy (robust examples out of 100) when the suite ran it.
  const e = {
    ...summarizeEvaluation(result),
    ...(options.autoAttack === undefined ? {} : { robustnessAa: options.autoAttack / 100 }),
  };
  return {
    experiment,
    run,
    preset: 'fixture',
    configHash: `hash-${run}-${seed}`,
    seed,
    backend: 'cpu',
    dataset: 'glyphs',
    model: 'smallcnn-bn',
    epsilon: 0.1,
    evalSteps: 5,
    evalStepSizeFactor: 0.25,
    evalExamples: 100,
    accuracy: e.accuracy,
    robustness: e.robustness,
    trainSteps: 30,
    trainSeconds: 12 + seed,
    trainImagesPerSecond: 250,
    evalSeconds: 4,
    overfit: { bestEpoch: 3, stopped: false },
    evaluation: e,
  };
}

/** Three epochs; with `collapse`, held-out PGD-10 falls from 45 % to 5 % at epoch 3 while training accuracy rises. */
export function fixtureTrainLog(seed: number, collapse: boolean): EpochLog[] {
  const heldOut = collapse ? [0.3, 0.45, 0.05] : [0.3, 0.38, 0.42];
  return [0, 1, 2].map((i) => ({
    epoch: i + 1,
    loss: 2 - 0.5 * i - 0.05 * seed,
    adversarialAccuracy: collapse && i === 2 ? 0.9 : 0.3 + 0.1 * i,
    learningRate: 0.1,
    epsilon: 0.1,
    seconds: 4,
    heldOutRobustness: heldOut[i],
  }));
}

function writeUnit(presetDir: string, m: RunMetrics, log: EpochLog[], options: { finished: boolean }): void {
  const dir = path.join(presetDir, m.experiment, m.run, `seed-${m.seed}`);
  fs.mkdirSync(dir, { recursive: true });
  const manifest: Manifest = {
    experiment: m.experiment,
    run: m.run,
    seed: m.seed,
    preset: m.preset,
    configHash: m.configHash,
    config: {},
    backend: m.backend,
    versions: { satBench: '0.1.0', tfjs: '4.22.0', node: '20.0.0' },
    gitCommit: '0123456789abcdef0123456789abcdef01234567',
    startedAt: '2026-11-30T10:00:00.000Z',
    endedAt: '2026-11-30T10:01:00.000Z',
    sessions: 1,
    phases: { train: m.trainSeconds, eval: m.evalSeconds },
    trainImagesPerSecond: 250,
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, 'train-log.json'), JSON.stringify(log));
  if (options.finished) fs.writeFileSync(path.join(dir, 'metrics.json'), JSON.stringify(m));
}

function writeExperiment(
  presetDir: string,
  experiment: ExperimentConfig,
  units: RunMetrics[],
  collapsed?: { run: string; seed: number },
): void {
  const finished = new Map<string, RunMetrics[]>();
  for (const m of units) {
    const collapses = collapsed?.run === m.run && collapsed.seed === m.seed;
    const metrics = collapses ? { ...m, overfit: { bestEpoch: 2, collapsedAtEpoch: 3, stopped: false } } : m;
    writeUnit(presetDir, metrics, fixtureTrainLog(m.seed, collapses), { finished: true });
    finished.set(m.run, [...(finished.get(m.run) ?? []), metrics]);
  }
  fs.writeFileSync(path.join(presetDir, `${experiment.id}.csv`), experimentCsv(experiment, finished));
}

/**
 * A preset folder as `run` leaves it: Table 1 with three seeds of two runs (psoftplus-relu seed 1 collapses at
 * epoch 3), and Figure 3 with one seed of two runs (Wilson intervals), each with manifests and train logs.
 */
export function writeFixtureFolder(): string {
  const presetDir = path.join(tempDir('html-report'), 'fixture');
  fs.mkdirSync(presetDir, { recursive: true });
  writeExperiment(
    presetDir,
    table1,
    [0, 1, 2].flatMap((seed) => [
      fixtureMetrics('table1', 'relu-relu', seed, 150, 40 + seed),
      fixtureMetrics('table1', 'psoftplus-relu', seed, 152, 41 + 2 * seed),
    ]),
    { run: 'psoftplus-relu', seed: 1 },
  );
  writeExperiment(presetDir, fig3, [
    fixtureMetrics('fig3', 'relu', 0, 150, 40),
    fixtureMetrics('fig3', 'silu', 0, 156, 46),
  ]);
  return presetDir;
}

/** An experiment of our own: Figure 3's runs without the paper's numbers. */
export const OWN_EXPERIMENT = {
  ...fig3,
  id: 'own',
  title: 'An experiment of our own',
  runs: fig3.runs.map(({ paper: _, ...run }) => run),
} satisfies ExperimentConfig;

/**
 * The folder of `writeFixtureFolder` plus what a researcher's folder may hold beyond it: two Figure 3 runs with the
 * same numbers (smoothrelu and elu, one point on the scatter), and an experiment of our own (no paper numbers) whose
 * three seeds per run differ in accuracy by fractions of a point and which ran AutoAttack.
 */
export function writeExtendedFixtureFolder(): string {
  const presetDir = writeFixtureFolder();
  writeExperiment(presetDir, fig3, [
    fixtureMetrics('fig3', 'relu', 0, 150, 40),
    fixtureMetrics('fig3', 'silu', 0, 156, 46),
    fixtureMetrics('fig3', 'smoothrelu', 0, 154, 44),
    fixtureMetrics('fig3', 'elu', 0, 154, 44),
  ]);
  // Accuracy 75.0/75.5/76.0 % (relu) against 74.0/74.5/75.5 % (silu): Δ −1.0, −1.0, −0.5, a bar about a point wide.
  writeExperiment(
    presetDir,
    OWN_EXPERIMENT,
    [0, 1, 2].flatMap((seed) => [
      fixtureMetrics('own', 'relu', seed, 150 + seed, 40 + seed, { autoAttack: 30 + seed }),
      fixtureMetrics('own', 'silu', seed, [148, 149, 151][seed], 44 + seed, { autoAttack: 36 + seed }),
    ]),
  );
  return presetDir;
}

export const KNOWN = (id: string) => (({ table1, fig3, own: OWN_EXPERIMENT }) as Record<string, ExperimentConfig>)[id];

/**
 * Table 1 across ε at 0.1 and 0.2, one seed each, as `run` writes it (`<run>@epsilon=<value>` rows, a
 * `sweep_epsilon` column): relu-relu 40 and 20 % robust, psoftplus-relu 46 and 30 %, so Δ is +6 at ε 0.1 and +10 at
 * ε 0.2 (against the other point's baseline it would be −10 at 0.2, and relu-relu@0.2 itself −20).
 */
export function sweptFiles(): ExperimentFiles {
  const experiment = expandSweep({ ...table1Eps, sweep: { epsilon: [0.1, 0.2] } });
  const robust: Record<string, number> = {
    'relu-relu@epsilon=0.1': 40,
    'psoftplus-relu@epsilon=0.1': 46,
    'relu-relu@epsilon=0.2': 20,
    'psoftplus-relu@epsilon=0.2': 30,
  };
  const metrics = Object.entries(robust).map(([run, r]) => fixtureMetrics(table1Eps.id, run, 0, 150, r));
  const csvText = experimentCsv(experiment, new Map(metrics.map((m) => [m.run, [m]])));
  const seeds = metrics.map((m) => ({ run: m.run, seed: 0, dir: `/nowhere/${m.run}/seed-0`, metrics: m }));
  return { id: table1Eps.id, csvText, seeds };
}

/** sweptFiles as the HTML report reads them. */
export const sweptExperiment = (): ExperimentResults => experimentResults(sweptFiles(), () => table1Eps)!;
