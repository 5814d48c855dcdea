import * as tf from '@tensorflow/tfjs';
import type { Param } from '../nn/network';

export interface SgdOptions {
  momentum: number;
  nesterov: boolean;
  /** L2 weight decay, added to the gradient of params with `decay` (conv/dense kernels only). */
  weightDecay: number;
}

/**
 * SGD with momentum as PyTorch defines it (v = μv + g; step = g + μv with Nesterov, else v), weight decay
 * folded into the gradient. Owns its velocity variables: call dispose() when done.
 */
export class SgdOptimizer {
  private readonly velocity = new Map<string, tf.Variable>();

  constructor(
    private readonly params: Param[],
    readonly options: SgdOptions,
  ) {}

  /** Applies one update with the given learning rate; disposes nothing of the caller's. */
  apply(grads: Record<string, tf.Tensor>, learningRate: number): void {
    const { momentum, nesterov, weightDecay } = this.options;
    for (const param of this.params) {
      const grad = grads[param.variable.name];
      if (!grad) continue;
      tf.tidy(() => {
        let g = param.decay && weightDecay > 0 ? tf.add(grad, tf.mul(param.variable, weightDecay)) : grad;
        if (momentum > 0) {
          const v = this.velocityOf(param);
          const next = tf.add(tf.mul(v, momentum), g);
          v.assign(next);
          g = nesterov ? tf.add(g, tf.mul(next, momentum)) : next;
        }
        param.variable.assign(tf.sub(param.variable, tf.mul(g, learningRate)));
      });
    }
  }

  /** Velocity buffers by parameter name (for checkpoints). */
  state(): Map<string, tf.Variable> {
    return this.velocity;
  }

  dispose(): void {
    for (const v of this.velocity.values()) v.dispose();
    this.velocity.clear();
  }

  private velocityOf(param: Param): tf.Variable {
    let v = this.velocity.get(param.name);
    if (!v) {
      v = tf.variable(tf.zerosLike(param.variable), false);
      this.velocity.set(param.name, v);
    }
    return v;
  }
}
