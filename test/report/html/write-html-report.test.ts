import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { writeHtmlReport } from '../../../src/report/html/write-html-report';
import { KNOWN, writeFixtureFolder } from './fixture-folder';

const CHROMIUM = process.env.SAT_BENCH_CHROMIUM ?? '/usr/bin/chromium';
// Offline and quiet: no sandbox (containers), no GPU, nothing fetched in the background.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Skips with the reason where Chromium is missing, except in CI, where the report must be checked. */
function chromiumMissing(t: { skip(message: string): void }): boolean {
  if (fs.existsSync(CHROMIUM)) return false;
  const reason = `${CHROMIUM} not found (apt-get install chromium, or set SAT_BENCH_CHROMIUM)`;
  if (process.env.CI === 'true') assert.fail(`CI: ${reason}`);
  t.skip(reason);
  return true;
}

test('the report of several seeds and a collapsed run opens offline in Chromium with every chart drawn and the collapse marked', async (t) => {
  if (chromiumMissing(t)) return;
  const presetDir = writeFixtureFolder();
  const { htmlPath, chartFiles } = await writeHtmlReport(presetDir, KNOWN, ['table1', 'fig3']);
  assert.ok(chartFiles.some((f) => f.endsWith('.png')), 'every chart also exported as PNG');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
    page.on('request', (r) => !r.url().startsWith('file:') && problems.push(`network request: ${r.url()}`));
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    // Table 1: Δ, scatter, curves of both runs; Figure 3: Δ, scatter, curves of both runs.
    const charts = await page.$$eval('figure.chart', (figures) => figures.map((f) => {
      const svg = f.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return { id: f.getAttribute('data-chart'), marks: svg?.querySelectorAll('.role-mark *').length ?? 0, width: box?.width ?? 0, height: box?.height ?? 0 };
    }));
    assert.deepEqual(charts.map((c) => c.id), [
      'table1-delta', 'table1-scatter', 'table1-curves-relu-relu', 'table1-curves-psoftplus-relu',
      'fig3-delta', 'fig3-scatter', 'fig3-curves-relu', 'fig3-curves-silu',
    ]);
    for (const c of charts) assert.ok(c.marks > 5 && c.width > 100 && c.height > 50, `${c.id}: ${JSON.stringify(c)}`);
    // The collapse: the table row, the chart's frame, and a red dashed rule at epoch 3 in each panel.
    assert.deepEqual(await page.$$eval('tr[data-collapsed] td.run', (cells) => cells.map((c) => c.textContent)), ['psoftplus-relu collapsed (seed 1, epoch 3)']);
    const collapsed = await page.$$eval('figure[data-collapsed="true"]', (figures) => figures.map((f) => ({ id: f.getAttribute('data-chart'), rules: f.querySelectorAll('.role-mark[class*="collapse-marker"] line').length, label: f.querySelector('.collapse-label text')?.textContent })));
    assert.deepEqual(collapsed, [{ id: 'table1-curves-psoftplus-relu', rules: 3, label: 'collapse: seed 1' }]);
    assert.equal(await page.$$eval('figure[data-chart="table1-curves-relu-relu"] .role-mark[class*="collapse-marker"] line', (l) => l.length), 0);
    const shot = await page.screenshot({ fullPage: true });
    const sharp = (await import('sharp')).default;
    const stats = await sharp(shot).stats();
    assert.ok(stats.channels.some((c) => c.max - c.min > 100), 'the screenshot is not one flat colour');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
