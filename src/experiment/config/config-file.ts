import * as fs from 'node:fs';
import * as path from 'node:path';
import { createJiti } from 'jiti';
import { UserError } from '../../util/errors';

const CONFIG_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** Whether a command-line argument names a file (`./my-ablation.ts`, `configs/x.js`) rather than a built-in name. */
export function isConfigPath(arg: string): boolean {
  return arg.includes('/') || arg.includes(path.sep) || CONFIG_EXTENSIONS.includes(path.extname(arg));
}

/** dist/src/experiment/<job folder> → the package root. */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * What a config file's imports of `sat-bench` and `@tensorflow/tfjs` resolve to: this very package and its TF.js,
 * wherever the file lives (a folder with no node_modules, or one with another copy). One TF.js instance matters:
 * tensors made by a second copy would live in another engine.
 */
function aliases(): Record<string, string> {
  return {
    'sat-bench': path.join(PACKAGE_ROOT, 'dist', 'src', 'index.js'),
    '@tensorflow/tfjs': require.resolve('@tensorflow/tfjs'),
  };
}

/**
 * Loads an experiment or preset file written in TypeScript or JavaScript (jiti compiles it in memory, no cache
 * files; imports of packages come from the one Node module cache) and returns its default export, unchecked: the caller validates it. Load failures are UserErrors naming
 * the file.
 */
export async function loadConfigFile(file: string, what: 'experiment' | 'preset'): Promise<unknown> {
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute)) {
    throw new UserError(
      'no-config-file',
      `${file}: no such ${what} file`,
      `check the path (relative to ${process.cwd()}), or name a built-in ${what}`,
    );
  }
  const jiti = createJiti(__filename, { alias: aliases(), fsCache: false, interopDefault: true });
  let loaded: unknown;
  try {
    loaded = await jiti.import(absolute);
  } catch (error) {
    throw new UserError(
      'config-file-failed',
      `${file}: could not load the ${what} file: ${(error as Error).message.split('\n')[0]}`,
      'correct the file where the message says (it is compiled as TypeScript and run as a module)',
    );
  }
  const value =
    loaded && typeof loaded === 'object' && 'default' in loaded ? (loaded as { default: unknown }).default : loaded;
  if (value === undefined || (value && typeof value === 'object' && Object.keys(value).length === 0)) {
    throw new UserError(
      'config-file-empty',
      `${file}: has no default export`,
      `end the file with \`export default define${what === 'experiment' ? 'Experiment' : 'Preset'}({ ... })\``,
    );
  }
  return value;
}
