#!/usr/bin/env node
// Times of an experiment's units from their manifests, for a preset's expectedWallTime:
//   node scripts/unit-times.js results/quick/fig3
// prints each (run, seed)'s training and evaluation seconds, their totals, and the span from the first unit's start
// to the last one's end. Units copied from another experiment (fig3's relu from table1's relu-relu) are listed but
// left out of the totals and the span: they cost nothing here. A unit resumed in several sessions counts its phases'
// seconds, not the gaps between sessions; the span includes those gaps.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const folder = process.argv[2];
if (!folder || !fs.existsSync(folder)) {
  console.error(`usage: node scripts/unit-times.js <results/PRESET/EXPERIMENT>, got ${folder ?? 'nothing'}`);
  process.exit(2);
}
const manifests = fs
  .readdirSync(folder, { withFileTypes: true })
  .filter((run) => run.isDirectory())
  .flatMap((run) =>
    fs.readdirSync(path.join(folder, run.name)).map((seed) => path.join(folder, run.name, seed, 'manifest.json')),
  )
  .filter((file) => fs.existsSync(file))
  .map((file) => JSON.parse(fs.readFileSync(file, 'utf8')));

const minutes = (seconds) => `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
let train = 0;
let evaluate = 0;
let first = Infinity;
let last = -Infinity;
for (const m of manifests) {
  const note = m.copiedFrom ? ` (copied from ${m.copiedFrom}, not counted)` : m.endedAt ? '' : ' (not finished)';
  console.log(
    `${m.run} seed ${m.seed}: train ${m.phases.train.toFixed(0)} s, eval ${m.phases.eval.toFixed(0)} s, sessions ${m.sessions}${note}`,
  );
  if (m.copiedFrom) continue;
  train += m.phases.train;
  evaluate += m.phases.eval;
  first = Math.min(first, Date.parse(m.startedAt));
  if (m.endedAt) last = Math.max(last, Date.parse(m.endedAt));
}
console.log(`sum over units: train ${minutes(train)}, eval ${minutes(evaluate)}, both ${minutes(train + evaluate)}`);
if (last > first) console.log(`span, first start to last end: ${minutes((last - first) / 1000)}`);
