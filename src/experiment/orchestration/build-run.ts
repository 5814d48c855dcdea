import { bindActivation, type ActivationRegistry } from '../../nn/activation-spec';
import { ACTIVATIONS } from '../../nn/activations';
import { MODELS } from '../../nn/models';
import { trainableParams, type Network } from '../../nn/network';
import type { PhasePlan } from '../../nn/phase';
import { SgdOptimizer } from '../../train/sgd';
import type { TrainState } from '../../train/train-step';
import { deriveSeed } from '../../util/rng';
import { bindRun } from '../config/run-activations';
import type { ExperimentRun, Preset } from '../config/types';
import type { DataShape } from '../store/checkpoint';

/** Where a run's rows differ: its forward, the attacker's and the optimizer's backward; eval uses the forward's. */
export function phasePlanFor(
  run: ExperimentRun,
  preset: Preset,
  registry: ActivationRegistry = ACTIVATIONS,
): PhasePlan {
  const bound = bindRun(run, registry);
  return {
    forward: bound.forward,
    backward: { attack: bound.attack, train: bound.train, eval: bound.forward },
    batchNormInAttack: preset.train.attack.batchNorm,
  };
}

/** Every row of a seed starts from the same weights and sees the same batches: deltas measure the activation alone. */
export function buildRunNetwork(
  run: ExperimentRun,
  preset: Preset,
  seed: number,
  data: DataShape,
  registry: ActivationRegistry = ACTIVATIONS,
): Network {
  return MODELS[preset.model.name].build({
    inputShape: data.shape,
    numClasses: data.numClasses,
    width: preset.model.width,
    init: preset.model.init,
    activation: bindActivation(run.forward, registry),
    seed: deriveSeed(seed, 'init'),
  });
}

/** Network, plan and a fresh optimizer; the caller disposes the optimizer and the network. */
export function buildTrainState(
  run: ExperimentRun,
  preset: Preset,
  seed: number,
  data: DataShape,
  registry: ActivationRegistry = ACTIVATIONS,
): TrainState {
  const net = buildRunNetwork(run, preset, seed, data, registry);
  const optimizer = new SgdOptimizer(trainableParams(net), {
    momentum: preset.train.momentum,
    nesterov: preset.train.nesterov,
    weightDecay: preset.train.weightDecay,
  });
  return { net, plan: phasePlanFor(run, preset, registry), optimizer };
}
