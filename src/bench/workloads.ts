import type { ImageShape } from '../data/types';
import type { ModelName } from '../nn/models';

/** The reference workloads W-mnist, W-mnist-bn and W-cifar, mirrored on PyTorch by the bench's torch_bench.py. */
export interface Workload {
  name: string;
  model: ModelName;
  /** The model's width multiplier (workloads.md: the presets' smallcnn-bn runs at 0.5). */
  width: number;
  inputShape: ImageShape;
  /** Forward multiply-adds × 2, per image (the figure torch_bench.py uses). */
  forwardMflop: number;
  epsilon: number;
}

export const WORKLOADS = {
  mnist: {
    name: 'W-mnist',
    model: 'smallcnn',
    width: 1,
    inputShape: { height: 28, width: 28, channels: 1 },
    forwardMflop: 38,
    epsilon: 0.3,
  },
  // The CPU presets' own model: few FLOPs, so batch norm's memory passes and per-kernel overheads decide its speed.
  'mnist-bn': {
    name: 'W-mnist-bn',
    model: 'smallcnn-bn',
    width: 0.5,
    inputShape: { height: 28, width: 28, channels: 1 },
    forwardMflop: 9.6,
    epsilon: 0.2,
  },
  cifar: {
    name: 'W-cifar',
    model: 'preactresnet18',
    width: 1,
    inputShape: { height: 32, width: 32, channels: 3 },
    forwardMflop: 1110,
    epsilon: 8 / 255,
  },
} satisfies Record<string, Workload>;

export type WorkloadName = keyof typeof WORKLOADS;

/** FLOPs of one timed step relative to a forward pass: train-step ≈ 6×, attack-step ≈ 3× (workloads.md). */
export const STEP_FLOP_FACTOR = { 'train-step': 6, 'attack-step': 3 } as const;
export type BenchStep = keyof typeof STEP_FLOP_FACTOR;
