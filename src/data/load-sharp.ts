import { UserError } from '../util/errors';

/**
 * sharp is an optional dependency (a native module with prebuilt libvips). Only ImageNet-style folders need it, so it
 * is imported when such a folder is opened, and its absence is a UserError that says how to install it.
 */

export type SharpFactory = typeof import('sharp');

/** `specifier` is only changed by tests, to see the missing-module error. */
export async function loadSharp(specifier = 'sharp'): Promise<SharpFactory> {
  let loaded: { default?: SharpFactory } & SharpFactory;
  try {
    loaded = await import(specifier);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new UserError(
      'sharp-missing',
      `image folders: the image decoder "${specifier}" could not be loaded, got "${reason}".`,
      'run `npm install sharp` in the sat-bench folder (it is an optional dependency with prebuilt binaries), ' +
        'or use the mnist or cifar10 datasets, which need no decoder',
    );
  }
  return loaded.default ?? loaded;
}
