import type { FastKernel } from '../kernel-registry';
import { batchNormTrainingGradKernel, batchNormTrainingKernel } from './batch-norm';
import { channelAffineKernel } from './channel-affine';
import { gatherKernel } from './gather-rows';
import { maxPoolKernel } from './max-pool';
import { maxPoolGradKernel } from './max-pool-grad';
import { castKernel, identityKernel } from './share';
import { tileKernel } from './tile';

/** Typed-array kernels replacing TF.js's slow JS ones; they need no native code. */
export const TYPED_ARRAY_KERNELS: FastKernel[] = [
  identityKernel,
  castKernel,
  maxPoolKernel,
  maxPoolGradKernel,
  batchNormTrainingKernel,
  batchNormTrainingGradKernel,
  channelAffineKernel,
  gatherKernel,
  tileKernel,
];
