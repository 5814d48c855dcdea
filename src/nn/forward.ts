import * as tf from '@tensorflow/tfjs';
import { mixedActivation } from './mixed-activation';
import { applyBatchNorm, type BatchStats, type LayerContext, type Network } from './network';
import { batchNormModeFor, type Phase, type PhasePlan } from './phase';

export interface ForwardResult {
  logits: tf.Tensor2D; // [N, classes]
  /** Empty unless the phase runs BN on batch statistics; the train step applies them. */
  batchStats: BatchStats[];
}

/** What the body's layers see in a phase: each activation's backward and the BN mode, from the plan. */
export function layerContext(net: Network, phase: Phase, plan: PhasePlan, batchStats: BatchStats[]): LayerContext {
  const backward = plan.backward[phase];
  const bnMode = batchNormModeFor(plan, phase);
  const plain = mixedActivation(plan.forward, backward);
  return {
    activate: (input, site) => {
      const parameter = net.activationParams[site]?.variable as tf.Scalar | undefined;
      return parameter ? mixedActivation(plan.forward, backward, parameter)(input) : plain(input);
    },
    batchNorm: (layer, input) => applyBatchNorm(layer, input, bnMode, batchStats),
  };
}

/** The one forward pass: the phase picks each activation's backward and the BN mode from the plan. */
export function forward(net: Network, x: tf.Tensor4D /* [N, H, W, C] */, phase: Phase, plan: PhasePlan): ForwardResult {
  const batchStats: BatchStats[] = [];
  const logits = net.body(x, layerContext(net, phase, plan, batchStats));
  return { logits, batchStats };
}
