import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeJsonAtomic } from '../../util/atomic-write';
import { readJsonFile } from './seed-folder';

/**
 * What an experiment's results folder should hold once every shard is in: written by each `run` (the same for every
 * shard of one command line), read by `merge` to name what is missing.
 */
export interface ExperimentPlan {
  experiment: string;
  presetName: string;
  units: Array<{ run: string; seed: number; configHash: string }>;
  /** Eval shards per unit (0 = evaluation not sharded). */
  evalShards: number;
}

const PLAN_SUFFIX = '.plan.json';

export function planPath(presetDir: string, experiment: string): string {
  return path.join(presetDir, `${experiment}${PLAN_SUFFIX}`);
}

/** Every plan file of a preset folder (one per experiment run there). */
export function planFiles(presetDir: string): string[] {
  return fs
    .readdirSync(presetDir)
    .filter((f) => f.endsWith(PLAN_SUFFIX))
    .map((f) => path.join(presetDir, f));
}

export function writePlan(presetDir: string, experiment: string, plan: Omit<ExperimentPlan, 'experiment'>): void {
  writeJsonAtomic(planPath(presetDir, experiment), { experiment, ...plan });
}

export function readPlan(file: string): ExperimentPlan | undefined {
  return readJsonFile<ExperimentPlan>(file, 'plan file', 'error');
}
