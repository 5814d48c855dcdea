import type { ImageShape } from '../../data/types';
import type { ActivationRef } from '../activation-spec';
import type { InitScheme } from '../init';

export interface ModelOptions {
  inputShape: ImageShape;
  numClasses: number;
  /** Multiplies every layer's width (1 = the published architecture). */
  width: number;
  init: InitScheme;
  /** The forward activation: decides whether learnable activation parameters are created. */
  activation: ActivationRef;
  seed: number;
}
