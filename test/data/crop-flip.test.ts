import assert from 'node:assert/strict';
import test from 'node:test';
import { randomCropFlip } from '../../src/data/crop-flip';
import { Rng } from '../../src/util/rng';

const shape = { height: 8, width: 8, channels: 3 };
const source = Uint8Array.from({ length: 8 * 8 * 3 }, (_, i) => 1 + (i % 250)); // no zeros, so padding shows

/** The same crop and flip written the slow, obvious way: pad, cut, mirror. */
function reference(dy: number, dx: number, flip: boolean): Float32Array {
  const out = new Float32Array(source.length);
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++)
      for (let c = 0; c < 3; c++) {
        const sy = y + dy;
        const sx = (flip ? 7 - x : x) + dx;
        out[(y * 8 + x) * 3 + c] = sy >= 0 && sy < 8 && sx >= 0 && sx < 8 ? source[(sy * 8 + sx) * 3 + c] / 255 : 0;
      }
  return out;
}

test('the output is the padded image cropped at the drawn offset and flipped when drawn', () => {
  for (let seed = 0; seed < 20; seed++) {
    const out = new Float32Array(source.length);
    randomCropFlip(source, out, shape, new Rng(seed));
    const draws = new Rng(seed); // replays the draws: row shift, column shift, flip
    const dy = draws.nextInt(9) - 4;
    const dx = draws.nextInt(9) - 4;
    assert.deepEqual(out, reference(dy, dx, draws.next() < 0.5));
  }
});

test('the same seed gives the same pixels and different seeds differ', () => {
  const run = (seed: number) => {
    const out = new Float32Array(source.length);
    randomCropFlip(source, out, shape, new Rng(seed));
    return out;
  };
  assert.deepEqual(run(7), run(7));
  assert.notDeepEqual(run(7), run(8));
});

test('over many draws every shift from -4 to 4 and both flips occur', () => {
  const rng = new Rng(3);
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) seen.add(`${rng.nextInt(9) - 4},${rng.nextInt(9) - 4},${rng.next() < 0.5}`);
  assert.equal(seen.size, 9 * 9 * 2);
});
