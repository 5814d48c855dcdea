import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { ActivationRegistry } from '../../nn/activation-spec';
import { ACTIVATIONS } from '../../nn/activations';
import { disposeNetwork, type Network } from '../../nn/network';
import type { PhasePlan } from '../../nn/phase';
import type { TrainPosition } from '../../train/train-position';
import { UserError } from '../../util/errors';
import { runActivationProblems } from '../config/run-activations';
import type { ExperimentRun, Preset } from '../config/types';
import { readCheckpoint, restoreState } from '../store/checkpoint';
import { isCheckpointFolder } from '../store/seed-folder';
import { buildRunNetwork, phasePlanFor } from './build-run';

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
  /** SHA-256 of the checkpoint's values: which weights these are (an evaluation journal is only reused for them). */
  valuesDigest: string;
}

/** Loads a checkpoint folder, or the latest checkpoint of a seed folder (`<out>/<preset>/<experiment>/<run>/seed-<k>`). */
export function loadCheckpoint(dir: string, registry: ActivationRegistry = ACTIVATIONS): LoadedCheckpoint {
  const isCheckpoint = isCheckpointFolder(dir);
  const checkpoint = isCheckpoint ? readCheckpoint(path.dirname(dir), path.basename(dir)) : readCheckpoint(dir);
  if (!checkpoint) {
    throw new UserError(
      'no-checkpoint',
      `${dir}: no checkpoint there (expected index.json and tensors.f32, or a checkpoint/ folder)`,
      'point at <out>/<preset>/<experiment>/<run>/seed-<k> or its checkpoint/ folder',
    );
  }
  const { run, seed, data, presetName, experiment, position, preset } = checkpoint.index;
  const problems = runActivationProblems(run, registry, `run "${run.id}"`);
  if (problems.length > 0) {
    throw new UserError(
      'unknown-activation',
      `${dir}: ${problems.join('; ')}`,
      'activations defined in an experiment file: pass that file with --experiment <file>',
    );
  }
  const net = buildRunNetwork(run, preset, seed, data, registry);
  try {
    restoreState(checkpoint, net);
  } catch (error) {
    disposeNetwork(net);
    throw error;
  }
  const { values } = checkpoint;
  const valuesDigest = createHash('sha256')
    .update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    .digest('hex');
  return {
    net,
    plan: phasePlanFor(run, preset, registry),
    preset,
    run,
    seed,
    presetName,
    experiment,
    position,
    valuesDigest,
  };
}
