import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvalResult } from '../../eval/result';
import { examplesRecord } from '../../eval/summary';
import { UserError } from '../../util/errors';
import type { Progress } from '../../util/progress';
import { decodeTyped, type EvalShardRecord } from './eval-shards';
import { collectFailed, type FailedUnit } from './failed-units';
import { mergeEvalResults } from './merge-eval-results';
import { buildMetrics } from './metrics';
import { planFiles, readPlan, writePlan, type ExperimentPlan } from './plan';
import { EXPERIMENTS } from '../config/registry';
import { collectFinished } from './results';
import {
  evalShardPath,
  readEvalShard,
  readFailure,
  readMetrics,
  readRequiredJson,
  readUnitConfig,
  seedDirectory,
  writeExamplesCsv,
  writeMetrics,
} from './seed-folder';
import type { ExperimentConfig, ExperimentRun, Preset } from '../config/types';
import { writeReports } from './write-reports';

type PlannedUnit = ExperimentPlan['units'][number];

/** Every (preset, experiment) plan under the shard folders, grouped; shards of one command line must agree. */
function findPlans(dirs: readonly string[]): Map<string, ExperimentPlan> {
  const plans = new Map<string, { plan: ExperimentPlan; from: string }>();
  for (const dir of dirs) {
    if (!fs.existsSync(dir))
      throw new UserError('missing-shard-dir', `merge: ${dir} does not exist`, 'pass the --out folders of every shard');
    for (const preset of fs.readdirSync(dir)) {
      const presetDir = path.join(dir, preset);
      if (!fs.statSync(presetDir).isDirectory()) continue;
      for (const file of planFiles(presetDir)) {
        const plan = readPlan(file)!;
        const key = `${plan.presetName}/${plan.experiment}`;
        const seen = plans.get(key);
        if (seen && JSON.stringify(seen.plan) !== JSON.stringify(plan)) {
          throw new UserError(
            'plans-differ',
            `merge: ${key}: ${seen.from} and ${dir} come from different commands (runs, seeds, config or --eval-shard)`,
            'merge only shards of one command line',
          );
        }
        plans.set(key, { plan, from: dir });
      }
    }
  }
  if (plans.size === 0)
    throw new UserError(
      'no-plans',
      `merge: no <preset>/<experiment>.plan.json under ${dirs.join(', ')}`,
      'pass the --out folders that sat-bench run wrote',
    );
  return new Map([...plans].map(([key, { plan }]) => [key, plan]));
}

/** The unit's seed folder under one results folder (a shard's --out, or the merged one). */
function unitDir(dir: string, plan: ExperimentPlan, unit: PlannedUnit): string {
  return seedDirectory(dir, plan.presetName, plan.experiment, unit.run, unit.seed);
}

/** The folders whose record of the unit (read by `read` from its seed folder) was made with the planned config. */
function holding(
  dirs: readonly string[],
  plan: ExperimentPlan,
  unit: PlannedUnit,
  read: (seedDir: string) => { configHash: string } | undefined,
): string[] {
  return dirs.filter((dir) => read(unitDir(dir, plan, unit))?.configHash === unit.configHash);
}

/** For each expected result, the folders holding it: none is "missing", two are "duplicated". */
function locate(dirs: readonly string[], plan: ExperimentPlan, unit: PlannedUnit, shard?: number): string[] {
  if (shard === undefined) return holding(dirs, plan, unit, readMetrics);
  return holding(dirs, plan, unit, (seedDir) => readEvalShard(seedDir, { index: shard, count: plan.evalShards }));
}

/** One experiment of the shards, checked: where each unit's result (or failure record) is to be copied from. */
interface CheckedPlan {
  plan: ExperimentPlan;
  experiment: ExperimentConfig;
  sources: Map<PlannedUnit, string[]>;
  failedSources: Map<PlannedUnit, string>;
}

interface Problems {
  missing: string[];
  duplicated: string[];
}

/** Locates every unit of `plan` in `dirs`, adding what is missing or duplicated to `problems`. */
function checkPlan(
  dirs: readonly string[],
  plan: ExperimentPlan,
  experiment: ExperimentConfig,
  problems: Problems,
): CheckedPlan {
  const sources = new Map<PlannedUnit, string[]>();
  const failedSources = new Map<PlannedUnit, string>();
  for (const unit of plan.units) {
    // The folders where the unit's training stopped for good (failed.json made with the planned config).
    const failedDirs = holding(dirs, plan, unit, readFailure);
    if (failedDirs.length > 0) {
      failedSources.set(unit, failedDirs[0]);
      continue;
    }
    const shards = plan.evalShards > 0 ? Array.from({ length: plan.evalShards }, (_, k) => k + 1) : [undefined];
    const found = shards.map((shard) => locate(dirs, plan, unit, shard));
    found.forEach((list, k) => {
      const what = `${plan.presetName}/${plan.experiment} unit (run ${unit.run}, seed ${unit.seed})${plan.evalShards > 0 ? ` eval shard ${k + 1}/${plan.evalShards}` : ''}`;
      if (list.length === 0) problems.missing.push(`${what}: missing`);
      if (list.length > 1) {
        const copies = list.map((dir) => unitDir(dir, plan, unit));
        problems.duplicated.push(
          `${what} is in ${list.length === 2 ? 'both ' : ''}${list.join(' and ')}: remove one copy (e.g. rm -r ${copies.slice(1).join(' ')})`,
        );
      }
    });
    sources.set(
      unit,
      found.map((list) => list[0]),
    );
  }
  return { plan, experiment, sources, failedSources };
}

/** The fix for what `checkPlan` found: rerun what is missing, remove one copy of what is duplicated. */
function problemsError(problems: Problems): UserError {
  const lines = [...problems.duplicated, ...problems.missing];
  const fixes = [
    ...(problems.duplicated.length > 0
      ? ['remove one copy of each duplicated unit (each line names the folders that hold it)']
      : []),
    ...(problems.missing.length > 0
      ? ['rerun the shards that hold the missing results (the same command with their --shard / --eval-shard)']
      : []),
  ];
  return new UserError(
    'incomplete-shards',
    `merge: ${lines.length} problem(s), nothing written:\n  - ${lines.join('\n  - ')}`,
    `${fixes.join('; ')}, then merge again`,
  );
}

/** Each folder once: the same folder given twice would hold every unit "twice". */
function checkDistinct(dirs: readonly string[]): void {
  const twice = dirs.filter((dir, i) => dirs.findIndex((other) => path.resolve(other) === path.resolve(dir)) !== i);
  if (twice.length > 0)
    throw new UserError(
      'merge-dir-twice',
      `merge: ${[...new Set(twice)].join(', ')} given more than once, got ${dirs.join(' ')}`,
      "pass each shard's --out folder once",
    );
}

/**
 * Joins shard result folders into `outDir`: checks that every (run, seed) — or every eval shard of it — of every
 * experiment is there exactly once before writing anything, then copies the seed folders, joins eval shards into
 * metrics.json, and writes the CSVs and reports.
 * A unit whose training failed (failed.json) is a result too: its folder is copied and the CSV says so in `status`;
 * with eval shards, every shard trained it and recorded the same failure, so the first record stands for all.
 * Experiments from files are looked up in `files` by id (the shards' plans name only the id).
 * Returns the CSVs written and the failed units (the CLI exits 3 naming them, as `run` does).
 */
export async function mergeResults(
  dirs: readonly string[],
  outDir: string,
  progress: Progress,
  files: readonly ExperimentConfig[] = [],
): Promise<{ written: string[]; failed: FailedUnit[] }> {
  checkDistinct(dirs);
  const problems: Problems = { missing: [], duplicated: [] };
  const checked = [...findPlans(dirs).values()].map((plan) => {
    const experiment =
      files.find((e) => e.id === plan.experiment) ?? (EXPERIMENTS as Record<string, ExperimentConfig>)[plan.experiment];
    if (!experiment) {
      throw new UserError(
        'merge-experiment-file',
        `merge ${plan.presetName}/${plan.experiment}: not a built-in experiment, and no --experiment file defines id "${plan.experiment}"`,
        'pass the experiment file the shards ran: sat-bench merge <dirs...> --out DIR --experiment ./my-ablation.ts',
      );
    }
    return checkPlan(dirs, plan, experiment, problems);
  });
  if (problems.missing.length + problems.duplicated.length > 0) throw problemsError(problems);
  const written: string[] = [];
  const failedUnits: FailedUnit[] = [];
  for (const item of checked) {
    const { csvPath, failed } = await mergeExperiment(item, outDir);
    progress.log(
      `merged ${item.plan.units.length} (run, seed) unit(s) of ${item.plan.presetName}/${item.plan.experiment} into ${csvPath}`,
    );
    written.push(csvPath);
    failedUnits.push(...failed);
  }
  return { written, failed: failedUnits };
}

/** Copies one checked experiment's units into `outDir`, then writes its plan, CSV and reports there. */
async function mergeExperiment(
  { plan, experiment, sources, failedSources }: CheckedPlan,
  outDir: string,
): Promise<{ csvPath: string; failed: FailedUnit[] }> {
  for (const [unit, from] of sources) copyUnit(plan, unit, from, outDir, experiment);
  for (const [unit, from] of failedSources) copySeedFolder(plan, unit, from, outDir);
  const presetDir = path.join(outDir, plan.presetName);
  writePlan(presetDir, plan.experiment, {
    presetName: plan.presetName,
    units: plan.units,
    evalShards: plan.evalShards,
  });
  const failed = collectFailed(
    outDir,
    plan.presetName,
    experiment,
    (unit) => plan.units.find((u) => u.run === unit.run.id && u.seed === unit.seed)?.configHash ?? '',
  );
  const finished = collectFinished(outDir, plan.presetName, experiment);
  const { csvPath } = await writeReports(presetDir, experiment, finished, failed);
  return { csvPath, failed: [...failed.values()].flat() };
}

/** Copies a unit's seed folder from a shard's --out into `outDir` (nothing when they are the same folder). */
function copySeedFolder(plan: ExperimentPlan, unit: PlannedUnit, from: string, outDir: string): void {
  const [source, target] = [unitDir(from, plan, unit), unitDir(outDir, plan, unit)];
  if (path.resolve(source) !== path.resolve(target)) fs.cpSync(source, target, { recursive: true });
}

/** Copies a unit's folder (the first eval shard's, plus every shard file) and, for eval shards, joins them. */
function copyUnit(
  plan: ExperimentPlan,
  unit: PlannedUnit,
  from: string[],
  outDir: string,
  experiment: ExperimentConfig,
): void {
  const target = unitDir(outDir, plan, unit);
  copySeedFolder(plan, unit, from[0], outDir);
  if (plan.evalShards === 0) return;
  const records: EvalShardRecord[] = from.map((dir, k) => {
    const file = evalShardPath(unitDir(dir, plan, unit), { index: k + 1, count: plan.evalShards });
    if (path.resolve(file) !== path.resolve(path.join(target, path.basename(file))))
      fs.copyFileSync(file, path.join(target, path.basename(file)));
    return readRequiredJson<EvalShardRecord>(file, 'eval shard file');
  });
  const result = mergeEvalResults(records.map((r) => decodeTyped(r.result) as EvalResult));
  const config = readUnitConfig<Preset, ExperimentRun>(target);
  const first = records[0];
  const metrics = buildMetrics({
    experiment,
    presetName: plan.presetName,
    preset: config.preset,
    unit: { run: config.run, seed: unit.seed },
    configHash: unit.configHash,
    backend: first.backend,
    datasetName: first.dataset,
    position: first.position,
    trainImagesPerSecond: first.trainImagesPerSecond,
    evalSeconds: records.reduce((sum, r) => sum + r.evalSeconds, 0),
    result,
  });
  writeExamplesCsv(target, examplesRecord(result));
  writeMetrics(target, metrics);
}
