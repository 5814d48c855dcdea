import { createGlyphs } from '../../src/data/glyphs';
import { batchToTensors } from '../../src/data/to-tensor';
import { MODELS } from '../../src/nn/models';
import { trainableParams } from '../../src/nn/network';
import type { PhasePlan } from '../../src/nn/phase';
import { SgdOptimizer } from '../../src/train/sgd';
import type { TrainState } from '../../src/train/train-step';

export const RELU_PLAN: PhasePlan = {
  forward: 'relu',
  backward: { attack: 'relu', train: 'relu', eval: 'relu' },
  batchNormInAttack: 'running',
};

/** A narrow SmallCNN with BN on a small glyphs set: the smoke preset's model and scale, built directly. */
export function smokeSetup(options: { seed: number; trainSize?: number; plan?: PhasePlan }) {
  const dataset = createGlyphs({ trainSize: options.trainSize ?? 1024, testSize: 256, seed: 0 });
  const plan = options.plan ?? RELU_PLAN;
  const net = MODELS['smallcnn-bn'].build({
    inputShape: dataset.shape,
    numClasses: 10,
    width: 0.25,
    init: 'heNormal',
    activation: plan.forward,
    seed: options.seed,
  });
  const optimizer = new SgdOptimizer(trainableParams(net), { momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
  const state: TrainState = { net, plan, optimizer };
  const batchAt = async (split: 'train' | 'test', start: number, size: number) => {
    const indices = Int32Array.from({ length: size }, (_, i) => (start + i) % dataset.size(split));
    return { ...batchToTensors(await dataset.read(split, indices), dataset.shape), indices };
  };
  return { dataset, state, batchAt };
}
