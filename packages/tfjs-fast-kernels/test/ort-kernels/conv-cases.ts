/** One conv configuration: NHWC input, [kh, kw, in, out] filter, TF.js stride/pad/dilation attributes. */
export interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
  dilations?: number | [number, number];
}

/** Odd sizes, strides 1/2/3, same/valid/numeric/explicit pads, non-square filters, channels 1 and several. */
export const CONV_CASES: ConvCase[] = [
  { x: [2, 9, 11, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'same' },
  { x: [2, 9, 11, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { x: [1, 10, 8, 2], filter: [3, 3, 2, 4], strides: 2, pad: 'valid' },
  { x: [2, 11, 11, 1], filter: [3, 3, 1, 4], strides: 3, pad: 'valid' },
  { x: [1, 12, 12, 4], filter: [4, 4, 4, 3], strides: 3, pad: 'same' },
  { x: [2, 7, 9, 3], filter: [2, 3, 3, 2], strides: [1, 2], pad: 'same' },
  { x: [1, 8, 7, 2], filter: [5, 5, 2, 3], strides: 1, pad: 'valid' },
  { x: [1, 6, 6, 2], filter: [1, 1, 2, 7], strides: 1, pad: 'same' },
  { x: [2, 8, 9, 2], filter: [3, 3, 2, 3], strides: 1, pad: 1 },
  {
    x: [2, 8, 9, 2],
    filter: [3, 2, 2, 3],
    strides: 2,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  // Pads at least the filter size: the stride-1 input gradient cannot be a plain conv, so it takes ConvTranspose.
  {
    x: [1, 5, 6, 2],
    filter: [2, 2, 2, 3],
    strides: 1,
    pad: [
      [0, 0],
      [3, 0],
      [0, 2],
      [0, 0],
    ],
  },
  // Big enough images that the kernels split the batch into chunks (about 2^19 floats of input + output each),
  // with a smaller last chunk: 131072 floats per image gives chunks of 3 and 2; at stride 2, of 4 and 3.
  { x: [5, 64, 64, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'same' },
  { x: [7, 64, 64, 16], filter: [3, 3, 16, 16], strides: 2, pad: 'same' },
];

/** Dilated forward convs (their gradients are not defined in TF.js). */
export const DILATED_CASES: ConvCase[] = [
  { x: [1, 11, 10, 2], filter: [3, 3, 2, 3], strides: 1, pad: 'same', dilations: 2 },
  { x: [2, 12, 9, 3], filter: [2, 3, 3, 2], strides: 1, pad: 'valid', dilations: [2, 3] },
];

export function describeCase(c: ConvCase): string {
  return (
    `x ${c.x.join('x')}, filter ${c.filter.join('x')}, stride ${c.strides}, pad ${JSON.stringify(c.pad)}` +
    (c.dilations ? `, dilation ${c.dilations}` : '')
  );
}
