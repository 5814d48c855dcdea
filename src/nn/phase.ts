import type { ActivationRef } from './activation-spec';

/**
 * Where a forward pass is used; it decides the activation's backward and the batch-norm mode.
 * - attack: crafting training examples (d loss / d input), attacker-backward, BN per `batchNormInAttack`;
 * - train: the optimizer's step (d loss / d weights), optimizer-backward, BN on batch statistics;
 * - eval: evaluation attacks and accuracy, BN on running statistics, the `eval` backward (normally the forward's own).
 */
export type Phase = 'attack' | 'train' | 'eval';

export type BatchNormMode = 'batch' | 'running';

/** Filled from an experiment row: this is where Table 1's rows differ. */
export interface PhasePlan {
  forward: ActivationRef;
  backward: Record<Phase, ActivationRef>;
  batchNormInAttack: BatchNormMode;
}

export function batchNormModeFor(plan: PhasePlan, phase: Phase): BatchNormMode {
  if (phase === 'train') return 'batch';
  if (phase === 'attack') return plan.batchNormInAttack;
  return 'running';
}

/** The same plan with another backward at evaluation (the smoothed-gradient / BPDA check). */
export function withEvalBackward(plan: PhasePlan, backward: ActivationRef): PhasePlan {
  return { ...plan, backward: { ...plan.backward, eval: backward } };
}
