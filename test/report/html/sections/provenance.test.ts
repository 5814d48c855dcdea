import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readResultsFolder } from '../../../../src/experiment/store/results-folder';
import { provenanceSection } from '../../../../src/report/html/sections/provenance';
import { KNOWN, writeFixtureFolder } from '../fixture-folder';

test('provenance says shared values once and sums the wall time of every (run, seed) from the manifests', () => {
  const [table1] = readResultsFolder(writeFixtureFolder(), KNOWN, ['table1']).experiments;
  const html = provenanceSection(table1);
  // Six units, training 12 + 13 + 14 s per run (seed k: 12 + k) = 78 s, evaluation 6 × 4 s = 24 s.
  assert.match(html, /<b>commit<\/b> 0123456789 · <b>sat-bench<\/b> 0\.1\.0 · <b>tfjs<\/b> 4\.22\.0/);
  assert.match(html, /<b>wall time<\/b> 78\.0 s training \+ 24\.0 s evaluation over 6 \(run, seed\) units/);
  assert.equal((html.match(/<td>hash-[a-z-]+-\d<\/td>/g) ?? []).length, 6);
});

test('a unit copied from a finished twin is named as such and its source time is not counted twice', () => {
  const presetDir = writeFixtureFolder();
  const manifestFile = path.join(presetDir, 'fig3', 'relu', 'seed-0', 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, copiedFrom: '../../../table1/relu-relu/seed-0' }));
  const [, fig3] = readResultsFolder(presetDir, KNOWN, ['table1', 'fig3']).experiments;
  const html = provenanceSection(fig3);
  // Two units of 12 s training and 4 s evaluation each; relu's was spent by table1's relu-relu.
  assert.match(
    html,
    /<b>wall time<\/b> 12\.0 s training \+ 4\.0 s evaluation over 1 \(run, seed\) units, 1 more copied from finished twins/,
  );
  assert.match(html, /<td>copied from \.\.\/\.\.\/\.\.\/table1\/relu-relu\/seed-0<\/td>/);
});
