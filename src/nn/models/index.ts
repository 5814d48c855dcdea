import type { Network } from '../network';
import type { ModelOptions } from './options';
import { buildSmallCnn } from './small-cnn';

export interface ModelSpec {
  description: string;
  build(options: ModelOptions): Network;
}

/** Every model a preset can name. */
export const MODELS = {
  smallcnn: { description: 'SmallCNN: conv 32-32-pool-64-64-pool, dense 200-200 (W-mnist)', build: buildSmallCnn },
} satisfies Record<string, ModelSpec>;

export type ModelName = keyof typeof MODELS;
