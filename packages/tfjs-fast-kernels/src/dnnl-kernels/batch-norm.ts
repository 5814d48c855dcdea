import type { TensorInfo } from '@tensorflow/tfjs';
import type { DnnlBinding } from '../dnnl-binding';
import type { FastKernel } from '../kernel-registry';
import {
  BATCH_NORM_TRAINING,
  BATCH_NORM_TRAINING_GRAD,
  channelsOf as typedArrayChannelsOf,
} from '../js-kernels/batch-norm';
import { CHANNEL_AFFINE } from '../js-kernels/channel-affine';
import { computeWithViews } from '../tensor-access';

// The typed-array batch-norm kernels' arithmetic (src/js-kernels/batch-norm.ts) in the addon's threaded loops: the
// same float64 sums about each channel's first value, split in fixed blocks of rows so that every core takes a part.

/** channelsOf, and empty tensors stay with TF.js: the addon's loops are not given zero-sized buffers. */
function channelsOf(x: TensorInfo, ...perChannel: TensorInfo[]): number | null {
  return x.shape.includes(0) ? null : typedArrayChannelsOf(x, ...perChannel);
}

/** Inputs x [..., C], scale (γ), offset (β); outputs y, mean, biased variance. */
export function nativeBatchNormTrainingKernel(native: DnnlBinding): FastKernel {
  return {
    kernelName: BATCH_NORM_TRAINING,
    run: ({ inputs, attrs, access }) => {
      const [x, scale, offset] = [inputs.x, inputs.scale, inputs.offset] as TensorInfo[];
      const channels = channelsOf(x, scale, offset);
      if (channels === null) return null;
      const epsilon = attrs.varianceEpsilon as number;
      return computeWithViews(
        access,
        [x, scale, offset],
        [x.shape, [channels], [channels]],
        ([xs, gamma, beta], [y, mean, variance]) => native.batchNorm(epsilon, xs, gamma, beta, y, mean, variance),
      );
    },
  };
}

/** Inputs dy, x, scale, mean, variance; outputs dx, dγ, dβ (the exact gradient of the forward above). */
export function nativeBatchNormTrainingGradKernel(native: DnnlBinding): FastKernel {
  return {
    kernelName: BATCH_NORM_TRAINING_GRAD,
    run: ({ inputs, attrs, access }) => {
      const [dy, x, scale, mean, variance] = [
        inputs.dy,
        inputs.x,
        inputs.scale,
        inputs.mean,
        inputs.variance,
      ] as TensorInfo[];
      const channels = channelsOf(x, scale, mean, variance);
      if (channels === null || dy.shape.join() !== x.shape.join()) return null;
      const epsilon = attrs.varianceEpsilon as number;
      return computeWithViews(
        access,
        [dy, x, scale, mean, variance],
        [x.shape, [channels], [channels]],
        ([dys, xs, gamma, mu, sigma2], [dx, dGamma, dBeta]) =>
          native.batchNormGrad(epsilon, dys, xs, gamma, mu, sigma2, dx, dGamma, dBeta),
      );
    },
  };
}

/** y = x·scale + shift per channel (inference-mode batch norm). cpu only, as the typed-array kernel it replaces. */
export function nativeChannelAffineKernel(native: DnnlBinding): FastKernel {
  return {
    kernelName: CHANNEL_AFFINE,
    backends: ['cpu'],
    run: ({ inputs, access }) => {
      const [x, scale, shift] = [inputs.x, inputs.scale, inputs.shift] as TensorInfo[];
      const channels = channelsOf(x, scale, shift);
      if (channels === null) return null;
      const outputs = computeWithViews(access, [x, scale, shift], [x.shape], ([xs, a, b], [y]) =>
        native.channelAffine(xs, a, b, y),
      );
      return outputs && outputs[0];
    },
  };
}
