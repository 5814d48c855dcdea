import type { TensorInfo } from '@tensorflow/tfjs';
import type { FastKernel } from '../kernel-registry';
import type { FastArray } from '../tfjs-internals';
import { computeWithViews, isFastDtype } from '../tensor-access';

/** Strides of a row-major shape. */
function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/**
 * Tile, which tf.where runs to broadcast a per-example condition over the image ([N, 1, 1, 1] → [N, H, W, C]: the
 * attacks' per-example replacements): each axis's block is written once, then copied reps − 1 times after itself,
 * and where the rest of the input is one value, its block is filled with it.
 * TF.js's wasm kernel took 4.2 ms for 54 MNIST rows (100 ns per element); a copy is the same bits.
 */
export const tileKernel: FastKernel = {
  kernelName: 'Tile',
  run: ({ inputs, attrs, access }) => {
    const x = inputs.x as TensorInfo;
    const reps = attrs.reps as number[];
    const dtype = x.dtype;
    if (!Array.isArray(reps) || reps.length !== x.shape.length || x.shape.length === 0 || !isFastDtype(dtype))
      return null;
    const outShape = x.shape.map((d, i) => d * reps[i]);
    if (outShape.includes(0)) return null;
    const inStrides = stridesOf(x.shape);
    const outStrides = stridesOf(outShape);
    const outputs = computeWithViews<FastArray[], FastArray[]>(
      access,
      [x],
      [{ shape: outShape, dtype }],
      ([xs], [out]) => {
        const fill = (axis: number, from: number, to: number): void => {
          // From here down the input is one value (a broadcast condition): its whole output block is that value.
          // (At the last axis that block is one element.)
          if (axis > 0 && inStrides[axis - 1] === 1) {
            out.fill(xs[from], to, to + outStrides[axis - 1]);
            return;
          }
          for (let i = 0; i < x.shape[axis]; i++) fill(axis + 1, from + i * inStrides[axis], to + i * outStrides[axis]);
          const block = x.shape[axis] * outStrides[axis];
          for (let r = 1; r < reps[axis]; r++) out.copyWithin(to + r * block, to, to + block);
        };
        fill(0, 0, 0);
      },
      [dtype],
    );
    return outputs && outputs[0];
  },
};
