// ESLint (flat config): typescript-eslint's recommended rules, plus the project's architecture as rules:
// no import cycles, imports only downward through the layers, no synchronous tensor reads under src/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

/**
 * The layers of src/, highest first. A module may import from its own layer or any layer below it, never above:
 * the CLI drives experiments, experiments drive training, evaluation and reports, and everything rests on util.
 */
const LAYERS = [
  ['cli', 'index.ts'],
  ['experiment'],
  ['bench', 'report'],
  ['eval'],
  ['train'],
  ['nn'],
  ['attack'],
  ['engine', 'data'],
  ['util'],
];

/** One restricted-paths zone per layer: everything above it is out of bounds for it. */
function layerZones() {
  return LAYERS.flatMap((layer, depth) => {
    const above = LAYERS.slice(0, depth).flat();
    if (above.length === 0) return [];
    return layer.map((name) => ({
      target: `./src/${name}`,
      from: above.map((higher) => `./src/${higher}`),
      message: `src/${name} sits below ${above.join(', ')} in the layers (eslint.config.mjs): move the shared piece down instead.`,
    }));
  });
}

// WebGPU in Node has no synchronous read (dataSync/arraySync/bufferSync throw "OffscreenCanvas is not defined"):
// reads go through `await tensor.data()` or util/read-tensor's readAndDispose.
const SYNCHRONOUS_READS = ['dataSync', 'arraySync', 'bufferSync'].map((property) => ({
  property,
  message: 'synchronous tensor reads fail on the webgpu backend: use `await tensor.data()` or readAndDispose.',
}));

export default tseslint.config(
  { ignores: ['dist/', '**/dist/', 'node_modules/', '**/node_modules/', '.gpu-bundle/', '.dist-check/', 'results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    // import-x follows only the extensions it is told of: without '.ts' here no-cycle sees no edge at all.
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones() }],
      'no-restricted-properties': ['error', ...SYNCHRONOUS_READS],
      // Counted after Prettier's wrapping: 80 lines hold the attack loops and the train loop (the expected long
      // ones); a function past it is doing several jobs.
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Vega chart specs are declarative object literals: their length is the chart's description, not logic.
    files: ['src/report/html/charts/*.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    // The optional backends (wasm, WebGPU, Dawn) load lazily with require(), so a missing one is a reason in
    // `doctor`, not a crash at import.
    files: ['src/engine/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: Object.fromEntries(
        [
          'require',
          'module',
          'exports',
          'process',
          'console',
          '__dirname',
          '__filename',
          'performance',
          'setTimeout',
          'Buffer',
        ].map((name) => [name, 'readonly']),
      ),
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
