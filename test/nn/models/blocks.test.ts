import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { applyConv, globalAveragePool, scaleChannels, SiteCounter } from '../../../src/nn/models/blocks';
import { assertClose } from '../../helpers/assert-close';
import { setupTestBackend } from '../../helpers/backend';

before(setupTestBackend);

test('a stride-2 3x3 convolution pads one pixel on every side, as PyTorch padding=1 does', () => {
  tf.tidy(() => {
    // x = 0..15 on a 4×4 grid, kernel of ones: each output sums the rows 2i−1..2i+1 and cols 2j−1..2j+1 inside
    // the grid. out[0,0] = 0+1+4+5 = 10; out[0,1] = (1+2+3)+(5+6+7) = 24; out[1,0] = (4+5)+(8+9)+(12+13) = 51;
    // out[1,1] = (5+6+7)+(9+10+11)+(13+14+15) = 90. TF.js 'same' would pad only below/right and give 45 first.
    const x = tf.reshape(tf.range(0, 16), [1, 4, 4, 1]) as tf.Tensor4D;
    const kernel = tf.variable(tf.ones([3, 3, 1, 1]), false, 'blocks-test/ones3');
    const out = applyConv({ kernel, stride: 2 }, x);
    assert.deepEqual(out.shape, [1, 2, 2, 1]);
    assertClose(out, [10, 24, 51, 90]);
    kernel.dispose();
  });
});

test('a stride-2 1x1 convolution samples the even rows and columns, as PyTorch does', () => {
  tf.tidy(() => {
    const x = tf.reshape(tf.range(0, 25), [1, 5, 5, 1]) as tf.Tensor4D;
    const kernel = tf.variable(tf.ones([1, 1, 1, 1]), false, 'blocks-test/ones1');
    const out = applyConv({ kernel, stride: 2 }, x);
    // rows 0, 2, 4 and cols 0, 2, 4 of 0..24: floor((5 − 1) / 2) + 1 = 3 per side
    assertClose(out, [0, 2, 4, 10, 12, 14, 20, 22, 24]);
    kernel.dispose();
  });
});

test('a stride-1 convolution keeps the spatial size for every odd kernel', () => {
  tf.tidy(() => {
    for (const size of [1, 3, 7]) {
      const kernel = tf.variable(tf.ones([size, size, 2, 3]), false, `blocks-test/k${size}`);
      assert.deepEqual(applyConv({ kernel, stride: 1 }, tf.ones([2, 9, 6, 2])).shape, [2, 9, 6, 3]);
      kernel.dispose();
    }
  });
});

test('global average pooling averages each channel over height and width', () => {
  tf.tidy(() => {
    // channel 0 holds 0, 2, 4, 6 (mean 3); channel 1 holds 1, 3, 5, 7 (mean 4)
    const x = tf.reshape(tf.range(0, 8), [1, 2, 2, 2]) as tf.Tensor4D;
    assertClose(globalAveragePool(x), [3, 4]);
  });
});

test('scaled widths round to the nearest channel and never reach zero', () => {
  assert.deepEqual(
    [64, 128, 256, 512].map((c) => scaleChannels(c, 0.125)),
    [8, 16, 32, 64],
  );
  assert.equal(scaleChannels(64, 1), 64);
  assert.equal(scaleChannels(64, 0.001), 1);
});

test('site counters hand out consecutive indices and report how many were taken', () => {
  const sites = new SiteCounter();
  assert.deepEqual([sites.take(), sites.take(), sites.take()], [0, 1, 2]);
  assert.equal(sites.count, 3);
});
