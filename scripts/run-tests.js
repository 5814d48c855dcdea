#!/usr/bin/env node
// Runs the compiled node:test files under dist/test and each workspace package's dist/test (or only those whose
// path contains one of the arguments).
// Node 20's `--test` takes file paths, not globs, so the files are listed here.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const repo = path.join(__dirname, '..');
const packagesDir = path.join(repo, 'packages');
const roots = [
  path.join(repo, 'dist', 'test'),
  ...(fs.existsSync(packagesDir)
    ? fs.readdirSync(packagesDir).map((name) => path.join(packagesDir, name, 'dist', 'test'))
    : []),
];
function listTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTests(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

const filters = process.argv.slice(2);
const files = roots
  .flatMap(listTests)
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(
    `no test files found under ${roots.join(', ')}${filters.length ? ` matching ${filters.join(', ')}` : ''}; run npm run build first`,
  );
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
