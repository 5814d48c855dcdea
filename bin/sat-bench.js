#!/usr/bin/env node
'use strict';
// The CLI lives in dist/ (npm run build); this file only starts it, through the launcher that gives the computing
// commands a malloc tuned for large tensors (dist/src/cli/launch.js says why).
const { relaunchIfNeeded } = require('../dist/src/cli/launch.js');
const argv = process.argv.slice(2);
relaunchIfNeeded(__filename, argv)
  .then((code) => (code !== null ? code : require('../dist/src/cli/main.js').main(argv)))
  .then((code) => process.exit(code));
