#!/usr/bin/env node
'use strict';
// The CLI lives in dist/ (npm run build); this file only starts it.
const { main } = require('../dist/src/cli/main.js');
main(process.argv.slice(2)).then((code) => process.exit(code));
