import type { Network } from '../network';
import type { ModelOptions } from './options';
import { buildPreActResNet18 } from './preact-resnet';
import { buildResNet50 } from './resnet50';
import { buildSmallCnn } from './small-cnn';

export interface ModelSpec {
  description: string;
  build(options: ModelOptions): Network;
}

/** Every model a preset can name. */
export const MODELS = {
  smallcnn: {
    description: 'SmallCNN: conv 32-32-pool-64-64-pool, dense 200-200 (W-mnist)',
    build: (o) => buildSmallCnn(o, { batchNorm: false }),
  },
  'smallcnn-bn': {
    description: 'SmallCNN with batch norm before every hidden activation (the glyph presets)',
    build: (o) => buildSmallCnn(o, { batchNorm: true }),
  },
  preactresnet18: {
    description: 'PreAct-ResNet-18 for 32×32 inputs, widths 64-128-256-512 (W-cifar)',
    build: buildPreActResNet18,
  },
  resnet50: {
    description: 'ResNet-50 v1.5 for 224×224 inputs (the paper’s model), zero-init last BN per block',
    build: buildResNet50,
  },
} satisfies Record<string, ModelSpec>;

export type ModelName = keyof typeof MODELS;
