import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomValues } from '../fast-harness';
import { requireDnnl } from './require-dnnl';

/** The addon's geometry for a 3×3 convolution of stride 1 with one input channel and `pad` on every side. */
function geometry(batch: number, height: number, width: number, channels: number, pad: number): number[] {
  const [outH, outW] = [height + 2 * pad - 2, width + 2 * pad - 2];
  return [batch, height, width, 1, outH, outW, channels, 3, 3, 1, 1, 1, 1, pad, pad, pad, pad];
}

const bits = (values: Float32Array) => new Uint32Array(values.buffer.slice(0));

test("one-input-channel backward data: the addon's own kernel gives oneDNN's bits, checked on random values", (t) => {
  const dnnl = requireDnnl(t);
  if (!dnnl) return;
  const avx512 = dnnl.cpuIsa.startsWith('avx512');
  if (!avx512) t.diagnostic(`cpu ISA ${dnnl.cpuIsa}: the own kernel is not eligible; oneDNN serves every call`);
  const cases: Array<[number, number, number, number, number]> = [
    [8, 28, 28, 32, 1], // SmallCNN's first layer on MNIST
    [48, 28, 28, 32, 1],
    [5, 28, 28, 16, 1],
    [3, 28, 28, 8, 1],
    [2, 17, 9, 20, 1], // channels not a multiple of 16, a narrow odd image
    [4, 6, 6, 32, 0], // the window scorer's valid patches
    [1, 33, 40, 32, 1], // wider than two column blocks
    [2, 5, 70, 16, 1], // four column blocks, then one
  ];
  for (const [i, [batch, height, width, channels, pad]] of cases.entries()) {
    const g = geometry(batch, height, width, channels, pad);
    const dySize = batch * g[4] * g[5] * channels;
    const dy = randomValues(dySize, 10 * i + 2);
    const filter = randomValues(9 * channels, 10 * i + 3);
    const run = (dy: Float32Array) => {
      const dx = new Float32Array(batch * height * width);
      dnnl.conv(1, g, dy, filter, dx);
      return dx;
    };
    dnnl.clearCache();
    // The first call checks the kernel on random values, not on its own: all zeros here, which any order sums alike.
    run(new Float32Array(dySize));
    const before: number = dnnl.stats().ownBackwardData;
    const own = run(dy);
    const served: number = dnnl.stats().ownBackwardData - before;
    dnnl.setOwnKernels(false);
    const reference = run(dy);
    dnnl.setOwnKernels(true);
    const label = `[${batch}, ${height}, ${width}, 1] → ${channels} channels, pad ${pad}`;
    assert.deepEqual(bits(own), bits(reference), label);
    if (avx512) assert.equal(served, 1, `${label}: the own kernel served the second call`);
  }
});
