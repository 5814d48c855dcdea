#!/usr/bin/env node
// Builds the oneDNN addon (build/Release/dnnl_kernels.node) with node-gyp where a C++ compiler, Node's headers and
// libdnnl's headers exist, offline: node-gyp gets --nodedir when Node's headers are installed beside node, and the
// build is skipped (not attempted) when they are not, since node-gyp would otherwise download them from nodejs.org.
// Never fails the install: without the addon the convolutions stay on ONNX Runtime. It records why in
// build/dnnl-build.json, which `sat-bench doctor` reads back; the compiler's output goes to build/dnnl-build.log.
// Run by the root package's install script (npm runs no install script of a bundled dependency), or by hand:
// `node native/build.js` in this package. SAT_BENCH_SKIP_DNNL_BUILD=1 skips the build.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const packageRoot = path.resolve(__dirname, '..');
const buildDir = path.join(packageRoot, 'build');
const addon = path.join(buildDir, 'Release', 'dnnl_kernels.node');

function record(status) {
  fs.mkdirSync(buildDir, { recursive: true });
  fs.writeFileSync(path.join(buildDir, 'dnnl-build.json'), JSON.stringify(status, null, 2) + '\n');
  console.log(`tfjs-fast-kernels: oneDNN addon ${status.built ? 'built' : `not built: ${status.reason}`}`);
}

/** The first directory holding `relative` among the usual include roots (and CPATH/CPLUS_INCLUDE_PATH). */
function findHeader(relative, extraRoots = []) {
  const roots = [
    ...extraRoots,
    ...(process.env.CPLUS_INCLUDE_PATH ?? '').split(':'),
    ...(process.env.CPATH ?? '').split(':'),
    '/usr/include',
    '/usr/local/include',
  ].filter(Boolean);
  return roots.find((root) => fs.existsSync(path.join(root, relative)));
}

/** Node's headers without a download: beside the node binary (distribution installs), or node-gyp's cache. */
function nodeHeaders() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) return ['--nodedir', prefix];
  const cache = path.join(os.homedir(), '.cache', 'node-gyp', process.versions.node);
  if (fs.existsSync(path.join(cache, 'include', 'node', 'node_api.h'))) return [];
  return null;
}

/** npm passes its bundled node-gyp to lifecycle scripts; by hand, look beside npm or in node_modules. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(
      path.dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed as a package: the candidates above are all there is
  }
  return candidates.find((file) => file && fs.existsSync(file));
}

function main() {
  if (process.env.SAT_BENCH_SKIP_DNNL_BUILD === '1')
    return record({ built: false, reason: 'SAT_BENCH_SKIP_DNNL_BUILD=1 at install' });
  if (process.platform !== 'linux')
    return record({ built: false, reason: `no build recipe for ${process.platform} (Linux only)` });
  if (!findHeader('oneapi/dnnl/dnnl.hpp')) {
    return record({
      built: false,
      reason:
        'libdnnl is not installed (no oneapi/dnnl/dnnl.hpp; on Debian/Ubuntu: apt-get install libdnnl-dev, then npm rebuild sat-bench)',
    });
  }
  const headers = nodeHeaders();
  if (headers === null) {
    return record({
      built: false,
      reason: `Node ${process.versions.node}'s headers are not installed beside ${process.execPath} (node-gyp would download them)`,
    });
  }
  const gyp = nodeGyp();
  if (!gyp) return record({ built: false, reason: 'node-gyp not found (it ships with npm)' });
  const result = spawnSync(process.execPath, [gyp, 'rebuild', ...headers], { cwd: packageRoot, encoding: 'utf8' });
  const log = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  fs.mkdirSync(buildDir, { recursive: true });
  fs.writeFileSync(path.join(buildDir, 'dnnl-build.log'), log);
  if (result.status !== 0 || !fs.existsSync(addon)) {
    const lastError =
      log.split('\n').find((line) => /error/i.test(line) && !line.startsWith('gyp info')) ?? `exit ${result.status}`;
    return record({
      built: false,
      reason: `node-gyp failed (${lastError.trim().slice(0, 200)}; see build/dnnl-build.log)`,
    });
  }
  // Built is not enough: libdnnl.so must also load at run time.
  const check = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(addon)})`], { encoding: 'utf8' });
  if (check.status !== 0) {
    const why = (check.stderr.split('\n').find((line) => /Error/.test(line)) ?? `exit ${check.status}`).trim();
    return record({ built: false, reason: `built, but it does not load: ${why.slice(0, 200)}` });
  }
  record({ built: true });
}

try {
  main();
} catch (error) {
  record({ built: false, reason: `the build script failed: ${error && error.message}` });
}
