import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ActivationRegistry } from '../../nn/activation-spec';
import { ACTIVATIONS } from '../../nn/activations';
import { allVariables, disposeNetwork, type Network } from '../../nn/network';
import type { PhasePlan } from '../../nn/phase';
import type { TrainState } from '../../train/train-step';
import { revivePosition, type TrainPosition } from '../../train/train-position';
import { UserError } from '../../util/errors';
import { buildRunNetwork, phasePlanFor, type DataShape } from '../orchestration/build-run';
import { readCheckpointFiles, writeCheckpointFiles } from './checkpoint-files';
import type { KillSwitch } from './kill-point';
import { runActivationProblems } from '../config/run-activations';
import type { ExperimentRun, Preset } from '../config/types';

/** The folder names inside a seed folder: the latest state, and the best epoch's (kept for `train.stopOnOverfit`). */
export const CHECKPOINT = 'checkpoint';
export const BEST_CHECKPOINT = 'checkpoint-best';

/** What a checkpoint says about itself: enough to rebuild the model and continue or evaluate it. */
export interface CheckpointIndex {
  format: 1;
  configHash: string;
  experiment: string;
  presetName: string;
  preset: Preset;
  run: ExperimentRun;
  seed: number;
  data: DataShape;
  position: TrainPosition;
  /** Each tensor's place in the Float32 file; `velocity` entries are the optimizer's momentum buffers. */
  tensors: Array<{ name: string; role: 'variable' | 'velocity'; shape: number[]; offset: number }>;
  floats: number;
}

export type CheckpointMeta = Omit<CheckpointIndex, 'format' | 'position' | 'tensors' | 'floats'>;

/**
 * Model variables (params, BN running statistics, activation parameters) and optimizer velocity, as one file.
 * Async: the values are read with `data()`, the read every backend has (WebGPU has no synchronous one in Node).
 * The variables belong to `state`, whose owner keeps them alive across the reads.
 */
export async function saveCheckpoint(seedDir: string, name: string, state: TrainState, meta: CheckpointMeta, position: TrainPosition, kill: KillSwitch): Promise<void> {
  const entries = [
    ...allVariables(state.net).map((v) => ({ ...v, role: 'variable' as const })),
    ...[...state.optimizer.state()].map(([name, variable]) => ({ name, variable, role: 'velocity' as const })),
  ];
  const floats = entries.reduce((sum, e) => sum + e.variable.size, 0);
  const values = new Float32Array(floats);
  const tensors: CheckpointIndex['tensors'] = [];
  const read = await Promise.all(entries.map((e) => e.variable.data()));
  let offset = 0;
  for (const [i, { name: tensorName, variable, role }] of entries.entries()) {
    values.set(read[i], offset);
    tensors.push({ name: tensorName, role, shape: variable.shape, offset });
    offset += variable.size;
  }
  const index: CheckpointIndex = { format: 1, ...meta, position, tensors, floats };
  writeCheckpointFiles(seedDir, name, { index, values }, kill);
}

export function readCheckpoint(seedDir: string, name = CHECKPOINT): { index: CheckpointIndex; values: Float32Array } | undefined {
  const files = readCheckpointFiles<CheckpointIndex>(seedDir, name);
  return files && { index: { ...files.index, position: revivePosition(files.index.position) }, values: files.values };
}

function valuesOf(entry: CheckpointIndex['tensors'][number], values: Float32Array): tf.Tensor {
  const size = entry.shape.reduce((a, b) => a * b, 1);
  return tf.tensor(values.subarray(entry.offset, entry.offset + size), entry.shape);
}

/** Writes a checkpoint's values into a freshly built network (and optimizer, when given). */
export function restoreState(checkpoint: { index: CheckpointIndex; values: Float32Array }, net: Network, optimizer?: TrainState['optimizer']): void {
  const byName = new Map(checkpoint.index.tensors.map((t) => [`${t.role}:${t.name}`, t]));
  for (const { name, variable } of allVariables(net)) {
    const entry = byName.get(`variable:${name}`);
    if (!entry || entry.shape.join('x') !== variable.shape.join('x')) {
      throw new UserError('checkpoint-mismatch', `checkpoint of run "${checkpoint.index.run.id}": no tensor "${name}" of shape [${variable.shape}], got ${entry ? `[${entry.shape}]` : 'none'}`, 'delete the checkpoint folder to restart that run');
    }
    const value = valuesOf(entry, checkpoint.values);
    variable.assign(value);
    value.dispose();
  }
  if (!optimizer) return;
  const velocity = optimizer.state();
  for (const entry of checkpoint.index.tensors.filter((t) => t.role === 'velocity')) {
    const value = valuesOf(entry, checkpoint.values);
    const existing = velocity.get(entry.name);
    if (existing) existing.assign(value);
    else velocity.set(entry.name, tf.variable(value, false, `${entry.name}/velocity`));
    value.dispose();
  }
}

/** What `sat-bench eval <checkpoint>` needs; the caller disposes `net` (disposeNetwork). */
export interface LoadedCheckpoint {
  net: Network;
  plan: PhasePlan;
  preset: Preset;
  run: ExperimentRun;
  seed: number;
  presetName: string;
  experiment: string;
  position: TrainPosition;
}

/** Checkpoints written before the evaluation step became a multiple of ε carry the absolute `eval.stepSize`. */
export function withEvalStepFactor(preset: Preset): Preset {
  const old = preset.eval as Preset['eval'] & { stepSize?: number };
  if (old.stepSizeFactor !== undefined || old.stepSize === undefined) return preset;
  const { stepSize, ...rest } = old;
  return { ...preset, eval: { ...rest, stepSizeFactor: stepSize / preset.epsilon } };
}

/** Loads a checkpoint folder, or the latest checkpoint of a seed folder (`<out>/<preset>/<experiment>/<run>/seed-<k>`). */
export function loadCheckpoint(dir: string, registry: ActivationRegistry = ACTIVATIONS): LoadedCheckpoint {
  const isCheckpoint = fs.existsSync(path.join(dir, 'index.json')) || fs.existsSync(`${dir}.prev`);
  const checkpoint = isCheckpoint ? readCheckpoint(path.dirname(dir), path.basename(dir)) : readCheckpoint(dir);
  if (!checkpoint) {
    throw new UserError('no-checkpoint', `${dir}: no checkpoint there (expected index.json and tensors.f32, or a checkpoint/ folder)`, 'point at <out>/<preset>/<experiment>/<run>/seed-<k> or its checkpoint/ folder');
  }
  const { run, seed, data, presetName, experiment, position } = checkpoint.index;
  const preset = withEvalStepFactor(checkpoint.index.preset);
  const problems = runActivationProblems(run, registry, `run "${run.id}"`);
  if (problems.length > 0) {
    throw new UserError('unknown-activation', `${dir}: ${problems.join('; ')}`, 'activations defined in an experiment file: pass that file with --experiment <file>');
  }
  const net = buildRunNetwork(run, preset, seed, data, registry);
  try {
    restoreState(checkpoint, net);
  } catch (error) {
    disposeNetwork(net);
    throw error;
  }
  return { net, plan: phasePlanFor(run, preset, registry), preset, run, seed, presetName, experiment, position };
}
