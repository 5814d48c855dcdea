import * as tf from '@tensorflow/tfjs';
import { deriveSeed, Rng } from '../util/rng';
import type { BatchNormLayer, Param } from './network';

/** Weight initialisation schemes a preset can name. */
export const INIT_SCHEMES = {
  /** He et al. 2015: N(0, 2 / fan_in); suits ReLU-like activations. */
  heNormal: (fanIn: number, _fanOut: number, rng: Rng, out: Float32Array) => rng.fillNormal(out, Math.sqrt(2 / fanIn)),
  /** N(0, 2 / fan_out), fan_out = k·k·out: the official SAT (tensorpack ResNet) code's variance scaling. */
  heNormalFanOut: (_fanIn: number, fanOut: number, rng: Rng, out: Float32Array) =>
    rng.fillNormal(out, Math.sqrt(2 / fanOut)),
  /** Glorot & Bengio 2010: U(±sqrt(6 / (fan_in + fan_out))); TF.js / Keras default. */
  glorotUniform: (fanIn: number, fanOut: number, rng: Rng, out: Float32Array) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return rng.fillUniform(out, -limit, limit);
  },
  /** PyTorch's default for conv/linear: U(±1 / sqrt(fan_in)). */
  torchDefault: (fanIn: number, _fanOut: number, rng: Rng, out: Float32Array) => {
    const limit = 1 / Math.sqrt(fanIn);
    return rng.fillUniform(out, -limit, limit);
  },
} satisfies Record<string, (fanIn: number, fanOut: number, rng: Rng, out: Float32Array) => Float32Array>;

export type InitScheme = keyof typeof INIT_SCHEMES;

/** A variable holding `initial`'s values; `initial` is disposed (tf.variable copies, so it would otherwise leak). */
function variableFrom(initial: tf.Tensor, trainable: boolean): tf.Variable {
  const variable = tf.variable(initial, trainable);
  initial.dispose();
  return variable;
}

/** Creates variables in JS from a seeded Rng, so the same seed gives the same weights on every backend. */
export class ParamFactory {
  readonly params: Param[] = [];
  readonly batchNorms: BatchNormLayer[] = [];

  constructor(
    private readonly seed: number,
    private readonly scheme: InitScheme,
  ) {}

  /** Conv kernel [kh, kw, in, out]. */
  convKernel(name: string, size: number, inChannels: number, outChannels: number): tf.Variable {
    return this.kernel(
      name,
      [size, size, inChannels, outChannels],
      size * size * inChannels,
      size * size * outChannels,
    );
  }

  /** Dense kernel [in, out]; `std` overrides the scheme (ResNet-50's FC: N(0, 0.01²)). */
  denseKernel(name: string, inUnits: number, outUnits: number, std?: number): tf.Variable {
    if (std === undefined) return this.kernel(name, [inUnits, outUnits], inUnits, outUnits);
    const values = new Rng(deriveSeed(this.seed, 'init', name)).fillNormal(new Float32Array(inUnits * outUnits), std);
    return this.add(name, tf.tensor(values, [inUnits, outUnits]), true);
  }

  bias(name: string, units: number): tf.Variable {
    return this.add(name, tf.zeros([units]), false);
  }

  /** `zeroGamma` starts the layer at zero output (ResNet's last BN in each block). */
  batchNorm(name: string, channels: number, options: { zeroGamma?: boolean; momentum?: number } = {}): BatchNormLayer {
    const layer: BatchNormLayer = {
      name,
      gamma: {
        name: `${name}/gamma`,
        variable: variableFrom(options.zeroGamma ? tf.zeros([channels]) : tf.ones([channels]), true),
        decay: false,
      },
      beta: { name: `${name}/beta`, variable: variableFrom(tf.zeros([channels]), true), decay: false },
      movingMean: variableFrom(tf.zeros([channels]), false),
      movingVariance: variableFrom(tf.ones([channels]), false),
      momentum: options.momentum ?? 0.9,
      epsilon: 1e-5,
    };
    this.batchNorms.push(layer);
    return layer;
  }

  private kernel(name: string, shape: number[], fanIn: number, fanOut: number): tf.Variable {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    INIT_SCHEMES[this.scheme](fanIn, fanOut, new Rng(deriveSeed(this.seed, 'init', name)), values);
    return this.add(name, tf.tensor(values, shape), true);
  }

  private add(name: string, initial: tf.Tensor, decay: boolean): tf.Variable {
    // TF.js variable names are global; leaving them generated lets two networks coexist. Param.name is the key.
    const variable = variableFrom(initial, true);
    this.params.push({ name, variable, decay });
    return variable;
  }
}
