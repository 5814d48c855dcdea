import * as tf from '@tensorflow/tfjs';
import type { ImageShape } from '../../data/types';
import { allVariables, type Network } from '../../nn/network';
import type { TrainState } from '../../train/train-step';
import { revivePosition, type TrainPosition } from '../../train/train-position';
import { UserError } from '../../util/errors';
import { readCheckpointFiles, writeCheckpointFiles } from './checkpoint-files';
import { NEVER_KILL, type KillPoints } from './kill-point';
import { CHECKPOINT } from './seed-folder';
import type { ExperimentRun, Preset } from '../config/types';

export { BEST_CHECKPOINT, CHECKPOINT } from './seed-folder';

/** The data's shape, as the model needs it (kept in checkpoints, so `eval` can rebuild without the dataset). */
export interface DataShape {
  shape: ImageShape;
  numClasses: number;
}

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
export async function saveCheckpoint(
  seedDir: string,
  name: string,
  state: TrainState,
  meta: CheckpointMeta,
  position: TrainPosition,
  kill: KillPoints = NEVER_KILL,
): Promise<void> {
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

export function readCheckpoint(
  seedDir: string,
  name = CHECKPOINT,
): { index: CheckpointIndex; values: Float32Array } | undefined {
  const files = readCheckpointFiles<CheckpointIndex>(seedDir, name);
  return files && { index: { ...files.index, position: revivePosition(files.index.position) }, values: files.values };
}

function valuesOf(entry: CheckpointIndex['tensors'][number], values: Float32Array): tf.Tensor {
  const size = entry.shape.reduce((a, b) => a * b, 1);
  return tf.tensor(values.subarray(entry.offset, entry.offset + size), entry.shape);
}

/** Writes a checkpoint's values into a freshly built network (and optimizer, when given). */
export function restoreState(
  checkpoint: { index: CheckpointIndex; values: Float32Array },
  net: Network,
  optimizer?: TrainState['optimizer'],
): void {
  const byName = new Map(checkpoint.index.tensors.map((t) => [`${t.role}:${t.name}`, t]));
  for (const { name, variable } of allVariables(net)) {
    const entry = byName.get(`variable:${name}`);
    if (!entry || entry.shape.join('x') !== variable.shape.join('x')) {
      throw new UserError(
        'checkpoint-mismatch',
        `checkpoint of run "${checkpoint.index.run.id}": no tensor "${name}" of shape [${variable.shape}], got ${entry ? `[${entry.shape}]` : 'none'}`,
        'delete the checkpoint folder to restart that run',
      );
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
