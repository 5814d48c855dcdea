import * as tf from '@tensorflow/tfjs';
import { mixedActivation } from './mixed-activation';
import { applyBatchNorm, type BatchStats, type Network } from './network';
import { batchNormModeFor, type Phase, type PhasePlan } from './phase';

export interface ForwardResult {
  logits: tf.Tensor2D; // [N, classes]
  /** Empty unless the phase runs BN on batch statistics; the train step applies them. */
  batchStats: BatchStats[];
}

/** The one forward pass: the phase picks each activation's backward and the BN mode from the plan. */
export function forward(net: Network, x: tf.Tensor4D /* [N, H, W, C] */, phase: Phase, plan: PhasePlan): ForwardResult {
  const backward = plan.backward[phase];
  const bnMode = batchNormModeFor(plan, phase);
  const batchStats: BatchStats[] = [];
  const plain = mixedActivation(plan.forward, backward);
  const logits = net.body(x, {
    activate: (input, site) => {
      const parameter = net.activationParams[site]?.variable as tf.Scalar | undefined;
      return parameter ? mixedActivation(plan.forward, backward, parameter)(input) : plain(input);
    },
    batchNorm: (layer, input) => applyBatchNorm(layer, input, bnMode, batchStats),
  });
  return { logits, batchStats };
}
