import * as tf from '@tensorflow/tfjs';
import { toBound, type ActivationRef } from './activation-spec';

/**
 * Forward of `forward`, backward through the derivative of `backward` (names or bound activations with settings).
 * Equal ids (name and settings): ordinary autodiff (so SmoothReLU's learnable parameter gets its gradient). Mixed: a
 * custom gradient for x only; the parameter, if any, is then held constant (only Table 1 mixes, and its functions
 * have none).
 */
export function mixedActivation(
  forwardRef: ActivationRef,
  backwardRef: ActivationRef,
  parameter?: tf.Scalar,
): (x: tf.Tensor) => tf.Tensor {
  const forward = toBound(forwardRef);
  if (forward.id === toBound(backwardRef).id) return (x) => forward.activation.value(x, forward.settings, parameter);
  const backward = toBound(backwardRef);
  const backwardParameter = forward.activation.parameter && backward.activation.parameter ? parameter : undefined;
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([x]);
    return {
      value: forward.activation.value(x, forward.settings, parameter),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.mul(dy, backward.activation.derivative(saved[0], backward.settings, backwardParameter)),
    };
  }) as (x: tf.Tensor) => tf.Tensor;
}
