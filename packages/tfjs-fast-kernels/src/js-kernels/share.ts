import type { TensorInfo } from '@tensorflow/tfjs';
import type { FastKernel } from '../kernel-registry';

// TF.js tensors are immutable, yet the wasm backend's Identity (and Cast to the same dtype) copies the data.
// The gradient tape clones every tensor it saves for the backward pass, so on wasm these copies cost more than
// the ReLUs they save (tens of ms per W-mnist step). Sharing the data with a reference count is what the cpu
// backend already does.

export const identityKernel: FastKernel = {
  kernelName: 'Identity',
  run: ({ inputs, access }) => {
    const x = inputs.x as TensorInfo;
    return x.dtype === 'string' ? null : access.share(x);
  },
};

export const castKernel: FastKernel = {
  kernelName: 'Cast',
  run: ({ inputs, attrs, access }) => {
    const x = inputs.x as TensorInfo;
    return x.dtype === attrs.dtype && x.dtype !== 'string' ? access.share(x) : null;
  },
};
